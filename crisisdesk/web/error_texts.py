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
