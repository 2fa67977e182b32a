"""The app face pairs by the short spoken code (the default): the inviter's page shows the words
in large type, the joiner types them into the field (the words complete), and after pairing both
Partner pages show the same safety number. A wrong code burns the invitation and both windows say
so plainly. Through a real folder and a real relay on loopback; nothing calls sync by hand.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from tests.relay import relay_fixture
from tests.ui.crossing_helpers import WAIT, click, go_to, type_into, whose
from tests.ui.shell_helpers import two_windows
from trustvault.sync import pgp_words
from trustvault.sync.pake_pairing import WRONG_CODE
from trustvault.sync.short_code import parse_code
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage


@pytest.fixture
def relay_url(tmp_path: Path) -> Iterator[str]:
    server = relay_fixture.RelayServer(tmp_path / "relay-data").start()
    yield server.url
    server.stop()


def _invite(qtbot: Any, page: PartnerPage) -> str:
    assert not page.pairing.long_code.isChecked()  # the short code is the default
    click(qtbot, page.pairing.invite_button)
    qtbot.waitUntil(lambda: page.pairing.words.isVisible(), timeout=WAIT)
    assert page.pairing.code_row.isHidden()  # no long code, no picture
    assert page.pairing.words.font().bold()
    return page.pairing.words.text()


def _type_code(qtbot: Any, page: PartnerPage, code: str) -> None:
    """Type the number and the start of the first word, take the completion, go on."""
    field = page.pairing.join_code
    parsed = parse_code(code)
    type_into(qtbot, field, f"{parsed.channel}-{parsed.first[:3]}")
    offered = field.completer_.completionModel()
    shown = [offered.index(i, 0).data() for i in range(offered.rowCount())]
    assert f"{parsed.channel}-{parsed.first}" in shown
    assert all(s.split("-")[1] in pgp_words.EVEN for s in shown)
    field.setText(f"{parsed.channel}-{parsed.first}")  # the completion taken
    qtbot.keyClicks(field, f"-{parsed.second}")
    assert field.text() == code


def _connected(alex: MainWindow, sam: MainWindow, pages: tuple[PartnerPage, PartnerPage]) -> None:
    for window, shown in zip((alex, sam), pages, strict=True):
        assert shown.stack.currentIndex() == 2, f"{whose(window)} Partner page is not connected"


@pytest.mark.crossing("invite_by_words", "join_by_words", face="app")
def test_typing_the_words_pairs_through_a_folder_and_a_wrong_code_burns(
    tmp_path: Path, qtbot: Any
) -> None:
    alex, sam = two_windows(tmp_path, qtbot)
    inviter, joiner = go_to(qtbot, alex, PartnerPage), go_to(qtbot, sam, PartnerPage)
    for page in (inviter, joiner):
        type_into(qtbot, page.pairing.folder, str(tmp_path / "sync"))
    # A word off the list is named at once, before any work.
    type_into(qtbot, joiner.pairing.join_code, "7-tiger-purple")
    click(qtbot, joiner.pairing.join_button)
    assert "“purple” is not one of the code's words" in joiner.pairing.message.text()

    code = _invite(qtbot, inviter)
    parsed = parse_code(code)
    second = pgp_words.ODD[(pgp_words.ODD.index(parsed.second) + 1) % 256]
    wrong = f"{parsed.channel}-{parsed.first}-{second}"
    type_into(qtbot, joiner.pairing.join_code, wrong)
    click(qtbot, joiner.pairing.join_button)

    def both_told() -> None:
        for window in (alex, sam):
            assert window.bridge.pair_status == "unpaired", whose(window)
        assert WRONG_CODE in _said(alex) and WRONG_CODE in _said(sam)

    qtbot.waitUntil(both_told, timeout=WAIT)

    code = _invite(qtbot, go_to(qtbot, alex, PartnerPage))
    assert joiner.stack.currentIndex() == 0  # back on the pairing view, saying why
    _type_code(qtbot, joiner, code)
    click(qtbot, joiner.pairing.join_button)
    qtbot.waitUntil(lambda: _connected(alex, sam, (inviter, joiner)), timeout=WAIT)
    assert inviter.partner_heading.text() == "You and Sam are connected"
    assert joiner.partner_heading.text() == "You and Alex are connected"
    assert inviter.safety_number.text() == joiner.safety_number.text() != ""


@pytest.mark.crossing("invite_by_words", "join_by_words", face="app")
def test_typing_the_words_pairs_through_a_relay(tmp_path: Path, qtbot: Any, relay_url: str) -> None:
    alex, sam = two_windows(tmp_path, qtbot)
    inviter, joiner = go_to(qtbot, alex, PartnerPage), go_to(qtbot, sam, PartnerPage)
    for page in (inviter, joiner):
        page.pairing.use_relay.setChecked(True)
        type_into(qtbot, page.pairing.relay_url, relay_url)
    code = _invite(qtbot, inviter)
    _type_code(qtbot, joiner, code)
    click(qtbot, joiner.pairing.join_button)
    qtbot.waitUntil(lambda: _connected(alex, sam, (inviter, joiner)), timeout=WAIT)
    assert inviter.safety_number.text() == joiner.safety_number.text() != ""
    assert (
        Qt.TextInteractionFlag.TextSelectableByMouse & inviter.safety_number.textInteractionFlags()
    )


def _said(window: MainWindow) -> str:
    """Every line the window shows about pairing or sync failures just now."""
    page = window.page(PartnerPage)
    assert isinstance(page, PartnerPage)
    texts = [page.pairing.message.text()]
    texts += [n.text() for n in window.findChildren(type(page.pairing.message)) if n.isVisible()]
    return "\n".join(texts)
