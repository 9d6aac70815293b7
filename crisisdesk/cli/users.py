"""`flask users create EMAIL --role owner|agent|viewer [--password-stdin] [--shop ID ...]`."""
import sys

import click

from crisisdesk.domain.actor import CLI
from crisisdesk.domain.errors import DomainError
from crisisdesk.domain.roles import ROLE_NAMES
from crisisdesk.extensions import db
from crisisdesk.models import Shop
from crisisdesk.services import users as user_service


@click.group(help="Manage panel accounts.")
def users():
    pass


@users.command("create", help="Create a panel account. Owners see every shop; agents and viewers see the shops "
                              "given with --shop (all current shops when none is given).")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
@click.option("--name", default="", help="The person's name, shown in the panel.")
@click.option("--shop", "shop_ids", multiple=True, type=int, help="A shop id this user may work on (repeatable).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of a prompt.")
def create(email, role, name, shop_ids, password_stdin):
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if not shop_ids and role != "owner":
        shop_ids = [row[0] for row in db.session.query(Shop.id).order_by(Shop.id).all()]
    try:
        user = user_service.create_user(email, role, password, CLI, shop_ids=shop_ids, name=name)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    scope = "every shop" if role == "owner" else (
        "shops " + ", ".join(str(s.id) for s in user.shops) if user.shops else "no shops yet")
    click.echo(f"User {user.email} created with the {role} role ({scope}).")
