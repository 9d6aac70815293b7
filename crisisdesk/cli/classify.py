"""`flask classify`: one text per line on standard input, one JSON object per line on standard output."""
import json
import sys

import click

from crisisdesk.domain.cause_detection import classify as classify_text


@click.command("classify", help="Read one review or complaint per line on standard input and write, per line, "
                                "its language, sentiment, score (-1..1), causes and the words that show them, "
                                "as JSON. A blank or undecodable line gets {\"error\": ..., \"line\": n} in its "
                                "place, and the exit status is then 1.")
def classify():
    # Bytes in and out: the input is decoded line by line, so one bad line is reported (and the rest
    # still classified) instead of the whole stream failing; the output is UTF-8 whatever the locale.
    # (click.get_binary_stream is deprecated since Click 8.5; the standard streams' buffers are what it gave.)
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    failed = False
    for number, raw in enumerate(source, start=1):
        text, error = _decoded(raw, number)
        failed = failed or error is not None
        result = {"error": error, "line": number} if error else classify_text(text).as_dict()
        sink.write(json.dumps(result, ensure_ascii=False).encode("utf-8") + b"\n")
        sink.flush()  # a caller feeding lines one at a time gets each answer at once
    if failed:
        raise SystemExit(1)


def _decoded(raw, number):
    """(text, None) for a line with something to classify, else (None, the error to print in its place)."""
    raw = raw.rstrip(b"\r\n")
    if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark, as Windows editors write it
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as problem:
        click.echo(f"line {number}: not valid UTF-8 (byte 0x{raw[problem.start]:02x} at position "
                   f"{problem.start + 1}); convert the input to UTF-8, e.g. with iconv", err=True)
        return None, "invalid UTF-8"
    if not text.strip():
        return None, "empty line"
    return text, None
