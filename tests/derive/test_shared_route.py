"""The fast route of the randomized Jacobian check (products shared across t for each base k,
vectors applied reusing earlier pairs) against
the reference route (every pair built and applied from scratch): the same matrices, the same
per-pair values, the same verdicts, error bounds and counterexamples — on eq. 13 and on
wrong variants of it."""
import numpy as np
import pytest

from derive import formula as fm
from derive.formula import parse
from derive.modular_rnn import ModularRNN
from derive.network import RNN
from derive.randomized import randomized_check_jacobian

EQ13 = "prod_down(i, t, k+1, W @ D[i-1])"
EQ13_B = "prod_down(i, t, k+1, D[i] @ W)"
#: wrong variants (form A): a factor missing (range off by one), a transposed factor, the
#: factors in reversed order, σ' at the wrong step
WRONG_A = {
    "off-by-one range": "prod_down(i, t, k+2, W @ D[i-1])",
    "transposed factor": "prod_down(i, t, k+1, W.T @ D[i-1])",
    "reversed order": "prod_up(i, k+1, t, W @ D[i-1])",
    "sigma' at the wrong step": "prod_down(i, t, k+1, W @ D[i])",
}


def _pairs(T):
    return [(t, k) for k in range(T) for t in range(k + 1, T + 1)]  # the check's order


@pytest.mark.parametrize("text,form,act", [(EQ13, "A", "generic"), (EQ13, "A", "tanh"),
                                           (EQ13_B, "B", "generic"),
                                           (WRONG_A["reversed order"], "A", "generic"),
                                           ("prod_down(i, t, k+1, W @ D[i-1]) + W**0 - I", "A", "generic")])
def test_shared_candidate_gives_the_reference_matrices_and_vectors(text, form, act):
    n, T = 3, 6
    f = parse(text)
    fast, ref = f.candidate(costed=False), f.candidate(costed=False, shared=False)
    net = ModularRNN(n, 1, T, act, form, seed=4, trials=2)
    s = net.field.random(np.random.default_rng(1), (n,))
    memos: dict = {}
    views: dict = {}
    for t, k in _pairs(T):
        view = views.setdefault(k, net.with_base(k))
        A, B = fast(view, t, k), ref(view, t, k)
        assert (A.value() == B.value()).all(), (t, k)
        assert A.bound.deg == B.bound.deg and A.bound.h == pytest.approx(B.bound.h, abs=1e-9)
        memo = memos.setdefault(k, {})
        assert (A.apply_shared(s, memo) == B.apply(s)).all(), (t, k)


def test_shared_products_build_one_new_factor_per_pair():
    # the product for (t, k) is W D(t-1) @ (the product for (t-1, k)): its right operand is
    # the very object built before
    f = parse(EQ13)
    cand = f.candidate()
    view = ModularRNN(2, 1, 5, seed=0, trials=1).with_base(1)
    prev = cand(view, 3, 1)._args[1]
    nxt = cand(view, 4, 1)._args[1]
    assert nxt._args[1] is prev


def test_memo_is_per_network_view():
    f = parse(EQ13)
    cand = f.candidate()
    net = ModularRNN(2, 1, 4, seed=0, trials=1)
    a, b = net.with_base(1), net.with_base(1)  # two views of one point: equal values, own memos
    assert (cand(a, 3, 1).value() == cand(b, 3, 1).value()).all()
    assert cand(a, 3, 1)._args[1] is not cand(b, 3, 1)._args[1]


@pytest.mark.parametrize("text,form,act", [(EQ13, "A", "generic"), (EQ13, "A", "relu"),
                                           (EQ13_B, "B", "tanh")])
def test_fast_and_reference_routes_prove_with_the_same_bound(text, form, act):
    f = parse(text)
    rnn = RNN(4, 1, 7, act, form)
    fast = randomized_check_jacobian(rnn, f.candidate(), seed=11)
    ref = randomized_check_jacobian(rnn, f.candidate(shared=False), seed=11, reuse=False)
    assert fast.verdict.value == ref.verdict.value == "proved"
    assert fast.method.error_log2 == pytest.approx(ref.method.error_log2, abs=1e-9)
    cf, cr = fast.data["certificate"], ref.data["certificate"]
    assert (cf.primes, cf.degree, cf.sites, cf.digest) == (cr.primes, cr.degree, cr.sites, cr.digest)


@pytest.mark.parametrize("kind", sorted(WRONG_A))
def test_wrong_variants_are_refuted_alike_on_both_routes(kind):
    # Verifies: blog eq. 13 (wrong variants refuted)
    f = parse(WRONG_A[kind])
    rnn = RNN(3, 1, 6)
    fast = randomized_check_jacobian(rnn, f.candidate(), seed=5)
    ref = randomized_check_jacobian(rnn, f.candidate(shared=False), seed=5, reuse=False)
    assert fast.verdict.value == ref.verdict.value == "refuted"
    cf, cr = fast.counterexample, ref.counterexample
    assert (cf.location.t, cf.location.k, cf.location.entry) == (cr.location.t, cr.location.k,
                                                                 cr.location.entry)
    assert (cf.lhs, cf.rhs, cf.point) == (cr.lhs, cr.rhs, cr.point)
    assert cf.lhs != cf.rhs


@pytest.mark.parametrize("text", [EQ13, EQ13_B, "prod_down(i, t, k+1, W @ diag(dsigma(x[i-1])) @ D[i-1].T) + u[t].T @ u[k+1] * I",
                                  "prod_down(i, t, k+1, prod_up(j, 0, 1, D[i-j]))"])
def test_accesses_lists_every_read_in_walk_order(text):
    # the reads of a flat product body are listed without walking it per factor: the same
    # list as reading each factor's tree
    f = parse(text)
    for t, k in [(3, 0), (5, 2), (4, 3)]:
        slow: list = []

        def walk(node, env):
            if isinstance(node, fm.Seq):
                slow.append((node.name, node.index.value(env)))
            elif isinstance(node, (fm.Product, fm.Sum)):
                for v in node.factor_indices(env):
                    walk(node.body, {**env, node.var: v})
            else:
                for c in node.children():
                    walk(c, env)
        walk(f.expr, f.env(t, k))
        assert f.accesses(t, k) == slow and slow


def _reference_tables(monkeypatch):
    # every function table of the modular network on the reference route (tuple-keyed dict)
    import functools

    from derive import functiontable, modular_rnn
    monkeypatch.setattr(modular_rnn, "FunctionTable",
                        functools.partial(functiontable.FunctionTable, fast=False))


def test_function_table_fast_route_gives_the_reference_values_and_contents():
    from derive.bounds import Bound
    from derive.functiontable import FunctionTable
    from rnnmodel.ring import Field
    F = Field((1000003, 999983, 1000033))
    rng = np.random.default_rng(2)
    fast, ref = FunctionTable("sigma", F, b"s"), FunctionTable("sigma", F, b"s", fast=False)
    for size in (5, 0, 7, 1, 12):
        z = rng.integers(0, 4, size=(3, size))  # small residues: many repeated arguments
        z = np.concatenate([z, z[:, ::-1]], axis=1)
        assert (fast(z, Bound.atom()) == ref(z, Bound.atom())).all()
        assert fast.values == ref.values and list(fast.values) == list(ref.values)
        assert fast.calls == ref.calls and fast.digest_items() == ref.digest_items()


@pytest.mark.parametrize("text,form,act", [(EQ13, "A", "generic"), (EQ13_B, "B", "tanh"),
                                           (WRONG_A["transposed factor"], "A", "generic")])
def test_fast_tables_give_the_reference_result(text, form, act, monkeypatch):
    f = parse(text)
    rnn = RNN(3, 1, 5, act, form)
    fast = randomized_check_jacobian(rnn, f.candidate(), seed=7, tie=act == "tanh")
    _reference_tables(monkeypatch)
    ref = randomized_check_jacobian(rnn, f.candidate(), seed=7, tie=act == "tanh")
    assert fast.verdict == ref.verdict and fast.method == ref.method
    if fast.counterexample is None:
        assert fast.data["certificate"] == ref.data["certificate"]
    else:
        assert fast.counterexample == ref.counterexample
        assert fast.counterexample.data["point"] == ref.counterexample.data["point"]


@pytest.mark.parametrize("act,tie", [("generic", False), ("tanh", True), ("relu", False)])
def test_adopted_states_are_the_computed_ones_and_charge_the_same_sites(act, tie):
    n, T, k = 3, 6, 2
    runs = []
    for adopt in (True, False):
        net = ModularRNN(n, 1, T, act, "A", seed=9, trials=2, tie=tie)
        view = net.with_base(k)
        eye = np.broadcast_to(np.eye(n, dtype=np.int64), (2, n, n)).copy()
        run = view.jvp(k, eye)
        if adopt:
            assert view.adopt_states(run)
        states = [view._state(j) for j in range(k, T + 1)]
        Ds = [view.D(j) for j in range(k, T + 1)]
        runs.append((states, Ds, [(tab.calls, tab.arg_bound) for tab in net.tables()]))
    (sa, da, ca), (sb, db, cb) = runs
    for x, y in zip(sa[1:], sb[1:]):
        assert np.array_equal(x[0], y[0]) and np.array_equal(x[2], y[2])
        assert x[1] == y[1] and x[3] == y[3]
    assert all((a.value() == b.value()).all() and a.bound == b.bound for a, b in zip(da, db))
    assert ca == cb


def test_form_b_states_are_not_adopted():
    net = ModularRNN(2, 1, 4, form="B", seed=1, trials=1).with_base(1)
    eye = np.broadcast_to(np.eye(2, dtype=np.int64), (1, 2, 2)).copy()
    assert net.adopt_states(net.jvp(1, eye)) is False and not net._adopted
