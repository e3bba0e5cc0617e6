"""Choosing claims by id: exact ids, dotted prefixes (a family) and shell-style globs.

``verify --claim PATTERN`` (repeatable) takes, for each pattern:

- an exact id (``blog.eq12``, ``paper.eq5``): that claim alone (``'paper.eq5*'`` adds its
  readings and corrections);
- a dotted prefix that is not an id (``blog.eq14``): the family, every id starting with it
  followed by a dot (``blog.eq14.submult``, ``blog.eq14.step``, ...), never ``blog.eq140``;
- a glob with ``*``, ``?`` or ``[...]`` (``'blog.eq14*'``, ``'paper.*.exploding'``): every
  id it matches (:func:`fnmatch.fnmatchcase`, so case counts).

The selected claims keep report order, each once. A pattern that selects nothing is an
error naming the closest known id (:mod:`difflib`), never a dump of every id.

>>> ids = ["blog.eq12", "blog.eq14.submult", "blog.eq14.step", "blog.eq140", "paper.gamma"]
>>> select_ids(ids, ["blog.eq14"])
['blog.eq14.submult', 'blog.eq14.step']
>>> select_ids(ids, ["blog.eq14*", "paper.gamma"])
['blog.eq14.submult', 'blog.eq14.step', 'blog.eq140', 'paper.gamma']
>>> select_ids(ids + ["blog.eq12.corrected"], ["blog.eq12"])
['blog.eq12']
>>> select_ids(ids, ["paper.gama"])
Traceback (most recent call last):
...
rnncore.errors.UnknownClaimError: unknown claim id 'paper.gama'; did you mean 'paper.gamma'? (rnnproof verify --list shows every id)
"""
from __future__ import annotations

import difflib
import fnmatch
from typing import Iterable, Sequence

from rnncore.errors import UnknownClaimError

#: Characters that make a pattern a glob.
GLOB_CHARS = frozenset("*?[")


def matches(claim_id: str, pattern: str) -> bool:
    """True when ``pattern`` (a dotted prefix or a glob) selects ``claim_id`` (an exact id
    that is itself a claim selects only that claim: :func:`select_ids`).

    >>> matches("blog.eq14.step", "blog.eq14"), matches("blog.eq140", "blog.eq14")
    (True, False)
    >>> matches("blog.eq140", "blog.eq14*"), matches("paper.gamma", "*.gamma")
    (True, True)
    """
    if GLOB_CHARS & set(pattern):
        return fnmatch.fnmatchcase(claim_id, pattern)
    return claim_id == pattern or claim_id.startswith(pattern + ".")


def suggestion(pattern: str, ids: Sequence[str]) -> str | None:
    """The known id closest to ``pattern`` (None when nothing is close).

    >>> suggestion("blog.eq13x", ["blog.eq12", "blog.eq13", "paper.eq5"])
    'blog.eq13'
    >>> suggestion("zzz", ["blog.eq12"]) is None
    True
    """
    plain = pattern.rstrip("*?.")
    close = difflib.get_close_matches(plain, ids, n=1, cutoff=0.6)
    if close:
        return close[0]
    # a mistyped family name: the closest family (dotted prefix) of a known id
    families = sorted({".".join(i.split(".")[:k]) for i in ids for k in range(1, i.count(".") + 1)})
    close = difflib.get_close_matches(plain, families, n=1, cutoff=0.6)
    return close[0] if close else None


def select_ids(ids: Sequence[str], patterns: Iterable[str] | None) -> list[str]:
    """The ids of ``ids`` (in their order) that any of ``patterns`` selects; all when
    ``patterns`` is empty or None. A pattern that selects none raises
    :class:`UnknownClaimError` with one line: the pattern and the closest known id.

    >>> select_ids(["a.b", "a.c"], None)
    ['a.b', 'a.c']
    >>> select_ids(["a.b"], ["zzz"])
    Traceback (most recent call last):
    ...
    rnncore.errors.UnknownClaimError: unknown claim id 'zzz' (rnnproof verify --list shows every id)
    """
    ids = list(ids)
    patterns = list(dict.fromkeys(patterns or ()))
    if not patterns:
        return ids
    known = set(ids)
    exact = {p for p in patterns if p in known}
    patterns = [p for p in patterns if p not in known]
    for pattern in patterns:
        if not any(matches(i, pattern) for i in ids):
            kind = "no claim id matches" if GLOB_CHARS & set(pattern) else "unknown claim id"
            near = suggestion(pattern, ids)
            hint = f"; did you mean {near!r}?" if near else ""
            raise UnknownClaimError(
                f"{kind} {pattern!r}{hint} (rnnproof verify --list shows every id)")
    return [i for i in ids if i in exact or any(matches(i, p) for p in patterns)]


__all__ = ["select_ids", "matches", "suggestion", "GLOB_CHARS"]
