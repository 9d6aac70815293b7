"""The case timeline in the panel's language, translated at display time.

Services write each CaseEvent.message in English when the event happens (services/review_cases.add_event);
what is stored never changes, so old rows read the same way as new ones. For a reader in another language the
message is matched against the sentences of its event kind below: each pattern's named groups fill the
translation's placeholders, each group through its own translator (a label from the domain's N_() maps, a
sub-sentence with its own patterns, an amount, a date, or the value as written: customer text, names,
addresses and what WooCommerce or a mail server said are never changed). A message no pattern covers, or one
with a value no translator knows, is shown as stored, in English. Notes are the agent's own words: never
translated.
"""
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import format_datetime
from babel.numbers import format_decimal
from flask_babel import gettext

from crisisdesk.domain.case_status import STATUS_LABELS
from crisisdesk.domain.causes import CAUSES
from crisisdesk.domain.incidents import PHASES as INCIDENT_PHASES
from crisisdesk.domain.moderation import WHY as MODERATION_WHY
from crisisdesk.domain.order_linking import LINK_METHOD_LABELS
from crisisdesk.domain.priority import LEVEL_LABELS
from crisisdesk.domain.remedies import KIND_LABELS as REMEDY_KIND_LABELS
from crisisdesk.domain.review_flags import FLAG_REASONS, REMOVAL_CHANNELS
from crisisdesk.domain.sla import CLOCK_LABELS
from crisisdesk.domain.texts import N_
from crisisdesk.web import i18n
from crisisdesk.web.error_texts import panel_message

UNTRANSLATED_KINDS = frozenset({"note", "contact"})  # written by a person

# Labels the services write without an N_() map of their own.
SENTIMENT_LABELS = {"negative": N_("negative"), "neutral": N_("neutral"), "positive": N_("positive")}
CHANNEL_LABELS = {"email": N_("email"), "phone": N_("phone"), "social": N_("social media"), "other": N_("other")}
EMAIL_KIND_LABELS = {"Follow-up email": N_("Follow-up email"), "Follow-up reminder": N_("Follow-up reminder"),
                     "Reply to the complaint": N_("Reply to the complaint"), "SLA alert": N_("SLA alert"),
                     "Crisis alert": N_("Crisis alert"), "Moderation alert": N_("Moderation alert"),
                     "Incident update": N_("Incident update"), "Delay notice": N_("Delay notice"),
                     "Email": N_("Email")}
REVIEW_STATUS_LABELS = {"approved": N_("approved"), "hold": N_("awaiting moderation"), "trash": N_("trash"),
                        "spam": N_("spam")}
ORDER_STATUS_LABELS = {"pending": N_("pending payment"), "processing": N_("processing"), "on-hold": N_("on hold"),
                       "completed": N_("completed"), "cancelled": N_("cancelled"), "refunded": N_("refunded"),
                       "failed": N_("failed")}
REPLY_WHERE = {"under the review": N_("to be sent under the review"), "by email": N_("to be sent by email"),
               "under the review and by email": N_("to be sent under the review and by email"),
               "by email and under the review": N_("to be sent by email and under the review")}


# --- translators: a group's stored value -> its text in the panel's language, or None (unknown: keep English) ---

def keep(value):
    return value


def labels(mapping):
    """One of the English labels in `mapping` (an N_() map), translated."""
    known = {str(label): label for label in mapping.values()}
    return lambda value: gettext(known[value]) if value in known else None


def codes(mapping):
    """A code (`urgent`) by its label in `mapping`, translated."""
    return lambda value: gettext(mapping[value]) if value in mapping else None


def label_list(mapping, separator=", "):
    """Labels joined by `separator`; the labels may contain the separator themselves ("Refund, return or …")."""
    alternatives = "|".join(re.escape(str(label)) for label in sorted(mapping.values(), key=len, reverse=True))
    item = re.compile(rf"(?:{alternatives})(?={re.escape(separator)}|$)")
    one = labels(mapping)

    def translate(value):
        found, position = [], 0
        while position < len(value):
            match = item.match(value, position)
            if not match:
                return None
            found.append(one(match.group()))
            position = match.end()
            if position < len(value):
                if not value.startswith(separator, position):
                    return None
                position += len(separator)
        return separator.join(found) if found else None
    return translate


def money(value):
    """'12.50 PLN' or '1,234.50 PLN' in the reader's format; anything else ('€1,234.50') as written."""
    match = re.fullmatch(r"(-?\d{1,3}(?:,\d{3})*(?:\.\d+)?|-?\d+(?:\.\d+)?) ([A-Z]{3})", value)
    if not match:
        return value
    return i18n.format_money(Decimal(match.group(1).replace(",", "")), match.group(2))


def worth(value):
    """A discount code's worth: '10%' or an amount."""
    match = re.fullmatch(r"(\d+)%", value)
    return i18n.format_ratio(Decimal(match.group(1)) / 100) if match else money(value)


def day(value):
    try:
        return i18n.format_day(date.fromisoformat(value))
    except ValueError:
        return value


def local_moment(value):
    """'2026-12-04 17:05 (Europe/Warsaw)', a time already in the shop's zone, in the reader's format."""
    match = re.fullmatch(r"(\d{4}-\d\d-\d\d \d\d:\d\d) \(([^()]+)\)", value)
    if not match:
        return value
    moment = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M")
    language = i18n.html_lang()
    pattern = i18n.DATETIME_PATTERNS.get(language, i18n.DATETIME_PATTERNS[i18n.DEFAULT_LANGUAGE])
    return f"{format_datetime(moment, pattern, locale=language)} ({match.group(2)})"


def score(value):
    try:
        return format_decimal(Decimal(value), "+0.00;-0.00", locale=i18n.html_lang())
    except InvalidOperation:
        return value


def error(value):
    """What a service, WooCommerce or a mail server said: a known CrisisDesk sentence translated, else as written."""
    return panel_message(value)


def sentence(table):
    return lambda value: translate(table, value)


def optional(table):
    """An optional part of a sentence: empty when absent."""
    return lambda value: "" if not value else translate(table, value)


def translate(table, text):
    """`text` through the first pattern of `table` matching all of it; None when none does or a value is unknown."""
    for pattern, msgid, translators in table:
        match = pattern.fullmatch(text)
        if not match:
            continue
        values = {}
        for name, value in match.groupdict().items():
            turned = translators.get(name, keep)(value if value is not None else "")
            if turned is None:
                return None
            values[name] = turned
        return gettext(msgid, **values)
    return None


def table(*rows):
    """Rows of (regex, msgid[, {group: translator}]); a group without a translator is kept as written."""
    return [(re.compile(row[0], re.S), row[1], row[2] if len(row) > 2 else {}) for row in rows]


def codes_or_kept(mapping):
    """A code from an outside system (a WordPress or WooCommerce status): translated when known, else as written."""
    return lambda value: gettext(mapping[value]) if value in mapping else value


def after_space(rows):
    """An optional ' <sentence>' at the end of a message: translated, with its space; empty when absent."""
    def translate_tail(value):
        if not value:
            return ""
        turned = translate(rows, value[1:])
        return None if turned is None else " " + turned
    return translate_tail


# --- the sentences ------------------------------------------------------------------------------------------

def _cause_findings(value):
    """'Late or lost delivery (from “late, parcel”); Other': each cause translated, the customer's words kept."""
    alternatives = "|".join(re.escape(str(label)) for label in sorted(CAUSES.values(), key=len, reverse=True))
    label = re.compile(alternatives)
    cause = labels(CAUSES)

    def parse(position):
        match = label.match(value, position)
        if not match:
            return None
        name, position = cause(match.group()), match.end()
        endings = [position]
        opener = " (from “"
        if value.startswith(opener, position):
            start = position + len(opener)
            endings = [i + 2 for i in range(start, len(value) - 1) if value.startswith("”)", i)]
        for end in endings:
            if end == position:
                item = name
            else:
                item = gettext("%(cause)s (from “%(words)s”)", cause=name,
                               words=value[position + len(opener):end - 2])
            if end == len(value):
                return [item]
            if value.startswith("; ", end):
                rest = parse(end + 2)
                if rest is not None:
                    return [item] + rest
        return None

    found = parse(0)
    return "; ".join(found) if found else None


N_("%(cause)s (from “%(words)s”)")  # used by _cause_findings above; marked here for the catalogue

DETECTION = table(
    (r"No complaint cause recognised in the text \(language (?P<language>[\w-]+), (?P<sentiment>\w+)\)\.",
     N_("No complaint cause recognised in the text (language %(language)s, %(sentiment)s)."),
     {"sentiment": codes(SENTIMENT_LABELS)}),
    (r"Detected cause: (?P<found>.+)\. Language: (?P<language>[\w-]+)\.",
     N_("Detected cause: %(found)s. Language: %(language)s."), {"found": _cause_findings}),
    (r"Detected causes: (?P<found>.+)\. Language: (?P<language>[\w-]+)\.",
     N_("Detected causes: %(found)s. Language: %(language)s."), {"found": _cause_findings}),
)

OPENING_REASONS = table(
    (r"rated (?P<rating>\d)★ \(threshold (?P<threshold>\d)★\)", N_("rated %(rating)s★ (threshold %(threshold)s★)")),
    (r"(?P<rating>\d)★ with negative text \(score (?P<score>[+-]\d+\.\d+)\)",
     N_("%(rating)s★ with negative text (score %(score)s)"), {"score": score}),
    (r"no rating with negative text \(score (?P<score>[+-]\d+\.\d+)\)",
     N_("no rating with negative text (score %(score)s)"), {"score": score}),
)

COMPENSATION = table(
    (r"Refund of (?P<amount>\S+ \S+) \(through the payment gateway\)",
     N_("Refund of %(amount)s (through the payment gateway)"), {"amount": money}),
    (r"Refund of (?P<amount>\S+ \S+) \(recorded only\)", N_("Refund of %(amount)s (recorded only)"), {"amount": money}),
    (r"Discount code (?P<code>.+) \((?P<worth>\d+%|\S+ \S+), until (?P<day>\d{4}-\d\d-\d\d)\)",
     N_("Discount code %(code)s (%(worth)s, until %(day)s)"), {"worth": worth, "day": day}),
    (r"Replacement order worth (?P<amount>\S+ \S+)", N_("Replacement order worth %(amount)s"), {"amount": money}),
)
WHAT = {"what": sentence(COMPENSATION)}

COMPENSATION_HOW = table(
    (r"done", N_("done")),
    (r"found in WooCommerce after an unanswered call", N_("found in WooCommerce after an unanswered call")),
    (r"the code already existed: ours, from an earlier try", N_("the code already existed: ours, from an earlier try")),
)

# Why a follow-up is not scheduled, or why a scheduled email was cancelled (domain/follow_up.py, services/*_emails.py).
EMAIL_REASONS = table(
    (r"the recovery window has ended", N_("the recovery window has ended")),
    (r"the customer has no email address", N_("the customer has no email address")),
    (r"the customer's data was erased", N_("the customer's data was erased")),
    (r"the review was removed in WordPress", N_("the review was removed in WordPress")),
    (r"the case no longer exists", N_("the case no longer exists")),
    (r"the case was reopened", N_("the case was reopened")),
    (r"the case was resolved", N_("the case was resolved")),
    (r"the address asked for no more emails", N_("the address asked for no more emails")),
    (r"the customer's address was erased", N_("the customer's address was erased")),
    (r"the customer already raised the rating", N_("the customer already raised the rating")),
    (r"the customer already posted a new positive review", N_("the customer already posted a new positive review")),
    (r"the customer already ordered again", N_("the customer already ordered again")),
    (r"the customer already answered that they are satisfied",
     N_("the customer already answered that they are satisfied")),
    (r"the customer already came back", N_("the customer already came back")),
    (r"the customer already answered the follow-up", N_("the customer already answered the follow-up")),
    (r"the follow-up itself was not sent", N_("the follow-up itself was not sent")),
    (r"the follow-up went out less than a day ago", N_("the follow-up went out less than a day ago")),
    (r"the customer already updated the review", N_("the customer already updated the review")),
    (r"the (?P<clock>.+) clock was met", N_("the %(clock)s clock was met"), {"clock": labels(CLOCK_LABELS)}),
    (r"the alert no longer exists", N_("the alert no longer exists")),
    (r"the alert was already acknowledged", N_("the alert was already acknowledged")),
    (r"the review was moderated in WordPress", N_("the review was moderated in WordPress")),
    (r"the review no longer exists", N_("the review no longer exists")),
    (r"the goodwill code could not be created in WooCommerce",
     N_("the goodwill code could not be created in WooCommerce")),
    (r"unsubscribed", N_("the customer unsubscribed")),
    (r"rejected", N_("the mail server refused the address")),
    # an address the outbox cannot send to (services/follow_up.schedule)
    (r"(?P<error>.+) \((?P<email>[^()\s]+)\)", N_("%(error)s (%(email)s)"), {"error": error}),
)

EMAIL_PURPOSES = table(
    (r"A transparent notice about the delay of order #(?P<number>.+)\.",
     N_("A transparent notice about the delay of order #%(number)s.")),
    (r"Update (?P<number>\d+) of incident #(?P<id>\d+), to everyone affected\.",
     N_("Update %(number)s of incident #%(id)s, to everyone affected.")),
    (r"It asks whether the fix worked and invites a review update, (?P<days>\d+) days after the replacement was "
     r"completed\.",
     N_("It asks whether the fix worked and invites a review update, %(days)s days after the replacement was "
        "completed.")),
    (r"It asks whether the fix worked and invites a review update, (?P<days>\d+) days after the case was resolved\.",
     N_("It asks whether the fix worked and invites a review update, %(days)s days after the case was resolved.")),
    (r"The one reminder, (?P<days>\d+) days after the follow-up; it goes only if the customer has not answered or "
     r"updated the review by then\.",
     N_("The one reminder, %(days)s days after the follow-up; it goes only if the customer has not answered or "
        "updated the review by then.")),
    (r"The answer to the complaint, written by an agent\.", N_("The answer to the complaint, written by an agent.")),
    (r"The answer to the complaint, written by (?P<author>.+)\.",
     N_("The answer to the complaint, written by %(author)s.")),
    (r"SLA alert: the (?P<clock>.+) clock is overdue\.", N_("SLA alert: the %(clock)s clock is overdue."),
     {"clock": labels(CLOCK_LABELS)}),
    (r"SLA alert: the (?P<clock>.+) clock is due soon\.", N_("SLA alert: the %(clock)s clock is due soon."),
     {"clock": labels(CLOCK_LABELS)}),
    (r"Moderation alert: a negative review has awaited moderation for more than (?P<hours>\d+) hours\.",
     N_("Moderation alert: a negative review has awaited moderation for more than %(hours)s hours.")),
)

MAIL_ERRORS = table(
    (r"the mail server said “(?P<text>.*)” \((?P<code>[^()]*)\)", N_("the mail server said “%(text)s” (%(code)s)")),
    (r"(?P<error>.+) \(gave up after (?P<attempts>\d+) attempts\)",
     N_("%(error)s (gave up after %(attempts)s attempts)"),
     {"error": lambda value: translate(MAIL_ERRORS, value) or error(value)}),
    (r"the email could not be prepared: (?P<error>.+)", N_("the email could not be prepared: %(error)s")),
    (r"the worker stopped while sending, on the last attempt",
     N_("the worker stopped while sending, on the last attempt")),
)


def mail_error(value):
    return translate(MAIL_ERRORS, value) or error(value)


REPLY_ERRORS = table(
    (r"(?P<error>.+) \(gave up after (?P<attempts>\d+) attempts over (?P<days>\d+) days\)",
     N_("%(error)s (gave up after %(attempts)s attempts over %(days)s days)"), {"error": error}),
)


def reply_error(value):
    return translate(REPLY_ERRORS, value) or error(value)


RECOVERY_EVIDENCE = table(
    (r"the rating was already raised from (?P<before>\d)★ to (?P<after>\d)★ before the case was resolved",
     N_("the rating was already raised from %(before)s★ to %(after)s★ before the case was resolved")),
    (r"rating raised from (?P<before>\d)★ to (?P<after>\d)★", N_("rating raised from %(before)s★ to %(after)s★")),
    (r"new order #(?P<number>\S+) placed (?P<day>\d{4}-\d\d-\d\d) \((?P<amount>.+)\)",
     N_("new order #%(number)s placed %(day)s (%(amount)s)"), {"day": day, "amount": money}),
    (r"new (?P<rating>\d)★ review of (?P<product>.+)", N_("new %(rating)s★ review of %(product)s")),
    (r"new (?P<rating>\d)★ review", N_("new %(rating)s★ review")),
    (r"answered (?P<score>\d) of 5 to the follow-up", N_("answered %(score)s of 5 to the follow-up")),
    (r"no raised rating, positive review or new order within (?P<days>\d+) days",
     N_("no raised rating, positive review or new order within %(days)s days")),
)

DURATION = table(
    (r"(?P<minutes>\d+) min", "%(minutes)s min"),
    (r"(?P<hours>\d+) h", "%(hours)s h"),
    (r"(?P<days>\d+) d (?P<hours>\d+) h", "%(days)s d %(hours)s h"),
    (r"(?P<days>\d+) d", "%(days)s d"),
)
CLOCK = {"clock": labels(CLOCK_LABELS), "duration": sentence(DURATION)}
COUNTDOWN = table(
    (r"(?P<clock>.+) met", "%(clock)s met", CLOCK),
    (r"(?P<clock>.+) overdue by (?P<duration>.+)", "%(clock)s overdue by %(duration)s", CLOCK),
    (r"(?P<clock>.+) due in (?P<duration>.+)", "%(clock)s due in %(duration)s", CLOCK),
)

EMAIL = {"label": labels(EMAIL_KIND_LABELS)}
STATUSES = {"before": labels(STATUS_LABELS), "after": labels(STATUS_LABELS)}
LINKED = {"method": labels(LINK_METHOD_LABELS)}

BY_KIND = {
    "opened": table(
        (r"Case opened from a review: (?P<reason>.+?)\. (?P<detection>(?:Detected|No complaint).+)",
         N_("Case opened from a review: %(reason)s. %(detection)s"),
         {"reason": sentence(OPENING_REASONS), "detection": sentence(DETECTION)}),
        (r"Complaint entered by hand \((?P<channel>\w+)\)\. (?P<detection>.+)",
         N_("Complaint entered by hand (%(channel)s). %(detection)s"),
         {"channel": codes(CHANNEL_LABELS), "detection": sentence(DETECTION)}),
    ),
    "order_linked": table(
        (r"Linked to an order automatically by (?P<method>.+) \(confidence (?P<confidence>\d+%)\)",
         N_("Linked to an order automatically by %(method)s (confidence %(confidence)s)"), LINKED),
        (r"Linked to an order that arrived later, by (?P<method>.+) \(confidence (?P<confidence>\d+%)\)",
         N_("Linked to an order that arrived later, by %(method)s (confidence %(confidence)s)"), LINKED),
        (r"Linked by hand to order #(?P<number>.+)", N_("Linked by hand to order #%(number)s")),
        (r"Order link removed", N_("Order link removed")),
    ),
    "status": table((r"Status: (?P<before>.+) → (?P<after>.+)", N_("Status: %(before)s → %(after)s"), STATUSES)),
    "assigned": table((r"Unassigned", N_("Unassigned")), (r"Assigned to (?P<name>.+)", N_("Assigned to %(name)s"))),
    "cause": table((r"Causes set by hand: (?P<causes>.+) \(main: (?P<main>.+)\)",
                    N_("Causes set by hand: %(causes)s (main: %(main)s)"),
                    {"causes": label_list(CAUSES), "main": labels(CAUSES)})),
    "review_edited": table(
        (r"The customer edited the review: (?P<before>\d)★ → (?P<after>\d)★ and changed the text\.(?P<detection> .+)?",
         N_("The customer edited the review: %(before)s★ → %(after)s★ and changed the text.%(detection)s"),
         {"detection": after_space(DETECTION)}),
        (r"The customer edited the review: (?P<before>\d)★ → (?P<after>\d)★\.",
         N_("The customer edited the review: %(before)s★ → %(after)s★.")),
    ),
    "review_removed": table(
        (r"The review was moved to trash in WordPress\. CrisisDesk keeps it and its history; reviews are never deleted "
         r"here\.",
         N_("The review was moved to trash in WordPress. CrisisDesk keeps it and its history; reviews are never "
            "deleted here.")),
        (r"The review was moved to spam in WordPress\. CrisisDesk keeps it and its history; reviews are never deleted "
         r"here\.",
         N_("The review was moved to spam in WordPress. CrisisDesk keeps it and its history; reviews are never "
            "deleted here.")),
    ),
    "review_restored": table((r"The review was restored in WordPress \((?P<status>\w+)\)\.",
                              N_("The review was restored in WordPress (%(status)s)."),
                              {"status": codes_or_kept(REVIEW_STATUS_LABELS)})),
    "review_status": table((r"Review status changed in WordPress: (?P<before>\w+) → (?P<after>\w+)",
                            N_("Review status changed in WordPress: %(before)s → %(after)s"),
                            {"before": codes_or_kept(REVIEW_STATUS_LABELS),
                             "after": codes_or_kept(REVIEW_STATUS_LABELS)})),
    "compensation_requested": table(
        (r"(?P<what>.+) requested — waits for an owner's approval",
         N_("%(what)s requested — waits for an owner's approval"), WHAT),
        (r"(?P<what>.+) requested", N_("%(what)s requested"), WHAT),
    ),
    "compensation_approved": table((r"(?P<what>.+) approved", N_("%(what)s approved"), WHAT)),
    "compensation_rejected": table(
        (r"(?P<what>.+?) rejected\.", N_("%(what)s rejected."), WHAT),
        (r"(?P<what>.+?) rejected\. (?P<note>.+)", N_("%(what)s rejected. %(note)s"), WHAT),
    ),
    "compensation_done": table(
        (r"(?P<what>.+?): (?P<how>.+) \(WooCommerce id (?P<id>\d+)\)\.",
         N_("%(what)s: %(how)s (WooCommerce id %(id)s)."),
         {**WHAT, "how": sentence(COMPENSATION_HOW)}),
    ),
    "compensation_failed": table(
        (r"(?P<what>.+?) failed: WooCommerce said “(?P<error>.*)” \((?P<code>[^()]*)\)\. Nothing was paid\.",
         N_("%(what)s failed: WooCommerce said “%(error)s” (%(code)s). Nothing was paid."), WHAT),
    ),
    "compensation_unknown": table(
        (r"(?P<what>.+): WooCommerce did not answer in time\. CrisisDesk will check whether it went through before "
         r"trying again\.",
         N_("%(what)s: WooCommerce did not answer in time. CrisisDesk will check whether it went through before trying "
            "again."), WHAT),
    ),
    "compensation_warning": table(
        (r"Replacement order #(?P<number>.+?) was created, but the note on the original order failed: (?P<error>.*)",
         N_("Replacement order #%(number)s was created, but the note on the original order failed: %(error)s")),
    ),
    "reply_sent": table(
        (r"Reply written, to be sent (?P<where>.+?)\.(?P<missing> Missing 5P steps: .+?\.)?"
         r"(?P<similar> \d+% like reply #\d+ to another customer\.)?",
         N_("Reply written, %(where)s.%(missing)s%(similar)s"),
         {"where": codes(REPLY_WHERE),
          "missing": optional(table((r" Missing 5P steps: (?P<steps>.+)\.", N_(" Missing 5P steps: %(steps)s.")))),
          "similar": optional(table((r" (?P<percent>\d+)% like reply #(?P<reply>\d+) to another customer\.",
                                     N_(" %(percent)s%% like reply #%(reply)s to another customer."))))}),
    ),
    "reply_posted": table((r"Reply posted under the review \(WordPress comment (?P<comment>\d+)\)\.",
                           N_("Reply posted under the review (WordPress comment %(comment)s)."))),
    "resolution_note": table((r"Resolution note written, to be posted under the review\.",
                              N_("Resolution note written, to be posted under the review."))),
    "reply_retry": table(
        (r"WordPress could not take the reply yet \((?P<error>.*)\)\. It is tried again automatically, with the same "
         r"webhook-id, so it is posted once\.",
         N_("WordPress could not take the reply yet (%(error)s). It is tried again automatically, with the same "
            "webhook-id, so it is posted once."), {"error": reply_error}),
    ),
    "reply_failed": table(
        (r"The public reply was not posted: (?P<error>.*)\. Fix the cause and send it again, or answer by email\.",
         N_("The public reply was not posted: %(error)s. Fix the cause and send it again, or answer by email."),
         {"error": reply_error}),
    ),
    "moderation_warning": table(
        (r"The review has awaited moderation in WordPress for more than (?P<hours>\d+) hours\. (?P<why>.+?) Alert "
         r"sent to nobody \(no owner account\)\.",
         N_("The review has awaited moderation in WordPress for more than %(hours)s hours. %(why)s Alert sent to "
            "nobody (no owner account)."), {"why": labels({"why": MODERATION_WHY})}),
        (r"The review has awaited moderation in WordPress for more than (?P<hours>\d+) hours\. (?P<why>.+?) Alert "
         r"sent to (?P<who>.+)\.",
         N_("The review has awaited moderation in WordPress for more than %(hours)s hours. %(why)s Alert sent to "
            "%(who)s."), {"why": labels({"why": MODERATION_WHY})}),
    ),
    "formal_complaint": table(
        (r"Marked as a formal complaint \(reklamacja\) filed (?P<filed>\d{4}-\d\d-\d\d): the answer is due within "
         r"(?P<days>\d+) days, by (?P<due>\d{4}-\d\d-\d\d \d\d:\d\d \([^()]+\))\.",
         N_("Marked as a formal complaint (reklamacja) filed %(filed)s: the answer is due within %(days)s days, by "
            "%(due)s."), {"filed": day, "due": local_moment}),
    ),
    "recovery_paused": table(
        (r"Case reopened: recovery tracking waits for the next resolution, and follow-up emails not sent yet are "
         r"cancelled\.",
         N_("Case reopened: recovery tracking waits for the next resolution, and follow-up emails not sent yet are "
            "cancelled.")),
    ),
    "recovered": table(
        (r"Customer won back \(was: confirmed satisfied\): (?P<evidence>.+)\.",
         N_("Customer won back (was: confirmed satisfied): %(evidence)s."), {"evidence": sentence(RECOVERY_EVIDENCE)}),
        (r"Customer won back: (?P<evidence>.+)\.", N_("Customer won back: %(evidence)s."),
         {"evidence": sentence(RECOVERY_EVIDENCE)}),
        (r"Customer confirmed satisfied: (?P<evidence>.+)\.", N_("Customer confirmed satisfied: %(evidence)s."),
         {"evidence": sentence(RECOVERY_EVIDENCE)}),
    ),
    "satisfaction": table(
        (r"The customer answered the follow-up: (?P<score>\d) of 5\.",
         N_("The customer answered the follow-up: %(score)s of 5.")),
        (r"The customer answered the follow-up: (?P<score>\d) of 5 \(earlier answer: (?P<previous>\d)\)\.",
         N_("The customer answered the follow-up: %(score)s of 5 (earlier answer: %(previous)s).")),
    ),
    "recovery_reverted": table(
        (r"The customer changed the answer to (?P<score>\d) of 5: no longer counted as satisfied\.",
         N_("The customer changed the answer to %(score)s of 5: no longer counted as satisfied.")),
    ),
    "not_recovered": table((r"Recovery window ended: (?P<evidence>.+)\.", N_("Recovery window ended: %(evidence)s."),
                            {"evidence": sentence(RECOVERY_EVIDENCE)})),
    "follow_up_waiting": table(
        (r"The follow-up email waits until the replacement order #(?P<number>.+) is completed\.",
         N_("The follow-up email waits until the replacement order #%(number)s is completed.")),
        (r"The follow-up email waits until the replacement order is completed\.",
         N_("The follow-up email waits until the replacement order is completed.")),
    ),
    "follow_up_skipped": table((r"No follow-up email: (?P<reason>.+)\.", N_("No follow-up email: %(reason)s."),
                                {"reason": sentence(EMAIL_REASONS)})),
    "follow_up_released": table(
        (r"Replacement order #(?P<number>.+?) is (?P<status>[\w-]+): the follow-up email is scheduled from its "
         r"completion\.",
         N_("Replacement order #%(number)s is %(status)s: the follow-up email is scheduled from its completion."),
         {"status": codes_or_kept(ORDER_STATUS_LABELS)}),
    ),
    "email_scheduled": table(
        (r"(?P<label>.+?) to (?P<address>\S+) scheduled for (?P<when>\d{4}-\d\d-\d\d \d\d:\d\d \([^()]+\))\. "
         r"(?P<purpose>.+)",
         N_("%(label)s to %(address)s scheduled for %(when)s. %(purpose)s"),
         {**EMAIL, "when": local_moment, "purpose": sentence(EMAIL_PURPOSES)}),
        (r"(?P<label>.+?) to (?P<address>\S+) scheduled\. (?P<purpose>.+) Not sent: the address asked for no more "
         r"emails\.",
         N_("%(label)s to %(address)s scheduled. %(purpose)s Not sent: the address asked for no more emails."),
         {**EMAIL, "purpose": sentence(EMAIL_PURPOSES)}),
    ),
    "email_sent": table((r"(?P<label>.+?) sent to (?P<address>\S+)\.", N_("%(label)s sent to %(address)s."), EMAIL)),
    "email_retry": table(
        (r"(?P<label>.+?) to (?P<address>\S+) could not be sent \((?P<error>.*)\)\. Trying again at "
         r"(?P<when>\d{4}-\d\d-\d\d \d\d:\d\d \([^()]+\))\.",
         N_("%(label)s to %(address)s could not be sent (%(error)s). Trying again at %(when)s."),
         {**EMAIL, "error": mail_error, "when": local_moment}),
        (r"(?P<label>.+?) to (?P<address>\S+): the worker stopped while sending it\. It is sent again \(if the mail "
         r"server had already accepted it, the customer may get it twice\)\.",
         N_("%(label)s to %(address)s: the worker stopped while sending it. It is sent again (if the mail server had "
            "already accepted it, the customer may get it twice)."), EMAIL),
    ),
    "email_failed": table(
        (r"(?P<label>.+?) to (?P<address>\S+) was not delivered: (?P<error>.*)\. It will not be sent again\.",
         N_("%(label)s to %(address)s was not delivered: %(error)s. It will not be sent again."),
         {**EMAIL, "error": mail_error}),
    ),
    "email_cancelled": table(
        (r"(?P<label>.+?) to (?P<address>\S+) cancelled: (?P<reason>.+)\.",
         N_("%(label)s to %(address)s cancelled: %(reason)s."), {**EMAIL, "reason": sentence(EMAIL_REASONS)}),
    ),
    "delay_notice": table(
        (r"Delay notice about order #(?P<number>.+?) written: dispatch now expected by (?P<day>\d{4}-\d\d-\d\d), "
         r"with a goodwill code\.",
         N_("Delay notice about order #%(number)s written: dispatch now expected by %(day)s, with a goodwill code."),
         {"day": day}),
        (r"Delay notice about order #(?P<number>.+?) written: dispatch now expected by (?P<day>\d{4}-\d\d-\d\d)\.",
         N_("Delay notice about order #%(number)s written: dispatch now expected by %(day)s."), {"day": day}),
    ),
    "review_flagged": table(
        (r"Review flagged: (?P<reason>.+)\. It still gets a public answer; the review is kept\.",
         N_("Review flagged: %(reason)s. It still gets a public answer; the review is kept."),
         {"reason": labels(FLAG_REASONS)}),
    ),
    "removal_requested": table(
        (r"Removal requested from (?P<channel>.+)\. It still gets a public answer; the review is kept\.",
         N_("Removal requested from %(channel)s. It still gets a public answer; the review is kept."),
         {"channel": labels(REMOVAL_CHANNELS)}),
    ),
    "removal_outcome": table(
        (r"(?P<channel>.+) granted the removal request\. It still gets a public answer; the review is kept\.",
         N_("%(channel)s granted the removal request. It still gets a public answer; the review is kept."),
         {"channel": labels(REMOVAL_CHANNELS)}),
        (r"(?P<channel>.+) refused the removal request\. It still gets a public answer; the review is kept\.",
         N_("%(channel)s refused the removal request. It still gets a public answer; the review is kept."),
         {"channel": labels(REMOVAL_CHANNELS)}),
    ),
    "remedy_recorded": table(
        (r"Recorded as done: (?P<remedy>.+)\.", N_("Recorded as done: %(remedy)s."),
         {"remedy": labels(REMEDY_KIND_LABELS)}),
        (r"Recorded as planned: (?P<remedy>.+)\.", N_("Recorded as planned: %(remedy)s."),
         {"remedy": labels(REMEDY_KIND_LABELS)}),
    ),
    "remedy_done": table((r"Marked as done: (?P<remedy>.+)\.", N_("Marked as done: %(remedy)s."),
                          {"remedy": labels(REMEDY_KIND_LABELS)})),
    "incident": table(
        (r"Added to incident #(?P<id>\d+): (?P<title>.+)", N_("Added to incident #%(id)s: %(title)s")),
        (r"Removed from incident #(?P<id>\d+): (?P<title>.+)", N_("Removed from incident #%(id)s: %(title)s")),
        (r"Incident #(?P<id>\d+) moved to (?P<phase>.+)", N_("Incident #%(id)s moved to %(phase)s"),
         {"phase": labels(INCIDENT_PHASES)}),
        (r"Incident #(?P<id>\d+) closed\.", N_("Incident #%(id)s closed.")),
        (r"Incident #(?P<id>\d+): update (?P<number>\d+) sent to everyone affected\.",
         N_("Incident #%(id)s: update %(number)s sent to everyone affected.")),
    ),
    "sla": table(
        (r"SLA: (?P<countdown>.+?)\. Escalation level (?P<level>\d+), priority (?P<priority>\w+)\. Alert sent to "
         r"nobody \(no owner account\)\.",
         N_("SLA: %(countdown)s. Escalation level %(level)s, priority %(priority)s. Alert sent to nobody (no owner "
            "account)."), {"countdown": sentence(COUNTDOWN), "priority": codes(LEVEL_LABELS)}),
        (r"SLA: (?P<countdown>.+?)\. Escalation level (?P<level>\d+), priority (?P<priority>\w+)\. Alert sent to "
         r"(?P<who>.+)\.",
         N_("SLA: %(countdown)s. Escalation level %(level)s, priority %(priority)s. Alert sent to %(who)s."),
         {"countdown": sentence(COUNTDOWN), "priority": codes(LEVEL_LABELS)}),
    ),
}


def event_message(event):
    """The event's message in the panel's language; as stored when it is English, a note, or not known here."""
    message = event.message or ""
    if i18n.html_lang() == i18n.DEFAULT_LANGUAGE or event.kind in UNTRANSLATED_KINDS:
        return message
    rows = BY_KIND.get("sla" if (event.kind or "").startswith("sla_") else event.kind)
    return (translate(rows, message) if rows else None) or message


def recovery_evidence(text):
    """A recovery's evidence (shown with the case's emails), translated like the timeline's."""
    if not text or i18n.html_lang() == i18n.DEFAULT_LANGUAGE:
        return text
    return translate(RECOVERY_EVIDENCE, text) or text


def email_reason(text):
    """Why an email was scheduled or cancelled (OutboxEmail.reason / status_note), translated."""
    if not text or i18n.html_lang() == i18n.DEFAULT_LANGUAGE:
        return text
    return translate(EMAIL_PURPOSES, text) or translate(EMAIL_REASONS, text) or text


def init_app(app):
    app.add_template_filter(event_message, "event_message")
    app.add_template_filter(recovery_evidence, "recovery_evidence")
    app.add_template_filter(email_reason, "email_reason")
