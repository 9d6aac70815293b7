"""The command line as an operator uses it: `flask --app wsgi shops|users|demo ...` through Click's runner."""
import base64
import json

import pytest

from crisisdesk.demo import seed as demo_seed
from crisisdesk.extensions import db
from crisisdesk.models import AuditEntry, Case, CrisisAlert, Shop, User
from crisisdesk.services import incidents
from tests import factories

STRONG = "a long and personal passphrase"


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def invoke(*args, input=None):
        result = runner.invoke(args=list(args), input=input)
        db.session.remove()  # the next query sees what the command committed, as a new process would
        return result

    return invoke


def created_shop(cli, name="Sklep Testowy", url="https://sklep.example"):
    result = cli("shops", "create", name, "--url", url, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- shops create -----------------------------------------------------------------------------------------

def test_shops_create_json_prints_the_id_and_a_secret_that_signs_events(app, cli):
    printed = created_shop(cli, url="https://sklep.example/")

    shop = db.session.get(Shop, printed["id"])
    assert shop is not None and shop.name == "Sklep Testowy"
    assert printed["url"] == shop.url == "https://sklep.example"
    secret = printed["secret"]
    assert secret.startswith("whsec_")
    assert len(base64.b64decode(secret[len("whsec_"):], validate=True)) == 32

    api = factories.EventSender(app.test_client())
    body = factories.event_body("review.created", factories.review(rating=1))
    accepted = api.post(None, body, secret=secret, shop_id=printed["id"])
    assert accepted.status_code == 202, accepted.get_data(as_text=True)

    other_secret = created_shop(cli, name="Another")["secret"]
    assert other_secret != secret
    rejected = api.post(None, body, secret=other_secret, shop_id=printed["id"])
    assert rejected.status_code == 401


def test_shops_create_text_output_names_the_shop_and_secret(cli):
    result = cli("shops", "create", "Plain Shop", "--url", "http://plain.example")
    assert result.exit_code == 0, result.output
    shop = Shop.query.filter_by(name="Plain Shop").one()
    assert f"Shop {shop.id} created: Plain Shop (http://plain.example)" in result.output
    assert "whsec_" in result.output
    assert AuditEntry.query.filter_by(action="shop.created").count() == 1


@pytest.mark.parametrize("url", ["shop.example", "ftp://shop.example", "https://"])
def test_shops_create_rejects_a_bad_url_and_creates_nothing(cli, url):
    result = cli("shops", "create", "Broken", "--url", url, "--json")
    assert result.exit_code != 0
    assert "the shop URL must start with http:// or https://" in result.output
    assert Shop.query.count() == 0


def test_shops_create_rejects_an_unknown_language_and_time_zone(cli):
    bad_language = cli("shops", "create", "X", "--url", "https://x.example", "--language", "de")
    assert bad_language.exit_code != 0 and "language must be one of en, pl, lv" in bad_language.output
    bad_zone = cli("shops", "create", "X", "--url", "https://x.example", "--timezone", "Mars/Olympus")
    assert bad_zone.exit_code != 0 and "unknown time zone 'Mars/Olympus'" in bad_zone.output
    assert Shop.query.count() == 0


def test_shops_create_needs_the_url(cli):
    result = cli("shops", "create", "No URL")
    assert result.exit_code == 2
    assert "Missing option '--url'" in result.output


# --- users create -----------------------------------------------------------------------------------------

def test_users_create_reads_the_password_from_stdin(cli):
    result = cli("users", "create", "Ola@Example.PL", "--role", "owner", "--name", "Ola",
                 "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert "User ola@example.pl created with the owner role (every shop)." in result.output
    user = User.query.filter_by(email="ola@example.pl").one()
    assert user.role == "owner" and user.name == "Ola"
    assert user.check_password(STRONG)
    assert not user.check_password(STRONG + "\n")
    assert AuditEntry.query.filter_by(action="user.created").count() == 1


def test_users_create_prompts_for_the_password_twice(cli):
    result = cli("users", "create", "prompted@example.com", "--role", "owner",
                 input=f"{STRONG}\n{STRONG}\n")
    assert result.exit_code == 0, result.output
    assert User.query.filter_by(email="prompted@example.com").one().check_password(STRONG)


@pytest.mark.parametrize("password, message", [
    ("short", "the password must have at least 12 characters"),
    ("aaaaaaaaaaaaaaaa", "the password is too repetitive"),
    ("weak@example.com", "the password must not be the email address"),
])
def test_users_create_refuses_a_weak_password(cli, password, message):
    result = cli("users", "create", "weak@example.com", "--role", "owner", "--password-stdin",
                 input=password + "\n")
    assert result.exit_code != 0
    assert message in result.output
    assert User.query.count() == 0


def test_users_create_refuses_a_duplicate_email(cli):
    first = cli("users", "create", "twice@example.com", "--role", "owner", "--password-stdin", input=STRONG + "\n")
    assert first.exit_code == 0, first.output
    second = cli("users", "create", "TWICE@example.com", "--role", "agent", "--password-stdin",
                 input="another long passphrase\n")
    assert second.exit_code != 0
    assert "a user with the email twice@example.com already exists" in second.output
    assert User.query.count() == 1
    assert User.query.one().role == "owner"


def test_users_create_refuses_an_unknown_role(cli):
    result = cli("users", "create", "boss@example.com", "--role", "admin", "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output
    assert "'admin' is not one of 'viewer', 'agent', 'owner'" in result.output
    assert User.query.count() == 0


def test_users_create_refuses_an_invalid_email(cli):
    result = cli("users", "create", "not-an-email", "--role", "owner", "--password-stdin", input=STRONG + "\n")
    assert result.exit_code != 0
    assert "not a valid email address" in result.output
    assert User.query.count() == 0


def test_an_agent_without_shop_gets_every_current_shop(cli):
    first, second = created_shop(cli, "First"), created_shop(cli, "Second")
    result = cli("users", "create", "agent@example.com", "--role", "agent", "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert f"(shops {first['id']}, {second['id']})" in result.output
    agent = User.query.filter_by(email="agent@example.com").one()
    assert sorted(s.id for s in agent.shops) == [first["id"], second["id"]]


def test_an_agent_with_shop_gets_only_that_shop(cli):
    first, _second = created_shop(cli, "First"), created_shop(cli, "Second")
    result = cli("users", "create", "viewer@example.com", "--role", "viewer", "--shop", str(first["id"]),
                 "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert [s.id for s in User.query.filter_by(email="viewer@example.com").one().shops] == [first["id"]]


def test_an_agent_with_an_unknown_shop_is_refused(cli):
    result = cli("users", "create", "agent@example.com", "--role", "agent", "--shop", "999",
                 "--password-stdin", input=STRONG + "\n")
    assert result.exit_code != 0
    assert "no shop with id 999" in result.output
    assert User.query.count() == 0


def test_an_agent_before_any_shop_exists_has_no_shops_yet(cli):
    result = cli("users", "create", "early@example.com", "--role", "agent", "--password-stdin", input=STRONG + "\n")
    assert result.exit_code == 0, result.output
    assert "(no shops yet)" in result.output


# --- demo -------------------------------------------------------------------------------------------------

def test_demo_seeds_a_shop_with_cases_and_refuses_a_second_time(cli):
    result = cli("demo", "--password", "demo-password-123")
    assert result.exit_code == 0, result.output
    assert "owner@demo.example" in result.output and "agent@demo.example" in result.output
    assert "with the password: demo-password-123" in result.output

    shop = Shop.query.filter_by(name=demo_seed.DEMO_SHOP_NAME).one()
    cases = Case.query.filter_by(shop_id=shop.id).all()
    # Seven demo reviews have 1-2 stars; each opens a case (more may open for negative 3-star text).
    assert len(cases) >= 7
    assert any(case.order_id is not None for case in cases)
    agent = User.query.filter_by(email="agent@demo.example").one()
    assert agent.role == "agent" and [s.id for s in agent.shops] == [shop.id]
    assert agent.check_password("demo-password-123")
    assert User.query.filter_by(email="owner@demo.example").one().role == "owner"
    # This week's courier failure: the crisis alert job raised the mug's spike, its 30 cases ready for an incident.
    alert = CrisisAlert.query.filter_by(shop_id=shop.id, scope="product", status="open").one()
    assert (alert.product.name, alert.cause_counts) == ("Kubek ceramiczny Zielony", {"late_delivery": 30})
    assert len(incidents.alert_cases(alert)) == 30

    again = cli("demo", "--password", "demo-password-123")
    assert again.exit_code != 0
    assert "the demo shop already exists" in again.output
    assert Shop.query.count() == 1

    quiet = cli("demo", "--if-empty", "--password", "demo-password-123")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.output.strip() == "Demo data is already there."
    assert Shop.query.count() == 1
    assert Case.query.count() == len(cases)


def test_demo_without_password_prints_the_random_one_it_chose(cli):
    result = cli("demo", "--if-empty")
    assert result.exit_code == 0, result.output
    password = result.output.rsplit("with the password: ", 1)[1].strip()
    assert len(password) >= 12
    assert User.query.filter_by(email="owner@demo.example").one().check_password(password)
