"""The claim registry: a claim is one declaration beside its check.

Each layer keeps its own :class:`Registry` (``rnnclaims.symbolic.REGISTRY``,
``rnnclaims.numeric.REGISTRY``, ``rnnclaims.joint.REGISTRY``); its :meth:`Registry.claim`
decorator declares a claim whole: id, source, statement, the reading the check rules on,
and the verdict expected at the default :class:`Options` (a test runs every check and
compares). The report joins the registries in the order of :mod:`rnncore.catalogue`.
A check is a function ``check(options) -> Result``.

>>> reg = Registry("demo")
>>> @reg.claim("blog.eq2", source="blog eq. 2", statement="W [s; u; 1] = W_rec s + W_in u + b",
...            expect=Verdict.PROVED)
... def _check(options):
...     return Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(spans=(Span("n", 1, options.n),)),
...                   "identity")
>>> reg.run("blog.eq2", Options(n=2)).scope.span("n").hi
2
>>> reg["blog.eq2"].source, reg["blog.eq2"].expect.value
('blog eq. 2', 'proved')

``expect`` may name the :class:`Label` instead, which also fixes the kind of proof (the
declared-verdicts test then checks ``result.label``):

>>> reg.register("blog.eq4", lambda o: None, source="blog eq. 4", statement="s",
...              expect=Label.PROVED_FROM_LEMMAS).expect_label.value
'proved-from-lemmas'
>>> reg["blog.eq4"].expect.value
'proved'
"""
from __future__ import annotations

import functools

import importlib
import pkgutil
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from .errors import InvalidInputError, UnknownClaimError
from .validate import check_dps, check_size
from .results import Label, Method, MethodKind, Result, Scope, Span, Verdict  # noqa: F401  (doctests)

#: Largest sizes the report's checks accept (exact symbolic work grows like n^T).
MAX_N, MAX_M, MAX_T = 8, 4, 12


@dataclass(frozen=True)
class Options:
    """Sizes and settings a check runs with.

    ``n``, ``m``, ``T``: the largest hidden size, input size and number of steps for
    size-indexed checks (each check covers 1..n etc. as it says in its scope);
    ``quick``: smallest sizes; ``seed``: for every random choice, with ``seed_drawn`` True
    when it was drawn from the operating system for this run (False: a replay of a given
    seed); ``dps``: decimal digits for numeric work.

    >>> Options().n, Options().T
    (3, 4)
    >>> Options(T=0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: T=0 is not allowed; use an integer 1 <= T <= 12
    """

    n: int = 3
    m: int = 2
    T: int = 4
    quick: bool = False
    seed: int = 0
    dps: int = 50
    seed_drawn: bool = False

    def __post_init__(self) -> None:
        for name, hi in (("n", MAX_N), ("m", MAX_M), ("T", MAX_T)):
            check_size(name, getattr(self, name), hi, "the report's size budget")
        check_dps(self.dps)

    @classmethod
    def quick_sizes(cls, **kw) -> "Options":
        """The smallest sizes (``--quick``).

        >>> Options.quick_sizes().T
        3
        """
        return cls(**{"n": 2, "m": 1, "T": 3, "quick": True, **kw})

    def with_(self, **kw) -> "Options":
        """A copy with some fields changed."""
        return replace(self, **kw)


@dataclass(frozen=True)
class Claim:
    """A declared claim: ``id``, ``source`` (blog or paper, equation), ``statement``, the
    ``check``, its ``layer``, the ``reading`` of the author's text the check rules on ("" when
    the text has one reading), ``authors_reading`` (False for a reading the author's text does
    not support: its refutation is never the author's error) and ``expect``, the verdict at
    the default :class:`Options`."""

    id: str
    source: str
    statement: str
    check: Callable[[Options], Result]
    layer: str
    reading: str = ""
    expect: Verdict | None = None
    authors_reading: bool = True
    expect_label: Label | None = None

    def run(self, options: Options | None = None) -> Result:
        """Run the check; a check that does not return a :class:`Result` is a bug."""
        result = self.check(options or Options())
        if not isinstance(result, Result):
            raise TypeError(f"check of {self.id!r} returned {type(result).__name__}, not Result")
        return result


#: The verdict each label reports (a declaration may name either).
_VERDICT_OF_LABEL = {
    Label.PROVED: Verdict.PROVED, Label.PROVED_FROM_LEMMAS: Verdict.PROVED,
    Label.PROVED_RANDOMIZED: Verdict.PROVED, Label.CONFIRMED: Verdict.CONFIRMED,
    Label.REFUTED: Verdict.REFUTED, Label.UNDECIDED: Verdict.UNDECIDED,
}


class Registry:
    """A table of claims of one layer, filled by :meth:`claim` declarations."""

    def __init__(self, layer: str) -> None:
        self.layer = layer
        self._claims: dict[str, Claim] = {}

    def register(
        self,
        claim_id: str,
        check: Callable[[Options], Result],
        *,
        source: str,
        statement: str,
        expect: Verdict | Label,
        reading: str = "",
        authors_reading: bool = True,
    ) -> Claim:
        """Declare ``check`` as the check of ``claim_id``; every field is required but the
        reading, and an id is declared once.

        >>> Registry("t").register("x.y", lambda o: None, source="", statement="s",
        ...                        expect=Verdict.PROVED)
        Traceback (most recent call last):
        ...
        rnncore.errors.InvalidInputError: claim 'x.y' needs a source (got ''): name the text and equation
        """
        if claim_id in self._claims:
            raise InvalidInputError(f"claim id {claim_id!r} is registered twice")
        for name, value, fix in (("source", source, "name the text and equation"),
                                 ("statement", statement, "state the claim")):
            if not isinstance(value, str) or not value.strip():
                raise InvalidInputError(f"claim {claim_id!r} needs a {name} (got {value!r}): {fix}")
        label = None
        if isinstance(expect, Label):
            if expect is Label.ERROR:
                raise InvalidInputError(
                    f"claim {claim_id!r}: expect={expect!r} is not a verdict; use a Label of a "
                    "verdict, e.g. Label.PROVED_FROM_LEMMAS")
            label, expect = expect, _VERDICT_OF_LABEL[expect]
        if not isinstance(expect, Verdict):
            raise InvalidInputError(
                f"claim {claim_id!r}: expect must be a Verdict or a Label (got {expect!r}), "
                "e.g. Verdict.PROVED or Label.PROVED_FROM_LEMMAS")
        if getattr(check, "takes_claim_id", False):
            # A check shared by several claims (e.g. one that joins a proof looked up by id)
            # is told which claim it is running for.
            check = functools.partial(check, claim_id=claim_id)
        if reading == "" and not authors_reading:
            raise InvalidInputError(
                f"claim {claim_id!r}: a reading the author does not hold must say what it is "
                "(got reading='')")
        claim = Claim(claim_id, source, statement, check, self.layer, reading, expect,
                      authors_reading, label)
        self._claims[claim_id] = claim
        return claim

    def claim(self, claim_id: str, *, source: str, statement: str, expect: Verdict | Label,
              reading: str = "", authors_reading: bool = True):
        """Decorator form of :meth:`register`: the declaration written above the check."""

        def decorate(check: Callable[[Options], Result]):
            self.register(claim_id, check, source=source, statement=statement, expect=expect,
                          reading=reading, authors_reading=authors_reading)
            return check

        return decorate

    def __getitem__(self, claim_id: str) -> Claim:
        try:
            return self._claims[claim_id]
        except KeyError:
            raise UnknownClaimError(
                f"unknown claim id {claim_id!r} in the {self.layer} registry; "
                f"known ids: {', '.join(self._claims) or '(none)'}"
            ) from None

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._claims

    def __iter__(self) -> Iterator[Claim]:
        return iter(self._claims.values())

    def __len__(self) -> int:
        return len(self._claims)

    def ids(self) -> list[str]:
        """Registered ids, in registration order."""
        return list(self._claims)

    def run(self, claim_id: str, options: Options | None = None) -> Result:
        """Run one claim's check."""
        return self[claim_id].run(options)


def load_package(package_name: str) -> None:
    """Import every module of a claims package so that its decorators register.

    >>> load_package("json")  # imports json.decoder, json.encoder, ...
    """
    package = importlib.import_module(package_name)
    for info in pkgutil.iter_modules(getattr(package, "__path__", [])):
        if not info.name.startswith("_"):
            importlib.import_module(f"{package_name}.{info.name}")


__all__ = ["Options", "Claim", "Registry", "load_package", "MAX_N", "MAX_M", "MAX_T"]
