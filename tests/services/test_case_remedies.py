"""What was fixed on a case (services/case_remedies.py): recorded apart from the compensation, once per form,
by agents of the case's shop; named in the reply draft's 5P steps; redacted when the customer is erased."""
import uuid

import pytest

from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, CaseRemedy, Compensation
from crisisdesk.services import case_remedies, privacy, replies
from tests.outbox_helpers import timeline
from tests.reply_helpers import actor_of, review_case


def record(user, case, kind="resent_parcel", description="Resent the kettle by DPD.", key=None, status="done"):
    return case_remedies.record(user, case.id, actor_of(user), kind, description, key or uuid.uuid4().hex, status)


def test_it_records_what_was_fixed_apart_from_the_compensation(shop_a, agent, frozen_clock):
    case = review_case(shop_a)
    remedy, created = record(agent, case, description="  Resent the kettle by DPD, tracking 123.\r\n  ")
    help_, _ = record(agent, case, "identity_theft_help", "x" * 1000)  # the longest description allowed
    assert created and (remedy.kind, remedy.step, remedy.status) == ("resent_parcel", "act", "done")
    assert remedy.description == "Resent the kettle by DPD, tracking 123."
    assert (remedy.recorded_by_id, remedy.recorded_at, remedy.done_at) == (agent.id, frozen_clock.now,
                                                                           frozen_clock.now)
    assert (help_.step, help_.shop_id, len(help_.description)) == ("compensate", shop_a.id, 1000)
    assert [r.id for r in case.remedies] == [remedy.id, help_.id] and Compensation.query.count() == 0
    assert timeline(case)[-2:] == [("remedy_recorded", "Recorded as done: Parcel sent again."),
                                   ("remedy_recorded", "Recorded as done: Identity-theft help.")]
    entry = AuditEntry.query.filter_by(action="case.remedy_recorded").first()
    assert (entry.target_type, entry.target_id, entry.shop_id) == ("case", case.id, shop_a.id)
    assert entry.details == {"remedy_id": remedy.id, "remedy": "resent_parcel", "status": "done"}


def test_it_records_a_double_submit_once(shop_a, agent):
    case, other = review_case(shop_a), review_case(shop_a, email="ola@example.com", first="Ola")
    first, created = record(agent, case, key="form-1")
    again, created_again = record(agent, case, "other", "A different text.", key="form-1")
    assert created and not created_again and again.id == first.id and again.kind == "resent_parcel"
    with pytest.raises(Conflict, match="already used for another case"):
        record(agent, other, key="form-1")
    assert CaseRemedy.query.count() == 1 and AuditEntry.query.filter_by(action="case.remedy_recorded").count() == 1
    assert [kind for kind, _ in timeline(case)].count("remedy_recorded") == 1


def test_it_refuses_bad_input_and_records_nothing(shop_a, agent):
    case = review_case(shop_a)
    for kind, description, status, key, field in [("refund", "Money back.", "done", "k1", "kind"),
                                                  ("resent_parcel", " \n ", "done", "k2", "description"),
                                                  ("resent_parcel", "x" * 1001, "done", "k3", "description"),
                                                  ("resent_parcel", "Resent.", "maybe", "k4", "status"),
                                                  ("resent_parcel", "Resent.", "done", "", "idempotency_key"),
                                                  ("resent_parcel", "Resent.", "done", "k" * 65, "idempotency_key")]:
        with pytest.raises(Invalid) as error:
            case_remedies.record(agent, case.id, actor_of(agent), kind, description, key, status)
        assert error.value.field == field
    assert CaseRemedy.query.count() == 0 and "remedy_recorded" not in [kind for kind, _ in timeline(case)]


def test_it_marks_a_planned_remedy_done_once(shop_a, agent, frozen_clock):
    case, other = review_case(shop_a), review_case(shop_a, email="ola@example.com", first="Ola")
    planned, _ = record(agent, case, "process_changed", "Every parcel is weighed before it is sealed.",
                        status="planned")
    assert (planned.step, planned.status, planned.done_at) == ("improve", "planned", None)
    recorded_at = frozen_clock.now
    frozen_clock.advance(days=2)
    case_remedies.mark_done(agent, case.id, planned.id, actor_of(agent))
    case_remedies.mark_done(agent, case.id, planned.id, actor_of(agent))  # a second click changes nothing
    assert (planned.status, planned.done_at, planned.recorded_at) == ("done", frozen_clock.now, recorded_at)
    assert timeline(case)[-2:] == [("remedy_recorded", "Recorded as planned: Process changed."),
                                   ("remedy_done", "Marked as done: Process changed.")]
    assert AuditEntry.query.filter_by(action="case.remedy_done").count() == 1
    with pytest.raises(NotFound):
        case_remedies.mark_done(agent, other.id, planned.id, actor_of(agent))  # not that case's remedy


def test_only_agents_of_the_cases_shop_record_or_mark_remedies(shop_a, agent, viewer, outsider):
    case = review_case(shop_a)
    planned, _ = record(agent, case, status="planned")
    with pytest.raises(Forbidden):
        record(viewer, case)
    with pytest.raises(NotFound):
        record(outsider, case)
    with pytest.raises(NotFound):
        case_remedies.mark_done(outsider, case.id, planned.id, actor_of(outsider))
    db.session.expire_all()
    assert CaseRemedy.query.count() == 1 and db.session.get(CaseRemedy, planned.id).status == "planned"


def test_the_reply_draft_names_the_remedies_in_their_5p_steps(shop_a, agent):
    case = review_case(shop_a)
    plain = replies.draft_for(agent, case.id, "email").text
    record(agent, case, description="Sent the kettle again, DPD 123.")
    record(agent, case, "process_changed", "Sturdier boxes.", status="planned")
    record(agent, case, "identity_theft_help", "BIK alert set up with Anna.")
    record(agent, case, "other", "Called Anna.")
    draft = replies.draft_for(agent, case.id, "email").text  # the case's language: Polish
    paragraphs = draft.split("\n\n")  # greeting, apology and admission, act and improve, amends, closing, …
    assert "Co już dla Ciebie zrobiliśmy: ponowna wysyłka Twojej paczki." in paragraphs[2]
    assert "Żeby to się nie powtórzyło: zmiana sposobu, w jaki pracujemy." in paragraphs[2]
    assert paragraphs[3].endswith(" Oferujemy Ci też: pomoc, gdyby ktoś próbował wykorzystać Twoje dane.")
    assert "DPD" not in draft and "Sturdier" not in draft and "BIK" not in draft and "Called" not in draft
    assert "Co już dla Ciebie" not in plain
    public = replies.draft_for(agent, case.id, "public", language="en").text
    assert "Already done for you: a new shipment of your parcel." in public
    assert "So that it does not happen again: a change in how we work." in public


def test_erasing_the_customer_redacts_the_descriptions_and_keeps_the_rest(shop_a, agent):
    case, other = review_case(shop_a), review_case(shop_a, email="ola@example.com", first="Ola", last="Nowak")
    remedy, _ = record(agent, case, "extra_support", "Called Anna Kowalska; anna@example.com gets a guide.")
    kept, _ = record(agent, other, "extra_support", "Called Ola Nowak.")
    result = privacy.erase(shop_a, "anna@example.com")
    db.session.expire_all()
    remedy, kept = db.session.get(CaseRemedy, remedy.id), db.session.get(CaseRemedy, kept.id)
    assert remedy.description == "Called [erased]; [erased] gets a guide."
    assert (remedy.kind, remedy.status, remedy.case_id) == ("extra_support", "done", case.id)
    assert kept.description == "Called Ola Nowak."
    assert "1 remedy" in result["messages"][0]
