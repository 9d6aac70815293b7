"""Broadcast updates (services/incident_broadcasts.py) through the real outbox, Redis (RQ's worker) and an SMTP
server: one personal email per affected customer in their language, exactly once however often it is sent or
the jobs run, nobody who opted out or was erased, and the owner reminded when the next update is due."""
from datetime import timedelta
from decimal import Decimal

import pytest

from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, CaseEvent, Incident, OutboxEmail
from crisisdesk.services import incident_broadcasts, incidents, outbox, privacy
from tests.incident_helpers import actor_of, affected_case, affected_cases, compensate, courier_failure

TEXTS = {"en": "What happened: the courier lost parcels.\n\nWhat we are doing: tracing each one.",
         "pl": "Co się stało: kurier zgubił paczki.\n\nCo robimy: śledzimy każdą.",
         "lv": "Kas notika: kurjers pazaudēja sūtījumus."}
POLISH = "Kurier zgubił moją paczkę, spóźnienie to już dwa tygodnie i nikt nie odpowiada."


def open_for(user, shop, cases, **kwargs):
    incident, _ = incidents.open_incident(user, shop.id, actor_of(user), "Courier failure", "late_delivery",
                                          case_ids=[c.id for c in cases], **kwargs)
    return incident


def update_rows(incident, number=None):
    db.session.expire_all()
    prefix = f"incident:{incident.id}:update:{number or ''}"
    return (OutboxEmail.query.filter(OutboxEmail.idempotency_key.like(prefix + "%"))
            .order_by(OutboxEmail.id).all())


def received_by(smtp_server):
    return {m.rcpt_tos[0]: m.message for m in smtp_server.messages}


def test_each_customer_gets_one_personal_email_in_their_language_with_the_remedy_that_applies(
        app, shop_a, agent, smtp_server, run_jobs, frozen_clock):
    anna, ben = courier_failure(shop_a, 2)  # English reviews; Anna was refunded
    compensate(anna, "coupon", state="failed", amount=Decimal("10"), value=Decimal("10"), coupon_type="percent")
    compensate(anna, "refund", amount=Decimal("25.00"), value=Decimal("25.00"))
    ola, ola_again = affected_cases(shop_a, [3, 4], text=POLISH, email="ola@example.pl", name="Ola")
    ewa = affected_case(shop_a, 5, with_order=False)
    ewa.customer.language = "lv"
    db.session.commit()
    incident = open_for(agent, shop_a, [anna, ben, ola, ola_again, ewa])

    update, created = incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, TEXTS)
    assert created and update.recipients == 4 and update.texts == TEXTS
    run_jobs()

    mail = received_by(smtp_server)
    assert sorted(mail) == ["customer1@example.com", "customer2@example.com", "customer5@example.com",
                            "ola@example.pl"]  # Ola's two cases: one email
    text = mail["customer1@example.com"].get_body(("plain",)).get_content()
    assert mail["customer1@example.com"]["Subject"] == f"Shop A: an update about your order #{anna.order.number}"
    assert text.startswith("Hello Anna,\n")
    assert f"your order #{anna.order.number}" in text and "(update 1)" in text
    assert "What happened: the courier lost parcels.\n\nWhat we are doing: tracing each one." in text
    assert "- We refunded" in text and "25" in text and "compensation" not in text
    ben_text = mail["customer2@example.com"].get_body(("plain",)).get_content()
    assert "- We will contact you separately about compensation for the trouble." in ben_text
    polish = mail["ola@example.pl"]
    assert polish["Subject"] == f"Shop A: informacja o Twoim zamówieniu nr {ola.order.number}"
    assert "Dzień dobry Ola," in polish.get_body(("plain",)).get_content()
    assert "Co się stało: kurier zgubił paczki." in polish.get_body(("html",)).get_content()
    latvian = mail["customer5@example.com"]
    assert latvian["Subject"] == "Shop A: svarīga informācija" and latvian["Content-Language"] == "lv"
    assert "Labdien, Ewa!" in latvian.get_body(("plain",)).get_content()
    assert "Kas notika: kurjers pazaudēja sūtījumus." in latvian.get_body(("plain",)).get_content()
    assert latvian["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert incident_broadcasts.progress(incident) == {1: {"scheduled": 0, "sending": 0, "sent": 4, "failed": 0,
                                                          "cancelled": 0}}
    assert db.session.get(Incident, incident.id).next_update_due_at == frozen_clock.now + timedelta(hours=72)
    messages = [e.message for e in CaseEvent.query.filter_by(case_id=ola_again.id).order_by(CaseEvent.id)]
    assert f"Incident #{incident.id}: update 1 sent to everyone affected." in messages
    assert AuditEntry.query.filter_by(action="incident.update_sent").one().details == {
        "number": 1, "recipients": 4, "languages": ["en", "lv", "pl"]}


def test_a_double_submit_a_retry_and_a_second_job_run_send_each_email_once(app, shop_a, agent, smtp_server,
                                                                          run_jobs, frozen_clock):
    incident = open_for(agent, shop_a, courier_failure(shop_a, 3))
    first, created = incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, TEXTS)
    again, created_again = incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1,
                                                           {"en": "A different text."})
    assert created and not created_again and again.id == first.id and again.texts["en"] == TEXTS["en"]
    # A request that died after recording the update: its retry writes the rows that were missing.
    db.session.delete(update_rows(incident)[-1])
    db.session.commit()
    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, TEXTS)
    run_jobs()
    for row in update_rows(incident):
        outbox.send(row.id)  # a duplicate job for each row
    run_jobs()
    assert len(update_rows(incident)) == 3 and len(smtp_server.messages) == 3
    with pytest.raises(Conflict, match="another update was sent meanwhile"):
        incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 3, TEXTS)


def test_nobody_who_opted_out_or_was_erased_gets_it(app, shop_a, agent, smtp_server, run_jobs, frozen_clock):
    kept, opted_out, erased = courier_failure(shop_a, 3)
    outbox.suppress(shop_a.id, "customer2@example.com", "unsubscribed")
    privacy.erase(shop_a, "customer3@example.com")
    incident = open_for(agent, shop_a, [kept, opted_out, erased])

    update, _ = incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, TEXTS)
    run_jobs()

    assert update.recipients == 2  # the erased customer has no address left
    assert [m.rcpt_tos for m in smtp_server.messages] == [["customer1@example.com"]]
    assert [(r.to_email, r.status, r.status_note) for r in update_rows(incident)] == [
        ("customer1@example.com", "sent", None), ("customer2@example.com", "cancelled", "unsubscribed")]
    assert incident_broadcasts.progress(incident)[1]["cancelled"] == 1


def test_every_language_of_its_customers_needs_an_approved_text_without_brackets(shop_a, agent, frozen_clock):
    english = courier_failure(shop_a, 1)
    polish = affected_case(shop_a, 2, text=POLISH)
    incident = open_for(agent, shop_a, english + [polish])
    with pytest.raises(Invalid) as missing:
        incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, {"en": TEXTS["en"]})
    assert missing.value.field == "text_pl"
    with pytest.raises(Invalid, match=r"\[brackets\]"):
        incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1,
                                        {**TEXTS, "en": incident_broadcasts.drafts(incident, ["en"])["en"]})
    assert incident.updates == [] and OutboxEmail.query.filter_by(kind="incident_update").count() == 0
    [sample] = [p for p in incident_broadcasts.preview(agent, incident.id, TEXTS) if p.language == "pl"]
    assert sample.to_email == "customer2@example.com" and "Co się stało" in sample.email.text


def test_the_owner_is_reminded_72_hours_after_an_update_and_the_next_update_is_a_new_round(
        app, shop_a, owner, agent, smtp_server, run_jobs, frozen_clock):
    incident = open_for(agent, shop_a, courier_failure(shop_a, 2), owner_id=agent.id)
    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, TEXTS)
    run_jobs()
    sent_at = frozen_clock.now

    frozen_clock.advance(hours=71, minutes=59)
    assert incident_broadcasts.remind_due() == 0
    frozen_clock.advance(minutes=1)
    assert incident_broadcasts.remind_due() == 1 and incident_broadcasts.remind_due() == 1  # one email all the same
    run_jobs()
    [reminder] = [m for m in smtp_server.messages if m.rcpt_tos == [agent.email]]
    assert reminder.message["Subject"] == f"[Update due] Incident #{incident.id}: Courier failure (Shop A)"
    body = reminder.message.get_body(("plain",)).get_content()
    assert f"/incidents/{incident.id}/update" in body and reminder.message["List-Unsubscribe"] is None
    assert OutboxEmail.query.filter_by(kind="incident_reminder").one().idempotency_key == (
        f"incident:{incident.id}:reminder:{(sent_at + timedelta(hours=72)):%Y%m%dT%H%M%S}:u{agent.id}")

    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 2, TEXTS)
    run_jobs()
    assert [r.status for r in update_rows(incident, 2)] == ["sent", "sent"]
    assert len([m for m in smtp_server.messages if m.rcpt_tos != [agent.email]]) == 4
    assert db.session.get(Incident, incident.id).next_update_due_at == frozen_clock.now + timedelta(hours=72)
    assert incident_broadcasts.remind_due() == 0

    incidents.close(agent, incident.id, actor_of(agent), {"what_happened": "a", "what_worked": "b",
                                                         "what_to_change": "c"})
    frozen_clock.advance(days=30)
    assert incident_broadcasts.remind_due() == 0
    with pytest.raises(Conflict, match="closed"):
        incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 3, TEXTS)


def test_a_reminder_is_dropped_when_the_update_goes_out_first(app, shop_a, agent, smtp_server, run_jobs,
                                                               frozen_clock):
    incident = open_for(agent, shop_a, courier_failure(shop_a, 1))  # no owner: the shop's owners are reminded
    frozen_clock.advance(hours=shop_a.first_response_hours)
    from tests import factories

    factories.make_user("boss@crisisdesk.example", "owner")
    assert incident_broadcasts.remind_due() == 1
    incident_broadcasts.send_update(agent, incident.id, actor_of(agent), 1, TEXTS)
    run_jobs()
    [row] = OutboxEmail.query.filter_by(kind="incident_reminder").all()
    assert (row.to_email, row.status, row.status_note) == ("boss@crisisdesk.example", "cancelled",
                                                           "an update was sent since")
    assert [m.rcpt_tos for m in smtp_server.messages] == [["customer1@example.com"]]
