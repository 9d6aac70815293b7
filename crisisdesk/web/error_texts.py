"""Sentences the services write in English, in the panel's language, translated at display time.

Services raise English DomainError messages and compute English priority reasons (they also answer the JSON
API, the CLI, the jobs and the staff emails, and stay free of Flask); the panel shows them in the user's
language through this table. Each pattern's named groups fill the translation's placeholders. Other text is
looked up in the catalogue as it is (labels marked with N_()), else shown unchanged.
"""
import re

from flask_babel import gettext

from crisisdesk.domain.texts import N_

MESSAGES = [
    # accounts
    (r"the password must have at least (?P<count>\d+) characters",
     N_("the password must have at least %(count)s characters")),
    (r"the password must not be the email address", N_("the password must not be the email address")),
    (r"the password is too repetitive", N_("the password is too repetitive")),
    (r"a user with the email (?P<email>.+) already exists", N_("a user with the email %(email)s already exists")),
    (r"the last owner cannot be demoted", N_("the last owner cannot be demoted")),
    (r"too many failed logins; try again in (?P<minutes>\d+) minutes",
     N_("too many failed logins; try again in %(minutes)s minutes")),
    (r"not a valid email address: (?P<detail>.+)", N_("not a valid email address: %(detail)s")),
    # cases
    (r"that person cannot work on this shop's cases", N_("that person cannot work on this shop's cases")),
    (r"the note is empty", N_("the note is empty")),
    (r"choose at least one cause", N_("choose at least one cause")),
    (r"no such order in this shop", N_("no such order in this shop")),
    (r"describe the complaint", N_("describe the complaint")),
    (r"no order #(?P<number>\S+) in (?P<shop>.+)", N_("no order #%(number)s in %(shop)s")),
    # unfair or fake reviews (services/review_flags.py)
    (r"choose one of the documented reasons", N_("choose one of the documented reasons")),
    (r"say why the review is unfair", N_("say why the review is unfair")),
    (r"the explanation is longer than (?P<count>\d+) characters",
     N_("the explanation is longer than %(count)s characters")),
    (r"choose where the removal was requested", N_("choose where the removal was requested")),
    (r"write what was asked of the platform", N_("write what was asked of the platform")),
    (r"the request is longer than (?P<count>\d+) characters", N_("the request is longer than %(count)s characters")),
    (r"a removal request is already logged for this flag; flag the review again to ask another platform",
     N_("a removal request is already logged for this flag; flag the review again to ask another platform")),
    (r"the outcome is granted or refused", N_("the outcome is granted or refused")),
    (r"no pending removal request on this flag", N_("no pending removal request on this flag")),
    (r"only a review can be flagged; this complaint was entered by hand",
     N_("only a review can be flagged; this complaint was entered by hand")),
    # what was fixed (services/case_remedies.py); the form messages also come from services/replies.py
    (r"choose what was done", N_("choose what was done")),
    (r"choose whether it is done or planned", N_("choose whether it is done or planned")),
    (r"describe what was done", N_("describe what was done")),
    (r"the description is longer than (?P<count>\d+) characters",
     N_("the description is longer than %(count)s characters")),
    (r"the form expired; open the case again", N_("the form expired; open the case again")),
    (r"this form was already used for another case; open the case again",
     N_("this form was already used for another case; open the case again")),
    # the improvement log (services/improvements.py)
    (r"no such improvement", N_("no such improvement")),
    (r"give the change a title", N_("give the change a title")),
    (r"the title is longer than (?P<count>\d+) characters", N_("the title is longer than %(count)s characters")),
    (r"choose one of the areas", N_("choose one of the areas")),
    (r"describe what changed", N_("describe what changed")),
    (r"give the day the change took effect", N_("give the day the change took effect")),
    (r"log a change once it has taken effect: the day is in the future",
     N_("log a change once it has taken effect: the day is in the future")),
    (r"choose causes from the list", N_("choose causes from the list")),
    (r"choose products of this shop", N_("choose products of this shop")),
    (r"choose at least one cause or product, so that the effect can be measured",
     N_("choose at least one cause or product, so that the effect can be measured")),
    (r"not a case number: (?P<text>.+)", N_("not a case number: %(text)s")),
    (r"link at most (?P<count>\d+) cases", N_("link at most %(count)s cases")),
    (r"no case #(?P<number>\d+) in this shop", N_("no case #%(number)s in this shop")),
    (r"the public note is longer than (?P<count>\d+) characters",
     N_("the public note is longer than %(count)s characters")),
    (r"withdraw the published note before emptying it", N_("withdraw the published note before emptying it")),
    (r"a public note must not contain an email address", N_("a public note must not contain an email address")),
    (r"a public note must not contain a phone number", N_("a public note must not contain a phone number")),
    (r"a public note must not name a customer", N_("a public note must not name a customer")),
    (r"write a public note before publishing it", N_("write a public note before publishing it")),
    # replies
    (r"A resolution note can be posted once the case is resolved\.",
     N_("A resolution note can be posted once the case is resolved.")),
    (r"the note is longer than (?P<count>\d+) characters", N_("the note is longer than %(count)s characters")),
    (r"a public note must not name the order number", N_("a public note must not name the order number")),
    (r"a public note must not name an amount", N_("a public note must not name an amount")),
    (r"the reply is empty", N_("the reply is empty")),
    (r"There is no email address for this customer\.", N_("There is no email address for this customer.")),
    (r"(?P<email>\S+) asked for no more emails from this shop; it cannot be emailed\.",
     N_("%(email)s asked for no more emails from this shop; it cannot be emailed.")),
    (r"This complaint did not come from a review: it can only be answered by email\.",
     N_("This complaint did not come from a review: it can only be answered by email.")),
    (r"The review was trashed or marked as spam in WordPress: answer by email\.",
     N_("The review was trashed or marked as spam in WordPress: answer by email.")),
    # answers to reviews without a case (services/review_answers.py, services/answer_queue.py)
    (r"This review has a case: answer it on the case page\.",
     N_("This review has a case: answer it on the case page.")),
    (r"The review was trashed or marked as spam in WordPress: there is nothing to answer under\.",
     N_("The review was trashed or marked as spam in WordPress: there is nothing to answer under.")),
    (r"the answer is empty", N_("the answer is empty")),
    (r"the answer is longer than (?P<count>\d+) characters", N_("the answer is longer than %(count)s characters")),
    (r"unknown answer filter", N_("unknown answer filter")),
    (r"the rating is a number of stars from 1 to 5", N_("the rating is a number of stars from 1 to 5")),
    (r"no such review", N_("no such review")),
    # compensation
    (r"enter an amount such as 12\.50", N_("enter an amount such as 12.50")),
    (r"the amount must be more than zero", N_("the amount must be more than zero")),
    (r"use at most two decimals", N_("use at most two decimals")),
    (r"at most (?P<amount>\S+) can still be refunded on this order",
     N_("at most %(amount)s can still be refunded on this order")),
    (r"a percent code is a whole number from 1 to (?P<most>\d+)",
     N_("a percent code is a whole number from 1 to %(most)s")),
    (r"the form expired; open it again", N_("the form expired; open it again")),
    (r"the form was incomplete; nothing was recorded", N_("the form was incomplete; nothing was recorded")),
    (r"this compensation is no longer waiting for approval", N_("this compensation is no longer waiting for approval")),
    (r"the order has no items to replace", N_("the order has no items to replace")),
    (r"link the case to an order first", N_("link the case to an order first")),
    # shops
    (r"the shop needs a name", N_("the shop needs a name")),
    (r"the shop URL must start with http:// or https://", N_("the shop URL must start with http:// or https://")),
    (r"unknown time zone '(?P<name>.+)'", N_("unknown time zone '%(name)s'")),
    (r"must be a whole number from (?P<least>\d+) to (?P<most>\d+)",
     N_("must be a whole number from %(least)s to %(most)s")),
    (r"must be longer than the follow-up and reminder delays together",
     N_("must be longer than the follow-up and reminder delays together")),
    (r"a WooCommerce consumer key starts with ck_", N_("a WooCommerce consumer key starts with ck_")),
    (r"a WooCommerce consumer secret starts with cs_", N_("a WooCommerce consumer secret starts with cs_")),
    (r"Connected to (?P<url>\S+): the keys work\.", N_("Connected to %(url)s: the keys work.")),
    (r"a backfill of this shop is already queued or running", N_("a backfill of this shop is already queued or running")),
    # priority reasons (domain/priority.py; stored on the case)
    (r"complaint entered by hand", N_("complaint entered by hand")),
    (r"(?P<rating>\d)★ review", N_("%(rating)s★ review")),
    (r"order value (?P<amount>.+)", N_("order value %(amount)s")),
    (r"repeat buyer", N_("repeat buyer")),
    (r"public review", N_("public review")),
    (r"Lost package", N_("Lost package")),
    (r"SLA escalation level (?P<level>\d+)", N_("SLA escalation level %(level)s")),
    (r"(?P<count>\d+) causes", N_("%(count)s causes")),
    # incidents (services/incidents.py, services/incident_broadcasts.py, domain/incidents.py)
    (r"no such incident", N_("no such incident")),
    (r"no such alert", N_("no such alert")),
    (r"the incident is closed", N_("the incident is closed")),
    (r"close the incident with its retrospective", N_("close the incident with its retrospective")),
    (r"unknown phase", N_("unknown phase")),
    (r"an incident cannot go from (?P<before>.+) to (?P<after>.+)",
     N_("an incident cannot go from %(before)s to %(after)s")),
    (r"unknown cause", N_("unknown cause")),
    (r"this is required", N_("this is required")),
    (r"the text is longer than (?P<count>\d+) characters", N_("the text is longer than %(count)s characters")),
    (r"fill in or remove the parts in \[brackets\]", N_("fill in or remove the parts in [brackets]")),
    (r"the alert belongs to another shop", N_("the alert belongs to another shop")),
    (r"no such product in this shop", N_("no such product in this shop")),
    (r"choose at least one case", N_("choose at least one case")),
    (r"case #(?P<case>\d+) is already part of incident #(?P<incident>\d+)",
     N_("case #%(case)s is already part of incident #%(incident)s")),
    (r"one of these cases was just added to an incident by someone else; look again",
     N_("one of these cases was just added to an incident by someone else; look again")),
    (r"that case is not part of this incident", N_("that case is not part of this incident")),
    (r"only a security or fraud incident has the security checklist",
     N_("only a security or fraud incident has the security checklist")),
    (r"unknown checklist step", N_("unknown checklist step")),
    (r"someone else changed the checklist at the same time; look again",
     N_("someone else changed the checklist at the same time; look again")),
    (r"another update was sent meanwhile; look at the incident again",
     N_("another update was sent meanwhile; look at the incident again")),
    (r"no customer of this incident has an email address", N_("no customer of this incident has an email address")),
    # at-risk orders and delay notices (services/at_risk_orders.py, services/delay_notices.py, domain/delay_notices.py)
    (r"no such at-risk order", N_("no such at-risk order")),
    (r"say why this order needs no delay notice", N_("say why this order needs no delay notice")),
    (r"the reason is longer than (?P<count>\d+) characters", N_("the reason is longer than %(count)s characters")),
    (r"this order was already notified", N_("this order was already notified")),
    (r"this order was already dismissed", N_("this order was already dismissed")),
    (r"this order was already cleared", N_("this order was already cleared")),
    (r"must be a whole number of hours from (?P<least>\d+) to (?P<most>\d+)",
     N_("must be a whole number of hours from %(least)s to %(most)s")),
    (r"the customer's personal data was erased: there is nobody to write to",
     N_("the customer's personal data was erased: there is nobody to write to")),
    (r"the order's address “(?P<email>.*)” is not one we can write to",
     N_("the order's address “%(email)s” is not one we can write to")),
    (r"this address asked for no more emails from the shop \(it opted out, or its mail server refused our mail\), so "
     r"no notice can be sent",
     N_("this address asked for no more emails from the shop (it opted out, or its mail server refused our mail), so "
        "no notice can be sent")),
    (r"order #(?P<number>\S+) has moved on \((?P<status>[^()]+)\): no notice is needed",
     N_("order #%(number)s has moved on (%(status)s): no notice is needed")),
    (r"choose one of pl, en, lv", N_("choose one of pl, en, lv")),
    (r"a code is created in WooCommerce: the shop's WooCommerce API keys are needed first \(Shops → Settings\)",
     N_("a code is created in WooCommerce: the shop's WooCommerce API keys are needed first (Shops → Settings)")),
    (r"enter the date you now expect to dispatch the order", N_("enter the date you now expect to dispatch the order")),
    (r"the new dispatch date is in the past", N_("the new dispatch date is in the past")),
    (r"the new dispatch date is more than (?P<days>\d+) days away: cancel the order instead",
     N_("the new dispatch date is more than %(days)s days away: cancel the order instead")),
    (r"the notice is empty", N_("the notice is empty")),
    (r"the notice is longer than (?P<count>\d+) characters", N_("the notice is longer than %(count)s characters")),
    (r"the notice must name the new dispatch date \((?P<day>.+)\)",
     N_("the notice must name the new dispatch date (%(day)s)")),
    (r"a delay notice never asks for a review or a rating", N_("a delay notice never asks for a review or a rating")),
    (r"a goodwill code may be worth at most the shop's approval threshold \((?P<amount>[^()]+)\); a larger one "
     r"needs a case and an owner's approval",
     N_("a goodwill code may be worth at most the shop's approval threshold (%(amount)s); a larger one needs a case "
        "and an owner's approval")),
    (r"a fixed code may be worth up to the order's total \((?P<amount>[^()]+)\)",
     N_("a fixed code may be worth up to the order's total (%(amount)s)")),
    # privacy requests and the retention period (domain/personal_data.py, domain/retention.py)
    (r"email is required: the customer's email address", N_("email is required: the customer's email address")),
    (r"email must be one email address, such as anna@example\.com",
     N_("email must be one email address, such as anna@example.com")),
    (r"must be a whole number of months from (?P<least>\d+) to (?P<most>\d+), or empty to keep cases forever",
     N_("must be a whole number of months from %(least)s to %(most)s, or empty to keep cases forever")),
    # generic answers (error pages)
    (r"The CSRF token is missing\.", N_("The CSRF token is missing.")),
    (r"The CSRF token is invalid\.", N_("The CSRF token is invalid.")),
    (r"The CSRF token has expired\.", N_("The CSRF token has expired.")),
    # werkzeug's own descriptions (the same English text, so English pages do not change)
    (r"The requested URL was not found on the server\. If you entered the URL manually please check your "
     r"spelling and try again\.",
     N_("The requested URL was not found on the server. If you entered the URL manually please check your "
        "spelling and try again.")),
    (r"The browser \(or proxy\) sent a request that this server could not understand\.",
     N_("The browser (or proxy) sent a request that this server could not understand.")),
    (r"The method is not allowed for the requested URL\.", N_("The method is not allowed for the requested URL.")),
    (r"no such case", N_("no such case")),
    (r"no such shop", N_("no such shop")),
]
_COMPILED = [(re.compile(pattern), text) for pattern, text in MESSAGES]


def panel_message(message):
    """`message` in the panel's language when it is a known one, else unchanged."""
    for pattern, text in _COMPILED:
        match = pattern.fullmatch(message or "")
        if match:
            return gettext(text, **match.groupdict())
    return gettext(message) if message else message
