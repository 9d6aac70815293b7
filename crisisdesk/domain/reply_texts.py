"""What a drafted reply to a complaint says, per language, along the 5P steps (EXTRACT §2–§4).

The tone follows the seeds: personal (the first name, the order, the product), calm, concrete,
one apology and no more, owning the mistake without excuses or blaming anyone (not even the
carrier), and never a word about the customer's review or rating beyond "mention this review" as
a reference. A draft is a starting point: the agent checks the facts and personalises it.

Sentences per step:
- apologise[cause]: the single apology, naming what happened;
- admit[cause]: what went wrong, owned ("that is our mistake");
- act[cause]: what is being done now; advice[cause] (security only): what the customer can do
  and the support they get;
- improve[cause]: what changes so it does not happen again;
- compensate[key]: the amends per remedy; "*_detail" variants carry the amount or percentage
  (private emails only), "*_public" variants leave the details to the email.

`{subject_<case>}` is the order as the sentence needs it grammatically: Polish and Latvian nouns
decline, so "subject" holds the noun in each case and "subject_suffix" adds the order number and
product, which never decline (the product name stays in quotes, in the nominative).
Polish uses the capitalised "Ty" forms of a personal letter (as follow_up_texts does) and avoids
past tenses that would guess the customer's gender; Latvian uses "jūs".
"""

CAUSE_KEYS = ("late_delivery", "damaged_or_defective", "wrong_or_missing_item", "refund_or_payment",
              "price_or_hidden_fees", "customer_service", "security_or_fraud", "other")
COMPENSATE_KEYS = ("refund", "refund_detail", "refund_public", "replacement", "replacement_public", "coupon",
                   "coupon_detail", "coupon_public", "none", "none_public")

TEXTS = {
    "en": {
        "greeting_named": "Hello {name},",
        "greeting": "Hello,",
        "lowercase_after_greeting": False,
        "subject": {"nom": "your order"},
        "subject_suffix": {"order_product": " #{order} ({product})", "order": " #{order}",
                           "product": " of {product}", "none": ""},
        "thanks": "Thank you for letting us know.",
        "apologise": {
            "late_delivery": "We are sorry that {subject_nom} did not arrive on time.",
            "damaged_or_defective": "We are sorry that the item from {subject_nom} arrived damaged or is not "
                                    "working as it should.",
            "wrong_or_missing_item": "We are sorry that the parcel with {subject_nom} did not contain exactly what "
                                     "you ordered.",
            "refund_or_payment": "We are sorry for the trouble you have had with the payment for {subject_nom}.",
            "price_or_hidden_fees": "We are sorry that the costs of {subject_nom} came as a surprise.",
            "customer_service": "We are sorry that when you contacted us about {subject_nom}, you did not get the "
                                "help you needed.",
            "security_or_fraud": "We are sorry for the worry that the security problem around {subject_nom} has "
                                 "caused you.",
            "other": "We are sorry that things with {subject_nom} did not go the way they should have.",
        },
        "admit": {
            "late_delivery": "We promised you a delivery date and did not keep it; that is our mistake, not yours.",
            "damaged_or_defective": "It should have reached you in perfect condition, and it did not: that is our "
                                    "mistake.",
            "wrong_or_missing_item": "We made a mistake when packing your order, and it is ours to put right.",
            "refund_or_payment": "Your payment should have been handled quickly and clearly, and instead we kept "
                                 "you waiting; that is our mistake.",
            "price_or_hidden_fees": "Every cost should have been clear before the order was placed, not added at "
                                    "checkout; that is our fault.",
            "customer_service": "Your messages deserved a quick and useful answer, and they did not get one; that "
                                "is our mistake.",
            "security_or_fraud": "What happened is that our security measures failed: keeping your data and payments "
                                 "safe is our responsibility, and this time we did not live up to it.",
            "other": "We did not meet the standard you have every right to expect from us, and that is our "
                     "mistake.",
        },
        "act": {
            "late_delivery": "We have checked the parcel's route with the carrier to find out exactly where it was "
                             "held up, and we will keep you posted.",
            "damaged_or_defective": "We have passed the details to our quality team, who are checking the rest of "
                                    "this batch so that no one else receives a faulty item.",
            "wrong_or_missing_item": "We have checked your order against what was packed, so we know exactly where "
                                     "the mistake happened.",
            "refund_or_payment": "We have checked your payment and are sorting it out now, so that you do not have "
                                 "to chase us again.",
            "price_or_hidden_fees": "We have checked every charge on your order, line by line.",
            "customer_service": "We have checked what happened to your messages, and one person on our team is now "
                                "in charge of your case until it is resolved.",
            "security_or_fraud": "We have blocked the suspicious access, reset your account password and are "
                                 "checking every login and payment linked to your account.",
            "other": "We are looking into your case now, and one person on our team will stay with it until it is "
                     "resolved.",
        },
        "advice": {
            "security_or_fraud": "What you can do: change your password on any other site where you use the same "
                                 "one, and keep an eye on your bank statement; if you see a payment you do not "
                                 "recognise, tell your bank and let us know. We will support you at every step, "
                                 "including if anyone tries to misuse your data.",
        },
        "improve": {
            "late_delivery": "From now on we check every delayed parcel with the carrier ourselves and tell the "
                             "customer before they have to ask.",
            "damaged_or_defective": "We have changed how we pack this product (a sturdier box and more padding), "
                                    "and every item is now checked before it is shipped.",
            "wrong_or_missing_item": "We have introduced an extra check at packing: every parcel is now compared "
                                     "item by item with the order before it is sealed.",
            "refund_or_payment": "We have changed how we handle payments and refunds: each one now has a named "
                                 "person and a deadline, so nobody has to ask for their money twice.",
            "price_or_hidden_fees": "We are changing our product pages and checkout so that every cost, delivery "
                                    "included, is shown before an order is placed.",
            "customer_service": "We have talked this through with the team, and from now on every message gets an "
                                "answer within one working day.",
            "security_or_fraud": "We have introduced additional login protection and are reviewing how we store "
                                 "and protect customer data.",
            "other": "We have passed your comments to the people responsible, and we will change what led to this "
                     "so that it does not happen again.",
        },
        "compensate": {
            "refund": "We are refunding you for this order; the money should be back in your account within a few "
                      "working days.",
            "refund_detail": "We are refunding {detail} to you; the money should be back in your account within a "
                             "few working days.",
            "refund_public": "We are arranging a refund for you and will confirm the details by email.",
            "replacement": "We are sending you a replacement free of charge and will let you know the tracking "
                           "number as soon as it leaves our warehouse.",
            "replacement_public": "We are sending you a replacement free of charge; the details will follow by "
                                  "email.",
            "coupon": "To make up for the trouble, we would also like to give you a discount code for your next "
                      "order.",
            "coupon_detail": "To make up for the trouble, we would also like to give you a discount code for "
                             "{detail} off your next order.",
            "coupon_public": "To make up for the trouble, we have also prepared a discount code for you; you will "
                             "find it in our email.",
            "none": "We would like to make it up to you: just reply to this email, and we will agree on a refund "
                    "or a replacement, whichever suits you better.",
            "none_public": "We would like to make it up to you, and by email we will agree with you on a refund or "
                           "a replacement, whichever suits you better.",
        },
        "closing_private": "If anything else is not right, just reply to this email and we will deal with it "
                           "straight away.",
        "closing_public": "Let's settle the rest privately: we will write to you by email, and you are also welcome "
                          "to write to us at any time, just mention this review.",
        "sign_off": "Kind regards,",
        "team": "The {shop} team",
    },
    "pl": {
        "greeting_named": "Dzień dobry, {name},",
        "greeting": "Dzień dobry,",
        # After a salutation ending in a comma, a Polish letter goes on in lower case.
        "lowercase_after_greeting": True,
        "subject": {"nom": "Twoje zamówienie", "gen": "Twojego zamówienia", "acc": "Twoje zamówienie",
                    "inst": "Twoim zamówieniem", "loc": "Twoim zamówieniu"},
        "subject_suffix": {"order_product": " nr {order} („{product}”)", "order": " nr {order}",
                           "product": " („{product}”)", "none": ""},
        "thanks": "Dziękujemy, że dajesz nam o tym znać.",
        "apologise": {
            "late_delivery": "Przepraszamy, że {subject_nom} nie dotarło do Ciebie na czas.",
            "damaged_or_defective": "Przepraszamy, że produkt z {subject_gen} dotarł do Ciebie uszkodzony albo "
                                    "nie działa tak, jak powinien.",
            "wrong_or_missing_item": "Przepraszamy, że w paczce z {subject_inst} znalazło się nie to, co trzeba, "
                                     "albo czegoś w niej zabrakło.",
            "refund_or_payment": "Przepraszamy za kłopoty z rozliczeniem {subject_gen}.",
            "price_or_hidden_fees": "Przepraszamy, że koszty {subject_gen} Cię zaskoczyły.",
            "customer_service": "Przepraszamy, że w sprawie {subject_gen} nie udało Ci się szybko uzyskać od nas "
                                "pomocy.",
            "security_or_fraud": "Przepraszamy za niepokój, jaki wywołał problem z bezpieczeństwem dotyczący "
                                 "{subject_gen}.",
            "other": "Przepraszamy, że sprawa {subject_gen} nie potoczyła się tak, jak powinna.",
        },
        "admit": {
            "late_delivery": "Obiecaliśmy termin dostawy i go nie dotrzymaliśmy – to nasz błąd, nie Twój.",
            "damaged_or_defective": "Powinien dotrzeć do Ciebie cały i sprawny; to, że tak się nie stało, to nasz "
                                    "błąd.",
            "wrong_or_missing_item": "Pomyliliśmy się przy kompletowaniu zamówienia – to nasz błąd, nie Twój.",
            "refund_or_payment": "Rozliczenie powinno być szybkie i jasne, a kazaliśmy Ci czekać – to nasz błąd.",
            "price_or_hidden_fees": "Wszystkie koszty powinny być jasno widoczne przed złożeniem zamówienia, a nie "
                                    "zaskakiwać przy płatności – to nasza wina.",
            "customer_service": "Na Twoje wiadomości powinniśmy odpowiedzieć szybko i konkretnie, a tak się nie "
                                "stało – to nasz błąd.",
            "security_or_fraud": "Zawiodły nasze zabezpieczenia: ochrona Twoich danych i "
                                 "płatności to nasza odpowiedzialność, a tym razem nie stanęliśmy na wysokości "
                                 "zadania.",
            "other": "Nie spełniliśmy standardu, którego masz prawo od nas oczekiwać, i to jest nasz błąd.",
        },
        "act": {
            "late_delivery": "Sprawdziliśmy już z przewoźnikiem trasę paczki, żeby ustalić, gdzie utknęła, i "
                             "będziemy Cię na bieżąco informować.",
            "damaged_or_defective": "Przekazaliśmy sprawę naszemu działowi jakości, który sprawdza pozostałe "
                                    "egzemplarze z tej partii, żeby nikt inny nie dostał wadliwego produktu.",
            "wrong_or_missing_item": "Porównaliśmy Twoje zamówienie z zawartością paczki i wiemy już dokładnie, "
                                     "gdzie powstał błąd.",
            "refund_or_payment": "Sprawdziliśmy Twoją płatność i już zajmujemy się rozliczeniem, tak aby nie "
                                 "trzeba było nas więcej ponaglać.",
            "price_or_hidden_fees": "Sprawdziliśmy pozycja po pozycji wszystkie opłaty doliczone do Twojego "
                                    "zamówienia.",
            "customer_service": "Sprawdziliśmy, co stało się z Twoimi wiadomościami, a Twoją sprawą zajmuje się "
                                "teraz jedna osoba z naszego zespołu, która doprowadzi ją do końca.",
            "security_or_fraud": "Zablokowaliśmy podejrzany dostęp, zresetowaliśmy hasło do Twojego konta i "
                                 "sprawdzamy każde logowanie oraz każdą płatność z nim związaną.",
            "other": "Już zajmujemy się Twoją sprawą, a jedna osoba z naszego zespołu poprowadzi ją aż do "
                     "rozwiązania.",
        },
        "advice": {
            "security_or_fraud": "Co możesz zrobić: zmień hasło w innych serwisach, w których używasz tego samego, "
                                 "i sprawdzaj wyciągi z konta; jeśli zobaczysz płatność, której nie rozpoznajesz, "
                                 "zgłoś ją w banku i daj nam znać. Pomożemy Ci na każdym etapie, także gdyby ktoś "
                                 "próbował wykorzystać Twoje dane.",
        },
        "improve": {
            "late_delivery": "Od teraz sami sprawdzamy u przewoźnika każdą opóźnioną przesyłkę i informujemy "
                             "klienta, zanim zdąży o to zapytać.",
            "damaged_or_defective": "Zmieniliśmy sposób pakowania tego produktu (mocniejszy karton i więcej "
                                    "wypełnienia), a każdy egzemplarz sprawdzamy teraz przed wysyłką.",
            "wrong_or_missing_item": "Wprowadziliśmy dodatkową kontrolę przy pakowaniu: każdą paczkę porównujemy "
                                     "teraz pozycja po pozycji z zamówieniem, zanim ją zamkniemy.",
            "refund_or_payment": "Zmieniliśmy sposób obsługi płatności i zwrotów: każda sprawa ma teraz osobę "
                                 "odpowiedzialną i termin, więc nikt nie będzie musiał dopominać się o swoje "
                                 "pieniądze.",
            "price_or_hidden_fees": "Zmieniamy strony produktów i koszyk tak, żeby wszystkie koszty, także dostawy, "
                                    "były widoczne jeszcze przed złożeniem zamówienia.",
            "customer_service": "Omówiliśmy tę sytuację z zespołem i od teraz każda wiadomość dostaje odpowiedź w "
                                "ciągu jednego dnia roboczego.",
            "security_or_fraud": "Wprowadziliśmy dodatkowe zabezpieczenia logowania i przeglądamy, jak "
                                 "przechowujemy i chronimy dane klientów.",
            "other": "Przekazaliśmy Twoje uwagi osobom odpowiedzialnym i zmienimy to, co do tego doprowadziło, żeby "
                     "się nie powtórzyło.",
        },
        "compensate": {
            "refund": "Zwrócimy Ci pieniądze za to zamówienie; powinny wrócić na Twoje konto w ciągu kilku dni "
                      "roboczych.",
            "refund_detail": "Zwracamy Ci {detail}; pieniądze powinny wrócić na Twoje konto w ciągu kilku dni "
                             "roboczych.",
            "refund_public": "Zwrócimy Ci pieniądze, a szczegóły potwierdzimy e-mailem.",
            "replacement": "Wysyłamy Ci bezpłatnie produkt na wymianę, a numer przesyłki podamy, gdy tylko paczka "
                           "opuści nasz magazyn.",
            "replacement_public": "Wysyłamy Ci bezpłatnie produkt na wymianę, a szczegóły prześlemy e-mailem.",
            "coupon": "Żeby choć trochę wynagrodzić ten kłopot, chcemy też dać Ci kod rabatowy na kolejne zakupy.",
            "coupon_detail": "Żeby choć trochę wynagrodzić ten kłopot, chcemy też dać Ci kod rabatowy: {detail} "
                             "zniżki na kolejne zakupy.",
            "coupon_public": "Żeby choć trochę wynagrodzić ten kłopot, przygotowaliśmy też dla Ciebie kod rabatowy "
                             "– znajdziesz go w naszym e-mailu.",
            "none": "Chcemy Ci to wynagrodzić: odpisz na tę wiadomość, a wspólnie ustalimy zwrot pieniędzy albo "
                    "wymianę – jak będzie Ci wygodniej.",
            "none_public": "Chcemy Ci to wynagrodzić, dlatego e-mailem ustalimy z Tobą zwrot pieniędzy albo "
                           "wymianę – jak będzie Ci wygodniej.",
        },
        "closing_private": "Jeśli coś jeszcze jest nie tak, po prostu odpisz na tę wiadomość – od razu się tym "
                           "zajmiemy.",
        "closing_public": "Resztę załatwmy prywatnie: napiszemy do Ciebie e-mail, a Ty również możesz w każdej "
                          "chwili napisać do nas – wystarczy wspomnieć o tej opinii.",
        "sign_off": "Pozdrawiamy serdecznie,",
        "team": "Zespół {shop}",
    },
    "lv": {
        "greeting_named": "Labdien, {name}!",
        "greeting": "Labdien!",
        "lowercase_after_greeting": False,
        "subject": {"nom": "jūsu pasūtījums", "gen": "jūsu pasūtījuma", "acc": "jūsu pasūtījumu",
                    "loc": "jūsu pasūtījumā"},
        "subject_suffix": {"order_product": " Nr. {order} („{product}”)", "order": " Nr. {order}",
                           "product": " („{product}”)", "none": ""},
        "thanks": "Paldies, ka par to pastāstījāt.",
        "apologise": {
            "late_delivery": "Atvainojamies, ka {subject_nom} nepienāca laikā.",
            "damaged_or_defective": "Atvainojamies, ka prece no {subject_gen} pienāca bojāta vai nedarbojas tā, kā "
                                    "vajadzētu.",
            "wrong_or_missing_item": "Atvainojamies, ka {subject_loc} bija nepareiza prece vai kaut kas trūka.",
            "refund_or_payment": "Atvainojamies par sarežģījumiem ar norēķiniem par {subject_acc}.",
            "price_or_hidden_fees": "Atvainojamies, ka {subject_gen} izmaksas jūs pārsteidza.",
            "customer_service": "Atvainojamies, ka, sazinoties ar mums par {subject_acc}, jūs nesaņēmāt vajadzīgo "
                                "palīdzību.",
            "security_or_fraud": "Atvainojamies par satraukumu, ko jums radīja drošības problēma saistībā ar "
                                 "{subject_acc}.",
            "other": "Atvainojamies, ka ar {subject_acc} viss nenotika tā, kā vajadzēja.",
        },
        "admit": {
            "late_delivery": "Mēs apsolījām piegādes termiņu un to neievērojām – tā ir mūsu kļūda, nevis jūsu.",
            "damaged_or_defective": "Precei bija jānonāk pie jums nevainojamā stāvoklī un darba kārtībā, un tas, ka "
                                    "tā nenotika, ir mūsu kļūda.",
            "wrong_or_missing_item": "Komplektējot pasūtījumu, mēs kļūdījāmies, un tā nav jūsu vaina.",
            "refund_or_payment": "Norēķiniem bija jābūt ātriem un skaidriem, bet mēs likām jums gaidīt – tā ir "
                                 "mūsu kļūda.",
            "price_or_hidden_fees": "Visām izmaksām bija jābūt skaidri redzamām jau pirms pasūtījuma noformēšanas, "
                                    "nevis jāatklājas tikai apmaksas brīdī – tā ir mūsu vaina.",
            "customer_service": "Uz jūsu ziņām mums bija jāatbild ātri un konkrēti, bet tā nenotika – tā ir mūsu "
                                "kļūda.",
            "security_or_fraud": "Mūsu drošības pasākumi nenostrādāja: jūsu datu un maksājumu aizsardzība ir mūsu "
                                 "atbildība, un šoreiz mēs ar to netikām galā.",
            "other": "Mēs neattaisnojām gaidas, kuras jums bija visas tiesības no mums sagaidīt, un tā ir mūsu "
                     "kļūda.",
        },
        "act": {
            "late_delivery": "Kopā ar pārvadātāju jau pārbaudījām sūtījuma maršrutu, lai noskaidrotu, kur tas "
                             "aizķērās, un informēsim jūs par jaunumiem.",
            "damaged_or_defective": "Nodevām informāciju mūsu kvalitātes komandai, kas pārbauda pārējās šīs "
                                    "partijas preces, lai neviens cits nesaņemtu bojātu preci.",
            "wrong_or_missing_item": "Salīdzinājām jūsu pasūtījumu ar sūtījuma saturu un tagad precīzi zinām, kur "
                                     "radās kļūda.",
            "refund_or_payment": "Pārbaudījām jūsu maksājumu un jau kārtojam norēķinu, lai jums vairs nebūtu mums "
                                 "jāatgādina.",
            "price_or_hidden_fees": "Pārbaudījām visas jūsu pasūtījumam pieskaitītās izmaksas, pozīciju pa "
                                    "pozīcijai.",
            "customer_service": "Pārbaudījām, kas notika ar jūsu ziņām, un tagad jūsu jautājumu risina viens "
                                "konkrēts mūsu komandas darbinieks, kurš to novedīs līdz galam.",
            "security_or_fraud": "Nobloķējām aizdomīgo piekļuvi, atiestatījām jūsu konta paroli un pārbaudām katru "
                                 "pieteikšanos un maksājumu, kas ar to saistīts.",
            "other": "Jau tagad izskatām jūsu jautājumu, un viens mūsu komandas darbinieks to vadīs līdz pat "
                     "atrisinājumam.",
        },
        "advice": {
            "security_or_fraud": "Ko varat darīt jūs: mainiet paroli citās vietnēs, kur izmantojat to pašu, un "
                                 "sekojiet līdzi sava bankas konta izrakstam; ja pamanāt maksājumu, ko "
                                 "neatpazīstat, ziņojiet par to bankai un dariet to zināmu arī mums. Mēs jums "
                                 "palīdzēsim katrā solī, arī tad, ja kāds mēģinātu jūsu datus izmantot "
                                 "ļaunprātīgi.",
        },
        "improve": {
            "late_delivery": "Turpmāk mēs paši pārbaudīsim katru aizkavētu sūtījumu pie pārvadātāja un informēsim "
                             "klientu, pirms viņam par to jājautā.",
            "damaged_or_defective": "Mainījām šīs preces iepakojumu (stingrāka kaste un vairāk pildījuma), un tagad "
                                    "pārbaudām katru eksemplāru pirms nosūtīšanas.",
            "wrong_or_missing_item": "Ieviesām papildu pārbaudi pakošanā: tagad katru sūtījumu pirms aizvēršanas "
                                     "salīdzinām ar pasūtījumu pozīciju pa pozīcijai.",
            "refund_or_payment": "Mainījām maksājumu un atmaksu kārtību: katram gadījumam tagad ir atbildīgā "
                                 "persona un termiņš, lai nevienam nebūtu jāprasa sava nauda vairākkārt.",
            "price_or_hidden_fees": "Mainām preču lapas un grozu tā, lai visas izmaksas, arī piegāde, būtu "
                                    "redzamas jau pirms pasūtījuma noformēšanas.",
            "customer_service": "Pārrunājām šo situāciju ar komandu, un turpmāk uz katru ziņu atbildēsim vienas "
                                "darba dienas laikā.",
            "security_or_fraud": "Ieviesām papildu pieteikšanās aizsardzību un pārskatām, kā glabājam un "
                                 "aizsargājam klientu datus.",
            "other": "Nodevām jūsu piezīmes atbildīgajiem kolēģiem un mainīsim to, kas pie tā noveda, lai tas "
                     "neatkārtotos.",
        },
        "compensate": {
            "refund": "Atmaksāsim jums naudu par šo pasūtījumu; tai vajadzētu atgriezties jūsu kontā dažu darba "
                      "dienu laikā.",
            "refund_detail": "Atmaksājam jums {detail}; naudai vajadzētu atgriezties jūsu kontā dažu darba dienu "
                             "laikā.",
            "refund_public": "Atmaksāsim jums naudu, un sīkāku informāciju apstiprināsim e-pastā.",
            "replacement": "Bez maksas nosūtām jums nomaiņas preci, un sūtījuma numuru paziņosim, tiklīdz paka "
                           "atstās mūsu noliktavu.",
            "replacement_public": "Bez maksas nosūtām jums nomaiņas preci, un sīkāku informāciju nosūtīsim "
                                  "e-pastā.",
            "coupon": "Lai kaut nedaudz kompensētu sagādātās neērtības, vēlamies jums piešķirt arī atlaides kodu "
                      "nākamajam pirkumam.",
            "coupon_detail": "Lai kaut nedaudz kompensētu sagādātās neērtības, vēlamies jums piešķirt arī atlaides "
                             "kodu: {detail} atlaide nākamajam pirkumam.",
            "coupon_public": "Lai kaut nedaudz kompensētu sagādātās neērtības, esam sagatavojuši jums arī atlaides "
                             "kodu – to atradīsiet mūsu e-pastā.",
            "none": "Vēlamies to jums kompensēt: atbildiet uz šo e-pastu, un kopā vienosimies par naudas atmaksu "
                    "vai preces nomaiņu – kā jums ērtāk.",
            "none_public": "Vēlamies to jums kompensēt, tāpēc e-pastā vienosimies ar jums par naudas atmaksu vai "
                           "preces nomaiņu – kā jums ērtāk.",
        },
        "closing_private": "Ja vēl kaut kas nav kārtībā, vienkārši atbildiet uz šo e-pastu – mēs par to uzreiz "
                           "parūpēsimies.",
        "closing_public": "Pārējo nokārtosim privāti: rakstīsim jums e-pastu, un arī jūs jebkurā brīdī varat mums "
                          "rakstīt – pietiek pieminēt šo atsauksmi.",
        "sign_off": "Ar cieņu,",
        "team": "{shop} komanda",
    },
}
