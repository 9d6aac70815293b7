"""`flask --app wsgi shops backfill SHOP_ID [--restart]` against the WooCommerce stand-in (real HTTP).

Click's runner is not a terminal, so there the command prints a line per page; one test runs the real
command in a pseudo-terminal to see the progress bar itself.
"""
import os
import pty
import re
import select
import subprocess
import sys
import time

import pytest

from crisisdesk import ROOT
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, Order, Shop
from tests.conftest import PG_SCHEMA, PG_URL
from tests.wc_history import add_history, connect
from tests.wc_standin.fixtures import woo  # noqa: F401  (the WooCommerce stand-in fixture)

CRITICAL = {"code": "internal_server_error", "message": "There has been a critical error on this website."}


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args):
        result = runner.invoke(args=list(args))
        db.session.remove()  # the next query sees what the command committed, as a new process would
        return result

    return invoke


@pytest.fixture
def connected_id(app, shop_a, owner, woo):  # noqa: F811
    """Shop A's id, the shop connected to the stand-in with some history. (An id, not the row: a command's
    commits expire the row, and `cli` then ends the session, as a new process would.)"""
    connect(shop_a, owner, woo)
    add_history(woo)
    return shop_a.id


def test_it_backfills_a_shop_and_reports_progress_page_by_page(cli, connected_id):
    result = cli("shops", "backfill", str(connected_id))

    assert result.exit_code == 0, result.output
    assert "imported 0 of 11 orders and reviews (0%)" in result.output
    assert "imported 6 of 11 orders and reviews (55%)" in result.output  # the page of orders
    assert "imported 11 of 11 orders and reviews (100%)" in result.output
    assert f"Shop {connected_id} backfilled: 6 orders, 5 reviews, 2 new cases." in result.output
    assert (Order.query.count(), Case.query.count()) == (6, 2)
    assert AuditEntry.query.filter_by(action="shop.backfill_done").one().actor_label == "cli"


def test_it_can_be_run_again_safely(cli, connected_id):
    assert cli("shops", "backfill", str(connected_id)).exit_code == 0
    again = cli("shops", "backfill", str(connected_id))

    assert again.exit_code == 0, again.output
    assert "6 orders, 5 reviews, 0 new cases." in again.output
    assert Case.query.count() == 2


def test_it_exits_non_zero_for_an_unknown_shop(cli):
    result = cli("shops", "backfill", "999999")

    assert result.exit_code == 1
    assert "Error: there is no shop 999999" in result.output


def test_it_exits_non_zero_for_a_shop_without_api_keys(cli, shop_a):
    result = cli("shops", "backfill", str(shop_a.id))

    assert result.exit_code == 1
    assert "Error: add the shop's WooCommerce API keys in its settings first" in result.output
    assert db.session.get(Shop, shop_a.id).backfill_state == "never"


def test_it_shows_woocommerces_code_and_message_and_resumes_on_the_next_run(cli, connected_id, woo):  # noqa: F811
    woo.fail_next(500, times=4, method="GET", path="/products/reviews", retry_after=0, **CRITICAL)

    failed = cli("shops", "backfill", str(connected_id))

    assert failed.exit_code == 1
    assert ("stopped at orders page 1, reviews page 1: WooCommerce answered internal_server_error (HTTP 500): "
            "There has been a critical error on this website. Progress is kept; run the command again to resume."
            ) in failed.output
    shop = db.session.get(Shop, connected_id)
    assert shop.backfill_state == "failed" and "internal_server_error" in shop.backfill_error

    again = cli("shops", "backfill", str(connected_id))

    assert again.exit_code == 0, again.output
    assert "2 new cases" in again.output
    assert db.session.get(Shop, connected_id).backfill_state == "done"


def test_it_says_when_the_keys_are_refused(cli, app, shop_a, owner, woo):  # noqa: F811
    connect(shop_a, owner, woo, consumer_key="ck_" + "0" * 40, consumer_secret="cs_" + "0" * 40)

    result = cli("shops", "backfill", str(shop_a.id))

    assert result.exit_code == 1
    assert "woocommerce_rest_authentication_error (HTTP 401): Consumer key is invalid." in result.output
    assert "check the shop's API keys and their permissions" in result.output


def test_it_restarts_from_the_first_page_when_asked(cli, connected_id, woo):  # noqa: F811
    # An earlier run failed after the first page of orders (per_page 50: there is no second page).
    shop = db.session.get(Shop, connected_id)
    shop.backfill_state, shop.backfill_orders_page = "failed", 2
    db.session.commit()

    result = cli("shops", "backfill", str(connected_id), "--restart")

    assert result.exit_code == 0, result.output
    assert "6 orders, 5 reviews, 2 new cases." in result.output
    assert [r.params.get("page") for r in woo.requests
            if r.path.endswith("/orders") and r.params.get("per_page") == "50"] == ["1"]


def test_it_draws_a_progress_bar_on_a_terminal(app, backend, connected_id, redis_url, tmp_path):
    db.session.remove()  # nothing held open while the other process writes
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "CRISISDESK_"))}
    database_url = (app.config["SQLALCHEMY_DATABASE_URI"] if backend == "sqlite"
                    else f"{PG_URL}?options=-csearch_path%3D{PG_SCHEMA}")
    env.update({"DATABASE_URL": database_url, "REDIS_URL": redis_url, "SECRET_KEY": app.config["SECRET_KEY"],
                "CRISISDESK_INSTANCE_PATH": str(tmp_path / "instance"), "COLUMNS": "100", "SMTP_URL": "",
                "PANEL_URL": ""})

    output, code = run_in_terminal([sys.executable, "-m", "flask", "--app", "wsgi", "shops", "backfill",
                                    str(connected_id)], env)

    assert code == 0, output
    assert re.search(r"Shop \d+: orders and reviews\s+\[#+\]\s+11/11", output), output
    assert "backfilled: 6 orders, 5 reviews, 2 new cases." in output
    assert Case.query.count() == 2


def run_in_terminal(command, env, timeout=60):
    """Run `command` with a pseudo-terminal as its stdout and stderr; returns (output, exit code)."""
    main, child = pty.openpty()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=child, stderr=child)
    os.close(child)
    chunks, deadline = [], time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.5)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            try:
                data = os.read(main, 65536)
            except OSError:  # EIO: the child side is closed, everything has been read
                break
            if not data:
                break
            chunks.append(data)
        code = process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(main)
    return b"".join(chunks).decode("utf-8", "replace"), code
