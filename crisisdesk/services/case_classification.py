"""The cause detector's answer stored on a case: causes, evidence, language and sentiment score."""
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.evidence_marks import evidence_list


def apply_classification(case, result):
    """Store a cause_detection.Classification on the case (causes main first; cause = the main one)."""
    causes = list(result.causes)
    case.detected_causes = list(causes)
    case.causes = list(causes)
    case.cause = causes[0] if causes else None
    case.cause_evidence = evidence_list(result.evidence)
    case.language = result.language
    case.sentiment_score = result.score


def detection_text(result):
    """What was detected and from which words, for the timeline."""
    if not result.causes:
        return f"No complaint cause recognised in the text (language {result.language}, {result.sentiment})."
    found = "; ".join(f"{CAUSES.get(cause, cause)} (from “{', '.join(e.text for e in result.evidence[cause])}”)"
                      if result.evidence.get(cause) else CAUSES.get(cause, cause) for cause in result.causes)
    return f"Detected cause{'s' if len(result.causes) > 1 else ''}: {found}. Language: {result.language}."


def classify_text(text):
    """The detector's answer for a case text (empty text: no causes, neutral)."""
    return classify(text or "")
