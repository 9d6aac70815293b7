"""The panel in English and Polish: the language setting, a complete and compiled catalogue, Polish
plurals, and dates, numbers and amounts in each locale's form."""
import io
import re
from datetime import date, datetime, timezone
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry
from crisisdesk.web import i18n
from tests.web.panel.test_access import PANEL_URLS, REQUIRED_ROLE, fill, targets  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[3]
PO = ROOT / "translations" / "pl" / "LC_MESSAGES" / "messages.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


def speaks_polish(user, language="pl"):
    user.language = language
    db.session.commit()


def polish_catalogue():
    with PO.open("rb") as po:
        return read_po(po, locale="pl")


def extracted_msgids():
    """Every string marked in the panel's code and templates, found the way `pybabel extract` finds them."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    keywords = {**DEFAULT_KEYWORDS, "_l": None}

    def directory_filter(path):  # as --ignore-dirs=".* __pycache__": Babel's default skips _macros/
        name = Path(path).name
        return not name.startswith(".") and name != "__pycache__"

    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(str(ROOT), method_map, options_map, keywords=keywords,
                                directory_filter=directory_filter)}


class VisibleText(HTMLParser):
    """The text a reader sees (and hears): content outside script/style, plus titles and labels."""

    def __init__(self):
        super().__init__()
        self.parts, self._hidden = [], 0

    def handle_starttag(self, tag, attrs):
        self._hidden += tag in ("script", "style")
        self.parts += [value for name, value in attrs if name in ("title", "aria-label", "placeholder") and value]

    def handle_endtag(self, tag):
        self._hidden -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)


def visible_text(html):
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def english_sentences(catalogue):
    """English msgids without placeholders or markup whose Polish differs: none may appear on a Polish page."""
    found = []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple) or message.id == message.string:
            continue
        if message.id in i18n.PANEL_LANGUAGES.values():  # a language picker names each language in itself
            continue
        # Two words or more: a single word ("Shop", "agent") also turns up in the data (shop names, addresses).
        if " " in message.id.strip() and not PLACEHOLDER.search(message.id) and "<" not in message.id:
            found.append(message.id)
    return found


# --- the setting ------------------------------------------------------------------------------------------

def test_it_switches_the_panel_to_polish_from_my_account_and_back(client, viewer):
    client.login(viewer)
    inbox = client.get("/cases").get_data(as_text=True)
    assert '<html lang="en">' in inbox and ">Cases</a>" in inbox and 'href="/account"' in inbox

    response = client.submit("/account", {"language": "pl"}, page="/account")
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<html lang="pl">' in page and "Język panelu zapisany." in page and "<h1>Moje konto</h1>" in page
    assert ">Zgłoszenia</a>" in client.get("/cases").get_data(as_text=True)
    entry = AuditEntry.query.filter_by(action="user.language_set", target_id=viewer.id).one()
    assert entry.details == {"before": "en", "after": "pl"}

    client.submit("/account", {"language": "en"}, page="/account")
    assert '<html lang="en">' in client.get("/cases").get_data(as_text=True)


def test_it_refuses_a_language_the_panel_does_not_have(client, viewer):
    client.login(viewer)
    response = client.submit("/account", {"language": "lv"}, page="/account")
    assert response.status_code == 400 and "Not a valid choice" in response.get_data(as_text=True)
    assert viewer.language == "en"


def test_it_lets_an_owner_choose_a_new_users_language(client, owner, shop_a):
    from crisisdesk.models import User

    client.login(owner)
    response = client.submit("/users", {"email": "ola@crisisdesk.example", "role": "viewer", "language": "pl",
                                        "password": "a long enough password", "shops": shop_a.id}, page="/users")
    assert response.status_code == 302
    assert User.query.filter_by(email="ola@crisisdesk.example").one().language == "pl"


def test_it_follows_the_browser_before_anyone_logs_in(client):
    page = client.get("/login", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"}).get_data(as_text=True)
    assert '<html lang="pl">' in page and "<h1>Zaloguj się</h1>" in page and "Hasło" in page


def test_it_shows_form_errors_and_refusals_in_polish(client, viewer):
    speaks_polish(viewer)
    client.login(viewer)
    response = client.get("/shops/1/settings")
    text = response.get_data(as_text=True)
    assert response.status_code == 403 and "Ta strona wymaga roli: właściciel." in text and "Brak dostępu" in text


# --- every page -------------------------------------------------------------------------------------------

def test_it_renders_every_panel_page_in_polish_with_no_english_left(client, targets, owner):  # noqa: F811
    speaks_polish(owner)
    client.login(owner)
    targets["user_id"] = owner.id
    english = english_sentences(polish_catalogue())
    pages = [(endpoint, rule) for method, endpoint, rule in PANEL_URLS
             if method == "GET" and REQUIRED_ROLE.get((method, endpoint)) and endpoint != "panel.home"]
    assert len(pages) >= 12
    for endpoint, rule in pages:
        response = client.get(fill(rule, targets))
        if response.mimetype != "text/html":  # a download (CSV) has its own test
            continue
        html = response.get_data(as_text=True)
        assert response.status_code == 200, endpoint
        assert '<html lang="pl">' in html and ">Zgłoszenia</a>" in html and ">Wyloguj się</button>" in html, endpoint
        text = re.sub(r"\S+@\S+", "", visible_text(html))  # the personas' addresses (owner@…) are data
        left = [sentence for sentence in english if re.search(rf"(?<![\w-]){re.escape(sentence)}(?![\w-])", text)]
        assert left == [], f"{endpoint}: {left}"


# --- the catalogue ----------------------------------------------------------------------------------------

def test_it_has_a_polish_translation_for_every_marked_string():
    catalogue = polish_catalogue()
    marked = extracted_msgids()
    assert {"Cases", "%(rating)s of 5 stars", "Page %(page)s of %(pages)s"} <= marked  # base, _macros, panel
    missing = []
    for msgid in marked:
        message = catalogue.get(msgid)
        strings = () if message is None else message.string if isinstance(message.string, tuple) else (message.string,)
        if message is None or message.fuzzy or not strings or not all(strings):
            missing.append(msgid)
    assert missing == []
    assert not catalogue.fuzzy


def test_it_keeps_placeholders_identical_between_english_and_polish():
    for message in polish_catalogue():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = sorted(set(PLACEHOLDER.findall(ids[-1])))
        for string in strings:
            assert sorted(set(PLACEHOLDER.findall(string))) == wanted, message.id


def test_it_ships_a_compiled_catalogue_that_matches_the_po_file(tmp_path):
    compiled = io.BytesIO()
    write_mo(compiled, polish_catalogue())
    assert MO.read_bytes() == compiled.getvalue(), "run: .venv/bin/pybabel compile -d translations"


def test_it_uses_polish_plural_forms(app):
    catalogue = polish_catalogue()
    assert catalogue.num_plurals == 3
    assert dict(catalogue.mime_headers)["Plural-Forms"] == \
        "nplurals=3; plural=(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
    with app.test_request_context(), force_locale("pl"):
        tries = {n: ngettext("%(num)d try", "%(num)d tries", n) for n in (1, 2, 5, 22, 25)}
        hours = ngettext("The previous secret keeps working for %(num)d hour so the bridge can be updated without "
                         "losing events.", "The previous secret keeps working for %(num)d hours so the bridge can be "
                         "updated without losing events.", 12)
    assert tries == {1: "1 próba", 2: "2 próby", 5: "5 prób", 22: "22 próby", 25: "25 prób"}
    assert "przez 12 godzin," in hours


# --- formats ----------------------------------------------------------------------------------------------

MOMENT = datetime(2026, 12, 4, 16, 5, tzinfo=timezone.utc)


def test_it_formats_dates_numbers_and_amounts_in_polish(app):
    with app.test_request_context(), force_locale("pl"):
        assert i18n.format_moment(MOMENT) == "04.12.2026 16:05 UTC"
        assert i18n.format_moment(MOMENT, "Europe/Warsaw") == "04.12.2026 17:05 (Europe/Warsaw)"
        assert i18n.format_day(date(2026, 12, 31)) == "31.12.2026"
        assert i18n.format_money(Decimal("1234.50"), "PLN") == "1\u00a0234,50\u00a0zł"
        assert i18n.format_money(Decimal("55"), "EUR") == "55,00\u00a0€"
        assert i18n.format_number(Decimal("12345.5"), 1) == "12\u00a0345,5"
        assert i18n.format_ratio(0.675) == "68%"


def test_it_keeps_the_english_formats_the_panel_always_had(app):
    with app.test_request_context(), force_locale("en"):
        assert i18n.format_moment(MOMENT) == "2026-12-04 16:05 UTC"
        assert i18n.format_moment(MOMENT, "Europe/Warsaw") == "2026-12-04 17:05 (Europe/Warsaw)"
        assert i18n.format_money(Decimal("55"), "PLN") == "55.00 PLN"
        assert i18n.format_number(Decimal("50.00"), 2) == "50.00"
        assert i18n.format_ratio(0.675) == "68%"


@pytest.mark.parametrize("language, expected", [("en", "25.00 PLN"), ("pl", "25,00\u00a0zł")])
def test_it_shows_an_orders_total_in_the_readers_format(client, targets, agent, language, expected):  # noqa: F811
    speaks_polish(agent, language)
    client.login(agent)
    html = client.get(f"/cases/{targets['case_id']}").get_data(as_text=True)
    order = html[html.index('id="order"'):html.index("</section>", html.index('id="order"'))]
    assert expected in order


# --- the case timeline ------------------------------------------------------------------------------------
# Stored in English when each event happens (services/review_cases.add_event), shown in the reader's language
# (web/timeline_texts.py); notes and the customer's words stay exactly as written.

def timeline_entries(html):
    """The text of each timeline entry (after its time and author), newest first."""
    section = html[html.index('aria-labelledby="timeline"'):]
    section = section[:section.index("</section>")]
    return [visible_text(entry.split("<br>", 1)[1]) for entry in re.findall(r"<li[^>]*>(.*?)</li>", section, re.S)]


def shown(app, kind, message, language="pl"):
    from types import SimpleNamespace

    from crisisdesk.web.timeline_texts import event_message

    with app.test_request_context(), force_locale(language):
        return event_message(SimpleNamespace(kind=kind, message=message))


def test_it_shows_a_whole_case_timeline_in_polish_with_no_english_left(client, shop_a, agent):
    from tests import factories
    from crisisdesk.models import Case, Order, Review
    from crisisdesk.services import cases as case_service, formal_complaint, replies
    from crisisdesk.services.users import audit_actor
    from crisisdesk.web.timeline_texts import event_message

    actor = audit_actor(agent)
    factories.deliver(shop_a, "order.created", factories.order(order_id=9101, email="someone@example.com"))
    review = factories.review(rating=1, email="grace@example.com",
                              text="The parcel was late and the kettle arrived broken; refund, please!")
    factories.deliver(shop_a, "review.created", review)
    case = Case.query.join(Case.review).filter(Review.remote_id == review["id"]).one()
    order = Order.query.filter_by(shop_id=shop_a.id, remote_id=9101).one()
    case_service.link_order(agent, case.id, order.id, actor)
    case_service.change_status(agent, case.id, "waiting_for_customer", actor)
    note = "Zadzwoniłem: <b>Status: New → Closed</b> & the customer said “late, again”."
    case_service.add_note(agent, case.id, note, actor)
    case_service.correct_causes(agent, case.id, ["refund_or_payment", "wrong_or_missing_item"], actor)
    replies.send_reply(agent, case.id, actor, "email", "Grace, we are sorry; we will fix it.", "i18n-timeline-reply")
    formal_complaint.mark_formal_complaint(agent, case.id, actor)
    case_service.assign(agent, case.id, agent.id, actor)
    case_service.assign(agent, case.id, None, actor)
    case_service.link_order(agent, case.id, None, actor)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    kinds = {e.kind for e in case.events}
    assert {"opened", "order_linked", "status", "note", "cause", "reply_sent", "email_scheduled", "assigned",
            "formal_complaint"} <= kinds, kinds

    speaks_polish(agent)
    client.login(agent)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    entries = timeline_entries(html)
    assert len(entries) == len(case.events)
    stored = [e.message for e in reversed(case.events)]
    for entry, event in zip(entries, reversed(case.events)):
        if event.kind == "note":
            assert entry == " ".join(note.split())  # as written, not translated
        else:
            assert entry != " ".join(event.message.split()), event.message  # every other sentence in Polish
    english = [s for s in english_sentences(polish_catalogue())]
    text = re.sub(r"\S+@\S+", "", " ".join(e for e, m in zip(entries, stored) if m != note))
    assert [s for s in english if re.search(rf"(?<![\w-]){re.escape(s)}(?![\w-])", text)] == []
    assert "Zgłoszenie otwarte z opinii: ocena 1★ (próg 2★)." in entries[-1]
    assert "Ręcznie powiązane z zamówieniem #" in " ".join(entries)
    assert "Status: Nowe → Czeka na klienta" in entries and "Ręcznie powiązane z zamówieniem #9101" in entries
    assert f"Przypisane do: {agent.display_name}" in entries and "Nieprzypisane" in entries
    assert "Usunięto powiązanie z zamówieniem" in entries
    assert "Odpowiedź napisana, do wysłania e-mailem." in " ".join(entries)
    assert any(e.startswith("Przyczyny ustawione ręcznie: ") for e in entries)
    assert any(e.startswith("Oznaczone jako reklamacja złożona ") for e in entries)
    assert "(na podstawie słów „refund”)" in entries[-1]  # the customer's word, as written
    assert "&lt;b&gt;Status: New → Closed&lt;/b&gt; &amp; the customer said “late, again”." in html  # escaped, kept
    with client.application.test_request_context(), force_locale("en"):
        assert [event_message(e) for e in reversed(case.events)] == stored  # English: exactly as stored


def test_it_translates_cause_labels_that_contain_the_separator(app):
    message = ("Causes set by hand: Refund, return or payment problem, Wrong or missing item / not as described "
               "(main: Refund, return or payment problem)")
    with app.test_request_context(), force_locale("pl"):
        from flask_babel import gettext

        refund = gettext("Refund, return or payment problem")
        wrong = gettext("Wrong or missing item / not as described")
    assert shown(app, "cause", message) == f"Przyczyny ustawione ręcznie: {refund}, {wrong} (główna: {refund})"


def test_it_keeps_the_customers_words_quoted_in_the_detection_as_written(app):
    words = "late; Other (from “x”), paczka „nie” doszła"  # the customer's punctuation, even our separators
    message = (f"Case opened from a review: rated 1★ (threshold 2★). Detected causes: Late or lost delivery "
               f"(from “{words}”); Damaged or defective product (from “broken, smashed”). Language: en.")
    text = shown(app, "opened", message)
    assert text.startswith("Zgłoszenie otwarte z opinii: ocena 1★ (próg 2★). Wykryte przyczyny: ")
    assert f"(na podstawie słów „{words}”)" in text and "(na podstawie słów „broken, smashed”)" in text
    assert text.endswith(". Język: en.") and "Late or lost delivery" not in text


def test_it_keeps_a_rejection_note_and_what_woocommerce_said_as_written(app):
    rejected = shown(app, "compensation_rejected",
                     "Refund of 12.50 PLN (recorded only) rejected. Too much: the customer rejected. Refund of 1 PLN")
    assert rejected == ("Odrzucono rekompensatę: Zwrot 12,50\u00a0zł (tylko zapisany). "
                        "Too much: the customer rejected. Refund of 1 PLN")
    failed = shown(app, "compensation_failed", "Discount code SORRY-10 (10%, until 2026-12-31) failed: WooCommerce "
                   "said “Invalid coupon (code) “SORRY-10”” (woocommerce_rest_invalid). Nothing was paid.")
    assert failed == ("Kod rabatowy SORRY-10 (10%, do 31.12.2026): nie powiodło się, WooCommerce odpowiedział "
                      "„Invalid coupon (code) “SORRY-10”” (woocommerce_rest_invalid). Nic nie zostało wypłacone.")


def test_it_formats_dates_and_times_in_the_message_for_the_reader(app):
    text = shown(app, "formal_complaint", "Marked as a formal complaint (reklamacja) filed 2026-12-04: the answer is "
                                          "due within 14 days, by 2026-12-18 23:59 (Europe/Warsaw).")
    assert text == "Oznaczone jako reklamacja złożona 04.12.2026: odpowiedź należy się w ciągu 14 dni, do " \
                   "18.12.2026 23:59 (Europe/Warsaw)."
    scheduled = shown(app, "email_scheduled", "Follow-up email to grace@example.com scheduled for 2026-12-11 10:00 "
                      "(Europe/Warsaw). It asks whether the fix worked and invites a review update, 7 days after the "
                      "case was resolved.")
    assert scheduled.startswith("Zaplanowano na 11.12.2026 10:00 (Europe/Warsaw): Wiadomość kontrolna do "
                                "grace@example.com. Pyta, czy rozwiązanie pomogło")


def test_it_translates_sla_notices_with_names_kept(app):
    text = shown(app, "sla_overdue", "SLA: first response overdue by 2 d 4 h. Escalation level 2, priority urgent. "
                                     "Alert sent to Ada Lovelace, O'Brien, Jr..")
    assert text == ("SLA: pierwsza odpowiedź: po terminie o 2 d. 4 godz.; poziom eskalacji 2, priorytet: Pilny. "
                    "Alert wysłano do: Ada Lovelace, O'Brien, Jr..")


def test_it_never_translates_a_note_even_one_that_looks_like_an_event(app):
    for kind in ("note", "contact"):
        assert shown(app, kind, "Status: New → Closed") == "Status: New → Closed"


def test_it_shows_an_unknown_message_or_value_as_stored(app):
    assert shown(app, "status", "Status: New → Archived") == "Status: New → Archived"  # no such status label
    assert shown(app, "something_new", "A sentence from a later version.") == "A sentence from a later version."
    assert shown(app, "opened", "Case opened from a review: rated 1★ (threshold 2★). Detected cause: Gremlins. "
                                "Language: en.").startswith("Case opened from a review:")
