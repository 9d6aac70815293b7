"""The stand-in's WooCommerce data and the rules WooCommerce applies to it.

Responses follow the payloads recorded from WooCommerce 7.9.0 (tests/fixtures/woocommerce/):
orders are order_created.json with their own ids and totals, refunds are refund.json,
coupons coupon.json, reviews review.json, products product.json. The rules are WooCommerce's:
- wc_create_refund (includes/wc-order-functions.php): "Invalid refund amount." when the amount
  is negative or above total − refunded (no lock: the check and the insert are not atomic in
  WooCommerce either); a refund keeps the order's status and total and is listed in its
  `refunds` (newest first); refunding the rest sets the status to "refunded"; with
  refund_payment the gateway is asked and, when it cannot refund, the refund is deleted again
  (its id is used up) and the gateway's message is returned.
- The REST controllers turn those into `woocommerce_rest_cannot_create_order_refund` with the
  bare status 500 as `data`, which WordPress answers as HTTP 500 (rest_convert_error_to_response).
- Coupon codes are stored lowercased and must be unique among published coupons.
- Posts (products, coupons, orders, refunds) share one id sequence; comments (reviews, order
  notes) another, as in WordPress.
"""
import copy
import itertools
import json
import secrets
import string
import threading
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path

RECORDED = Path(__file__).resolve().parent.parent / "fixtures" / "woocommerce"
ORDER_STATUSES = ("pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                  "checkout-draft")
# Core gateways: bacs, cheque and cod cannot refund through an API; others here stand for ones that can.
GATEWAYS = {"bacs": False, "cheque": False, "cod": False, "paypal": True, "stripe": True,
            "woocommerce_payments": True, "ppcp-gateway": True}
GATEWAY_TITLES = {"bacs": "Direct bank transfer", "cheque": "Check payments", "cod": "Cash on delivery",
                  "paypal": "PayPal", "stripe": "Credit Card (Stripe)"}
FMT = "%Y-%m-%dT%H:%M:%S"
CENT = Decimal("0.01")


def recorded(name):
    """A deep copy of one recorded payload."""
    return json.loads((RECORDED / f"{name}.json").read_text())


class RestError(Exception):
    """A WP_Error as the REST server answers it: HTTP status from data["status"], else 500."""

    def __init__(self, code, message, data):
        super().__init__(message)
        self.code, self.message, self.data = code, message, data
        self.status = data["status"] if isinstance(data, dict) and "status" in data else 500

    def body(self):
        return {"code": self.code, "message": self.message, "data": self.data}


def money(value):
    return str(Decimal(str(value)).quantize(CENT))


def as_decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _invalid_status():
    return RestError("rest_invalid_param", "Invalid parameter(s): status",
                     {"status": 400, "params": {"status": f"status is not one of {', '.join(ORDER_STATUSES)}."}})


class Store:
    """Everything the shop holds; every method runs under one lock, like a database transaction."""

    def __init__(self, home_url, clock, utc_offset=timedelta(0), seed=True):
        self.home_url, self.clock, self.utc_offset = home_url, clock, utc_offset
        self.lock = threading.RLock()
        self.products, self.orders, self.refunds, self.coupons, self.reviews, self.notes = {}, {}, {}, {}, {}, {}
        self.gateways = dict(GATEWAYS)
        self._post_ids, self._comment_ids, self._item_ids, self._meta_ids = (
            itertools.count(10), itertools.count(5), itertools.count(1), itertools.count(30))
        if seed:
            self._seed()

    # --- time ---------------------------------------------------------------------------------------

    def stamp(self, moment=None):
        """(local, gmt) strings for an aware or naive-UTC moment (default now)."""
        moment = moment or self.clock()
        gmt = (moment.astimezone(timezone.utc) if moment.tzinfo else moment).replace(tzinfo=None)
        return (gmt + self.utc_offset).strftime(FMT), gmt.strftime(FMT)

    def set_dates(self, record, name, moment=None):
        record[name], record[f"{name}_gmt"] = self.stamp(moment)

    def wall_time(self, value):
        """A query date as WP_Date_Query compares it: an offset converts to the site's time; none is taken as is."""
        moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T"))
        if moment.tzinfo:
            moment = (moment.astimezone(timezone.utc) + self.utc_offset).replace(tzinfo=None)
        return moment

    # --- seeding and helpers for tests --------------------------------------------------------------

    def _seed(self):
        product = recorded("product")
        self.products[product["id"]] = product
        coupon = recorded("coupon")
        self.coupons[coupon["id"]] = coupon
        order = recorded("order_completed")
        self.orders[order["id"]] = order
        review = recorded("review")
        self.reviews[review["id"]] = review
        self._post_ids = itertools.count(13)  # product 10, coupon 11, order 12: the next post is 13
        self._comment_ids = itertools.count(review["id"] + 1)
        self._item_ids = itertools.count(4)

    def next_post_id(self):
        return next(self._post_ids)

    def add_product(self, **fields):
        with self.lock:
            product = recorded("product")
            product.update(id=self.next_post_id(), **fields)
            self.products[product["id"]] = product
            return copy.deepcopy(product)

    def add_order(self, *, total=None, status="processing", payment_method="bacs", email=None,
                  date_created=None, date_modified=None, **fields):
        """An order shaped like order_created.json; `total` replaces the recorded items with one line."""
        with self.lock:
            order = recorded("order_created")
            order_id = self.next_post_id()
            order.update(id=order_id, number=str(order_id), status=status, refunds=[],
                         order_key="wc_order_" + "".join(secrets.choice(string.ascii_letters) for _ in range(13)),
                         payment_method=payment_method,
                         payment_method_title=GATEWAY_TITLES.get(payment_method, payment_method))
            for item in order["line_items"] + order["shipping_lines"] + order["coupon_lines"]:
                item["id"] = next(self._item_ids)
            if total is not None:
                line_total = Decimal(str(total)) - Decimal(order["shipping_total"])
                order["line_items"][0].update(quantity=1, subtotal=money(line_total), total=money(line_total),
                                              price=float(line_total))
                order.update(coupon_lines=[], discount_total="0.00", total=money(total))
            if email:
                order["billing"]["email"] = email
            self.set_dates(order, "date_created", date_created)
            self.set_dates(order, "date_modified", date_modified or date_created)
            if status == "completed":
                self.set_dates(order, "date_completed", date_created)
            order.update(fields)
            self.orders[order_id] = order
            return copy.deepcopy(order)

    def add_review(self, *, date_created=None, **fields):
        """A review shaped like review.json (product 10, approved, 4 stars unless told otherwise)."""
        with self.lock:
            review = recorded("review")
            review.update(id=next(self._comment_ids), **fields)
            product = self.products.get(review["product_id"])
            if product:
                review.update(product_name=product["name"], product_permalink=product["permalink"])
            self.set_dates(review, "date_created", date_created)
            self.reviews[review["id"]] = review
            return copy.deepcopy(review)

    # --- orders -------------------------------------------------------------------------------------

    def get_order(self, order_id, status=404):
        order = self.orders.get(order_id)
        if order is None or order["status"] == "trash":
            raise RestError("woocommerce_rest_shop_order_invalid_id", "Invalid ID.", {"status": status})
        return order

    def create_order(self, payload):
        """POST /orders: items priced from the products unless given, totals recalculated, status pending."""
        with self.lock:
            order = recorded("order_created")
            status = payload.get("status", "pending")
            if status not in ORDER_STATUSES:
                raise _invalid_status()
            order_id = self.next_post_id()
            order.update(id=order_id, number=str(order_id), status=status,
                         customer_id=payload.get("customer_id", 0), customer_note=payload.get("customer_note", ""),
                         payment_method=payload.get("payment_method", ""), date_paid=None, date_paid_gmt=None,
                         payment_method_title=payload.get("payment_method_title", ""), refunds=[], meta_data=[],
                         coupon_lines=[], fee_lines=[], order_key="wc_order_" + secrets.token_hex(6),
                         date_completed=None, date_completed_gmt=None)
            for part in ("billing", "shipping"):
                order[part] = {key: "" for key in order[part]} | payload.get(part, {})
            order["line_items"] = [self._line_item(item) for item in payload.get("line_items", [])]
            order["shipping_lines"] = [self._shipping_line(line) for line in payload.get("shipping_lines", [])]
            self._update_meta(order, payload.get("meta_data", []))
            self._recalculate(order)
            self.set_dates(order, "date_created")
            self.set_dates(order, "date_modified")
            if payload.get("set_paid"):
                order["status"] = "processing"
                self.set_dates(order, "date_paid")
            self.orders[order_id] = order
            return order

    def update_order(self, order_id, payload):
        """PUT /orders/<id>: status, addresses, note, payment method and meta_data (WC_Data semantics)."""
        with self.lock:
            order = self.get_order(order_id, status=400)
            if "status" in payload:
                self._set_status(order, payload["status"])
            for part in ("billing", "shipping"):
                order[part].update(payload.get(part, {}))
            for key in ("customer_note", "payment_method", "payment_method_title", "transaction_id"):
                if key in payload:
                    order[key] = payload[key]
            self._update_meta(order, payload.get("meta_data", []))
            self.set_dates(order, "date_modified")
            return order

    def _set_status(self, order, status):
        status = status[3:] if status.startswith("wc-") else status
        if status not in ORDER_STATUSES:
            raise _invalid_status()
        if status != order["status"]:
            self.add_note(order["id"], f"Order status changed from {order['status'].title()} to {status.title()}.")
            order["status"] = status
            if status == "completed":
                self.set_dates(order, "date_completed")

    def _line_item(self, item):
        product = self.products.get(item.get("product_id"))
        if product is None:
            raise RestError("woocommerce_rest_invalid_product_id", "Product ID or SKU is invalid.", {"status": 400})
        quantity = int(item.get("quantity", 1))
        subtotal = as_decimal(item.get("subtotal", Decimal(product["price"] or 0) * quantity))
        total = as_decimal(item.get("total", subtotal))
        return {"id": next(self._item_ids), "name": product["name"], "product_id": product["id"], "variation_id": 0,
                "quantity": quantity, "tax_class": "", "subtotal": money(subtotal), "subtotal_tax": "0.00",
                "total": money(total), "total_tax": "0.00", "taxes": [], "meta_data": [], "sku": product["sku"],
                "price": float(total / quantity) if quantity else 0.0, "image": {"id": "", "src": ""},
                "parent_name": None}

    def _shipping_line(self, line):
        return {"id": next(self._item_ids), "method_title": line.get("method_title", ""),
                "method_id": line.get("method_id", ""), "instance_id": "", "total": money(line.get("total", 0)),
                "total_tax": "0.00", "taxes": [], "meta_data": []}

    def _recalculate(self, order):
        items = sum((Decimal(i["total"]) for i in order["line_items"]), Decimal(0))
        discount = sum((Decimal(i["subtotal"]) - Decimal(i["total"]) for i in order["line_items"]), Decimal(0))
        shipping = sum((Decimal(s["total"]) for s in order["shipping_lines"]), Decimal(0))
        order.update(total=money(items + shipping), shipping_total=money(shipping), discount_total=money(discount))

    def _update_meta(self, record, entries):
        """WC_Data::update_meta_data: by id when given, else the entry with that key (extra ones dropped)."""
        for entry in entries:
            meta = record["meta_data"]
            if entry.get("id"):
                target = next((m for m in meta if m["id"] == entry["id"]), None)
            else:
                target = next((m for m in meta if m["key"] == entry["key"]), None)
                record["meta_data"] = [m for m in meta if m["key"] != entry["key"] or m is target]
            if target is not None:
                target.update(key=entry["key"], value=entry.get("value"))
            else:
                record["meta_data"].append({"id": next(self._meta_ids), "key": entry["key"], "value": entry.get("value")})

    # --- notes --------------------------------------------------------------------------------------

    def add_note(self, order_id, note, customer_note=False):
        with self.lock:
            record = {"id": next(self._comment_ids), "author": "system", "note": note,
                      "customer_note": bool(customer_note)}
            self.set_dates(record, "date_created")
            self.notes.setdefault(order_id, []).insert(0, record)
            return record
