"""How a case's customer (or an order's buyer) is addressed in replies, notes and emails."""
from crisisdesk.domain.follow_up import header_safe


def customer_first_name(case):
    """The first name the customer gave (as customer, reviewer, or on the order); "" when unknown or not a name."""
    return first_name(case.customer.first_name if case.customer else "",
                      case.review.reviewer_name if case.review else "",
                      case.order.billing_name if case.order else "")


def first_name(*candidates):
    """The first word of the first candidate that looks like a name; "" when none does."""
    for candidate in candidates:
        first = header_safe(candidate, 60).split(" ")[0] if candidate else ""
        if first and "@" not in first:  # a reviewer who typed their address as their name
            return first
    return ""
