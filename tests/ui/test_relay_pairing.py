"""Pairing through a real relay process on loopback, from the partner page; plain-http warnings."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLineEdit

from tests.relay import relay_fixture
from tests.ui.shell_helpers import create_vault, make_window, two_windows, unlock
from trustvault.sync.invite_code import Invite, encode_invite
from ui.main_window import MainWindow
from ui.pages.partner_page import PartnerPage
from ui.pages.relay_warning import PLAIN_HTTP, plain_http_warning, relay_is_private


@pytest.fixture
def relay_url(tmp_path: Path) -> Iterator[str]:
    server = relay_fixture.RelayServer(tmp_path / "relay-data").start()
    yield server.url
    server.stop()


@pytest.fixture
def private_relay_url(tmp_path: Path) -> Iterator[str]:
    fixture = relay_fixture
    args = [*fixture.GENEROUS, "--creation-token", TOKEN]
    server = fixture.RelayServer(tmp_path / "private-relay", args).start()
    yield server.url
    server.stop()


TOKEN = "kitchen-table-7f3a"


def _page(window: MainWindow) -> PartnerPage:
    page = window.page(PartnerPage)
    assert isinstance(page, PartnerPage)
    return page


def test_pairing_through_a_relay(tmp_path: Path, qtbot, relay_url: str) -> None:
    alex, sam = two_windows(tmp_path, qtbot)
    inviter, joiner = _page(alex).pairing, _page(sam).pairing
    inviter.use_relay.setChecked(True)
    assert inviter.relay_url.isVisibleTo(inviter) and not inviter.folder.isVisibleTo(inviter)
    inviter.relay_url.setText(relay_url)
    assert inviter.relay_warning.isHidden()  # loopback: nothing leaves this computer
    inviter.long_code.setChecked(True)  # the long code's path
    inviter.invite()
    # The relay is contacted on the worker: the call returns before the code exists.
    assert inviter.code.toPlainText() == "" and not inviter.invite_button.isEnabled()
    assert inviter.invite_button.text() == "Contacting the relay…"
    qtbot.waitUntil(lambda: bool(inviter.code.toPlainText()), timeout=10_000)
    assert "asks the relay" in inviter.waiting.text()
    joiner.join_code.setText(inviter.code.toPlainText())  # no folder: the code names the relay
    assert joiner.join_note.isHidden()
    joiner.join()
    assert not joiner.join_button.isEnabled()
    qtbot.waitUntil(lambda: alex.bridge.pair_status == "paired" and sam.bridge.pair_status
                    == "paired" and _page(alex).stack.currentIndex() == 2
                    and _page(sam).stack.currentIndex() == 2, timeout=15_000)  # fmt: skip
    assert _page(alex).safety_number.text() == _page(sam).safety_number.text()
    host = relay_url.split("://", 1)[1]
    assert _page(sam).sync_via.text() == f"Through the relay at {host}."
    alex.bridge.write(lambda a: a.add("milestone", {"title": "A month of Sunday walks"}, "shared"))
    qtbot.waitUntil(lambda: sam.bridge.queries is not None
                    and sam.bridge.queries.count() == 1, timeout=15_000)  # fmt: skip


def test_a_private_relay_needs_its_token(tmp_path: Path, qtbot, private_relay_url: str) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    pairing = _page(window).pairing
    pairing.use_relay.setChecked(True)
    assert pairing.relay_token.isVisibleTo(pairing)
    assert pairing.relay_token.echoMode() == QLineEdit.EchoMode.Password
    assert pairing.relay_token_hint.isVisibleTo(pairing)
    assert pairing.relay_token_hint.text() == "Only if the person who runs the relay gave you one."
    pairing.relay_url.setText(private_relay_url)
    pairing.long_code.setChecked(True)  # the long code's path
    pairing.invite()
    qtbot.waitUntil(lambda: pairing.message.isVisibleTo(pairing), timeout=10_000)
    assert "private" in pairing.message.text() and "\n" not in pairing.message.text()
    assert pairing.code.toPlainText() == "" and window.bridge.pair_status == "unpaired"
    pairing.relay_token.setText(TOKEN)
    pairing.long_code.setChecked(True)  # the long code's path
    pairing.invite()
    assert pairing.message.isHidden()
    qtbot.waitUntil(lambda: bool(pairing.code.toPlainText()), timeout=10_000)
    assert pairing.code.toPlainText().lower().startswith("tv1-")
    assert pairing.relay_token.text() == ""  # sent once at creation, then forgotten
    assert window.bridge.pair_status == "inviting"


def test_a_relay_that_is_unreachable_is_one_line(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    pairing = _page(window).pairing
    pairing.use_relay.setChecked(True)
    pairing.relay_url.setText("not a web address")
    pairing.long_code.setChecked(True)  # the long code's path
    pairing.invite()
    qtbot.waitUntil(lambda: pairing.message.isVisibleTo(pairing), timeout=10_000)
    assert "not a relay address" in pairing.message.text()
    assert pairing.invite_button.isEnabled() and pairing.code.toPlainText() == ""


def test_plain_http_to_another_machine_is_warned_about(tmp_path: Path, qtbot) -> None:
    create_vault(tmp_path / "vault")
    window = make_window(tmp_path, qtbot)
    unlock(window, qtbot)
    pairing = _page(window).pairing
    pairing.use_relay.setChecked(True)
    pairing.relay_url.setText("http://relay.example.org")
    assert pairing.relay_warning.isVisibleTo(pairing)
    assert pairing.relay_warning.text() == PLAIN_HTTP
    pairing.relay_url.setText("https://relay.example.org")
    assert pairing.relay_warning.isHidden()
    code = encode_invite(Invite(bytes(32), bytes(32), bytes(16),
                                datetime.now(UTC) + timedelta(days=1),
                                "http://192.168.1.20:8080", "mailbox"))  # fmt: skip
    pairing.join_code.setText(code)
    assert pairing.join_note.isVisibleTo(pairing)
    assert "http://192.168.1.20:8080" in pairing.join_note.text()
    pairing.join_code.setText("")
    assert pairing.join_note.isHidden()


@pytest.mark.parametrize(
    ("url", "private"),
    [
        ("https://relay.example.org", True),
        ("http://127.0.0.1:8000", True),
        ("http://127.8.0.1", True),
        ("http://localhost:9000/", True),
        ("http://[::1]:8000", True),
        ("http://relay.example.org", False),
        ("http://192.168.1.20", False),
        ("http://127.0.0.1.example.org", False),
    ],
)
def test_which_addresses_stay_private(url: str, private: bool) -> None:
    assert relay_is_private(url) is private
    assert (plain_http_warning(url) == "") is private
