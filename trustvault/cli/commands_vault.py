"""Vault commands: ``init``, ``rename``, ``passwd``, ``remember``, ``forget``."""

import argparse
import getpass

from trustvault.actions import Actions
from trustvault.cli.context import Context
from trustvault.cli.output import print_json
from trustvault.cli.parser import Subparsers
from trustvault.cli.passphrase import ENV_NEW_PASSPHRASE
from trustvault.errors import KeychainUnavailable
from trustvault.queries import keychain_available, keychain_name

__all__ = ["register"]

_KDF_CHOICES = ("interactive", "moderate", "sensitive")
_KDF_HELP = (
    "Argon2id cost: interactive (fast, weaker), moderate (default), sensitive (slow, strongest)"
)


def register(sub: Subparsers, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[common], help="create a new vault")
    p.add_argument("--name", help="your display name, shown to your partner (default: login name)")
    p.add_argument(
        "--remember", action="store_true", help="remember the key in this device's OS keychain"
    )
    p.add_argument("--kdf", choices=_KDF_CHOICES, default="moderate", help=_KDF_HELP)
    p.set_defaults(handler=_init)

    p = sub.add_parser(
        "rename",
        parents=[common],
        help="change your display name (your partner's device shows it after the next sync)",
    )
    p.add_argument("name", metavar="NAME", help="your new display name (one line, up to 100)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_rename)

    p = sub.add_parser(
        "passwd",
        parents=[common],
        help="change the passphrase (with --rekey, also re-encrypt the vault)",
        description="Change the passphrase. Without --rekey only the vault's key is re-wrapped:"
        " old copies of the key file (a backup, a synced copy) still open the vault with the old"
        " passphrase. With --rekey the whole vault is re-encrypted under a new key, so they no"
        " longer do: use it when your passphrase may be known to someone. The new passphrase"
        f" comes from --new-passphrase-file, ${ENV_NEW_PASSPHRASE} or a prompt.",
    )
    p.add_argument(
        "--new-passphrase-file", metavar="FILE", help="read the new passphrase from FILE"
    )
    p.add_argument(
        "--rekey",
        action="store_true",
        help="my passphrase may be known to someone: also re-encrypt the vault under a new key"
        " (close the app and any 'sync --watch' on this vault first)",
    )
    p.add_argument("--kdf", choices=_KDF_CHOICES, default="moderate", help=_KDF_HELP)
    p.set_defaults(handler=_passwd)

    p = sub.add_parser(
        "remember", parents=[common], help="remember the key in the OS keychain on this device"
    )
    p.set_defaults(handler=_remember)
    p = sub.add_parser("forget", parents=[common], help="remove the key from the OS keychain")
    p.set_defaults(handler=_forget)


def _init(ctx: Context, args: argparse.Namespace) -> int:
    folder = ctx.folder
    name = args.name if args.name is not None else _login_name()
    passphrase = ctx.new_passphrase()
    with Actions.create(
        folder, passphrase, name, kdf_profile=args.kdf, remember=args.remember, clock=ctx.clock
    ) as actions:
        ctx.say(f"Created the vault of {actions.queries.name} in {folder}.")
        if args.remember:
            if actions.remembers_key():
                ctx.say(f"The key is remembered in {keychain_name()} on this device.")
            else:
                print(_no_keychain_note(), file=ctx.err)
    return 0


def _rename(ctx: Context, args: argparse.Namespace) -> int:
    actions = ctx.actions()
    renamed = actions.rename(args.name)
    if args.json:
        print_json(ctx.out, {"name": renamed.name, "sent": renamed.sent})
        return 0
    ctx.say(f"Your name is now {renamed.name}.")
    if renamed.sent:
        ctx.say("Your partner's device shows it after the next sync ('trustvault-cli sync').")
    elif actions.queries.closing() is not None:
        ctx.say("Your shared space is closed, so your partner's device keeps your old name.")
    else:
        ctx.say("Your partner's device learns it when you pair.")
    return 0


PLAIN_CHANGE_NOTE = (
    "Old copies of the key file (a backup, a synced copy) still open the vault with the old"
    " passphrase; 'trustvault-cli passwd --rekey' re-encrypts the vault so that they no longer do."
)
REKEY_NOTE = (
    "Old copies of the key file no longer open it. Backups of the vault made before the re-key"
    " still open with the old passphrase: delete them or keep them safe."
)


def _passwd(ctx: Context, args: argparse.Namespace) -> int:
    current = read_current(ctx)
    actions = ctx.unlock_with(current)
    new = ctx.new_passphrase(args.new_passphrase_file, replacing=True)
    if not args.rekey:
        actions.change_passphrase(current, new, kdf_profile=args.kdf)
        ctx.say("The passphrase was changed.")
        ctx.say(PLAIN_CHANGE_NOTE)
        return 0
    result = actions.rekey(current, new, kdf_profile=args.kdf)
    ctx.say("The vault was re-encrypted under a new key, and the passphrase was changed.")
    ctx.say(REKEY_NOTE)
    if result.forgot_remembered_key:
        ctx.say(
            "This device had remembered the old key, which opens nothing now, so it was"
            " forgotten. Run 'trustvault-cli remember' to remember the new one."
        )
    return 0


def read_current(ctx: Context) -> str:
    """The current passphrase; ``passwd`` and ``remember`` never accept a remembered key alone."""
    return ctx.passphrase(prompt="Current passphrase: ")


def _remember(ctx: Context, args: argparse.Namespace) -> int:
    _require_keychain()
    if not ctx.unlock_with(read_current(ctx)).remember_key():
        raise KeychainUnavailable(f"{keychain_name()} refused to store the key; nothing stored.")
    ctx.say(f"The key is remembered in {keychain_name()}; this device opens the vault unasked.")
    return 0


def _forget(ctx: Context, args: argparse.Namespace) -> int:
    _require_keychain()
    if not Actions.forget_key(ctx.folder):
        ctx.say("This device does not remember the key of this vault; nothing to forget.")
        return 0
    ctx.say("This device no longer remembers the key; the passphrase will be asked.")
    return 0


def _require_keychain() -> None:
    if not keychain_available():
        raise KeychainUnavailable(_no_keychain_note())


def _no_keychain_note() -> str:
    return (
        "No OS keychain is available on this system, so the key cannot be remembered;"
        " the vault stays passphrase-only (the key is never written to a plain file)."
    )


def _login_name() -> str:
    try:
        return getpass.getuser().strip() or "Me"
    except (OSError, KeyError):
        return "Me"
