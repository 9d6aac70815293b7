"""Shared set-up for the public email-link pages: a resolved case with its recovery, and links to it."""
from contextlib import contextmanager

import pytest
from itsdangerous import TimestampSigner

from crisisdesk.domain.actor import Actor
from crisisdesk.extensions import db
from crisisdesk.models import Case
from crisisdesk.services import cases as case_service
from tests import factories

POLISH_REVIEW = "Czajnik przyszedł pęknięty i przecieka, jestem bardzo rozczarowana tym zakupem."


def resolved_case(shop, agent, email="grace@example.com", text=POLISH_REVIEW, rating=1):
    """A case opened by a bad review through the real ingest path, then resolved by the agent."""
    factories.deliver(shop, "order.created", factories.order(email=email))
    factories.deliver(shop, "review.created", factories.review(rating=rating, email=email, text=text))
    case = Case.query.filter_by(shop_id=shop.id).order_by(Case.id.desc()).first()
    case_service.change_status(agent, case.id, "resolved", Actor(label=agent.email, user_id=agent.id))
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.recovery is not None, "resolving a case starts its recovery"
    return case


def path_of(url):
    """The path of an absolute link from an email (the test client talks to the app directly)."""
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@contextmanager
def days_ago(days):
    """Links signed inside this block look `days` old (itsdangerous reads the system clock)."""
    with pytest.MonkeyPatch.context() as patch:
        real = TimestampSigner.get_timestamp
        patch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - days * 86400)
        yield


def tampered(path):
    """The same link with one character of its signed content changed."""
    prefix, token = path.rsplit("/", 1)
    changed = "x" if token[3] != "x" else "y"
    return f"{prefix}/{token[:3]}{changed}{token[4:]}"
