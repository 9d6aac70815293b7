"""What the public pages say, in each language customer emails are written in."""

LANGUAGES = ("en", "pl", "lv")

TEXTS = {
    "en": {
        "thanks_title": "Thank you!",
        "thanks_score": "We have recorded your answer: {score} of 5.",
        "thanks_high": "We are glad we could put things right.",
        "thanks_low": "We are sorry it is still not right. Your answer goes to the person who handled your case.",
        "review_invite": "If you would like to, you can update your review:",
        "review_link": "Open your review",
        "unsubscribe_title": "Unsubscribe",
        "unsubscribe_question": "Stop emails from {shop} to {email}?",
        "unsubscribe_button": "Unsubscribe",
        "unsubscribed_title": "You are unsubscribed",
        "unsubscribed_text": "We will send no more emails to {email}.",
        "invalid_title": "This link does not work",
        "invalid_text": "It is not valid or it has expired. To answer us, reply to the email instead.",
    },
    "pl": {
        "thanks_title": "Dziękujemy!",
        "thanks_score": "Zapisaliśmy Twoją odpowiedź: {score} na 5.",
        "thanks_high": "Cieszymy się, że udało się to naprawić.",
        "thanks_low": "Przykro nam, że nadal nie jest dobrze. Twoja odpowiedź trafi do osoby, która zajmowała się "
                      "Twoją sprawą.",
        "review_invite": "Jeśli chcesz, możesz zaktualizować swoją opinię:",
        "review_link": "Otwórz swoją opinię",
        "unsubscribe_title": "Wypisz się",
        "unsubscribe_question": "Czy przestać wysyłać wiadomości od {shop} na adres {email}?",
        "unsubscribe_button": "Wypisz mnie",
        "unsubscribed_title": "Wypisano",
        "unsubscribed_text": "Nie wyślemy już żadnych wiadomości na adres {email}.",
        "invalid_title": "Ten link nie działa",
        "invalid_text": "Jest nieprawidłowy albo wygasł. Aby nam odpowiedzieć, odpisz na wiadomość e-mail.",
    },
    "lv": {
        "thanks_title": "Paldies!",
        "thanks_score": "Mēs saglabājām jūsu atbildi: {score} no 5.",
        "thanks_high": "Mēs priecājamies, ka izdevās visu labot.",
        "thanks_low": "Mums žēl, ka joprojām nav labi. Jūsu atbilde nonāks pie cilvēka, kurš risināja jūsu jautājumu.",
        "review_invite": "Ja vēlaties, varat atjaunināt savu atsauksmi:",
        "review_link": "Atvērt savu atsauksmi",
        "unsubscribe_title": "Atrakstīties",
        "unsubscribe_question": "Vai pārtraukt {shop} e-pastu sūtīšanu uz {email}?",
        "unsubscribe_button": "Atrakstīties",
        "unsubscribed_title": "Jūs esat atrakstījies",
        "unsubscribed_text": "Mēs vairs nesūtīsim e-pastus uz {email}.",
        "invalid_title": "Šī saite nedarbojas",
        "invalid_text": "Tā nav derīga vai tās derīguma termiņš ir beidzies. Lai mums atbildētu, atbildiet uz e-pastu.",
    },
}
