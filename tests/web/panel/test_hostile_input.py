"""Stored XSS, template injection and bidi tricks: reviews, names, orders and staff texts are hostile input.

One shop gets one of everything (tests/web/panel/shop_world.py) through the real signed-event path, with an
attack in every text a customer, the shop's WooCommerce or an agent writes: a script tag, an attribute break-out
with an event handler, a `javascript:` link, `{{7*7}}` and a right-to-left override. Then every panel page (each
URL rule of the app, filled with these rows), the public pages and every email that reaches the SMTP server are
read as a browser and a mail program would read them: no markup of the attacker's, no link to `javascript:`,
no template evaluated, no override reaching past the text it came in.
"""
import csv
import io
import re
from html.parser import HTMLParser

import pytest

from crisisdesk.extensions import db
from crisisdesk.models import Case, OutboxEmail
from crisisdesk.services import outbox
from tests.web.panel.shop_world import Persona, build_world
from tests.web.panel.test_access import PANEL_URLS, delay_notice_form, fill

RLO, PDF, PDI = "\u202e", "\u202c", "\u2069"
EMBEDDINGS, ISOLATES = set("\u202a\u202b\u202d\u202e"), set("\u2066\u2067\u2068")
EVALUATED = "tpl49"  # what "tpl{{7*7}}" reads as once a template engine ran it


def attack(tag):
    """Every trick at once, labelled so that a finding names the field it came from. No two fields share a
    word, as a public note may not repeat any word of a customer's name."""
    return (f'{tag}<script>alert("{tag}")</script>"><img src=x{tag} onerror=alert("{tag}")>'
            f" tpl{{{{7*7}}}}{tag} {RLO}{tag}-rlo")


HOSTILE = Persona(
    first_name=attack("first"), last_name=attack("last"), email="grace.hostile@evil.example",
    partner_email="partner.hostile@evil.example", review_text=attack("review"), praise_text=attack("praise"),
    product_name=attack("product"), other_product_name=attack("other-product"),
    order_number='"><svg onload=alert(1)>{{7*7}}' + RLO, order_note=attack("order-note"), address=attack("address"),
    sku=attack("sku")[:100], refund_reason=attack("refund"), note_text=attack("note"), reply_text=attack("reply"),
    answer_text=attack("answer"), flag_text=attack("flag"), remedy_text=attack("remedy"),
    improvement_title=attack("title")[:120], public_note=attack("public-note"), incident_title=attack("incident")[:120],
    incident_statement=attack("statement"), permalink="javascript:alert(document.cookie)//")
# The labels of the texts shown in the panel: each must be seen there, escaped (so the walk looks at real pages).
SHOWN = ["first", "last", "review", "praise", "product", "note", "reply", "answer", "flag", "remedy", "title",
         "public-note", "incident", "statement"]
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}


# Text shown in a box of its own (a form control, the window's title): its bidi controls cannot reach the page's.
BOXED = {"textarea", "option", "title"}


class Page(HTMLParser):
    """What a browser would build from the HTML: the tags with their attributes, and the text runs of the page
    (`texts`) apart from those in a box of their own (`boxed`)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.texts, self.boxed, self.inside = [], [], [], []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in BOXED:
            self.inside.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag in self.inside:
            del self.inside[self.inside.index(tag):]

    def handle_data(self, data):
        (self.boxed if self.inside else self.texts).append(data)


def contained(text):
    """True when every bidi embedding, override or isolate the text opens is closed inside it (UAX #9: a PDI
    closes its isolate and whatever was opened inside it), so nothing after it is turned around."""
    stack = []
    for char in text:
        if char in EMBEDDINGS:
            stack.append("embedding")
        elif char in ISOLATES:
            stack.append("isolate")
        elif char == PDF and stack and stack[-1] == "embedding":
            stack.pop()
        elif char == PDI and "isolate" in stack:
            while stack.pop() != "isolate":
                pass
    return not stack


def problems(html, scripts_allowed=True):
    """What is unsafe in a page or an email's HTML part."""
    found = []
    page = Page(html)
    for tag, attrs in page.tags:
        if tag == "script" and not (scripts_allowed and re.fullmatch(r"/static/[\w./-]+\.js", attrs.get("src") or "")):
            found.append(f"script tag {attrs}")
        planted_image = tag == "img" and (attrs.get("src") or "").startswith("x")
        if tag in {"svg", "iframe", "object", "embed", "base"} or planted_image:
            found.append(f"injected <{tag}> {attrs}")
        for name, value in attrs.items():
            if name.startswith("on"):
                found.append(f"event handler {name}={value!r} on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                cleaned = re.sub(r"[\x00-\x20\x7f-\x9f]", "", value).lower()
                if cleaned.startswith(DANGEROUS_SCHEMES):
                    found.append(f"{name}={value!r} on <{tag}>")
    for text in page.texts:
        if not contained(text):
            found.append(f"bidi override leaking out of {text.strip()[:80]!r}")
    if EVALUATED in html:
        found.append("a template was evaluated")
    if "<script>alert(" in html:
        found.append("a raw script tag")
    return found, " ".join(page.texts + page.boxed)


@pytest.fixture
def hostile(app, frozen_clock, shop_a, agent, owner, smtp_server):
    """The hostile shop's ids, after every email its rows cause has been sent to the SMTP server."""
    shop_a.name = "Hostile shop"
    db.session.commit()
    ids = build_world(shop_a, agent, HOSTILE, frozen_clock.now)
    from crisisdesk.domain.actor import Actor
    from crisisdesk.services import cases, incidents

    actor = Actor(label=agent.email, user_id=agent.id)
    incidents.add_cases(agent, ids["incident_id"], [ids["case_id"]], actor)
    other = Case.query.filter(Case.shop_id == shop_a.id, Case.id != ids["case_id"]).order_by(Case.id).first()
    cases.change_status(agent, other.id, "resolved", actor)  # its follow-up email, with the rating links
    ids["resolved_case_id"] = other.id
    return ids


def send_everything():
    """Every email the outbox holds goes to the SMTP server now (as the jobs would once each is due)."""
    for row in OutboxEmail.query.filter_by(status="scheduled").all():
        row.due_at = min(row.due_at, outbox.clock.utcnow())
    db.session.commit()
    for email_id in [row.id for row in OutboxEmail.query.filter_by(status="scheduled")]:
        outbox.send(email_id)


def owner_posts(client, hostile):
    """The forms that show what was typed back on the page (previews, checks) and the ones that send emails,
    each with an attack in its text."""
    number = 1
    return [
        (f"/cases/{hostile['case_id']}/reply/check", {"text": attack("check"), "language": "en"}),
        (f"/cases/{hostile['case_id']}/reply", {"action": "check", "channel": "email", "remedy": "none",
                                                "language": "en", "text": attack("composer"),
                                                "idempotency_key": "hostile-check"}),
        (f"/incidents/{hostile['incident_id']}/update/preview",
         {"number": number, "text_en": attack("update-en"), "text_pl": attack("update-pl"),
          "text_lv": attack("update-lv")}),
        (f"/incidents/{hostile['incident_id']}/update",
         {"number": number, "text_en": attack("update-en"), "text_pl": attack("update-pl"),
          "text_lv": attack("update-lv")}),
        (f"/at-risk/{hostile['at_risk_id']}/notice", {**delay_notice_form(), "reason": attack("delay")[:200]}),
        (f"/cases/{hostile['case_id']}/notes", {"text": attack("posted-note")}),
    ]


def test_no_panel_page_public_page_or_email_runs_or_shows_what_attackers_wrote(client, hostile, owner, smtp_server,
                                                                               shop_a):
    client.login(owner)
    token = client.csrf_token("/account")
    findings, seen = [], []

    def read(label, response, scripts_allowed=True):
        assert response.status_code < 500, label
        if response.mimetype != "text/html":
            return
        found, text = problems(response.get_data(as_text=True), scripts_allowed)
        findings.extend(f"{label}: {problem}" for problem in found)
        seen.append(text)

    for url, data in owner_posts(client, hostile):
        read(f"POST {url}", client.post(url, data={"csrf_token": token, **data}))
    send_everything()
    for method, endpoint, rule in PANEL_URLS:
        if method == "GET":
            read(rule, client.get(fill(rule, hostile)))
    for url in ("/cases?status=all", "/reviews?status=all", "/reviews?status=answered", "/incidents?phase=all",
                "/at-risk?status=all", "/alerts?status=all", f"/cases/{hostile['resolved_case_id']}",
                f"/cases/{hostile['case_id']}?q={HOSTILE.order_number}", f"/shops/{shop_a.id}/events?outcome=all"):
        read(url, client.get(url))
    anonymous = client.application.test_client()
    read("you said, we did", anonymous.get(f"/s/{shop_a.id}/you-said-we-did"), scripts_allowed=False)

    public_pages = set()
    for received in smtp_server.messages:
        message, subject = received.message, str(received.message["Subject"])
        html, plain = message.get_body(("html",)).get_content(), message.get_body(("plain",)).get_content()
        found, _ = problems(html, scripts_allowed=False)
        findings.extend(f"email {subject!r}: {problem}" for problem in found)
        if EVALUATED in plain:
            findings.append(f"email {subject!r}: a template was evaluated in the text part")
        findings.extend(f"email {subject!r}: bidi override leaking out of line {line[:60]!r}"
                        for line in [subject, *plain.splitlines()] if not contained(line))
        for path in set(re.findall(r"https?://[^/\s\"'<>]+(/e/[\w/.=-]+)", plain + html)):
            public_pages.add(path.split("/")[2])
            read(f"public page {path[:20]}", anonymous.get(path), scripts_allowed=False)

    assert findings == []
    # Each text was on a page, as text: the markup above was looked for where the attacks really are.
    everything = " ".join(seen)
    assert [label for label in SHOWN if f'{label}<script>alert("{label}")</script>' not in everything] == []
    sent = {row.kind for row in OutboxEmail.query.filter_by(status="sent")}
    assert {"case_reply", "crisis_alert", "follow_up", "incident_update", "delay_notice"} <= sent, sent
    assert {"rate", "unsubscribe"} <= public_pages


CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def test_the_dashboard_csv_neutralises_cells_a_spreadsheet_would_run_as_formulas(client, owner, shop_a,
                                                                                  frozen_clock):
    from datetime import timedelta

    from crisisdesk.demo.payloads import review_payload
    from tests import factories

    names = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0",
             "\t=1+1"]  # five: the dashboard's top products
    for number, name in enumerate(names, start=1):
        factories.deliver(shop_a, "review.created", review_payload(
            900 + number, 50 + number, name, "Grace Hopper", "grace@example.com", "Broken and late.", 1,
            frozen_clock.now - timedelta(days=1)))
    client.login(owner)
    response = client.get("/dashboard.csv?preset=30d")
    assert response.status_code == 200
    cells = [cell for row in csv.reader(io.StringIO(response.get_data(as_text=True))) for cell in row]
    products = [cell for cell in cells if "HYPERLINK" in cell or "cmd|" in cell or "2+3" in cell or "SUM(" in cell
                or "=1+1" in cell]
    assert len(products) == 5, products
    assert [cell for cell in products if cell.startswith(CSV_TRIGGERS)] == []
    assert "Open cases now" in cells and "'Open cases now" not in cells  # ordinary text stays as it is
    assert [cell for cell in cells if cell.startswith(CSV_TRIGGERS) and not is_number(cell)] == []


def is_number(cell):
    try:
        float(cell)
    except ValueError:
        return False
    return True
