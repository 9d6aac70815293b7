"""What follow-up emails say, per language, in the seeds' tone (EXTRACT §8.1 and §10.2).

Personal (the first name), calm, concrete about what was done, asking whether it solved the
problem and what the customer thinks of how it was handled; the review is *invited* with a
direct link and explicitly left to the customer's choice, never tied to anything. The reminder
is shorter and says it is the last message. Polish uses the capitalised "Ty" forms of a
personal letter and avoids gendered past tenses; Latvian matches the public pages' "jūs".

Placeholders are filled with str.format in services/email_kinds.py; the HTML template escapes
the result, so a name or product name can never become markup.
"""

SCORES = (1, 2, 3, 4, 5)

TEXTS = {
    "en": {
        "subject_named": "{name}, is everything all right now?",
        "subject": "Is everything all right now?",
        "reminder_subject": "One last question: is everything all right now?",
        "greeting_named": "Hello {name},",
        "greeting": "Hello,",
        "opening_order_product": "We recently resolved your complaint about order #{order} ({product}) and would like "
                                 "to make sure the matter is really settled for you.",
        "opening_order": "We recently resolved your complaint about order #{order} and would like to make sure the "
                         "matter is really settled for you.",
        "opening_product": "We recently resolved your complaint about {product} and would like to make sure the "
                           "matter is really settled for you.",
        "opening": "We recently resolved your complaint and would like to make sure the matter is really settled "
                   "for you.",
        "what_we_did": "What we did:",
        "refund": "We refunded {amount} to you.",
        "replacement": "We sent you a replacement free of charge (order #{order}).",
        "coupon": "We gave you the discount code {code}: {value} off your next order, valid until {expires}.",
        "question": "Did this solve the problem? One click on the answer that fits is enough:",
        "scores": {1: "not at all", 2: "not really", 3: "partly", 4: "mostly", 5: "completely"},
        "review_invite": "If you would like to, you can update your review so that other customers can see how it "
                         "ended. Here is a direct link to it:",
        "review_link": "Open your review",
        "review_choice": "Whether you do is entirely your choice.",
        "reply": "If anything is still not right, or you would like to tell us what you think of how we handled "
                 "it, just reply to this email.",
        "reply_site": "If anything is still not right, or you would like to tell us what you think of how we "
                      "handled it, write to us through {url}.",
        "closing": "Kind regards,",
        "footer": "You are receiving this message because of your complaint to {shop}. If you do not want any more "
                  "emails from us, unsubscribe here:",
        "unsubscribe": "Unsubscribe",
        "reminder_opening": "A few days ago we asked whether we managed to solve your problem. This is our last "
                            "message about it: we will not ask again.",
        "reminder_question": "If you have a moment, one click is enough:",
        "reminder_review": "And if you would like to update your review, here is the link:",
    },
    "pl": {
        "subject_named": "{name}, czy wszystko jest już w porządku?",
        "subject": "Czy wszystko jest już w porządku?",
        "reminder_subject": "Ostatnie pytanie: czy wszystko jest już w porządku?",
        "greeting_named": "Dzień dobry {name},",
        "greeting": "Dzień dobry,",
        "opening_order_product": "niedawno zajęliśmy się Twoim zgłoszeniem dotyczącym zamówienia nr {order} "
                                 "({product}) i chcemy się upewnić, że sprawa jest dla Ciebie naprawdę załatwiona.",
        "opening_order": "niedawno zajęliśmy się Twoim zgłoszeniem dotyczącym zamówienia nr {order} i chcemy się "
                         "upewnić, że sprawa jest dla Ciebie naprawdę załatwiona.",
        "opening_product": "niedawno zajęliśmy się Twoim zgłoszeniem dotyczącym produktu {product} i chcemy się "
                           "upewnić, że sprawa jest dla Ciebie naprawdę załatwiona.",
        "opening": "niedawno zajęliśmy się Twoim zgłoszeniem i chcemy się upewnić, że sprawa jest dla Ciebie "
                   "naprawdę załatwiona.",
        "what_we_did": "Co zrobiliśmy:",
        "refund": "Zwróciliśmy Ci {amount}.",
        "replacement": "Wysłaliśmy Ci bezpłatnie produkt na wymianę (zamówienie nr {order}).",
        "coupon": "Przekazaliśmy Ci kod rabatowy {code}: {value} zniżki na kolejne zakupy, ważny do {expires}.",
        "question": "Czy to rozwiązało problem? Wystarczy jedno kliknięcie w odpowiedź, która najlepiej pasuje:",
        "scores": {1: "wcale", 2: "raczej nie", 3: "częściowo", 4: "w większości", 5: "całkowicie"},
        "review_invite": "Jeśli zechcesz, możesz zaktualizować swoją opinię, żeby inni klienci widzieli, jak sprawa "
                         "się zakończyła. Oto bezpośredni link do niej:",
        "review_link": "Otwórz swoją opinię",
        "review_choice": "Czy to zrobisz, zależy wyłącznie od Ciebie.",
        "reply": "Jeśli coś nadal jest nie tak albo chcesz nam powiedzieć, co myślisz o tym, jak zajęliśmy się "
                 "sprawą, po prostu odpisz na tę wiadomość.",
        "reply_site": "Jeśli coś nadal jest nie tak albo chcesz nam powiedzieć, co myślisz o tym, jak zajęliśmy się "
                      "sprawą, napisz do nas przez stronę {url}.",
        "closing": "Pozdrawiamy serdecznie,",
        "footer": "Otrzymujesz tę wiadomość w związku z Twoim zgłoszeniem w sklepie {shop}. Jeśli nie chcesz "
                  "więcej wiadomości od nas, wypisz się tutaj:",
        "unsubscribe": "Wypisz się",
        "reminder_opening": "kilka dni temu zapytaliśmy, czy udało się rozwiązać Twój problem. To nasza ostatnia "
                            "wiadomość w tej sprawie: więcej nie będziemy o to pytać.",
        "reminder_question": "Jeśli masz chwilę, wystarczy jedno kliknięcie:",
        "reminder_review": "A jeśli zechcesz zaktualizować swoją opinię, oto link:",
    },
    "lv": {
        "subject_named": "{name}, vai tagad viss ir kārtībā?",
        "subject": "Vai tagad viss ir kārtībā?",
        "reminder_subject": "Pēdējais jautājums: vai tagad viss ir kārtībā?",
        "greeting_named": "Labdien, {name}!",
        "greeting": "Labdien!",
        "opening_order_product": "Nesen atrisinājām jūsu sūdzību par pasūtījumu Nr. {order} ({product}) un vēlamies "
                                 "pārliecināties, ka jautājums jums tiešām ir nokārtots.",
        "opening_order": "Nesen atrisinājām jūsu sūdzību par pasūtījumu Nr. {order} un vēlamies pārliecināties, ka "
                         "jautājums jums tiešām ir nokārtots.",
        "opening_product": "Nesen atrisinājām jūsu sūdzību par preci {product} un vēlamies pārliecināties, ka "
                           "jautājums jums tiešām ir nokārtots.",
        "opening": "Nesen atrisinājām jūsu sūdzību un vēlamies pārliecināties, ka jautājums jums tiešām ir "
                   "nokārtots.",
        "what_we_did": "Ko mēs izdarījām:",
        "refund": "Atmaksājām jums {amount}.",
        "replacement": "Bez maksas nosūtījām jums nomaiņas preci (pasūtījums Nr. {order}).",
        "coupon": "Piešķīrām jums atlaides kodu {code}: {value} atlaide nākamajam pirkumam, derīgs līdz {expires}.",
        "question": "Vai tas atrisināja problēmu? Pietiek ar vienu klikšķi uz atbilstošās atbildes:",
        "scores": {1: "nemaz", 2: "drīzāk nē", 3: "daļēji", 4: "lielākoties", 5: "pilnībā"},
        "review_invite": "Ja vēlaties, varat atjaunināt savu atsauksmi, lai citi klienti redzētu, kā viss beidzās. "
                         "Šeit ir tieša saite uz to:",
        "review_link": "Atvērt savu atsauksmi",
        "review_choice": "Vai to darīt, ir tikai jūsu izvēle.",
        "reply": "Ja kaut kas joprojām nav kārtībā vai vēlaties pastāstīt, ko domājat par to, kā risinājām šo "
                 "jautājumu, vienkārši atbildiet uz šo e-pastu.",
        "reply_site": "Ja kaut kas joprojām nav kārtībā vai vēlaties pastāstīt, ko domājat par to, kā risinājām šo "
                      "jautājumu, rakstiet mums: {url}.",
        "closing": "Ar cieņu,",
        "footer": "Jūs saņemat šo ziņu saistībā ar savu sūdzību veikalā {shop}. Ja nevēlaties vairs saņemt mūsu "
                  "e-pastus, atrakstieties šeit:",
        "unsubscribe": "Atrakstīties",
        "reminder_opening": "Pirms dažām dienām jautājām, vai mums izdevās atrisināt jūsu problēmu. Šī ir mūsu "
                            "pēdējā ziņa par šo jautājumu: vairs par to nejautāsim.",
        "reminder_question": "Ja jums ir brīdis, pietiek ar vienu klikšķi:",
        "reminder_review": "Un, ja vēlaties atjaunināt savu atsauksmi, lūk, saite:",
    },
}
