"""Damage deep inside vault.db, which opening cannot see, still ends in one clear line."""

import io
from pathlib import Path

from tv_testing import PASSPHRASE

from trustvault.cli.main import main
from trustvault.paths import DB_NAME
from trustvault.vault import Vault


def test_damaged_page_found_by_a_later_read_gives_one_line_and_exit_3(
    tmp_path: Path, monkeypatch: object
) -> None:
    folder = tmp_path / "v"
    with Vault.create(folder, PASSPHRASE, "Alex", kdf_profile="interactive") as vault:
        vault.entries.add_many(
            ("disclosure", {"title": f"t{i}", "body": "x" * 900, "occurred_on": "2026-01-01"}, None)
            for i in range(600)
        )
        vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db = folder / DB_NAME
    data = bytearray(db.read_bytes())
    pages = len(data) // 4096
    for page in range(pages // 10, pages // 3):  # after the schema: the entries table
        data[page * 4096 + 100 : page * 4096 + 200] = bytes(100)
    db.write_bytes(bytes(data))

    out, err = io.StringIO(), io.StringIO()
    (pass_file := tmp_path / "pass").write_text(PASSPHRASE)
    code = main(
        ["--vault", str(folder), "--passphrase-file", str(pass_file), "list", "--limit", "10000"],
        out=out,
        err=err,
    )
    assert code == 3
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert "vault.db is damaged" in lines[0]
    assert "Traceback" not in err.getvalue()
