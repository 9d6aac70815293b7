"""Five months of the demo shop's past, so the dashboard has a story to tell at a glance.

Modelled on the seeds' monthly table (EXTRACT §1.2): calm months with one or two complaints, then a
month when the carrier failed and late deliveries dominate, then a recovery. Reviews and orders
arrive as signed events like everything else in the demo; the agent then answers and resolves each
case through the panel's own services, with the clock set back to when that happened, and some
customers order again afterwards, which wins them back (services/recovery.py).
"""
from contextlib import contextmanager
from datetime import timedelta

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


@contextmanager
def as_of(moment):
    """Let the services read `moment` as now: the agent's actions of the past carry their own times."""
    real = clock.utcnow
    clock.utcnow = lambda: moment
    try:
        yield
    finally:
        clock.utcnow = real


def seed_history(sender, products, agent, rng):
    """Send the past months' orders and reviews, then answer and resolve their cases; some customers return."""
    from crisisdesk.models import Case, Review

    now, complaints, next_id = clock.utcnow(), [], iter(range(3000, 4000))
    for months_back, (positive, neutral, kinds) in MONTHS.items():
        ratings = [5 if i % 3 else 4 for i in range(positive)] + [3] * neutral + [1 if i % 2 else 2 for i in
                                                                                     range(len(kinds))]
        for index, rating in enumerate(ratings):
            written = now - timedelta(days=30 * months_back - rng.randrange(28), hours=rng.randrange(1, 12))
            person = (FIRST_NAMES[index % 10], LAST_NAMES[(index + months_back) % 8])
            email = f"{person[0].lower()}.{months_back}{index}@example.pl"
            product = products[(index + months_back) % len(products)]
            kind = kinds[index - positive - neutral] if rating < 3 else None
            order = _order(sender, next(next_id), person, email, product, written - timedelta(days=6)) if kind else None
            text = (COMPLAINTS[kind].format(order=order) if kind
                    else NEUTRAL_TEXT if rating == 3 else POSITIVE_TEXTS[index % len(POSITIVE_TEXTS)])
            review_id = next(next_id)
            sender.send("review.created", review_payload(review_id, product[0], product[1], " ".join(person), email,
                                                         text, rating, written), written)
            if kind:
                complaints.append((review_id, written, person, email, product))
    actor = Actor(label=agent.email, user_id=agent.id)
    for turn, (review_id, written, person, email, product) in enumerate(complaints):
        case = Case.query.join(Review).filter(Review.shop_id == sender.shop.id, Review.remote_id == review_id).one()
        _work(case.id, agent, actor, written, turn)
        if turn % 3 != 2:  # two of three order again a few weeks later: won back
            again = written + timedelta(hours=RESOLVE_HOURS[turn % len(RESOLVE_HOURS)], days=12 + turn)
            if again < now:
                _order(sender, next(next_id), person, email, product, again)
    recovery_service.expire_recoveries(now)


def _work(case_id, agent, actor, written, turn):
    answered = written + timedelta(hours=ANSWER_HOURS[turn % len(ANSWER_HOURS)])
    with as_of(answered):
        case_service.add_note(agent, case_id, "Zadzwoniłem do klienta: przepraszamy, sprawdzamy przesyłkę.", actor,
                              customer_contacted=True)
    with as_of(written + timedelta(hours=RESOLVE_HOURS[turn % len(RESOLVE_HOURS)])):
        case_service.change_status(agent, case_id, "resolved", actor)


def _order(sender, order_id, person, email, product, created):
    items = [(order_id * 10, product[0], product[1], 1, product[2])]
    sender.send("order.created", order_payload(order_id, email, person[0], person[1], items, created,
                                               status="completed"), created)
    return order_id
