"""Synthetic history of one busy shop for bench/panel_scale.py, written with bulk inserts.

Two years up to now: at scale 1, 200,000 orders (1–3 items, some refunded), 120,000 customers
(a few loyal ones with dozens of orders), 2,000 products, ~240,000 reviews with their revisions,
100,000 cases (92 % from 1–3★ reviews, the rest entered by hand) with their timelines, replies,
follow-up emails, recoveries and compensations, and 1,000,000 ingested webhook events.

Shapes follow what the services write: the case texts are the classifier's own evaluation set
(bench/data/cause_eval.jsonl) with the evidence offsets `classify` finds; almost every case is closed,
the open ones (a few thousand) are recent or forgotten, with their SLA clocks as the reply service
leaves them. Rows go in with one COPY per table on PostgreSQL and executemany in one transaction on
SQLite, bypassing the ORM: a row is a tuple of database values (naive UTC datetimes, JSON as text).
"""
import json
import math
import random
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.cause_detection import classify
from crisisdesk.domain.evidence_marks import evidence_list
from crisisdesk.domain.priority import level_for

EVAL_TEXTS = Path(__file__).resolve().parent / "data" / "cause_eval.jsonl"
YEARS = 2
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

FIRST = ["Anna", "Piotr", "Katarzyna", "Tomasz", "Agnieszka", "Marek", "Ewa", "Paweł", "Jānis", "Līga", "Emma",
         "Oliver", "Zofia", "Jakub", "Maria", "Andrzej", "Ilze", "Kārlis", "Grace", "Alan"]
LAST = ["Nowak", "Kowalski", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Zielińska", "Bērziņš", "Kalniņa",
        "Smith", "Jones", "Taylor", "Hopper", "Turing", "Mazur", "Krawczyk", "Ozola", "Liepiņš"]
ADJECTIVES = ["Classic", "Eco", "Compact", "Deluxe", "Smart", "Travel", "Kids", "Pro", "Mini", "Organic", "Steel",
              "Linen", "Ceramic", "Bamboo", "Wool"]
NOUNS = ["Kettle", "Backpack", "Lamp", "Mug", "Blanket", "Headphones", "Jacket", "Teapot", "Sneakers", "Scarf",
         "Blender", "Toaster", "Pillow", "Notebook", "Umbrella", "Wallet", "Candle", "Vase", "Drill", "Puzzle"]
POSITIVE_TEXTS = [
    ("en", "Great quality, fast delivery. Would buy again."), ("en", "Exactly as described, my wife loves it."),
    ("en", "Good value for the money, works fine."), ("pl", "Super produkt, szybka wysyłka, polecam!"),
    ("pl", "Wszystko zgodnie z opisem, jestem zadowolona."), ("pl", "Solidnie wykonane, dzieci zachwycone."),
    ("lv", "Ļoti labs produkts, ātra piegāde."), ("lv", "Viss kārtībā, iesaku citiem."),
    ("en", "Nice, a bit smaller than I expected but fine."), ("pl", "Dobra jakość, cena w porządku."),
]
REPLY_OPENINGS = ["Dear {name},", "Hello {name},", "Hi {name},", "Dzień dobry {name},", "Labdien {name},"]
REPLY_SENTENCES = [
    "We are very sorry that your order did not arrive as promised.",
    "Thank you for telling us about the problem with the product.",
    "I have checked your order and the parcel is now with the courier.",
    "We have issued a refund to your original payment method.",
    "A replacement is on its way and should reach you within three working days.",
    "We have changed our packaging so this does not happen again.",
    "I have added a discount code to your account as an apology.",
    "Please reply to this message if anything else is not right.",
    "Our warehouse team has been told about the mistake.",
    "You do not need to send the item back.",
]
ANSWERED_OPEN = [("in_progress", 0.7), ("waiting_for_customer", 0.3)]  # an open case that got a reply
LINK_METHODS = [("review_order_meta", 0.25, 1.0), ("order_number_in_text", 0.15, 0.95),
                ("email_and_product", 0.45, 0.8), ("email_only", 0.15, 0.5)]
MANUAL_CHANNELS = ["email", "phone", "social", "other"]
ORDER_STATUSES = [("completed", 0.88), ("processing", 0.04), ("cancelled", 0.03), ("refunded", 0.03),
                  ("on-hold", 0.01), ("failed", 0.01)]
EVENT_TYPES = [("order.created", 0.2), ("order.updated", 0.45), ("order.refunded", 0.02), ("review.created", 0.25),
               ("review.updated", 0.05), ("review.status_changed", 0.03)]


class Sizes:
    def __init__(self, scale):
        self.scale = scale
        self.events = int(1_000_000 * scale)
        self.cases = int(100_000 * scale)
        self.orders = int(200_000 * scale)
        self.customers = int(120_000 * scale)
        self.products = max(100, int(2_000 * scale))
        self.positive_reviews = int(150_000 * scale)
        self.agents = 8


def pick(rng, weighted):
    """One key of [(key, weight), ...]."""
    x, total = rng.random(), 0.0
    for key, weight in weighted:
        total += weight
        if x < total:
            return key
    return weighted[-1][0]


def dumps(value):
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Texts:
    """The evaluation set's complaints, classified once, as case texts with their evidence."""

    def __init__(self):
        self.negative, self.positive = [], list(POSITIVE_TEXTS)
        for line in EVAL_TEXTS.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            result = classify(item["text"])
            if result.causes:
                self.negative.append({"text": item["text"], "language": result.language, "score": result.score,
                                      "causes": list(result.causes), "evidence": dumps(evidence_list(result.evidence))})
            elif item["sentiment"] == "positive":
                self.positive.append((result.language, item["text"]))


class Writer:
    """Bulk inserts of tuples: COPY on PostgreSQL, executemany in one transaction on SQLite.

    Columns left out that may not be NULL get the model's default (0, "", [] ...), as the ORM would give them."""

    def __init__(self, engine, metadata):
        self.engine, self.metadata = engine, metadata
        self.dialect = engine.dialect.name
        self.raw = engine.raw_connection()
        self.rows = {}
        if self.dialect == "sqlite":
            import sqlite3

            sqlite3.register_adapter(datetime, lambda d: d.isoformat(" ", "microseconds"))
            self.raw.driver_connection.execute("PRAGMA synchronous=OFF")

    def insert(self, table, columns, rows):
        started, count = time.perf_counter(), 0
        extra = self._defaults(table, columns)
        if extra:
            columns, values = columns + list(extra), tuple(extra.values())
            rows = (row + values for row in rows)
        cursor = self.raw.cursor()
        if self.dialect == "postgresql":
            with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
        else:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) == 20_000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            cursor.executemany(sql, batch)
            count += len(batch)
        cursor.close()
        self.rows[table] = (count, time.perf_counter() - started)

    def _defaults(self, table, columns):
        found = {}
        for column in self.metadata.tables[table].columns:
            if column.name in columns or column.nullable or column.primary_key or column.server_default is not None:
                continue
            if column.default is None:
                raise ValueError(f"{table}.{column.name} needs a value")
            value = column.default.arg(None) if column.default.is_callable else column.default.arg
            if isinstance(value, (list, dict)):
                value = dumps(value)
            elif isinstance(value, datetime):
                value = value.astimezone(timezone.utc).replace(tzinfo=None)
            found[column.name] = value
        return found

    def finish(self, tables):
        cursor = self.raw.cursor()
        if self.dialect == "postgresql":
            for table in tables:  # explicit ids were written: move each sequence past them
                cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"(SELECT COALESCE(MAX(id), 1) FROM {table}))")
        self.raw.commit()
        cursor.close()
        self.raw.close()


def generate(engine, metadata, shop_id, agent_ids, sizes, seed=7, now=None, log=print):
    """Write the whole history of shop `shop_id`; returns {table: (rows, seconds)}."""
    rng = random.Random(seed)
    now = (now or datetime.now(timezone.utc)).replace(tzinfo=None, microsecond=0)
    start = now - timedelta(days=365 * YEARS)
    span = (now - start).total_seconds()

    def moment(u):  # a shop that grew: twice as busy now as on average
        return start + timedelta(seconds=span * math.sqrt(u))

    texts = Texts()
    writer = Writer(engine, metadata)
    s = sizes

    # Products.
    product_names = [f"{ADJECTIVES[i % len(ADJECTIVES)]} {NOUNS[(i // len(ADJECTIVES)) % len(NOUNS)]} {i // 300 + 1}"
                     for i in range(s.products)]
    product_price = [round(rng.uniform(15, 600), 2) for _ in range(s.products)]
    writer.insert("products", ["id", "shop_id", "remote_id", "name", "sku", "permalink"],
                  ((i + 1, shop_id, 1000 + i, product_names[i], f"SKU-{1000 + i}",
                    f"https://shop.example/product/p-{1000 + i}/") for i in range(s.products)))

    def a_product():  # a few best sellers, a long tail
        return int(s.products * rng.random() ** 2.2)

    # Customers: names and languages; their first order sets created_at.
    cust_first = [rng.choice(FIRST) for _ in range(s.customers)]
    cust_last = [rng.choice(LAST) for _ in range(s.customers)]
    cust_email = [f"{cust_first[i].lower()}.{cust_last[i].lower()}.{i}@mail.example" for i in range(s.customers)]
    cust_language = [pick(rng, [("pl", 0.6), ("en", 0.3), ("lv", 0.1)]) for _ in range(s.customers)]
    cust_since = [None] * s.customers

    # Orders, in time order (ids grow with time as in WooCommerce).
    order_at = [moment(u) for u in sorted(rng.random() for _ in range(s.orders))]
    order_customer = [int(s.customers * rng.random() ** 1.5) for _ in range(s.orders)]
    order_status = [pick(rng, ORDER_STATUSES) for _ in range(s.orders)]
    order_items, order_total = [], []
    for i in range(s.orders):
        lines = [a_product() for _ in range(pick(rng, [(1, 0.6), (2, 0.25), (3, 0.15)]))]
        quantities = [1 if rng.random() < 0.85 else 2 for _ in lines]
        order_items.append(list(zip(lines, quantities)))
        order_total.append(round(sum(product_price[p] * q for p, q in zip(lines, quantities)), 2))
        c = order_customer[i]
        if cust_since[c] is None:
            cust_since[c] = order_at[i] - timedelta(minutes=rng.randint(1, 60))
    order_completed = [order_at[i] + timedelta(hours=rng.uniform(20, 24 * 6))
                       if order_status[i] in ("completed", "refunded") else None for i in range(s.orders)]
    for i, done in enumerate(order_completed):
        if done is not None and done > now:
            order_completed[i], order_status[i] = None, "processing"

    writer.insert("customers", ["id", "shop_id", "remote_id", "email", "first_name", "last_name", "language",
                                "created_at"],
                  ((i + 1, shop_id, 5000 + i if rng.random() < 0.7 else None, cust_email[i], cust_first[i],
                    cust_last[i], cust_language[i], cust_since[i] or moment(rng.random()))
                   for i in range(s.customers)))

    def order_rows():
        for i in range(s.orders):
            c = order_customer[i]
            modified = order_completed[i] or order_at[i] + timedelta(minutes=5)
            yield (i + 1, shop_id, 10_000 + i, str(10_000 + i), order_status[i], "PLN", order_total[i], c + 1,
                   cust_email[c], f"{cust_first[c]} {cust_last[c]}", "Przelewy24", order_at[i],
                   order_at[i] + timedelta(minutes=2) if order_status[i] != "failed" else None, order_completed[i],
                   modified, modified, 0)

    writer.insert("orders", ["id", "shop_id", "remote_id", "number", "status", "currency", "total", "customer_id",
                             "billing_email", "billing_name", "payment_method_title", "created_at", "paid_at",
                             "completed_at", "source_modified_at", "source_observed_at", "lock_version"],
                  order_rows())

    def item_rows():
        item_id = 0
        for i in range(s.orders):
            for line, (p, q) in enumerate(order_items[i]):
                item_id += 1
                yield (item_id, shop_id, i + 1, (10_000 + i) * 10 + line, p + 1, 1000 + p, product_names[p],
                       f"SKU-{1000 + p}", q, round(product_price[p] * q, 2))

    writer.insert("order_items", ["id", "shop_id", "order_id", "remote_id", "product_id", "remote_product_id",
                                  "name", "sku", "quantity", "total"], item_rows())
    refunded = [i for i in range(s.orders) if order_status[i] == "refunded" or
                (order_status[i] == "completed" and rng.random() < 0.02)]
    writer.insert("refunds", ["id", "shop_id", "order_id", "remote_id", "amount", "reason"],
                  ((n + 1, shop_id, i + 1, 900_000 + n,
                    order_total[i] if order_status[i] == "refunded" else round(order_total[i] * 0.3, 2),
                    rng.choice(["Damaged in transit", "Returned", "Goodwill", ""]))
                   for n, i in enumerate(refunded)))
    log(f"  commerce written: {s.orders} orders, {s.customers} customers, {s.products} products")

    # Cases: a complaint some days after an order; the newest are still open.
    delivered = [i for i in range(s.orders) if order_at[i] < now - 2 * DAY]
    cases = []
    for _ in range(s.cases):
        o = rng.choice(delivered)
        opened = order_at[o] + timedelta(hours=rng.uniform(30, 24 * 25))
        while opened >= now - timedelta(minutes=10):
            opened = order_at[o] + timedelta(hours=rng.uniform(2, (now - order_at[o]).total_seconds() / 3600))
        cases.append({"order": o, "opened": opened})
    cases.sort(key=lambda c: c["opened"])
    for number, case in enumerate(cases):
        _shape_case(rng, case, number + 1, now, texts, order_items, order_customer, agent_ids)

    # Reviews: every review case's review, and the positive reviews, in time order.
    reviews = [c for c in cases if c["source"] == "review"]
    for _ in range(s.positive_reviews):
        o = rng.choice(delivered)
        written = (order_completed[o] or order_at[o]) + timedelta(hours=rng.uniform(12, 24 * 30))
        if written >= now:
            written = now - timedelta(minutes=rng.randint(5, 600))
        language, text = rng.choice(texts.positive)
        reviews.append({"order": o, "opened": written, "rating": 5 if rng.random() < 0.7 else 4, "text": text,
                        "product": rng.choice(order_items[o])[0], "review_status": "approved"})
    reviews.sort(key=lambda r: r["opened"])
    for number, review in enumerate(reviews):
        review["review_id"] = number + 1

    def review_rows():
        for r in reviews:
            o, c = r["order"], order_customer[r["order"]]
            written, status = r["opened"] - timedelta(seconds=rng.randint(5, 90)), r["review_status"]
            yield (r["review_id"], shop_id, 700_000 + r["review_id"], r["product"] + 1, 1000 + r["product"], c + 1,
                   cust_first[c], cust_email[c], r["rating"], r["text"], status, rng.random() < 0.8,
                   10_000 + o if rng.random() < 0.3 else None, written, written, written,
                   written if status == "hold" else None)

    writer.insert("reviews", ["id", "shop_id", "remote_id", "product_id", "remote_product_id", "customer_id",
                              "reviewer_name", "reviewer_email", "rating", "text", "status", "verified",
                              "remote_order_id", "created_at", "source_modified_at", "source_observed_at",
                              "held_since"], review_rows())
    writer.insert("review_revisions", ["id", "shop_id", "review_id", "rating", "text", "status", "source_modified_at",
                                       "recorded_at"],
                  ((r["review_id"], shop_id, r["review_id"], r["rating"], r["text"], r["review_status"], r["opened"],
                    r["opened"]) for r in reviews))

    def case_rows():
        for c in cases:
            o = c["order"]
            yield (c["id"], shop_id, c["source"], c["channel"], c.get("review_id"), order_customer[o] + 1,
                   c["product"] + 1, o + 1 if c["linked"] else None, c["link_method"], c["link_confidence"],
                   c["text"][:500], c["causes"][0], dumps(c["causes"]), dumps(c["detected"]), c["evidence"],
                   c["language"], c["score"], c["priority"], c["priority_score"], dumps(c["reasons"]),
                   c["escalation"], c["status"], c["assignee"], c["opened"], c["opened"] + 24 * HOUR,
                   c["responded"], c["apology_due"], c["public_replied"], c["next_update_due"], c["last_update"],
                   c["formal"], c["formal"] + 14 * DAY if c["formal"] else None, c["resolved"], c["closed"],
                   c["review_status"] in ("trash", "spam"), c["last_update"] or c["opened"])

    writer.insert("cases", ["id", "shop_id", "source", "channel", "review_id", "customer_id", "product_id", "order_id",
                            "link_method", "link_confidence", "summary", "cause", "causes", "detected_causes",
                            "cause_evidence", "language", "sentiment_score", "priority", "priority_score",
                            "priority_reasons", "escalation_level", "status", "assignee_id", "opened_at",
                            "first_response_due_at", "first_responded_at", "apology_due_at", "public_replied_at",
                            "next_update_due_at", "last_update_at", "formal_complaint_at", "statutory_due_at",
                            "resolved_at", "closed_at", "review_removed", "updated_at"], case_rows())
    log(f"  cases written: {len(cases)} ({sum(c['status'] in OPEN_STATUSES for c in cases)} open), "
        f"{len(reviews)} reviews")

    _write_case_work(writer, rng, shop_id, cases, order_total, order_customer, cust_email, cust_first, now)
    _write_events(writer, rng, shop_id, sizes, moment, now)
    writer.finish(["products", "customers", "orders", "order_items", "refunds", "reviews", "review_revisions",
                   "cases", "case_events", "case_replies", "outbox_emails", "recoveries", "compensations",
                   "inbound_events"])
    return writer.rows


def _shape_case(rng, case, case_id, now, texts, order_items, order_customer, agent_ids):
    """Fill in one case: its text and causes, status, SLA clocks, priority and who works on it."""
    opened, age = case["opened"], now - case["opened"]
    item = rng.choice(texts.negative)
    manual = rng.random() < 0.08
    causes = item["causes"][:2]
    if age < 3 * DAY:
        p_open = 0.8
    elif age < 10 * DAY:
        p_open = 0.4
    elif age < 30 * DAY:
        p_open = 0.15
    else:
        p_open = 0.004  # forgotten ones: long overdue
    is_open = rng.random() < p_open
    link = pick(rng, [(m, w) for m, w, _ in LINK_METHODS]) if rng.random() < 0.75 else None
    public = not manual
    responded = None
    if not is_open or rng.random() < 0.55:
        responded = opened + timedelta(hours=min(rng.lognormvariate(1.8, 1.0), 24 * 6))
        if responded >= now:
            responded = None
    resolved = closed = None
    if is_open:
        status = pick(rng, ANSWERED_OPEN) if responded else "new"
    else:
        resolved = (responded or opened) + timedelta(hours=rng.uniform(2, 24 * 10))
        if resolved >= now:
            resolved = now - timedelta(minutes=rng.randint(5, 300))
        closed = resolved + 14 * DAY if resolved + 14 * DAY < now and rng.random() < 0.9 else None
        status = "closed" if closed else "resolved"
    last_update = responded
    if responded and rng.random() < 0.4:  # a second reply later
        later = responded + timedelta(hours=rng.uniform(12, 72))
        last_update = later if later < (resolved or now) else responded
    formal = opened + timedelta(days=rng.uniform(1, 5)) if rng.random() < 0.02 else None
    if formal and formal >= now:
        formal = None
    score = max(0, min(120, int(rng.gauss(45, 18))))
    rating = None if manual else pick(rng, [(1, 0.55), (2, 0.35), (3, 0.10)])
    reasons = [f"{rating}★ review" if rating else "complaint entered by hand"]
    if score > 60:
        reasons.append("repeat buyer")
    if public:
        reasons.append("public review")
    review_status = "approved"
    if not manual:
        review_status = pick(rng, [("approved", 0.96), ("hold", 0.02), ("spam", 0.01), ("trash", 0.01)])
        if review_status == "hold" and not is_open:
            review_status = "approved"
    o = case["order"]
    case.update(
        id=case_id, source="manual" if manual else "review",
        channel=rng.choice(MANUAL_CHANNELS) if manual else "review", rating=rating, text=item["text"],
        language=item["language"], score=item["score"], causes=causes,
        detected=causes if rng.random() < 0.93 else list(dict.fromkeys(causes[:1] + ["customer_service"])),
        evidence=item["evidence"], linked=link is not None, link_method=link or "none",
        link_confidence=next((c for m, _, c in LINK_METHODS if m == link), 0.0),
        product=rng.choice(order_items[o])[0], customer=order_customer[o], status=status,
        priority=level_for(score), priority_score=score, reasons=reasons,
        escalation=(2 if is_open and age > 3 * DAY else 0),
        assignee=rng.choice(agent_ids) if (not is_open or rng.random() < 0.6) else None,
        responded=responded, apology_due=opened + 48 * HOUR if public else None,
        public_replied=responded if public and responded else None,
        next_update_due=(last_update or opened) + 72 * HOUR, last_update=last_update, formal=formal,
        resolved=resolved, closed=closed, review_status=review_status)


def _write_case_work(writer, rng, shop_id, cases, order_total, order_customer, cust_email, cust_first, now):
    """Timelines, replies, follow-up emails, recoveries, compensations and the audit log of the cases."""
    events, replies, emails, recoveries, compensations, audit = [], [], [], [], [], []
    for c in cases:
        cid, opened, actor = c["id"], c["opened"], c["assignee"]
        o, customer = c["order"], order_customer[c["order"]]
        if c["source"] == "review":
            events.append((cid, opened, "opened", None, f"Case opened from a review: {c['rating']}★ review. "
                           f"Detected causes: {', '.join(c['causes'])}. Language: {c['language']}.", "{}"))
        else:
            events.append((cid, opened, "opened", actor, f"Complaint entered by hand ({c['channel']}). "
                           f"Detected causes: {', '.join(c['causes'])}. Language: {c['language']}.", "{}"))
        if c["linked"]:
            events.append((cid, opened, "order_linked", None, f"Linked to an order automatically by "
                           f"{c['link_method']} (confidence {int(c['link_confidence'] * 100)}%)",
                           dumps({"method": c["link_method"]})))
        if actor:
            events.append((cid, opened + timedelta(minutes=rng.randint(3, 240)), "assigned", actor,
                           f"Assigned to agent {actor}", dumps({"assignee_id": actor})))
        for at in sorted({c["responded"], c["last_update"]} - {None}):
            channel = "public" if c["source"] == "review" and rng.random() < 0.8 else "email"
            name = cust_first[customer]
            text = " ".join([rng.choice(REPLY_OPENINGS).format(name=name)] +
                            rng.sample(REPLY_SENTENCES, rng.randint(3, 5)) + ["Best regards, Customer care"])
            reply_id = len(replies) + 1
            email_id = None
            if channel == "email":
                email_id = len(emails) + 1
                emails.append((email_id, cid, customer + 1, "case_reply", f"case:{cid}:reply:{reply_id}",
                               cust_email[customer], c["language"], "Reply to the complaint", "sent", at, 1, at,
                               at))
            replies.append((reply_id, shop_id, cid, actor, channel, f"bench-{cid}-{reply_id}:{channel}",
                            c["language"], text, "posted" if channel == "public" else "queued", 1, at, at,
                            email_id, "[]", "[]"))
            kind = "reply_posted" if channel == "public" else "reply_emailed"
            events.append((cid, at, kind, None if channel == "public" else actor,
                           f"Reply posted under the review (WordPress comment {800_000 + reply_id})."
                           if channel == "public" else "Reply queued by email.", "{}"))
            if at == c["responded"] and c["status"] != "new":
                events.append((cid, at, "status", actor, "Status: New → In progress",
                               dumps({"before": "new", "after": "in_progress"})))
        if c["formal"]:
            events.append((cid, c["formal"], "formal_complaint", actor, "Marked as a formal complaint.", "{}"))
        if rng.random() < 0.3:
            events.append((cid, opened + timedelta(hours=rng.uniform(1, 48)), "note", actor,
                           "Called the courier: the parcel is in the depot.", "{}"))
        if c["resolved"]:
            events.append((cid, c["resolved"], "status", actor, "Status: In progress → Resolved",
                           dumps({"before": "in_progress", "after": "resolved"})))
            audit.append((c["resolved"], actor, "case.status_changed", cid,
                          dumps({"before": "in_progress", "after": "resolved"})))
            _recovery_and_follow_up(rng, c, customer, cust_email, recoveries, emails, now)
        if c["closed"]:
            events.append((cid, c["closed"], "status", None, "Status: Resolved → Closed",
                           dumps({"before": "resolved", "after": "closed"})))
        if c["linked"] and c["resolved"] and rng.random() < 0.15:
            kind = pick(rng, [("refund", 0.5), ("coupon", 0.35), ("replacement", 0.15)])
            value = round(order_total[o] * (0.2 if kind == "coupon" else 1.0), 2)
            state = pick(rng, [("succeeded", 0.9), ("rejected", 0.05), ("failed", 0.05)])
            compensations.append((len(compensations) + 1, shop_id, cid, o + 1, kind, state, f"bench-comp-{cid}",
                                  value, value, "PLN", "Goodwill", False, False, "[]", c["resolved"] - HOUR,
                                  c["resolved"] if state == "succeeded" else None, actor))

    writer.insert("case_events", ["id", "shop_id", "case_id", "at", "kind", "actor_id", "message", "details"],
                  ((n + 1, shop_id, *e) for n, e in enumerate(events)))
    writer.insert("outbox_emails", ["id", "shop_id", "case_id", "customer_id", "kind", "idempotency_key",
                                    "to_email", "language", "reason", "status", "due_at", "attempts", "sent_at",
                                    "created_at"], ((e[0], shop_id, *e[1:]) for e in emails))
    writer.insert("case_replies", ["id", "shop_id", "case_id", "author_id", "channel", "idempotency_key", "language",
                                   "content", "status", "attempts", "created_at", "delivered_at", "outbox_email_id",
                                   "steps_missing", "similar_to"], replies)
    writer.insert("recoveries", ["id", "shop_id", "case_id", "customer_id", "resolved_at", "window_ends_at",
                                 "baseline_rating", "outcome", "outcome_at", "recovered_by", "evidence",
                                 "satisfaction", "created_at"],
                  ((n + 1, shop_id, *r) for n, r in enumerate(recoveries)))
    writer.insert("compensations", ["id", "shop_id", "case_id", "order_id", "kind", "state", "idempotency_key",
                                    "amount", "value", "currency", "reason", "api_refund", "restock", "items",
                                    "created_at", "finished_at", "requested_by_id"], compensations)
    writer.insert("audit_entries", ["at", "shop_id", "actor_id", "actor_label", "action", "target_type",
                                    "target_id", "details", "ip"],  # no ids: the shop and its people have entries
                  ((at, shop_id, actor, f"agent{actor}@shop.example" if actor else "system", action, "case", cid,
                    details, "127.0.0.1") for at, actor, action, cid, details in audit))


def _recovery_and_follow_up(rng, c, customer, cust_email, recoveries, emails, now):
    resolved, window_ends = c["resolved"], c["resolved"] + 90 * DAY
    outcome, at, by, satisfaction = "pending", None, None, None
    if rng.random() < 0.35:
        outcome, at = "recovered", resolved + timedelta(days=rng.uniform(1, 60))
        by = pick(rng, [("new_order", 0.4), ("satisfied_answer", 0.3), ("rating_raised", 0.2),
                        ("positive_review", 0.1)])
        satisfaction = rng.randint(4, 5) if by == "satisfied_answer" else None
        if at >= now:
            outcome, at, by, satisfaction = "pending", None, None, None
    elif window_ends < now:
        outcome, at = "not_recovered", window_ends
    recoveries.append((c["id"], customer + 1, resolved, window_ends, c["rating"], outcome, at, by,
                       by or "", satisfaction, resolved))
    if rng.random() < 0.6:
        due = resolved + 7 * DAY
        sent = due < now
        emails.append((len(emails) + 1, c["id"], customer + 1, "follow_up", f"case:{c['id']}:resolution:1:follow_up",
                       cust_email[customer], c["language"], "Asking whether the problem is solved",
                       "sent" if sent else "scheduled", due, 1 if sent else 0, due if sent else None, resolved))


def _write_events(writer, rng, shop_id, sizes, moment, now):
    """The webhook deliveries behind all of this: compact WooCommerce payloads, almost all applied."""
    def rows():
        times = sorted(rng.random() for _ in range(sizes.events))
        for n, u in enumerate(times):
            at = moment(u)
            kind = pick(rng, EVENT_TYPES)
            resource = 10_000 + rng.randrange(sizes.orders) if kind.startswith("order") else \
                700_000 + rng.randrange(max(1, sizes.cases + sizes.positive_reviews))
            stamp = at.isoformat(timespec="seconds")
            if kind.startswith("order"):
                data = (f'{{"id":{resource},"number":"{resource}","status":"completed","currency":"PLN",'
                        f'"total":"{rng.uniform(15, 900):.2f}","date_modified_gmt":"{stamp}","customer_id":0,'
                        f'"billing":{{"email":"customer{resource}@mail.example","first_name":"Anna",'
                        f'"last_name":"Nowak"}},"line_items":[{{"id":{resource * 10},"product_id":1001,'
                        f'"name":"Classic Kettle 1","quantity":1,"total":"99.00","sku":"SKU-1001"}}]}}')
            else:
                data = (f'{{"id":{resource},"product_id":1001,"product_name":"Classic Kettle 1","rating":'
                        f'{rng.randint(1, 5)},"status":"approved","reviewer":"Anna","reviewer_email":'
                        f'"customer{resource}@mail.example","review":"Great quality, fast delivery.",'
                        f'"date_created_gmt":"{stamp}","verified":true}}')
            body = f'{{"type":"{kind}","occurred_at":"{stamp}Z","data":{data}}}'
            outcome = "applied" if rng.random() < 0.97 else "stale"
            yield (n + 1, shop_id, f"msg_{n:012x}{rng.getrandbits(32):08x}", kind, at,
                   at + timedelta(milliseconds=rng.randint(40, 900)), body,
                   at + timedelta(seconds=rng.uniform(0.5, 30)), outcome, 1)

    writer.insert("inbound_events", ["id", "shop_id", "webhook_id", "type", "occurred_at", "received_at", "body",
                                     "processed_at", "outcome", "attempts"], rows())
