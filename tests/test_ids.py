"""Entry ids sort in creation order, which lists and tie-breaks rely on."""

import uuid

from trustvault.ids import new_id


def test_ids_made_in_one_millisecond_still_increase_and_stay_uuidv7() -> None:
    ids = [new_id() for _ in range(20_000)]  # far more than one per millisecond
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids)
    for text in (ids[0], ids[-1]):
        parsed = uuid.UUID(text)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
