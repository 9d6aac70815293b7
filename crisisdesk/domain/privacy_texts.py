"""What a privacy request's answer calls each kind of record (services/privacy.py), and why anonymised rows stay.

The CLI prints these in English; the panel translates them (they are marked with N_). The bridge's WordPress
answer keeps its own sentences (services/privacy._messages), as WordPress shows them to the shop's admin.
"""
from crisisdesk.domain.texts import N_

# The kinds of record a customer has in a shop, as the export groups them (services/privacy_items.GROUPS).
HELD_KINDS = {
    "customer": N_("Customer record"),
    "order": N_("Orders"),
    "review": N_("Reviews"),
    "case": N_("Cases"),
    "compensation": N_("Compensations"),
}

# Why an erasure anonymises these rows instead of deleting them.
RETAINED_WHY = {
    "customer": N_("kept so that their orders and cases still count as one customer's; name, address and "
                   "WordPress account removed"),
    "order": N_("money records, kept for the shop's accounting; billing name and address removed"),
    "review": N_("the rating, product and date stay in the statistics; the author and the text removed"),
    "case": N_("causes, dates, answer times and outcomes stay in the statistics; the complaint and the notes "
               "removed"),
    "compensation": N_("money records, kept for the shop's accounting; amounts stay, texts naming the person "
                       "removed"),
}

# The rows an erasure removed personal data from, by kind (services/privacy.Erasure.changed).
CHANGED_KINDS = {
    "customer": N_("Customer record"),
    "order": N_("Orders"),
    "refund": N_("Refund reasons"),
    "delay notice": N_("Delay notices"),
    "review": N_("Reviews"),
    "review version": N_("Earlier versions of reviews"),
    "review flag": N_("Unfair review flags"),
    "review answer": N_("Public answers to reviews"),
    "case": N_("Cases"),
    "timeline line": N_("Timeline lines"),
    "reply": N_("Replies"),
    "remedy": N_("Remedies"),
    "improvement": N_("Improvements"),
    "compensation": N_("Compensations"),
    "email": N_("Emails"),
    "audit record": N_("Audit log entries"),
    "stored event": N_("Stored events from the shop"),
}
