"""What a post-purchase review request says, per language (issue 10, item 6; EXTRACT §8.2 and §10.2).

It thanks the customer for the order, names what they bought with a link to each product's page,
and asks for an honest review: praise and criticism alike, entirely voluntary, nothing given in
return and nothing depending on it (no discount, no hint that only good reviews are wanted). It
says it is the only message about the order. Polish uses the capitalised "Ty" forms of the
follow-up emails; Latvian their "jūs".

Placeholders are filled with str.format in services/review_request_emails.py; the HTML template
escapes the result, so a product or shop name can never become markup.
"""

TEXTS = {
    "en": {
        "subject_product": "What do you think of {product}?",
        "subject_order": "What do you think of your order #{order}?",
        "greeting_named": "Hello {name},",
        "greeting": "Hello,",
        "opening": "Thank you for your order #{order} from {shop}. Now that you have had some time with it, would "
                   "you tell other customers what you think of it?",
        "products_one": "You can write your review on the product's page:",
        "products_many": "You can review each product on its own page:",
        "review_link": "Write a review",
        "honest": "Please write what you really think, good or bad: an honest review, praise or criticism, helps "
                  "other customers most. A review is entirely voluntary: you get nothing for it, and nothing "
                  "depends on what you write or whether you write one at all.",
        "only_once": "This is our only message about this order.",
        "closing": "Kind regards,",
        "footer": "You are receiving this message because of your order from {shop}. If you do not want any more "
                  "emails from us, unsubscribe here:",
        "unsubscribe": "Unsubscribe",
    },
    "pl": {
        "subject_product": "Co sądzisz o produkcie {product}?",
        "subject_order": "Co sądzisz o zamówieniu nr {order}?",
        "greeting_named": "Dzień dobry {name},",
        "greeting": "Dzień dobry,",
        "opening": "dziękujemy za zamówienie nr {order} w sklepie {shop}. Skoro minęło już trochę czasu, czy "
                   "zechcesz napisać innym klientom, co o nim sądzisz?",
        "products_one": "Opinię możesz dodać na stronie produktu:",
        "products_many": "Opinię o każdym produkcie możesz dodać na jego stronie:",
        "review_link": "Napisz opinię",
        "honest": "Napisz proszę, co naprawdę myślisz, dobrego czy złego: szczera opinia, pochwała albo krytyka, "
                  "najbardziej pomaga innym klientom. Opinia jest całkowicie dobrowolna: nic za nią nie "
                  "dostajesz i nic nie zależy od tego, co napiszesz ani czy w ogóle ją napiszesz.",
        "only_once": "To nasza jedyna wiadomość w sprawie tego zamówienia.",
        "closing": "Pozdrawiamy serdecznie,",
        "footer": "Otrzymujesz tę wiadomość w związku z Twoim zamówieniem w sklepie {shop}. Jeśli nie chcesz "
                  "więcej wiadomości od nas, wypisz się tutaj:",
        "unsubscribe": "Wypisz się",
    },
    "lv": {
        "subject_product": "Ko jūs domājat par preci {product}?",
        "subject_order": "Ko jūs domājat par pasūtījumu Nr. {order}?",
        "greeting_named": "Labdien, {name}!",
        "greeting": "Labdien!",
        "opening": "Paldies par jūsu pasūtījumu Nr. {order} veikalā {shop}. Tagad, kad jums ir bijis laiks to "
                   "izmēģināt, vai vēlaties pastāstīt citiem klientiem, ko par to domājat?",
        "products_one": "Atsauksmi varat uzrakstīt preces lapā:",
        "products_many": "Atsauksmi par katru preci varat uzrakstīt tās lapā:",
        "review_link": "Uzrakstīt atsauksmi",
        "honest": "Lūdzu, rakstiet, ko patiešām domājat, gan labo, gan slikto: godīga atsauksme, uzslava vai "
                  "kritika, citiem klientiem palīdz visvairāk. Atsauksme ir pilnīgi brīvprātīga: jūs par to neko "
                  "nesaņemat, un nekas nav atkarīgs no tā, ko uzrakstīsiet un vai to vispār darīsiet.",
        "only_once": "Šī ir mūsu vienīgā ziņa par šo pasūtījumu.",
        "closing": "Ar cieņu,",
        "footer": "Jūs saņemat šo ziņu saistībā ar savu pasūtījumu veikalā {shop}. Ja nevēlaties vairs saņemt "
                  "mūsu e-pastus, atrakstieties šeit:",
        "unsubscribe": "Atrakstīties",
    },
}
