"""Every user action is proven across two devices in both faces, or this table fails.

A crossing test drives one action of :class:`trustvault.actions.Actions` through a face (``cli``:
``trustvault-cli`` on two real vaults and a real folder; ``app``: two app windows driven through
their buttons) and asserts what the *partner's* device shows after sync. It says so with
``@pytest.mark.crossing("share", face="cli")``. This test reads every test file's decorators
(with :mod:`ast`, so nothing is imported) and lists each public action that lacks either face.
"""

import ast
import inspect
from pathlib import Path

import pytest

from trustvault.actions import Actions

TESTS = Path(__file__).resolve().parent
FACES = ("cli", "app")

NOT_ACTIONS = {
    "close": "ends the session; every crossing test closes its vaults",
    "exists": "a question about a folder, not an action",
    "open_with_key": "the step under open_remembered (the key comes from the keychain)",
    "remembers_key": "a question the faces ask after remember_key",
}


APP_ONLY = {
    "keep_draft": "an open editor's text kept when the app locks; the CLI writes an entry in one"
    " command and has no editor to lock",
    "discard_draft": 'answers the app\'s "you were writing…" after an unlock; the CLI keeps none',
}
"""Actions that only one face has, with the reason: they need their crossing in that face only."""


def public_actions() -> set[str]:
    return {
        name
        for name, member in inspect.getmembers(Actions)
        if not name.startswith("_") and callable(member)
    } - set(NOT_ACTIONS)


def crossings_in(source: str) -> set[tuple[str, str]]:
    """The (action, face) pairs of every ``pytest.mark.crossing(...)`` in a test module."""
    found: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call) or _dotted(node.func) not in (
            "pytest.mark.crossing",
            "mark.crossing",
        ):
            continue
        face = next((k.value for k in node.keywords if k.arg == "face"), None)
        if not (isinstance(face, ast.Constant) and isinstance(face.value, str)):
            continue
        for arg in node.args:
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add((arg.value, face.value))
    return found


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return node.id if isinstance(node, ast.Name) else ""


def all_crossings() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in TESTS.rglob("test_*.py"):
        if path.resolve() != Path(__file__).resolve():
            found |= crossings_in(path.read_text(encoding="utf-8"))
    return found


@pytest.mark.parametrize("face", FACES)
def test_every_action_crosses_in_each_face(face: str) -> None:
    covered = {action for action, f in all_crossings() if f == face}
    needed = public_actions() - (set(APP_ONLY) if face != "app" else set())
    assert sorted(needed - covered) == [], f"actions without a {face} crossing test"


def test_crossings_name_real_actions_and_faces() -> None:
    for action, face in all_crossings():
        assert action in public_actions(), f"crossing test for unknown action {action!r}"
        assert face in FACES, f"crossing test for unknown face {face!r}"


def test_the_detector_reads_markers() -> None:
    source = (
        "import pytest\n"
        "@pytest.mark.crossing('share', 'share_again', face='cli')\n"
        "def test_a(): ...\n"
        "@pytest.mark.crossing('withdraw', face='app')\n"
        "def test_b(): ...\n"
        "@pytest.mark.slow\n"
        "def test_c(): ...\n"
    )
    assert crossings_in(source) == {("share", "cli"), ("share_again", "cli"), ("withdraw", "app")}


def test_the_table_knows_the_door() -> None:
    """A new public method on Actions appears here and so needs its crossing tests."""
    assert {"add", "edit", "share", "withdraw", "accept", "sync", "invite"} <= public_actions()
    assert not set(NOT_ACTIONS) & public_actions()
    assert set(APP_ONLY) <= public_actions()
