"""Unfair or fake reviews (SPEC section 2 "Answer everyone", EXTRACT section 9): the documented reasons for
asking a platform to remove a review, the platforms asked, and the outcomes of a request.

A flag never deletes anything and never stops a clock: the review stays, and it still gets a calm public answer.
The seeds name no heuristics for spotting fake reviews, so a person always decides.
"""
from crisisdesk.domain.texts import N_

FLAG_REASONS = {
    "abusive": N_("Abusive or inappropriate language"),
    "factually_wrong": N_("Factually wrong, or about something else"),
    "no_purchase": N_("No matching purchase"),
}
REASON_EXPLANATIONS = {
    "abusive": N_("Insults, vulgar or hateful words, threats or personal data: platforms remove such reviews."),
    "factually_wrong": N_("The review states something that did not happen, or is about another shop or product; "
                          "say what the facts are."),
    "no_purchase": N_("The reviewer never bought here: WooCommerce shows no verified owner and no order matches "
                      "the reviewer's email."),
}
REMOVAL_CHANNELS = {
    "wordpress": N_("WordPress moderation"),
    "google": N_("Google"),
    "ceneo": N_("Ceneo"),
    "other": N_("another platform"),
}
REMOVAL_OUTCOMES = {"pending": N_("pending"), "granted": N_("granted"), "refused": N_("refused")}
DECIDED_OUTCOMES = ("granted", "refused")

EXPLANATION_MAX = 2000
REQUEST_TEXT_MAX = 4000
