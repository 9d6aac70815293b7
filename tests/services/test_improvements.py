"""The improvement log (services/improvements.py) and its effect (services/improvement_effect.py) on a known data set.

Shop A; the clock stands at 2026-11-22 12:00 UTC. The improvement took effect on 2026-11-02 (20 whole days ago),
for the cause late_delivery and the product Kettle (10). With a 30-day window both windows are 20 days long:
before 2026-10-13 – 11-01, after 11-02 – 11-21 (today, 11-22, is not over, so it is not counted).
  reviews (rating, written, product, main cause of its case):
    r0 1★ 10-12 Kettle late      (before the before-window)
    r7 2★ 10-14 Kettle other     r1 1★ 10-15 Lamp late        r2 2★ 10-20 Kettle damaged
    r3 1★ 10-25 Kettle late      r4 1★ 10-30 Lamp damaged     r5 5★ 10-31 Kettle
    r6 1★ 11-01 Kettle, spam     (left out everywhere)
    a1 2★ 11-02 00:30 Kettle damaged   a2 1★ 11-10 Lamp damaged   a3 4★ 11-12 Lamp
    a4 1★ 11-22 10:00 Kettle late      (today: not counted)
  a complaint entered by hand (late_delivery), opened 11-05; orders placed 10-20, 11-05 and 11-06.
Shop B: a 1★ review of its own Kettle, case late_delivery, on 10-20 (never counted for shop A).
"""
from datetime import date

import pytest

from crisisdesk.domain.errors import Conflict, Forbidden, Invalid, NotFound
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Improvement, Product
from crisisdesk.services import improvements as service
from crisisdesk.services.improvement_effect import effect
from crisisdesk.services.improvements import ImprovementInput
from tests import factories
from tests.reply_helpers import actor_of, manual_case, review_case
from tests.services.test_dashboard import at, case_for, review

TODAY = date(2026, 11, 22)


def entered(**changes):
    values = dict(title="Faster courier", area="logistics", description="We moved to a faster courier.",
                  made_on=date(2026, 11, 2), causes=["late_delivery"], product_ids=[], case_numbers="",
                  public_note="")
    return ImprovementInput(**{**values, **changes})


def kettle(shop):
    return Product.query.filter_by(shop_id=shop.id, remote_id=10).one()


@pytest.fixture
def data_set(frozen_clock, shop_a, shop_b, agent):
    cases = {
        "r0": case_for(shop_a, 1, at(10, 12), 10, "late_delivery"),
        "r7": case_for(shop_a, 2, at(10, 14), 10, "other"),
        "r1": case_for(shop_a, 1, at(10, 15), 11, "late_delivery"),
        "r2": case_for(shop_a, 2, at(10, 20), 10, "damaged_or_defective"),
        "r3": case_for(shop_a, 1, at(10, 25), 10, "late_delivery"),
        "r4": case_for(shop_a, 1, at(10, 30), 11, "damaged_or_defective"),
        "a1": case_for(shop_a, 2, at(11, 2, 0), 10, "damaged_or_defective"),
        "a2": case_for(shop_a, 1, at(11, 10), 11, "damaged_or_defective"),
        "a4": case_for(shop_a, 1, at(11, 22), 10, "late_delivery"),
        "b1": case_for(shop_b, 1, at(10, 20), 10, "late_delivery"),
    }
    review(shop_a, 5, at(10, 31), 10, text="Lovely, thank you!")
    review(shop_a, 4, at(11, 12), 11, text="Nice, works well.")
    spam = review(shop_a, 1, at(11, 1, 23), 10)
    spam.status = "spam"
    manual = manual_case(shop_a, agent)
    manual.cause, manual.causes, manual.opened_at = "late_delivery", ["late_delivery"], at(11, 5)
    for day in (at(10, 20), at(11, 5), at(11, 6)):
        factories.deliver(shop_a, "order.created", factories.order(created_at=day))
    db.session.commit()
    return cases


def test_it_counts_negative_reviews_cases_and_context_in_equal_windows(data_set, shop_a, agent):
    improvement = service.create_improvement(agent, shop_a.id, actor_of(agent),
                                             entered(product_ids=[kettle(shop_a).id]))
    found = effect(improvement, TODAY, 30)
    assert (found.spans.before.start, found.spans.before.end) == (date(2026, 10, 13), date(2026, 11, 1))
    assert (found.spans.after.start, found.spans.after.end) == (date(2026, 11, 2), date(2026, 11, 21))
    assert found.spans.days == 20 and found.spans.elapsed_days == 20
    counts = {row.key: (row.change.before, row.change.after) for row in found.rows}
    assert counts == {"negative": (4, 1),  # r7, r1, r2, r3 (r3 matches twice, counted once) | a1
                      "cases": (2, 1),  # r1, r3 | the hand-entered complaint
                      "product_reviews": (4, 1),  # r7, r2, r3, r5 (not the spam) | a1
                      "reviews": (6, 3),  # r7, r1, r2, r3, r4, r5 | a1, a2, a3
                      "orders": (1, 2)}
    assert [row.key for row in found.rows][0] == "negative"
    assert found.negative.difference == -3 and found.negative.percent == -75.0
    assert found.verdict == "fewer"


def test_it_counts_by_cause_alone_or_by_product_alone(data_set, shop_a, agent):
    by_cause = service.create_improvement(agent, shop_a.id, actor_of(agent), entered())
    by_product = service.create_improvement(agent, shop_a.id, actor_of(agent),
                                            entered(causes=[], product_ids=[kettle(shop_a).id]))
    cause_rows = {row.key: (row.change.before, row.change.after) for row in effect(by_cause, TODAY, 30).rows}
    assert cause_rows["negative"] == (2, 0) and "product_reviews" not in cause_rows  # r1, r3 | (a4 is today)
    assert effect(by_cause, TODAY, 30).verdict == "too_few"  # 2 + 0 < 5
    product_rows = {row.key: (row.change.before, row.change.after) for row in effect(by_product, TODAY, 30).rows}
    assert product_rows["negative"] == (3, 1) and "cases" not in product_rows  # r7, r2, r3 | a1


def test_it_shortens_both_windows_to_the_days_that_have_passed_and_waits_a_week(data_set, shop_a, agent):
    improvement = service.create_improvement(agent, shop_a.id, actor_of(agent),
                                             entered(made_on=date(2026, 11, 18), product_ids=[kettle(shop_a).id]))
    found = effect(improvement, TODAY, 90)
    assert (found.spans.before.start, found.spans.after.end, found.spans.days) == (date(2026, 11, 14),
                                                                                    date(2026, 11, 21), 4)
    assert found.verdict == "too_early"
    today = service.update_improvement(agent, improvement.id, actor_of(agent),
                                       entered(made_on=TODAY, product_ids=[kettle(shop_a).id]))
    assert effect(today, TODAY, 30).spans is None and effect(today, TODAY, 30).rows == []


def test_it_logs_an_improvement_with_its_links_and_audits_it(shop_a, agent, frozen_clock):
    case = review_case(shop_a)
    improvement = service.create_improvement(agent, shop_a.id, actor_of(agent), entered(
        title="  Sturdier   boxes ", causes=["damaged_or_defective", "late_delivery", "damaged_or_defective"],
        product_ids=[case.product_id], case_numbers=f"#{case.id}, {case.id}", public_note="Sturdier boxes now."))
    db.session.expire_all()
    saved = db.session.get(Improvement, improvement.id)
    assert (saved.title, saved.causes, saved.created_by) == ("Sturdier boxes", ["damaged_or_defective",
                                                                                "late_delivery"], agent.id)
    assert [p.id for p in saved.products] == [case.product_id] and [c.id for c in saved.cases] == [case.id]
    assert saved.public_note == "Sturdier boxes now." and not saved.is_published
    assert [i.id for i in db.session.get(type(case), case.id).improvements] == [saved.id]
    entry = AuditEntry.query.filter_by(action="improvement.created").one()
    assert entry.shop_id == shop_a.id and entry.target_id == saved.id
    assert entry.details["case_ids"] == [case.id] and entry.details["product_ids"] == [case.product_id]

    service.update_improvement(agent, saved.id, actor_of(agent), entered(title="Sturdier boxes",
                                                                        causes=["damaged_or_defective"]))
    entry = AuditEntry.query.filter_by(action="improvement.updated").one()
    assert entry.details["changed"] == ["case_ids", "causes", "product_ids", "public_note"]
    assert entry.details["causes"] == ["damaged_or_defective"] and entry.details["case_ids"] == []


def test_it_publishes_and_withdraws_the_note_once_each(shop_a, agent, frozen_clock):
    improvement = service.create_improvement(agent, shop_a.id, actor_of(agent), entered())
    with pytest.raises(Conflict, match="write a public note before publishing it"):
        service.publish(agent, improvement.id, actor_of(agent))
    service.update_improvement(agent, improvement.id, actor_of(agent), entered(public_note="Faster parcels."))
    service.publish(agent, improvement.id, actor_of(agent))
    service.publish(agent, improvement.id, actor_of(agent))  # a second click changes nothing
    assert improvement.published_at == frozen_clock.now
    with pytest.raises(Invalid, match="withdraw the published note before emptying it"):
        service.update_improvement(agent, improvement.id, actor_of(agent), entered(public_note=" "))
    assert service.published_notes(shop_a.id) == (shop_a, [improvement])
    service.withdraw(agent, improvement.id, actor_of(agent))
    assert improvement.published_at is None and service.published_notes(shop_a.id) is None
    actions = [e.action for e in AuditEntry.query.filter(AuditEntry.action.like("improvement.%")).order_by(AuditEntry.id)]
    assert actions == ["improvement.created", "improvement.updated", "improvement.published",
                       "improvement.withdrawn"]


@pytest.mark.parametrize("changes, field, message", [
    ({"title": "  "}, "title", "give the change a title"),
    ({"title": "x" * 201}, "title", "the title is longer than 200 characters"),
    ({"area": "marketing"}, "area", "choose one of the areas"),
    ({"description": ""}, "description", "describe what changed"),
    ({"made_on": None}, "made_on", "give the day the change took effect"),
    ({"made_on": date(2026, 11, 23)}, "made_on", "log a change once it has taken effect: the day is in the future"),
    ({"causes": ["gremlins"]}, "causes", "choose causes from the list"),
    ({"causes": []}, "causes", "choose at least one cause or product, so that the effect can be measured"),
    ({"case_numbers": "12, twelve"}, "cases", "not a case number: twelve"),
    ({"case_numbers": " ".join(str(n) for n in range(1, 52))}, "cases", "link at most 50 cases"),
    ({"public_note": "x" * 501}, "public_note", "the public note is longer than 500 characters"),
    ({"public_note": "Write to anna@example.com"}, "public_note", "a public note must not contain an email address"),
    ({"public_note": "Call +48 600 100 200"}, "public_note", "a public note must not contain a phone number"),
])
def test_it_refuses_a_form_that_breaks_a_rule_and_saves_nothing(shop_a, agent, frozen_clock, changes, field,
                                                                message):
    with pytest.raises(Invalid) as error:
        service.create_improvement(agent, shop_a.id, actor_of(agent), entered(**changes))
    assert (error.value.field, error.value.message) == (field, message)
    assert Improvement.query.count() == 0 and AuditEntry.query.filter_by(action="improvement.created").count() == 0


def test_it_refuses_a_public_note_that_names_a_linked_cases_customer(shop_a, agent, frozen_clock):
    case = review_case(shop_a, first="Anna", last="Kowalska")
    with pytest.raises(Invalid, match="a public note must not name a customer"):
        service.create_improvement(agent, shop_a.id, actor_of(agent),
                                   entered(case_numbers=str(case.id), public_note="Thanks to kowalska we fixed it."))
    created = service.create_improvement(agent, shop_a.id, actor_of(agent),
                                         entered(case_numbers=str(case.id), public_note="Thanks to you we fixed it."))
    assert created.public_note == "Thanks to you we fixed it."


def test_it_links_only_cases_and_products_of_the_improvements_shop(shop_a, shop_b, agent, owner, frozen_clock):
    own = review_case(shop_a)
    other = review_case(shop_b, email="bob@example.com")
    for changes, field, message in [({"case_numbers": f"{own.id}, {other.id}"}, "cases", f"no case #{other.id} in "
                                     "this shop"),
                                    ({"case_numbers": "999999"}, "cases", "no case #999999 in this shop"),
                                    ({"product_ids": [other.product_id]}, "products", "choose products of this shop")]:
        with pytest.raises(Invalid) as error:
            service.create_improvement(owner, shop_a.id, actor_of(owner), entered(**changes))
        assert (error.value.field, error.value.message) == (field, message)
    assert Improvement.query.count() == 0


def test_it_hides_another_shops_improvements_and_lets_only_agents_write(shop_a, shop_b, agent, viewer, outsider,
                                                                        frozen_clock):
    improvement = service.create_improvement(agent, shop_a.id, actor_of(agent), entered())
    with pytest.raises(NotFound):
        service.get_improvement(outsider, improvement.id)
    with pytest.raises(NotFound):
        service.create_improvement(outsider, shop_a.id, actor_of(outsider), entered())
    with pytest.raises(NotFound):
        service.publish(outsider, improvement.id, actor_of(outsider))
    assert service.list_improvements(outsider) == [] and service.list_improvements(viewer) == [improvement]
    with pytest.raises(NotFound):
        service.list_improvements(outsider, shop_a.id)
    with pytest.raises(Forbidden):
        service.update_improvement(viewer, improvement.id, actor_of(viewer), entered(title="Viewer's title"))
    assert db.session.get(Improvement, improvement.id).title == "Faster courier"


def test_it_offers_the_products_people_talk_about_in_the_users_shops(shop_a, shop_b, agent, frozen_clock):
    review_case(shop_a)  # a Kettle with a review and a case
    silent = Product(shop_id=shop_a.id, remote_id=77, name="Unreviewed mug")
    db.session.add(silent)
    review_case(shop_b, email="bob@example.com", product="Shop B kettle")
    db.session.commit()
    assert [p.name for p in service.product_choices(agent)] == ["Czajnik Lab 1,7 l"]
    assert [p.name for p in service.product_choices(agent, shop_a.id, keep=[silent.id])] == ["Czajnik Lab 1,7 l",
                                                                                              "Unreviewed mug"]


def test_it_finds_no_public_page_for_a_shop_that_published_nothing(shop_a, agent, frozen_clock):
    service.create_improvement(agent, shop_a.id, actor_of(agent), entered(public_note="Not yet."))
    assert service.published_notes(shop_a.id) is None and service.published_notes(999_999) is None


def test_it_redacts_the_customer_from_the_improvements_their_case_prompted_when_they_are_erased(shop_a, agent,
                                                                                               frozen_clock):
    from crisisdesk.services import privacy

    case = review_case(shop_a, first="Anna", last="Kowalska")
    improvement = service.create_improvement(agent, shop_a.id, actor_of(agent), entered(
        case_numbers=str(case.id), description="Anna Kowalska waited three weeks; we changed couriers.",
        public_note="Parcels now leave the same day."))
    result = privacy.erase(shop_a, "anna@example.com")
    db.session.expire_all()
    kept = db.session.get(Improvement, improvement.id)
    assert kept.description == "[erased] waited three weeks; we changed couriers."  # the full name, whole
    assert kept.public_note == "Parcels now leave the same day." and [c.id for c in kept.cases] == [case.id]
    assert "1 improvement" in result["messages"][0]
