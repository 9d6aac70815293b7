"""The post-purchase review request (outbox kind "review_request"): what it says, and whether it still goes.

It names the order's products the buyer has not reviewed yet, each with a link to its page, and asks
for an honest review in the words of domain/review_request_texts.py (nothing offered, nothing
depending on it). Product and shop names are the shop's input: the HTML part autoescapes them (a
.html template) and the subject is one line.
"""
from flask import current_app

from crisisdesk import clock
from crisisdesk.domain import review_requests as rules
from crisisdesk.domain.follow_up import header_safe, normalise_language
from crisisdesk.domain.review_request_texts import TEXTS
from crisisdesk.services import email_links, review_requests
from crisisdesk.services.case_people import first_name
from crisisdesk.services.email_kinds import RenderedEmail

KIND = rules.KIND


def render(email):
    """Subject and both parts of the request, in the row's language."""
    order, shop = email.order, email.shop
    if order is None:
        raise ValueError(f"outbox row {email.id} names no existing order")
    language = normalise_language(email.language) or "en"
    t, shop_name = TEXTS[language], header_safe(shop.name, 200)
    products = products_to_review(order, shop.url)
    if len(products) == 1:
        subject = t["subject_product"].format(product=products[0]["name"])
    else:
        subject = t["subject_order"].format(order=header_safe(order.number, 40))
    name = first_name(order.customer.first_name if order.customer else "", order.billing_name)
    context = {
        "t": t, "language": language, "subject": header_safe(subject), "products": products,
        "greeting": t["greeting_named"].format(name=name) if name else t["greeting"],
        "opening": t["opening"].format(order=header_safe(order.number, 40), shop=shop_name),
        "products_intro": t["products_one" if len(products) == 1 else "products_many"],
        "shop_name": shop_name, "footer": t["footer"].format(shop=shop_name),
        "unsubscribe_url": email_links.unsubscribe_url(email.shop_id, email.to_email),
    }
    env = current_app.jinja_env
    return RenderedEmail(subject=context["subject"],
                         text=env.get_template("emails/review_request.txt").render(context),
                         html=env.get_template("emails/review_request.html").render(context))


def cancel_reason(email):
    """Why the due request must not go out after all (domain.review_requests.cancel_reason), or None."""
    order = email.order
    if order is None:
        return rules.ORDER_GONE
    address = email.to_email.strip().lower()
    # The order's address changed, or was erased (then the row's is an erased placeholder): nobody to ask.
    current = address if address == order.billing_email.lower() else ""
    return rules.cancel_reason(review_requests.order_facts(email.shop, order, current, clock.utcnow()))


def products_to_review(order, shop_url):
    """[{"name", "url"}] of the order's products the buyer has not reviewed, in the order's own order."""
    products = review_requests.product_ids(order)
    reviewed = review_requests.reviewed_product_ids(order.shop_id, order.customer_id, products)
    found, seen = [], set()
    for item in order.items:
        if item.product_id is None or item.product_id in reviewed or item.product_id in seen:
            continue
        seen.add(item.product_id)
        product = item.product
        found.append({"name": header_safe(product.name or item.name, 200),
                      "url": rules.product_review_url(product.permalink, shop_url)})
    return found[:rules.MAX_PRODUCTS]
