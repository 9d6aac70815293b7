"""Incidents (domain/incidents.py): open one for many cases with one cause, let matching cases join, move it
through its phases, tick the security playbook, and close it with a retrospective.

Every change is audited and written on the timeline of each case of the incident. A case belongs to one
incident at most: the UNIQUE case_id of incident_cases holds that when two agents add the same case at once.
An incident opened from a crisis alert acknowledges the alert (the agent has plainly seen it); opening from
the same alert again finds the incident already opened. Broadcast updates are services/incident_broadcasts.py.
"""
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from crisisdesk import clock
from crisisdesk.domain import incidents as rules
from crisisdesk.domain.case_status import OPEN_STATUSES
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.errors import Conflict, Invalid, NotFound
from crisisdesk.domain.roles import Role
from crisisdesk.extensions import db
from crisisdesk.models import Case, Incident, IncidentCase, IncidentChecklistTick, Product, Review
from crisisdesk.services import audit, crisis_alerts
from crisisdesk.services.access import get_shop, get_shop_record, shop_workers
from crisisdesk.services.review_cases import add_event

MAX_SUGGESTIONS = 200


def get_incident(user, incident_id, role=Role.VIEWER):
    """The incident if its shop is visible to the user (else NotFound), and the user has `role`."""
    return get_shop_record(user, Incident, incident_id, "no such incident", role)


def open_incident(user, shop_id, actor, title, cause, statement="", product_id=None, owner_id=None, case_ids=(),
                  alert_id=None, cadence_hours=rules.DEFAULT_CADENCE_HOURS):
    """A new incident in "recognised" with the chosen cases; returns (incident, created). From an alert that
    already has an open incident, that incident (created False)."""
    shop = get_shop(user, shop_id, Role.AGENT)
    alert = crisis_alerts.get_alert(user, alert_id, Role.AGENT) if alert_id else None
    if alert is not None:
        if alert.shop_id != shop.id:
            raise Invalid("the alert belongs to another shop", "alert")
        earlier = Incident.query.filter(Incident.created_from_alert_id == alert.id,
                                        Incident.phase.in_(rules.OPEN_PHASES)).first()
        if earlier is not None:
            return earlier, False
    values = _checked_details(shop.id, title, statement, owner_id, cadence_hours)
    if cause not in CAUSES:
        raise Invalid("unknown cause", "cause")
    product = _checked_product(shop.id, product_id)
    cases = _checked_cases(shop.id, case_ids)
    now = clock.utcnow()
    incident = Incident(shop_id=shop.id, cause=cause, product=product, phase="recognised", opened_at=now,
                        created_from_alert_id=alert.id if alert else None,
                        next_update_due_at=rules.first_update_due(now, shop.first_response_hours), **values)
    db.session.add(incident)
    db.session.flush()
    _link(incident, cases, actor, now)
    audit.record(actor, "incident.opened", incident, cause=cause, product_id=product.id if product else None,
                 case_ids=[c.id for c in cases], alert_id=alert.id if alert else None)
    _commit_links()
    if alert is not None and alert.status == "open":
        try:
            crisis_alerts.acknowledge(user, alert.id, actor, f"Incident #{incident.id} opened.")
        except Conflict:
            pass  # someone acknowledged it a moment ago
    return incident, True


def add_cases(user, incident_id, case_ids, actor):
    """Add cases (one action for many) to an open incident; returns how many joined (those already in it: none)."""
    incident = _open_incident(user, incident_id)
    if not case_ids:
        raise Invalid("choose at least one case", "cases")
    wanted = [i for i in dict.fromkeys(case_ids) if i not in {link.case_id for link in incident.links}]
    cases = _checked_cases(incident.shop_id, wanted)
    if not cases:
        return 0
    _link(incident, cases, actor, clock.utcnow())
    audit.record(actor, "incident.cases_added", incident, case_ids=[c.id for c in cases])
    _commit_links()
    return len(cases)


def remove_case(user, incident_id, case_id, actor):
    """Take a case that was added by mistake out of an open incident."""
    incident = _open_incident(user, incident_id)
    link = next((link for link in incident.links if link.case_id == case_id), None)
    if link is None:
        raise NotFound("that case is not part of this incident")
    add_event(link.case, "incident", f"Removed from incident #{incident.id}: {incident.title}", actor,
              incident_id=incident.id)
    incident.links.remove(link)
    audit.record(actor, "incident.case_removed", incident, case_id=case_id)
    db.session.commit()


def change_phase(user, incident_id, phase, actor):
    """Move an open incident to another open phase (domain.incidents.TRANSITIONS); closing is close()."""
    incident = get_incident(user, incident_id, Role.AGENT)
    before = incident.phase
    if phase == before:
        return incident
    incident.phase = rules.checked_phase_change(before, phase)
    _on_every_case(incident, f"Incident #{incident.id} moved to {rules.PHASES[phase]}", actor)
    audit.record(actor, "incident.phase_changed", incident, before=before, after=phase)
    db.session.commit()
    return incident


def edit(user, incident_id, actor, title, statement, owner_id, cadence_hours):
    """Change the title, public statement, owner or update cadence (a new cadence counts from the last update)."""
    incident = get_incident(user, incident_id, Role.AGENT)
    values = _checked_details(incident.shop_id, title, statement, owner_id, cadence_hours)
    changed = {name: value for name, value in values.items() if getattr(incident, name) != value}
    if not changed:
        return incident
    for name, value in changed.items():
        setattr(incident, name, value)
    if "cadence_hours" in changed and rules.is_open(incident.phase) and incident.updates:
        incident.next_update_due_at = rules.next_update_due(incident.updates[-1].created_at, incident.cadence_hours)
    audit.record(actor, "incident.edited", incident, changed=sorted(changed))
    db.session.commit()
    return incident


def close(user, incident_id, actor, answers):
    """Close an open incident with its retrospective (every answer required); the update cadence stops."""
    incident = _open_incident(user, incident_id)
    retrospective = rules.checked_retrospective(answers)
    before = incident.phase
    for name, value in retrospective.items():
        setattr(incident, name, value)
    incident.phase, incident.closed_at, incident.next_update_due_at = rules.CLOSED, clock.utcnow(), None
    _on_every_case(incident, f"Incident #{incident.id} closed.", actor)
    audit.record(actor, "incident.closed", incident, before=before)
    db.session.commit()
    return incident


def set_checklist(user, incident_id, actor, items):
    """Tick exactly `items` of the security playbook's checklist (who and when are kept per tick)."""
    incident = _open_incident(user, incident_id)
    if not rules.has_playbook(incident.cause):
        raise Conflict("only a security or fraud incident has the security checklist")
    chosen = set(items or [])
    unknown = chosen - set(rules.SECURITY_CHECKLIST)
    if unknown:
        raise Invalid("unknown checklist step", "items")
    ticked = {tick.item: tick for tick in incident.ticks}
    added, removed = sorted(chosen - set(ticked)), sorted(set(ticked) - chosen)
    if not added and not removed:
        return incident
    now = clock.utcnow()
    for item in added:
        incident.ticks.append(IncidentChecklistTick(item=item, ticked_by_id=actor.user_id, ticked_at=now))
    for item in removed:
        incident.ticks.remove(ticked[item])
    audit.record(actor, "incident.checklist", incident, ticked=added, unticked=removed)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # a colleague ticked the same step at the same moment: theirs stands
        raise Conflict("someone else changed the checklist at the same time; look again")
    return incident


def suggestions(incident):
    """Open cases of the shop that look like part of this incident and are in no incident yet."""
    first = (db.session.query(func.min(Case.opened_at)).join(IncidentCase, IncidentCase.case_id == Case.id)
             .filter(IncidentCase.incident_id == incident.id).scalar())
    return matching_cases(incident.shop_id, incident.cause, incident.product_id,
                          rules.suggestion_since(first, incident.opened_at))


def suggestions_for_new(shop_id, cause, product_id, chosen_cases):
    """What a new incident could take in: `chosen_cases` (an alert's) first, then the other matches."""
    first = min((c.opened_at for c in chosen_cases), default=None)
    found = matching_cases(shop_id, cause, product_id, rules.suggestion_since(first, clock.utcnow()))
    chosen_ids = {c.id for c in chosen_cases}
    return list(chosen_cases) + [c for c in found if c.id not in chosen_ids]


def suggestions_for_alert(alert, cause):
    """What an incident opened from `alert` about `cause` could take in: (the alert's cases with that cause, to
    tick; those first, then the other matches, then the alert's cases with another cause, to offer). A shop-wide
    alert's evidence is every negative review of the day: a damaged item is no part of a courier failure."""
    evidence = alert_cases(alert)
    chosen = [c for c in evidence if rules.matches(c.causes or [c.cause], c.product_id, cause, alert.product_id)]
    others = [c for c in evidence if c not in chosen]
    return chosen, suggestions_for_new(alert.shop_id, cause, alert.product_id, chosen) + others


def matching_cases(shop_id, cause, product_id, since):
    """Open cases of the shop opened since `since`, in no incident, with the cause (main or any) and product."""
    rows = (Case.query.outerjoin(IncidentCase, IncidentCase.case_id == Case.id)
            .filter(Case.shop_id == shop_id, Case.status.in_(OPEN_STATUSES), Case.opened_at >= since,
                    IncidentCase.id.is_(None))
            .order_by(Case.opened_at.desc(), Case.id.desc()).limit(MAX_SUGGESTIONS * 5).all())
    return [c for c in rows if rules.matches(c.causes or [c.cause], c.product_id, cause, product_id)][:MAX_SUGGESTIONS]


def alert_cases(alert):
    """The open cases of an alert's evidence reviews that are in no incident yet."""
    if not alert.review_ids:
        return []
    return (Case.query.join(Review, Case.review_id == Review.id)
            .outerjoin(IncidentCase, IncidentCase.case_id == Case.id)
            .filter(Review.id.in_(alert.review_ids), Case.status.in_(OPEN_STATUSES), IncidentCase.id.is_(None))
            .order_by(Case.opened_at, Case.id).all())


def shop_product(shop_id, product_id):
    """The shop's product with this id, or None (no id, or another shop's)."""
    product = db.session.get(Product, product_id) if product_id else None
    return product if product is not None and product.shop_id == shop_id else None


def incident_of(case):
    """The incident a case is part of, or None."""
    return case.incident_link.incident if case.incident_link is not None else None


# --- helpers ------------------------------------------------------------------------------------------------

def _open_incident(user, incident_id):
    incident = get_incident(user, incident_id, Role.AGENT)
    if not rules.is_open(incident.phase):
        raise Conflict("the incident is closed")
    return incident


def _checked_details(shop_id, title, statement, owner_id, cadence_hours):
    owner = None
    if owner_id:
        owner = next((u for u in shop_workers(shop_id) if u.id == owner_id), None)
        if owner is None:
            raise Invalid("that person cannot work on this shop's cases", "owner")
    return {"title": rules.checked_text(title, "title", limit=rules.MAX_TITLE),
            "statement": rules.checked_text(statement, "statement", required=False),
            "owner_id": owner.id if owner else None,
            "cadence_hours": rules.checked_cadence(cadence_hours)}


def _checked_product(shop_id, product_id):
    product = shop_product(shop_id, product_id)
    if product_id and product is None:
        raise Invalid("no such product in this shop", "product")
    return product


def _checked_cases(shop_id, case_ids):
    """The cases, each of this shop and in no incident yet."""
    ids = list(dict.fromkeys(case_ids or []))
    if not ids:
        return []
    cases = {c.id: c for c in Case.query.filter(Case.id.in_(ids), Case.shop_id == shop_id)}
    missing = [i for i in ids if i not in cases]
    if missing:
        raise Invalid(f"no case #{missing[0]} in this shop", "cases")
    taken = (db.session.query(IncidentCase.case_id, IncidentCase.incident_id)
             .filter(IncidentCase.case_id.in_(ids)).order_by(IncidentCase.case_id).first())
    if taken is not None:
        raise Conflict(f"case #{taken[0]} is already part of incident #{taken[1]}", "cases")
    return [cases[i] for i in ids]


def _link(incident, cases, actor, now):
    for case in cases:
        incident.links.append(IncidentCase(case=case, added_by_id=actor.user_id, added_at=now))
        add_event(case, "incident", f"Added to incident #{incident.id}: {incident.title}", actor,
                  incident_id=incident.id)


def _commit_links():
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # another agent put one of these cases into an incident at the same moment
        raise Conflict("one of these cases was just added to an incident by someone else; look again", "cases")


def _on_every_case(incident, message, actor):
    for link in incident.links:
        add_event(link.case, "incident", message, actor, incident_id=incident.id)
