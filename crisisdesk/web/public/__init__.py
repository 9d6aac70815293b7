"""Pages customers reach from our emails, without an account: the one-click satisfaction answer and
unsubscribing. The signed token in the URL is the only authorisation (services/email_links.py).

Whatever is wrong with a token (guessed, altered, expired, for a row that is gone), the answer is the
same neutral 400 page: it names no shop and no address, so a guess learns nothing.

Also a shop's "You said, we did" page (you_said_we_did.py): public by intent, it shows only published notes.
"""
from flask import Blueprint, render_template, request

from crisisdesk.domain.errors import DomainError
from crisisdesk.web.public.texts import LANGUAGES, TEXTS

blueprint = Blueprint("public", __name__)


def page(template, language, status=200, **context):
    """A public page in `language` (English for a language we have no words for), with its strings."""
    language = language if language in TEXTS else "en"
    return render_template(f"public/{template}", lang=language, t=TEXTS[language], **context), status


def visitor_language(default="en"):
    """The browser's preferred language among ours (only for pages that know nothing about the customer)."""
    return request.accept_languages.best_match(LANGUAGES, default=default)


@blueprint.errorhandler(DomainError)
def invalid_link(error):
    return page("invalid.html", visitor_language(), status=400)


@blueprint.after_request
def private_page(response):
    # The URL holds a token: never send it on as a Referer (the review link leaves our site), and
    # keep these pages out of search engines. The app's security headers are added after this.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


from crisisdesk.web.public import routes, you_said_we_did  # noqa: E402,F401  (routes register on import)
