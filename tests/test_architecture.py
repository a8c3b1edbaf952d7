"""The shape of the code (docs/architecture.md): imports flow one way between the apps, no app
reaches into another's private names, and access rules live in csp_tracker/permissions.py.

These read the source, so that a rule broken by a new module fails here rather than in review.
"""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["csp_tracker", "plans", "actions", "meetings", "reports", "about", "accounts"]
#: What each app may import from the others: data flows plans ← actions ← meetings, reports.
MAY_IMPORT = {
    "plans": {"csp_tracker"},
    "actions": {"csp_tracker", "plans"},
    "meetings": {"csp_tracker", "plans", "actions"},
    "reports": {"csp_tracker", "plans", "actions", "meetings"},
    "about": {"csp_tracker"},  # the service's own pages: no partnership's data
    # Sign-in knows the shared machinery and permissions only; no app imports it.
    "accounts": {"csp_tracker"},
}


def modules():
    """Every Python module of the apps except migrations, as (dotted name, parsed tree)."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            yield name.removesuffix(".__init__"), ast.parse(path.read_text(), str(path))


def imports(tree):
    """(module imported, names taken from it, line) for each import statement."""
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module, [alias.name for alias in node.names], node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno


def top(name: str) -> str:
    return name.split(".")[0]


ALL = list(modules())


def test_the_walk_finds_the_apps():
    names = {name for name, _ in ALL}
    assert {"csp_tracker.permissions", "plans.models", "actions.services"} <= names
    assert len(names) > 60


@pytest.mark.parametrize("name, tree", ALL, ids=[name for name, _ in ALL])
def test_no_app_imports_another_apps_private_name(name, tree):
    taken = [
        f"line {line}: {module}.{private}"
        for module, names, line in imports(tree)
        if top(module) in PACKAGES and top(module) != top(name)
        for private in names
        if private.startswith("_")
    ]
    aliases = {
        alias.asname or alias.name: node.module
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and top(node.module) in PACKAGES
        for alias in node.names
    }
    reached = [
        f"line {node.lineno}: {aliases[node.value.id]}.{node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in aliases
        and top(aliases[node.value.id]) != top(name)
        and node.attr.startswith("_")
        and not node.attr.startswith("__")
    ]
    assert taken + reached == []


@pytest.mark.parametrize("name, tree", ALL, ids=[name for name, _ in ALL])
def test_imports_flow_one_way_between_the_apps(name, tree):
    app = top(name)
    allowed = MAY_IMPORT.get(app, set(PACKAGES)) | {app}
    if name == "csp_tracker.permissions":
        allowed = {"csp_tracker", "plans"}
    wrong = [
        f"line {line}: {module}"
        for module, _, line in imports(tree)
        if top(module) in PACKAGES and top(module) not in allowed
    ]
    # csp_tracker's shared machinery knows no app; only its urls and permissions name them.
    if app == "csp_tracker" and name not in {"csp_tracker.urls", "csp_tracker.permissions"}:
        wrong += [
            f"line {line}: {module}"
            for module, _, line in imports(tree)
            if top(module) in PACKAGES and top(module) != "csp_tracker"
        ]
    assert wrong == []


def test_nothing_imports_reports():
    importers = sorted(
        name
        for name, tree in ALL
        if top(name) != "reports"
        for module, _, _ in imports(tree)
        if top(module) == "reports"
    )
    assert importers == []


#: What decides access, written outside permissions.py, is a rule hiding from its tests.
ACCESS_WORDS = [
    "is_superuser",
    "AnonymousUser",
    "sees_restricted",
    "published_at__isnull",
    "restricted=False",
    "Role.COORDINATOR",
    "Role.OFFICER",
    "Role.BOARD",
    "Role.COUNCILLOR",
]
#: Where those words are data, not a decision: the models that define the fields, the service
#: that grants a membership, the seeds and demo users that create them, the admin's own forms.
NOT_RULES = {
    "csp_tracker.permissions",
    "plans.models.partnerships",
    "plans.services",
    "plans.demo",
    "plans.admin",
    "meetings.services",
}


@pytest.mark.parametrize("name, tree", ALL, ids=[name for name, _ in ALL])
def test_access_is_decided_in_permissions_only(name, tree):
    if name in NOT_RULES:
        return
    source = ast.unparse(tree)
    assert [word for word in ACCESS_WORDS if word in source] == []


@pytest.mark.parametrize(
    "package",
    ["actions", "meetings", "plans", "reports", "about", "accounts"],
    ids=lambda package: package,
)
def test_views_of_each_app_are_served_under_its_own_namespace(package):
    from django.urls import get_resolver

    namespaced = get_resolver().namespace_dict
    resolver = namespaced[package][1]
    owners = {
        pattern.callback.__module__
        for pattern in resolver.url_patterns
        if getattr(pattern, "callback", None)
    }
    assert {top(owner) for owner in owners} == {package}
