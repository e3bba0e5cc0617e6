"""The scope of a Jacobian check on one network, as data.

>>> from derive.network import RNN
>>> s = network_scope(RNN(2, 1, 3, "relu"), [(1, 0), (3, 1)], False)
>>> s.span("T").hi, s.activations, s.checked, s.note
(3, ('relu',), 2, 'pairs (1, 0), (3, 1)')
"""
from __future__ import annotations

from rnncore.results import Scope, Span


def pairs_text(pairs, all_pairs: bool) -> str:
    """The pairs in words: all of them, or the first few.

    >>> pairs_text([(1, 0)], True), pairs_text([(2, 1)], False)
    ('all pairs 0 <= k < t <= T', 'pairs (2, 1)')
    """
    if all_pairs:
        return "all pairs 0 <= k < t <= T"
    shown = ", ".join(map(str, pairs[:6]))
    return f"pairs {shown}{'...' if len(pairs) > 6 else ''}"


def network_scope(rnn, pairs, all_pairs: bool, *, layout: str = "numerator", note: str = "",
                  skipped: int = 0, skipped_what: str = "") -> Scope:
    """Sizes, activation, form and layout of ``rnn``; ``checked`` the number of pairs."""
    text = pairs_text(list(pairs), all_pairs)
    return Scope(spans=(Span("n", rnn.n, rnn.n), Span("m", rnn.m, rnn.m), Span("T", rnn.T, rnn.T)),
                 activations=(rnn.activation,), forms=(rnn.form,), layouts=(layout,),
                 checked=len(pairs), skipped=skipped, skipped_what=skipped_what,
                 note=text + (f"; {note}" if note else ""))


__all__ = ["network_scope", "pairs_text"]
