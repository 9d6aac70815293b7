"""Incidents: one crisis, many cases (SPEC section 2 "One crisis, many cases"; seeds, EXTRACT §10 and §11).

Pure rules: the phases a leader moves an incident through (recognition → reaction → rebuild, EXTRACT §11)
and then closes it with a retrospective (what happened, what worked, what to change: "after the crisis,
analyse what was done", EXTRACT §11); when the next broadcast update is due (the SPEC's 72 h cadence, which
a person keeps: a reminder, never an automatic send); which open cases look like part of the same incident;
who gets a broadcast (one email per address, whatever the number of their cases); and the security
playbook's checklist (EXTRACT §10.1 "During a cyberattack").
"""
import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.personal_data import ERASED_EMAIL_DOMAIN
from crisisdesk.domain.texts import N_

PHASES = {
    "recognised": N_("Recognised"),
    "reacting": N_("Reacting"),
    "rebuilding": N_("Rebuilding"),
    "closed": N_("Closed"),
}
CLOSED = "closed"
OPEN_PHASES = ("recognised", "reacting", "rebuilding")
# What the leader does in each phase (EXTRACT §11, "Leader actions by crisis phase").
PHASE_HINTS = {
    "recognised": N_("Monitor the negative opinions and the customers' reactions."),
    "reacting": N_("Answer the criticism publicly and present the corrective actions."),
    "rebuilding": N_("Restore trust and prevent the next crisis."),
    "closed": N_("Closed with a retrospective."),
}
# Forward through the phases; a relapse while rebuilding goes back to reacting; any open phase may close
# (a false alarm closes from "recognised"). Closed is final: a new wave is a new incident.
TRANSITIONS = {
    "recognised": ("reacting", CLOSED),
    "reacting": ("rebuilding", CLOSED),
    "rebuilding": ("reacting", CLOSED),
    CLOSED: (),
}

DEFAULT_CADENCE_HOURS = 72  # SPEC section 2: a public update within 72 h, repeated every 72 h
MIN_CADENCE_HOURS, MAX_CADENCE_HOURS = 12, 168
SUGGESTION_LOOKBACK = timedelta(days=7)  # cases opened this long before the incident's first one may belong to it
MAX_TITLE = 200
MAX_TEXT = 5000  # a statement, an update text, each retrospective answer
UPDATE_KIND = "incident_update"  # the customer email (outbox kind)
REMINDER_KIND = "incident_reminder"  # the staff email: an update is due
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,80}\]")
_DUE_FORMAT = "%Y%m%dT%H%M%S"

SECURITY_CAUSE = "security_or_fraud"
# EXTRACT §10.1, "During a cyberattack": inform customers quickly, explain the steps taken to secure their
# data, offer support for resulting problems such as identity theft; and a broadcast says what happened and
# what the customer should do (the update template for this cause covers each point).
SECURITY_CHECKLIST = {
    "told_quickly": N_("Tell the affected customers quickly"),
    "what_happened": N_("Say what happened"),
    "what_was_done": N_("Say what was done to secure their data"),
    "what_to_do": N_("Say what they should do (for example change a password, watch their statements)"),
    "support": N_("Say what support they get (for example help against identity theft)"),
}

RETROSPECTIVE_FIELDS = {
    "what_happened": N_("What went wrong"),
    "what_worked": N_("What worked"),
    "what_to_change": N_("What to change"),
}


@dataclass(frozen=True)
class Candidate:
    """A case that could receive a broadcast: its id, its customer's address (or "") and language."""

    case_id: int
    address: str
    language: str


@dataclass(frozen=True)
class Recipient:
    case_id: int  # the lowest of the customer's cases: the email's key and the case its timeline note goes on
    address: str
    language: str
    case_ids: tuple


def is_open(phase):
    return phase in OPEN_PHASES


def can_transition(before, after):
    return after in TRANSITIONS.get(before, ())


def checked_phase_change(before, after):
    """The phase `after` if an open incident may move there by the phase buttons (closing needs close())."""
    if after not in PHASES:
        raise Invalid("unknown phase", "phase")
    if before == CLOSED:
        raise Conflict("the incident is closed", "phase")
    if after == CLOSED:
        raise Invalid("close the incident with its retrospective", "phase")
    if not can_transition(before, after):
        raise Conflict(f"an incident cannot go from {PHASES[before]} to {PHASES[after]}", "phase")
    return after


def checked_cadence(hours):
    if not isinstance(hours, int) or isinstance(hours, bool) or not MIN_CADENCE_HOURS <= hours <= MAX_CADENCE_HOURS:
        raise Invalid(f"must be a whole number from {MIN_CADENCE_HOURS} to {MAX_CADENCE_HOURS}", "cadence_hours")
    return hours


def checked_text(text, field, required=True, limit=MAX_TEXT):
    """`text` trimmed; Invalid when it is required and empty, or too long."""
    text = (text or "").strip()
    if required and not text:
        raise Invalid("this is required", field)
    if len(text) > limit:
        raise Invalid(f"the text is longer than {limit} characters", field)
    return text


def checked_update_text(text, field):
    """An update as the customer will read it: written, not too long, and with no [bracketed] part left to fill."""
    text = checked_text(text, field)
    if _PLACEHOLDER.search(text):
        raise Invalid("fill in or remove the parts in [brackets]", field)
    return text


def checked_retrospective(answers):
    """{what_happened, what_worked, what_to_change}: every answer is required to close an incident."""
    return {name: checked_text(answers.get(name), name) for name in RETROSPECTIVE_FIELDS}


def first_update_due(opened_at, first_response_hours):
    """The first broadcast is due as a first answer is: within the shop's first-response target."""
    return opened_at + timedelta(hours=first_response_hours)


def next_update_due(sent_at, cadence_hours):
    return sent_at + timedelta(hours=cadence_hours)


def update_due(phase, next_update_due_at, now):
    """True when an open incident's next update is due (or overdue): the page and the list mark it."""
    return is_open(phase) and next_update_due_at is not None and next_update_due_at <= now


def suggestion_since(first_case_opened_at, opened_at):
    """Cases opened from a week before the incident's first case (or its opening, without cases) may join."""
    earliest = min(first_case_opened_at, opened_at) if first_case_opened_at else opened_at
    return earliest - SUGGESTION_LOOKBACK


def matches(case_causes, case_product_id, cause, product_id):
    """A case shares the incident's cause (main or any) and, when the incident names one, its product."""
    return cause in (case_causes or ()) and (product_id is None or case_product_id == product_id)


def is_erased(address):
    return (address or "").strip().lower().endswith("@" + ERASED_EMAIL_DOMAIN)


def recipients(candidates):
    """One Recipient per address (a customer with two cases gets one email), in case order; no address, none."""
    grouped = {}
    for candidate in sorted(candidates, key=lambda c: c.case_id):
        address = (candidate.address or "").strip()
        if not address or is_erased(address):
            continue
        grouped.setdefault(address.lower(), []).append((candidate, address))
    return [Recipient(found[0][0].case_id, found[0][1], found[0][0].language, tuple(c.case_id for c, _ in found))
            for found in grouped.values()]


def update_key(incident_id, number, case_id):
    """The outbox key of update `number`'s email to the customer of `case_id`: scheduling twice finds the first."""
    return f"{update_prefix(incident_id, number)}case:{case_id}"


def update_prefix(incident_id, number):
    return f"incident:{incident_id}:update:{number}:"


def parse_update_key(key):
    """(incident id, update number, case id) from an update email's key."""
    _, incident_id, _, number, _, case_id = key.split(":")
    return int(incident_id), int(number), int(case_id)


def reminder_key(incident_id, due_at, user_id):
    """The outbox key of the reminder to one person for one due time: one reminder per due time."""
    return f"incident:{incident_id}:reminder:{due_at.astimezone(timezone.utc):{_DUE_FORMAT}}:u{user_id}"


def parse_reminder_key(key):
    """(incident id, due time) from a reminder's key."""
    _, incident_id, _, due, _ = key.split(":")
    return int(incident_id), datetime.strptime(due, _DUE_FORMAT).replace(tzinfo=timezone.utc)


def has_playbook(cause):
    return cause == SECURITY_CAUSE
