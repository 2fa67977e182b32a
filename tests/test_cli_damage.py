"""Damage deep inside vault.db, which opening cannot see, still ends in one clear line."""

from pathlib import Path

from tests.helpers import PASSPHRASE, damaged_vault, run_cli


def test_damaged_page_found_by_a_later_read_gives_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: object
) -> None:
    folder = tmp_path / "v"
    damaged_vault(folder)

    (pass_file := tmp_path / "pass").write_text(PASSPHRASE)
    done = run_cli(folder, "--passphrase-file", str(pass_file), "list", "--limit", "10000")
    assert done.code == 3
    lines = done.err.splitlines()
    assert len(lines) == 1
    assert "vault.db is damaged" in lines[0]
    assert "Traceback" not in done.err
