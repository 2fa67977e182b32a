"""The short code's text: the word lists, reading what a person typed, completion, errors."""

import pytest

from trustvault.errors import PairingError
from trustvault.sync import pgp_words
from trustvault.sync.short_code import (
    completions,
    is_short_code,
    new_code,
    parse_code,
    random_channel,
)


def test_the_lists_are_the_pgp_words_256_each_and_apart() -> None:
    assert len(set(pgp_words.EVEN)) == len(set(pgp_words.ODD)) == 256
    assert not set(pgp_words.EVEN) & set(pgp_words.ODD)
    # Spot checks against the PGP list (bytes 0x00, 0xA7 and 0xFF, even and odd).
    assert (pgp_words.EVEN[0], pgp_words.ODD[0]) == ("aardvark", "adroitness")
    assert (pgp_words.EVEN[0xFF], pgp_words.ODD[0xFF]) == ("zulu", "yucatan")
    assert all(w.isalpha() and w == w.lower() for w in (*pgp_words.EVEN, *pgp_words.ODD))


def test_new_codes_read_back_and_vary() -> None:
    codes = {new_code(random_channel(99)).text for _ in range(40)}
    assert len(codes) > 30
    for text in codes:
        assert is_short_code(text) and parse_code(text).text == text
        assert 1 <= parse_code(text).channel <= 99


@pytest.mark.parametrize("typed", ["7-tiger-vagabond", " 7 Tiger  VAGABOND ", "7-tiger vagabond"])
def test_what_a_person_types_is_read_kindly(typed: str) -> None:
    assert parse_code(typed).text == "7-tiger-vagabond"


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("tiger-vagabond", "a number and two words"),
        ("7-tiger", "a number and two words"),
        ("7-tiger-vagabond-extra", "a number and two words"),
        ("0-tiger-vagabond", "from 1 to 9999"),
        ("7-tigre-vagabond", "“tigre” is not one of the code's words (first word). Did you mean"),
        ("7-tiger-tiger", "“tiger” is a code word, but not a second one"),
        ("7-vagabond-tiger", "not a first one: check the order"),
    ],
)
def test_a_mistyped_code_is_named_in_one_line(typed: str, says: str) -> None:
    with pytest.raises(PairingError) as refused:
        parse_code(typed)
    assert says in refused.value.message and "\n" not in refused.value.message


def test_completion_offers_only_the_words_that_may_stand_there() -> None:
    assert completions("tig", 1) == ["tiger"]
    assert completions("vag", 2) == ["vagabond"]
    assert completions("vag", 1) == []
    assert len(completions("", 2)) == 256
    assert not is_short_code("tv1-abcd-efgh")
