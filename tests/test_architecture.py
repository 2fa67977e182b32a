"""The import rules as checks that fail: ``ui -> trustvault -> crypto``; only crypto uses nacl;
the faces (``ui/`` and ``trustvault/cli/``) reach the vault only through the action layer.

Every ``.py`` file under ``crypto/``, ``trustvault/`` and ``ui/`` is parsed with :mod:`ast`; plain
imports, relative imports and ``importlib.import_module("...")`` / ``__import__("...")`` with a
literal name all count.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("crypto", "trustvault", "ui")
QT = ("PySide6", "PyQt5", "PyQt6", "PySide2", "shiboken6")

FACE_MAY_IMPORT = {
    "trustvault.actions": "the one door: every write",
    "trustvault.queries": "read-only views",
    "trustvault.results": "typed answers",
    "trustvault.errors": "the error tree",
    "trustvault.storage.db_errors": "what a database error means, in words (no access to data)",
    "trustvault.medium": "naming a folder or relay (no vault)",
    "trustvault.entries.kinds": "kind names and the pure field validation forms use",
    "trustvault.entries.model": "the Entry and Revision result types",
    "trustvault.calendar": "pure expansion of events into occurrences",
    "trustvault.occurrence_ref": "the name of one occurrence (event id, original start)",
    "trustvault.pause_return": "a pause's promised return, as a calendar moment",
    "trustvault.stats": "pure figures over entries",
    "trustvault.conversation_templates": "the conversation templates, as data",
    "trustvault.conversation_view": "the Conversation type (Queries.conversation) and its promise",
    "trustvault.telling": "the Telling type: when a disclosure was told (Queries.telling)",
    "trustvault.grounding": "the steps of a breathing exercise (pure data, no vault)",
    "trustvault.triggers": "the TriggerPatterns type and the reassurance wording (pure)",
    "trustvault.anniversaries": "an anniversary's next return, as a calendar moment (pure)",
    "trustvault.reminders": "the Reminder type (Queries.reminders computes them)",
    "trustvault.plan_results": "the Plan types (Queries.plans computes them)",
    "trustvault.clock": "the clock type",
    "trustvault.hardening": "no core dumps, no same-user ptrace (touches no data)",
    "trustvault.paths": "where vaults live by default",
    "trustvault.remembered": "the non-secret folder -> vault id note (holds no key)",
    "trustvault.demo_seed": "the demo builds its vaults through the actions",
    "trustvault.version": "the installed version, for About and --version",
}
"""What ``ui/`` and ``trustvault/cli/`` may import from the core, and why. Anything else (the
vault, storage, sync, agreements, the keychain, ics) would be a side door around the actions."""


def imported_modules(source: str, module: str, is_package: bool) -> set[str]:
    """Absolute names of every module the source imports (relative imports resolved)."""
    found: set[str] = set()
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            found.add(name)
            found.update(f"{name}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and _call_name(node.func) in ("importlib.import_module", "import_module", "__import__")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


def _call_name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        return f"{func.value.id}.{func.attr}"
    return ""


def _top(name: str) -> str:
    return name.split(".")[0]


def violations(package: str, imports: set[str]) -> list[str]:
    """The rule broken by each import of a module in ``package``."""
    problems = []
    for name in sorted(imports):
        top = _top(name)
        if package == "crypto":
            if top not in ("crypto", "nacl", "spake2") and top not in sys.stdlib_module_names:
                problems.append(
                    f"crypto may import only nacl, spake2, the standard library and crypto: {name}"
                )
        else:
            if top in ("nacl", "spake2"):
                problems.append(f"only crypto/ may import {top}: {name}")
        if package == "trustvault" and (top == "ui" or top in QT):
            problems.append(f"trustvault/ must not import the UI or Qt: {name}")
    return problems


def face_violations(imports: set[str]) -> list[str]:
    """Core modules a face imports beyond the action layer, results, errors and pure helpers."""
    problems = []
    for name in sorted(imports):
        if _top(name) != "trustvault" or name.startswith("trustvault.cli"):
            continue
        allowed = any(name == m or name.startswith(m + ".") for m in FACE_MAY_IMPORT)
        # "from trustvault import x" shows as "trustvault" and "trustvault.x": judge the latter.
        if not allowed and name != "trustvault":
            problems.append(f"a face may reach the core only through the action layer: {name}")
    return problems


def is_face(module: str) -> bool:
    return module.split(".")[0] == "ui" or module.startswith("trustvault.cli")


# Screens import widgets; a widget that imported a screen would tie the pieces to one place.
SCREENS = (
    "ui.app",
    "ui.demo",
    "ui.dialogs",
    "ui.main_window",
    "ui.pages",
    "ui.screenshots",
    "ui.unlock",
    "ui.wizard",
)


def widget_violations(module: str, imports: set[str]) -> list[str]:
    """What a module under ``ui/widgets`` imports from a screen (nothing, when the rule holds)."""
    if not module.startswith("ui.widgets"):
        return []
    return [
        f"ui/widgets/ must not import a screen: {name}"
        for name in sorted(imports)
        if any(name == screen or name.startswith(f"{screen}.") for screen in SCREENS)
    ]


def source_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def _module_of(path: Path) -> tuple[str, bool]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        return ".".join(parts[:-1]), True
    return ".".join(parts), False


def test_every_package_has_source() -> None:
    files = source_files()
    for pkg in PACKAGES:
        assert any(p.parts[len(ROOT.parts)] == pkg for p in files), pkg


@pytest.mark.parametrize("path", source_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_follow_the_layers(path: Path) -> None:
    module, is_package = _module_of(path)
    imports = imported_modules(path.read_text(encoding="utf-8"), module, is_package)
    assert violations(module.split(".")[0], imports) == []
    assert widget_violations(module, imports) == []
    if is_face(module):
        assert face_violations(imports) == []


@pytest.mark.parametrize(
    "source",
    [
        "from trustvault.vault import Vault",
        "from trustvault.sync.service import SyncService",
        "from trustvault.storage.transaction import transaction",
        "from trustvault import agreements",
        "from trustvault import keychain",
        "import trustvault.ics",
        "from trustvault.sync.pair_state import load_pair",
        "importlib.import_module('trustvault.storage.entry_store')",
    ],
)
def test_a_face_side_door_is_caught(source: str) -> None:
    for module in ("ui.pages.some_page", "trustvault.cli.commands_x"):
        assert is_face(module)
        imports = imported_modules(source, module, is_package=False)
        assert face_violations(imports), (module, source)


@pytest.mark.parametrize(
    "source",
    [
        "from trustvault.actions import Actions",
        "from trustvault.queries import Queries, keychain_name",
        "from trustvault.results import Delivery, Visibility",
        "from trustvault import stats, calendar",
        "from trustvault.cli.output import short_ids",
        "from .output import print_json",
    ],
)
def test_a_face_may_use_the_door(source: str) -> None:
    imports = imported_modules(source, "trustvault.cli.commands_x", is_package=False)
    assert face_violations(imports) == []


def test_the_core_is_not_a_face() -> None:
    assert not is_face("trustvault.sync.service") and not is_face("trustvault.actions")
    assert is_face("ui.bridge") and is_face("trustvault.cli.main")


@pytest.mark.parametrize(
    ("package", "source", "rule"),
    [
        ("crypto", "import keyring", "crypto may import only"),
        ("crypto", "from trustvault.errors import CorruptFile", "crypto may import only"),
        ("crypto", "from PySide6 import QtCore", "crypto may import only"),
        ("trustvault", "import nacl.bindings", "only crypto/ may import nacl"),
        ("trustvault", "from nacl.public import PrivateKey", "only crypto/ may import nacl"),
        ("trustvault", "from ui.bridge import Bridge", "must not import the UI"),
        ("trustvault", "import PySide6.QtWidgets", "must not import the UI or Qt"),
        ("trustvault", "from PyQt6 import QtCore", "must not import the UI or Qt"),
        ("trustvault", "importlib.import_module('PySide6.QtCore')", "must not import the UI"),
        ("ui", "import nacl", "only crypto/ may import nacl"),
        ("ui", "__import__('nacl.secret')", "only crypto/ may import nacl"),
        ("trustvault", "from spake2 import SPAKE2_A", "only crypto/ may import spake2"),
    ],
)
def test_the_check_catches_each_kind_of_breach(package: str, source: str, rule: str) -> None:
    module = f"{package}.sub.mod"
    problems = violations(package, imported_modules(source, module, is_package=False))
    assert any(rule in p for p in problems), problems


@pytest.mark.parametrize(
    ("package", "source"),
    [
        ("crypto", "import nacl.bindings\nimport json\nfrom crypto.errors import CryptoError"),
        ("crypto", "from .errors import CryptoError"),
        ("crypto", "from spake2 import SPAKE2_A"),
        ("trustvault", "from crypto.aead import seal\nimport sqlcipher3\nimport keyring"),
        ("ui", "from PySide6 import QtWidgets\nfrom trustvault.vault import Vault"),
    ],
)
def test_the_check_allows_the_layers(package: str, source: str) -> None:
    module = f"{package}.sub.mod"
    assert violations(package, imported_modules(source, module, is_package=False)) == []


@pytest.mark.parametrize(
    ("module", "source", "breach"),
    [
        ("ui.widgets.basics", "from ui.pages.pairing_view import card", True),
        ("ui.widgets.basics", "from ui.unlock import label", True),
        ("ui.widgets.entry_form", "from ..dialogs import entry_dialogs", True),
        ("ui.widgets.basics", "import ui.main_window", True),
        ("ui.widgets.basics", "from ui import theme\nfrom ui.bridge import VaultBridge", False),
        ("ui.widgets.basics", "from ui.widgets.fields import DATE_FORMAT", False),
        ("ui.pages.timeline_page", "from ui.dialogs.sharing import SharingDialog", False),
        ("ui.widgets.basics", "import ui.pageset", False),
    ],
)
def test_the_check_keeps_widgets_off_screens(module: str, source: str, breach: bool) -> None:
    problems = widget_violations(module, imported_modules(source, module, is_package=False))
    assert bool(problems) is breach, problems


def test_relative_imports_resolve() -> None:
    assert "trustvault.ui" in imported_modules("from ..ui import x", "trustvault.sync.mod", False)
    assert "trustvault.sync.ops" in imported_modules("from .ops import x", "trustvault.sync", True)


def test_the_cli_and_core_load_without_qt() -> None:
    """Importing the headless face of the app must not pull Qt in, even indirectly."""
    assert (ROOT / "trustvault" / "cli" / "main.py").exists()
    code = (
        "import sys\n"
        "import trustvault.cli.main, trustvault.vault\n"
        "qt = sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{QT!r})\n"
        "assert not qt, qt\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
