"""The improvement log, "you said, we did" (EXTRACT §7 "effect of the fixes made", §11 "announce publicly the
changes made because of feedback"): a change the shop made because of feedback, in one area of the business.

The areas follow the seeds' cause → root-cause fix table (EXTRACT §4.3), plus the product page (§4.4: say
whether the description will be fixed, make pricing clearer) and returns (§4.1: optimise returns).
"""
import re

from crisisdesk.domain.texts import N_

AREAS = {
    "logistics": N_("Logistics and delivery"),
    "quality_control": N_("Quality control"),
    "support_hours": N_("Support hours and staff"),
    "product_page": N_("Product page"),
    "stock": N_("Stock"),
    "site_usability": N_("Site usability"),
    "staff_training": N_("Staff training"),
    "security": N_("Security"),
    "returns": N_("Returns and refunds"),
    "other": N_("Other"),
}
TITLE_MAX = 200
DESCRIPTION_MAX = 2000
PUBLIC_NOTE_MAX = 500  # a short note, not a press release
CASES_MAX = 50  # the cases that prompted one change; more is a trend, which the causes already say

CASE_NUMBER = re.compile(r"#?(\d{1,9})")
# What must never reach the public page: an email address or a phone-like run of digits.
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"(?:\+?\d[\s-]?){9,}")


def case_numbers(text):
    """(the case numbers in "12, #15 31", in order and each once; the pieces that are not case numbers)."""
    numbers, rejected = [], []
    for piece in re.split(r"[\s,;]+", text or ""):
        if not piece:
            continue
        match = CASE_NUMBER.fullmatch(piece)
        if match is None:
            rejected.append(piece)
        elif int(match.group(1)) not in numbers:
            numbers.append(int(match.group(1)))
    return numbers, rejected


def public_note_problem(text, names=()):
    """Why `text` may not be published (it names a person, an address or a phone number), or None.

    `names`: the names of the customers of the linked cases; a whole-word match of any of them is refused.
    """
    if EMAIL.search(text):
        return "a public note must not contain an email address"
    if PHONE.search(text):
        return "a public note must not contain a phone number"
    for name in sorted({n.strip() for n in names if n and len(n.strip()) >= 2}, key=len, reverse=True):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, re.IGNORECASE):
            return "a public note must not name a customer"
    return None
