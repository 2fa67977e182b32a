"""What the app is for, what it never does, and when not to use it: said on the first screen,
again under Help, and in the README."""

__all__ = ["BEFORE_YOU_BEGIN", "GETTING_STARTED"]

BEFORE_YOU_BEGIN = (
    "TrustVault is for a couple who have both chosen to rebuild trust after a breach of"
    " fidelity: the one who caused the harm tells, in their own time and words, and together"
    " you keep your agreements, check-ins, dates and progress in one place.",
    "It never captures your screen, your location, your messages or anything you do on this"
    " device. Nothing is recorded unless you write it yourself, nothing reaches your partner"
    " unless you share it, and you can withdraw what you shared.",
    "Do not use TrustVault if there is violence, threats or fear in your relationship, or if"
    " you are being pushed into using it. Telling under pressure is not transparency, and a"
    " record like this could be used against you.",
    "If you are not safe, talk to someone who can help: your local emergency number in an"
    " emergency; in the US, the National Domestic Violence Hotline, 1-800-799-7233"
    " (thehotline.org); in the UK, the National Domestic Abuse Helpline, 0808\u00a02000\u00a0247;"
    " elsewhere, a local domestic-abuse service or your doctor.",
)
"""The promise's paragraphs, in order."""

GETTING_STARTED = (
    (
        "Write",
        "New entry… (Ctrl+N) records a disclosure, an event for the calendar, an agreement,"
        " a check-in or a milestone. Check-ins are private unless you share them; the rest is"
        " shared by default, and you choose each time.",
    ),
    (
        "Pair once",
        "On the Partner page, one of you makes an invite code and the other enters it."
        " Both devices then show a safety number: compare it together, aloud or in person, and"
        " mark it verified. Entries travel sealed through a folder you both sync or a relay.",
    ),
    (
        "Share and withdraw",
        "Right-click an entry and choose Sharing and comments… to share it or to"
        " withdraw it: a withdrawn entry is deleted from your partner's device at its next sync.",
    ),
    (
        "Answer",
        "Open an entry your partner shared to say \u201cI have read this\u201d, that you"
        " need some time, or to comment. Agreements come into force when you both accept them.",
    ),
    (
        "Lock",
        "Ctrl+L locks at once, and the vault locks itself when left alone (Preferences)."
        " Ctrl+Shift+H hides the window. Nobody can recover a forgotten passphrase.",
    ),
)
"""Help → Getting started: (heading, text) in the order a new couple needs them."""
