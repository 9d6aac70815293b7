"""Whether WooCommerce's own review request may go out (domain.wc_review_request): an open case comes first."""
import pytest

from crisisdesk.domain.wc_review_request import decide


@pytest.mark.parametrize("open_case, opted_out, answer", [
    (False, False, {"send": True}),
    (True, False, {"send": False, "reason": "open_case"}),
    (False, True, {"send": False, "reason": "opted_out"}),
    (True, True, {"send": False, "reason": "open_case"}),
])
def test_it_holds_the_request_for_an_open_case_or_an_opt_out(open_case, opted_out, answer):
    assert decide(open_case=open_case, opted_out=opted_out) == answer
