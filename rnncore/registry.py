"""The claim registry: add a claim by registering one entry (id, statement, check).

Each layer keeps its own :class:`Registry` (``rnnclaims.symbolic.REGISTRY``,
``rnnclaims.numeric.REGISTRY``, ``rnnclaims.joint.REGISTRY``); the report joins them in
catalogue order. A check is a function ``check(options) -> Result``.

>>> reg = Registry("demo")
>>> @reg.claim("blog.eq2")
... def _check(options):
...     return Result(Verdict.PROVED, "exact", f"n<={options.n}", "identity")
>>> reg.run("blog.eq2", Options(n=2)).scope
'n<=2'
>>> reg["blog.eq2"].source
'blog eq. 2'
"""
from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from .catalogue import _BY_ID, parent_of
from .errors import InvalidInputError, UnknownClaimError
from .validate import check_dps, check_size
from .results import Result, Verdict  # noqa: F401  (Verdict: used by the doctests)

#: Largest sizes the report's checks accept (exact symbolic work grows like n^T).
MAX_N, MAX_M, MAX_T = 8, 4, 12


@dataclass(frozen=True)
class Options:
    """Sizes and settings a check runs with.

    ``n``, ``m``, ``T``: the largest hidden size, input size and number of steps for
    size-indexed checks (each check covers 1..n etc. as it says in its scope);
    ``quick``: smallest sizes; ``seed``: for every random choice; ``dps``: decimal
    digits for numeric work.

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
    """A registered claim: ``id``, ``source``, ``statement``, ``check``, ``layer``."""

    id: str
    source: str
    statement: str
    check: Callable[[Options], Result]
    layer: str

    def run(self, options: Options | None = None) -> Result:
        """Run the check; a check that does not return a :class:`Result` is a bug."""
        result = self.check(options or Options())
        if not isinstance(result, Result):
            raise TypeError(f"check of {self.id!r} returned {type(result).__name__}, not Result")
        return result


class Registry:
    """A table of claims of one layer, filled by :meth:`claim` decorators."""

    def __init__(self, layer: str) -> None:
        self.layer = layer
        self._claims: dict[str, Claim] = {}

    def register(
        self,
        claim_id: str,
        check: Callable[[Options], Result],
        statement: str | None = None,
        source: str | None = None,
    ) -> Claim:
        """Register ``check`` under ``claim_id``. Catalogue ids take their statement and
        source from the catalogue; added ids (``X.corrected``, one id per reading) must
        give a statement, and inherit the source of their catalogue parent."""
        if claim_id in self._claims:
            raise InvalidInputError(f"claim id {claim_id!r} is registered twice")
        known = _BY_ID.get(claim_id)
        parent = parent_of(claim_id)
        if statement is None:
            if known is None:
                raise InvalidInputError(
                    f"claim id {claim_id!r} is not in the catalogue: give its statement"
                )
            statement = known.statement
        if source is None:
            if parent is None:
                raise InvalidInputError(
                    f"claim id {claim_id!r} has no catalogue parent: give its source"
                )
            source = parent.source
        claim = Claim(claim_id, source, statement, check, self.layer)
        self._claims[claim_id] = claim
        return claim

    def claim(self, claim_id: str, *, statement: str | None = None, source: str | None = None):
        """Decorator form of :meth:`register`."""

        def decorate(check: Callable[[Options], Result]):
            self.register(claim_id, check, statement, source)
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
