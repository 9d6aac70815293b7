"""`flask privacy export --shop ID EMAIL [--output FILE]` and `flask privacy erase --shop ID EMAIL [--yes]`.

A customer's data request handled from the command line with the same services as the bridge and the panel
(services/privacy.py), audited as the CLI. Exit codes: 0 done; 1 stopped at the confirmation; 2 bad input (no
such shop, or not one email address); 3 the shop holds no personal data for that address (never known to it,
or already erased).
"""
import json
import os

import click

from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import Invalid, NotFound
from crisisdesk.domain.privacy_texts import CHANGED_KINDS, HELD_KINDS, RETAINED_WHY
from crisisdesk.services import privacy
from crisisdesk.services.shops import find_shop

NOTHING_HELD = 3


class NothingHeld(click.ClickException):
    exit_code = NOTHING_HELD


@click.group("privacy", help="A customer's data requests: export or erase one customer's personal data in a shop.",
             epilog="Exit codes: 0 done, 1 stopped at the question, 2 no such shop or not one email address, "
                    f"{NOTHING_HELD} the shop holds nothing for that address (never known, or already erased).")
def privacy_requests():
    pass


@privacy_requests.command("export", help="Print everything the shop holds about the customer with EMAIL, as JSON "
                                         "(WordPress's personal data export items).")
@click.option("--shop", "shop_id", type=int, required=True, help="The shop's id.")
@click.argument("email")
@click.option("--output", type=click.Path(dir_okay=False), help="Write the JSON to this file (readable by you "
                                                                "alone) instead of standard output.")
def export(shop_id, email, output):
    shop = _shop(shop_id)
    result = _checked(privacy.export, shop, email)
    if not result["items"]:
        raise _nothing_held(shop, email)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if not output:
        click.echo(text)
        return
    # Personal data: the file is created for its owner only, whatever the umask.
    with os.fdopen(os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as file:
        file.write(text + "\n")
    click.echo(f"Wrote {len(result['items'])} items about {email} in shop {shop.id} to {output}.", err=True)


@privacy_requests.command("erase", help="Anonymise the customer with EMAIL in the shop: personal data is removed, "
                                        "anonymised rows stay for the statistics. Asks first unless --yes.")
@click.option("--shop", "shop_id", type=int, required=True, help="The shop's id.")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Erase without asking for confirmation.")
def erase(shop_id, email, yes):
    shop = _shop(shop_id)
    if not yes:
        held = _checked(privacy.look_up, shop, email)
        if not any(held.values()):
            raise _nothing_held(shop, email)
        click.echo(f"Shop {shop.id} ({shop.name}) holds about {email}:")
        for kind, count in held.items():
            if count:
                click.echo(f"  {HELD_KINDS[kind]}: {count}")
        click.confirm("Erase this customer's personal data? It cannot be undone", abort=True)
    erasure = _checked(privacy.erase_customer, shop, email)
    if not erasure.found:
        raise _nothing_held(shop, email)
    click.echo(f"Erased {email} in shop {shop.id} ({shop.name}). Personal data removed from:")
    for kind, count in erasure.changed.items():
        click.echo(f"  {CHANGED_KINDS.get(kind, kind)}: {count}")
    click.echo("Kept, anonymised:")
    for kind, count in erasure.retained.items():
        if count:
            click.echo(f"  {HELD_KINDS[kind]}: {count} ({RETAINED_WHY[kind]})")


def _shop(shop_id):
    try:
        return find_shop(shop_id)
    except NotFound:
        raise click.BadParameter(f"there is no shop {shop_id} (the panel's Shops page lists them)",
                                 param_hint="'--shop'") from None


def _checked(use_case, shop, email):
    try:
        return use_case(shop, email, CLI)
    except Invalid as error:
        raise click.BadParameter(error.message, param_hint="'EMAIL'") from None


def _nothing_held(shop, email):
    return NothingHeld(f"shop {shop.id} ({shop.name}) holds no personal data for {email} "
                       "(never known to it, or already erased)")
