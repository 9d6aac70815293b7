"""GET /s/<shop id>/you-said-we-did: a shop's published improvement notes (EXTRACT §11: announce publicly the
changes made because of feedback), for the shop to link from its own site. No login: it shows the published
notes and their dates only, never a case, a product, a customer or who wrote them, in the shop's language.

A shop that has published nothing answers 404 like one that does not exist, so the page tells nobody which
shops use CrisisDesk.
"""
from babel.dates import format_date
from flask import abort

from crisisdesk.services.improvements import published_notes
from crisisdesk.web.public import blueprint, page
from crisisdesk.web.public.texts import TEXTS

PATH = "/s/<int:shop_id>/you-said-we-did"


@blueprint.get(PATH)
def you_said_we_did(shop_id):
    found = published_notes(shop_id)
    if found is None:
        abort(404)
    shop, notes = found
    language = shop.language if shop.language in TEXTS else "en"
    shown = [(format_date(note.made_on, "long", locale=language), note.public_note) for note in notes]
    return page("you_said_we_did.html", language, shop_name=shop.name, notes=shown)
