"""Who may open which panel URL. Every panel URL is listed from the app's own URL map, so a new page
that is not in REQUIRED_ROLE fails here until someone decides who may use it."""
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest

from crisisdesk import create_app
from crisisdesk.domain.roles import Role
from crisisdesk.models import (AuditEntry, Case, CaseEvent, Compensation, Improvement, Incident, IncidentCase,
                               IncidentChecklistTick, IncidentUpdate, Order, PolicyRule, Review, ReviewAnswer, Shop,
                               User)
from tests import factories
from tests.conftest import PASSWORD

NOT_PANEL = {"static", "auth.login", "auth.logout"}
# For load balancers, process managers and Prometheus (tests/web/ops): no login, no personal data.
OPERATIONS = {"ops.healthz", "ops.readyz", "ops.metrics"}
# Customers open these from emails without an account: a signed token in the URL is the authorisation
# (tests/web/public). They must never send anyone to the login page.
PUBLIC = {"public.rate", "public.unsubscribe_page", "public.unsubscribe"}
# A shop's published "You said, we did" notes: public by intent, for the shop's own site (tests/web/public).
PUBLISHED = {"public.you_said_we_did"}

# The least role each panel URL needs (owner ⊃ agent ⊃ viewer).
REQUIRED_ROLE = {
    ("GET", "panel.home"): "viewer",
    ("GET", "panel.inbox"): "viewer",
    ("GET", "panel.case_detail"): "viewer",
    ("POST", "panel.case_status"): "agent",
    ("POST", "panel.case_assign"): "agent",
    ("POST", "panel.case_note"): "agent",
    ("POST", "panel.case_link_order"): "agent",
    ("POST", "panel.case_unlink_order"): "agent",
    ("GET", "panel.case_new"): "agent",
    ("POST", "panel.case_new"): "agent",
    ("GET", "panel.shop_list"): "viewer",
    ("GET", "panel.shop_new"): "owner",
    ("POST", "panel.shop_new"): "owner",
    ("GET", "panel.shop_settings"): "owner",
    ("POST", "panel.shop_settings"): "owner",
    ("POST", "panel.shop_rotate_secret"): "owner",
    ("GET", "panel.shop_events"): "owner",
    ("GET", "panel.user_list"): "owner",
    ("POST", "panel.user_list"): "owner",
    ("POST", "panel.user_access"): "owner",
    ("GET", "panel.audit_log"): "owner",
    ("POST", "panel.case_cause"): "agent",
    ("POST", "panel.case_formal_complaint"): "agent",
    ("POST", "panel.reply_post"): "agent",
    ("POST", "panel.reply_check"): "agent",
    ("GET", "panel.shop_cause_accuracy"): "agent",
    ("GET", "panel.compensation_new"): "agent",
    ("POST", "panel.compensation_new"): "agent",
    ("POST", "panel.compensation_confirm"): "agent",
    ("POST", "panel.compensation_approve"): "owner",
    ("POST", "panel.compensation_reject"): "owner",
    ("POST", "panel.shop_woo_keys"): "owner",
    ("POST", "panel.shop_woo_test"): "owner",
    ("POST", "panel.shop_compensation_settings"): "owner",
    ("GET", "panel.shop_policy"): "owner",
    ("POST", "panel.shop_policy"): "owner",
    ("POST", "panel.shop_backfill"): "owner",
    ("POST", "panel.shop_follow_up_settings"): "owner",
    ("POST", "panel.shop_review_request_settings"): "owner",
    ("GET", "panel.ratings"): "viewer",
    ("GET", "panel.resolved_customers"): "viewer",
    ("GET", "panel.account"): "viewer",
    ("POST", "panel.account"): "viewer",
    ("GET", "panel.alert_list"): "viewer",
    ("POST", "panel.alert_acknowledge"): "agent",
    ("GET", "panel.dashboard"): "viewer",
    ("GET", "panel.dashboard_csv"): "viewer",
    ("GET", "panel.guide"): "viewer",
    ("GET", "panel.improvement_list"): "viewer",
    ("GET", "panel.improvement_detail"): "viewer",
    ("GET", "panel.improvement_new"): "agent",
    ("POST", "panel.improvement_new"): "agent",
    ("GET", "panel.improvement_edit"): "agent",
    ("POST", "panel.improvement_edit"): "agent",
    ("POST", "panel.improvement_publish"): "agent",
    ("POST", "panel.improvement_withdraw"): "agent",
    ("POST", "panel.case_resolution_note"): "agent",
    ("POST", "panel.case_flag_review"): "agent",
    ("POST", "panel.case_flag_removal_request"): "agent",
    ("POST", "panel.case_flag_outcome"): "agent",
    ("GET", "panel.at_risk_list"): "viewer",
    ("GET", "panel.at_risk_notice"): "agent",
    ("POST", "panel.at_risk_notice"): "agent",
    ("POST", "panel.at_risk_dismiss"): "agent",
    ("POST", "panel.shop_at_risk_settings"): "owner",
    ("GET", "panel.review_queue"): "viewer",
    ("POST", "panel.review_answer"): "agent",
    ("POST", "panel.shop_moderation_settings"): "owner",
    ("POST", "panel.shop_retention_settings"): "owner",
    ("GET", "panel.shop_privacy"): "owner",
    ("POST", "panel.shop_privacy"): "owner",
    ("POST", "panel.shop_privacy_export"): "owner",
    ("POST", "panel.shop_privacy_erase"): "owner",
    ("POST", "panel.case_remedy_record"): "agent",
    ("POST", "panel.case_remedy_done"): "agent",
    ("GET", "panel.incident_list"): "viewer",
    ("GET", "panel.incident_detail"): "viewer",
    ("GET", "panel.incident_new"): "agent",
    ("POST", "panel.incident_new"): "agent",
    ("POST", "panel.incident_add_cases"): "agent",
    ("POST", "panel.incident_remove_case"): "agent",
    ("POST", "panel.incident_phase"): "agent",
    ("POST", "panel.incident_edit"): "agent",
    ("POST", "panel.incident_checklist"): "agent",
    ("POST", "panel.incident_close"): "agent",
    ("GET", "panel.incident_compose"): "agent",
    ("POST", "panel.incident_preview"): "agent",
    ("POST", "panel.incident_broadcast"): "agent",
}


def _panel_urls():
    """(method, endpoint, rule) for every panel URL of the real app, without the API and static files."""
    app = create_app({"TESTING": True, "SECRET_KEY": "url-map-only", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in NOT_PANEL | OPERATIONS | PUBLIC | PUBLISHED or rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, rule.endpoint, rule.rule))
    return sorted(found)


PANEL_URLS = _panel_urls()
POSTS = [(endpoint, rule) for method, endpoint, rule in PANEL_URLS if method == "POST"]
DENIED = [(role, method, endpoint, rule) for method, endpoint, rule in PANEL_URLS for role in ("viewer", "agent")
          if (method, endpoint) in REQUIRED_ROLE and not Role(role).includes(REQUIRED_ROLE[(method, endpoint)])]


@pytest.fixture
def targets(shop_a, agent):
    """Real rows for the URL parameters: a case of shop A linked to its order, another order of shop A
    it is not linked to, a compensation waiting for an owner's approval, and a flag on the case's review with
    a removal request waiting for its outcome, and a planned remedy that can be marked done, and an improvement
    prompted by the case, with a public note not yet published, and an open security incident.
    `user_id` (the account whose access is posted) is filled in by each test."""
    from crisisdesk.domain.actor import Actor
    from crisisdesk.domain.compensation_request import CompensationRequest
    from crisisdesk.services import (case_remedies, compensation, improvements, incidents, review_flags,
                                     woo as woo_service)

    factories.deliver(shop_a, "order.created", factories.order(email="grace@example.com"))
    review = factories.review(rating=1, text="Arrived broken.", email="grace@example.com")
    factories.deliver(shop_a, "review.created", review)
    order = factories.order(email="partner@example.com")
    factories.deliver(shop_a, "order.created", order)
    case = Case.query.join(Case.review).filter(Review.remote_id == review["id"]).one()
    praise = factories.review(rating=5, text="Lovely kettle.", email="grace@example.com")  # no case: answered here
    factories.deliver(shop_a, "review.created", praise)
    shop_a.approval_threshold = 0  # everything waits for a second person
    box = woo_service.secret_box()  # API keys (never called here), so the backfill button can queue its job
    shop_a.woo_key_encrypted, shop_a.woo_secret_encrypted = box.encrypt("ck_" + "k" * 40), box.encrypt("cs_" + "s" * 40)
    waiting = compensation.request_compensation(
        agent, case.id, CompensationRequest(kind="coupon", amount=Decimal("10"), coupon_type="percent"),
        "targets-waiting", Actor(label=agent.email, user_id=agent.id))
    flag = review_flags.flag_review(agent, case.id, Actor(label=agent.email, user_id=agent.id), "abusive", "Insults.")
    review_flags.request_removal(agent, case.id, flag.id, Actor(label=agent.email, user_id=agent.id), "wordpress",
                                 "Please remove: insults.")  # pending, so an outcome can be recorded
    planned, _ = case_remedies.record(agent, case.id, Actor(label=agent.email, user_id=agent.id), "process_changed",
                                      "Sturdier boxes.", "targets-remedy", "planned")  # planned: it can be marked done
    improvement = improvements.create_improvement(agent, shop_a.id, Actor(label=agent.email, user_id=agent.id),
                                                  improvement_input(case.id))
    incident, _ = incidents.open_incident(agent, shop_a.id, Actor(label=agent.email, user_id=agent.id),
                                          "Card data leak", "security_or_fraud")  # no case yet: one is added
    return {"case_id": case.id, "incident_id": incident.id, "shop_id": shop_a.id, "improvement_id": improvement.id, "user_id": 1, "compensation_id": waiting.id, "flag_id": flag.id,
            "remedy_id": planned.id, "review_id": Review.query.filter_by(remote_id=praise["id"]).one().id,
            "order_id": Order.query.filter_by(remote_id=order["id"]).one().id, "at_risk_id": at_risk_flag(shop_a)}


def at_risk_flag(shop):
    """The partner's order, still processing weeks after it was placed, flagged as at risk (the case's own is not)."""
    from crisisdesk import clock
    from crisisdesk.models import AtRiskOrder
    from crisisdesk.services import at_risk_orders

    at_risk_orders.flag_at_risk_orders(shop, clock.utcnow())
    return AtRiskOrder.query.filter_by(shop_id=shop.id).one().id


def delay_notice_form():
    """A notice an agent could send: it names the new dispatch date, two days from today."""
    from datetime import timedelta

    from crisisdesk import clock
    from crisisdesk.domain.follow_up import format_date

    day = clock.utcnow().date() + timedelta(days=2)
    return {"language": "en", "expected_on": day.isoformat(), "reason": "", "code_type": "percent", "code_amount": "",
            "text": f"Hello, your order is late: it will leave by {format_date(day, 'en')}. We are sorry.",
            "send": "1"}


def improvement_input(case_id):
    from datetime import timedelta

    from crisisdesk import clock
    from crisisdesk.services.improvements import ImprovementInput

    return ImprovementInput(title="Sturdier boxes", area="logistics", description="Double-walled boxes from now on.",
                            made_on=clock.utcnow().date() - timedelta(days=10), causes=["damaged_or_defective"],
                            product_ids=[], case_numbers=str(case_id), public_note="Kettles now travel in sturdier boxes.")


def fill(rule, targets):
    # A parameter without a target row (a page added since) gets an id that does not exist.
    return re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(targets.get(m.group(1), 999_999)), rule)


# Valid forms the service refuses on the target rows (the refusal is flashed): past the CSRF check, nothing written.
REFUSED_ON_TARGETS = {"panel.case_resolution_note", "panel.case_flag_removal_request"}


def form_for(endpoint, targets, actor_id):
    """Data an owner could post successfully, so a refusal is the role check at work, not bad input."""
    return {
        "panel.case_status": {"status": "in_progress"},
        "panel.case_assign": {"assignee": actor_id},
        "panel.case_note": {"text": "Called the customer."},
        "panel.case_link_order": {"order_id": targets["order_id"]},
        "panel.case_unlink_order": {},
        "panel.case_cause": {"main": "late_delivery", "others": ["damaged_or_defective"]},
        "panel.case_formal_complaint": {},  # filed today
        "panel.reply_post": {"action": "send", "channel": "email", "remedy": "none", "language": "en",
                             "text": "Grace, we are sorry.", "idempotency_key": f"access-reply-{actor_id}"},
        # refused on this open case (a note needs a resolved one; tests/web/panel/test_resolution_note.py)
        "panel.case_resolution_note": {"text": "Update: the problem has been resolved.", "language": "en"},
        "panel.case_flag_review": {"reason": "no_purchase", "explanation": "No order from this address."},
        # refused: the target flag's one request is logged above (tests/services/test_review_flags.py)
        "panel.case_flag_removal_request": {"channel": "google", "text": "Please remove: insults."},
        "panel.case_flag_outcome": {"outcome": "refused"},
        # the flagged partner order: dismissed first (POSTS run in endpoint order), then a notice still goes out
        "panel.at_risk_dismiss": {"reason": "Ships today."},
        "panel.at_risk_notice": delay_notice_form(),
        "panel.shop_at_risk_settings": {"promised_dispatch_hours": 72},
        "panel.case_remedy_record": {"kind": "resent_parcel", "status": "done", "description": "Resent the parcel.",
                                     "idempotency_key": f"access-remedy-{actor_id}"},
        "panel.case_remedy_done": {},
        "panel.improvement_new": {"shop": targets["shop_id"], **improvement_form(targets)},
        "panel.improvement_edit": improvement_form(targets),
        "panel.improvement_publish": {},
        "panel.improvement_withdraw": {},  # a no-op until published; POSTS run in endpoint order, publish first
        # The incident forms run in endpoint order on the target incident (closing last): the case joins, gets
        # the update, leaves (tests/web/panel/test_incidents.py).
        "panel.incident_new": {"shop": targets["shop_id"], "cause": "late_delivery", "title": "Courier failure",
                               "owner": 0, "cadence_hours": 72},
        "panel.incident_add_cases": {"cases": targets["case_id"]},
        "panel.incident_broadcast": {"number": 1, "text_en": "What happened: card data leaked.",
                                     "text_pl": "Co się stało: wyciekły dane kart.",
                                     "text_lv": "Kas notika: noplūda karšu dati."},
        "panel.incident_preview": None,  # a preview writes nothing
        "panel.incident_remove_case": {},
        "panel.incident_phase": {"phase": "reacting"},
        "panel.incident_edit": {"title": "Card data leak", "owner": actor_id, "statement": "We are on it.",
                                "cadence_hours": 48},
        "panel.incident_checklist": {"items": ["told_quickly", "support"]},
        "panel.incident_close": {"what_happened": "A leak.", "what_worked": "Fast notice.",
                                 "what_to_change": "Rotate keys."},
        "panel.reply_check": None,  # a check writes nothing (tests/web/panel/test_replies.py)
        "panel.compensation_new": None,  # a preview writes nothing (tests/web/panel/test_compensation.py)
        "panel.compensation_confirm": {"kind": "coupon", "amount": "10", "coupon_type": "percent",
                                       "coupon_days": 30, "idempotency_key": "access-confirm"},
        "panel.compensation_approve": {},
        "panel.compensation_reject": None,  # the one waiting compensation is approved above; see test_compensation
        "panel.shop_woo_keys": {"consumer_key": "ck_" + "a" * 40, "consumer_secret": "cs_" + "b" * 40},
        "panel.shop_woo_test": None,  # a read: nothing to audit
        "panel.shop_backfill": {},  # queues the job (not run here); the request is audited
        "panel.shop_compensation_settings": {"approval_threshold": "150.00", "coupon_validity_days": 14},
        "panel.shop_policy": {"rows-0-cause": "late_delivery", "rows-0-min_order_value": "0",
                              "rows-0-remedy": "coupon", "rows-0-percent": "12", "rows-0-note": "sorry"},
        "panel.case_new": {"shop": targets["shop_id"], "channel": "email", "email": "ann@example.com",
                           "name": "Ann", "text": "The kettle leaks."},
        "panel.shop_new": {"name": "Shop C", "url": "https://c.example", "language": "en", "timezone": "UTC"},
        "panel.shop_settings": {"first_response_hours": 12, "apology_hours": 48, "update_hours": 72,
                                "case_max_rating": 2, "negative_text_max_rating": 3, "language": "pl",
                                "timezone": "Europe/Warsaw"},
        "panel.shop_rotate_secret": {"confirm": "y"},
        "panel.shop_follow_up_settings": {"follow_up_days": 3, "reminder_days": 4, "recovery_window_days": 60,
                                          "quiet_hours_start": 22, "quiet_hours_end": 7,
                                          "email_from_name": "Ann at Shop A", "reply_to_email": "help@a.example"},
        "panel.shop_review_request_settings": {"review_requests_enabled": "y", "review_request_days": 10},
        "panel.shop_moderation_settings": {"moderation_warning_hours": 36},
        "panel.shop_retention_settings": {"retention_months": 24},
        # The privacy requests act on the partner, whose order no case is about (a look-up and an export are
        # audited too); erasing Grace would leave the reply and answer forms below nobody to write to.
        "panel.shop_privacy": {"email": "partner@example.com"},
        "panel.shop_privacy_export": {"email": "partner@example.com"},
        "panel.shop_privacy_erase": {"email": "partner@example.com", "confirm_email": "Partner@example.com"},
        "panel.review_answer": {"action": "send", f"review-{targets['review_id']}-language": "en",
                                f"review-{targets['review_id']}-text": "Grace, thank you for the kind words."},
        "panel.user_list": {"email": "new.agent@crisisdesk.example", "role": "agent",
                            "password": "a long enough password", "shops": targets["shop_id"]},
        # an attempt to make oneself an owner (the tests point user_id at the actor)
        "panel.user_access": {f"u{actor_id}-role": "owner", f"u{actor_id}-shops": targets["shop_id"]},
        "panel.account": {"language": "en"},  # saved (and audited) even when unchanged; the next posts stay English
    }.get(endpoint)  # None: a form this test does not know yet


def improvement_form(targets):
    return {"title": "Faster courier", "area": "logistics", "made_on": "2025-06-02", "description": "A new courier.",
            "causes": "late_delivery", "cases": str(targets["case_id"]), "public_note": "Parcels leave sooner."}


def snapshot():
    """Everything the panel's actions write, to prove a refused request changed nothing."""
    case_rows = [(c.status, c.assignee_id, c.order_id, c.link_method) for c in Case.query.order_by(Case.id)]
    shop_rows = [(s.woo_key_hint, str(s.approval_threshold), s.coupon_validity_days, s.follow_up_days,
                  s.reply_to_email, s.review_requests_enabled, s.review_request_days, s.moderation_warning_hours,
                  s.retention_months)
                 for s in Shop.query.order_by(Shop.id)]
    return (AuditEntry.query.count(), CaseEvent.query.count(), Case.query.count(), Shop.query.count(),
            sorted((u.email, u.role) for u in User.query), case_rows, shop_rows,
            sorted((o.billing_email, o.billing_name) for o in Order.query),
            Compensation.query.count(), PolicyRule.query.count(), ReviewAnswer.query.count(),
            [(i.title, i.published_at) for i in Improvement.query.order_by(Improvement.id)],
            [(i.phase, i.title) for i in Incident.query.order_by(Incident.id)], IncidentCase.query.count(),
            IncidentChecklistTick.query.count(), IncidentUpdate.query.count())


def test_it_knows_who_may_use_every_panel_url():
    assert {(method, endpoint) for method, endpoint, _ in PANEL_URLS} == set(REQUIRED_ROLE)


def test_it_lists_the_public_email_pages_and_no_other_page_without_login():
    app = create_app({"TESTING": True, "SECRET_KEY": "url-map-only", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    public = {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint.startswith("public.")}
    assert public == PUBLIC | PUBLISHED
    assert all(rule.rule.startswith("/e/") for rule in app.url_map.iter_rules() if rule.endpoint in PUBLIC)
    assert all(rule.rule.startswith("/s/") for rule in app.url_map.iter_rules() if rule.endpoint in PUBLISHED)


@pytest.mark.parametrize("path", ["/e/rate/guessed", "/e/unsubscribe/guessed"])
def test_it_never_sends_a_customers_link_to_the_login_page(client, path):
    # Anonymous and logged out, with a token that is not valid: the neutral page, not a login redirect.
    response = client.get(path)
    assert response.status_code == 400
    assert "Location" not in response.headers and "/login" not in response.get_data(as_text=True)


@pytest.mark.parametrize("method, endpoint, rule", PANEL_URLS)
def test_it_sends_anonymous_visitors_to_the_login_page(client, targets, method, endpoint, rule):
    url = fill(rule, targets)
    before = snapshot()
    if method == "GET":
        response = client.get(url)
    else:
        response = client.submit(url, form_for(endpoint, targets, targets["user_id"]) or {})
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    if method == "GET":
        assert parse_qs(location.query)["next"] == [url]
    else:  # after logging in the browser GETs `next`, which a POST-only URL would answer with 405
        assert "next" not in parse_qs(location.query)
    assert snapshot() == before


def test_it_brings_a_visitor_back_to_the_page_they_asked_for(client, targets, viewer):
    url = f"/cases?status=all&shop={targets['shop_id']}"
    location = client.get(url).headers["Location"]
    page = client.get(location)
    assert "Please log in to continue." in page.get_data(as_text=True)
    response = client.submit(location, {"email": viewer.email, "password": PASSWORD})
    assert response.headers["Location"] == url


@pytest.mark.parametrize("role, method, endpoint, rule", DENIED)
def test_it_refuses_pages_and_actions_above_the_users_role(client, targets, request, role, method, endpoint, rule):
    user = request.getfixturevalue(role)
    client.login(user)
    targets["user_id"] = user.id
    url = fill(rule, targets)
    before = snapshot()
    if method == "GET":
        response = client.get(url)
    else:
        response = client.submit(url, form_for(endpoint, targets, user.id), page="/cases")
    assert response.status_code == 403
    assert f"needs the {REQUIRED_ROLE[(method, endpoint)]} role" in response.get_data(as_text=True)
    assert snapshot() == before


@pytest.mark.parametrize("role", ["viewer", "agent", "owner"])
def test_it_opens_every_page_the_role_allows(client, targets, request, role):
    user = request.getfixturevalue(role)
    client.login(user)
    targets["user_id"] = user.id
    for method, endpoint, rule in PANEL_URLS:
        needed = REQUIRED_ROLE.get((method, endpoint))  # unknown pages fail the test above
        if method == "GET" and needed and Role(role).includes(needed):
            response = client.get(fill(rule, targets))
            assert response.status_code == (302 if endpoint == "panel.home" else 200), endpoint


def test_it_shows_the_links_a_role_can_use_and_hides_the_rest(client, targets, viewer):
    client.login(viewer)
    inbox = client.get("/cases").get_data(as_text=True)
    case_page = client.get(f"/cases/{targets['case_id']}").get_data(as_text=True)
    assert 'href="/users"' not in inbox and 'href="/audit"' not in inbox
    assert "Enter a complaint" not in inbox
    assert "Change status" not in case_page and "Add to timeline" not in case_page
    assert "Arrived broken." in case_page


def test_it_answers_not_found_for_another_shops_case_page(client, targets, outsider):
    client.login(outsider)
    response = client.get(f"/cases/{targets['case_id']}")
    assert response.status_code == 404
    assert "Arrived broken." not in response.get_data(as_text=True)


def test_it_answers_not_found_to_an_outsider_acting_on_another_shops_case(client, targets, outsider):
    client.login(outsider)
    case_actions = [(e, r) for e, r in POSTS if e.startswith("panel.case_") and e != "panel.case_new"]
    assert len(case_actions) == 13  # status, assign, note, link, unlink, cause, formal, resolution note, 3 flag,
    # 2 remedy
    for endpoint, rule in case_actions:
        before = snapshot()
        response = client.submit(fill(rule, targets), form_for(endpoint, targets, outsider.id), page="/cases")
        assert response.status_code == 404, endpoint
        assert snapshot() == before, endpoint


def test_it_does_not_let_an_agent_enter_a_complaint_for_another_shop(client, targets, outsider):
    client.login(outsider)
    before = snapshot()
    response = client.submit("/cases/new", form_for("panel.case_new", targets, outsider.id), page="/cases/new")
    assert response.status_code == 400
    assert "Not a valid choice" in response.get_data(as_text=True)
    assert snapshot() == before


def test_it_rejects_every_post_without_csrf_token_and_accepts_the_same_post_with_one(client, targets, owner):
    # One logged-in session for all forms: the token check is global, the loop proves no form is exempt.
    client.login(owner)
    targets["user_id"] = owner.id
    # Unlinking the order last: the compensation forms need the case's order. Closing the incident before that:
    # the other incident forms need it open.
    for endpoint, rule in sorted(POSTS, key=lambda post: (post[0] == "panel.case_unlink_order",
                                                          post[0] == "panel.incident_close")):
        url, data = fill(rule, targets), form_for(endpoint, targets, owner.id)
        before = snapshot()
        response = client.post(url, data=data or {})
        assert response.status_code == 400, endpoint
        assert "The CSRF token is missing." in response.get_data(as_text=True), endpoint
        assert client.post(url, data={**(data or {}), "csrf_token": "forged"}).status_code == 400, endpoint
        assert snapshot() == before, endpoint
        if data is not None:  # the same form with its token goes through, so the 400 above was the token
            accepted = client.submit(url, data, page="/cases")
            assert accepted.status_code in (200, 302), endpoint
            if endpoint not in REFUSED_ON_TARGETS:
                assert AuditEntry.query.count() > before[0], endpoint


def test_it_rejects_a_logout_without_csrf_token(client, viewer):
    client.login(viewer)
    assert client.post("/logout").status_code == 400
    assert client.get("/cases").status_code == 200


def test_it_keeps_another_shops_resolved_customers_and_email_settings_from_an_outsider(client, targets, agent,
                                                                                       outsider):
    from crisisdesk.services import cases as case_service

    case_service.change_status(agent, targets["case_id"], "resolved", actor_of(agent))
    client.login(outsider)
    listing = client.get("/recovery")
    assert listing.status_code == 200 and "grace@example.com" not in listing.get_data(as_text=True)
    assert client.get(f"/recovery?shop={targets['shop_id']}").status_code == 404
    before = snapshot()
    response = client.submit(f"/shops/{targets['shop_id']}/emails",
                             form_for("panel.shop_follow_up_settings", targets, outsider.id), page="/cases")
    assert response.status_code == 403
    assert snapshot() == before


def actor_of(user):
    from crisisdesk.domain.actor import Actor

    return Actor(label=user.email, user_id=user.id)
