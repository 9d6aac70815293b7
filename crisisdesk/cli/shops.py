"""`flask shops create NAME --url URL [--json]`."""
import json

import click

from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import DomainError
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
