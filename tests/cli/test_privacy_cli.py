"""`flask privacy export|erase --shop ID EMAIL`: a customer's data request from the command line, through Click's
runner, on the real database. Exit codes: 0 done, 1 stopped at the prompt, 2 bad input, 3 nothing held."""
import json
import os

import pytest

from crisisdesk.models import AuditEntry, Order, Review
from tests import factories
from tests.cli.test_cli import cli  # noqa: F401  (fixture)


@pytest.fixture
def grace(app, shop_a):
    factories.deliver(shop_a, "order.created", factories.order(order_id=9001, email="grace@example.com"))
    factories.deliver(shop_a, "review.created", factories.review(review_id=901, email="grace@example.com", rating=1,
                                                                 text="Broken. Grace Hopper"))


@pytest.fixture
def shop_id(shop_a):
    return str(shop_a.id)  # read before a command runs: each command ends its session, and shop_a with it


def review_text():
    return Review.query.filter_by(remote_id=901).one().text


def test_export_prints_the_customers_items_as_json_and_audits_it_as_the_cli(cli, shop_id, grace):  # noqa: F811
    result = cli("privacy", "export", "--shop", shop_id, "Grace@Example.com")

    assert result.exit_code == 0, result.output
    items = json.loads(result.output)["items"]
    assert [i["group_id"] for i in items] == ["crisisdesk-customer", "crisisdesk-orders", "crisisdesk-reviews",
                                              "crisisdesk-cases"]
    assert {"name": "Review", "value": "Broken. Grace Hopper"} in items[2]["data"]
    entry = AuditEntry.query.filter_by(action="privacy.exported").one()
    assert (entry.actor_label, entry.shop_id, entry.details["items"]) == ("cli", int(shop_id), 4)


def test_export_writes_a_file_only_its_owner_can_read(cli, shop_id, grace, tmp_path):  # noqa: F811
    target = tmp_path / "grace.json"

    result = cli("privacy", "export", "--shop", shop_id, "grace@example.com", "--output", str(target))

    assert result.exit_code == 0, result.output
    assert len(json.loads(target.read_text())["items"]) == 4
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert f"Wrote 4 items about grace@example.com in shop {shop_id} to {target}." in result.output


def test_erase_asks_first_and_a_no_erases_nothing(cli, shop_id, grace):  # noqa: F811
    result = cli("privacy", "erase", "--shop", shop_id, "grace@example.com", input="n\n")

    assert result.exit_code == 1
    held = "holds about grace@example.com:\n  Customer record: 1\n  Orders: 1\n  Reviews: 1\n  Cases: 1\n"
    assert held in result.output
    assert "Erase this customer's personal data? It cannot be undone [y/N]: n\nAborted!" in result.output
    assert review_text() == "Broken. Grace Hopper"
    assert AuditEntry.query.filter_by(action="privacy.erased").count() == 0
    assert AuditEntry.query.filter_by(action="privacy.looked_up").one().actor_label == "cli"


def test_erase_after_a_yes_says_what_was_removed_and_what_was_kept_and_why(cli, shop_id, grace):  # noqa: F811
    result = cli("privacy", "erase", "--shop", shop_id, "grace@example.com", input="y\n")

    assert result.exit_code == 0, result.output
    assert f"Erased grace@example.com in shop {shop_id} (Shop A). Personal data removed from:" in result.output
    assert "  Reviews: 1\n" in result.output and "  Stored events from the shop: 2\n" in result.output
    assert ("Kept, anonymised:\n  Customer record: 1 (kept so that their orders and cases still count as one "
            "customer's; name, address and WordPress account removed)\n  Orders: 1 (money records, kept for the "
            "shop's accounting; billing name and address removed)\n") in result.output
    assert review_text() == "[erased]"
    assert Order.query.filter_by(remote_id=9001).one().billing_email == ""
    assert AuditEntry.query.filter_by(action="privacy.erased").one().actor_label == "cli"


def test_erase_with_yes_does_not_ask_and_a_second_erasure_finds_nothing(cli, shop_id, grace):  # noqa: F811
    first = cli("privacy", "erase", "--shop", shop_id, "grace@example.com", "--yes")
    assert first.exit_code == 0, first.output
    assert "[y/N]" not in first.output and review_text() == "[erased]"

    again = cli("privacy", "erase", "--shop", shop_id, "grace@example.com", "--yes")
    assert again.exit_code == 3
    assert (f"Error: shop {shop_id} (Shop A) holds no personal data for grace@example.com (never known to it, or "
            "already erased)") in again.output


@pytest.mark.parametrize("command", ["export", "erase"])
def test_it_refuses_an_unknown_shop_a_malformed_address_and_an_unknown_customer(cli, shop_id, grace,  # noqa: F811
                                                                                command):
    unknown_shop = cli("privacy", command, "--shop", "999", "grace@example.com")
    assert unknown_shop.exit_code == 2 and "Invalid value for '--shop': there is no shop 999" in unknown_shop.output

    malformed = cli("privacy", command, "--shop", shop_id, "grace")
    assert malformed.exit_code == 2
    assert "Invalid value for 'EMAIL': email must be one email address, such as anna@example.com" in malformed.output

    unknown = cli("privacy", command, "--shop", shop_id, "nobody@example.com", input="y\n")
    assert unknown.exit_code == 3 and "holds no personal data for nobody@example.com" in unknown.output
    assert review_text() == "Broken. Grace Hopper"
    assert AuditEntry.query.filter_by(action="privacy.erased").count() == 0
