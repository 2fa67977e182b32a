"""Closing the shared space: nothing new crosses, requests wait out the cooling-off, then both
devices stop; what one asked the other to delete leaves no trace there (issue 13 item 3)."""

from pathlib import Path

import pytest

from tests.sync.sqlcipher_pages import find_words, vault_pages
from tests.sync.sync_helpers import Couple, paired_couple
from trustvault.actions import Actions
from trustvault.errors import PairingError
from trustvault.paths import DB_NAME
from trustvault.results import PairStatus
from trustvault.sync.closing_state import COOLING_OFF

ALEX_WORDS = "Quillmarrow Tessellate"
SAM_WORDS = "Brambleton Overcast"


def _couple(tmp_path: Path, factory: pytest.TempPathFactory) -> tuple[Couple, Actions, Actions]:
    c = paired_couple(tmp_path / "couple", factory)
    alex, sam = Actions(c.a, c.transport_a), Actions(c.b, c.transport_b)
    alex.add("disclosure", {"title": ALEX_WORDS, "occurred_on": "2026-10-02"}, "shared")
    sam.add("disclosure", {"title": SAM_WORDS, "occurred_on": "2026-10-03"}, "shared")
    alex.add("milestone", {"title": "Alex keeps this private"}, "private")
    c.settle()
    return c, alex, sam


def _sync_while_paired(c: Couple, rounds: int = 3) -> None:
    for _ in range(rounds):
        for service in (c.sa, c.sb):
            if service.status() is PairStatus.PAIRED:
                service.sync()


def _titles(actions: Actions) -> set[str]:
    return {e.fields.get("title", "") for e in actions.queries.all() if e.fields}


def test_a_closing_honours_the_request_after_the_cooling_off_and_stops_both(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, alex, sam = _couple(tmp_path, tmp_path_factory)
    sam_db, sam_key = c.b.folder / DB_NAME, c.b.key
    assert find_words(vault_pages(sam_db, sam_key), ALEX_WORDS.split()), "the scan can see"
    told = alex.close_shared_space(ask_delete=True)
    assert told.closed_by_me and told.i_ask and not told.ended
    with pytest.raises(PairingError, match="closed"):
        alex.add("disclosure", {"title": "after closing", "occurred_on": "2026-10-04"}, "shared")
    c.settle()

    seen = sam.queries.closing()
    assert seen is not None and seen.they_ask and not seen.closed_by_me
    words = seen.sentence(c.clock().date())
    assert "Alex closed your shared space" in words
    assert "Alex asked that this device delete what Alex wrote" in words
    with pytest.raises(PairingError, match="closed"):
        sam.comment(next(e.id for e in sam.queries.all() if e.author != c.b.device_id), "hi")

    c.clock.advance(days=COOLING_OFF.days - 1)
    c.settle()
    assert ALEX_WORDS in _titles(sam), "nothing is deleted before the cooling-off has passed"

    c.clock.advance(days=2)
    _sync_while_paired(c)
    assert _titles(sam) == {SAM_WORDS}
    assert _titles(alex) == {ALEX_WORDS, SAM_WORDS, "Alex keeps this private"}
    tomb = next(e for e in sam.queries.all() if e.author == c.a.device_id)
    gone = sam.queries.withdrawal(tomb.id)
    assert gone is not None and gone.reason == "closed"
    for actions in (alex, sam):
        assert actions.queries.pair_status() is PairStatus.UNPAIRED
        closing = actions.queries.closing()
        assert closing is not None and closing.ended
    assert list(c.folder.iterdir()) == [], "both devices took their blobs off the medium"

    sam.close()
    assert find_words(vault_pages(sam_db, sam_key), ALEX_WORDS.split()) == []
    c.close()


def test_both_agreeing_to_keep_lifts_the_request(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    c, alex, sam = _couple(tmp_path, tmp_path_factory)
    alex.close_shared_space(ask_delete=True)
    c.settle()
    with pytest.raises(PairingError, match="already closed"):
        alex.close_shared_space(ask_delete=False)
    sam.close_shared_space(ask_delete=True)  # Sam answers with the same ask
    sam.agree_to_keep()
    c.settle()
    one_side = alex.queries.closing()
    assert one_side is not None and one_side.they_keep and not one_side.kept
    assert "Sam would like you both to keep everything" in one_side.sentence(c.clock().date())
    alex.agree_to_keep()
    c.settle()
    c.clock.advance(days=COOLING_OFF.days + 1)
    _sync_while_paired(c)
    assert _titles(sam) == {ALEX_WORDS, SAM_WORDS}
    assert _titles(alex) == {ALEX_WORDS, SAM_WORDS, "Alex keeps this private"}
    for actions in (alex, sam):
        closing = actions.queries.closing()
        assert closing is not None and closing.kept and closing.ended
        assert "You both agreed to keep everything." in closing.sentence(c.clock().date())
    c.close()


def test_a_request_is_honoured_on_its_day_even_after_an_unpair(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Sam unpairs straight after Alex's closing arrives: the promise to Alex still holds, the
    first time Sam's vault opens after the cooling-off."""
    c, alex, sam = _couple(tmp_path, tmp_path_factory)
    alex.close_shared_space(ask_delete=True)
    c.settle(1)
    sam.unpair(anyway=True)
    assert ALEX_WORDS in _titles(sam)
    c.clock.advance(days=COOLING_OFF.days + 1)
    reopened = Actions(c.b, c.transport_b)  # what unlocking the vault does
    assert _titles(reopened) == {SAM_WORDS}
    c.close()
