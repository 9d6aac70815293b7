"""What an incident's broadcast update says, per language (pl, en, lv, as domain/follow_up_texts.py).

Prepared texts are allowed here and only here (SPEC section 2 "One crisis, many cases"; EXTRACT §11: "ready
templates for customer emails", prepared in advance). TEMPLATES prefill the agent's update per cause: what
happened, what we are doing, what it means for the customer; the security one follows the playbook
(EXTRACT §10.1: tell quickly, what happened, what was done, what to do, what support they get). Each has
[bracketed] parts only the agent can fill: an update with one left is refused (domain.incidents). The agent
edits and approves the text; nothing is sent as prepared.

FRAME is what each email adds around the approved text, personal to its customer: the first name, the
order number, and the remedy that applies to them. Polish uses the capitalised "Ty" forms of a personal
letter; Latvian the "jūs" of the follow-ups. Placeholders are filled with str.format; the HTML template
escapes the result.
"""

FRAME = {
    "en": {
        "subject_order": "{shop}: an update about your order #{order}",
        "subject": "{shop}: an important update",
        "greeting_named": "Hello {name},",
        "greeting": "Hello,",
        "about_order": "We are writing about your order #{order}, which is affected by a problem on our side. "
                       "Here is where things stand (update {number}).",
        "about": "We are writing because you are affected by a problem on our side. Here is where things stand "
                 "(update {number}).",
        "for_you": "For you personally:",
        "no_remedy": "We will contact you separately about compensation for the trouble.",
        "reply": "If you have any question, just reply to this email.",
        "reply_site": "If you have any question, write to us through {url}.",
        "closing": "Kind regards,",
        "footer": "You are receiving this message because your order with {shop} is affected by this problem. If "
                  "you do not want any more emails from us, unsubscribe here:",
        "unsubscribe": "Unsubscribe",
    },
    "pl": {
        "subject_order": "{shop}: informacja o Twoim zamówieniu nr {order}",
        "subject": "{shop}: ważna informacja",
        "greeting_named": "Dzień dobry {name},",
        "greeting": "Dzień dobry,",
        "about_order": "piszemy w sprawie Twojego zamówienia nr {order}, którego dotyczy problem po naszej stronie. "
                       "Oto, jak wygląda sytuacja (informacja nr {number}).",
        "about": "piszemy, ponieważ dotyczy Cię problem po naszej stronie. Oto, jak wygląda sytuacja "
                 "(informacja nr {number}).",
        "for_you": "Dla Ciebie osobiście:",
        "no_remedy": "Skontaktujemy się z Tobą osobno w sprawie rekompensaty za kłopot.",
        "reply": "Jeśli masz pytania, po prostu odpowiedz na tę wiadomość.",
        "reply_site": "Jeśli masz pytania, napisz do nas przez stronę {url}.",
        "closing": "Pozdrawiamy serdecznie,",
        "footer": "Otrzymujesz tę wiadomość, ponieważ ten problem dotyczy Twojego zamówienia w sklepie {shop}. "
                  "Jeśli nie chcesz więcej wiadomości od nas, wypisz się tutaj:",
        "unsubscribe": "Wypisz się",
    },
    "lv": {
        "subject_order": "{shop}: jaunākā informācija par jūsu pasūtījumu Nr. {order}",
        "subject": "{shop}: svarīga informācija",
        "greeting_named": "Labdien, {name}!",
        "greeting": "Labdien!",
        "about_order": "Rakstām par jūsu pasūtījumu Nr. {order}, ko skārusi problēma mūsu pusē. Lūk, kāda ir "
                       "situācija ({number}. ziņa).",
        "about": "Rakstām, jo jūs skārusi problēma mūsu pusē. Lūk, kāda ir situācija ({number}. ziņa).",
        "for_you": "Jums personīgi:",
        "no_remedy": "Par kompensāciju par sagādātajām neērtībām sazināsimies ar jums atsevišķi.",
        "reply": "Ja jums ir jautājumi, vienkārši atbildiet uz šo e-pastu.",
        "reply_site": "Ja jums ir jautājumi, rakstiet mums: {url}.",
        "closing": "Ar cieņu,",
        "footer": "Jūs saņemat šo ziņu, jo šī problēma skar jūsu pasūtījumu veikalā {shop}. Ja nevēlaties vairs "
                  "saņemt mūsu e-pastus, atrakstieties šeit:",
        "unsubscribe": "Atrakstīties",
    },
}

# The agent's starting point per cause ("general" for the causes without one of their own); {hours} is the
# incident's update cadence.
TEMPLATES = {
    "late_delivery": {
        "en": "What happened: since [date] our courier partner has had a serious failure, and many parcels, yours "
              "among them, are late or cannot be traced.\n\n"
              "What we are doing: we are in touch with the courier every day, tracing each parcel, and sending a "
              "replacement wherever a parcel cannot be found.\n\n"
              "What it means for you: you do not need to do anything. If your parcel arrives damaged, or has not "
              "arrived by [date], reply to this email and we will put it right at once. We will write again "
              "within {hours} hours.",
        "pl": "Co się stało: od [data] nasza firma kurierska ma poważną awarię i wiele paczek, w tym Twoja, jest "
              "opóźnionych albo nie da się ich namierzyć.\n\n"
              "Co robimy: codziennie kontaktujemy się z kurierem, śledzimy każdą paczkę, a tam, gdzie paczki nie da "
              "się odnaleźć, wysyłamy nową.\n\n"
              "Co to oznacza dla Ciebie: nie musisz nic robić. Jeśli paczka dotrze uszkodzona albo nie dotrze do "
              "[data], odpowiedz na tę wiadomość, a od razu się tym zajmiemy. Napiszemy ponownie w ciągu {hours} h.",
        "lv": "Kas notika: kopš [datums] mūsu kurjeru partnerim ir nopietni darbības traucējumi, un daudzi "
              "sūtījumi, arī jūsu, kavējas vai tos nevar izsekot.\n\n"
              "Ko mēs darām: katru dienu sazināmies ar kurjeru, izsekojam katru sūtījumu un, ja sūtījumu nevar "
              "atrast, nosūtām jaunu.\n\n"
              "Ko tas nozīmē jums: jums nekas nav jādara. Ja sūtījums pienāk bojāts vai nav pienācis līdz "
              "[datums], atbildiet uz šo e-pastu, un mēs to nekavējoties nokārtosim. Mēs rakstīsim vēlreiz "
              "{hours} stundu laikā.",
    },
    "damaged_or_defective": {
        "en": "What happened: we found a fault in one batch of [product]: some of the items sent between [date] "
              "and [date] may be damaged or not work properly.\n\n"
              "What we are doing: we have stopped sending items from that batch, checked our stock and asked the "
              "manufacturer for the cause.\n\n"
              "What it means for you: please do not use an item that looks damaged. Reply to this email and we "
              "will send a replacement or refund you, as you prefer; you do not need to send the faulty item back "
              "first. We will write again within {hours} hours.",
        "pl": "Co się stało: wykryliśmy wadę w jednej partii produktu [produkt]: część egzemplarzy wysłanych między "
              "[data] a [data] może być uszkodzona albo działać nieprawidłowo.\n\n"
              "Co robimy: wstrzymaliśmy wysyłkę z tej partii, sprawdziliśmy nasz magazyn i poprosiliśmy producenta "
              "o wyjaśnienie przyczyny.\n\n"
              "Co to oznacza dla Ciebie: nie używaj produktu, który wygląda na uszkodzony. Odpowiedz na tę "
              "wiadomość, a wyślemy nowy egzemplarz albo zwrócimy pieniądze, jak wolisz; nie musisz najpierw "
              "odsyłać wadliwego produktu. Napiszemy ponownie w ciągu {hours} h.",
        "lv": "Kas notika: atklājām defektu vienā preces [prece] partijā: daļa preču, kas nosūtītas no [datums] "
              "līdz [datums], var būt bojātas vai nedarboties pareizi.\n\n"
              "Ko mēs darām: esam apturējuši šīs partijas preču sūtīšanu, pārbaudījuši krājumus un lūguši "
              "ražotājam noskaidrot cēloni.\n\n"
              "Ko tas nozīmē jums: lūdzu, nelietojiet preci, kas izskatās bojāta. Atbildiet uz šo e-pastu, un mēs "
              "nosūtīsim jaunu preci vai atmaksāsim naudu, kā vēlaties; bojātā prece nav vispirms jāsūta atpakaļ. "
              "Mēs rakstīsim vēlreiz {hours} stundu laikā.",
    },
    "security_or_fraud": {
        "en": "What happened: on [date] we found that [what happened: which data, how many customers]. We are "
              "telling you straight away because your data may be affected.\n\n"
              "What we have done: we closed the gap and [the steps taken to secure the data].\n\n"
              "What you should do: change your password in our shop and wherever you use the same one, watch your "
              "bank statements, and be careful with emails or calls that ask for your data in our name: we will "
              "never ask for your password.\n\n"
              "The support you get: if you notice anything suspicious, reply to this email. We will help you, "
              "including with the steps that protect you against identity theft. We will write again within "
              "{hours} hours.",
        "pl": "Co się stało: [data] odkryliśmy, że [co się stało: jakie dane, ilu klientów]. Informujemy Cię od "
              "razu, bo może to dotyczyć Twoich danych.\n\n"
              "Co zrobiliśmy: zamknęliśmy lukę i [kroki podjęte, by zabezpieczyć dane].\n\n"
              "Co warto zrobić: zmień hasło w naszym sklepie i wszędzie tam, gdzie używasz tego samego hasła, "
              "sprawdzaj wyciągi z konta i uważaj na wiadomości lub telefony, w których ktoś w naszym imieniu prosi "
              "o dane: nigdy nie poprosimy Cię o hasło.\n\n"
              "Jakie wsparcie otrzymasz: jeśli zauważysz coś podejrzanego, odpowiedz na tę wiadomość. Pomożemy Ci, "
              "także w krokach, które chronią przed kradzieżą tożsamości. Napiszemy ponownie w ciągu {hours} h.",
        "lv": "Kas notika: [datums] atklājām, ka [kas notika: kādi dati, cik klientu]. Informējam jūs "
              "nekavējoties, jo tas var skart jūsu datus.\n\n"
              "Ko mēs izdarījām: novērsām nepilnību un [kā dati tika aizsargāti].\n\n"
              "Kas jums būtu jādara: nomainiet paroli mūsu veikalā un visur, kur izmantojat to pašu paroli, "
              "sekojiet līdzi bankas konta izrakstiem un esiet piesardzīgi ar e-pastiem vai zvaniem, kuros mūsu "
              "vārdā prasa jūsu datus: mēs nekad neprasīsim jūsu paroli.\n\n"
              "Kādu atbalstu jūs saņemsiet: ja pamanāt ko aizdomīgu, atbildiet uz šo e-pastu. Mēs palīdzēsim, arī "
              "ar soļiem, kas pasargā no identitātes zādzības. Mēs rakstīsim vēlreiz {hours} stundu laikā.",
    },
    "general": {
        "en": "What happened: [the problem in one or two sentences].\n\n"
              "What we are doing: [what is being done now, and what changes so it does not happen again].\n\n"
              "What it means for you: [what the customer should do, if anything]. We will write again within "
              "{hours} hours.",
        "pl": "Co się stało: [problem w jednym lub dwóch zdaniach].\n\n"
              "Co robimy: [co robimy teraz i co zmieniamy, żeby to się nie powtórzyło].\n\n"
              "Co to oznacza dla Ciebie: [co klient powinien zrobić, jeśli cokolwiek]. Napiszemy ponownie w ciągu "
              "{hours} h.",
        "lv": "Kas notika: [problēma vienā vai divos teikumos].\n\n"
              "Ko mēs darām: [ko darām tagad un ko mainām, lai tas neatkārtotos].\n\n"
              "Ko tas nozīmē jums: [kas klientam būtu jādara, ja kaut kas]. Mēs rakstīsim vēlreiz {hours} stundu "
              "laikā.",
    },
}


def template_for(cause, language, cadence_hours):
    """The prepared update for the incident's cause in `language`, with its cadence filled in."""
    texts = TEMPLATES.get(cause, TEMPLATES["general"])
    return texts.get(language, texts["en"]).format(hours=cadence_hours)
