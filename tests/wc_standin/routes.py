"""The stand-in's REST routes: what each WooCommerce endpoint answers (see server.py for the table).

Collection parameters are validated as WordPress validates the registered args (per_page 1..100,
enums, RFC 3339 dates) before the controller runs; lists carry X-WP-Total, X-WP-TotalPages and
Link headers as WC_REST_CRUD_Controller::get_items sets them.
"""
import copy
import re
from math import ceil
from urllib.parse import urlencode

from tests.wc_standin import rules
from tests.wc_standin.store import RestError

PREFIX = "/wp-json/wc/v3/"
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}(:\d{2})?)?$")
ORDER_STATUSES = ("any", "trash", "pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed",
                  "checkout-draft")
ORDERS_ORDERBY = ("date", "id", "include", "title", "slug", "modified")


class Routes:
    """Mixed into WooStandIn; needs `self.store` and `self.url`."""

    def list_orders(self, args, path):
        _validate(args, orderby=ORDERS_ORDERBY, status=ORDER_STATUSES,
                  dates=("after", "before", "modified_after", "modified_before"))
        with self.store.lock:
            return self._collection([self._order(o) for o in rules.query_orders(self.store, args)], args, path)

    def get_order(self, args, order_id, path):
        with self.store.lock:
            return 200, [], self._order(self.store.get_order(order_id))

    def create_order(self, args, path):
        with self.store.lock:
            order = self.store.create_order(args)
            return 201, [("Location", f"{self.url}{PREFIX}orders/{order['id']}")], self._order(order)

    def update_order(self, args, order_id, path):
        with self.store.lock:
            return 200, [], self._order(self.store.update_order(order_id, args))

    def list_refunds(self, args, order_id, path):
        _validate(args, orderby=ORDERS_ORDERBY)
        with self.store.lock:
            refunds = [self._refund(r, order_id) for r in self.store.refunds.get(order_id, [])]
            return self._collection(refunds, args, path)

    def create_refund(self, args, order_id, path):
        refund = rules.create_refund(self.store, order_id, args)
        return 201, [("Location", f"{self.url}{PREFIX}orders/{order_id}/refunds/{refund['id']}")], \
            self._refund(refund, order_id)

    def list_notes(self, args, order_id, path):
        with self.store.lock:
            self.store.get_order(order_id)
            return 200, [], [self._note(n, order_id) for n in self.store.notes.get(order_id, [])]

    def create_note(self, args, order_id, path):
        if not args.get("note"):
            raise RestError("rest_missing_callback_param", "Missing parameter(s): note",
                            {"status": 400, "params": ["note"]})
        with self.store.lock:
            self.store.get_order(order_id)
            note = self.store.add_note(order_id, args["note"], args.get("customer_note") is True)
            return 201, [], self._note(note, order_id)

    def list_coupons(self, args, path):
        _validate(args, orderby=ORDERS_ORDERBY)
        with self.store.lock:
            found = rules.find_coupons(self.store, args["code"]) if args.get("code") else \
                sorted(self.store.coupons.values(), key=lambda c: (c["date_created_gmt"], c["id"]), reverse=True)
            return self._collection([self._linked(c, f"coupons/{c['id']}", "coupons") for c in found], args, path)

    def create_coupon(self, args, path):
        coupon = rules.create_coupon(self.store, args)
        return 201, [], self._linked(coupon, f"coupons/{coupon['id']}", "coupons")

    def list_reviews(self, args, path):
        _validate(args, orderby=("date", "date_gmt", "id", "include", "product"),
                  status=("all", "hold", "approved", "spam", "trash"), dates=("after", "before"))
        with self.store.lock:
            reviews = [self._review(r) for r in rules.query_reviews(self.store, args)]
            return self._collection(reviews, args, path)

    def get_product(self, args, product_id, path):
        with self.store.lock:
            product = self.store.products.get(product_id)
            if product is None:
                raise RestError("woocommerce_rest_product_invalid_id", "Invalid ID.", {"status": 404})
            return 200, [], self._linked(product, f"products/{product_id}", "products")

    def system_status(self, args, path):
        return 200, [], {"environment": {"home_url": self.url, "site_url": self.url, "version": "7.9.0",
                                         "wp_version": "6.1.9", "php_version": "8.2"},
                         "settings": {"currency": "USD", "api_enabled": True}}

    # --- shaping answers ----------------------------------------------------------------------------------

    def _collection(self, items, args, path):
        page, per_page = int(args.get("page", 1)), int(args.get("per_page", 10))
        total = len(items)
        pages = ceil(total / per_page)
        headers = [("X-WP-Total", str(total)), ("X-WP-TotalPages", str(pages))]
        base = {k: v for k, v in args.items() if k != "page"}
        if page > 1:
            headers.append(("Link", f'<{self._url(path, base, min(page - 1, pages))}>; rel="prev"'))
        if pages > page:
            headers.append(("Link", f'<{self._url(path, base, page + 1)}>; rel="next"'))
        return 200, headers, items[(page - 1) * per_page: page * per_page]

    def _url(self, path, params, page):
        return f"{self.url}{path}?{urlencode({**params, 'page': page})}"

    def _linked(self, record, self_path, collection_path, **more):
        data = copy.deepcopy(record)
        data["_links"] = {"self": [{"href": f"{self.url}{PREFIX}{self_path}"}],
                          "collection": [{"href": f"{self.url}{PREFIX}{collection_path}"}],
                          **{rel: [{"href": f"{self.url}{PREFIX}{href}"}] for rel, href in more.items()}}
        return data

    def _order(self, order):
        more = {"customer": f"customers/{order['customer_id']}"} if order.get("customer_id") else {}
        data = self._linked(order, f"orders/{order['id']}", "orders", **more)
        data["payment_url"] = (f"{self.url}/checkout/order-pay/{order['id']}/?pay_for_order=true"
                               f"&key={order['order_key']}")
        return data

    def _refund(self, refund, order_id):
        return self._linked(refund, f"orders/{order_id}/refunds/{refund['id']}", f"orders/{order_id}/refunds",
                            up=f"orders/{order_id}")

    def _note(self, note, order_id):
        return self._linked(note, f"orders/{order_id}/notes/{note['id']}", f"orders/{order_id}/notes",
                            up=f"orders/{order_id}")

    def _review(self, review):
        return self._linked(review, f"products/reviews/{review['id']}", "products/reviews",
                            up=f"products/{review['product_id']}")


ROUTES = [
    ("GET", r"orders", "list_orders"), ("POST", r"orders", "create_order"),
    ("GET", r"orders/(\d+)", "get_order"), ("PUT|POST|PATCH", r"orders/(\d+)", "update_order"),
    ("GET", r"orders/(\d+)/refunds", "list_refunds"), ("POST", r"orders/(\d+)/refunds", "create_refund"),
    ("GET", r"orders/(\d+)/notes", "list_notes"), ("POST", r"orders/(\d+)/notes", "create_note"),
    ("GET", r"coupons", "list_coupons"), ("POST", r"coupons", "create_coupon"),
    ("GET", r"products/reviews", "list_reviews"), ("GET", r"products/(\d+)", "get_product"),
    ("GET", r"system_status", "system_status"),
]


def route_for(method, path):
    """(handler name, regex match) for a request, or (None, None): WordPress answers rest_no_route."""
    if not path.startswith(PREFIX):
        return None, None
    rest = path[len(PREFIX):].rstrip("/")
    for methods, pattern, name in ROUTES:
        match = re.fullmatch(pattern, rest)
        if match and method in methods.split("|"):
            return name, match
    return None, None


def permission_error(route):
    # What the endpoints' permission callbacks answer a request that authenticated as nobody.
    if route.startswith("list_"):
        return RestError("woocommerce_rest_cannot_view", "Sorry, you cannot list resources.", {"status": 401})
    if route.startswith("get_") or route == "system_status":
        return RestError("woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.", {"status": 401})
    if route.startswith("create_"):
        return RestError("woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.",
                         {"status": 401})
    return RestError("woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.",
                     {"status": 401})


def _invalid(name, message):
    return RestError("rest_invalid_param", f"Invalid parameter(s): {name}",
                     {"status": 400, "params": {name: message}, "details": {}})


def _validate(args, orderby=(), status=(), dates=()):
    """The collection parameters WordPress validates before the controller runs."""
    for name, low, high in (("page", 1, None), ("per_page", 1, 100)):
        if name in args:
            try:
                value = int(args[name])
            except (TypeError, ValueError):
                raise _invalid(name, f"{name} is not of type integer.") from None
            if value < low or (high and value > high):
                raise _invalid(name, f"{name} must be between {low} (inclusive) and {high} (inclusive)"
                               if high else f"{name} must be greater than or equal to {low}")
    for name, choices in (("order", ("asc", "desc")), ("orderby", orderby), ("status", status)):
        if choices and name in args and args[name] not in choices:
            raise _invalid(name, f"{name} is not one of {', '.join(choices)}.")
    for name in dates:
        if args.get(name) and not DATE_TIME.match(args[name]):
            raise _invalid(name, "Invalid date.")
