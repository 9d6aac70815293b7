"""Complaint causes (SPEC section 2). The names are a public contract (`flask classify`, the policy table)."""

CAUSES = {
    "late_delivery": "Late or lost delivery",
    "damaged_or_defective": "Damaged or defective product",
    "wrong_or_missing_item": "Wrong or missing item / not as described",
    "refund_or_payment": "Refund, return or payment problem",
    "price_or_hidden_fees": "Hidden fees or price",
    "customer_service": "Poor customer service or no contact",
    "security_or_fraud": "Security or fraud",
    "other": "Other",
}
CAUSE_NAMES = list(CAUSES)
