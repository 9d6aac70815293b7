"""The dependency rule (STYLE.md): web/cli/jobs → services → domain; domain is pure; integrations stand alone."""
import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crisisdesk"

# layer → packages of ours it must never import
FORBIDDEN = {
    "domain": ["crisisdesk.models", "crisisdesk.services", "crisisdesk.web", "crisisdesk.jobs", "crisisdesk.cli",
               "crisisdesk.integrations", "crisisdesk.extensions", "flask", "sqlalchemy", "redis", "rq"],
    "models": ["crisisdesk.services", "crisisdesk.web", "crisisdesk.jobs", "crisisdesk.cli",
               "crisisdesk.integrations", "flask.url_for", "rq"],
    "integrations": ["crisisdesk.services", "crisisdesk.web", "crisisdesk.jobs", "crisisdesk.cli",
                     "crisisdesk.models"],
    "services": ["crisisdesk.web", "crisisdesk.cli", "flask.request", "flask.abort"],
}


def imports_of(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
            yield from (f"{node.module}.{alias.name}" for alias in node.names)


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_it_keeps_each_layer_to_its_allowed_imports(layer):
    offences = []
    for path in sorted((PACKAGE / layer).rglob("*.py")):
        for name in imports_of(path):
            for banned in FORBIDDEN[layer]:
                if name == banned or name.startswith(banned + "."):
                    offences.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert offences == []


def test_it_finds_imports_so_the_rule_above_can_fail():
    views = list(imports_of(PACKAGE / "web" / "panel" / "cases.py"))
    assert "crisisdesk.services" in views or any(n.startswith("crisisdesk.services") for n in views)
