"""``check_inequality``: a user's inequality between norm expressions, with hypotheses.

The statement and its hypotheses are parsed by :func:`derive.formula.parse_statement`
(never eval) into :mod:`derive.norm_expr` trees. Index variables (t, k, j, i) are
quantified over every value (0 <= k < t for the pair k, t); ``D[e]`` is ``diag(σ'(z))`` at
any point z (the states are arbitrary: b and the inputs are free), independently per step.
The decision:

1. **a lemma-based proof for every n**: a small search over the lemma table
   (:mod:`derive.lemmas`) — a chain of rewrites, each link one lemma application, an
   assumption (a hypothesis, instantiated at the statement's indices) or an exact identity,
   checked mechanically by :mod:`derive.lemma_proof` (hypotheses of every lemma proved);
   found: ``proved-from-lemmas`` with the checked proof in ``Result.proofs``;
2. **a certified counterexample** (:mod:`numeric`): exact rational instances — structured
   (identity, nilpotent, Jordan, rank-deficient, orthogonal, ...), random, with the scalar
   constants also at the boundary values the hypotheses allow — at which the hypotheses
   hold and the statement fails, decided by certified enclosures (an equality only from
   exact values): ``refuted`` with the instance;
3. else ``undecided``, with the reason.

For a concrete activation the diagonal of D takes only values σ' attains exactly at a
rational point (tanh: 1 at 0; sigmoid: 1/4 at 0; relu: 0 and 1), so every counterexample
is a real instance of the model.

>>> check_inequality("norm2(W @ D[j]) <= norm2(W) * norm2(D[j])").label.value
'proved-from-lemmas'
>>> r = check_inequality("norm2(W @ D[j]) < norm2(W) * norm2(D[j])")
>>> r.label.value, r.counterexample.note.split(":")[0]
('refuted', 'the strict inequality fails')
>>> check_inequality("rho(W) >= smax(W)").label.value
'refuted'
"""
from __future__ import annotations

import itertools
import math
import time
from fractions import Fraction

from flint import arb, ctx, fmpq

from derive.formula import Statement, parse_statement
from derive.lemma_proof import (ALGEBRA, ASSUMPTION, Assumption, Chain, LemmaProof, Link, Prover,
                                check_link, check_proof)
from derive.lemmas import LEMMA
from derive import norm_expr as nx
from numeric.enclosure import Enclosure, compare
from numeric.instances import random_matrices, structured_matrices
from numeric.linalg import max_eigenvalue, spectral_norm, spectral_radius
from numeric.matrices import diag, identity, matmul, transpose
from rnncore.errors import FormulaError, InvalidInputError
from rnncore.results import Counterexample, Location, Method, MethodKind, Result, Scope, Span, Verdict
from rnncore.validate import MAX_INEQUALITY_N, check_size

#: Sizes tried when ``n`` is not given (the largest ``n`` accepted is
#: :data:`rnncore.validate.MAX_INEQUALITY_N`).
DEFAULT_SIZES = (1, 2, 3)
#: The work budgets, counted, so that a statement gets the same verdict whatever the load
#: of the machine: candidate chains the lemma search checks for one link (each candidate is
#: one chain handed whole to the proof checker), and instance evaluations of the
#: counterexample search. Past either: undecided, naming the budget.
PROOF_CHAINS, MAX_INSTANCES = 3000, 4000
#: Seconds after which a check stops whatever it has done: a guard against a hang only, far
#: beyond what the count budgets take; its undecided says that the time ran out.
TIME_BUDGET = 600.0
#: Steps the index variables range over in the search (t in 1..MAX_STEP, 0 <= k < t, j, i).
MAX_STEP = 3
#: The values of σ' attained exactly at a rational point, per activation (None: any).
EXACT_DSIGMA = {"generic": None, "tanh": (Fraction(1),), "sigmoid": (Fraction(1, 4),),
                "relu": (Fraction(0), Fraction(1))}
_FLIP = {">": "<", ">=": "<="}


# ------------------------------------------------------------------ certified scalar values
class _Val:
    """A certified real value: an exact Fraction, or an Enclosure."""

    __slots__ = ("exact", "lo", "hi")

    def __init__(self, lo: Fraction, hi: Fraction | None = None) -> None:
        hi = lo if hi is None else hi
        self.lo, self.hi = Fraction(lo), Fraction(hi)
        self.exact = self.lo == self.hi

    @staticmethod
    def of(enc: Enclosure) -> "_Val":
        return _Val(enc.lo, enc.hi)

    def enclosure(self) -> Enclosure:
        return Enclosure(self.lo, self.hi)

    def __add__(self, o):
        return _Val(self.lo + o.lo, self.hi + o.hi)

    def __mul__(self, o):
        ps = [self.lo * o.lo, self.lo * o.hi, self.hi * o.lo, self.hi * o.hi]
        return _Val(min(ps), max(ps))

    def inv(self):
        if self.lo <= 0 <= self.hi:
            raise _Undefined("a reciprocal of a value that may be 0")
        return _Val(1 / self.hi, 1 / self.lo)

    def text(self) -> str:
        if self.exact:
            return str(self.lo)
        return f"[{float(self.lo):.6g}, {float(self.hi):.6g}]"


class _Undefined(Exception):
    """The statement has no value at this instance (1/0, a power of 0 with a negative exponent)."""


def _sqrt(v: _Val) -> _Val:
    if v.hi < 0:
        raise _Undefined("the square root of a negative number")
    lo, hi = max(v.lo, Fraction(0)), v.hi
    out = []
    for x in (lo, hi):
        q = fmpq(x.numerator, x.denominator)
        num, den = q.p, q.q
        rn, rd = _isqrt_exact(num), _isqrt_exact(den)
        if rn is not None and rd is not None:
            out.append((Fraction(rn, rd), Fraction(rn, rd)))
            continue
        with ctx.workprec(200):
            b = arb(q).sqrt()
            out.append((Enclosure.from_arb(b).lo, Enclosure.from_arb(b).hi))
    return _Val(out[0][0], out[1][1])


def _isqrt_exact(x: int):
    r = math.isqrt(x)
    return r if r * r == x else None


# ------------------------------------------------------------------ instances
class _Instance:
    """Concrete values: matrices by name, diagonals of D by step, scalars, indices."""

    def __init__(self, n, W, W_in, dvals, scalars, idx, label):
        self.n, self.W, self.W_in, self.dvals = n, W, W_in, dvals
        self.scalars, self.idx, self.label = scalars, idx, label

    def D(self, step: int):
        return diag(self.dvals(step))


def _matrix(e, inst: _Instance, env: dict):
    if isinstance(e, nx.Mat):
        if e.name == "W":
            return inst.W
        if e.name == "I":
            return identity(inst.n)
        if e.name == "W_in":
            return inst.W_in
        if e.name == "A":  # the generic matrix takes the instance's square matrices
            return inst.W
        raise _Undefined(f"no value for {e.name}")
    if isinstance(e, nx.Diag) and isinstance(e.arg, nx.Mat) and e.arg.name == "s":
        return inst.D(_index(e.arg.sub, env))
    if isinstance(e, nx.MatMul):
        out = _matrix(e.factors[0], inst, env)
        for f in e.factors[1:]:
            out = matmul(out, _matrix(f, inst, env))
        return out
    if isinstance(e, nx.MatAdd):
        mats = [_matrix(t, inst, env) for t in e.terms]
        return tuple(tuple(sum(m[i][j] for m in mats) for j in range(len(mats[0][0])))
                     for i in range(len(mats[0])))
    if isinstance(e, (nx.Tr, nx.CT)):  # the instances are real: Aᴴ = Aᵀ
        return transpose(_matrix(e.arg, inst, env))
    if isinstance(e, nx.MatPow):
        base, p = _matrix(e.base, inst, env), _index(e.exp, env)
        out = identity(inst.n)
        for _ in range(p):
            out = matmul(out, base)
        return out
    if isinstance(e, nx.MatProd):
        lo, hi = _index(e.lo, env), _index(e.hi, env)
        _check_range(lo, hi)
        out = identity(inst.n)
        for v in range(hi, lo - 1, -1):
            out = matmul(out, _matrix(e.body, inst, {**env, e.idx.name: v}))
        return out
    raise _Undefined(f"cannot evaluate {e.text()}")


#: Most factors or terms one product or sum is evaluated with at an instance.
MAX_RANGE = 256


def _check_range(lo: int, hi: int) -> None:
    if hi - lo + 1 > MAX_RANGE:
        raise _Undefined(f"a product or sum of {hi - lo + 1} terms (at most {MAX_RANGE} are evaluated)")


def _index(e, env: dict) -> int:
    v = _scalar(e, None, env)
    if not v.exact or v.lo.denominator != 1:
        raise _Undefined(f"the index {e.text()} is not an integer")
    return int(v.lo)


def _scalar(e, inst: _Instance | None, env: dict) -> _Val:
    if isinstance(e, nx.Num):
        return _Val(e.value)
    if isinstance(e, nx.Sym):
        if e.name in env:
            return _Val(Fraction(env[e.name]))
        if inst is not None and e.name in inst.scalars:
            return _Val(inst.scalars[e.name])
        raise _Undefined(f"no value for {e.name}")
    if isinstance(e, nx.Add):
        out = _Val(Fraction(0))
        for t in e.terms:
            out = out + _scalar(t, inst, env)
        return out
    if isinstance(e, nx.Mul):
        out = _Val(Fraction(1))
        for f in e.factors:
            out = out * _scalar(f, inst, env)
        return out
    if isinstance(e, nx.Pow):
        base = _scalar(e.base, inst, env)
        p = _index(e.exp, env)
        if p < 0:
            base, p = base.inv(), -p
        if p > 256:
            raise _Undefined("an exponent beyond 256")
        out = _Val(Fraction(1))
        for _ in range(p):
            out = out * base
        if p % 2 == 0 and p and out.lo < 0:
            out = _Val(Fraction(0), out.hi)
        return out
    if isinstance(e, nx.Abs):
        v = _scalar(e.arg, inst, env)
        if v.lo >= 0:
            return v
        if v.hi <= 0:
            return _Val(-v.hi, -v.lo)
        return _Val(Fraction(0), max(-v.lo, v.hi))
    if isinstance(e, nx.Sqrt):
        return _sqrt(_scalar(e.arg, inst, env))
    if isinstance(e, (nx.Norm2, nx.SigmaMax)):
        M = _matrix(e.arg, inst, env)
        return _Val.of(spectral_norm(M, exact=inst.n <= 8))
    if isinstance(e, nx.NormF):
        M = _matrix(e.arg, inst, env)
        return _sqrt(_Val(sum(x * x for row in M for x in row)))
    if isinstance(e, nx.Rho):
        M = _matrix(e.arg, inst, env)
        return _Val.of(spectral_radius(M, exact=inst.n <= 8))
    if isinstance(e, nx.LambdaMax):
        M = _matrix(e.arg, inst, env)
        if any(M[i][j] != M[j][i] for i in range(len(M)) for j in range(i)):
            raise _Undefined(f"λ_max of {e.arg.text()}, which is not symmetric at the instance")
        return _Val.of(max_eigenvalue(M, exact=inst.n <= 8))
    if isinstance(e, (nx.ProdOver, nx.SumOver)):
        lo, hi = _index(e.lo, env), _index(e.hi, env)
        _check_range(lo, hi)
        out = _Val(Fraction(1 if isinstance(e, nx.ProdOver) else 0))
        for v in range(lo, hi + 1):
            term = _scalar(e.body, inst, {**env, e.idx.name: v})
            out = out * term if isinstance(e, nx.ProdOver) else out + term
        return out
    raise _Undefined(f"cannot evaluate {e.text()}")


def _holds(lhs: _Val, op: str, rhs: _Val):
    """True / False (certified) / None (undecided) for ``lhs op rhs``."""
    c = compare(lhs.enclosure(), rhs.enclosure())
    return c.holds({"==": "=="}.get(op, op))


# ------------------------------------------------------------------ the lemma search
def _goal(lhs, op, rhs):
    if op in _FLIP:
        lhs, op, rhs = rhs, _FLIP[op], lhs
    return lhs, {"==": "="}.get(op, op), rhs


def _instantiate(hyps, stmt_exprs) -> list:
    """Hypotheses with free index variables, instantiated at every index the statement's
    D[..] carry (a hypothesis quantified over j holds at j = i − 1, k, ...)."""
    subs = set()
    for e in stmt_exprs:
        for node in _walk(e):
            if isinstance(node, nx.Mat) and node.sub is not None:
                subs.add(node.sub)
    out = []
    for h in hyps:
        out.append(h)
        free = [v for v in ("j", "k", "t", "i") if v in nx.free_symbols(h)]
        for v in free[:1]:
            for s in sorted(subs, key=lambda x: x.text()):
                out.append(nx.substitute(h, {v: s}) if False else _subst_sym(h, v, s))
    return out


def _subst_sym(e, name: str, value):
    if isinstance(e, nx.Sym) and e.name == name:
        return value
    kids = e.kids()
    if not kids:
        return e
    return nx.normal(e.rebuild(tuple(_subst_sym(k, name, value) for k in kids)))


def _walk(e):
    stack = [e]
    while stack:
        x = stack.pop()
        yield x
        stack.extend(x.kids())
        if isinstance(x, nx.Mat) and x.sub is not None:
            stack.append(x.sub)


def _rewrites(expr, facts):
    """Expressions one assumption step away: an occurrence of a fact's left side replaced
    by its right side (the checker decides whether the link is valid)."""
    out = []
    for fact in facts:
        if not isinstance(fact, nx.Rel):
            continue
        for a, b in ((fact.lhs, fact.rhs),) + (((fact.rhs, fact.lhs),) if fact.op == "=" else ()):
            new = _replace(expr, a, b)
            if new is not None and new != expr:
                out.append(nx.normal(new))
    return out


def _replace(e, old, new):
    if e == old:
        return new
    kids = e.kids()
    if not kids:
        return None
    changed, rebuilt = False, []
    for k in kids:
        r = _replace(k, old, new)
        changed |= r is not None
        rebuilt.append(k if r is None else r)
    return e.rebuild(tuple(rebuilt)) if changed else None


def _distinct_subterms(expr) -> tuple:
    """The subterms of ``expr`` once each, in the walk's order (a set's order follows string
    hashes, which differ between processes: the search must not depend on it)."""
    return tuple(dict.fromkeys(_walk(expr)))


def _may_match(pat, term) -> bool:
    """False only when :func:`derive.norm_expr.match` cannot match ``pat`` at ``term`` (a
    different node type; a pattern variable, a one-term sum or product, or a pattern with no
    variable may match anything), so the search skips the costly call."""
    if type(pat) is type(term) or isinstance(pat, nx.Var) or not nx.unbound_vars(pat, {}):
        return True
    return isinstance(pat, (nx.Mul, nx.Add, nx.MatAdd)) and len(pat.kids()) == 1


def _usable(expr) -> list:
    """Names of the (in)equality lemmas one of whose sides matches a subterm of ``expr``."""
    subterms = _distinct_subterms(expr)
    out = []
    for name, lem in LEMMA.items():
        s = lem.statement
        if lem.searched and isinstance(s, nx.Rel) and any(
                _may_match(side, sub) and next(nx.match(side, sub), None) is not None
                for side in (s.lhs, s.rhs) for sub in subterms):
            out.append(name)
    return out


def _lemma_rewrites(expr):
    """Expressions one lemma application away: a lemma ``A R B`` (A, B with every variable
    bound by matching A) matched at a subterm, replaced by B."""
    out = []
    for lem in LEMMA.values():
        s = lem.statement
        if not lem.searched or not isinstance(s, nx.Rel):
            continue
        # an identity is used either way (σ_max(A) back to ‖A‖₂, say)
        sides = ((s.lhs, s.rhs),) + (((s.rhs, s.lhs),) if s.op == "=" else ())
        subterms = _distinct_subterms(expr)
        for frm, to in sides:
            if not frm.kids():
                continue
            for sub in subterms:
                if not _may_match(frm, sub):
                    continue
                for b in nx.match(frm, sub):
                    if nx.unbound_vars(to, b):
                        continue
                    new = _replace(expr, sub, nx.substitute(to, b))
                    if new is not None:
                        out.append((lem.name, nx.normal(new)))
    return out


class _Search:
    """What the lemma search did: the proof (a ``Result``) or None, the candidate chains it
    checked, and why it stopped (``proved``, ``exhausted``: every chain within the link and
    expression limits was tried, ``budget``: the count budget was spent, ``time``: the hang
    guard)."""

    __slots__ = ("result", "checked", "stop")

    def __init__(self, result, checked: int, stop: str) -> None:
        self.result, self.checked, self.stop = result, checked, stop


#: Most links of a chain the search builds, and most distinct expressions it visits.
MAX_LINKS, MAX_EXPRESSIONS = 6, 400


def _search_proof(lhs, op, rhs, hyps, budget: int = PROOF_CHAINS,
                  deadline: float = math.inf) -> _Search:
    """A checked lemma proof of ``lhs op rhs`` (op in =, <, <=): breadth-first over chains
    of lemma/assumption rewrites from lhs, closed by an exact identity or a final link the
    checker accepts. Deterministic: the candidates are generated in a fixed order and at
    most ``budget`` of them are checked; ``deadline`` (a monotonic time) is a hang guard.

    >>> from derive.norm_expr import Diag, Mat, MatMul, Norm2, Mul, Num
    >>> W, D = Mat("W"), Diag(Mat("s", "n", "1"))
    >>> s = _search_proof(Norm2(MatMul(W, D)), "<=", Mul(Norm2(W), Norm2(D)), [])
    >>> s.stop, s.checked
    ('proved', 7)
    >>> _search_proof(Norm2(W), "<", Num(1), [], budget=3).stop
    'budget'
    >>> s = _search_proof(Norm2(W), "<", Num(1), [])
    >>> s.stop, s.checked < PROOF_CHAINS
    ('exhausted', True)
    """
    assumptions = tuple(Assumption(h, f"hypothesis {h.text()}") for h in hyps)
    goal = nx.Rel(lhs, op, rhs)
    # one prover for the whole search, with the facts a proof of one chain starts from (the
    # assumptions, labelled as the proof checker labels them): a candidate chain is its
    # frontier chain, already checked, plus one new link, so only that link is checked
    prover = Prover(LEMMA, [(a.statement, f"a{i}") for i, a in enumerate(assumptions, 1)])
    frontier = [(lhs, ())]
    seen = {lhs}
    checked = 0

    def stop():
        if checked >= budget:
            return "budget"
        return "time" if time.monotonic() > deadline else None

    def link_ok(expr, link) -> bool:
        nonlocal checked
        checked += 1
        return check_link(expr, link, prover).ok

    for _ in range(MAX_LINKS):
        nxt = []
        for expr, links in frontier:
            # the last link may be weaker than the goal when an earlier link is strict
            rels = ("=",) + tuple(r for r in ("<", "<=") if r == op or op == "<=" or
                                  any(l.rel == "<" for l in links))
            usable = _usable(expr)
            finals = [Link("=", rhs, ALGEBRA)] + [
                Link(rel, rhs, by) for by in (ASSUMPTION, *usable) for rel in rels]
            for final in finals:
                why = stop()
                if why:
                    return _Search(None, checked, why)
                chain = links + (final,)
                composed = "="
                for l in chain:
                    composed = nx.compose(composed, l.rel)
                if not nx.implies(composed, op) or not link_ok(expr, final):
                    continue
                # the whole proof, checked from scratch, is the verdict
                proof = LemmaProof("statement", goals=(goal,), assumptions=assumptions,
                                   steps=(Chain(lhs, chain),))
                r = check_proof(proof)
                if r.verdict is Verdict.PROVED:
                    return _Search(r, checked, "proved")
            steps = [(ASSUMPTION, e) for e in _rewrites(expr, hyps)] + _lemma_rewrites(expr)
            for by, new in steps:
                if new in seen or len(seen) > MAX_EXPRESSIONS:
                    continue
                seen.add(new)
                for rel in ("=", "<", "<="):  # the strongest relation that checks
                    why = stop()
                    if why:
                        return _Search(None, checked, why)
                    if link_ok(expr, Link(rel, new, by)):
                        nxt.append((new, links + (Link(rel, new, by),)))
                        break
        frontier = nxt
        if not frontier:
            break
    return _Search(None, checked, "exhausted")


def _search_text(s: _Search, budget: int, guard: float) -> str:
    """Why the lemma search found no proof, in words (its budget, or the hang guard)."""
    if s.stop == "budget":
        return f"the lemma search explored its budget of {budget} candidate chains"
    if s.stop == "time":
        return (f"the lemma search was stopped by the {guard:g} s time guard after "
                f"{s.checked} candidate chains (a time stop, not the count budget)")
    return (f"the lemma search tried every chain of at most {MAX_LINKS} lemma/assumption "
            f"steps within {MAX_EXPRESSIONS} expressions ({s.checked} candidate chains)")


# ------------------------------------------------------------------ the counterexample search
def _diagonals(n: int, activation: str):
    vals = EXACT_DSIGMA[activation]
    if vals is None:
        F = Fraction
        pool = [[F(1)] * n, [F(0)] * n, [F(1, 2)] * n, [F(2)] * n,
                [F(1) if i == 0 else F(0) for i in range(n)],
                [F(1) if i % 2 == 0 else F(-1) for i in range(n)],
                [F(i + 1, n + 1) for i in range(n)], [F(3, 2) - F(i, 2) for i in range(n)]]
    else:
        pool = [list(p) for p in itertools.islice(itertools.product(vals, repeat=n), 16)]
    out, seen = [], set()
    for p in pool:
        if tuple(p) not in seen:
            seen.add(tuple(p))
            out.append(tuple(p))
    return out


def _index_envs(free: frozenset):
    names = sorted(free)
    ranges = []
    for v in names:
        ranges.append(range(0, MAX_STEP + 1) if v != "t" else range(1, MAX_STEP + 1))
    for values in itertools.product(*ranges):
        env = dict(zip(names, values))
        if "k" in env and "t" in env and not env["k"] < env["t"]:
            continue
        yield env


def _scalar_names(exprs) -> set:
    out = set()
    for e in exprs:
        for node in _walk(e):
            if isinstance(node, nx.Sym) and node.name in ("γ", "η"):
                out.add(node.name)
    return out


def _candidate_scalars(inst_base, hyps, names) -> list[dict]:
    """Values of γ, η to try: small fixed ones and the boundary values the hypotheses
    reach on this instance (γ = ‖D‖₂ for a hypothesis ‖D‖₂ <= γ, and 1/σ_max(W))."""
    pool = {Fraction(1), Fraction(1, 2), Fraction(2), Fraction(1, 4)}
    for h in hyps:
        if isinstance(h, nx.Rel):
            for side in (h.lhs, h.rhs):
                if not _scalar_names([side]):
                    try:
                        v = _scalar(side, inst_base, {"j": 1, "k": 0, "t": 1, "i": 1})
                    except (_Undefined, InvalidInputError, ArithmeticError, KeyError):
                        continue
                    if v.exact and v.lo > 0:
                        pool |= {v.lo, 1 / v.lo, v.lo * Fraction(15, 16), 1 / v.lo * Fraction(15, 16)}
    pool = sorted(p for p in pool if 0 < p <= 64)[:10]
    names = sorted(names)
    if not names:
        return [{}]
    return [dict(zip(names, vals)) for vals in itertools.product(pool, repeat=len(names))]


def _hyp_envs(h, free_stmt_env):
    free = [v for v in ("i", "j", "k", "t") if v in nx.free_symbols(h)]
    fixed = {v: free_stmt_env[v] for v in free if v in free_stmt_env}
    rest = frozenset(v for v in free if v not in fixed)
    for env in _index_envs(rest):
        yield {**fixed, **env}


def _search_counterexample(stmt: Statement, hyps, activation: str, sizes, deadline: float,
                           no_value: list | None = None, stops: list | None = None):
    no_value = [] if no_value is None else no_value
    stops = [] if stops is None else stops
    exprs = [x for l, _, r in stmt.links for x in (l, r)] + list(hyps)
    names = _scalar_names(exprs)
    evaluated = 0
    undecided = 0
    for n in sizes:
        Ws = structured_matrices(n) + [(f"random {i + 1}", M) for i, M in
                                       enumerate(random_matrices(n, 4, seed=n))]
        Win = random_matrices(n, 1, seed=7, cols=1)[0] if n else None
        for (wname, W), dv in itertools.product(Ws, _diagonals(n, activation)):
            base = _Instance(n, W, Win, lambda s, dv=dv: dv, {}, {}, "")
            for scalars in _candidate_scalars(base, hyps, names):
                inst = _Instance(n, W, Win, lambda s, dv=dv: dv, scalars, {},
                                 f"n={n}, W = {wname} {_mtext(W)}, every D = diag{_vtext(dv)}"
                                 + "".join(f", {k} = {v}" for k, v in scalars.items()))
                # a hypothesis must hold for every value of its indices (0 <= k < t), so
                # that the instance refutes the statement under either reading of a shared
                # index (quantified apart, or pointwise)
                if not _hyps_hold(hyps, inst, {}):
                    continue
                for env in _index_envs(stmt.free):
                    for lhs, op, rhs in stmt.links:
                        evaluated += 1
                        if evaluated > MAX_INSTANCES:
                            stops.append("budget")
                            return None, evaluated - 1, undecided
                        if time.monotonic() > deadline:
                            stops.append("time")
                            return None, evaluated - 1, undecided
                        try:
                            lv, rv = _scalar(lhs, inst, env), _scalar(rhs, inst, env)
                        except _Undefined as exc:
                            no_value.append(str(exc))
                            continue
                        h = _holds(lv, op, rv)
                        if h is None:
                            undecided += 1
                        elif h is False:
                            return (inst, env, lhs, op, rhs, lv, rv), evaluated, undecided
    return None, evaluated, undecided


def _hyps_hold(hyps, inst, stmt_env: dict) -> bool:
    """Every hypothesis certified true at the instance, for every value of its own free
    indices (those it shares with the statement fixed by ``stmt_env``)."""
    for h in hyps:
        for env in _hyp_envs(h, stmt_env):
            try:
                lv, rv = _scalar(h.lhs, inst, env), _scalar(h.rhs, inst, env)
            except _Undefined:
                return False
            if _holds(lv, {"=": "=="}.get(h.op, h.op), rv) is not True:
                return False
    return True


def _mtext(M) -> str:
    return "[" + "; ".join(" ".join(str(x) for x in row) for row in M) + "]"


def _vtext(v) -> str:
    return "(" + ", ".join(str(x) for x in v) + ")"


def _failure_text(op, lhs, rhs, lv: _Val, rv: _Val) -> str:
    """What fails, in words ("the strict inequality fails: ‖WD‖₂ = ‖W‖₂‖D‖₂ = 1")."""
    L, R = lhs.text(), rhs.text()
    if lv.exact and rv.exact and lv.lo == rv.lo:
        if op in ("<", ">"):
            return f"the strict inequality fails: {L} = {R} = {lv.text()}"
    if op == "==":
        return f"the equality fails: {L} = {lv.text()} but {R} = {rv.text()}"
    bigger = ">" if lv.lo > rv.hi else "<"
    word = {"<": "less than", ">": "greater than"}[bigger]
    return (f"the inequality {L} {op} {R} fails: {L} = {lv.text()} is {word} {R} = {rv.text()}"
            .replace("<=", "≤").replace(">=", "≥"))


# ------------------------------------------------------------------ the entry point
def check_inequality(text, *, hypotheses=(), form: str = "A", activation: str = "generic",
                     n: int | None = None, seed: int | None = None,
                     chain_budget: int = PROOF_CHAINS,
                     time_budget: float = TIME_BUDGET) -> Result:
    """Decide an inequality statement under hypotheses (module docstring).

    ``text`` and each hypothesis are statements (``norm2(D[j]) <= gamma``); ``n``: None
    (the lemma proof is for every n; counterexamples are searched at n = 1, 2, 3) or one
    size. A chain ``a <= b < c`` holds when each link does. ``chain_budget``: candidate
    chains the lemma search checks per link (a count, so the verdict does not depend on the
    machine's load); ``time_budget``: seconds after which the check stops anyway (a hang
    guard; its undecided says it was the time).

    >>> r = check_inequality("norm2(W @ D[j]) <= smax(W) * gamma", hypotheses=["norm2(D[j]) <= gamma"])
    >>> r.label.value
    'proved-from-lemmas'
    >>> check_inequality("smax(W) * gamma < 1", hypotheses=["smax(W) < 1/gamma", "gamma > 0"]).label.value
    'proved-from-lemmas'
    """
    if form not in ("A", "B"):
        raise InvalidInputError(f"form={form!r} is not allowed; use A or B")
    if activation not in EXACT_DSIGMA:
        raise InvalidInputError(f"activation={activation!r} is not allowed; use one of "
                                f"{', '.join(EXACT_DSIGMA)}")
    if n is not None:
        n = check_size("n", n, MAX_INEQUALITY_N, "the counterexample search of an inequality")
    if isinstance(chain_budget, bool) or not isinstance(chain_budget, int) or chain_budget < 1:
        raise InvalidInputError(f"chain_budget={chain_budget!r} is not allowed; give a whole "
                                "number of candidate chains, at least 1")
    if not (isinstance(time_budget, (int, float)) and 0 < time_budget <= 86400):  # rejects nan
        raise InvalidInputError(f"time_budget={time_budget!r} is not allowed; give seconds in "
                                "(0, 86400]")
    if isinstance(hypotheses, str):
        hypotheses = (hypotheses,)
    stmt = text if isinstance(text, Statement) else parse_statement(text)
    hyp_stmts = [h if isinstance(h, Statement) else parse_statement(h) for h in hypotheses]
    hyps = []
    for h in hyp_stmts:
        for l, op, r in h.links:
            gl, gop, gr = _goal(l, op, r)
            hyps.append(nx.Rel(gl, gop, gr))
    start = time.monotonic()
    deadline = start + time_budget
    stmt_exprs = [x for l, _, r in stmt.links for x in (l, r)]
    facts = _instantiate(hyps, stmt_exprs)
    sizes = DEFAULT_SIZES if n is None else (n,)
    scope_n = Span("n", 1, None) if n is None else Span("n", n, n)
    scope = Scope(spans=(scope_n,), activations=(activation,), forms=(form,),
                  note="every value of the index variables " + ", ".join(sorted(stmt.free))
                  if stmt.free else "")
    # 1. a lemma proof of every link
    proofs, reasons = [], []
    for lhs, op, rhs in stmt.links:
        gl, gop, gr = _goal(lhs, op, rhs)
        found = _search_proof(gl, gop, gr, facts, chain_budget, deadline)
        if found.result is None:
            reasons.append(f"{gl.text()} {nx.rel_text(gop)} {gr.text()}: "
                           + _search_text(found, chain_budget, time_budget))
            break
        proofs.append(found.result)
    if len(proofs) == len(stmt.links):
        lemmas = sorted({x for r in proofs for x in r.method.detail.split(", ") if x})
        return Result(Verdict.PROVED, Method(MethodKind.LEMMAS, ", ".join(lemmas)),
                      Scope(spans=(Span("n", 1, None),), activations=(activation,), forms=(form,),
                            note="symbolic n; every link matched against the lemma table"),
                      f"{stmt.text()}: a chain of lemma applications, each checked mechanically, "
                      "for every n" + (f", under {len(hyps)} hypothesis(es)" if hyps else ""),
                      proofs=tuple(r.data for r in proofs))
    # 2. a certified counterexample
    no_value: list = []
    stops: list = []
    found, evaluated, undecided = _search_counterexample(stmt, hyps, activation, sizes, deadline,
                                                         no_value, stops)
    if found is not None:
        inst, env, lhs, op, rhs, lv, rv = found
        why = _failure_text(op, lhs, rhs, lv, rv)
        point = (("instance", inst.label),) + tuple((k, str(v)) for k, v in env.items())
        cex = Counterexample(point, lhs=lv.text(), rhs=rv.text(), relation=op,
                             location=Location(note=", ".join(f"{k} = {v}" for k, v in env.items())),
                             note=f"{why} at {inst.label}"
                             + "".join(f", {k} = {v}" for k, v in env.items()),
                             data={"n": inst.n, "W": inst.W, "env": env, "scalars": inst.scalars})
        return Result(Verdict.REFUTED, Method(MethodKind.CERTIFIED if not (lv.exact and rv.exact)
                                              else MethodKind.EXACT,
                                              "a concrete instance, certified enclosures"),
                      Scope(spans=(Span("n", inst.n, inst.n),), activations=(activation,),
                            forms=(form,), checked=evaluated),
                      f"{stmt.text()} fails at a concrete instance where every hypothesis holds: "
                      f"{why}", counterexample=cex)
    why = f"no lemma chain found for {reasons[0]}" if reasons else "no lemma chain found"
    sizes_text = ", ".join(map(str, sizes))
    searched = (f"none of {evaluated} certified instance evaluations (n in {sizes_text}) "
                "fails it")
    if "time" in stops:
        searched = (f"the counterexample search was stopped by the {time_budget:g} s time "
                    f"guard (a time stop, not its count budget): {searched}")
    elif "budget" in stops:
        searched += f" (the counterexample search's budget of {MAX_INSTANCES} evaluations)"
    return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "lemma search and certified instances"),
                  scope.with_(checked=evaluated) if hasattr(scope, "with_") else scope,
                  f"{why}; {searched}"
                  + (f"; {undecided} comparison(s) could not be separated" if undecided else "")
                  + (f"; {len(no_value)} had no value ({no_value[0]})" if no_value else "")
                  + "; nothing is claimed")


__all__ = ["check_inequality", "MAX_INEQUALITY_N", "DEFAULT_SIZES", "EXACT_DSIGMA",
           "PROOF_CHAINS", "MAX_INSTANCES", "TIME_BUDGET"]
