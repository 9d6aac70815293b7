"""Shop isolation: a user of shop B never reads nor changes shop A's data, whatever URL, id or form they send.

Both shops have one of everything (tests/web/panel/shop_world.py). Every string shop A's customers, products and
staff wrote carries "Qalfa" (or "qalfa" in addresses), shop B's "Qbeta", so a leak is found by looking for one word
in every answer, list pages and CSV included. Every panel URL of the app's URL map is walked, as
tests/web/panel/test_access.py does for roles.
"""
import pytest
from sqlalchemy import and_, or_, select

from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, Incident
from crisisdesk.services.access import shop_workers
from tests import factories
from tests.conftest import PASSWORD
from tests.web.panel.shop_world import Persona, build_world
from tests.web.panel.test_access import PANEL_URLS, REQUIRED_ROLE, fill, form_for

A = Persona(
    first_name="Zofia", last_name="Qalfa", email="zofia.qalfa@a-shop.example",
    partner_email="pawel.qalfa@a-shop.example", review_text="Qalfa teapot cracked in transit",
    praise_text="Qalfa mugs are lovely", product_name="Qalfa Teapot", other_product_name="Qalfa Mug",
    order_number="QALFA-7731", order_note="Qalfa note: leave it at the gate", address="Qalfa Street 7",
    sku="QALFA-SKU", refund_reason="Qalfa refund: one mug chipped", note_text="Qalfa note: called the customer",
    reply_text="Zofia Qalfa, we are sorry the teapot arrived cracked; we will send a new one today.",
    answer_text="Thank you Zofia Qalfa for the kind words about our mugs.", flag_text="Qalfa flag: insults staff",
    remedy_text="Qalfa sturdier boxes", improvement_title="Qalfa double boxes",
    public_note="Qalfashop teapots now travel in double boxes.", incident_title="Qalfa courier failure",
    incident_statement="Qalfa statement: parcels are late")
B = Persona(**{name: value.replace("Qalfa", "Qbeta").replace("qalfa", "qbeta").replace("QALFA", "QBETA")
               .replace("Zofia", "Bruno").replace("a-shop", "b-shop") for name, value in vars(A).items()})

# A user's own account page: it acts on the user, never on a shop.
OWN_ACCOUNT = {"panel.account"}
# Forms without an id in the URL that name their shop in a field: shop A is not a valid choice for B's users.
SHOP_CHOICE_FORMS = {"panel.case_new", "panel.improvement_new", "panel.incident_new"}
MISSING = 999_999  # an id no row has, as fill() gives
# Query parameters the list pages read, each given shop A's id of that kind.
QUERY_PARAMETERS = {"shop": "shop_id", "product": "product_id", "incident": "incident_id", "alert": "alert_id",
                    "case": "case_id", "cases": "case_id", "review": "review_id"}


def form_of(endpoint, ids, user_id):
    """test_access's valid form, and for the forms it posts empty (previews and checks: they write nothing) one
    that passes the form's own checks, so the answer comes from the look-up of the row."""
    previews = {
        "panel.reply_check": {"text": "We are sorry.", "language": "en"},
        "panel.compensation_new": {"kind": "coupon", "amount": "10", "coupon_type": "percent", "coupon_days": 30},
        "panel.incident_preview": {"number": 1, "text_en": "What happened.", "text_pl": "Co się stało.",
                                   "text_lv": "Kas notika."},
        "panel.compensation_reject": {"note": "Too much."},
        "panel.shop_woo_test": {},
    }
    return form_for(endpoint, ids, user_id) or previews.get(endpoint)


def leaks(text):
    return "Qalfa" in text or "qalfa" in text or "QALFA" in text


@pytest.fixture
def worlds(app, frozen_clock, shop_a, shop_b, agent, outsider):
    """(shop A's ids, shop B's ids); `outsider` is shop B's agent."""
    shop_a.name, shop_b.name = "Qalfa Shop", "Qbeta Shop"
    db.session.commit()
    return build_world(shop_a, agent, A, frozen_clock.now), build_world(shop_b, outsider, B, frozen_clock.now)


@pytest.fixture
def b_viewer(app, shop_b):
    return factories.make_user("viewer.b@crisisdesk.example", "viewer", shops=[shop_b], password=PASSWORD)


def user_of_b(request, role):
    return request.getfixturevalue("outsider" if role == "agent" else "b_viewer")


class Session:
    """A logged-in client posting forms with its session's CSRF token, as the browser would."""

    def __init__(self, client, user):
        client.login(user)
        self.client, self.user = client, user
        self.token = client.csrf_token("/account")

    def get(self, url):
        return self.client.get(url)

    def post(self, url, data):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})})


def body(response):
    return response.get_data(as_text=True) + response.headers.get("Location", "") + \
        response.headers.get("Content-Disposition", "")


# --- what the database holds ------------------------------------------------------------------------------

def _scoped_tables():
    return {t.name for t in db.metadata.sorted_tables if "shop_id" in t.c}


def shop_rows(shop_id):
    """Every row that belongs to the shop: its own row, the rows with its shop_id, and the link rows (no shop_id)
    that point at one of those. Sorted, so two snapshots compare equal when nothing changed."""
    scoped, found = _scoped_tables(), {}
    shops = db.metadata.tables["shops"]
    found["shops"] = db.session.execute(select(shops).where(shops.c.id == shop_id)).all()
    for table in db.metadata.sorted_tables:
        if "shop_id" in table.c:
            condition = table.c.shop_id == shop_id
        else:
            links = [(column, next(iter(column.foreign_keys)).column.table) for column in table.c
                     if column.foreign_keys and next(iter(column.foreign_keys)).column.table.name in scoped]
            if not links:
                continue
            condition = or_(*[column.in_(select(target.c.id).where(target.c.shop_id == shop_id))
                              for column, target in links])
        found[table.name] = sorted((tuple(map(str, row)) for row in db.session.execute(select(table).where(condition))))
    db.session.rollback()  # end the read, so the next request sees fresh data
    return found


def cross_shop_references():
    """Rows that point at a row of another shop: a case of B linked to A's order, A's case in B's incident."""
    scoped, wrong = _scoped_tables(), []
    for table in db.metadata.sorted_tables:
        links = [(column, next(iter(column.foreign_keys)).column.table) for column in table.c
                 if column.name != "shop_id" and column.foreign_keys
                 and next(iter(column.foreign_keys)).column.table.name in scoped]
        owners = ([table.c.shop_id] if "shop_id" in table.c else []) + [
            select(target.c.shop_id).where(target.c.id == column).scalar_subquery() for column, target in links]
        for first, second in zip(owners, owners[1:]):
            rows = db.session.execute(select(table).where(and_(first.is_not(None), second.is_not(None),
                                                               first != second))).all()
            wrong += [(table.name, row) for row in rows]
    db.session.rollback()
    return wrong


# --- walking the URLs ------------------------------------------------------------------------------------

def expected_statuses(role, method, endpoint, rule):
    if not Role(role).includes(REQUIRED_ROLE[(method, endpoint)]):
        return {403}  # the role check answers first: it says nothing about shop A
    if "<" in rule:
        return {404}  # the same answer as for an id that does not exist
    if method == "POST":
        assert endpoint in SHOP_CHOICE_FORMS, endpoint
        return {400, 404}  # shop A is not among the form's choices, or not found
    return {302} if endpoint == "panel.home" else {200}


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_a_user_of_shop_b_gets_nothing_from_any_url_filled_with_shop_a_ids(client, request, worlds, role):
    a_ids, _ = worlds
    user = user_of_b(request, role)
    session = Session(client, user)
    before = shop_rows(a_ids["shop_id"])
    walked = 0
    for method, endpoint, rule in PANEL_URLS:
        if endpoint in OWN_ACCOUNT:
            continue
        url = fill(rule, a_ids)
        if method == "GET":
            response = session.get(url)
        else:
            response = session.post(url, form_of(endpoint, a_ids, user.id))
        assert response.status_code in expected_statuses(role, method, endpoint, rule), (method, url,
                                                                                         response.status_code)
        if response.status_code == 400:
            assert "Not a valid choice" in body(response), endpoint
        assert not leaks(body(response)), (method, url)
        walked += 1
    assert walked == len(PANEL_URLS) - 2  # every URL but the account page (GET and POST)
    assert shop_rows(a_ids["shop_id"]) == before


LIST_PAGES = sorted({(endpoint, rule) for method, endpoint, rule in PANEL_URLS
                     if method == "GET" and "<" not in rule and endpoint not in OWN_ACCOUNT})


@pytest.mark.parametrize("role", ["agent", "viewer"])
def test_no_list_page_export_or_search_shows_shop_a_to_a_user_of_shop_b(client, request, worlds, role):
    a_ids, b_ids = worlds
    session = Session(client, user_of_b(request, role))
    pages = [(endpoint, rule) for endpoint, rule in LIST_PAGES if Role(role).includes(REQUIRED_ROLE[("GET", endpoint)])]
    shows_b = set()
    for endpoint, rule in pages:
        plain = session.get(rule)
        assert plain.status_code in (200, 302), rule
        assert not leaks(body(plain)), rule
        if "Qbeta" in body(plain) or "qbeta" in body(plain):
            shows_b.add(endpoint)
        for name, key in QUERY_PARAMETERS.items():
            url = f"{rule}?{name}={a_ids[key]}&status=all"
            response = session.get(url)
            assert not leaks(body(response)), url
            # Not even the status tells an id of shop A from one that does not exist.
            assert response.status_code == session.get(f"{rule}?{name}={MISSING}&status=all").status_code, url
        searched = body(session.get(f"{rule}?q={A.email}&status=all"))
        assert not leaks(searched.replace(A.email, "")), rule  # the page may repeat the query itself
    # The pages list B's own rows, so the look for A's words above is a look at full pages.
    listing = {"panel.inbox", "panel.review_queue", "panel.alert_list", "panel.incident_list", "panel.improvement_list",
               "panel.at_risk_list", "panel.dashboard", "panel.dashboard_csv", "panel.ratings"}
    assert listing & {endpoint for endpoint, _ in pages} <= shows_b
    # B's own case page, searching orders with A's customer's email and order number.
    for query in (A.email, A.order_number, A.last_name):
        response = session.get(f"/cases/{b_ids['case_id']}?q={query}")
        assert response.status_code == 200 and not leaks(body(response).replace(query, "")), query


def test_forms_of_shop_b_that_name_shop_a_rows_change_nothing_of_shop_a(client, request, worlds):
    """B's agent posts every form to B's own rows, with A's ids inside the form (A's order to link, A's case to add
    to an incident, A's review, A's shop): no row of one shop ends up pointing at a row of the other, A's rows stay
    as they were, and no page of B shows A's words afterwards."""
    a_ids, b_ids = worlds
    user = user_of_b(request, "agent")
    session = Session(client, user)
    before = shop_rows(a_ids["shop_id"])
    for method, endpoint, rule in PANEL_URLS:
        if method != "POST" or endpoint in OWN_ACCOUNT or not Role.AGENT.includes(REQUIRED_ROLE[(method, endpoint)]):
            continue
        data = form_of(endpoint, a_ids, a_ids["user_id"])  # people too: A's agent as assignee, incident owner
        if data is not None:
            data = {key.replace(f"review-{a_ids['review_id']}-", f"review-{b_ids['review_id']}-"): value
                    for key, value in data.items()}
        response = session.post(fill(rule, b_ids), data)
        assert response.status_code < 500, endpoint
        assert not leaks(body(response)), endpoint
    assert cross_shop_references() == []
    assert shop_rows(a_ids["shop_id"]) == before
    workers = {u.id for u in shop_workers(b_ids["shop_id"])}
    assert {c.assignee_id for c in Case.query.filter_by(shop_id=b_ids["shop_id"])} <= workers | {None}
    assert {i.owner_id for i in Incident.query.filter_by(shop_id=b_ids["shop_id"])} <= workers | {None}
    for method, endpoint, rule in PANEL_URLS:
        if method == "GET" and Role.AGENT.includes(REQUIRED_ROLE[(method, endpoint)]):
            response = session.get(fill(rule, b_ids))
            assert not leaks(body(response)), rule


def test_the_cross_shop_check_finds_a_case_linked_to_another_shops_order(worlds):
    # The check above must be able to fail: link B's case to A's order behind the services' back.
    a_ids, b_ids = worlds
    assert cross_shop_references() == []
    db.session.get(Case, b_ids["case_id"]).order_id = a_ids["order_id"]
    db.session.commit()
    assert [table for table, _ in cross_shop_references()] == ["cases"]


def test_the_leak_check_sees_shop_a_on_shop_a_pages(client, worlds, agent):
    # ... and so must the look for A's words: A's own agent sees them where B's users do not.
    a_ids, _ = worlds
    session = Session(client, agent)
    for url in ("/cases", f"/cases/{a_ids['case_id']}", "/reviews", "/alerts", "/incidents", "/improvements",
                "/at-risk", "/dashboard.csv"):
        assert leaks(body(session.get(url))), url

