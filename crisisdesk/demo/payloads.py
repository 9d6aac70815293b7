"""Build order and review resources in WooCommerce REST v3's shape (as recorded in a real shop).

Used by the demo seeder and by the tests, so both speak exactly what the bridge sends.
"""
from datetime import timezone


def wc_time(moment):
    """WooCommerce's `*_gmt` format: no offset, UTC."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


def order_payload(order_id, email, first_name, last_name, items, created_at, status="processing",
                  modified_at=None, currency="PLN", customer_id=0, refunds=(), shop_url="https://shop.example",
                  unpaid=False):
    """`items` are (line_id, product_id, name, quantity, unit_price) tuples; `unpaid` leaves date_paid empty (a bank
    transfer not received yet), else the order was paid when it was placed."""
    paid = None if unpaid else wc_time(created_at)
    line_items = [{
        "id": line_id, "name": name, "product_id": product_id, "variation_id": 0, "quantity": quantity,
        "tax_class": "", "subtotal": f"{quantity * price:.2f}", "subtotal_tax": "0.00",
        "total": f"{quantity * price:.2f}", "total_tax": "0.00", "taxes": [], "meta_data": [],
        "sku": f"SKU-{product_id}", "price": price, "image": {"id": "", "src": ""}, "parent_name": None,
    } for line_id, product_id, name, quantity, price in items]
    total = sum(quantity * price for _, _, _, quantity, price in items)
    modified = modified_at or created_at
    address = {"first_name": first_name, "last_name": last_name, "company": "", "address_1": "ul. Długa 1",
               "address_2": "", "city": "Kraków", "state": "", "postcode": "30-001", "country": "PL"}
    return {
        "id": order_id, "parent_id": 0, "status": status, "currency": currency, "version": "9.4.0",
        "prices_include_tax": False, "date_created": wc_time(created_at), "date_modified": wc_time(modified),
        "discount_total": "0.00", "discount_tax": "0.00", "shipping_total": "0.00", "shipping_tax": "0.00",
        "cart_tax": "0.00", "total": f"{total:.2f}", "total_tax": "0.00", "customer_id": customer_id,
        "order_key": f"wc_order_demo{order_id}", "billing": {**address, "email": email, "phone": ""},
        "shipping": {**address, "phone": ""}, "payment_method": "bacs",
        "payment_method_title": "Direct bank transfer", "transaction_id": "", "customer_ip_address": "",
        "customer_user_agent": "", "created_via": "checkout", "customer_note": "",
        "date_completed": wc_time(modified) if status == "completed" else None,
        "date_paid": paid, "cart_hash": "", "number": str(order_id), "meta_data": [],
        "line_items": line_items, "tax_lines": [], "shipping_lines": [], "fee_lines": [], "coupon_lines": [],
        "refunds": [{"id": rid, "reason": reason, "total": f"-{amount:.2f}"} for rid, amount, reason in refunds],
        "payment_url": f"{shop_url}/checkout/order-pay/{order_id}/", "is_editable": status == "pending",
        "needs_payment": False, "needs_processing": True,
        "date_created_gmt": wc_time(created_at), "date_modified_gmt": wc_time(modified),
        "date_completed_gmt": wc_time(modified) if status == "completed" else None,
        "date_paid_gmt": paid, "currency_symbol": "zł",
        "_links": {"self": [{"href": f"{shop_url}/wp-json/wc/v3/orders/{order_id}"}]},
    }


def review_payload(review_id, product_id, product_name, reviewer, email, text, rating, created_at,
                   status="approved", verified=True, shop_url="https://shop.example", review_order_id=None):
    payload = {
        "id": review_id, "date_created": wc_time(created_at), "date_created_gmt": wc_time(created_at),
        "product_id": product_id, "product_name": product_name,
        "product_permalink": f"{shop_url}/product/{product_name.lower().replace(' ', '-')}/",
        "status": status, "reviewer": reviewer, "reviewer_email": email, "review": text, "rating": rating,
        "verified": verified, "reviewer_avatar_urls": {},
        "_links": {"self": [{"href": f"{shop_url}/wp-json/wc/v3/products/reviews/{review_id}"}],
                   "up": [{"href": f"{shop_url}/wp-json/wc/v3/products/{product_id}"}]},
    }
    if review_order_id:
        payload["meta_data"] = [{"id": 1, "key": "_review_order_id", "value": str(review_order_id)}]
    return payload
