"""The incident rules (domain/incidents.py) and prepared texts (domain/incident_texts.py), pure."""
from datetime import datetime, timedelta, timezone

import pytest

from crisisdesk.domain import incidents as rules
from crisisdesk.domain.causes import CAUSE_NAMES
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.incident_texts import FRAME, TEMPLATES, template_for

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=timezone.utc)


def test_phases_go_forward_relapse_from_rebuilding_and_close_from_any_open_phase():
    assert rules.checked_phase_change("recognised", "reacting") == "reacting"
    assert rules.checked_phase_change("reacting", "rebuilding") == "rebuilding"
    assert rules.checked_phase_change("rebuilding", "reacting") == "reacting"
    assert all(rules.can_transition(phase, "closed") for phase in rules.OPEN_PHASES)
    with pytest.raises(Conflict, match="cannot go from Recognised to Rebuilding"):
        rules.checked_phase_change("recognised", "rebuilding")
    with pytest.raises(Invalid, match="retrospective"):
        rules.checked_phase_change("reacting", "closed")  # closing asks for the retrospective
    with pytest.raises(Conflict, match="closed"):
        rules.checked_phase_change("closed", "reacting")
    with pytest.raises(Invalid):
        rules.checked_phase_change("reacting", "panicking")


def test_closing_needs_every_retrospective_answer():
    answers = {"what_happened": " The courier lost parcels. ", "what_worked": "Daily updates.",
               "what_to_change": "A second courier."}
    assert rules.checked_retrospective(answers)["what_happened"] == "The courier lost parcels."
    with pytest.raises(Invalid) as missing:
        rules.checked_retrospective({**answers, "what_worked": "  "})
    assert missing.value.field == "what_worked"


def test_the_cadence_has_bounds_and_the_next_update_follows_it():
    assert rules.checked_cadence(72) == 72
    for wrong in (11, 169, "72", True):
        with pytest.raises(Invalid):
            rules.checked_cadence(wrong)
    assert rules.next_update_due(NOW, 72) == NOW + timedelta(hours=72)
    assert rules.first_update_due(NOW, 24) == NOW + timedelta(hours=24)
    assert not rules.update_due("reacting", NOW + timedelta(seconds=1), NOW)
    assert rules.update_due("reacting", NOW, NOW)
    assert not rules.update_due("closed", NOW - timedelta(days=1), NOW)


def test_an_update_with_a_bracketed_part_left_is_refused():
    assert rules.checked_update_text(" Parcels are late. ", "text_en") == "Parcels are late."
    with pytest.raises(Invalid) as left:
        rules.checked_update_text("Since [date] parcels are late.", "text_pl")
    assert (left.value.message, left.value.field) == ("fill in or remove the parts in [brackets]", "text_pl")
    with pytest.raises(Invalid):
        rules.checked_update_text("", "text_en")


def test_suggestions_share_the_cause_and_the_product_when_one_is_named():
    assert rules.matches(["damaged_or_defective", "late_delivery"], 7, "late_delivery", None)  # not the main cause
    assert rules.matches(["late_delivery"], 7, "late_delivery", 7)
    assert not rules.matches(["late_delivery"], 8, "late_delivery", 7)
    assert not rules.matches(["other"], 7, "late_delivery", None)
    assert rules.suggestion_since(NOW - timedelta(days=2), NOW) == NOW - timedelta(days=9)
    assert rules.suggestion_since(None, NOW) == NOW - timedelta(days=7)


def test_each_address_gets_one_email_and_the_erased_or_unknown_none():
    people = rules.recipients([
        rules.Candidate(9, "Grace@Example.com", "en"), rules.Candidate(4, "grace@example.com", "en"),
        rules.Candidate(5, "", "pl"), rules.Candidate(6, "x1@invalid", "pl"),
        rules.Candidate(7, "ola@example.pl", "pl"),
    ])
    assert people == [rules.Recipient(4, "grace@example.com", "en", (4, 9)),
                      rules.Recipient(7, "ola@example.pl", "pl", (7,))]


def test_the_keys_name_the_incident_update_and_case_or_due_time():
    assert rules.update_key(3, 2, 41) == "incident:3:update:2:case:41"
    assert rules.parse_update_key("incident:3:update:2:case:41") == (3, 2, 41)
    key = rules.reminder_key(3, NOW, 5)
    assert key == "incident:3:reminder:20261122T120000:u5" and rules.parse_reminder_key(key) == (3, NOW)


def test_every_cause_has_a_prepared_update_in_each_language_with_the_cadence():
    for cause in CAUSE_NAMES:
        for language in FRAME:
            text = template_for(cause, language, 48)
            assert "48" in text and "[" in text  # the cadence filled in; parts only the agent can fill
    assert set(TEMPLATES["security_or_fraud"]) == set(FRAME) == {"en", "pl", "lv"}


def test_the_security_update_covers_the_playbook():
    text = template_for("security_or_fraud", "en", 72)
    for step in ("What happened", "What we have done", "What you should do", "The support you get",
                 "identity theft"):
        assert step in text
    assert rules.has_playbook("security_or_fraud") and not rules.has_playbook("late_delivery")
    assert list(rules.SECURITY_CHECKLIST) == ["told_quickly", "what_happened", "what_was_done", "what_to_do",
                                              "support"]
