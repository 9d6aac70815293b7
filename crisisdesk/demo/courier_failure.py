"""The demo's crisis of this week: the courier lost a day's parcels of the shop's best-selling mug.

Thirty customers bought the green mug on a promotion day four days ago; the courier collected every parcel the
next morning, and its depot failed. From two days ago to a few hours ago the customers write 1★ and 2★ reviews
about a parcel that is lost or late (late_delivery, in Polish and a few in English and Latvian). The crisis alert
detection job (services/crisis_alerts.py) runs every 15 minutes; the demo runs it at the quarter-hour after each
of these reviews (the times it could raise something new) with the clock set there, so the spike alert is raised
and grown as it would have been, and a newcomer opens the incident from it in the panel. Nothing is random here:
the rest of the demo draws the same numbers as before.
"""
from datetime import timedelta

from crisisdesk.demo.history import as_of, put_order
from crisisdesk.demo.payloads import review_payload
from crisisdesk.services import crisis_alerts

PRODUCT_ID = 101  # Kubek ceramiczny Zielony, 49 zł
FIRST_ORDER, FIRST_REVIEW = 2300, 600
PEOPLE = [  # (first name, last name, email domain); the language of the review follows the domain
    ("Alicja", "Nowak", "pl"), ("Bartosz", "Mazur", "pl"), ("Celina", "Krawczyk", "pl"), ("Dawid", "Dudek", "pl"),
    ("Elżbieta", "Sikora", "pl"), ("Filip", "Baran", "pl"), ("Grażyna", "Wróbel", "pl"), ("Henryk", "Pawlak", "pl"),
    ("Irena", "Zając", "pl"), ("Jakub", "Król", "pl"), ("Karolina", "Kaczmarek", "pl"), ("Emma", "Wilson", "co.uk"),
    ("Łukasz", "Michalak", "pl"), ("Monika", "Kubiak", "pl"), ("Norbert", "Adamczyk", "pl"), ("Ilze", "Ozola", "lv"),
    ("Patrycja", "Wieczorek", "pl"), ("Robert", "Szewczyk", "pl"), ("Sylwia", "Nowak", "pl"), ("Jack", "Evans", "com"),
    ("Teresa", "Mazur", "pl"), ("Urszula", "Dudek", "pl"), ("Wojciech", "Sikora", "pl"), ("Zuzanna", "Baran", "pl"),
    ("Adrian", "Wróbel", "pl"), ("Chloe", "Harris", "com"), ("Beata", "Zając", "pl"), ("Jānis", "Liepa", "lv"),
    ("Damian", "Król", "pl"), ("Ewelina", "Kubiak", "pl"),
]
TEXTS = {
    "pl": ["Kurier zgubił moją paczkę, kubek nie dotarł do dziś. Zamówienie nr {order}.",
           "Paczka utknęła u kuriera, od dwóch dni status się nie zmienia. Zamówienie nr {order}.",
           "Przesyłka zaginęła, kurier twierdzi, że doręczył, a nic nie dostałam.",
           "Kubek miał być na urodziny mamy, a paczka nie dotarła. Kurier nie wie, gdzie jest.",
           "Zamówienie nr {order} miało być u mnie wczoraj, przesyłka nie doszła.",
           "Przesyłka spóźniona, w śledzeniu od dwóch dni „w sortowni”. Zamówienie nr {order}."],
    "en": ["Ordered the mug as a gift, the parcel never arrived and the courier says it is lost. Order {order}.",
           "Tracking has said 'at the depot' for two days and my parcel still has not arrived."],
    "lv": ["Paka nav atnākusi, kurjers to pazaudēja. Pasūtījums {order}."],
}
PLACED = timedelta(days=4, hours=12)  # the promotion day's first order, before now
ORDER_EVERY = timedelta(minutes=23)
COLLECTED = timedelta(days=3, hours=17)  # the courier's pickup of every parcel, before now
FIRST_COMPLAINT = timedelta(hours=44)  # before now
COMPLAINT_EVERY = timedelta(minutes=84)  # the last one about three and a half hours before now
DETECTION_EVERY = timedelta(minutes=15)


def put_courier_failure(story, sender, product, now):
    """Put the orders, the complaints and the detection passes after each complaint on `story`."""
    for index, (first, last, domain) in enumerate(PEOPLE):
        email = f"{_plain(first)}.{_plain(last)}{index}@example.{domain}"
        person, order_id = (first, last), FIRST_ORDER + index
        created = now - PLACED + index * ORDER_EVERY
        put_order(story, sender, order_id, person, email, product, created,
                  dispatched_after=now - COLLECTED - created)
        language = "pl" if domain == "pl" else "lv" if domain == "lv" else "en"
        texts = TEXTS[language]
        text = texts[index % len(texts)].format(order=order_id)
        written = now - FIRST_COMPLAINT + index * COMPLAINT_EVERY
        story.at(written, sender.send, "review.created",
                 review_payload(FIRST_REVIEW + index, product[0], product[1], f"{first} {last}", email, text,
                                1 if index % 3 else 2, written), written)
        tick = _next_quarter_hour(written)
        story.at(tick, detect_spikes, sender.shop, tick)


def detect_spikes(shop, moment):
    """The crisis alert job's pass over the demo shop at `moment`, with the clock there."""
    with as_of(moment):
        return crisis_alerts.detect_in_shop(shop, moment)


def _next_quarter_hour(moment):
    past = timedelta(minutes=moment.minute % 15, seconds=moment.second, microseconds=moment.microsecond)
    return moment if not past else moment - past + DETECTION_EVERY


def _plain(name):
    return name.lower().translate(str.maketrans("ąćęłńóśźżāēīūšžčņļķģ", "acelnoszzaeiuszcnlkg"))
