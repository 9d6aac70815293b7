"""What was done about a case besides money (SPEC section 2, the 5P rule; EXTRACT §2.1, §4.4 and §5).

A remedy fixes the customer's actual problem now (*Przeciwdziałaj*: the parcel sent again, the product page
corrected), changes what caused it so it does not recur (*Popraw się*: a process changed), or makes amends
without money (*Powetuj*: extra support, help after identity theft when a security incident exposed data).
Money (refunds, replacements paid for in WooCommerce, discount codes) stays a Compensation: the two are
recorded and shown apart, so a case says both what was fixed and how the customer was compensated.

Each kind belongs to one 5P step (its keys are domain/five_p.py's); a remedy is planned or done.
"""
from crisisdesk.domain.texts import N_

STEP_LABELS = {
    "act": N_("Fixed now (Przeciwdziałaj)"),
    "improve": N_("Changed so it does not recur (Popraw się)"),
    "compensate": N_("Amends without money (Powetuj)"),
}
KIND_LABELS = {
    "resent_parcel": N_("Parcel sent again"),
    "replacement_arranged": N_("Replacement arranged"),
    "order_corrected": N_("Order corrected"),
    "product_page_corrected": N_("Product page corrected"),
    "account_secured": N_("Account secured"),
    "process_changed": N_("Process changed"),
    "extra_support": N_("Extra support"),
    "identity_theft_help": N_("Identity-theft help"),
    "other": N_("Something else"),
}
KIND_STEPS = {
    "resent_parcel": "act",
    "replacement_arranged": "act",
    "order_corrected": "act",
    "product_page_corrected": "act",
    "account_secured": "act",
    "process_changed": "improve",
    "extra_support": "compensate",
    "identity_theft_help": "compensate",
    "other": "act",
}
STATUS_LABELS = {"done": N_("already done"), "planned": N_("planned")}

DESCRIPTION_MAX = 1000
