"""The "Reviews to answer" queue: reviews without a case, each with a short composer (a suggested draft, the
canned-answer warning, Send). A person decides: nothing is posted until an agent presses Send.

Without JavaScript every action is a button of the review's form: "New draft" (in the chosen language) and
"Check" show the queue again with the result (nothing is written), "Send" records the answer. Each review's form
has a prefix of its own, so the page can hold one per review.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, TextAreaField

from crisisdesk.domain import moderation as moderation_rules
from crisisdesk.domain.errors import Conflict, Invalid
from crisisdesk.domain.roles import Role
from crisisdesk.services import answer_queue, moderation_watch
from crisisdesk.services import review_answers as service
from crisisdesk.services.access import visible_shops
from crisisdesk.web.error_texts import panel_message
from crisisdesk.web.i18n import translated
from crisisdesk.web.panel import blueprint
from crisisdesk.web.panel.reply_forms import LANGUAGE_LABELS
from crisisdesk.web.security import current_actor, role_required

ACTIONS = ("draft", "check", "send")  # the buttons, name="action"
# Lower case: they end the sentence "Suggested: …" under the text.
KIND_LABELS = {"thanks": _l("a thank-you"), "suggestion": _l("an answer to a suggestion"),
               "point": _l("an answer to the point made"), "neutral": _l("a thank-you for an honest review")}


class AnswerForm(FlaskForm):
    text = TextAreaField(_l("Public answer"))
    language = SelectField(_l("Language"), choices=[SelectChoice(code, LANGUAGE_LABELS[code])
                                                    for code in service.LANGUAGES])


def form_for(review_id, **values):
    """The answer form of one review: its own prefix, so the queue can hold one per review."""
    return AnswerForm(prefix=f"review-{review_id}", **values)


@blueprint.app_template_global()
def moderation_notice(review, has_case):
    """services.moderation_watch.ModerationState of a review (None when it is not held), for the templates."""
    return moderation_watch.moderation_state(review, has_case)


@blueprint.app_template_global()
def moderation_why():
    """Why a negative review must not stay held (domain/moderation.py), in the panel's language."""
    return translated(moderation_rules.WHY)


@blueprint.get("/reviews", endpoint="review_queue")
@role_required("viewer")
def review_queue():
    return _queue_page()


@blueprint.post("/reviews/<int:review_id>/answer")
@role_required("agent")
def review_answer(review_id):
    review = service.get_review(current_user, review_id, Role.AGENT)
    form = form_for(review.id)
    action = request.form.get("action")
    if not form.validate_on_submit() or action not in ACTIONS:
        return _queue_page({review.id: (form, None)}, 400)
    if action == "draft":
        form.text.data = service.draft_for(current_user, review, form.language.data).text
        return _queue_page({review.id: (form, None)})
    if action == "check":
        return _queue_page({review.id: (form, service.similar_answers(review, form.text.data))})
    try:
        answer, sent = service.send_answer(current_user, review.id, current_actor(), form.text.data,
                                           form.language.data)
    except (Invalid, Conflict) as error:
        form.text.errors.append(panel_message(error.message))
        return _queue_page({review.id: (form, None)}, 400)
    if not sent:
        flash(_("This review already has an answer; it is shown below."), "info")
    else:
        flash(_("The answer is being posted under the review."), "success")
        for similar in answer.similar_to[:1]:
            flash(_("It is %(percent)s%% like your answer to another reviewer: write the next one in your own words.",
                    percent=similar["percent"]), "error")
    return redirect(url_for("panel.review_queue", **_filter_args(), _anchor=f"review-{review.id}"))


def _queue_page(posted=None, status=200):
    """The queue with its filters; `posted` maps a review id to the (form, similar answers) just posted for it."""
    filters = answer_queue.QueueFilters(status=request.args.get("status", "unanswered"),
                                        shop_id=request.args.get("shop", type=int),
                                        rating=request.args.get("rating", type=int),
                                        page=request.args.get("page", 1, type=int))
    page = answer_queue.list_reviews(current_user, filters)
    composers = _composers(page.items, posted or {}) if current_user.can(Role.AGENT) else {}
    return render_template("panel/reviews/queue.html", page=page, filters=filters, composers=composers,
                           status_filters=answer_queue.STATUS_FILTERS, ratings=answer_queue.RATINGS,
                           shops=visible_shops(current_user), kind_labels=KIND_LABELS,
                           filter_args=_filter_args()), status


def _composers(items, posted):
    """A composer per answerable review on the page: the posted form, else a fresh draft, and its check."""
    earlier = service.earlier_answers(sorted({item.review.shop_id for item in items}))
    composers = {}
    for item in items:
        review = item.review
        if item.answer is not None and item.answer.status != "failed":
            continue
        draft = service.draft_for(current_user, review)
        form, similar = posted.get(review.id, (None, None))
        if form is None:
            form = form_for(review.id, formdata=None, text=draft.text, language=draft.language)
        if similar is None and form.text.data:
            similar = service.similar_answers(review, form.text.data, earlier)
        composers[review.id] = {"form": form, "kind": draft.kind, "similar": similar or ()}
    return composers


def _filter_args():
    return {name: request.args[name] for name in ("status", "shop", "rating", "page") if request.args.get(name)}
