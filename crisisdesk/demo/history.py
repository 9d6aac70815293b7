"""Five months of the demo shop's past, so the dashboard has a story to tell at a glance.

Modelled on the seeds' monthly table (EXTRACT §1.2): calm months with one or two complaints, then a
month when the carrier failed and late deliveries dominate, then a recovery. Reviews and orders
arrive as signed events like everything else in the demo; the agent then answers and resolves each
case through the panel's own services, with the clock set back to when that happened, and some
customers order again afterwards, which wins them back (services/recovery.py).

Orders move like real ones: most leave the warehouse within a day of payment, but some wait in
`processing` (or `on-hold`) for days. Most of those customers just wait; in the carrier's bad month
the late-delivery complaints started as such orders, and one unhappy customer orders again while
their case is still open. Every step is put on a `Timeline` and run in the order it happened, so
the state at each midnight is the state of that day: the at-risk flagging job runs there, as it
would have (bench/at_risk_orders.py measures it on exactly this story).
"""
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from functools import partial

from crisisdesk import clock
from crisisdesk.demo.payloads import order_payload, review_payload
from crisisdesk.domain.actor import Actor
from crisisdesk.services import cases as case_service
from crisisdesk.services import recovery as recovery_service

POSITIVE_TEXTS = ["Piękny produkt, szybka wysyłka. Polecam!", "Lovely quality, arrived quickly. Thank you!",
                  "Bardzo zadowolona, dokładnie jak na zdjęciu.", "Great value, well packed."]
NEUTRAL_TEXT = "Produkt w porządku, nic specjalnego."
COMPLAINTS = {
    "late": "Przesyłka spóźniona o dwa tygodnie, kurier nie dostarczył paczki na czas. Zamówienie nr {order}.",
    "damaged": "Talerz przyszedł pęknięty, uszkodzony w transporcie. Zamówienie nr {order}.",
    "wrong": "Dostałam inny kolor niż zamówiony, to nie jest produkt z opisu. Zamówienie nr {order}.",
    "service": "Nikt nie odpowiada na maile od tygodnia, fatalny kontakt ze sklepem. Zamówienie nr {order}.",
}
# Months back from now: (positive, neutral, complaints); month 2 is the carrier's failure.
MONTHS = {5: (14, 0, ["damaged"]), 4: (16, 1, ["wrong"]), 3: (15, 1, ["damaged"]),
          2: (11, 1, ["late", "late", "late", "late", "late", "damaged"]), 1: (13, 1, ["late", "service"])}
# Hours to the first answer and to the resolution, taken in turn: slow in the bad month, as it would be.
ANSWER_HOURS = [2, 5, 3, 30, 26, 40, 9, 20, 4, 6, 3]
RESOLVE_HOURS = [30, 50, 28, 120, 96, 150, 70, 90, 48, 40, 36]
FIRST_NAMES = ["Ewa", "Jan", "Zofia", "Adam", "Maja", "Paweł", "Ida", "Oskar", "Lena", "Igor"]
LAST_NAMES = ["Nowicka", "Mazur", "Krawczyk", "Pawlak", "Dudek", "Sikora", "Baran", "Wróbel"]
# Orders of each month that nobody complained about: (dispatched on time, waited in processing past the promise,
# waited on hold). The carrier's month had the warehouse backed up too.
ORDERS = {5: (3, 2, 0), 4: (3, 2, 1), 3: (3, 2, 0), 2: (3, 5, 1), 1: (3, 2, 0)}
STUCK_DAYS = (3, 6)  # how long a stuck order waits before it leaves (the shop promises 48 hours)
# Of the carrier month's late deliveries, these (by position) had already waited in processing for days.
LATE_STUCK = (0, 1, 2, 3)
ONE_EVENT_UNDER = timedelta(hours=24)


class Timeline:
    """The story's steps, run in the order they happened; `on_day` runs at every midnight (UTC) in between."""

    def __init__(self):
        self._steps = []

    def at(self, moment, step, *args, **kwargs):
        self._steps.append((moment, len(self._steps), partial(step, *args, **kwargs)))

    def run(self, until, on_day=None):
        """Every step up to `until` in time order (later ones have not happened yet: an order placed three days
        ago may still wait); `on_day(midnight)` for each midnight after the first step, up to `until`."""
        last = None
        for moment, _, step in sorted(self._steps, key=lambda s: (s[0], s[1])):
            if moment > until:
                break
            self._days(last, moment, on_day)
            step()
            last = moment
        self._days(last, until, on_day)

    @staticmethod
    def _days(after, upto, on_day):
        if on_day is None or after is None:
            return
        midnight = datetime.combine(after.date() + timedelta(days=1), time(), tzinfo=after.tzinfo)
        while midnight <= upto:
            on_day(midnight)
            midnight += timedelta(days=1)


@contextmanager
def as_of(moment):
    """Let the services read `moment` as now: the agent's actions of the past carry their own times."""
    real = clock.utcnow
    clock.utcnow = lambda: moment
    try:
        yield
    finally:
        clock.utcnow = real


def seed_history(story, sender, products, agent, rng, order_rng):
    """Put the past months on `story`: orders, reviews, the agent's work on the cases, returning customers.

    `rng` draws what the dashboard shows (the reviews); `order_rng` the orders nobody complained about.
    """
    now, complaints, next_id = clock.utcnow(), [], iter(range(3000, 4000))
    for months_back, (positive, neutral, kinds) in MONTHS.items():
        late_seen = 0
        ratings = [5 if i % 3 else 4 for i in range(positive)] + [3] * neutral + [1 if i % 2 else 2 for i in
                                                                                     range(len(kinds))]
        for index, rating in enumerate(ratings):
            written = now - timedelta(days=30 * months_back - rng.randrange(28), hours=rng.randrange(1, 12))
            person = (FIRST_NAMES[index % 10], LAST_NAMES[(index + months_back) % 8])
            email = f"{person[0].lower()}.{months_back}{index}@example.pl"
            product = products[(index + months_back) % len(products)]
            kind = kinds[index - positive - neutral] if rating < 3 else None
            stuck = late_seen if kind == "late" and months_back == 2 and late_seen in LATE_STUCK else None
            late_seen += kind == "late"
            order = _reviewed_order(story, sender, next(next_id), person, email, product, written, stuck)
            text = (COMPLAINTS[kind].format(order=order) if kind
                    else NEUTRAL_TEXT if rating == 3 else POSITIVE_TEXTS[index % len(POSITIVE_TEXTS)])
            review_id = next(next_id)
            story.at(written, sender.send, "review.created",
                     review_payload(review_id, product[0], product[1], " ".join(person), email, text, rating,
                                    written), written)
            if kind:
                complaints.append((review_id, written, person, email, product, kind))
        _quiet_orders(story, sender, next_id, products, months_back, now, order_rng)
    actor = Actor(label=agent.email, user_id=agent.id)
    for turn, (review_id, written, person, email, product, kind) in enumerate(complaints):
        answered = written + timedelta(hours=ANSWER_HOURS[turn % len(ANSWER_HOURS)])
        story.at(answered, _answer, answered, sender.shop.id, review_id, agent, actor)
        resolved = written + timedelta(hours=RESOLVE_HOURS[turn % len(RESOLVE_HOURS)])
        story.at(resolved, _resolve, resolved, sender.shop.id, review_id, agent, actor)
        if kind == "service":  # unhappy, and still ordering: while the case is open, this order is at risk
            put_order(story, sender, next(next_id), person, email, product, written + timedelta(hours=10),
                      dispatched_after=timedelta(days=1, hours=6))
        if turn % 3 != 2:  # two of three order again a few weeks later: won back
            again = written + timedelta(hours=RESOLVE_HOURS[turn % len(RESOLVE_HOURS)], days=12 + turn)
            if again < now:
                put_order(story, sender, next(next_id), person, email, product, again)
    story.at(now, recovery_service.expire_recoveries, now)


def _answer(moment, shop_id, review_id, agent, actor):
    with as_of(moment):
        case_service.add_note(agent, _case(shop_id, review_id).id,
                              "Zadzwoniłem do klienta: przepraszamy, sprawdzamy przesyłkę.", actor,
                              customer_contacted=True)


def _resolve(moment, shop_id, review_id, agent, actor):
    with as_of(moment):
        case_service.change_status(agent, _case(shop_id, review_id).id, "resolved", actor)


def _case(shop_id, review_id):
    from crisisdesk.models import Case, Review

    return Case.query.join(Review).filter(Review.shop_id == shop_id, Review.remote_id == review_id).one()


def _reviewed_order(story, sender, order_id, person, email, product, written, stuck=None):
    """The order a review is about: dispatched on time, or (the `stuck`-th late delivery of the bad month) after
    waiting three to six days in processing, to arrive late on top of it."""
    if stuck is not None:
        return put_order(story, sender, order_id, person, email, product, written - timedelta(days=7 + stuck),
                         dispatched_after=timedelta(days=3 + stuck, hours=6))
    return put_order(story, sender, order_id, person, email, product, written - timedelta(days=6))


def _quiet_orders(story, sender, next_id, products, months_back, now, order_rng):
    """A month's orders that brought no complaint: most leave within a day, some wait in processing or on hold."""
    on_time, stuck, held = ORDERS[months_back]
    for index in range(on_time + stuck + held):
        created = now - timedelta(days=30 * months_back - order_rng.randrange(28), hours=order_rng.randrange(8, 20))
        person = (FIRST_NAMES[(index + 3) % 10], LAST_NAMES[(index * 3 + months_back) % 8])
        email = f"{person[0].lower()}.o{months_back}{index}@example.pl"
        product = products[(index * 5 + months_back) % len(products)]
        if index < on_time:
            wait = timedelta(hours=order_rng.randrange(4, 30))
        else:
            wait = timedelta(days=order_rng.randrange(*STUCK_DAYS), hours=order_rng.randrange(24))
        put_order(story, sender, next(next_id), person, email, product, created, dispatched_after=wait,
                  held=index >= on_time + stuck)


def put_order(story, sender, order_id, person, email, product, created, dispatched_after=timedelta(hours=20),
              held=False):
    """Placed (paid, or on hold awaiting a bank transfer), then completed when it leaves the warehouse."""
    items = [(order_id * 10, product[0], product[1], 1, product[2])]
    shipped = created + dispatched_after
    if not held and dispatched_after < ONE_EVENT_UNDER:
        # Gone within a day: one event, at its completion (nothing could be flagged in between), which keeps the
        # demo quick to build.
        story.at(shipped, sender.send, "order.created",
                 order_payload(order_id, email, person[0], person[1], items, created, status="completed",
                               modified_at=shipped), shipped)
        return order_id
    status = "on-hold" if held else "processing"
    story.at(created, sender.send, "order.created",
             order_payload(order_id, email, person[0], person[1], items, created, status=status, unpaid=held), created)
    story.at(shipped, sender.send, "order.updated",
             order_payload(order_id, email, person[0], person[1], items, created, status="completed",
                           modified_at=shipped), shipped)
    return order_id
