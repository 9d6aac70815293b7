"""What a drafted answer to a review without a case says, per language (domain/review_answers.py).

The seeds: answer every review, thank positive ones publicly, take up a neutral reviewer's suggestion
(EXTRACT §2.2, §3.3); never a canned text (§2.3), so a draft is only a start that names the reviewer, the
product and the point they made, for the agent to make their own. Nothing here mentions the rating or asks
for a better one. Polish uses the "Ty" forms of a personal letter and no past tense that guesses the
reviewer's gender (as reply_texts does); Latvian uses "jūs". Product names stay in quotes, undeclined.

`{thank}` is "Anna, thank you" or "Thank you"; `{of_product}` is " of „Kettle”" or nothing; `{point}` is the
cause the reviewer mentions, in the grammatical case the sentence needs.
"""

POINT_KEYS = ("late_delivery", "damaged_or_defective", "wrong_or_missing_item", "refund_or_payment",
              "price_or_hidden_fees", "customer_service", "security_or_fraud", "other")

TEXTS = {
    "en": {
        "thank_named": "{name}, thank you",
        "thank": "Thank you",
        "of_product": " of “{product}”",
        "thanks": "{thank} for your review{of_product}! We are really glad it lived up to your expectations, and "
                  "it means a lot that you took the time to tell others about it.",
        "suggestion": "{thank} for your review{of_product} and for your suggestion. We have passed it on to the "
                      "people who decide what we sell and how: ideas from customers are how we get better.",
        "point": "{thank} for your honest review{of_product}. You are right to mention {point}: we are sorry it was "
                 "not as it should have been, and we are looking into it. If anything still needs putting right, "
                 "write to us and we will gladly help.",
        "neutral": "{thank} for your honest review{of_product}. We would like to know what was missing for you: if "
                   "you write to us, we will listen, and it will help us do better.",
        "points": {
            "late_delivery": "the delivery time",
            "damaged_or_defective": "the condition of the product",
            "wrong_or_missing_item": "what was in the parcel",
            "refund_or_payment": "the payment and the refund",
            "price_or_hidden_fees": "the costs",
            "customer_service": "how we answered you",
            "security_or_fraud": "security",
            "other": "what did not work out",
        },
    },
    "pl": {
        "thank_named": "{name}, dziękujemy",
        "thank": "Dziękujemy",
        "of_product": " o produkcie „{product}”",
        "thanks": "{thank} za opinię{of_product}! Bardzo nas cieszy, że zakup się sprawdza, i doceniamy, że "
                  "dzielisz się wrażeniami z innymi.",
        "suggestion": "{thank} za opinię{of_product} i za sugestię. Przekazujemy ją osobom, które decydują o naszej "
                      "ofercie: pomysły klientów pomagają nam się rozwijać.",
        "point": "{thank} za szczerą opinię{of_product}. Słusznie zwracasz uwagę na {point}: przepraszamy, że nie "
                 "było tak, jak powinno, i już to sprawdzamy. Jeśli coś jeszcze wymaga naprawy, napisz do nas, a "
                 "chętnie pomożemy.",
        "neutral": "{thank} za szczerą opinię{of_product}. Chętnie dowiemy się, czego zabrakło: napisz do nas, a "
                   "każda uwaga pomoże nam działać lepiej.",
        "points": {
            "late_delivery": "czas dostawy",
            "damaged_or_defective": "stan produktu",
            "wrong_or_missing_item": "zawartość przesyłki",
            "refund_or_payment": "płatność i zwrot pieniędzy",
            "price_or_hidden_fees": "koszty",
            "customer_service": "nasz kontakt z Tobą",
            "security_or_fraud": "bezpieczeństwo",
            "other": "to, co nie zagrało",
        },
    },
    "lv": {
        "thank_named": "{name}, paldies",
        "thank": "Paldies",
        "of_product": " par „{product}”",
        "thanks": "{thank} par atsauksmi{of_product}! Mēs ļoti priecājamies, ka pirkums jūs iepriecināja, un "
                  "novērtējam, ka dalāties iespaidos ar citiem.",
        "suggestion": "{thank} par atsauksmi{of_product} un par ieteikumu. Mēs to nododam kolēģiem, kuri lemj par "
                      "mūsu sortimentu: klientu idejas palīdz mums kļūt labākiem.",
        "point": "{thank} par godīgo atsauksmi{of_product}. Jums ir taisnība par {point}: atvainojiet, ka nebija tā, "
                 "kā vajadzētu, un mēs to jau pārbaudām. Ja vēl kaut kas ir jānokārto, rakstiet mums, un mēs "
                 "labprāt palīdzēsim.",
        "neutral": "{thank} par godīgo atsauksmi{of_product}. Mēs labprāt uzzinātu, kā jums pietrūka: uzrakstiet "
                   "mums, un katra piezīme palīdzēs mums strādāt labāk.",
        "points": {
            "late_delivery": "piegādes laiku",
            "damaged_or_defective": "preces stāvokli",
            "wrong_or_missing_item": "sūtījuma saturu",
            "refund_or_payment": "maksājumu un atmaksu",
            "price_or_hidden_fees": "izmaksām",
            "customer_service": "saziņu ar mums",
            "security_or_fraud": "drošību",
            "other": "to, kas nenotika, kā vajadzētu",
        },
    },
}
