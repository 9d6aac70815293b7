"""The demo story: a Polish homeware shop with a good month, a carrier failure, a few bad products and, this week,
a courier that lost a day's parcels (demo/courier_failure.py: the crisis alert an incident is opened from).

Every record goes through `receive_event` + `apply_event` with signed bodies, exactly as
the bridge would send them, so the demo also shows the real ingest path working.
"""
import json
import random
import uuid
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from crisisdesk import clock
from crisisdesk.demo.courier_failure import PRODUCT_ID as COURIER_PRODUCT_ID
from crisisdesk.demo.courier_failure import detect_spikes, put_courier_failure
from crisisdesk.demo.history import Timeline, as_of, seed_history
from crisisdesk.demo.payloads import order_payload, review_payload, wc_time
from crisisdesk.domain.actor import CLI
from crisisdesk.integrations.webhook_signing import sign
from crisisdesk.models import Shop
from crisisdesk.services import at_risk_orders, ingest, shops, users

DEMO_SHOP_NAME = "Zielony Kubek (demo)"
PRODUCTS = [
    (101, "Kubek ceramiczny Zielony", 49.0), (102, "Czajnik emaliowany", 189.0), (103, "Lampa stołowa Len", 259.0),
    (104, "Koc wełniany Tatry", 329.0), (105, "Zestaw talerzy Glina", 219.0), (106, "Młynek do kawy Retro", 149.0),
]
CUSTOMERS = [
    ("Anna", "Kowalska", "anna.kowalska@example.pl"), ("Piotr", "Nowak", "piotr.nowak@example.pl"),
    ("Katarzyna", "Wiśniewska", "k.wisniewska@example.pl"), ("Tomasz", "Wójcik", "tomasz.wojcik@example.pl"),
    ("Emily", "Clarke", "emily.clarke@example.co.uk"), ("James", "Miller", "james.miller@example.com"),
    ("Agnieszka", "Lewandowska", "a.lewandowska@example.pl"), ("Marek", "Zieliński", "marek.z@example.pl"),
    ("Līga", "Bērziņa", "liga.berzina@example.lv"), ("Sophie", "Turner", "sophie.t@example.com"),
    ("Michał", "Kamiński", "michal.kaminski@example.pl"), ("Olivia", "Brown", "olivia.brown@example.com"),
]
# (customer index, product id, rating, days ago, text)
REVIEWS = [
    (0, 102, 1, 3, "Czajnik przyszedł uszkodzony, emalia odpryśnięta przy dziobku. Zamówienie nr {order}. "
                   "Bardzo rozczarowana, to miał być prezent."),
    (1, 104, 2, 2, "Przesyłka spóźniona o tydzień, kurier nie odbierał telefonu. Koc ładny, ale nigdy więcej "
                   "takiej dostawy."),
    (4, 103, 1, 1, "The lamp arrived broken and nobody has answered my email for three days. Really poor service."),
    (5, 106, 3, 0, "Grinder works but it is really loud and the handle feels cheap. Disappointed for the price."),
    (2, 105, 2, 5, "Zamiast zestawu 6 talerzy dostałam 4. Brak dwóch talerzy, proszę o kontakt."),
    (3, 101, 5, 6, "Świetny kubek, szybka wysyłka, polecam!"),
    (6, 104, 4, 8, "Koc bardzo ciepły i miękki. Dostawa trwała trochę długo, ale jestem zadowolona."),
    (7, 102, 1, 0, "Czajnik przecieka po dwóch użyciach. Wadliwy produkt, żądam zwrotu pieniędzy."),
    (8, 103, 2, 4, "Lampa nestrādā, slēdzis salauzts. Ļoti slikti, gaidu atbildi."),
    (9, 101, 5, 9, "Lovely mug, great colour, fast delivery. Thank you!"),
    (10, 106, 2, 1, "Młynek przyszedł bez korbki, brak części w paczce. Zamówienie #{order}."),
    (11, 105, 4, 12, "Beautiful plates, well packed. Recommend."),
]
# Orders waiting now: (customer index, product id, days since placed, status). The first two are past the 48-hour
# promise; Piotr, whose complaint is still open, ordered again yesterday: all three are at-risk orders.
WAITING_NOW = [(9, 103, 4, "processing"), (11, 106, 3, "on-hold"), (1, 101, 1, "processing")]


@dataclass
class DemoResult:
    shop: Shop
    secret: str
    owner_email: str
    agent_email: str
    password: str
    events: int


def already_seeded():
    return Shop.query.filter_by(name=DEMO_SHOP_NAME).first() is not None


def seed(password, seed_value=7, on_day=None):
    """Create the demo shop, two users, and its orders and reviews; returns what was made.

    The story runs in time order (demo/history.py); `on_day(shop, midnight)` runs at each midnight of it, by
    default the at-risk flagging job as the scheduler would have run it. Deterministic for a given seed and now.
    """
    rng = random.Random(seed_value)
    now = clock.utcnow()
    shop, secret = shops.create_shop(DEMO_SHOP_NAME, "https://zielonykubek.example", CLI, language="pl",
                                     timezone="Europe/Warsaw")
    users.create_user("owner@demo.example", "owner", password, CLI, name="Ola (owner)")
    agent = users.create_user("agent@demo.example", "agent", password, CLI, shop_ids=[shop.id], name="Kuba (agent)")
    sender = _Sender(shop, secret)
    story = Timeline()
    # The months before: what the dashboard shows. Orders nobody complained about have a random source of their own.
    seed_history(story, sender, PRODUCTS, agent, rng, random.Random(seed_value * 7919))
    orders_by_customer = {}
    order_id = 2000
    for index, (first, last, email) in enumerate(CUSTOMERS):
        for _ in range(1 + rng.randrange(2)):
            order_id += 1
            product = PRODUCTS[(index + order_id) % len(PRODUCTS)]
            reviewed = [r for r in REVIEWS if r[0] == index]
            if reviewed and not any(o[1] == reviewed[0][1] for o in orders_by_customer.get(index, [])):
                product = next(p for p in PRODUCTS if p[0] == reviewed[0][1])
            created = now - timedelta(days=14 + rng.randrange(10), hours=rng.randrange(24))
            items = [(order_id * 10, product[0], product[1], 1 + rng.randrange(2), product[2])]
            story.at(created, sender.send, "order.created",
                     order_payload(order_id, email, first, last, items, created, status="processing"), created)
            shipped = created + timedelta(days=2)
            story.at(shipped, sender.send, "order.updated",
                     order_payload(order_id, email, first, last, items, created, status="completed",
                                   modified_at=shipped), shipped)
            orders_by_customer.setdefault(index, []).append((order_id, product[0]))
    for review_id, (index, product_id, rating, days_ago, text) in enumerate(REVIEWS, start=500):
        first, last, email = CUSTOMERS[index]
        order = next((o for o, p in orders_by_customer[index] if p == product_id), orders_by_customer[index][0][0])
        written = now - timedelta(days=days_ago, hours=rng.randrange(1, 20))
        name = next(p[1] for p in PRODUCTS if p[0] == product_id)
        story.at(written, sender.send, "review.created",
                 review_payload(review_id, product_id, name, f"{first} {last}", email, text.format(order=order),
                                rating, written), written)
    for order_id, (index, product_id, days_ago, status) in enumerate(WAITING_NOW, start=2100):
        first, last, email = CUSTOMERS[index]
        product = next(p for p in PRODUCTS if p[0] == product_id)
        placed = now - timedelta(days=days_ago, hours=3)
        story.at(placed, sender.send, "order.created",
                 order_payload(order_id, email, first, last, [(order_id * 10, *product[:2], 1, product[2])], placed,
                               status=status, unpaid=status == "on-hold"), placed)
    put_courier_failure(story, sender, next(p for p in PRODUCTS if p[0] == COURIER_PRODUCT_ID), now)
    story.run(now, partial(on_day or flag_at_risk, shop))
    flag_at_risk(shop, now)  # the job's pass at the end of the story: today's at-risk orders are in the panel
    detect_spikes(shop, now)  # and the crisis alert job's: the courier failure's alert shows its latest counts
    return DemoResult(shop, secret, "owner@demo.example", "agent@demo.example", password, sender.count)


def flag_at_risk(shop, moment):
    """The at-risk flagging job's pass over the demo shop at `moment`, with the clock there."""
    with as_of(moment):
        return at_risk_orders.flag_at_risk_orders(shop, moment)


class _Sender:
    """Signs and receives an event like the bridge would, then applies it at once."""

    def __init__(self, shop, secret):
        self.shop, self.secret, self.count = shop, secret, 0

    def send(self, event_type, data, occurred_at):
        body = json.dumps({"type": event_type, "occurred_at": wc_time(occurred_at) + "Z", "data": data}).encode()
        headers = sign(self.secret, f"msg_{uuid.uuid4().hex}", body)
        receipt = ingest.receive_event(self.shop.id, headers, body, max_bytes=1024 * 1024)
        ingest.apply_event(receipt.event_id)
        self.count += 1
