import pytest

from tests.e2e.system import embedded_environment


@pytest.fixture
def embedded_env(tmp_path):
    """The environment of a fresh checkout: no database or Redis configured, a private instance folder."""
    return embedded_environment(tmp_path)
