"""The answer of a check that refuses what the partner sent: a typed result, not an exception.

Decoding and opening a partner's envelope return either what they read or a :class:`Rejected`
saying why not, and the caller counts it. An exception would not do as that signal: the natural
one, ``ValueError``, is also what a bug raises (a wrong-length key, a bad conversion in a helper),
and a caller catching it would count the bug as a refused envelope, remember the envelope as bad
and never apply it. With a returned value, only the checks' own verdicts are counted and anything
raised is a bug that surfaces.

An op inside an accepted envelope is judged on its own: one this vault cannot apply raises
:class:`trustvault.sync.apply.OpRefused` (no ``ValueError`` subclass), and only that is counted.
"""

from dataclasses import dataclass

__all__ = ["Rejected"]


@dataclass(frozen=True)
class Rejected:
    """Why something the partner sent was refused.

    ``reason`` is a fixed phrase (it completes "it …" in the problem a sync reports, for an
    envelope) and never contains entry content: it is shown, stored and logged.
    """

    reason: str
