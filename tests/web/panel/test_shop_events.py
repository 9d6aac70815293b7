"""The owner's view of received events: what arrived, what was applied, what failed and why."""
from crisisdesk.extensions import db
from crisisdesk.models import InboundEvent
from tests import factories


def test_it_lists_received_events_with_their_outcome(login_as, shop_a):
    factories.deliver(shop_a, "review.created", factories.review(rating=1, text="Zepsuty czajnik"))
    client = login_as("owner")
    page = client.get(f"/shops/{shop_a.id}/events").get_data(as_text=True)
    assert "review.created" in page and "applied" in page


def test_it_filters_failed_events_and_shows_the_error(login_as, shop_a):
    factories.deliver(shop_a, "order.created", factories.order())
    event = InboundEvent.query.one()
    event.outcome, event.error = "failed", "parser rejected data.status"
    db.session.commit()
    client = login_as("owner")
    failed = client.get(f"/shops/{shop_a.id}/events?outcome=failed").get_data(as_text=True)
    applied = client.get(f"/shops/{shop_a.id}/events?outcome=applied").get_data(as_text=True)
    assert "parser rejected data.status" in failed
    assert "order.created" not in applied


def test_it_is_for_owners_only(login_as, shop_a):
    client = login_as("agent")
    assert client.get(f"/shops/{shop_a.id}/events").status_code == 403
