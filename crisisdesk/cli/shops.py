"""`flask shops create NAME --url URL [--json]` and `flask shops backfill SHOP_ID [--restart]`."""
import json
import sys
from contextlib import ExitStack

import click

from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import DomainError
from crisisdesk.services import backfill as backfill_service
from crisisdesk.services import shops as shop_service


@click.group(help="Connect and manage shops.")
def shops():
    pass


@shops.command("create", help="Connect a shop; prints its id and shared secret (shown only now).")
@click.argument("name")
@click.option("--url", required=True, help="The shop's address, e.g. https://shop.example")
@click.option("--language", default="en", show_default=True, help="The shop's language: en, pl or lv.")
@click.option("--timezone", default="UTC", show_default=True, help="The shop's time zone, e.g. Europe/Warsaw.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def create(name, url, language, timezone, as_json):
    try:
        shop, secret = shop_service.create_shop(name, url, CLI, language=language, timezone=timezone)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    if as_json:
        click.echo(json.dumps({"id": shop.id, "name": shop.name, "url": shop.url, "secret": secret}))
        return
    click.echo(f"Shop {shop.id} created: {shop.name} ({shop.url})")
    click.echo(f"Shared secret (shown only now; paste it into the bridge's settings): {secret}")


@shops.command("backfill", help="Import the shop's orders and reviews from WooCommerce; negative reviews "
                                "become cases. Safe to re-run; an interrupted run resumes where it stopped.")
@click.argument("shop_id", type=int)
@click.option("--restart", is_flag=True, help="Start again from the first page instead of resuming.")
def backfill(shop_id, restart):
    interactive = sys.stdout.isatty()
    shown = {"done": 0, "bar": None, "finished": False}

    def progress(done, total):
        # On a terminal, a progress bar (made once the totals are known); in a log (cron, CI, a pipe),
        # one line per page instead.
        if not interactive:
            click.echo(f"imported {done} of {total} orders and reviews ({_percent(done, total)}%)")
            return
        if shown["finished"]:
            return  # the shop grew during the run; the summary below has the real numbers
        if shown["bar"] is None:
            shown["bar"] = bars.enter_context(click.progressbar(length=max(total, 1), show_pos=True,
                                                                label=f"Shop {shop_id}: orders and reviews"))
        bar = shown["bar"]
        bar.length = max(total, 1)
        bar.update(done - shown["done"])
        shown["done"] = done
        if done >= total:
            shown["finished"] = True
            bars.close()  # end the bar's line before anything else is printed

    with ExitStack() as bars:
        try:
            result = backfill_service.backfill(shop_id, progress=progress, restart=restart, actor=CLI)
        except backfill_service.BackfillError as error:
            hint = ("check the shop's API keys and their permissions" if error.permanent
                    else "run the command again to resume")
            where = (f" at orders page {error.orders_page}, reviews page {error.reviews_page}"
                     if error.orders_page else "")
            raise click.ClickException(f"the backfill of shop {shop_id} stopped{where}: "
                                       f"{error.message.rstrip('.')}. Progress is kept; {hint}.") from None
        except DomainError as error:
            raise click.ClickException(error.message) from None
    resumed = " (resumed)" if result.resumed else ""
    click.echo(f"Shop {shop_id} backfilled{resumed}: {result.orders} orders, {result.reviews} reviews, "
               f"{result.cases_opened} new cases.")
    if result.skipped:
        click.echo(f"{result.skipped} resources could not be read and were skipped (see the log).")


def _percent(done, total):
    return 100 if not total else min(100, round(100 * done / total))
