"""Verdicts and results: the frozen values every check returns, as data.

A :class:`Result` says what was decided (``verdict``), how (a :class:`Method`: its kind,
and for a randomized test its error probability), for what (a :class:`Scope`: sizes,
activations, forms, cases checked and skipped) and why (``evidence``, one line). A
refutation always carries a :class:`Counterexample`: the point, where it fails
(:class:`Location`) and the two sides there, so anyone can re-check it by substitution.

Nothing here makes prose for people: text, Markdown, JSON, LaTeX and HTML are printers of
these values in the application layer (``rnnproof.printers``).

>>> r = Result(Verdict.PROVED, Method(MethodKind.EXACT, "expansion"),
...            Scope(spans=(Span("n", 1, 3), Span("T", 1, 4)), checked=10),
...            evidence="J - C expands to 0")
>>> r.verdict.value, r.decided, r.scope.span("n").hi
('proved', True, 3)
>>> Result.combine([r, Result(Verdict.UNDECIDED, Method(MethodKind.NONE), Scope(), "budget")]).verdict.value
'undecided'

A case skipped can never stand behind "proved":

>>> Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(checked=3, skipped=3), "e")
Traceback (most recent call last):
...
rnncore.errors.InternalError: a 'proved' result cannot have skipped cases (3 skipped): it is undecided
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any, Iterable, Mapping, Protocol, runtime_checkable

from .display import Displayable
from .errors import InternalError, InvalidInputError


class Verdict(str, Enum):
    """The verdicts of the report.

    >>> Verdict("refuted") is Verdict.REFUTED
    True
    """

    PROVED = "proved"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    UNDECIDED = "undecided"

    def __str__(self) -> str:
        return self.value


class MethodKind(str, Enum):
    """How a verdict was reached; the kinds of evidence are never mixed up.

    ``exact``: exact algebra (expansion, canonical forms, induction with every step
    computed); ``lemmas``: a chain of lemma applications, each checked mechanically;
    ``randomized``: a randomized identity test, with its error probability;
    ``certified``: certified enclosures (ball arithmetic) on instances; ``none``: nothing
    decided (budget, unsupported); ``error``: an internal error (a bug to report).

    >>> MethodKind("randomized").value
    'randomized'
    """

    EXACT = "exact"
    LEMMAS = "lemmas"
    RANDOMIZED = "randomized"
    CERTIFIED = "certified"
    NONE = "none"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@runtime_checkable
class Proof(Protocol):
    """A proof a result carries, step by step: a checked lemma chain, an induction with its
    computed steps. Printers ask it for its words; it holds the structure.
    """

    def text(self) -> str:
        """The proof in plain text, one step per line."""

    def latex(self) -> str:
        """The proof as LaTeX (paragraphs and ``align*`` blocks) that pdflatex compiles."""


class Label(str, Enum):
    """The verdict as reported: the judgment and, for a proof, which kind of proof.

    Every printer and the JSON's ``verdict`` field use these values, so a reader never
    mistakes a randomized identity test or a lemma chain for exact algebra.

    >>> [l.value for l in Label]  # doctest: +NORMALIZE_WHITESPACE
    ['proved', 'proved-from-lemmas', 'proved-randomized', 'confirmed', 'refuted',
     'undecided', 'error']
    >>> Label.PROVED_RANDOMIZED.meaning.startswith("a randomized identity test")
    True
    """

    PROVED = "proved"
    PROVED_FROM_LEMMAS = "proved-from-lemmas"
    PROVED_RANDOMIZED = "proved-randomized"
    CONFIRMED = "confirmed"
    REFUTED = "refuted"
    UNDECIDED = "undecided"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value

    @property
    def meaning(self) -> str:
        """What the label promises, one sentence (the verdict table of the docs)."""
        return _MEANING[self]

    @property
    def holds(self) -> bool:
        """True for the proof kinds and ``confirmed``."""
        return self in (Label.PROVED, Label.PROVED_FROM_LEMMAS, Label.PROVED_RANDOMIZED,
                        Label.CONFIRMED)


_MEANING = {
    Label.PROVED: "exact algebra over the stated scope (expansion, canonical forms, "
                  "induction with every step computed)",
    Label.PROVED_FROM_LEMMAS: "a chain of lemma applications, each matched to its lemma's "
                              "statement and hypotheses mechanically, for every size",
    Label.PROVED_RANDOMIZED: "a randomized identity test with randomness drawn after the "
                             "input is fixed; a false identity passes with at most the "
                             "stated probability",
    Label.CONFIRMED: "certified enclosures (ball arithmetic) on the stated instances; "
                     "no proof for other sizes",
    Label.REFUTED: "a concrete counterexample, re-checkable by substitution",
    Label.UNDECIDED: "nothing decided; the reason is given",
    Label.ERROR: "an internal error, a bug to report; never a verdict",
}

#: The label of a ``proved`` result, by its method's kind.
_PROOF_LABEL = {
    "exact": Label.PROVED,
    "lemmas": Label.PROVED_FROM_LEMMAS,
    "randomized": Label.PROVED_RANDOMIZED,
}


@dataclass(frozen=True)
class Method:
    """``kind`` of evidence, a short ``detail`` (the technique), and for a randomized test
    ``error_log2``: log2 of the probability that a false identity passed (e.g. -117).

    >>> Method(MethodKind.RANDOMIZED, "Schwartz-Zippel mod primes", error_log2=-117.0).error_log2
    -117.0
    >>> Method(MethodKind.EXACT, error_log2=-3.0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: an error probability belongs to a randomized method, not 'exact'
    """

    kind: MethodKind
    detail: str = ""
    error_log2: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.kind, MethodKind):
            object.__setattr__(self, "kind", MethodKind(self.kind))
        if self.error_log2 is not None and self.kind is not MethodKind.RANDOMIZED:
            raise InvalidInputError(
                f"an error probability belongs to a randomized method, not {self.kind.value!r}")


@dataclass(frozen=True)
class Span:
    """One size parameter's range: ``name`` from ``lo`` to ``hi`` (``hi=None``: every size).

    >>> Span("n", 1, None).every, Span("T", 2, 4).every
    (True, False)
    """

    name: str
    lo: int = 1
    hi: int | None = None

    @property
    def every(self) -> bool:
        """True when the span is unbounded (a proof for every size from ``lo`` on)."""
        return self.hi is None


@dataclass(frozen=True)
class Scope:
    """What a result covers, as data.

    ``spans``: the size ranges (n, m, T, ...); ``activations``, ``forms``, ``layouts``,
    ``losses``: the model variants covered; ``checked``: how many cases (pairs, entries,
    instances) were decided; ``skipped``: how many in the stated range were not, with
    ``skipped_what`` naming them; ``note``: what fits no field (said in words).

    >>> s = Scope(spans=(Span("n", 1, 2),), activations=("tanh",), checked=4)
    >>> s.span("n").hi, s.span("T") is None, s.complete
    (2, True, True)
    """

    spans: tuple[Span, ...] = ()
    activations: tuple[str, ...] = ()
    forms: tuple[str, ...] = ()
    layouts: tuple[str, ...] = ()
    losses: tuple[str, ...] = ()
    checked: int | None = None
    skipped: int = 0
    skipped_what: str = ""
    note: str = ""

    def span(self, name: str) -> Span | None:
        """The span named ``name``, or None."""
        return next((s for s in self.spans if s.name == name), None)

    @property
    def complete(self) -> bool:
        """True when nothing in the stated range was skipped."""
        return self.skipped == 0

    def __bool__(self) -> bool:
        return bool(self.spans or self.activations or self.forms or self.layouts
                    or self.losses or self.checked is not None or self.note)


@dataclass(frozen=True)
class Location:
    """Where a counterexample fails: step pair ``(t, k)``, matrix ``entry`` (row, column,
    0-based), ``layout`` of the matrices compared, and ``case`` (e.g. an activation or a
    reading) when the claim has several.

    >>> Location(t=3, k=1, entry=(0, 1), layout="numerator").entry
    (0, 1)
    """

    t: int | None = None
    k: int | None = None
    entry: tuple[int, ...] | None = None
    layout: str = ""
    case: str = ""
    note: str = ""


@dataclass(frozen=True)
class Counterexample:
    """A concrete point where a claim fails, with both sides' values.

    ``point`` lists ``(name, exact value)`` pairs as text; ``lhs`` and ``rhs`` are the
    two sides' values there, always oriented as the claim states them (left side first;
    for an identity check against the directly computed derivative, the direct side is
    ``lhs``); ``relation`` is the relation that fails (``"="``, ``"<"``, ``"<="``);
    ``location`` says where. ``data`` keeps Python objects (e.g. a substitution dict) for
    programs that re-check; it takes no part in equality or hashing.

    >>> c = Counterexample((("w", "1/2"),), lhs="1", rhs="2", location=Location(entry=(0, 0)))
    >>> c.point, c.location.entry
    ((('w', '1/2'),), (0, 0))
    """

    point: tuple[tuple[str, str], ...]
    lhs: str
    rhs: str
    relation: str = "="
    location: Location = field(default_factory=Location)
    note: str = ""
    data: Any = field(default=None, compare=False, hash=False, repr=False)


@dataclass(frozen=True)
class Result(Displayable):
    """Outcome of one check: verdict, method, scope, one line of evidence.

    A ``refuted`` result must carry a counterexample:

    >>> Result(Verdict.REFUTED, Method(MethodKind.EXACT), Scope(), "e")
    Traceback (most recent call last):
    ...
    rnncore.errors.InternalError: a 'refuted' result needs a counterexample (got None)
    """

    verdict: Verdict
    method: Method
    scope: Scope
    evidence: str
    counterexample: Counterexample | None = None
    details: tuple["Result", ...] = ()
    data: Any = field(default=None, compare=False, hash=False, repr=False)
    proofs: tuple[Proof, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.verdict, Verdict):
            object.__setattr__(self, "verdict", Verdict(self.verdict))
        if not isinstance(self.method, Method) or not isinstance(self.scope, Scope):
            raise InternalError(
                f"a result needs a Method and a Scope (got {type(self.method).__name__} and "
                f"{type(self.scope).__name__}): results are data, printers make the words")
        if not all(isinstance(p, Proof) for p in self.proofs):
            raise InternalError(
                f"a result's proofs need text() and latex() (got {self.proofs!r:.80})")
        if self.verdict is Verdict.REFUTED and self.counterexample is None:
            raise InternalError("a 'refuted' result needs a counterexample (got None)")
        if self.holds and self.scope.skipped:
            raise InternalError(
                f"a {self.verdict.value!r} result cannot have skipped cases "
                f"({self.scope.skipped} skipped): it is undecided")

    @property
    def decided(self) -> bool:
        """True unless the verdict is ``undecided``."""
        return self.verdict is not Verdict.UNDECIDED

    @property
    def holds(self) -> bool:
        """True for ``proved`` and ``confirmed``."""
        return self.verdict in (Verdict.PROVED, Verdict.CONFIRMED)

    @property
    def label(self) -> Label:
        """The verdict as reported (:class:`Label`): a ``proved`` result says which kind of
        proof, so exact algebra, a lemma chain and a randomized test stay apart.

        >>> Result(Verdict.PROVED, Method(MethodKind.LEMMAS), Scope(), "e").label.value
        'proved-from-lemmas'
        >>> Result(Verdict.PROVED, Method(MethodKind.CERTIFIED), Scope(), "e").label
        Traceback (most recent call last):
        ...
        rnncore.errors.InternalError: a 'proved' result needs an exact, lemma or randomized method (got 'certified')
        """
        if self.method.kind is MethodKind.ERROR:
            return Label.ERROR
        if self.verdict is Verdict.PROVED:
            try:
                return _PROOF_LABEL[self.method.kind.value]
            except KeyError:
                raise InternalError(
                    f"a 'proved' result needs an exact, lemma or randomized method (got "
                    f"{self.method.kind.value!r})") from None
        return Label(self.verdict.value)

    def with_(self, **changes) -> "Result":
        """A copy with some fields changed (the invariants are checked again)."""
        return replace(self, **changes)

    @staticmethod
    def combine(
        results: Iterable["Result"],
        method: Method | None = None,
        scope: Scope | None = None,
        evidence: str | None = None,
    ) -> "Result":
        """Join sub-results into one: refuted if any is refuted, undecided if any is
        undecided, proved if all are proved, else confirmed. The first refutation's
        counterexample is kept; the sub-results stay in ``details``. Without a ``method``,
        the weakest kind among the parts stands for the whole.

        >>> p = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "ok")
        >>> c = Result(Verdict.CONFIRMED, Method(MethodKind.CERTIFIED), Scope(), "ok")
        >>> j = Result.combine([p, c])
        >>> j.verdict.value, j.method.kind.value
        ('confirmed', 'certified')
        """
        results = tuple(results)
        if not results:
            raise InternalError("Result.combine needs at least one result (got none)")
        order = [Verdict.REFUTED, Verdict.UNDECIDED, Verdict.CONFIRMED, Verdict.PROVED]
        verdict = min((r.verdict for r in results), key=order.index)
        first = next(r for r in results if r.verdict is verdict)
        cex = next((r.counterexample for r in results if r.counterexample), None)
        if method is None:
            method = _weakest([r.method for r in results])
        if scope is None:
            scope = _joined([r.scope for r in results])
        return Result(
            verdict=verdict,
            method=method,
            scope=scope,
            evidence=first.evidence if evidence is None else evidence,
            counterexample=cex if verdict is Verdict.REFUTED else None,
            details=results,
        )


#: Strength of the kinds, strongest first; a combination is as strong as its weakest part.
_STRENGTH = [MethodKind.EXACT, MethodKind.LEMMAS, MethodKind.RANDOMIZED, MethodKind.CERTIFIED,
             MethodKind.NONE, MethodKind.ERROR]


def _weakest(methods: list[Method]) -> Method:
    kind = max((m.kind for m in methods), key=_STRENGTH.index)
    same = [m for m in methods if m.kind is kind]
    details = "; ".join(_unrepeated(m.detail for m in methods if m.detail))
    errors = [m.error_log2 for m in same if m.error_log2 is not None]
    return Method(kind, details, error_log2=max(errors) if errors else None)


def _unrepeated(phrases: Iterable[str]) -> list[str]:
    """The phrases in order, each once, without one that another contains (a part's method
    "expansion" beside another's "expansion and a certified point" says nothing more).

    >>> _unrepeated(["a and b", "a", "c", "a and b"])
    ['a and b', 'c']
    """
    unique = list(dict.fromkeys(phrases))
    return [p for p in unique if not any(p != q and p in q for q in unique)]


def _union(values: Iterable[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for vs in values for v in vs))


def _joined(scopes: list[Scope]) -> Scope:
    spans: dict[str, Span] = {}
    for s in scopes:
        for sp in s.spans:
            old = spans.get(sp.name)
            if old is None:
                spans[sp.name] = sp
            else:
                hi = None if old.hi is None or sp.hi is None else max(old.hi, sp.hi)
                spans[sp.name] = Span(sp.name, min(old.lo, sp.lo), hi)
    checked = [s.checked for s in scopes if s.checked is not None]
    return Scope(
        spans=tuple(spans.values()),
        activations=_union(s.activations for s in scopes),
        forms=_union(s.forms for s in scopes),
        layouts=_union(s.layouts for s in scopes),
        losses=_union(s.losses for s in scopes),
        checked=sum(checked) if checked else None,
        skipped=sum(s.skipped for s in scopes),
        skipped_what="; ".join(dict.fromkeys(s.skipped_what for s in scopes if s.skipped_what)),
        note="; ".join(dict.fromkeys(s.note for s in scopes if s.note)),
    )


def assignment_from(mapping: Mapping[Any, Any]) -> tuple[tuple[str, str], ...]:
    """Turn ``{symbol: value}`` into the sorted text pairs of a counterexample's point.

    >>> assignment_from({"b": 2, "a": "1/3"})
    (('a', '1/3'), ('b', '2'))
    """
    return tuple(sorted((str(k), str(v)) for k, v in mapping.items()))


__all__ = [
    "Verdict", "Label", "Proof", "MethodKind", "Method", "Span", "Scope", "Location", "Counterexample",
    "Result", "assignment_from",
]
