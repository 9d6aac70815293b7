"""Refunds, coupons and list queries with WooCommerce's own rules (see store.py for the sources)."""
import copy
import html
from datetime import datetime
from decimal import Decimal

from tests.wc_standin.store import RestError, as_decimal, money, recorded

COUPON_TYPES = ("percent", "fixed_cart", "fixed_product")
COUPON_FIELDS = ("description", "individual_use", "product_ids", "excluded_product_ids", "usage_limit",
                 "usage_limit_per_user", "limit_usage_to_x_items", "free_shipping", "product_categories",
                 "excluded_product_categories", "exclude_sale_items", "meta_data")


def _cannot_create(message):
    # The REST controller wraps wc_create_refund's WP_Error with a bare 500 as data: HTTP 500.
    return RestError("woocommerce_rest_cannot_create_order_refund", message, 500)


def refunded_total(store, order_id):
    return sum((Decimal(r["amount"]) for r in store.refunds.get(order_id, [])), Decimal(0))


def _refund_lines(raw):
    """RestApiUtil::adjust_create_refund_request_parameters: a list of {id, quantity, ...} → keyed by item id."""
    if not isinstance(raw, list):
        return {}
    lines = {}
    for item in raw:
        if not isinstance(item, dict) or "id" not in item:
            return {}
        taxes = item.get("refund_tax") or []
        lines[int(item["id"])] = {"qty": int(item.get("quantity", item.get("qty", 0)) or 0),
                                  "refund_total": item.get("refund_total"),
                                  "refund_tax": [t.get("refund_total") for t in taxes if isinstance(t, dict)]}
    return lines


def _amount_from_lines(lines):
    total = Decimal(0)
    for line in lines.values():
        values = [line["refund_total"], *line["refund_tax"]]
        if any(as_decimal(v) is None for v in values):
            return None
        total += sum(Decimal(str(v)) for v in values)
    return total


def create_refund(store, order_id, body):
    """POST /orders/<id>/refunds as WC_REST_Order_Refunds_Controller + wc_create_refund do it."""
    with store.lock:
        order = store.orders.get(order_id)
        if order is None or order["status"] == "trash":
            raise RestError("woocommerce_rest_invalid_order_id", "Invalid order ID.", 404)
        api_refund = body["api_refund"] if isinstance(body.get("api_refund"), bool) else True
        api_restock = body["api_restock"] if isinstance(body.get("api_restock"), bool) else True
        lines = _refund_lines(body.get("line_items"))
        raw_amount = body.get("amount")
        if raw_amount is None and lines:
            raw_amount = _amount_from_lines(lines)
        amount = Decimal(0) if raw_amount is None else as_decimal(raw_amount)
        if amount is not None and amount < 0:
            raise RestError("woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.", 400)
        remaining = Decimal(order["total"]) - refunded_total(store, order_id)
        refund_id = store.next_post_id()  # the refund post exists before the checks; a failure wastes the id
        if amount is None or amount > remaining:
            raise _cannot_create("Invalid refund amount.")
        refund = _new_refund(store, refund_id, order, amount, body.get("reason") or "", lines)
        if api_refund:
            gateway = store.gateways.get(order["payment_method"])
            if order["payment_method"] not in store.gateways:
                raise _cannot_create("The payment gateway for this order does not exist.")
            if gateway is False:
                raise _cannot_create("The payment gateway for this order does not support automatic refunds.")
            if isinstance(gateway, str):  # a gateway answering with its own error
                raise _cannot_create(gateway)
            refund["refunded_payment"] = True
        store.refunds.setdefault(order_id, []).insert(0, refund)
        order["refunds"].insert(0, {"id": refund_id, "reason": refund["reason"], "total": f"-{refund['amount']}"})
        if api_restock:
            _restock(store, order, lines)
        if remaining - amount <= 0:
            store._set_status(order, "refunded")
        store.set_dates(order, "date_modified")
        return refund


def _new_refund(store, refund_id, order, amount, reason, lines):
    refund = recorded("refund")
    refund.update(id=refund_id, amount=money(amount), reason=reason, refunded_by=1, refunded_payment=False,
                  meta_data=[], line_items=[], shipping_lines=[])
    store.set_dates(refund, "date_created")
    for item in order["line_items"] + order["shipping_lines"]:
        line = lines.get(item["id"])
        if not line or not (line["qty"] or as_decimal(line["refund_total"] or 0)):
            continue
        total = Decimal(str(line["refund_total"] or 0))
        copied = copy.deepcopy(item)
        copied.update(id=next(store._item_ids), total=money(-total), meta_data=[
            {"id": next(store._meta_ids), "key": "_refunded_item_id", "value": str(item["id"]),
             "display_key": "_refunded_item_id", "display_value": str(item["id"])}])
        if "quantity" in copied:
            copied.update(quantity=-line["qty"], subtotal=money(-total),
                          price=float(total / line["qty"]) if line["qty"] else 0.0)
            refund["line_items"].append(copied)
        else:
            refund["shipping_lines"].append(copied)
    return refund


def _restock(store, order, lines):
    """wc_restock_refunded_items: stock back up, and the item's _reduced_stock/_restock_refunded_items meta."""
    for item in order["line_items"]:
        qty = lines.get(item["id"], {}).get("qty")
        meta = {m["key"]: m for m in item["meta_data"]}
        product = store.products.get(item["product_id"])
        if not qty or "_reduced_stock" not in meta or not product or not product.get("manage_stock"):
            continue
        old = product["stock_quantity"]
        product["stock_quantity"] = old + qty
        reduced = meta["_reduced_stock"]
        reduced["value"] = reduced["display_value"] = str(int(reduced["value"]) - qty)
        if "_restock_refunded_items" in meta:
            entry = meta["_restock_refunded_items"]
            entry["value"] = entry["display_value"] = str(int(entry["value"]) + qty)
        else:
            item["meta_data"].append({"id": next(store._meta_ids), "key": "_restock_refunded_items",
                                      "value": str(qty), "display_key": "_restock_refunded_items",
                                      "display_value": str(qty)})
        store.add_note(order["id"], f"Item #{product['id']} stock increased from {old} to {old + qty}.")


# --- coupons --------------------------------------------------------------------------------------------

def coupon_code(value):
    """wc_format_coupon_code with WooCommerce's default filters: entities decoded, trimmed, lowercased."""
    return html.unescape(str(value)).strip().lower()


def create_coupon(store, body):
    """POST /coupons: a code is required and must not be taken by a published coupon."""
    with store.lock:
        if not body.get("code"):
            raise RestError("woocommerce_rest_empty_coupon_code", "The coupon code cannot be empty.", {"status": 400})
        code = coupon_code(body["code"])
        if find_coupons(store, code):
            raise RestError("woocommerce_rest_coupon_code_already_exists", "The coupon code already exists",
                            {"status": 400})
        discount_type = body.get("discount_type", "fixed_cart")
        if discount_type not in COUPON_TYPES:
            raise RestError("rest_invalid_param", "Invalid parameter(s): discount_type", {
                "status": 400, "params": {"discount_type": f"discount_type is not one of {', '.join(COUPON_TYPES)}."}})
        coupon = recorded("coupon")
        coupon.update(id=store.next_post_id(), code=code, discount_type=discount_type, usage_limit=None,
                      individual_use=False, amount=money(body.get("amount") or 0), used_by=[], meta_data=[],
                      email_restrictions=[e.strip().lower() for e in body.get("email_restrictions") or []])
        coupon.update({key: body[key] for key in COUPON_FIELDS if key in body})
        store.set_dates(coupon, "date_created")
        store.set_dates(coupon, "date_modified")
        coupon["date_expires"] = coupon["date_expires_gmt"] = None
        if body.get("date_expires"):
            expires = body["date_expires"] if "T" in body["date_expires"] else body["date_expires"] + "T00:00:00"
            local = store.wall_time(expires)  # a date without an offset is the shop's local time
            coupon["date_expires"] = local.strftime("%Y-%m-%dT%H:%M:%S")
            coupon["date_expires_gmt"] = (local - store.utc_offset).strftime("%Y-%m-%dT%H:%M:%S")
        store.coupons[coupon["id"]] = coupon
        return coupon


def find_coupons(store, code):
    code = coupon_code(code)
    return [c for c in store.coupons.values() if c["code"] == code and c["status"] == "publish"]


# --- list queries ---------------------------------------------------------------------------------------

def _when(record, name):
    return datetime.strptime(record[name], "%Y-%m-%dT%H:%M:%S")


def query_orders(store, args):
    """GET /orders filters and order, as WC_REST_CRUD_Controller::prepare_objects_query builds them."""
    column = "_gmt" if args.get("dates_are_gmt") in ("true", "1", True) else ""
    status = args.get("status", "any")
    found = [o for o in store.orders.values()
             if (o["status"] != "trash" if status == "any" else o["status"] == status)]
    for param, field, newer in (("after", "date_created", True), ("before", "date_created", False),
                                ("modified_after", "date_modified", True), ("modified_before", "date_modified", False)):
        if args.get(param):
            bound = store.wall_time(args[param])
            # WP_Date_Query's after/before are exclusive.
            found = [o for o in found if (_when(o, field + column) > bound if newer else _when(o, field + column) < bound)]
    orderby = args.get("orderby", "date")
    sort_key = {"date": lambda o: (o["date_created_gmt"], o["id"]),
                "modified": lambda o: (o["date_modified_gmt"], o["id"])}.get(orderby, lambda o: o["id"])
    return sorted(found, key=sort_key, reverse=args.get("order", "desc") == "desc")


def query_reviews(store, args):
    """GET /products/reviews: status "all" is approved + hold (WP_Comment_Query), dates on comment_date."""
    status = args.get("status", "approved")
    wanted = ("approved", "hold") if status == "all" else (status,)
    found = [r for r in store.reviews.values() if r["status"] in wanted]
    if args.get("product"):
        products = {int(p) for p in str(args["product"]).split(",")}
        found = [r for r in found if r["product_id"] in products]
    if args.get("reviewer_email"):
        found = [r for r in found if r["reviewer_email"].lower() == args["reviewer_email"].lower()]
    for param, newer in (("after", True), ("before", False)):
        if args.get(param):
            bound = store.wall_time(args[param])
            found = [r for r in found if (_when(r, "date_created") > bound if newer else _when(r, "date_created") < bound)]
    orderby = args.get("orderby", "date_gmt")
    sort_key = (lambda r: r["id"]) if orderby == "id" else (lambda r: (r["date_created_gmt"], r["id"]))
    return sorted(found, key=sort_key, reverse=args.get("order", "desc") == "desc")
