"""The words and phrases that name each complaint cause, in Polish, English and Latvian.

Pattern syntax (compiled once by cause_detection; diacritics are folded away before matching):
  word      exactly this word            stem*     any word starting with "stem" (inflection)
  a/b*      either alternative           ..        up to four words in between (same sentence)
  {name}    a macro from MACROS (a raw regular expression on folded text)
Per cause and language:
  terms     complaint words that a negation just before cancels ("nie była uszkodzona", "not damaged")
  phrases   complaints that carry their own negation or need no help ("nie działa", "never replied")
  weak      topic words ("refund", "reklamacja") that count only when the text is negative anyway
A leading "!" drops the match when a day or time is named ("zamówiłem w poniedziałek, dostałem
w środę" is not a wrong item) or the thing got is "it". `_ignore` phrases name a thing that is not
the product ("the tracking link doesn't work"): a cause word inside one does not count. MARKERS are
complaints whose cause depends on what they are about: "czekam" (I am waiting) for a parcel, a refund
or an answer; the nearest of the TOPICS in the sentence decides, else the marker's default.
"""

MACROS = {
    # "3 tygodnie", "prawie miesiąc", "trzeci tydzień", "2 weeks", "a month", "divas nedēļas" (folded). They
    # start with a number, a quantity word or the unit itself, so the regex can reject most words at once.
    "dur_pl": r"(?:(?:\d+|pol|jed\w+|dw\w+|trz\w+|czter\w+|pie?c\w*|piec\w*|sze\w+|siedem\w*|osiem\w*|dziesi\w+|"
              r"kilk\w*|ponad|prawie|okolo|blisko|niemal\w*|cal\w+)[\s-]*){0,2}"
              r"(?:dni|dnia|dzien|tydz\w*|tygodni\w*|tyg|miesiac\w*|miesiec\w*)(?!\w)",
    "dur_en": r"(?:(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|few|several|couple|of|over|almost|"
              r"nearly|about|around|whole|full)[\s-]*){0,3}(?:days?|weeks?|months?|wks?)(?!\w)",
    "dur_lv": r"(?:(?:\d+|vien\w+|div\w+|tri\w*|cetr\w+|piec\w*|ses\w*|septin\w*|aston\w*|desmit\w*|pus\w*|"
              r"vairak\w*|gandriz|apmeram|vesel\w+|pilnu|jau)[\s-]*){0,2}(?:dien\w*|nedel\w*|ned|menes\w*|menes)(?!\w)",
    "money": r"(?:[£€$]\s?\d+(?:[.,]\d+)?|\d+(?:[.,]\d+)?\s?(?:zl|pln|eur|euro|eiro|gbp|usd|€|£)(?!\w))",
}

LEXICON = {
    "pl": {
        "security_or_fraud": {
            "terms": ["podrób*", "oszust*", "oszuk*", "phishing*", "fishing*", "wyłudz*", "wyciek*", "włam*", "zhakow*",
                      "shakow*", "podszyw*", "fałszyw*", "nieautoryzowan*", "kradzież*", "skradzion*", "ukradzion*"],
            "phrases": ["przejęt* konto/konta", "przejął*/przejęl* .. kont*", "kont* .. przejął*/przejęl*",
                        "ktoś/ktos zalogował*/przejął*/użył*/wykorzystał*/próbował*/włamał*",
                        "dane .. wyciekł*/wyciekły", "cudz* faktur*/dane/danymi",
                        "których/którego/której nie składał*/zamawiał*/zlecał*/robił*",
                        "hasło/hasła .. zmienion*/zmieniono/zresetowan*",
                        "podejrzan* sms*/mail*/transakcj*/płatnoś*/logowani*/link*"],
            "weak": ["rodo", "zablokował* kart*", "sms* z link*"],
        },
        "price_or_hidden_fees": {
            "terms": ["zdzierstw*", "przepłac*", "drożej", "drogo"],
            "phrases": ["za drog*", "ukryt*/skryt* opłat*/koszt*", "dodatkow* opłat*/koszt*",
                        "opłat* serwisow*/manipulacyjn*/administracyjn*", "opłat* za obsług*/pobranie",
                        "dolicz*", "dopłat*", "kod* rabatow* .. nie zadziała*/działa*/działał*",
                        "rabat* .. nie zadziała*/działa*/działał*", "cen* .. podnie*/podniesion*/wzrosł*",
                        "podnie* cen*", "zawyż* cen*", "wysok* cen*/koszt*/opłat*", "nieuczciw* cen*/rabat*",
                        "w koszyku .. więcej/drożej/wyższ*", "cen*/koszt* .. zaskoczy*"],
            "weak": ["koszt* wysyłki/dostawy/przesyłki", "cen* wysyłki/dostawy", "w koszyku", "cło/cła/cłem",
                     "bez vat", "{money} za kuriera/wysyłkę/dostawę/przesyłkę/kopertę"],
        },
        "refund_or_payment": {
            "phrases": ["odmówi*/odrzuci*/odrzucon*/odrzuca* .. zwrot*/reklamac*/gwarancj*",
                        "zwrot*/reklamac*/gwarancj* .. odrzucon*/odrzuci*/odmówi*/nieuznan*",
                        "pobra*/zapłaci*/obciąż* .. dwa razy", "pobra*/zapłaci*/obciąż* .. podwójnie/dwukrotnie",
                        "dwa razy .. pobra*/zapłaci*/obciąż*", "podwójnie/dwukrotnie .. pobra*/zapłaci*/obciąż*",
                        "płatnoś* .. podwójn*",
                        "nie zaksięgowa*", "nie został*/zostały zaksięgowan*", "niezaksięgowan*", "nieopłacon*",
                        "zeszł*/pobra*/zabra*/ściągn* z konta",
                        "pobra* .. opłat*", "nie odda*/zwróci*/oddał*", "część kwoty", "na własny koszt",
                        "koszt* odesłania/zwrotu", "odesła* .. z powrotem"],
            "weak": ["zwrot*", "reklamac*", "odstąpi* od umowy", "blik*", "przelew*", "płatnoś*", "gwarancj*"],
        },
        "customer_service": {
            "terms": ["niemił*", "nieuprzejm*", "opryskliw*", "chamsk*", "arogan*", "niekompetent*", "olewa*",
                      "olali", "olał*", "zbywa*", "zbyli", "ignoruj*", "zignorowa*", "lekceważ*", "milcz*"],
            "phrases": ["brak/zero kontaktu", "kontakt* .. zerowy/żaden/fatalny/utrudniony/beznadziejny",
                        "nie da się .. dodzwoni*/skontaktowa*/złapa*", "nie można .. dodzwoni*/skontaktowa*/złapa*",
                        "nikt nie odbier*/odpis*/odpowi*/oddzwoni*/pomóg*/pomoże/uprzedzi*/poinformowa*",
                        "nie odbiera*/odpisuj*/odpisał*/odpowiada*/odpowiedzia*/oddzwoni*/oddzwania*",
                        "bez/zero odpowiedzi", "nie przeprosi*", "rzuci* słuchawk*",
                        "obsług* .. dramat/tragedia/tragiczn*/fataln*/beznadziejn*/żenując*/skandal*/porażk*",
                        "słab*/zła/fataln*/tragiczn*/beznadziejn*/kiepsk* obsług*", "bez słowa", "bez wyjaśnie*",
                        "z botem", "nie uprzedzi*/poinformowa*", "nic nie rozumi*", "brak informacji"],
            "weak": ["infolini*", "cisza", "bez konkretów", "obsług* klienta", "konsultant*"],
        },
        "damaged_or_defective": {
            "terms": ["uszkodz*", "zepsu*", "wadliw*", "wada/wady/wadą/wadę", "defekt*", "felern*", "pęknię*",
                      "pękł*", "pęka*", "popęka*", "potłuczon*", "stłuczon*", "rozbit*", "zniszcz*", "porysowan*",
                      "zarysowan*", "rysa/rysy/rysą/rysę", "rozmokni*", "zamokni*", "przeciek*", "ciekn*",
                      "trzeszcz*", "odklej*", "rozklei*", "prują/pruje", "rozpad*", "rozlecia*", "urwa*",
                      "złaman*", "przeterminowan*", "zmechac*", "spleśni*", "zardzewia*", "wgniecion*",
                      "pofalowan*", "padnięt*"],
            "phrases": ["nie działa*", "przestał*/przestała/przestało .. działać/ssać/grzać/ładować/chłodzić/świecić",
                        "nie włącza*", "nie ładuje", "nie grzeje", "nie trzyma", "nie chłodzi",
                        "martw* piksel*", "termin* ważności .. minął/upłynął/minęła"],
            "weak": ["fataln*/tragiczn*/słab*/kiepsk*/marn*/beznadziejn*/niska/niskiej jakoś*",
                     "jakoś* .. fataln*/tragiczn*/słab*/kiepsk*/marn*/beznadziejn*"],
        },
        "wrong_or_missing_item": {
            "terms": ["niekompletn*", "niezgodn*", "zamiast"],
            "phrases": ["zły/zła/złe/złego/złym/złą/niewłaściw*/błędn*/inn* rozmiar*/kolor*/model*/produkt*/towar*/"
                        "wersj*/rzecz*/przedmiot*",
                        "nie ten/tego/ta/to model*/rozmiar*/kolor*/produkt*/towar*", "nie to co",
                        "!zamawiał*/zamówił* .. a/ale przyszł*/przyszedł/dostał*/jest",
                        "!zamówił*/zamawiał* .. dostał*", "niż na zdjęci*/obrazk*/stronie", "niż w opisie",
                        "używan* produkt*/towar*", "ślady używania/użytkowania", "cudz* paczk*/zamówieni*",
                        "dostał*/przyszł*/przyszedł tylko"],
        },
        "late_delivery": {
            "terms": ["spóźni*", "opóźni*", "zaginę*", "zaginion*", "zgubi*", "zgubion*", "utknę*"],
            "phrases": ["po terminie", "nie na czas", "nie przyjecha*/dojecha*/doręczy*", "nie wysłan*",
                        "niewysłan*", "nie nadan*", "nie została wysłana", "status .. nie zmienia",
                        "długo .. czeka*/szł*/idzie", "dług* dostaw*/realizacj*/oczekiwani*",
                        "wolna/powolna dostaw*",
                        "dotar*/przysz*/przyszł*/przyszedł/doszł*/doszedł/dostał* dopiero po {dur_pl}",
                        "nadal/wciąż/dalej/ciągle w przygotowaniu/realizacji/drodze"],
            "weak": ["czas* realizacji", "w przygotowaniu", "w drodze"],
        },
        "_ignore": {
            "phrases": ["strona/sklep/link/czat/infolinia/wyszukiwarka/formularz/aplikacja .. nie działa*",
                        "nie ma problemu/problemów/zastrzeżeń/sensu/co", "kurier* nie odbiera*/odpowiada*"],
        },
    },
    "en": {
        "security_or_fraud": {
            "terms": ["scam*", "fraud*", "phishing", "phish*", "hack*", "breach*", "counterfeit*",
                      "unauthorised", "unauthorized", "impersonat*", "stolen"],
            "phrases": ["data leak*", "leak*/leaked .. data/details/list/information/database/emails",
                        "identity theft", "purchases/payments/orders/transactions/charges i/we didn't/never .. "
                        "make/made/place/placed/authorise/authorize",
                        "someone logged/accessed/used/hacked/reset/changed/tried/broke",
                        "logged/broke/got into my account", "account .. hacked/compromised/breached",
                        "fake site/website/shop/store/page/payment/email/text/sms/link/seller",
                        "pretending to be", "suspicious payment/transaction/charge/login/email/text/sms/activity/link"],
            "weak": ["card details", "password reset"],
        },
        "price_or_hidden_fees": {
            "terms": ["overpriced", "overcharg*", "extortionate", "ripoff", "rip-off"],
            "phrases": ["rip off", "hidden fee*/charge*/cost*", "extra fee*/charge*/cost*",
                        "service/handling/packaging/admin/processing/booking/card fee*/charge*", "too expensive",
                        "price* went/gone up", "price* increased/changed/jumped", "bumped/jacked/hiked .. up",
                        "charged .. more/extra", "full price", "customs charge*/fee*/duty/duties",
                        "import vat/duty/duties/fee*/tax*",
                        "code/voucher/coupon .. didn't/doesn't/won't/wouldn't/not apply/work",
                        "half/twice the price", "cheaper elsewhere/on/at", "more than the item/product",
                        "price .. said/was/showed/listed .. paid", "{money} delivery/shipping/postage on"],
            "weak": ["shipping/postage/delivery cost*/charge*/fee*", "fee/fees", "expensive", "pricey"],
        },
        "refund_or_payment": {
            "phrases": ["no refund", "refus* .. return*/refund*/exchange*",
                        "return/refund/claim/warranty .. refused/rejected/denied/declined",
                        "charged twice/double/again", "charged .. two/three times", "double charg*", "charged but",
                        "payment/transaction failed/declined", "failed payment", "money .. taken/deducted",
                        "took/taken .. money/payment", "not/hasn't/haven't been reversed/refunded",
                        "partial refund", "refund .. only partial", "pay .. return shipping/postage/costs",
                        "chase* .. refund*", "chargeback", "kept the shipping/postage/money",
                        "kept the shipping/postage cost*/fee*/charge*"],
            "weak": ["refund*", "reimburs*", "money back", "return/returns/returned/returning", "warranty",
                     "payment"],
        },
        "customer_service": {
            "terms": ["rude", "unhelpful", "unprofessional", "dismissive", "condescending", "ignor*",
                      "unreachable", "scripted", "canned"],
            "phrases": ["no response/reply/replies/answer/contact/callback/help",
                        "never/didn't/hasn't/haven't/won't/doesn't/don't/not reply/replied/respond/responded/"
                        "answer/answers/answered/get/got/call/called",
                        "nobody/noone/no-one answers/answered/replies/replied/responds/responded/got/gets/picks/"
                        "picked/can/helped/helps/calls/called/cares", "no one answers/answered/replies/replied/"
                        "responds/responded/got/gets/picks/picked/can/helped/helps/calls/called/cares",
                        "impossible to reach/contact/get", "can't/cannot/couldn't reach/contact",
                        "unable to reach/contact",
                        "can't/cannot/couldn't get through/hold",
                        "hung/hang up", "callback/call .. never", "copied and pasted", "copy and paste",
                        "generic reply/response/answer/email",
                        "service/support/staff/agent is/was/were/are useless/terrible/awful/rude/non-existent/"
                        "appalling/shocking/poor/bad", "service/support/staff .. a joke",
                        "terrible/awful/poor/bad/useless/appalling/shocking customer service",
                        "terrible/awful/poor/bad/useless/appalling/shocking support/communication/service",
                        "treated me like", "rings out", "offline", "zero empathy", "without explanation/explaining",
                        "without an explanation", "no notice/notification/warning/explanation/communication/updates",
                        "didn't/never tell/told/inform/informed/notify/notified/warn/warned/explain/explained"],
            "weak": ["customer service", "support", "chat"],
        },
        "damaged_or_defective": {
            "terms": ["damag*", "broken", "broke", "breaks", "cracked", "crack", "cracks", "shattered", "smashed",
                      "dented", "scratch*", "defect*", "faulty", "malfunction*", "leak*", "crackl*", "bent",
                      "torn", "ripped", "mould*", "mold*", "moldy", "expired", "rusty", "rusted", "snapped", "died"],
            "phrases": ["doesn't/didn't/won't/wouldn't/not/don't work/charge/start/heat/connect/hold",
                        "doesn't/didn't/won't/wouldn't/not/don't turn/switch/power on",
                        "does/did/will not work/charge/start/heat/connect/hold",
                        "does/did/will not turn/switch/power on",
                        "not working", "stopped working/charging/heating/turning", "in pieces",
                        "came/fell/falling/coming apart", "dead on arrival", "doa"],
            "weak": ["poor/bad/terrible/awful/cheap/shoddy/low quality/build/material/plastic", "junk"],
        },
        "wrong_or_missing_item": {
            "terms": ["incomplete"],
            "phrases": ["wrong item*/size/colour/color/model/product/order/one/thing/version/part*/style/variant",
                        "size/colour/color/item/model/product is/was wrong", "not as described/advertised/pictured/"
                        "shown/listed/expected", "nothing like the picture*/photo*/image*/description/listing",
                        "looks nothing like", "different item/model/product/colour/color/size/version/one than/from/to",
                        "completely different", "instead of", "someone else's order/parcel/package/item",
                        "not/weren't/wasn't/isn't/aren't included", "half the/my order",
                        "only .. of the", "only received/got/came", "received/got only", "used item/product",
                        "signs of use",
                        "shorter/smaller/bigger/larger/longer/thinner/darker/lighter than stated/described/"
                        "advertised/pictured/shown/listed",
                        "!ordered .. but/and got/received/was", "!ordered .. received/got"],
            "weak": ["is/was/are/were wrong"],
        },
        "late_delivery": {
            "terms": ["late", "delay*", "lost", "stuck"],
            "phrases": ["where is my order/parcel/package", "where my order/parcel/package is", "no sign of",
                        "slow/late/delayed delivery/shipping/dispatch/post",
                        "delivered to .. wrong address/house/door/locker/person", "took forever/ages",
                        "tracking .. hasn't/not/never/didn't updated/moved/changed",
                        "says/shows/marked .. delivered but", "out for delivery since", "lost in transit/the",
                        "longer than promised/expected/stated/advertised/quoted",
                        "keeps/kept moving/changing/getting", "no show", "hasn't/not/never shipped/dispatched",
                        "still hasn't shipped/dispatched"],
        },
        "_ignore": {
            "phrases": ["label/link/code/voucher/coupon/site/website/page/search/tracking/number/app/checkout/chat/"
                        "login/password .. doesn't/didn't/won't/not/isn't work*"],
        },
    },
    "lv": {
        "security_or_fraud": {
            "terms": ["krāpn*", "krāpš*", "krāpniec*", "pikšķer*", "noplūd*", "nopludin*", "uzlauz*", "ielauz*",
                      "viltot*", "viltojum*", "nesankcionēt*", "zādzīb*", "nozag*"],
            "phrases": ["kāds/kads ielogoj*/uzlauz*/izmantoj*/izmantoja/mēģināja/nomainīja/pieslēdzās",
                        "datu noplūd*", "svešu rēķin*", "ko/kuru/kurus neesmu/nebiju veicis/veikusi/veicusi",
                        "aizdomīg* darījum*/maksājum*/e-past*/īsziņ*/sait*"],
            "weak": ["apstiprināt paroli/kartes", "ievadīt kartes datus"],
        },
        "price_or_hidden_fees": {
            "terms": ["piemaks*", "uzcenoj*"],
            "phrases": ["pārāk dārg*", "slēpt* maks*/izmaks*", "papildu maks*/izmaks*",
                        "apkalpošanas/apstrādes/administrēšanas/iepakojuma maks*",
                        "cen* .. pacēl*/pieaug*/augstāk*/lielāk*/mainīj*", "augstāk*/lielāk* .. cen*",
                        "atlaides kod* .. nestrādā*/nedarbojas/nedarbojās", "kod* nestrādā*/nedarbojas/nedarbojās",
                        "pilnu cenu", "lētāk* citur/pie", "citur .. lētāk*", "muit*", "negodīg* cen*",
                        "grozā .. vairāk/augstāk*/dārgāk*", "cen*/maks*/izmaks* .. pārsteidz*/pārsteidza",
                        "izmaks*/cen*/maks* .. smieklīg*/pārmērīg*/nenormāl*"],
            "weak": ["piegādes izmaks*/maks*/cen*", "grozā", "dārg*", "bez pvn"],
        },
        "refund_or_payment": {
            "phrases": ["atteic*/atteica/atsakās/atsak* .. atgriešan*/atmaks*/pieņemt/garantij*/pretenzij*",
                        "garantij*/pretenzij*/atgriešan* .. atteic*/noraidīt*/noraidīj*",
                        "noņem*/noņēm* .. divreiz/divas/dubult*", "divreiz", "nav ieskaitīt*",
                        "maksājum* neizgāj*/neizdevās/failed", "naud* .. noņemt*", "noņēma maksu",
                        "daļu summas", "par saviem līdzekļiem", "jāmaksā pašam", "gaida apmaksu", "ne naudas"],
            "weak": ["atmaks*", "naud* atpakaļ", "atgriešan*", "pretenzij*", "garantij*", "maksājum*", "atguv*"],
        },
        "customer_service": {
            "terms": ["nelaipn*", "rupj*", "nepieklājīg*", "augstprātīg*", "ignorē*", "nekompetent*", "šablon*",
                      "klusē*"],
            "phrases": ["neatbild*", "neviens/neko neatbild*/nepiezvanīj*/neatzvanīj*/nesazinājās/nepaziņoj*",
                        "neviens .. nepaziņoj*", "ne/nav atbildes/kontakta", "bez atbildes",
                        "nekād* kontakt*/atbild*", "nekādas informācijas", "neko nesaprot*", "nevar sazināties",
                        "sazināties .. neiespējam*",
                        "neiespējam* sazināties", "nolika klausuli",
                        "apkalpošan*/atbalst* .. šausmīg*/briesmīg*/slikt*/nelaipn*/traģisk*/drausmīg*",
                        "slikt*/šausmīg*/briesmīg* apkalpošan*/attieksm*", "bez paskaidrojum*", "nepaziņoja"],
            "weak": ["robots", "atbalsta dienest*", "aizņemts"],
        },
        "damaged_or_defective": {
            "terms": ["bojā*", "sabojā*", "salauz*", "salūz*", "saplīs*", "saplēs*", "ieplīs*", "plīs*", "sasist*",
                      "sasit*", "skrāp*", "saskrāp*", "defekt*", "brāķis/brāķa/brāķim/brāķēt*/brāķain*/brāķīg*",
                      "krakšķ*", "atlīmēj*", "izmirk*", "sarāv*",
                      "pelēj*", "sarūs*", "tek", "irst"],
            "phrases": ["nestrādā*", "nedarbojas", "nedarbojās", "pārstāja darboties/strādāt/lādēt*/sildīt",
                        "neieslēdz*", "nelādē*", "neuzlādē*", "derīguma termiņš .. beidzies/beidzās/pagājis",
                        "gabalos"],
            "weak": ["slikt*/zem*/briesmīg*/šausmīg*/traģisk* kvalitāt*",
                     "kvalitāt* .. slikt*/briesmīg*/šausmīg*/traģisk*/zem*"],
        },
        "wrong_or_missing_item": {
            # Not "pakā/kastē nebija" (nothing in the parcel/box): folded, they are "paka/kaste nebija",
            # which also begins "Paka nebija bojāta" (the parcel was not damaged).
            "terms": ["nepilnīg*", "nepareiz*", "vietā", "neatbilst*"],
            "phrases": ["cit*/citād* krās*/izmēr*/model*/prec*/produkt*", "cit*/citād* nekā attēlā/bildē/aprakstā/foto",
                        "svešu pasūtījum*/pak*/sūtījum*", "komplektā/iepakojumā nebija/nav/trūka/trūkst",
                        "lietot* prec*", "lietošanas pēd*", "!pasūtīju/pasūtījām .. saņēmu/atsūtīja/atnāca",
                        "saņēmu/saņēmām/atsūtīja tikai",
                        "atsūtīja nepareiz*/cit*"],
        },
        "late_delivery": {
            "terms": ["kavē*", "nokavē*", "novēlo*", "pazaudē*", "pazud*", "iestrēg*"],
            "phrases": ["ar nokavēšanos", "lēn*/ilg* piegād*", "piegād* .. ilga/ilgst", "nav izsūtīt*/nosūtīt*",
                        "neatbrauca", "neatveda", "nepiegādāj*", "nepiegādāt*",
                        "joprojām sagatavošanā/ceļā/apstrādē", "ilgāk nekā solīts/norādīts/gaidīts",
                        "izsekošan*/statuss .. nemainās/nekustas/nerāda", "nepareiz* adres*"],
        },
        "_ignore": {
            "phrases": ["saite/lapa/vietne/meklēšana/aplikācija .. nestrādā*/nedarbojas",
                        "nav problēm*", "nebija nekādu problēmu", "gaidīju/gaidīja/gaidījām vairāk/labāk"],
        },
    },
}

# Complaints about something that did not come (yet): their cause is what did not come.
MARKERS = {
    "pl": {
        "waiting": ["czekam/czekamy/czekała*/czekał*/czekania/oczekuj*",
                    "nie dotar*/przysz*/przyszł*/przyszedł/doszł*/doszedł/otrzyma*/dostał*/dostarczon*/wrócił*",
                    "niedostarczon*", "nadal/wciąż/dalej/jeszcze nie"],
        "missing": ["brak/braku/brakuj*/brakowa*/brakł*"],
        "absent": ["nie ma"],  # "there is no…": vaguer than "brak", so weak unless it names what
        "duration": ["szł*/szedł/idzie/jedzie/jechał*/trwa*/zajęł*/zajmuje/czeka*/leci/wędruje .. {dur_pl}",
                     "{dur_pl} czekania/oczekiwania", "{dur_pl} na/od paczk*/przesyłk*/zamówieni*/dostaw*/wysyłk*"],
    },
    "en": {
        "waiting": ["still waiting", "waiting", "waited", "still no/not/hasn't/haven't", "yet to arrive/receive",
                    "never/didn't/hasn't/haven't/not arrived/arrive/came/come/shown/showed/turned/received/receive/got",
                    "has/have not arrived/come/been", "never got", "didn't get", "did not get"],
        "missing": ["missing"],
        "duration": ["took .. {dur_en}", "{dur_en} late/later", "it's been {dur_en}", "waited/waiting .. {dur_en}"],
    },
    "lv": {
        "waiting": ["gaidu/gaidām/gaidīju/gaidījām/jāgaida", "joprojām/vēl nav",
                    "nav pienāc*/atnāc*/pienāk*/atnāk*/saņemt*/saņēm*/atsūtīt*", "neesmu saņēm*/atguv*", "nesaņēm*",
                    "nepienāc*", "neatnāc*", "nepienāk*", "neatnāk*", "neatsūtīja"],
        "missing": ["trūkst/trūka/pietrūka/trūkstoš*"],
        "duration": ["gāja/iet/ilga/ilgst/nāca/nāk/gaidu/gaidīju/gaidām/kavēj* .. {dur_lv}",
                     "{dur_lv} gaidu/gaidīšanas", "{dur_lv} uz paku/sūtījumu/pasūtījumu"],
    },
}
# Words that name two causes at once: a counterfeit is a fraud and not the item described.
TWINS = {"security_or_fraud": {"wrong_or_missing_item": ["counterfeit*", "fake product*/item*", "podrób*",
                                                          "viltojum*"]}}
MARKER_DEFAULTS = {"waiting": "late_delivery", "missing": "wrong_or_missing_item", "absent": "wrong_or_missing_item",
                   "duration": "late_delivery"}

# What a marker is about, whatever the language (nearest one in the same sentence wins).
TOPICS = {
    "refund_or_payment": ["zwrot*", "pieniądz*", "pieniędz*", "kasa/kasy/kasę/kase", "środk*", "reklamac*",
                          "decyzj*", "refund*", "money", "reimburs*", "claim", "atmaks*", "naud*", "pretenzij*",
                          "lēmum*"],
    "customer_service": ["odpowied*", "odpis*", "mail*", "e-mail*", "wiadomoś*", "kontakt*",
                         "reply*", "replies", "response*", "answer*", "email*", "message*", "callback", "call",
                         "atbild*", "e-past*", "ziņ*", "kontakt*"],
    "wrong_or_missing_item": ["część*", "części", "element*", "śrub*", "instrukcj*", "ładowark*", "sztuk*",
                              "item*", "part/parts", "piece*", "screw*", "charger*", "lid", "instructions",
                              "accessor*", "daļ*", "gabal*", "skrūv*", "instrukcij*", "lādētāj*", "detaļ*",
                              "folii", "foli*"],
    "late_delivery": ["paczk*", "paczce", "przesyłk*", "przesyłce", "kurier*", "dostaw*", "parcel*", "package*",
                      "delivery", "courier", "shipment", "sūtījum*", "paka/paku/pakas", "kurjer*", "piegād*"],
    # An order that has not come is late; an order with something "missing" is incomplete (the default).
    "order": ["zamówieni*", "towar*", "order", "orders", "pasūtījum*", "prece/preces/preci"],
}

# Words that negate a complaint word shortly after them, per language ("no" is English only: in
# Latvian it means "from").
NEGATORS = {
    "pl": ["nie", "ani", "nigdy", "bez", "żadn*", "nic", "brak"],
    "en": ["not", "no", "never", "nothing", "none", "nobody", "without", "hardly", "neither", "nor", "isn't",
           "wasn't", "aren't", "weren't", "don't", "doesn't", "didn't", "hasn't", "haven't", "hadn't", "won't",
           "wouldn't", "can't", "cannot", "couldn't", "isnt", "wasnt", "dont", "doesnt", "didnt", "wont", "cant"],
    "lv": ["ne", "nav", "nebija", "nebūs", "nekad", "bez", "nekas", "nekād*", "neviens", "neesmu"],
}
# "nie tylko" / "not only" / "ne tikai" add a complaint rather than deny one.
NOT_NEGATING_BEFORE = ["tylko", "dość", "only", "just", "tikai", "vien"]
# A negation does not reach past these: "nie spóźnił się, ale był uszkodzony".
CONTRASTS = {"pl": ["ale", "lecz", "a", "tylko", "jednak", "natomiast", "chociaż", "choć"],
             "en": ["but", "however", "although", "though", "yet"],
             "lv": ["bet", "tikai", "taču", "tomēr", "gan"]}
