"""Pairing through a private relay from the command line: the creation token is needed once."""

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import run_cli
from tests.relay.relay_fixture import RelayServer

StartRelay = Callable[..., RelayServer]
TOKEN = "a-private-relay-for-us-two"
PASSPHRASE = "correct horse battery"


_cli = run_cli


def test_invite_through_a_private_relay_needs_and_uses_the_token(
    start_relay: StartRelay, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    server = start_relay("--creation-token", TOKEN)
    alex, sam = tmp_path / "alex", tmp_path / "sam"
    for vault, name in ((alex, "Alex"), (sam, "Sam")):
        assert _cli(vault, "init", "--name", name, "--kdf", "interactive")[0] == 0

    code, _, err = _cli(alex, "invite", "--long", "--relay", server.url)
    assert code == 1 and "private" in err and len(err.splitlines()) == 1

    token_file = tmp_path / "token"
    token_file.write_text(TOKEN + "\n")
    code, _, err = _cli(
        alex, "invite", "--relay", server.url, "--relay-token", "@" + str(token_file) + "x"
    )
    assert code == 1 and "--relay-token" in err and len(err.splitlines()) == 1
    # From standard input: the token is never in the process list or the shell's history.
    code, out, err = _cli(
        alex, "invite", "--long", "--relay", server.url, "--relay-token", "-", stdin=TOKEN
    )
    assert code == 0, err
    invite_code = out.splitlines()[-1]
    assert TOKEN not in invite_code
    assert _cli(sam, "join", invite_code)[0] == 0
    assert _cli(alex, "sync")[0] == 0
    assert _cli(sam, "sync")[0] == 0
    code, out, _ = _cli(alex, "partner", "--json")
    assert code == 0 and '"status": "paired"' in out
