"""GET /e/rate/<token> records a one-click answer; /e/unsubscribe/<token> asks, then unsubscribes."""
from flask import request

from crisisdesk.extensions import csrf
from crisisdesk.services import email_links, outbox, recovery
from crisisdesk.services import shops as shop_service
from crisisdesk.web.public import blueprint, page, visitor_language

SUPPRESSION_REASON = "unsubscribed"


@blueprint.get(email_links.RATE_PATH + "<token>")
def rate(token):
    link = email_links.read_rating(token)
    if request.method == "HEAD":  # link checkers probe with HEAD; only a real visit is an answer
        return "", 200
    answer = recovery.record_satisfaction(link.recovery_id, link.score)
    return page("rated.html", answer.language, score=link.score, review_url=answer.review_url,
                shop_name=answer.shop_name)


@blueprint.get(email_links.UNSUBSCRIBE_PATH + "<token>")
def unsubscribe_page(token):
    # A GET never unsubscribes: mail scanners open links; only the button (or the mail provider's POST) does.
    link = email_links.read_unsubscribe(token)
    shop = shop_service.find_shop(link.shop_id)
    return page("unsubscribe.html", visitor_language(default=shop.language), shop_name=shop.name, email=link.email)


@blueprint.post(email_links.UNSUBSCRIBE_PATH + "<token>")
@csrf.exempt  # RFC 8058: the mail provider POSTs `List-Unsubscribe=One-Click` with no cookies or form token
def unsubscribe(token):
    link = email_links.read_unsubscribe(token)
    outbox.suppress(link.shop_id, link.email, SUPPRESSION_REASON)
    return page("unsubscribed.html", visitor_language(), email=link.email)
