"""`flask demo`: a realistic demo shop so the panel is not empty on first sight."""
import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from crisisdesk.demo import seed as demo_seed
from crisisdesk.domain.errors import DomainError


@click.command(help="Seed a demo shop with orders, Polish and English reviews, and the cases they open.")
@click.option("--password", default=None, help="Password for the demo users (default: a random one, printed).")
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the demo shop already exists.")
@with_appcontext
def demo(password, if_empty):
    if demo_seed.already_seeded():
        if if_empty:
            click.echo("Demo data is already there.")
            return
        raise click.ClickException("the demo shop already exists; use a fresh database to seed it again")
    password = password or secrets.token_urlsafe(12)
    try:
        result = demo_seed.seed(password)
    except DomainError as error:
        raise click.ClickException(error.message) from None
    click.echo(f"Demo shop {result.shop.id} ({result.shop.name}) seeded through {result.events} signed events.")
    panel = current_app.config["PANEL_URL"]
    click.echo(f"Log in at {panel} as {result.owner_email} (owner) or {result.agent_email} (agent)")
    click.echo(f"with the password: {result.password}")
