"""pytest fixtures for the WooCommerce stand-in.

Import them where needed (`from tests.wc_standin.fixtures import woo  # noqa: F401`) or
from a conftest. `woo` is a started plain-http stand-in (OAuth 1.0a, as WooCommerce over
http); `woo_https` speaks https with a throwaway CA in `woo_https.ca_file` (HTTP Basic).
Both fail the test at teardown if the stand-in itself crashed on a request.
"""
import pytest

from tests.wc_standin.server import WooStandIn


def running(standin):
    """Start `standin`, yield it, stop it, and fail the test if the stand-in failed on a request."""
    standin.start()
    try:
        yield standin
    finally:
        standin.stop()
    assert standin.errors == [], f"the WooCommerce stand-in failed on a request: {standin.errors!r}"


@pytest.fixture
def woo():
    """A started stand-in: `url`, `consumer_key`, `consumer_secret`, `add_order(...)`, `add_review(...)`."""
    yield from running(WooStandIn())


@pytest.fixture
def woo_https(tmp_path):
    """The stand-in over https; clients need `verify=woo_https.ca_file`."""
    yield from running(WooStandIn(tls=True, cert_dir=tmp_path))
