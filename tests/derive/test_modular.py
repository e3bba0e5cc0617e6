"""Tests of the modular evaluation (derive/primes, bounds, modmatrix, functiontable,
modular_rnn): the network at a random point of a product of prime fields."""
from fractions import Fraction

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from derive.direct import direct_jacobian as exact_direct_jacobian
from derive.identity import ModEvaluator
from derive.bounds import Bound
from derive.functiontable import FunctionTable
from derive.modmatrix import ModMatrix
from derive.modular_rnn import ModularRNN
from derive.primes import divisor_probability, is_prime, prime_count_lower_bound, random_primes
from rnnmodel.ring import Field
from derive.network import RNN
from rnncore.errors import InvalidInputError, ShapeError, SizeBudgetError
from tests.strategies import SMALL_NETWORKS


def _sympy_value(expr, net, k):
    syms, tabs = net.sympy_point(k)
    return ModEvaluator(net.field, None, syms, tabs).value(expr)[0]


# ----------------------------------------------------------------------------- primes
def test_primes_are_primes_in_range_and_reproducible():
    ps = random_primes(6, np.random.default_rng([3, 9]))
    assert all(2**27 <= p < 2**28 and is_prime(p) for p in ps)
    assert all(pow(2, p - 1, p) == 1 for p in ps)  # Fermat, independently of is_prime
    assert random_primes(6, np.random.default_rng([3, 9])) == ps


def test_is_prime_matches_trial_division():
    def slow(q):
        return q >= 2 and all(q % d for d in range(2, int(q**0.5) + 1))
    assert [q for q in range(2000) if is_prime(q)] == [q for q in range(2000) if slow(q)]
    assert not is_prime(3215031751)  # strong pseudoprime to bases 2, 3, 5, 7


def test_prime_count_and_divisor_probability():
    assert 4_000_000 < prime_count_lower_bound(28) < 7_300_000  # true count is about 6.9e6
    assert divisor_probability(26.9) == 0.0
    assert divisor_probability(27.0 * 3) == 3 / prime_count_lower_bound(28)


# ----------------------------------------------------------------------------- ring and matrices
def test_field_scalar_inverse_and_bad_input():
    F = Field((101, 103))
    half = F.scalar(Fraction(1, 2))
    assert ((half * 2) % F.p == 1).all()
    assert (F.scalar(sp.Rational(-1, 3)) * 3 % F.p == F.p - 1).all()
    with pytest.raises(InvalidInputError, match="not an exact rational"):
        F.scalar(0.5)
    with pytest.raises(InvalidInputError, match="divisible by the prime 101"):
        F.scalar(Fraction(1, 101))
    with pytest.raises(InvalidInputError, match="primes=.*is not allowed"):
        Field((100,))


@given(st.integers(1, 4), st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**32 - 1))
@example(1, 1, 1, 0)
@settings(max_examples=20)
def test_lazy_matrix_operations_match_dense_arithmetic(a, b, c, seed):
    F = Field((1_000_003, 999_983))
    rng = np.random.default_rng(seed)
    A = F.random(rng, (a, b))
    B = F.random(rng, (b, c))
    C = F.random(rng, (a, c))
    d = F.random(rng, (c,))
    mA, mB, mC = (ModMatrix.dense(F, X, Bound.atom()) for X in (A, B, C))
    mD = ModMatrix.diag(F, d, Bound.atom())
    expr = 3 * (mA @ mB) * mD - mC + (mC.T.T * Fraction(1, 2))
    P = F.p[:, None, None]
    dense = (np.einsum("rij,rjk->rik", A.astype(object), B.astype(object)) * 3) % P
    dense = (dense * d.astype(object)[:, None, :] - C + C * F.scalar(Fraction(1, 2))[:, None, None]) % P
    assert (expr.value() == dense.astype(np.int64)).all()
    v = F.random(rng, (c,))
    assert (expr.apply(v) == (np.einsum("rik,rk->ri", dense, v.astype(object)) % F.p[:, None]).astype(np.int64)).all()
    w = F.random(rng, (a,))
    assert (expr.rapply(w) == (np.einsum("ri,rik->rk", w.astype(object), dense) % F.p[:, None]).astype(np.int64)).all()
    assert (expr.T.value() == np.swapaxes(dense, 1, 2).astype(np.int64)).all()


def test_matrix_shape_and_type_errors():
    net = ModularRNN(3, 2, 3, trials=1)
    with pytest.raises(ShapeError, match="3x2 matrix by a 3x3"):
        net.W_in @ net.W_rec
    with pytest.raises(ShapeError, match="shapes must agree"):
        net.W_rec + net.W_in
    with pytest.raises(InvalidInputError, match="cannot combine a ModMatrix with MutableDenseMatrix"):
        net.W_rec * sp.eye(3)
    with pytest.raises(InvalidInputError, match="different points"):
        net.W_rec @ ModularRNN(3, 2, 3, trials=1).W_rec
    assert (net.W_rec ** 0).value().tolist() == net.identity().value().tolist()
    assert ((net.W_rec ** 2).value() == (net.W_rec @ net.W_rec).value()).all()


def test_sizes_and_options_are_checked():
    with pytest.raises(SizeBudgetError, match="n=65 is beyond"):
        ModularRNN(65)
    with pytest.raises(InvalidInputError, match="T=0 is not allowed"):
        ModularRNN(2, T=0)
    with pytest.raises(InvalidInputError, match="tie=True needs activation tanh or sigmoid"):
        ModularRNN(2, activation="generic", tie=True)
    with pytest.raises(InvalidInputError, match="unknown form 'C'"):
        ModularRNN(2, form="C")
    with pytest.raises(InvalidInputError, match="unknown loss"):
        ModularRNN(2, loss="hinge")
    with pytest.raises(InvalidInputError, match="base=5 is not a step"):
        ModularRNN(2, T=3).with_base(5)
    with pytest.raises(InvalidInputError, match="form B's pre-activation"):
        ModularRNN(2, T=3, form="B").with_base(1).D(1)


def test_function_table_is_a_function_and_counts_sites():
    F = Field((101, 103))
    tab = FunctionTable("sigma", F, b"1")
    z = np.array([[1, 1, 2], [4, 4, 4]])
    v = tab(z, Bound(2))
    assert (v[:, 0] == v[:, 1]).all()  # equal arguments in every component: equal values
    assert tab.calls == 3 and len(tab.values) == 2 and tab.arg_bound.deg == 2


# ----------------------------------------------------------------------------- the network
@pytest.mark.parametrize("form", ["A", "B"])
def test_states_match_the_symbolic_network_at_the_same_point(form):
    # Verifies: blog eq. 2 (form A) and the NOTE's form B, evaluated at a ring point
    net = ModularRNN(3, 2, 3, form=form, seed=5, trials=3)
    rnn = RNN(3, 2, 3, form=form)
    for t in range(4):
        sym = rnn.state(t)
        mod = net.state(t).value()[:, :, 0]
        assert all((_sympy_value(sym[i], net, 0) == mod[:, i]).all() for i in range(3))


@given(SMALL_NETWORKS, st.integers(0, 2**16))
@example({"n": 2, "m": 1, "T": 3, "activation": "tanh", "form": "B"}, 0)
@example({"n": 3, "m": 2, "T": 3, "activation": "generic", "form": "A"}, 1)
@settings(max_examples=15)
def test_modular_direct_jacobian_equals_exact_direct_jacobian_at_the_same_point(p, seed):
    # Verifies: blog eq. 10/13 direct side — forward differentiation over the ring agrees with
    # SymPy's Matrix.jacobian of the composed state, evaluated at the same point
    tie = p["activation"] in ("tanh", "sigmoid")
    net = ModularRNN(p["n"], p["m"], p["T"], p["activation"], p["form"], seed=seed, trials=2, tie=tie)
    rnn = RNN(p["n"], p["m"], p["T"], p["activation"], p["form"])
    # relu: relu and step are evaluated as the generic pair (σ, σ') of the same tables
    for k in range(p["T"]):
        J = exact_direct_jacobian(rnn, p["T"], k)
        M = net.direct_jacobian(p["T"], k).value()
        for i in range(p["n"]):
            for j in range(p["n"]):
                assert (_sympy_value(J[i, j], net, k) == M[:, i, j]).all(), (k, i, j)


def test_direct_jacobian_differs_from_a_wrong_formula():
    net = ModularRNN(3, 1, 3, seed=2, trials=2)
    v = net.with_base(0)
    J = net.direct_jacobian(2, 0).value()
    assert (J == (v.W_rec @ v.D(1) @ v.W_rec @ v.D(0)).value()).all()
    assert not (J == (v.W_rec.T @ v.D(1) @ v.W_rec.T @ v.D(0)).value()).all()


@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("loss", ["generic", "squared"])
def test_eq11_side_equals_forward_gradient(form, loss):
    # Verifies: blog eq. 11 (θ = W_rec) at a ring point, both forms and losses
    net = ModularRNN(4, 2, 5, form=form, seed=3, trials=3, loss=loss)
    direct = net.direct_gradient()
    for t in range(1, 6):
        assert (net.eq11_gradient(t)[0] == direct[t][0]).all()
    # a sum ending at t - 1 misses the k = t term
    assert not (net.eq11_gradient(5, last=4)[0] == direct[5][0]).all()


def test_squared_loss_gradient_matches_the_symbolic_loss():
    # Verifies: blog eq. 11 direct side for ½‖x_t − y_t‖², against the symbolic derivative
    from derive.loss import loss as named_loss

    net = ModularRNN(2, 1, 2, seed=6, trials=2, loss="squared")
    rnn = RNN(2, 1, 2)
    E = named_loss("squared").value(rnn, 2)
    G = net.direct_gradient()[2][0]
    for a in range(2):
        for c in range(2):
            dE = sp.diff(E, rnn.W_rec[a, c])
            assert (_sympy_value(dE, net, 0) == G[:, a, c]).all()


def test_degree_bounds_grow_linearly_in_the_distance():
    net = ModularRNN(3, 1, 6, seed=0, trials=1)
    assert net.direct_jacobian(6, 0).bound.deg <= 2 * 6
    assert net.with_base(2).state(2).bound.deg == 1
    assert net.with_base(2).state(3).bound.deg == 2


def test_a_table_charges_and_bounds_as_the_fieldwise_maximum_on_both_routes():
    import numpy as np

    from derive.bounds import Bound
    from derive.functiontable import FunctionTable
    from rnnmodel.ring import Field
    F = Field((101, 103, 107))
    rng = np.random.default_rng(4)
    bounds = [Bound(1), Bound(3, 2.0, 1.0), Bound(2, 5.0, 0.0), Bound(1), Bound(4, 1.0, 3.0)]
    fast, ref = FunctionTable("s", F, b"k"), FunctionTable("s", F, b"k", fast=False)
    want = Bound(0)
    for i in range(40):
        z = rng.integers(0, 5, (3, 4)).astype(np.int64)
        b = bounds[i % len(bounds)]
        assert (fast(z, b) == ref(z, b)).all()
        want = Bound(max(want.deg, b.deg), max(want.h, b.h), max(want.den, b.den))
        assert fast.arg_bound == ref.arg_bound == want and fast.calls == ref.calls
    assert fast.values == ref.values


def test_a_repeated_argument_vector_gets_its_values_again_unshared():
    import numpy as np

    from derive.bounds import Bound
    from derive.functiontable import FunctionTable
    from rnnmodel.ring import Field
    F = Field((101, 103))
    fast, ref = FunctionTable("s", F, b"k"), FunctionTable("s", F, b"k", fast=False)
    z = np.array([[1, 2, 3], [4, 5, 6]], dtype=np.int64)
    first = fast(z, Bound.atom())
    again = fast(z.copy(), Bound.atom())
    assert (first == again).all() and (again == ref(z, Bound.atom())).all()
    again[:] = 0  # a caller's array is its own
    assert (fast(z, Bound.atom()) == first).all() and fast.calls == 9
    assert fast.values == ref.values
