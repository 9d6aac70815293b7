"""Root-cause fixes to suggest for each complaint cause (domain/causes.py), from the seeds where they have one.

The seeds' cause → root-cause fix table (EXTRACT §4.3) names areas, not our causes, so each fix below says where
it comes from: the §4.3 row it is, another section of the seeds, or `from_seeds=False` where the seeds are silent
and the suggestion is ours. Each fix belongs to one improvement area (domain/improvements.py), so "Log an
improvement" can start the form with the cause and the area filled in.
"""
from dataclasses import dataclass

from crisisdesk.domain.texts import N_


@dataclass(frozen=True)
class Fix:
    key: str
    area: str  # a key of domain.improvements.AREAS
    text: str  # marked with N_, translated where shown
    from_seeds: bool
    source: str  # where in the seeds (EXTRACT.md), "" when the suggestion is ours


FIXES = {fix.key: fix for fix in (
    Fix("optimise_logistics", "logistics", N_("Optimise the logistics processes"), True, "§4.3"),
    Fix("announce_delays", "logistics",
        N_("Give tracking numbers and tell customers about delays before they ask"), True, "§11"),
    Fix("stricter_quality_control", "quality_control",
        N_("Stricter quality control; test products before launch"), True, "§4.3"),
    Fix("protective_packing", "logistics", N_("Pack parcels so that they survive the journey"), False, ""),
    Fix("correct_product_pages", "product_page", N_("Correct the product descriptions and photos"), True, "§4.4"),
    Fix("check_orders_before_dispatch", "logistics",
        N_("Check each parcel against its order before it is sent"), False, ""),
    Fix("supervise_stock", "stock", N_("Closer supervision of stock"), True, "§4.3"),
    Fix("optimise_returns", "returns", N_("Optimise the returns procedure"), True, "§4.1"),
    Fix("clear_pricing", "product_page",
        N_("Make pricing clear: show every cost, delivery too, before checkout"), True, "§4.4"),
    Fix("longer_support_hours", "support_hours",
        N_("Longer support hours and more staff; a chat on the site"), True, "§4.3"),
    Fix("staff_training", "staff_training", N_("Staff training"), True, "§4.3"),
    Fix("security_information", "security",
        N_("Security certificates and information on data protection"), True, "§4.3"),
    Fix("redesign_navigation", "site_usability", N_("Redesign the site's navigation"), True, "§4.3"),
)}

CAUSE_FIXES = {
    "late_delivery": ("optimise_logistics", "announce_delays"),
    "damaged_or_defective": ("stricter_quality_control", "protective_packing"),
    "wrong_or_missing_item": ("correct_product_pages", "check_orders_before_dispatch", "supervise_stock"),
    "refund_or_payment": ("optimise_returns",),
    "price_or_hidden_fees": ("clear_pricing",),
    "customer_service": ("longer_support_hours", "staff_training"),
    "security_or_fraud": ("security_information",),
    "other": ("redesign_navigation",),
}


def fixes_for(cause):
    """The suggested fixes of a cause, most direct first; none for a cause this table does not know."""
    return [FIXES[key] for key in CAUSE_FIXES.get(cause, ())]
