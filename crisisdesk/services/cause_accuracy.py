"""How often agents change the cause detector's answer, per cause and per language, for one shop."""
from dataclasses import dataclass

from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, CauseCorrection
from crisisdesk.services.access import get_shop


@dataclass(frozen=True)
class Rate:
    key: str  # a cause name or a language code
    classified: int  # cases the detector classified (for a cause: that it named)
    changed: int  # of those, cases an agent corrected
    missed: int = 0  # (causes only) cases where agents added the cause the detector did not name

    @property
    def rate(self):
        return self.changed / self.classified if self.classified else None


@dataclass(frozen=True)
class AccuracyReport:
    shop: object
    classified: int
    changed: int
    by_cause: list
    by_language: list

    @property
    def rate(self):
        return self.changed / self.classified if self.classified else None


def disagreement_rates(user, shop_id):
    """Corrections / classified cases, per cause the detector named and per language (agents and owners)."""
    shop = get_shop(user, shop_id, Role.AGENT)
    # Only cases the detector classified have a language; older cases (before detection) are left out.
    cases = (db.session.query(Case.id, Case.language, Case.detected_causes, Case.causes)
             .filter(Case.shop_id == shop.id, Case.language.is_not(None)).all())
    # Changed: an agent corrected the case and the result still differs (a correction undone does not count).
    touched = {row[0] for row in db.session.query(CauseCorrection.case_id)
               .filter(CauseCorrection.shop_id == shop.id).distinct()}
    corrected = {c.id for c in cases if c.id in touched and list(c.causes or []) != list(c.detected_causes or [])}
    by_cause = []
    for cause in CAUSES:
        named = [c for c in cases if cause in (c.detected_causes or [])]
        missed = sum(1 for c in cases if c.id in corrected and cause in (c.causes or [])
                     and cause not in (c.detected_causes or []))
        by_cause.append(Rate(cause, len(named), sum(1 for c in named if c.id in corrected), missed))
    by_language = [Rate(language, len(group), sum(1 for c in group if c.id in corrected))
                   for language in sorted({c.language for c in cases})
                   for group in [[c for c in cases if c.language == language]]]
    return AccuracyReport(shop=shop, classified=len(cases), changed=sum(1 for c in cases if c.id in corrected),
                          by_cause=by_cause, by_language=by_language)
