"""Whether WooCommerce's own review request (WooCommerce 10.8+) may go to a customer (SPEC section 7).

WooCommerce asks the filter `woocommerce_should_send_review_request` once, when an order turns
completed, whether to schedule its "Review request" email; the bridge forwards that question here.
The shop's request is held while the customer has an open case (asking for a review in the middle
of a complaint is tone-deaf) and for an address that unsubscribed from the shop's email or bounced.
The answer says no more than that: the bridge and the shop learn nothing else about the customer.
"""
OPEN_CASE = "open_case"
OPTED_OUT = "opted_out"


def decide(open_case, opted_out):
    """The bridge's answer: `{"send": true}`, or `{"send": false, "reason": ...}` naming the first rule that holds."""
    if open_case:
        return {"send": False, "reason": OPEN_CASE}
    if opted_out:
        return {"send": False, "reason": OPTED_OUT}
    return {"send": True}
