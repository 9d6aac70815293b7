"""Accuracy and speed of the offline cause and sentiment classifier on the labelled set.

    .venv/bin/python bench/eval_causes.py [--split dev|holdout|all] [--errors]

Prints plain-text tables: per language and per cause precision / recall / F1 (multi-label: a cause
counts as a true positive for a text when it is in both the gold and the predicted causes), micro and
macro averages, sentiment-label and language accuracy, the most common errors, and texts per second
on one core. Figures only: nothing here asserts a threshold.
"""
import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crisisdesk.domain.cause_detection import classify  # noqa: E402
from crisisdesk.domain.causes import CAUSE_NAMES  # noqa: E402

DATA = ROOT / "bench" / "data" / "cause_eval.jsonl"
LANGUAGES = ("pl", "en", "lv")
SENTIMENTS = ("negative", "neutral", "positive")
MIN_SECONDS = 2.0


def load(split):
    items = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [item for item in items if split == "all" or item["split"] == split]


def prf(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def counts(pairs, cause=None):
    """(tp, fp, fn) over (gold, predicted) cause sets, for one cause or summed over all."""
    tp = fp = fn = 0
    for gold, predicted in pairs:
        for name in [cause] if cause else CAUSE_NAMES:
            tp += name in gold and name in predicted
            fp += name not in gold and name in predicted
            fn += name in gold and name not in predicted
    return tp, fp, fn


def table(title, header, rows):
    print(f"\n{title}")
    widths = [max(len(str(row[i])) for row in [header] + rows) for i in range(len(header))]
    for row in [header, ["-" * w for w in widths]] + rows:
        print("  " + "  ".join(str(cell).ljust(w) if i == 0 else str(cell).rjust(w)
                               for i, (cell, w) in enumerate(zip(row, widths))))


def fmt(value):
    return f"{value:.3f}"


def report(items, results):
    pairs = [(set(item["causes"]), set(result.causes)) for item, result in zip(items, results)]
    by_language = {lang: [i for i, item in enumerate(items) if item["language"] == lang] for lang in LANGUAGES}

    rows = []
    for lang, indexes in list(by_language.items()) + [("all", list(range(len(items))))]:
        subset = [pairs[i] for i in indexes]
        if not subset:
            continue
        p, r, f = prf(*counts(subset))
        exact = sum(g == p_ for g, p_ in subset) / len(subset)
        sentiment = sum(results[i].sentiment == items[i]["sentiment"] for i in indexes) / len(indexes)
        language = sum(results[i].language == items[i]["language"] for i in indexes) / len(indexes)
        rows.append([lang, len(indexes), fmt(p), fmt(r), fmt(f), fmt(exact), fmt(sentiment), fmt(language)])
    table("Per language (causes: micro-averaged over the 8 causes)",
          ["language", "texts", "P", "R", "F1", "exact", "sentiment acc", "language acc"], rows)

    rows, f1s = [], []
    for cause in CAUSE_NAMES:
        tp, fp, fn = counts(pairs, cause)
        p, r, f = prf(tp, fp, fn)
        per_language = []
        for lang in LANGUAGES:
            subset = [pairs[i] for i in by_language[lang]]
            support = sum(cause in gold for gold, _ in subset)
            per_language.append(fmt(prf(*counts(subset, cause))[2]) if support else "-")
        if tp + fn:
            f1s.append(f)
        rows.append([cause, tp + fn, tp, fp, fn, fmt(p), fmt(r), fmt(f)] + per_language)
    micro = prf(*counts(pairs))
    rows.append(["micro average", "", "", "", "", fmt(micro[0]), fmt(micro[1]), fmt(micro[2]), "", "", ""])
    rows.append(["macro average (F1)", "", "", "", "", "", "", fmt(sum(f1s) / len(f1s) if f1s else 0.0),
                 "", "", ""])
    table("Per cause", ["cause", "support", "TP", "FP", "FN", "P", "R", "F1", "F1 pl", "F1 en", "F1 lv"], rows)

    matrix = Counter((item["sentiment"], result.sentiment) for item, result in zip(items, results))
    table("Sentiment (rows: gold, columns: predicted)", ["gold"] + list(SENTIMENTS),
          [[gold] + [matrix[(gold, predicted)] for predicted in SENTIMENTS] for gold in SENTIMENTS])

    tags = sorted({tag for item in items for tag in item.get("tags", [])})
    rows = []
    for tag in tags:
        indexes = [i for i, item in enumerate(items) if tag in item.get("tags", [])]
        p, r, f = prf(*counts([pairs[i] for i in indexes]))
        exact = sum(pairs[i][0] == pairs[i][1] for i in indexes) / len(indexes)
        rows.append([tag, len(indexes), fmt(p), fmt(r), fmt(f), fmt(exact)])
    table("By tag", ["tag", "texts", "P", "R", "F1", "exact"], rows)

    errors = Counter()
    for gold, predicted in pairs:
        missed, extra = sorted(gold - predicted), sorted(predicted - gold)
        for cause in missed:
            errors[f"missed {cause}" + (f" (predicted {', '.join(extra)} instead)" if extra else "")] += 1
        for cause in extra:
            if not missed:
                errors[f"extra {cause}"] += 1
    table("Most common errors", ["error", "texts"], [[e, n] for e, n in errors.most_common(12)])


def throughput(items):
    texts = [item["text"] for item in items]
    classify(texts[0])  # compile the lexicon outside the clock
    done, started = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - started) < MIN_SECONDS:
        for text in texts:
            classify(text)
        done += len(texts)
    print(f"\nSpeed: {done} texts in {elapsed:.2f} s on one core: {done / elapsed:,.0f} texts/s "
          f"(mean {sum(map(len, texts)) / len(texts):.0f} characters)")


def print_errors(items, results):
    print("\nTexts with wrong causes or sentiment")
    for item, result in zip(items, results):
        if set(item["causes"]) != set(result.causes) or item["sentiment"] != result.sentiment:
            print(f"  {item['id']} gold {sorted(item['causes'])} {item['sentiment']} | predicted "
                  f"{sorted(result.causes)} {result.sentiment} {result.score:+.2f} | {item['text']}")
            for cause, found in result.evidence.items():
                print(f"      {cause}: {[e.text for e in found]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "holdout", "all"], default="all")
    parser.add_argument("--errors", action="store_true", help="also list every text with a wrong result")
    args = parser.parse_args()
    items = load(args.split)
    print(f"Cause classifier on {DATA.relative_to(ROOT)}, split {args.split}: {len(items)} texts")
    results = [classify(item["text"]) for item in items]
    report(items, results)
    if args.errors:
        print_errors(items, results)
    throughput(items)


if __name__ == "__main__":
    main()
