"""What a drafted reply says about the case's recorded remedies (domain/remedies.py), per language.

One sentence per 5P step, listing the remedies of that step: what was already done for the customer, or is
under way (*Przeciwdziałaj*), what changes so it does not recur (*Popraw się*), and the amends without money
(*Powetuj*). The list follows a colon, so each item stays in the nominative in Polish and Latvian whatever the
sentence. Items name no order number and no amount, so the sentence fits a public reply too. "Something
else" has no item: the agent's own description is for the team, and the agent says it in the reply.
"""
from crisisdesk.domain.remedies import KIND_STEPS

TEXTS = {
    "en": {
        "items": {
            "resent_parcel": "a new shipment of your parcel",
            "replacement_arranged": "a replacement product for you",
            "order_corrected": "a correction to your order",
            "product_page_corrected": "a correction to the product page",
            "account_secured": "securing your account",
            "process_changed": "a change in how we work",
            "extra_support": "extra support from our team",
            "identity_theft_help": "help if anyone tries to misuse your data",
        },
        "act_done": "Already done for you: {items}.",
        "act_planned": "Under way for you now: {items}.",
        "improve": "So that it does not happen again: {items}.",
        "compensate": "We are also offering you: {items}.",
    },
    "pl": {
        "items": {
            "resent_parcel": "ponowna wysyłka Twojej paczki",
            "replacement_arranged": "produkt na wymianę dla Ciebie",
            "order_corrected": "poprawienie Twojego zamówienia",
            "product_page_corrected": "poprawienie opisu na stronie produktu",
            "account_secured": "zabezpieczenie Twojego konta",
            "process_changed": "zmiana sposobu, w jaki pracujemy",
            "extra_support": "dodatkowe wsparcie naszego zespołu",
            "identity_theft_help": "pomoc, gdyby ktoś próbował wykorzystać Twoje dane",
        },
        "act_done": "Co już dla Ciebie zrobiliśmy: {items}.",
        "act_planned": "Czym właśnie się dla Ciebie zajmujemy: {items}.",
        "improve": "Żeby to się nie powtórzyło: {items}.",
        "compensate": "Oferujemy Ci też: {items}.",
    },
    "lv": {
        "items": {
            "resent_parcel": "jūsu sūtījuma atkārtota nosūtīšana",
            "replacement_arranged": "maiņas prece jums",
            "order_corrected": "jūsu pasūtījuma labojums",
            "product_page_corrected": "produkta lapas apraksta labojums",
            "account_secured": "jūsu konta drošības nodrošināšana",
            "process_changed": "izmaiņas mūsu darba kārtībā",
            "extra_support": "papildu atbalsts no mūsu komandas",
            "identity_theft_help": "palīdzība, ja kāds mēģinātu ļaunprātīgi izmantot jūsu datus",
        },
        "act_done": "Ko jau esam jūsu labā izdarījuši: {items}.",
        "act_planned": "Pie kā jūsu labā strādājam pašlaik: {items}.",
        "improve": "Lai tas neatkārtotos: {items}.",
        "compensate": "Papildus piedāvājam: {items}.",
    },
}

SEPARATOR = "; "  # an item may hold a comma ("pomoc, gdyby …")


def remedy_sentences(language, remedies):
    """{"act", "improve", "compensate": sentence} naming `remedies`, (kind, done) pairs in the order recorded;
    "" for a step without a remedy to name. English for a language without texts."""
    texts = TEXTS.get(language, TEXTS["en"])
    named = {key: [] for key in ("act_done", "act_planned", "improve", "compensate")}
    for kind, done in remedies:
        step = KIND_STEPS.get(kind)
        key = ("act_done" if done else "act_planned") if step == "act" else step
        item = texts["items"].get(kind)
        if item and key in named and item not in named[key]:
            named[key].append(item)
    sentence = {key: texts[key].format(items=SEPARATOR.join(items)) if items else "" for key, items in named.items()}
    return {"act": " ".join(s for s in (sentence["act_done"], sentence["act_planned"]) if s),
            "improve": sentence["improve"], "compensate": sentence["compensate"]}
