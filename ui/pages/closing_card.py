"""The Partner page's card for closing the shared space (:mod:`trustvault.sync.closing`).

Open, it offers "Close our shared space…", which asks first in words that say what closing does
and where the promise stops. Closing, it says what each person asked and until when, and offers
what is left to do: ask that one's own entries go too, or agree that both keep everything. The
same powers for both partners: whoever closed first, the other has every button too.
"""

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QMessageBox

from trustvault.results import Closing
from ui.bridge import VaultBridge
from ui.widgets.basics import Card, button, label

__all__ = ["ClosingCard"]


def _what_closing_does(partner: str) -> str:
    return (
        f"Nothing new goes to {partner} from now on; withdrawing or deleting what you wrote"
        " still does. In 7 days both devices stop syncing, and each keeps what it has.\n\n"
        f"You may ask {partner}'s device to delete what you wrote on that day, unless you both"
        " agree to keep everything. A changed app could keep it, and what was read stays read."
    )


class ClosingCard(Card):
    """Owned by the Partner page, which calls :meth:`show_closing` on every refresh."""

    def __init__(self, bridge: VaultBridge, on_error: Callable[[str], None]) -> None:
        super().__init__(roomy=True)
        self.bridge = bridge
        self._on_error = on_error
        self.box.addWidget(label("Close our shared space", "title"))
        self.state = label("", "subtitle")
        self.state.setAccessibleName("Closing of the shared space")
        self.box.addWidget(self.state)
        row = QHBoxLayout()
        self.close_button = button("Close our shared space…", name="Close our shared space")
        self.close_button.clicked.connect(self.ask_close)
        row.addWidget(self.close_button)
        self.keep_button = button("Agree to keep everything", name="Agree to keep everything")
        self.keep_button.clicked.connect(self.agree_to_keep)
        row.addWidget(self.keep_button)
        row.addStretch(1)
        self.box.addLayout(row)
        self.close_box: QMessageBox | None = None  # open while asking (tests answer it)
        self._partner = "your partner"

    def show_closing(self, closing: Closing | None, partner: str) -> None:
        self._partner = partner
        q = self.bridge.queries
        if closing is None:
            self.state.setText(
                "If you part, or need to stop: nothing new is exchanged from then on, and you"
                " decide together what each device keeps."
            )
            self.close_button.setText("Close our shared space…")
            self.close_button.show()
            self.keep_button.hide()
            return
        self.state.setText(closing.sentence(q.today()) if q is not None else "")
        # The partner closed first: this person may still ask that their own entries go.
        self.close_button.setText("Ask that what I wrote goes too…")
        self.close_button.setVisible(not closing.i_closed and not closing.ended)
        asked = closing.i_ask or closing.they_ask
        self.keep_button.setVisible(asked and not closing.i_keep and not closing.ended)

    def ask_close(self) -> None:
        partner = self._partner
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Close our shared space")
        box.setText(f"Close the space you share with {partner}?")
        box.setInformativeText(_what_closing_does(partner))
        ask = QCheckBox(f"Ask {partner}'s device to delete what I wrote, 7 days from now")
        ask.setAccessibleName("Ask to delete what I wrote")
        box.setCheckBox(ask)
        close = box.addButton("Close our shared space", QMessageBox.ButtonRole.DestructiveRole)
        keep_open = box.addButton("Keep it open", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep_open)  # Enter changes nothing: closing is final
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def answered() -> None:
            self.close_box = None
            if box.clickedButton() is close:
                self.close_space(ask_delete=ask.isChecked())

        box.finished.connect(lambda _result: answered())
        self.close_box = box
        box.open()

    def close_space(self, *, ask_delete: bool) -> None:
        # The bridge's write refreshes every page and syncs soon after: the partner's device
        # learns it within seconds while both are online.
        self.bridge.write(
            lambda actions: actions.close_shared_space(ask_delete=ask_delete),
            on_error=self._on_error,
        )

    def agree_to_keep(self) -> None:
        self.bridge.write(lambda actions: actions.agree_to_keep(), on_error=self._on_error)
