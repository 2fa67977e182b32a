"""Random schedules of changes on both devices and misbehaving deliveries converge.

Hypothesis draws a schedule: adds (shared and private), edits, concurrent edits of shared events,
revocations, re-grants, acknowledgements, comments and acceptances on either side, interleaved
with syncs and faults of the medium (reordered listings, duplicated, dropped, lost and
re-delivered blobs, an old snapshot of the whole medium restored). Then the medium heals and both
devices sync a few times; both vaults must show the same state of every shared entry, the author's
withdrawals must show as tombstones (or nothing, if never fetched), and private entries must never
have left their device, not even sealed.
"""

import random
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.sync.faulty_medium import FaultyTransport, Medium
from tests.sync.sync_helpers import (
    Couple,
    Template,
    copy_couple,
    open_blob_as_sender,
    paired_template,
)
from trustvault.entries.model import Entry
from trustvault.sync.resend import shareable_history
from trustvault.sync.results import SyncResult
from trustvault.sync.service import SyncService
from trustvault.vault import Vault

DEVICE_STEPS = [  # repeated names are drawn more often
    *["add_shared", "edit_own", "edit_event", "revoke", "grant", "ack", "accept"] * 2,
    *["add_private", "share_private"],
    *["comment"] * 3,
    *["sync"] * 6,
]
REPLACED = "An envelope from your partner was refused: it was replaced by a newer copy."
MEDIUM_STEPS = ["duplicate", "drop", "redeliver", "snapshot", "restore", "lose_puts"]
STEP = st.tuples(
    st.sampled_from(["a", "b"]),
    st.sampled_from(DEVICE_STEPS + MEDIUM_STEPS),
    st.integers(0, 2**16),
)

_TEMPLATE: list[Template] = []


@dataclass
class World:
    """Two paired vaults over a faulty medium, and what the schedule did to them."""

    c: Couple
    medium: Medium
    never_shared: set[str] = field(default_factory=set)
    markers: dict[str, str] = field(default_factory=dict)
    revoked: set[str] = field(default_factory=set)
    results: list[SyncResult] = field(default_factory=list)
    count: int = 0

    def side(self, who: str) -> tuple[Vault, SyncService]:
        return (self.c.a, self.c.sa) if who == "a" else (self.c.b, self.c.sb)

    def sync(self, who: str) -> None:
        result = self.side(who)[1].sync()
        # The one refusal a faulty medium may cause: a redelivered copy of an envelope that a
        # withdrawal re-sealed under a newer generation (PROTOCOL.md §5). Nothing else.
        assert result.refused_ops == 0, result.problems
        assert result.problems.count(REPLACED) == result.rejected, result.problems
        self.results.append(result)


def _pick(rng: random.Random, entries: list[Entry]) -> Entry | None:
    return rng.choice(sorted(entries, key=lambda e: e.id)) if entries else None


def _add(world: World, vault: Vault, rng: random.Random, private: bool) -> None:
    world.count += 1
    n = world.count
    if private:
        marker = f"PRIVATEMARK{n:03d}{rng.getrandbits(24):06x}"
        if rng.random() < 0.5:
            entry = vault.entries.add("checkin", {"mood": 5, "safety": 5, "note": marker})
        else:
            entry = vault.entries.add("milestone", {"title": marker}, visibility="private")
        world.never_shared.add(entry.id)
        world.markers[entry.id] = marker
        return
    kind = rng.choice(["milestone", "disclosure", "event", "agreement"])
    title = f"shared {n}"
    raw: dict[str, Any] = {
        "milestone": {"title": title},
        "disclosure": {"title": title, "body": "b", "occurred_on": "2026-01-02"},
        "event": {"title": title, "start": "2026-12-01T18:00"},
        "agreement": {"title": title, "text": f"wording {n}"},
    }[kind]
    vault.entries.add(kind, raw)


def _edit_fields(entry: Entry, n: int) -> dict[str, Any]:
    if entry.kind == "checkin":
        return {"note": f"{entry.fields['note']} +{n}"}  # keeps the private marker
    if entry.kind == "agreement":
        return {"text": f"wording edit {n}"}
    if entry.kind == "event":
        return {"location": f"place {n}"}
    return {"title": f"{entry.fields['title']} +{n}"}


def _run_step(world: World, who: str, step: str, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311  (schedule choices, not a secret)
    vault, service = world.side(who)
    mine = [e for e in vault.entries.all() if e.author == vault.device_id]
    theirs = [e for e in vault.entries.all() if e.author != vault.device_id]
    visible = [e for e in vault.entries.all() if e.visibility == "shared"]
    world.count += 1
    if step in ("add_shared", "add_private"):
        _add(world, vault, rng, private=step == "add_private")
    elif step == "edit_own":
        entry = _pick(rng, mine)
        if entry is not None:
            vault.entries.edit(entry.id, _edit_fields(entry, world.count))
    elif step == "edit_event":
        entry = _pick(rng, [e for e in visible if e.kind == "event"])
        if entry is not None:
            vault.entries.edit(entry.id, {"location": f"{who} place {world.count}"})
    elif step == "revoke":
        entry = _pick(rng, [e for e in mine if e.visibility == "shared"])
        if entry is not None:
            service.revoke(entry.id)
            world.revoked.add(entry.id)
    elif step == "grant":
        entry = _pick(rng, [e for e in mine if e.id in world.revoked and e.visibility == "private"])
        if entry is not None:
            service.share(entry.id)
    elif step == "share_private":
        entry = _pick(rng, [e for e in mine if e.id in world.never_shared])
        if entry is not None:
            service.share(entry.id)
            world.never_shared.discard(entry.id)
    elif step == "ack":
        entry = _pick(rng, [e for e in theirs if e.visibility == "shared"])
        if entry is not None:
            service.ack(entry.id, need_time=rng.random() < 0.3)
    elif step == "comment":
        entry = _pick(rng, visible)
        if entry is not None:
            service.comment(entry.id, f"comment {who} {world.count}")
    elif step == "accept":
        entry = _pick(rng, [e for e in visible if e.kind == "agreement"])
        if entry is not None:
            service.accept(entry.id)
    elif step == "sync":
        world.sync(who)
    elif step == "lose_puts":
        world.medium.lose_next_puts(1 + seed % 3)
    else:
        getattr(world.medium, step)()
    world.c.clock.advance(minutes=1)


def _starting_entries(world: World) -> None:
    """Something to act on from the first step: shared and private entries on both sides."""
    c = world.c
    c.a.entries.add("event", {"title": "Therapy", "start": "2026-12-01T17:00"})
    c.a.entries.add("agreement", {"title": "Phones", "text": "Open phones."})
    c.b.entries.add("event", {"title": "Walk", "start": "2026-12-02T08:00"})
    c.b.entries.add("disclosure", {"title": "Told", "body": "b", "occurred_on": "2026-01-01"})
    for who in ("a", "b"):
        _add(world, world.side(who)[0], random.Random(0), private=True)  # noqa: S311
    world.sync("a")
    world.sync("b")


def _rows(vault: Vault, sql: str) -> set[tuple[Any, ...]]:
    return {tuple(r) for r in vault.conn.execute(sql)}


def _accepted(vault: Vault, entry_id: str) -> set[tuple[str, str]]:
    rows = vault.conn.execute(
        "SELECT digest, person FROM acceptances WHERE entry_id = ?", (entry_id,)
    )
    return {(d, p) for d, p in rows}


def _check_converged(world: World) -> None:
    c = world.c
    for author, partner in ((c.a, c.b), (c.b, c.a)):
        seen_by_partner = {e.id: e for e in partner.entries.all() if e.author == author.device_id}
        own = {e.id: e for e in author.entries.all() if e.author == author.device_id}
        assert set(seen_by_partner) <= set(own), "the partner holds entries the author never had"
        for entry_id, entry in own.items():
            there = seen_by_partner.get(entry_id)
            if entry_id in world.never_shared:
                assert there is None, "a private entry reached the partner"
            elif entry.visibility == "shared":
                assert there is not None, "a shared entry never arrived"
                assert there.visibility == "shared"
                assert there.fields == entry.fields
                assert (there.revision, there.editor) == (entry.revision, entry.editor)
                if entry_id not in world.revoked:
                    # Every version from the share floor on: a private entry's drafts stay.
                    sent = shareable_history(author, entry_id)
                    assert partner.entries.history(entry_id) == sent
            else:
                assert entry_id in world.revoked
                if there is not None:
                    assert there.visibility == "withdrawn" and there.fields == {}
                    assert partner.entries.history(entry_id) == []
    responses = "SELECT entry_id, person, state, at FROM responses"
    assert _rows(c.a, responses) == _rows(c.b, responses)
    comments = "SELECT id, entry_id, person, text, at FROM comments"
    withdrawn = {  # (entry, its author) for entries their author has withdrawn
        (e.id, e.author)
        for v in (c.a, c.b)
        for e in v.entries.all()
        if e.author == v.device_id and e.visibility != "shared"
    }
    for author, partner in ((c.a, c.b), (c.b, c.a)):
        for row in _rows(author, comments) - _rows(partner, comments):
            assert (row[1], row[2]) in withdrawn and row[2] == author.device_id, row
    for row in _rows(c.a, comments) & _rows(c.b, comments):
        assert (row[1], row[2]) not in withdrawn, "an author's comment outlived the withdrawal"
    for author, partner in ((c.a, c.b), (c.b, c.a)):
        for entry in author.entries.all(kind="agreement"):
            if entry.author == author.device_id and entry.visibility == "shared":
                assert _accepted(author, entry.id) == _accepted(partner, entry.id)
    for entry_id in world.never_shared:
        marker = world.markers[entry_id].encode()
        assert not any(marker in data for _, data in world.medium.archive)
        for vault in (c.a, c.b):
            for _, data in world.medium.archive:
                payload = open_blob_as_sender(vault, data)
                assert payload is None or marker not in payload, "private content left, sealed"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Template:
    if not _TEMPLATE:
        _TEMPLATE.append(paired_template(tmp_path_factory.mktemp("converge"), tmp_path_factory))
    return _TEMPLATE[0]


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(steps=st.lists(STEP, min_size=5, max_size=60), order_seed=st.integers(0, 2**32))
def test_random_schedules_converge(
    template: Template,
    tmp_path_factory: pytest.TempPathFactory,
    steps: list[tuple[str, str, int]],
    order_seed: int,
) -> None:
    root = Path(tempfile.mkdtemp(dir=tmp_path_factory.getbasetemp()))
    medium = Medium(random.Random(order_seed))  # noqa: S311  (delivery order, not a secret)
    couple = copy_couple(
        template, root / "couple", FaultyTransport(medium), FaultyTransport(medium)
    )
    world = World(couple, medium)
    try:
        _starting_entries(world)
        for who, step, seed in steps:
            _run_step(world, who, step, seed)
        medium.heal()
        for _ in range(4):
            world.sync("a")
            world.sync("b")
        last_a, last_b = world.results[-2], world.results[-1]
        assert last_a.pending == last_b.pending == 0
        assert last_a.waiting == last_b.waiting == 0
        _check_converged(world)
    finally:
        couple.close()
        shutil.rmtree(root, ignore_errors=True)
