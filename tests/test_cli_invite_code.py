"""The invite code on the CLI: read from a prompt or a pipe (not argv), and a sane lifetime."""

import io
from pathlib import Path

import pytest

from tests.helpers import PASSPHRASE, run_cli
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

ERROR = "trustvault-cli: error: "


@pytest.fixture(autouse=True)
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TRUSTVAULT_PASSPHRASE", PASSPHRASE)
    for name in ("XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / "home" / name.lower()))
    monkeypatch.delenv("TRUSTVAULT_HOME", raising=False)


cli = run_cli


def make_vault(folder: Path, name: str) -> Path:
    code, _, err = cli(folder, "init", "--name", name, "--kdf", "interactive")
    assert code == 0, err
    return folder


def status(folder: Path) -> str:
    with Vault.unlock(folder, PASSPHRASE) as vault:
        return SyncService(vault).status()


def test_join_reads_the_code_from_a_pipe_and_pairs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    alex, blake = make_vault(tmp_path / "alex", "Alex"), make_vault(tmp_path / "blake", "Blake")
    shared = tmp_path / "shared"
    shared.mkdir()
    code, out, err = cli(alex, "invite", "--long", "--folder", str(shared))
    assert code == 0, err
    invite = out.splitlines()[-1]
    assert invite.startswith("tv1-")
    monkeypatch.setattr("sys.stdin", io.StringIO(invite + "\n"))
    code, out, err = cli(blake, "join", "--folder", str(shared))
    assert code == 0, err
    assert invite not in out
    assert status(blake) == "joining"
    assert cli(alex, "sync")[0] == 0 and cli(blake, "sync")[0] == 0
    assert status(alex) == status(blake) == "paired"


def test_join_without_a_code_is_one_line_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blake = make_vault(tmp_path / "blake", "Blake")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, _, err = cli(blake, "join", "-", "--folder", str(tmp_path))
    assert code == 1
    assert err.startswith(ERROR + "No invite code given") and err.count("\n") == 1
    assert status(blake) == "unpaired"


@pytest.mark.parametrize(
    ("hours", "said"), [(None, "for 1 hour."), ("1.5", "for 1.5 hours."), ("24", "for 24 hours.")]
)
def test_invite_says_how_long_the_code_works(tmp_path: Path, hours: str | None, said: str) -> None:
    alex = make_vault(tmp_path / "alex", "Alex")
    shared = tmp_path / "shared"
    shared.mkdir()
    lifetime = [] if hours is None else ["--hours", hours]
    code, out, err = cli(alex, "invite", "--folder", str(shared), *lifetime)
    assert code == 0, err
    assert out.splitlines()[0].endswith(said)


@pytest.mark.parametrize("hours", ["0", "-1", "nan", "169", "1e10"])
def test_invite_lifetime_out_of_range_is_refused(tmp_path: Path, hours: str) -> None:
    alex = make_vault(tmp_path / "alex", "Alex")
    shared = tmp_path / "shared"
    shared.mkdir()
    code, out, err = cli(alex, "invite", "--long", "--folder", str(shared), "--hours", hours)
    assert code == 1, err
    assert err.startswith(ERROR + "Invalid --hours") and err.count("\n") == 1
    assert "tv1-" not in out
    assert status(alex) == "unpaired"
