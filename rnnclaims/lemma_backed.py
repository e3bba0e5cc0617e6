"""Claims proved for every n from lemmas, with the certified instance search as a cross-check.

A claim declared with :func:`from_lemmas` keeps its own check (certified instances, exact
where it can) and gains the lemma-based proof of :mod:`derive.norm_proofs` for a symbolic
size n. The two are independent evidence, joined here by one rule:

- an instance that refutes the claim wins: a certified counterexample is concrete, and a
  proof it contradicts is a bug (the declared verdict then fails its test);
- a proof whose every link was matched against the lemma table, with the instances all
  holding, makes the claim ``proved`` by the ``lemmas`` method for every n ≥ 1;
- a rejected proof leaves the instance verdict as it was (``confirmed`` at most), with the
  reason beside it.

>>> from rnncore.registry import Options
>>> from rnnclaims.numeric import REGISTRY
>>> r = REGISTRY.run("paper.linear.vanishing", Options.quick_sizes())
>>> r.verdict.value, r.method.kind.value, r.scope.span("n").every
('proved', 'lemmas', True)
"""
from __future__ import annotations

import functools
from typing import Callable

from rnncore.registry import Options
from rnncore.results import Result, Scope, Span, Verdict

from derive.norm_proofs import PROVED_CLAIMS, prove_claim


def join(claim_id: str, instances: Result) -> Result:
    """The rule of the module docstring, for one claim's instance result.

    >>> from rnncore.results import Method, MethodKind
    >>> inst = Result(Verdict.CONFIRMED, Method(MethodKind.CERTIFIED), Scope(checked=4), "ok")
    >>> join("blog.eq14.submult.corrected", inst).verdict.value
    'proved'
    """
    if instances.verdict is Verdict.REFUTED:
        return instances
    proof = prove_claim(claim_id)
    if not (proof.holds and instances.holds):
        reason = proof.evidence if not proof.holds else instances.evidence
        return instances.with_(
            evidence=f"{instances.evidence}; lemma proof for every n: not established ({reason})",
            details=instances.details + (proof,))
    checked = instances.scope.checked
    return Result(
        Verdict.PROVED, proof.method,
        Scope(spans=(Span("n", 1, None),), activations=instances.scope.activations,
              forms=instances.scope.forms, layouts=instances.scope.layouts,
              note="every link of the proof matched against the lemma table"),
        evidence=(f"proved for every n by a chain of lemma applications ({proof.method.detail}); "
                  f"cross-checked on {checked if checked is not None else 'the'} certified "
                  f"instances: {instances.evidence}"),
        details=(proof, instances), data=proof.data, proofs=tuple(proof.data))


def from_lemmas(check: Callable[[Options], Result]) -> Callable[[Options], Result]:
    """Decorator for a claim's check (placed under its declaration): join its result with
    the claim's lemma proof (see :func:`join`). The registry passes the declared id as
    ``claim_id`` (the wrapper says so with ``takes_claim_id``).

    >>> from rnncore.results import Method, MethodKind
    >>> @from_lemmas
    ... def check(options):
    ...     return Result(Verdict.CONFIRMED, Method(MethodKind.CERTIFIED), Scope(), "ok")
    >>> check.takes_claim_id
    True
    """
    @functools.wraps(check)
    def run(options: Options, claim_id: str | None = None) -> Result:
        # Called directly (not through the registry), it is the plain instance check.
        result = check(options)
        return result if claim_id is None else join(claim_id, result)

    run.takes_claim_id = True
    return run


__all__ = ["from_lemmas", "join", "PROVED_CLAIMS"]
