"""The argument parser, assembled from command modules.

To add commands, write a module with ``register(sub: Subparsers, common: ArgumentParser)`` that
calls ``sub.add_parser(name, parents=[common], help=...)`` and ``set_defaults(handler=fn)`` where
``fn(ctx: Context, args: Namespace) -> int`` returns the exit status; then list the module in
:data:`COMMAND_MODULES`. Passing ``common`` as a parent lets the global options (``--vault``,
``--passphrase-fd``, ``--passphrase-file``) also follow the command name.
"""

import argparse
import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeAlias

from trustvault.version import package_version

if TYPE_CHECKING:
    from trustvault.cli.context import Context

__all__ = ["COMMAND_MODULES", "PROG", "Handler", "Subparsers", "build_parser"]

PROG: Final = "trustvault-cli"
COMMAND_MODULES: Final = (
    "trustvault.cli.commands_vault",
    "trustvault.cli.commands_entries",
    "trustvault.cli.commands_reports",
    "trustvault.cli.commands_export",
    "trustvault.cli.commands_delete",
    "trustvault.cli.commands_agreements",
    "trustvault.cli.commands_plans",
    "trustvault.cli.commands_questions",
    "trustvault.cli.commands_triggers",
    "trustvault.cli.commands_reading",
    "trustvault.cli.commands_pause",
    "trustvault.cli.commands_routines",
    "trustvault.cli.commands_conversation",
    "trustvault.cli.commands_session",
    "trustvault.cli.commands_sync",
    "trustvault.cli.commands_closing",
)

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # no public name
Handler = Callable[["Context", argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    _global_options(common, default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="TrustVault from the command line: one partner's encrypted vault.",
        epilog="Run 'trustvault-cli COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {package_version()}")
    _global_options(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub, common)
    return parser


def _global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--vault",
        metavar="DIR",
        default=default,
        help="vault folder (default: $TRUSTVAULT_HOME, else the per-user data folder)",
    )
    parser.add_argument(
        "--passphrase-fd",
        metavar="N",
        type=int,
        default=default,
        help="read the passphrase from the first line of the open file descriptor N",
    )
    parser.add_argument(
        "--passphrase-file",
        metavar="FILE",
        default=default,
        help="read the passphrase from the first line of FILE"
        " (else $TRUSTVAULT_PASSPHRASE, taken out of the environment as the command starts, else"
        " a prompt)",
    )
