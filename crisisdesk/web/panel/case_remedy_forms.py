"""Forms for a case's remedies (what was fixed, changed or offered without money), beside their routes."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField

from crisisdesk.domain.remedies import KIND_LABELS, KIND_STEPS, STATUS_LABELS, STEP_LABELS

# Grouped by 5P step, in the steps' order (an <optgroup> each).
KIND_CHOICES = [SelectChoice(kind, _l(KIND_LABELS[kind]), optgroup=_l(STEP_LABELS[step]))
                for step in STEP_LABELS for kind in KIND_LABELS if KIND_STEPS[kind] == step]


class RemedyForm(FlaskForm):
    # The service checks every field (errors in the panel's language through web/error_texts.py).
    kind = SelectField(_l("What was done"), id="remedy-kind", choices=KIND_CHOICES)
    status = SelectField(_l("Status"), id="remedy-status",
                         choices=[SelectChoice(s, _l(label)) for s, label in STATUS_LABELS.items()])
    description = TextAreaField(_l("Details for the team"), id="remedy-description")
    idempotency_key = HiddenField()  # one per opened case page: a double click records once


class MarkDoneForm(FlaskForm):
    """Marks a planned remedy done: only the CSRF token."""
