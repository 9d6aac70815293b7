"""Complaint causes (SPEC section 2). The names are a public contract (`flask classify`, the policy table)."""

from crisisdesk.domain.texts import N_

CAUSES = {
    "late_delivery": N_("Late or lost delivery"),
    "damaged_or_defective": N_("Damaged or defective product"),
    "wrong_or_missing_item": N_("Wrong or missing item / not as described"),
    "refund_or_payment": N_("Refund, return or payment problem"),
    "price_or_hidden_fees": N_("Hidden fees or price"),
    "customer_service": N_("Poor customer service or no contact"),
    "security_or_fraud": N_("Security or fraud"),
    "other": N_("Other"),
}
CAUSE_NAMES = list(CAUSES)
