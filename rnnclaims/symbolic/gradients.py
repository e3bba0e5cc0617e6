"""Claims about the gradient ∂E_t/∂θ: blog eqs. 2, 4, 5, 7, 8, 9, 11; paper eq. 4, its row
remark and footnote 1.

Each check computes its verdict with :func:`derive.prove.prove_equal` (exact expansion;
refutations carry certified rational counterexamples). Two kinds of evidence:

- **local, all T**: one step of the network from a *generic* differentiable previous
  state ``g(θ)`` (:func:`derive.gradients.local_step`): eq. 7 and eq. 5 hold for every such
  g, hence at every step of the composed network. Eqs. 8, 9, 11 follow by induction on t:
  the derivative obeys ``G_t = ∂⁺x_t/∂θ + J_t G_{t-1}``, ``G_0 = 0`` (x_0 is independent of
  θ), and the closed sums obey the same recursion — the algebraic step is checked in the
  free noncommutative algebra (:func:`derive.backprop.unrolling_words`), where the order
  of the Jacobian factors matters. For eq. 11, ``∂x_t/∂x_k = J_t ∂x_{t-1}/∂x_k`` (local,
  ``wrt="state"``) and ``∂x_k/∂x_k = I`` make ``∂x_t/∂x_k`` the product of eq. 9. These
  run for every n <= options.n, m <= options.m (capped at :data:`MAX_N`, :data:`MAX_M`),
  activation and form.
- **composed**: the closed form against the direct derivative of the whole unrolled network
  (:mod:`derive.gradients`: forward differentiation, each operation carrying its local
  derivative; SymPy's ``diff`` is the kept reference route), entry by entry, at the smaller
  sizes :func:`composed_sizes` (the composed derivative grows like n^T).

The local parts and the inductions are decided once per process and shared by the claims
resting on them (:func:`local_part`, :func:`derive.induction.checked_induction`).

Most cases are first decided in canonical polynomials without building SymPy expressions:
the same forward runs and the same closed-form formulas (``pieces=``) with values and
tangents in :class:`derive.canonical.Poly` (:func:`derive.gradients.local_step_polynomials`,
:class:`derive.forward_gradients.PolyForwardNetwork`, :class:`derive.backprop.PolyPieces`).
Equal polynomials are equal functions, so all cases equal there is the proof, reported as
:func:`decide` reports it; at the first difference (or anything the polynomials do not
take) :func:`decide` runs on the SymPy cases and gives the verdict, its evidence and
counterexample.

Layout everywhere: θ flattened row-major into vec(θ), numerator layout (``∂E_t/∂θ`` is a
1 × |θ| row).

>>> from rnnclaims.symbolic import REGISTRY
>>> from rnncore.registry import Options
>>> REGISTRY.run("blog.eq7", Options.quick_sizes()).verdict.value
'proved'
"""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from itertools import groupby
from typing import Callable, Iterable

import sympy as sp

from rnncore.errors import ShapeError
from rnncore.registry import Options
from rnncore.results import Location, Method, MethodKind, Result, Scope, Span, Verdict

from derive.activations import ACTIVATIONS
from derive.backprop import (SYMPY_PIECES, PolyPieces, eq4, eq5, eq7, eq8, eq9, eq11, lazy_add, lazy_matmul, paper_eq4,
                             row_block, stacked_step, unrolling_words)
from derive.forward_gradients import (ALL, DUALS, Dual, ForwardNetwork, PolyForwardNetwork, as_matrix, columns,
                                      loss_dual)
from derive.induction import checked_induction
from derive.gradients import (
    THETAS,
    immediate_gradient,
    local_loss,
    local_step,
    local_step_polynomials,
    loss_gradient,
    parameter_vector,
    state_gradient,
    total_gradient,
)
from derive.loss import LOSSES, loss as loss_named
from derive.network import FORMS, RNN
from derive.canonical import EXACT_NODE_BUDGET, BudgetExceeded, Canonicalizer, Unsupported
from derive.direct import PolyValues
from derive.poly_network import PolyMatrix
from derive.prove import prove_equal
from . import REGISTRY

#: Largest t for which the noncommutative unrolling identity is checked.
UNROLL_T = 12
#: Size budget of the symbolic checks here: larger options.n, options.m are capped (a local
#: step at n = 8, m = 4 alone costs seconds); every scope states the sizes actually covered.
MAX_N, MAX_M = 4, 2


def capped(options: Options) -> Options:
    """``options`` with ``n <= MAX_N`` and ``m <= MAX_M`` (the scopes then say so).

    >>> capped(Options(n=8, m=4, T=6)).n, capped(Options(n=8, m=4, T=6)).m
    (4, 2)
    """
    return options.with_(n=min(options.n, MAX_N), m=min(options.m, MAX_M))


def composed_sizes(options: Options) -> tuple[int, int, int]:
    """``(n, m, T)`` of the largest composed networks checked: ``n <= 2``, ``m = 1``,
    ``T <= 3`` (``T <= 2`` with ``quick``) — the composed derivative grows like n^T, and
    the all-T local proofs already cover every n <= options.n, m <= options.m.

    >>> composed_sizes(Options())
    (2, 1, 3)
    >>> composed_sizes(Options.quick_sizes())
    (2, 1, 2)
    """
    return min(options.n, 2), 1, min(options.T, 2 if options.quick else 3)


def composed_nets(options: Options, forms=FORMS) -> list[RNN]:
    """The composed networks checked: generic σ for every n <= 2 at T of
    :func:`composed_sizes`; tanh, sigmoid, relu at the largest n with T <= 2 (not with
    ``quick``).

    >>> [(net.n, net.T, net.activation) for net in composed_nets(Options(), forms="A")][:3]
    [(1, 3, 'generic'), (2, 3, 'generic'), (2, 2, 'tanh')]
    """
    n_max, m, T = composed_sizes(options)
    nets = [RNN(n, m, T, "generic", form) for n in range(1, n_max + 1) for form in forms]
    if not options.quick:
        nets += [RNN(n_max, m, min(T, 2), activation, form)
                 for activation in ACTIVATIONS if activation != "generic" for form in forms]
    return nets


# --------------------------------------------------------------------------- helpers
#: A case: its label (``{"n": 2, "m": 1, "activation": "generic", "form": "A", "t": 2,
#: "θ": "W_rec"}``, in that order), the directly computed side and the candidate.
Label = dict
Case = tuple[Label, object, object]

EXACT = Method(MethodKind.EXACT, "expansion")
#: The method of a claim backed by local steps, the composed network and the unrolling algebra.
INDUCTION = Method(MethodKind.EXACT, "expansion (local steps, composed network); noncommutative "
                   "expansion (unrolling); induction on t")


def _matrix(x) -> sp.ImmutableMatrix:
    if isinstance(x, sp.ImmutableMatrix):
        return x
    return sp.ImmutableMatrix(x if isinstance(x, sp.MatrixBase) else [[x]])


def label_text(label: Label) -> str:
    """A case label in words: ``n=1, m=1, generic, form A, t=2, θ=W_rec``.

    >>> label_text({"n": 1, "activation": "tanh", "form": "B", "θ": "b"})
    'n=1, tanh, form B, θ=b'
    """
    parts = []
    for key, value in label.items():
        if key == "activation":
            parts.append(str(value))
        elif key == "form":
            parts.append(f"form {value}")
        else:
            parts.append(f"{key}={value}")
    return ", ".join(parts)


def _prefix(label: Label, stop: tuple[str, ...]) -> tuple:
    """The label's items before the first key in ``stop``."""
    out = []
    for key, value in label.items():
        if key in stop:
            break
        out.append((key, value))
    return tuple(out)


def by_case(label: Label) -> tuple:
    """Default group key: the label up to its ``θ`` (or ``depth``) entry."""
    return _prefix(label, ("θ", "depth"))


def decide(cases: Iterable[Case], *, method: Method, scope: Scope, what: str,
           group: Callable[[Label], object] | None = None) -> Result:
    """Prove every ``(label, a, b)`` of ``cases`` with :func:`prove_equal`; the first one that
    is not proved decides the result: its counterexample's location names the case (``t``
    from the label, ``entry`` ``(i, j)`` of that case's matrices, ``case`` the label in
    words), and ``data["case"]``, ``data["entry"]`` keep the label and the entry.

    Consecutive cases with the same ``group(label)`` (default :func:`by_case`: the same
    network, loss and t) are compared in one call, their entries side by side, over the
    network's :func:`shared_canon`, so that shared sub-expressions are canonicalised once
    per process (small groups: the canonical polynomials pack one exponent field per
    generator, so a huge batch slows every product).

    >>> decide([({"x": 1}, sp.Integer(1), sp.Integer(1))], method=EXACT, scope=Scope(), what="w").evidence
    'w: 1 identity proved by exact expansion'
    >>> r = decide([({"t": 2}, sp.Symbol("a"), sp.Integer(2))], method=EXACT, scope=Scope(), what="w")
    >>> r.verdict.value, r.counterexample.location.t, r.counterexample.location.entry
    ('refuted', 2, (0, 0))
    """
    group = group or by_case
    count = 0
    for _, batch in groupby(cases, key=lambda case: group(case[0])):
        batch = [(label, _matrix(a), _matrix(b)) for label, a, b in batch]
        for label, a, b in batch:
            if a.shape != b.shape:
                raise ShapeError(f"{what}: shapes differ at {label_text(label)}: {a.shape} vs {b.shape}")
        owners = [(label, divmod(c, a.cols)) for label, a, _ in batch for c in range(a.rows * a.cols)]
        lefts = [e for _, a, _ in batch for e in a.flat()]
        rights = [e for _, _, b in batch for e in b.flat()]
        if _expands_to_zero(lefts, rights, _network_of(batch[0][0])):
            count += len(batch)
            continue
        # not shown equal by the shortcut: the full decision (its evidence, counterexample)
        left = sp.ImmutableMatrix(1, len(owners), lefts)
        right = sp.ImmutableMatrix(1, len(owners), rights)
        r = prove_equal(left, right, method="exact")
        if r.verdict is not Verdict.PROVED:
            cex = r.counterexample
            entry = None
            if cex is not None:
                entry = cex.location.entry or (cex.data or {}).get("entry")
            label, cell = (batch[0][0], None) if entry is None else owners[entry[-1]]
            if cex is not None:
                data = dict(cex.data or {})
                data["case"], data["entry"] = label, cell
                t = label.get("t")
                cex = replace(cex, location=Location(t=t, k=None, entry=cell, layout="numerator",
                                                     case=label_text(label)), data=data)
                evidence = f"{what}: refuted at {label_text(label)}, entry {cell}: {cex.lhs} != {cex.rhs}"
            else:
                evidence = f"{what}: not decided at {label_text(label)}: {r.evidence}"
            return Result(r.verdict, method, scope, evidence, counterexample=cex, details=(r,))
        count += len(batch)
    return _proved(count, method=method, scope=scope, what=what)


def _proved(count: int, *, method: Method, scope: Scope, what: str) -> Result:
    """:func:`decide`'s result when all its ``count`` cases are proved."""
    noun = "identity" if count == 1 else "identities"
    return Result(Verdict.PROVED, method, replace(scope, checked=count),
                  f"{what}: {count} {noun} proved by exact expansion")


def _network_of(label: Label) -> tuple:
    """The network a case's label names: ``(n, m, activation, form)`` (None where absent).

    >>> _network_of({"n": 2, "m": 1, "activation": "tanh", "form": "B", "t": 1, "θ": "b"})
    (2, 1, 'tanh', 'B')
    """
    return tuple(label.get(key) for key in ("n", "m", "activation", "form"))


#: Past this many converted sub-expressions a shared canonicaliser is replaced by a fresh
#: one (far below the node budget, so that the memo never makes a batch exceed it).
SHARED_CANON_NODES = EXACT_NODE_BUDGET // 8


@lru_cache(maxsize=64)
def _shared_canon_for(network: tuple) -> Canonicalizer:
    return Canonicalizer()


def shared_canon(network: tuple) -> Canonicalizer:
    """The :class:`Canonicalizer` shared by every batch on ``network`` (see
    :func:`_network_of`) in this process: the claims compare closed forms against the same
    direct derivatives and build them from the same pieces (∂x_t/∂x_k, ∂⁺x_k/∂θ, ∂E_t/∂x_t),
    so their entries are converted once instead of once per batch. A canonical polynomial
    does not depend on which other expressions the memo holds (equal polynomials are equal
    functions, whatever the generators' numbering), so no verdict depends on the order of
    the claims; the memo is dropped past :data:`SHARED_CANON_NODES` nodes.

    >>> shared_canon((1, 1, "generic", "A")) is shared_canon((1, 1, "generic", "A"))
    True
    """
    canon = _shared_canon_for(network)
    if canon.nodes > SHARED_CANON_NODES:
        _shared_canon_for.cache_clear()
        canon = _shared_canon_for(network)
    return canon


def _expands_to_zero(lefts: list, rights: list, network: tuple | None = None) -> bool:
    """Whether every ``a - b`` of the paired entries expands to the zero polynomial — the
    computation :func:`derive.exact.exact_equal` makes (canonical polynomials, entries in
    order), without building the 1 × N matrices or the scope of a proof nobody reads:
    :func:`decide` reports a proved batch by its count only. ``network``: use the
    :func:`shared_canon` of that network (None: a fresh :class:`Canonicalizer`). False also
    when the expansion stops (budget, unsupported node): the caller then runs
    :func:`prove_equal` itself.

    >>> a = sp.Symbol("a")
    >>> _expands_to_zero([(a + 1) ** 2], [a**2 + 2*a + 1]), _expands_to_zero([a], [2])
    (True, False)
    >>> _expands_to_zero([(a + 1) ** 2], [a**2 + 2*a + 1], (1, 1, None, None))
    True
    """
    canon = Canonicalizer() if network is None else shared_canon(network)
    try:
        return all((canon.poly(x) - canon.poly(y)).is_zero() for x, y in zip(lefts, rights))
    except (BudgetExceeded, Unsupported, RecursionError):
        return False


def _sizes(options: Options):
    for n in range(1, options.n + 1):
        for m in range(1, options.m + 1):
            yield n, m


def _nets(n: int, m: int, T: int, forms=FORMS):
    for activation in ACTIVATIONS:
        for form in forms:
            yield RNN(n, m, T, activation, form)


def _label(net: RNN, **more) -> Label:
    return {"n": net.n, "m": net.m, "activation": net.activation, "form": net.form, **more}


def _local_scope(options: Options, forms: tuple[str, ...] = FORMS) -> Scope:
    """Every T by induction on t (one step at a generic previous state), every n, m up to the
    options; generic σ (so every differentiable σ) and the named activations."""
    return Scope(
        spans=(Span("n", 1, options.n), Span("m", 1, options.m), Span("T", 1, None)),
        activations=tuple(ACTIVATIONS), forms=tuple(forms), layouts=("numerator",),
        note=(f"induction on t: one step at a generic previous state, valid for every t; the "
              f"unrolling Σ_k J_t⋯J_(k+1) P_k = P_t + J_t G_(t-1) expanded in the free "
              f"noncommutative algebra for t <= {UNROLL_T}, and for every t by an induction "
              f"whose base case and step are computed at a symbolic t (derive/induction.py); generic σ (σ, σ' arbitrary) at every n, m, "
              f"tanh, sigmoid, relu explicitly at n = {options.n}, m = {options.m}; "
              f"θ in {{{', '.join(THETAS)}}}"))


def _composed_scope(options: Options, forms: tuple[str, ...] = FORMS, losses: bool = True) -> Scope:
    """The composed networks of :func:`composed_nets`, every t <= T."""
    n, m, T = composed_sizes(options)
    activations = ("generic",) if options.quick else tuple(ACTIVATIONS)
    concrete = "" if options.quick else f"; tanh, sigmoid, relu at n = {n}, T = {min(T, 2)}"
    return Scope(spans=(Span("n", 1, n), Span("m", m, m), Span("T", 1, T)),
                 activations=activations, forms=tuple(forms), layouts=("numerator",),
                 losses=tuple(LOSSES) if losses else (),
                 note=f"composed network, every t <= T{concrete}")


#: The polynomial pieces of each network (:class:`derive.backprop.PolyPieces`), with the
#: shared canonicaliser they were built over (new pieces when that one was replaced).
_POLY_PIECES: dict = {}


def _poly_pieces(net: RNN) -> PolyPieces:
    network = _network_of(_label(net))
    canon = shared_canon(network)
    entry = _POLY_PIECES.get(network)
    if entry is None or entry[0] is not canon:
        if len(_POLY_PIECES) > 64:
            _POLY_PIECES.clear()
        entry = _POLY_PIECES[network] = (canon, PolyPieces(PolyForwardNetwork(network, canon)))
    return entry[1]


def _polynomial_count(pairs) -> int | None:
    """The number of cases when every ``(net, direct, closed)`` of ``pairs`` holds in
    canonical polynomials — ``direct(pieces)`` and ``closed(pieces)`` (a matrix or a list of
    them, one case each) built over the network's :class:`derive.backprop.PolyPieces`, the
    same formulas as the SymPy cases — else None (a difference, or anything the
    polynomials do not take): :func:`decide` on the SymPy cases then decides, with its
    evidence and counterexample.

    >>> from derive.backprop import eq9
    >>> net = RNN(1, 1, 2)
    >>> _polynomial_count([(net, lambda P: P.loss_gradient(net, "generic", 2, "b"),
    ...                     lambda P: eq9(net, "generic", 2, "b", pieces=P))])
    1
    """
    count = 0
    try:
        for net, direct, closed in pairs:
            pieces = _poly_pieces(net)
            d = direct(pieces)
            sides = closed(pieces)
            for c in (sides if isinstance(sides, list) else [sides]):
                if not isinstance(c, PolyMatrix) or c.shape != d.shape or not (d - c).is_zero():
                    return None
                count += 1
    except Exception:  # noqa: BLE001 - the SymPy route is the reference and reports it
        return None
    return count


def _decide_counted(count: int | None, cases, *, method: Method, scope: Scope, what: str) -> Result:
    """The proved result of ``count`` cases shown equal in canonical polynomials, or (None)
    :func:`decide` on the SymPy ``cases``."""
    if count is not None:
        return _proved(count, method=method, scope=scope, what=what)
    return decide(cases, method=method, scope=scope, what=what)


def _decide_fast(pairs, cases, *, method: Method, scope: Scope, what: str) -> Result:
    """:func:`_decide_counted` with the count of ``pairs`` in polynomials
    (:func:`_polynomial_count`); ``cases`` are the same cases as SymPy matrices."""
    return _decide_counted(_polynomial_count(pairs), cases, method=method, scope=scope, what=what)


def _composed_pairs(options: Options, build: Callable, *, forms=FORMS, losses=LOSSES):
    """:func:`_composed_cases` for :func:`_polynomial_count`: the direct ∂E_t/∂θ and
    ``build(net, loss, t, θ, pieces=...)``, in the same order."""
    for net in composed_nets(options, forms):
        for loss in losses:
            for t in range(1, net.T + 1):
                for theta in THETAS:
                    yield (net,
                           lambda P, net=net, loss=loss, t=t, theta=theta: P.loss_gradient(net, loss, t, theta),
                           lambda P, net=net, loss=loss, t=t, theta=theta: build(net, loss, t, theta, pieces=P))


def _composed_cases(options: Options, build: Callable, *, forms=FORMS, losses=LOSSES):
    """Cases ``(label, direct ∂E_t/∂θ, build(net, loss, t, θ))`` at the composed sizes."""
    for net in composed_nets(options, forms):
        for loss in losses:
            for t in range(1, net.T + 1):
                for theta in THETAS:
                    yield (_label(net, loss=loss, t=t, θ=theta), loss_gradient(net, loss, t, theta),
                           build(net, loss, t, theta))


def _local_nets(options: Options, n: int, m: int):
    """Generic σ at every (n, m); tanh, sigmoid, relu at the largest (n, m) (the generic
    identity, σ and σ' arbitrary functions, implies each of them by substitution)."""
    top = (n, m) == (options.n, options.m)
    for net in _nets(n, m, 1):
        if top or net.activation == "generic":
            yield net


def _local_cases(options: Options, which: str, route: str = "forward"):
    """Local (generic previous state) cases for eq. 7 (``which="eq7"``), the Jacobian
    recursion (``"state"``) and eq. 5 (``"eq5"``); ``route`` of the direct derivatives
    (:mod:`derive.gradients`: forward differentiation, or SymPy's diff as the reference)."""
    for n, m in _sizes(options):
        if which == "eq5":
            net = RNN(n, m, 1)
            for loss in LOSSES:
                for theta in THETAS:
                    ll = local_loss(net, loss, theta, route=route)
                    yield ({"n": n, "m": m, "loss": loss, "θ": theta}, ll.direct,
                           lazy_matmul(ll.state, ll.previous))
            continue
        for net in _local_nets(options, n, m):
            for wrt in (("state",) if which == "state" else THETAS):
                ls = local_step(net, wrt, route=route)
                yield _label(net, wrt=wrt), ls.direct, lazy_add(ls.immediate, lazy_matmul(ls.jacobian, ls.previous))


#: The evidence head of each local part (one text, so that one decision serves every claim).
LOCAL_WHAT = {
    "eq5": "eq. 5 at a generic state",
    "eq7": "eq. 7 at a generic previous state",
    "state": "∂x_t/∂x_k = J_t ∂x_(t-1)/∂x_k at a generic previous state",
}


def _local_polynomial_count(options: Options, which: str) -> int | None:
    """The number of local cases ``which`` (``"eq7"`` or ``"state"``) when every one holds
    as canonical polynomials (:func:`derive.gradients.local_step_polynomials`: direct =
    immediate + jacobian · previous), else None (a difference, or a node the polynomials do
    not take): then :func:`decide` on the SymPy cases decides, with its evidence. The cases
    and their order are :func:`_local_cases`'s.

    >>> sizes = Options(n=2, m=1)
    >>> _local_polynomial_count(sizes, "eq7") == decide(_local_cases(sizes, "eq7"), method=EXACT,
    ...     what="", scope=Scope()).scope.checked == 30
    True
    """
    count = 0
    try:
        for n, m in _sizes(options):
            for net in _local_nets(options, n, m):
                canon = shared_canon(_network_of(_label(net)))
                for wrt in (("state",) if which == "state" else THETAS):
                    direct, immediate, jacobian, previous = local_step_polynomials(net, wrt, canon)
                    right = PolyMatrix(jacobian) @ PolyMatrix(previous)
                    if immediate is not None:
                        right = right + PolyMatrix(immediate)
                    if not (PolyMatrix(direct) - right).is_zero():
                        return None
                    count += 1
    except (BudgetExceeded, Unsupported, RecursionError):
        return None
    return count


@lru_cache(maxsize=32)
def _local_part(n: int, m: int, which: str) -> Result:
    sizes = Options(n=n, m=m)
    # eq7 and state: first in canonical polynomials, no SymPy expression built
    count = _local_polynomial_count(sizes, which) if which in ("eq7", "state") else None
    return _decide_counted(count, _local_cases(sizes, which), method=EXACT, what=LOCAL_WHAT[which],
                           scope=_local_scope(sizes))


def local_part(options: Options, which: str) -> Result:
    """The decided local cases ``which`` (``"eq5"``, ``"eq7"``, ``"state"``: see
    :func:`_local_cases`) at ``options.n``, ``options.m``, memoised per (n, m, which): eqs. 8,
    9, 11 and paper eq. 4 rest on the local parts of eqs. 5 and 7, and a process that decided
    them once reuses the result (they depend on nothing else).

    >>> local_part(Options.quick_sizes(), "eq7") is local_part(Options.quick_sizes(), "eq7")
    True
    """
    return _local_part(options.n, options.m, which)


def _unrolling(options: Options, kind: str) -> Result:
    """The unrolling identity: for every t by an induction computed at a symbolic t (eq. 8:
    at a symbolic depth too), cross-checked by the noncommutative expansion for
    t <= max(options.T, UNROLL_T); the induction is attached as the result's proof
    (memoised per (t range, kind): nothing else enters)."""
    return _unrolling_part(max(options.T, UNROLL_T), "eq8" if kind == "eq8" else "eq9")


@lru_cache(maxsize=8)
def _unrolling_part(top: int, kind: str) -> Result:
    bad = []
    count = 0
    for t in range(1, top + 1):
        depths = range(t) if kind == "eq8" else [None]
        for d in depths:
            # the words of the free algebra are a basis: equal dicts = equal elements
            # (unrolling_identity, the SymPy expansion, is the reference the tests compare)
            closed, recursive = unrolling_words(t, d)
            count += 1
            if closed != recursive:
                bad.append((t, d))
    checked = [checked_induction(name) for name in ("unrolling", "depth")[:2 if kind == "eq8" else 1]]
    inductions = tuple(pr for pr, _ in checked)
    proved = [r for _, r in checked]
    method = Method(MethodKind.EXACT, "induction at a symbolic t; noncommutative expansion")
    if bad:  # would be a bug in the algebra, never a property of the claim
        return Result(Verdict.UNDECIDED, method, Scope(spans=(Span("t", 1, top),)),
                      f"the unrolled sum does not satisfy the recursion at (t, depth) = {bad[0]}")
    failed = [r for r in proved if r.verdict is not Verdict.PROVED]
    if failed:
        return Result(Verdict.UNDECIDED, method, Scope(spans=(Span("t", 1, top),), checked=count),
                      f"the expansion holds for t <= {top}, but the induction for every t did not "
                      f"check: {failed[0].evidence}", proofs=inductions)
    return Result(Verdict.PROVED, method,
                  Scope(spans=(Span("n", 1, None), Span("T", 1, None)), checked=count,
                        note="in the free noncommutative algebra (every n); every t by induction"),
                  f"the unrolled sums equal the recursion G_t = P_t + J_t G_(t-1), G_0 = 0, for "
                  f"every t by an induction with base case and step computed at a symbolic t "
                  f"({'; '.join(r.evidence for r in proved)}); expanded in the free "
                  f"noncommutative algebra for {count} (t, depth) with t <= {top}",
                  proofs=inductions)


def _join(parts: list[Result], scope: Scope, method: Method, evidence_head: str) -> Result:
    """One claim's result from its parts: the parts' weakest verdict, the claim's own
    ``scope`` and ``method``; the evidence names the first part that is not proved."""
    combined = Result.combine(parts)
    proofs = tuple(pr for p in parts for pr in p.proofs)
    if combined.verdict is not Verdict.PROVED:
        bad = next(p for p in parts if p.verdict is combined.verdict)
        return Result(combined.verdict, method, scope, f"{evidence_head}: {bad.evidence}",
                      counterexample=combined.counterexample, details=tuple(parts), proofs=proofs)
    checked = sum(p.scope.checked or 0 for p in parts)
    evidence = evidence_head + " | " + " | ".join(p.evidence for p in parts)
    return Result(Verdict.PROVED, method, replace(scope, checked=checked or None), evidence,
                  details=tuple(parts), proofs=proofs)


def _claim_scope(options: Options, *, losses: bool = True, depth: bool = False) -> Scope:
    """The scope of a claim backed by the local proofs (every T) and the composed networks."""
    local = _local_scope(options)
    n, m, T = composed_sizes(options)
    note = local.note + ("; every depth d <= t-1" if depth else "") + (
        f"; and the composed network checked whole at n <= {n}, m = {m}, every t <= T = {T}")
    return replace(local, losses=tuple(LOSSES) if losses else (), note=note)


# --------------------------------------------------------------------------- blog eq. 2
def _block_matrix_eq2() -> Result:
    n, m = sp.symbols("n m", integer=True, positive=True)
    W_rec, W_in = sp.MatrixSymbol("W_rec", n, n), sp.MatrixSymbol("W_in", n, m)
    b, s, u = sp.MatrixSymbol("b", n, 1), sp.MatrixSymbol("s", n, 1), sp.MatrixSymbol("u", m, 1)
    W = sp.BlockMatrix([[W_rec, W_in, b]])
    column = sp.BlockMatrix([[s], [u], [sp.Identity(1)]])
    left = sp.block_collapse(W * column)
    difference = sp.simplify(left - (W_rec * s + W_in * u + b))
    ok = difference == 0 or isinstance(difference, sp.ZeroMatrix)
    return Result(Verdict.PROVED if ok else Verdict.UNDECIDED,
                  Method(MethodKind.EXACT, "block-matrix algebra"),
                  Scope(spans=(Span("n", 1, None), Span("m", 1, None)), forms=("A",),
                        note="s standing for σ(x_(t-1))"),
                  f"the block product [W_rec W_in b] [s; u; 1] multiplies out to {left}"
                  + ("" if ok else f"; difference {difference} not shown to vanish"))


@REGISTRY.claim(
    "blog.eq2", source="blog eq. 2", expect=Verdict.PROVED,
    statement="W [σ(x_{t-1}); u_t; 1] = W_rec σ(x_{t-1}) + W_in u_t + b with W = [W_rec W_in b]",
    reading="form B's analogue too: σ(W [h_{t-1}; u_t; 1]) = σ(W_rec h_{t-1} + W_in u_t + b)",
)
def check_eq2(options: Options) -> Result:
    """Blog eq. 2: ``W [σ(x_{t-1}); u_t; 1] = W_rec σ(x_{t-1}) + W_in u_t + b``.

    n-generic by block-matrix algebra (MatrixSymbols), and entry by entry for every n, m up
    to the options, every activation, with the previous state free (so for every t); form B
    analogue ``σ(W [h_{t-1}; u_t; 1]) = σ(W_rec h_{t-1} + W_in u_t + b)``.

    >>> check_eq2(Options.quick_sizes()).scope.span("n").every
    True
    """
    options = capped(options)
    cases = ((_label(net), stacked_step(net), net.step(net.state_symbols(0), 1))
             for n, m in _sizes(options) for net in _nets(n, m, 1))
    explicit = decide(cases, method=EXACT, what="explicit entries",
                      scope=Scope(spans=(Span("n", 1, options.n), Span("m", 1, options.m),
                                         Span("t", 1, None)),
                                  activations=tuple(ACTIVATIONS), forms=FORMS))
    parts = [_block_matrix_eq2(), explicit]
    scope = Scope(spans=(Span("n", 1, None), Span("m", 1, None), Span("t", 1, None)),
                  activations=tuple(ACTIVATIONS), forms=FORMS,
                  note=f"every n, m by block matrices (form A); explicit entries for n <= "
                       f"{options.n}, m <= {options.m}, forms A and B (form B: σ(W [h_(t-1); u_t; 1]))")
    return _join(parts, scope, Method(MethodKind.EXACT, "block-matrix algebra; expansion"),
                 "W = [W_rec W_in b]")


# --------------------------------------------------------------------------- blog eq. 4
def generic_sum_sides(v: list, T: int, *, route: str = "forward") -> tuple[sp.Matrix, sp.Matrix]:
    """``(∂E/∂v, Σ_t ∂E_t/∂v)`` for ``E = E_1 + … + E_T``, each E_t an arbitrary
    differentiable function of the variables ``v``. ``route="forward"``: each E_t is its
    1-jet (value ``E_t``, gradient symbols ``dE_{t,p}``) and E the forward sum of the dual
    numbers; ``"sympy"`` (the reference): undefined functions ``E_t(v)`` and SymPy's
    ``diff`` of their sum.

    >>> a, b = sp.symbols("a b")
    >>> generic_sum_sides([a, b], 2)[0]
    Matrix([[dE_{1,1} + dE_{2,1}, dE_{1,2} + dE_{2,2}]])
    >>> whole, summed = generic_sum_sides([a], 2, route="sympy")
    >>> whole == summed
    True
    """
    if route == "sympy":
        f = [sp.Function(f"E_{t}")(*v) for t in range(1, T + 1)]
        whole = sp.Matrix([[sp.Add(*f)]]).jacobian(v)
        parts = sp.Matrix([[fi] for fi in f]).jacobian(v)
        return whole, sp.Matrix(1, len(v), lambda _, j: sp.Add(*parts[:, j]))
    jets = [Dual(sp.Symbol(f"E_{t}"), ((*(sp.Symbol(f"dE_{{{t},{p + 1}}}") for p in range(len(v))),),))
            for t in range(1, T + 1)]
    total = jets[0]
    for jet in jets[1:]:
        total = DUALS.add(total, jet)
    return as_matrix(total.tan), sp.Matrix(1, len(v), lambda _, p: sp.Add(*(jet.tan[0][p] for jet in jets)))


@REGISTRY.claim(
    "blog.eq4", source="blog eq. 4", expect=Verdict.PROVED,
    statement="∂E/∂θ = Σ_t ∂E_t/∂θ for E = Σ_t E_t, E_t = L(x_t)",
    reading="θ any of W_rec, W_in, b, flattened row-major (numerator layout)",
)
def check_eq4(options: Options) -> Result:
    """Blog eq. 4 (paper eq. 3): ``∂E/∂θ = Σ_t ∂E_t/∂θ`` for ``E = Σ_{t=1}^{T} E_t``.

    For any differentiable summands (undefined functions f_1..f_T of vec(θ), every T up to
    options.T), and on the composed network (E differentiated as one expression vs the sum
    of the per-step derivatives).

    >>> check_eq4(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)

    def generic_cases():
        for n, m in _sizes(options):
            net = RNN(n, m, 1)
            for theta in THETAS:
                v = parameter_vector(net, theta)
                for T in range(1, options.T + 1):
                    whole, summed = generic_sum_sides(v, T)
                    yield {"n": n, "m": m, "θ": theta, "T": T}, whole, summed

    generic_scope = Scope(spans=(Span("n", 1, options.n), Span("m", 1, options.m),
                                 Span("T", 1, options.T)),
                          note="any differentiable E_t (so every activation, form and loss)")
    generic = decide(generic_cases(), method=EXACT, what="generic summands E_t(θ)",
                     scope=generic_scope)
    n_max, m_max, T = composed_sizes(options)
    composed_scope = Scope(spans=(Span("n", 1, n_max), Span("m", m_max, m_max), Span("T", T, T)),
                           activations=("generic",), forms=FORMS, losses=tuple(LOSSES),
                           note="composed network")
    nets = [RNN(n, m, T, "generic", form) for n in range(1, n_max + 1)
            for m in range(1, m_max + 1) for form in FORMS]
    pairs = ((net, lambda P, net=net, loss=loss, theta=theta: P.total_gradient(net, loss, theta),
              lambda P, net=net, loss=loss, theta=theta: eq4(net, loss, theta, pieces=P))
             for net in nets for loss in LOSSES for theta in THETAS)
    composed = _decide_fast(
        pairs,
        ((_label(net, loss=loss, θ=theta), total_gradient(net, loss, theta), eq4(net, loss, theta))
         for net in nets for loss in LOSSES for theta in THETAS),
        method=EXACT, what="composed network", scope=composed_scope)
    scope = replace(generic_scope, note=generic_scope.note + f"; and the composed network at "
                    f"n <= {n_max}, m = {m_max}, T = {T}, generic σ, forms A, B, losses "
                    f"{', '.join(LOSSES)}")
    return _join([generic, composed], scope, EXACT,
                 "linearity of ∂/∂θ (E differentiated as one expression)")


# --------------------------------------------------------------------------- blog eq. 5
@REGISTRY.claim(
    "blog.eq5", source="blog eq. 5", expect=Verdict.PROVED,
    statement="∂E_t/∂θ = ∂E_t/∂x_t · ∂x_t/∂θ (total derivative)",
    reading="θ any of W_rec, W_in, b, flattened row-major (numerator layout)",
)
def check_eq5(options: Options) -> Result:
    """Blog eq. 5: ``∂E_t/∂θ = ∂E_t/∂x_t · ∂x_t/∂θ`` (1 × n row times n × |θ|).

    Local: for a generic differentiable state x_t = g(θ) (so for every t, activation and
    form), losses generic L and ½‖x−y‖²; composed: at :func:`composed_sizes`.

    >>> check_eq5(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    local = local_part(options, "eq5")
    composed = _decide_fast(_composed_pairs(options, eq5), _composed_cases(options, eq5), method=EXACT,
                            what="composed network", scope=_composed_scope(options))
    return _join([local, composed], _claim_scope(options), EXACT,
                 "chain rule through x_t (numerator layout)")


# --------------------------------------------------------------------------- blog eq. 7
def _composed_eq7_cases(options: Options, partial: str = "immediate"):
    for net in composed_nets(options):
        for t in range(1, net.T + 1):
            for theta in THETAS:
                yield (_label(net, t=t, θ=theta), state_gradient(net, t, theta),
                       eq7(net, t, theta, partial=partial))


@REGISTRY.claim(
    "blog.eq7", source="blog eq. 7", expect=Verdict.PROVED,
    statement=("∂x_t/∂θ = ∂⁺x_t/∂θ + ∂x_t/∂x_{t-1} · ∂x_{t-1}/∂θ, with ∂⁺ the immediate "
               "partial (x_{t-1} held constant)"),
    reading="the blog's ∂x_t/∂g (g(W) = W) is the immediate partial ∂⁺x_t/∂θ",
)
def check_eq7(options: Options) -> Result:
    """Blog eq. 7: ``∂x_t/∂θ = ∂⁺x_t/∂θ + ∂x_t/∂x_{t-1} · ∂x_{t-1}/∂θ``, the blog's
    ``∂x_t/∂g`` (g(W) = W) read as the immediate partial ``∂⁺`` (x_{t−1} held constant).

    Local: one step from a generic differentiable x_{t−1}(θ) (every t); composed: every
    t <= T at :func:`composed_sizes` (t = 1 uses ∂x_0/∂θ = 0).

    >>> check_eq7(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    local = local_part(options, "eq7")
    pairs = ((net, lambda P, net=net, t=t, theta=theta: P.state_gradient(net, t, theta),
              lambda P, net=net, t=t, theta=theta: eq7(net, t, theta, pieces=P))
             for net in composed_nets(options) for t in range(1, net.T + 1) for theta in THETAS)
    composed = _decide_fast(pairs, _composed_eq7_cases(options), method=EXACT,
                            what="composed network", scope=_composed_scope(options, losses=False))
    return _join([local, composed], _claim_scope(options, losses=False), EXACT,
                 "∂x_t/∂g read as ∂⁺x_t/∂θ")


# --------------------------------------------------------------------------- eqs. 8, 9, 11
def _induction(options: Options, kind: str) -> list[Result]:
    """Local steps + unrolling algebra: the all-T part of eqs. 8, 9, 11 and paper eq. 4."""
    parts = [local_part(options, "eq5"), local_part(options, "eq7")]
    if kind == "eq11":
        parts.append(local_part(options, "state"))
        # ∂x_t/∂x_k is the ordered product of eq. 9 for every t: the eq. 13 induction
        pairs = [checked_induction(name) for name in ("eq13.A", "eq13.B")]
        products = tuple(pr for pr, _ in pairs)
        checked = [r for _, r in pairs]
        parts.append(Result.combine(checked, method=EXACT, scope=_local_scope(options),
                                    evidence="∂x_t/∂x_k = J_t ⋯ J_(k+1) for every t, n: "
                                    + "; ".join(r.evidence for r in checked)).with_(proofs=products))
    parts.append(_unrolling(options, "eq8" if kind == "eq8" else "eq9"))
    return parts


def _check_sum(options: Options, kind: str, build: Callable, head: str) -> Result:
    parts = _induction(options, kind)
    parts.append(_decide_fast(_composed_pairs(options, build), _composed_cases(options, build),
                              method=EXACT, what="composed network", scope=_composed_scope(options)))
    return _join(parts, _claim_scope(options), INDUCTION, head)


@REGISTRY.claim(
    "blog.eq8", source="blog eq. 8", expect=Verdict.PROVED,
    statement="the expansion (8.1)/(8.2) of ∂E_t/∂θ obtained by substituting (7) into itself",
    reading="∂x_k/∂g is the immediate partial ∂⁺x_k/∂θ; every depth d <= t-1",
)
def check_eq8(options: Options) -> Result:
    """Blog eq. 8: (8.1) and its expansion (8.2), eq. 7 substituted into itself d times,
    ``∂E_t/∂θ = Σ_{k=t-d}^{t} ∂E_t/∂x_t (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) ∂⁺x_k/∂θ
    + ∂E_t/∂x_t (∏_{j=t-d}^{t} ∂x_j/∂x_{j-1}) ∂x_{t-d-1}/∂θ`` for every depth 0 <= d <= t−1.

    >>> check_eq8(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)

    def every_depth(net, loss, t, theta, pieces=SYMPY_PIECES):
        return [eq8(net, loss, t, theta, depth=d, pieces=pieces) for d in range(t)]

    parts = _induction(options, "eq8")

    def cases():
        for where, direct, closed in _composed_cases(options, every_depth):
            for d, c in enumerate(closed):
                yield {**where, "depth": d}, direct, c

    parts.append(_decide_fast(_composed_pairs(options, every_depth), cases(), method=EXACT,
                              what="composed network, every depth", scope=_composed_scope(options)))
    return _join(parts, _claim_scope(options, depth=True), INDUCTION,
                 "(8.1) = depth 0, (8.2) = depth d")


@REGISTRY.claim(
    "blog.eq9", source="blog eq. 9", expect=Verdict.PROVED,
    statement="∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) · ∂⁺x_k/∂θ",
    reading="∂x_k/∂g is ∂⁺x_k/∂θ; the product has its largest index leftmost",
)
def check_eq9(options: Options) -> Result:
    """Blog eq. 9: ``∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) ∂⁺x_k/∂θ``,
    the blog's ``∂x_k/∂g`` read as ``∂⁺x_k/∂θ`` and the product with its largest index
    leftmost (J_t ⋯ J_{k+1}).

    >>> check_eq9(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    return _check_sum(options, "eq9", eq9, "∂x_k/∂g read as ∂⁺x_k/∂θ; product J_t ⋯ J_(k+1)")


@REGISTRY.claim(
    "blog.eq11", source="blog eq. 11", expect=Verdict.PROVED,
    statement="∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ",
    reading="∂x_k/∂g is ∂⁺x_k/∂θ; ∂x_t/∂x_k the direct multi-step Jacobian",
)
def check_eq11(options: Options) -> Result:
    """Blog eq. 11: ``∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ`` (∂x_k/∂g read
    as the immediate partial; ∂x_t/∂x_k the direct multi-step Jacobian).

    >>> check_eq11(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    return _check_sum(options, "eq11", eq11, "∂x_k/∂g read as ∂⁺x_k/∂θ")


@REGISTRY.claim(
    "paper.eq4", source="paper eq. 4", expect=Verdict.PROVED,
    statement="eq. (4) with immediate partials",
    reading="∂⁺x_k/∂θ with x_{k-1} held constant, as the paper defines it",
)
def check_paper_eq4(options: Options) -> Result:
    """Paper eq. 4: ``∂E_t/∂θ = Σ_{1≤k≤t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ`` with the
    immediate partial as the paper defines it (form A is the paper's eq. 2; form B is
    checked too, with h for x).

    >>> check_paper_eq4(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    return _check_sum(options, "eq11", paper_eq4, "∂⁺x_k/∂θ: x_(k-1) held constant")


# --------------------------------------------------------------------------- readings: ∂ for ∂⁺

def _total_reading(options: Options, build: Callable, direct: Callable, what: str) -> Result:
    """Refute the total-derivative reading on the smallest network where it shows (n = 1,
    m = 1, T = 2, generic σ and L); proved-equal would be reported as such."""
    net = RNN(1, 1, 2)
    cases = [(_label(net, t=2, θ=theta), direct(net, theta), build(net, theta))
             for theta in THETAS]
    r = decide(cases, method=Method(MethodKind.EXACT, "expansion and a certified point"),
               scope=Scope(spans=(Span("n", 1, 1), Span("m", 1, 1), Span("T", 2, 2)),
                           activations=("generic",), forms=("A",), losses=("generic",),
                           note="a counterexample there refutes the general statement"),
               what=what)
    if r.verdict is Verdict.PROVED:
        return replace(r, evidence=r.evidence + " (the reading agrees: no double counting)")
    return r


@REGISTRY.claim(
    "blog.eq7.total-derivative", source="blog eq. 7", expect=Verdict.REFUTED,
    statement=("eq. 7 with the blog's ∂x_k/∂g read as the total derivative ∂x_k/∂θ (instead of"
               " the immediate partial ∂⁺x_k/∂θ): ∂x_t/∂θ = ∂x_t/∂θ + ∂x_t/∂x_(t-1) "
               "∂x_(t-1)/∂θ"),
    reading="the blog's ∂x_t/∂g is the total derivative ∂x_t/∂θ",
    authors_reading=False,
)
def check_eq7_total(options: Options) -> Result:
    """Eq. 7 with ``∂x_t/∂θ`` (total) for ``∂⁺x_t/∂θ``: false (the path through x_{t−1} is
    counted twice).

    >>> check_eq7_total(Options.quick_sizes()).verdict.value
    'refuted'
    """
    options = capped(options)
    return _total_reading(options, lambda net, th: eq7(net, 2, th, partial="total"),
                          lambda net, th: state_gradient(net, 2, th), "eq. 7, total reading")


@REGISTRY.claim(
    "blog.eq9.total-derivative", source="blog eq. 9", expect=Verdict.REFUTED,
    statement=("eq. 9 with the blog's ∂x_k/∂g read as the total derivative ∂x_k/∂θ (instead of"
               " the immediate partial ∂⁺x_k/∂θ)"),
    reading="∂x_k/∂g is the total derivative ∂x_k/∂θ",
    authors_reading=False,
)
def check_eq9_total(options: Options) -> Result:
    """Eq. 9 with ``∂x_k/∂θ`` (total) inside the sum: false (double counting).

    >>> check_eq9_total(Options.quick_sizes()).verdict.value
    'refuted'
    """
    options = capped(options)
    return _total_reading(options, lambda net, th: eq9(net, "generic", 2, th, partial="total"),
                          lambda net, th: loss_gradient(net, "generic", 2, th),
                          "eq. 9, total reading")


@REGISTRY.claim(
    "blog.eq11.total-derivative", source="blog eq. 11", expect=Verdict.REFUTED,
    statement=("eq. 11 with the blog's ∂x_k/∂g read as the total derivative ∂x_k/∂θ (instead "
               "of the immediate partial ∂⁺x_k/∂θ)"),
    reading="∂x_k/∂g is the total derivative ∂x_k/∂θ",
    authors_reading=False,
)
def check_eq11_total(options: Options) -> Result:
    """Eq. 11 with ``∂x_k/∂θ`` (total) inside the sum: false (double counting).

    >>> check_eq11_total(Options.quick_sizes()).verdict.value
    'refuted'
    """
    options = capped(options)
    return _total_reading(options, lambda net, th: eq11(net, "generic", 2, th, partial="total"),
                          lambda net, th: loss_gradient(net, "generic", 2, th),
                          "eq. 11, total reading")


# --------------------------------------------------------------------------- paper eq. 4, row
def _row_cases(options: Options, form: str, formula: Callable):
    """Row i of ∂⁺x_k/∂W_rec reshaped to n × n, vs ``formula(net, i)``, with the previous
    state free (every k)."""
    for n, m in _sizes(options):
        for net in _nets(n, m, 1, forms=(form,)):
            part = immediate_gradient(net, 1, "W_rec")
            for i in range(n):
                yield _label(net, row=i + 1), row_block(part, net, i), formula(net, i)


def _row_scope(options: Options, form: str, note: str) -> Scope:
    return Scope(spans=(Span("n", 1, options.n), Span("m", 1, options.m), Span("k", 1, None)),
                 activations=tuple(ACTIVATIONS), forms=(form,),
                 note=f"{note}; every k (previous state free)")


def _unit_row(n: int, i: int, row: sp.Matrix) -> sp.Matrix:
    """The n × n matrix with ``row`` (1 × n) as row i and zeros elsewhere."""
    return sp.Matrix(n, n, lambda p, q: row[q] if p == i else 0)


@REGISTRY.claim(
    "paper.eq4.row", source="paper eq. 4 (text)", expect=Verdict.PROVED,
    statement=("\"any row i of ∂⁺x_k/∂W_rec is just σ(x_{k-1})\", read as "
               "∂⁺x_{k,i}/∂(W_rec)_{i,·} = σ(x_{k-1})^T and zero for the other rows of W_rec"),
    reading="∂⁺x_{k,i}/∂(W_rec)_{i,·} = σ(x_{k-1})^T and zero for the other rows",
)
def check_paper_eq4_row(options: Options) -> Result:
    """The paper's remark "any row i of ∂⁺x_k/∂W_rec is just σ(x_{k-1})", read as
    ``∂⁺x_{k,i}/∂(W_rec)_{i,·} = σ(x_{k-1})^T`` and zero for the other rows of W_rec.

    Form A (the paper's eq. 2), previous state free (so every k): row i of the n × n²
    matrix ∂⁺x_k/∂vec(W_rec), reshaped to n × n, is ``e_i σ(x_{k-1})^T``. (Form B: see
    ``paper.eq4.row.formB``.)

    >>> check_paper_eq4_row(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    scope = _row_scope(options, "A", "the paper's eq. 2")

    def formula(net, i):
        return _unit_row(net.n, i, net.sigma(net.state_symbols(0)).T)

    return decide(_row_cases(options, "A", formula), method=EXACT,
                  what="row blocks of ∂⁺x_k/∂W_rec", scope=scope)


@REGISTRY.claim(
    "paper.eq4.row.formB", source="paper eq. 4 (text)", expect=Verdict.PROVED,
    statement=("in form B (footnote 1) row i of ∂⁺h_k/∂W_rec is σ'(a_(k,i)) h_(k-1)^T (a_k = "
               "W_rec h_(k-1) + W_in u_k + b), not the remark's h_(k-1)^T: the remark holds in"
               " form A only"),
)
def check_paper_eq4_row_form_b(options: Options) -> Result:
    """Form B: the row is ``σ'(a_{k,i}) h_{k-1}^T`` (proved), and the form-A remark
    transplanted (``h_{k-1}^T``, no σ') is refuted by a certified counterexample.

    >>> check_paper_eq4_row_form_b(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)
    scope = _row_scope(options, "B", "footnote 1's form")

    def right(net, i):
        h = net.state_symbols(0)
        a_i = net.preactivation(h, 1)[i]
        return _unit_row(net.n, i, (net.dsigma(a_i) * h).T)

    def remark(net, i):
        return _unit_row(net.n, i, net.state_symbols(0).T)

    proved = decide(_row_cases(options, "B", right), method=EXACT,
                    what="row i = σ'(a_(k,i)) h_(k-1)^T", scope=scope)
    small = Options(n=1, m=1)
    wrong = decide(_row_cases(small, "B", remark), method=EXACT,
                   what="row i = h_(k-1)^T (the form-A remark)",
                   scope=_row_scope(small, "B", "the form-A remark transplanted"))
    if proved.verdict is Verdict.PROVED and wrong.verdict is Verdict.REFUTED:
        return Result(Verdict.PROVED, Method(MethodKind.EXACT, "expansion and a certified point"),
                      replace(scope, checked=proved.scope.checked),
                      f"{proved.evidence}; the remark's h_(k-1)^T differs: {wrong.counterexample}",
                      details=(proved, wrong))
    bad = proved if proved.verdict is not Verdict.PROVED else wrong
    verdict = Verdict.REFUTED if proved.verdict is Verdict.REFUTED else Verdict.UNDECIDED
    return Result(verdict, EXACT, scope, f"not established: {bad.evidence}",
                  counterexample=proved.counterexample if verdict is Verdict.REFUTED else None,
                  details=(proved, wrong))


# --------------------------------------------------------------------------- footnote 1
def form_b_from_a(net_a: RNN, t: int) -> sp.Matrix:
    """Form B's state h_t with ``h_0 := σ(x_0)`` (the network ``net_a``'s sizes and
    activation, composed from the form-A initial symbols x_0).

    >>> form_b_from_a(RNN(1, 1, 1), 1)
    Matrix([[sigma(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
    """
    net_b = RNN(net_a.n, net_a.m, net_a.T, net_a.activation, "B")
    h0 = net_b.state_symbols(0)
    return net_b.state(t).xreplace(dict(zip(h0, net_a.sigma(net_a.state_symbols(0)))))


@lru_cache(maxsize=64)
def _footnote_networks(n: int, m: int, activation: str) -> tuple[ForwardNetwork, ForwardNetwork]:
    net_a = RNN(n, m, 1, activation, "A")
    net_b = RNN(n, m, 1, activation, "B")
    return (ForwardNetwork(net_a, ALL),
            ForwardNetwork(net_b, ALL, initial=net_a.sigma(net_a.state_symbols(0))))


@lru_cache(maxsize=256)
def _footnote_rows(n: int, m: int, activation: str, loss_name: str, t: int) -> tuple[sp.Matrix, sp.Matrix]:
    fa, fb = _footnote_networks(n, m, activation)
    side_a = loss_dual(loss_name, DUALS.sigma(fa.net.act, fa.state(t)), t, value=False).tan
    return side_a, loss_dual(loss_name, fb.state(t), t, value=False).tan


def footnote_gradients(net_a: RNN, loss_name: str, t: int, theta: str, *,
                       route: str = "forward") -> tuple[sp.Matrix, sp.Matrix]:
    """``(∂E_t(σ(x_t))/∂θ, ∂E_t^B(h_t)/∂θ)`` (1 × |θ| rows) on the composed networks, form B
    from ``h_0 = σ(x_0)``: by forward differentiation (``route="forward"``) or by SymPy's
    ``diff`` of the composed expressions (``"sympy"``, the reference).

    >>> a, b = footnote_gradients(RNN(1, 1, 1), "generic", 1, "b")
    >>> a == b
    True
    """
    if route == "sympy":
        loss = loss_named(loss_name)
        v = parameter_vector(net_a, theta)
        e_a = loss.at(net_a.sigma(net_a.state(t)), t)
        e_b = loss.at(form_b_from_a(net_a, t), t)
        return sp.Matrix([[e_a]]).jacobian(v), sp.Matrix([[e_b]]).jacobian(v)
    side_a, side_b = _footnote_rows(net_a.n, net_a.m, net_a.activation, loss_name, t)
    return columns(net_a, side_a, theta), columns(net_a, side_b, theta)


def _footnote_step_count(options: Options) -> int | None:
    """The number of :func:`check_footnote` step cases (``σ(step_A(s)) = step_B(σ(s))``, in
    order) when each holds in canonical polynomials (:class:`derive.direct.PolyValues`: the
    cells' steps and σ on polynomial values), else None.

    >>> _footnote_step_count(Options(n=1, m=1))
    4
    """
    count = 0
    try:
        for n, m in _sizes(options):
            for net in _nets(n, m, 1, forms=("A",)):
                net_b = RNN(n, m, 1, net.activation, "B")
                P = PolyValues(shared_canon(_network_of(_label(net))))
                s0 = P._values(net.state_symbols(0))
                left = P.sigma(net.act, list(net.cell.step(P, net.act, net.parameters, (s0,), net.u(1)).state))
                right = net_b.cell.step(P, net_b.act, net_b.parameters, (P.sigma(net.act, s0),), net_b.u(1)).state
                if len(left) != len(right) or not all((a - b).is_zero() for a, b in zip(left, right)):
                    return None
                count += 1
    except Exception:  # noqa: BLE001 - the SymPy route is the reference and reports it
        return None
    return count


def _footnote_gradient_count(n_max: int, m_max: int, T: int, activations) -> int | None:
    """The number of :func:`check_footnote` gradient cases (in order) when each holds in
    canonical polynomials: ``∂E_t(σ(x_t))/∂θ`` on form A's polynomial forward network vs
    ``∂E_t^B(h_t)/∂θ`` on form B's from ``h_0 = σ(x_0)``
    (:class:`derive.forward_gradients.PolyForwardNetwork`), else None.

    >>> _footnote_gradient_count(1, 1, 2, ("generic",))
    12
    """
    count = 0
    try:
        for n in range(1, n_max + 1):
            for m in range(1, m_max + 1):
                for activation in activations:
                    canon = shared_canon((n, m, activation, "A"))
                    fa = PolyForwardNetwork((n, m, activation, "A"), canon)
                    h0 = PolyValues(canon).sigma(fa.net.act, fa.state(0).val)
                    fb = PolyForwardNetwork((n, m, activation, "B"), canon, initial=h0)
                    for name in LOSSES:
                        for t in range(1, T + 1):
                            for theta in THETAS:
                                if not (fa.sigma_loss_gradient(name, t, theta)
                                        - fb.loss_gradient(name, t, theta)).is_zero():
                                    return None
                                count += 1
    except Exception:  # noqa: BLE001 - the SymPy route is the reference and reports it
        return None
    return count


def _range_note() -> str:
    return ("needs h_0 = σ(x_0) for some x_0, i.e. h_0 in the range of σ: (-1, 1)^n for tanh, "
            "(0, 1)^n for sigmoid, [0, ∞)^n for relu; matching x_1 = W_rec σ(x_0) + … for every "
            "W_rec forces σ(x_0) = h_0")


@REGISTRY.claim(
    "paper.eq2.footnote", source="paper eq. 2, footnote 1", expect=Verdict.PROVED,
    statement="form A and form B are equivalent after redefining E_t := E_t(σ(x_t))",
    reading="h_0 = σ(x_0): form B's states are h_t = σ(x_t) and the gradients agree",
)
def check_footnote(options: Options) -> Result:
    """Paper footnote 1: form A (eq. 2) and form B are equivalent after redefining
    ``E_t := E_t(σ(x_t))``.

    Read as: with ``h_0 = σ(x_0)``, form B's states are ``h_t = σ(x_t)`` for every t (one
    step, previous state free: ``σ(W_rec σ(s) + W_in u + b)`` is form B's step at σ(s)), and
    the gradients agree: ``∂/∂θ E_t(σ(x_t))`` (form A) = ``∂/∂θ E_t^B(h_t)`` (form B), checked
    on the composed network at :func:`composed_sizes`.

    >>> check_footnote(Options.quick_sizes()).verdict.value
    'proved'
    """
    options = capped(options)

    def step_cases():
        for n, m in _sizes(options):
            for net in _nets(n, m, 1, forms=("A",)):
                s = net.state_symbols(0)
                net_b = RNN(n, m, 1, net.activation, "B")
                yield _label(net), net.sigma(net.step(s, 1)), net_b.step(net.sigma(s), 1)

    steps = _decide_counted(
        _footnote_step_count(options), step_cases(), method=EXACT, what="σ(x_t) obeys form B's step",
        scope=Scope(spans=(Span("n", 1, options.n), Span("m", 1, options.m), Span("t", 1, None)),
                    activations=tuple(ACTIVATIONS), note="every t by induction"))
    n_max, m_max, T = composed_sizes(options)
    T = min(T, 2)
    activations = ("generic",) if options.quick else ACTIVATIONS

    def gradient_cases():
        for n in range(1, n_max + 1):
            for m in range(1, m_max + 1):
                for net in (RNN(n, m, T, a, "A") for a in activations):
                    for name in LOSSES:
                        for t in range(1, net.T + 1):
                            for theta in THETAS:
                                yield (_label(net, loss=name, t=t, θ=theta),
                                       *footnote_gradients(net, name, t, theta))

    g_scope = Scope(spans=(Span("n", 1, n_max), Span("m", 1, m_max), Span("T", 1, T)),
                    activations=tuple(activations), losses=tuple(LOSSES),
                    note="composed network, every t <= T")
    gradients = _decide_counted(
        _footnote_gradient_count(n_max, m_max, T, activations), gradient_cases(), method=EXACT,
        what="∂E_t(σ(x_t))/∂θ = ∂E_t^B(h_t)/∂θ", scope=g_scope)
    scope = Scope(spans=(Span("n", 1, options.n), Span("m", 1, options.m), Span("t", 1, None)),
                  activations=tuple(ACTIVATIONS), forms=FORMS, losses=tuple(LOSSES),
                  note=f"h_0 = σ(x_0); states h_t = σ(x_t) for every t by induction; gradients "
                       f"on the composed network at n <= {n_max}, m = {m_max}, every t <= T = {T} "
                       f"(they follow from the states: E_t(σ(x_t)) and E_t^B(h_t) are one "
                       f"function of θ)")
    return _join([steps, gradients], scope, EXACT, "h_t := σ(x_t); " + _range_note())


__all__ = [
    "composed_sizes",
    "decide",
    "label_text",
    "by_case",
    "form_b_from_a",
    "footnote_gradients",
    "generic_sum_sides",
    "local_part",
    "LOCAL_WHAT",
    "UNROLL_T",
    "MAX_N",
    "MAX_M",
    "capped",
]
