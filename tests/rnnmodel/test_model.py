"""The model layer: one cell, one activation table, one dual number, in every arithmetic.

The exact SymPy value is the reference: it must lie inside the Arb ball, the mpmath value
within the ball, the prime-field value must be the exact rational reduced mod p. float64
is only a smoke check (a rounded value inside a widened ball is no evidence).
"""
from fractions import Fraction as Q

import flint
import mpmath
import numpy as np
import pytest
import sympy as sp

from rnncore.errors import InvalidInputError
from rnnmodel.activations import ACTIVATIONS, activation
from rnnmodel.arithmetic import KinkError, NoValueError, Paired
from rnnmodel.balls import BALLS, RealRNN
from rnnmodel.cells import CELLS, Cell, Step, cell
from rnnmodel.dual import ENTRY_SEED, Dual, DualArithmetic, seed
from rnnmodel.exact import SYMPY
from rnnmodel.floats import FLOAT64, MPMATH
from rnnmodel.ring import Field
from rnnmodel.sympy_functions import sigma

W = [[Q(1, 2), Q(-1, 3)], [Q(1, 4), Q(2, 5)]]
V = [[Q(1, 3)], [Q(-1, 2)]]
B = [Q(1, 7), Q(-2, 9)]
X0 = [Q(3, 5), Q(-1, 4)]
U = [[Q(1, 2)], [Q(-1, 3)], [Q(2, 3)]]
PRIMES = (1_000_003, 2**28 - 57)


def _params(ctx):
    return {"W_rec": ctx.matrix(W), "W_in": ctx.matrix(V), "b": ctx.vector(B)}


def _run(ctx, act, form, x0=X0):
    steps = cell(form).unroll(ctx, act, _params(ctx), (ctx.vector(x0),), [ctx.vector(u) for u in U])
    return steps[-1].state


def _exact(form, name):
    return _run(SYMPY, ACTIVATIONS[name], form)


def _decimal(expr, digits=60) -> str:
    return str(sp.N(expr, digits))


def _inside(ball: flint.arb, expr) -> bool:
    with flint.ctx.workprec(240):
        return ball.contains(flint.arb(_decimal(expr)))


# ----------------------------------------------------------------------------- one cell, every arithmetic
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "identity"])
def test_the_same_cell_agrees_in_every_real_arithmetic(form, name):
    act = ACTIVATIONS[name]
    exact = _exact(form, name)
    ball = _run(BALLS, act, form)
    with mpmath.workdps(40):
        mp = _run(MPMATH, act, form)
        for i in range(2):
            assert _inside(ball[i, 0], exact[i])
            assert ball[i, 0].contains(flint.arb(mpmath.nstr(mp[i], 30)))
            # the mpmath value is the exact value to its precision
            assert abs(mp[i] - mpmath.mpf(_decimal(exact[i], 50))) < mpmath.mpf(10) ** -35
    f64 = _run(FLOAT64, act, form)  # smoke check only
    assert np.allclose(f64, [float(sp.N(e)) for e in exact], rtol=1e-12)


@pytest.mark.parametrize("form", ["A", "B"])
def test_the_prime_field_value_is_the_exact_rational_reduced(form):
    exact = _exact(form, "identity")  # a linear network: the state is a rational
    F = Field(PRIMES)
    ring = _run(F, ACTIVATIONS["identity"], form)
    for i in range(2):
        q = Q(int(exact[i].p), int(exact[i].q))
        assert ring[:, i].tolist() == [q.numerator * pow(q.denominator, -1, p) % p for p in PRIMES]


def _table(values: dict, p_index=None):
    """A generic function on the ring: a fixed pseudo-random value per argument residue."""
    def fresh(name, z):
        out = np.empty_like(z)
        for r, p in enumerate(PRIMES):
            for i, v in enumerate(z[r].tolist()):
                key = (name, p, v)
                if key not in values:
                    values[key] = (hash(key) * 2654435761 + 12345) % p
                out[r, i] = values[key]
        return out
    return fresh


def _mod_eval(expr, values, r):
    """The SymPy expression at the ring point: rationals reduced, sigma(e) looked up at e."""
    p = PRIMES[r]
    if expr.is_Rational:
        return int(expr.p) * pow(int(expr.q), -1, p) % p
    if expr.is_Add:
        return sum(_mod_eval(a, values, r) for a in expr.args) % p
    if expr.is_Mul:
        out = 1
        for a in expr.args:
            out = out * _mod_eval(a, values, r) % p
        return out
    if isinstance(expr, sigma):
        return values[("sigma", p, _mod_eval(expr.args[0], values, r))]
    raise AssertionError(expr)


@pytest.mark.parametrize("form", ["A", "B"])
def test_a_generic_sigma_is_a_fresh_unknown_in_the_ring(form):
    values: dict = {}
    F = Field(PRIMES, fresh=_table(values))
    ring = _run(F, ACTIVATIONS["generic"], form)
    exact = _exact(form, "generic")  # rationals and sigma(rational expressions)
    for r in range(len(PRIMES)):
        for i in range(2):
            assert ring[r, i] == _mod_eval(exact[i], values, r)
    with pytest.raises(NoValueError, match="tanh has no value in the prime-field arithmetic"):
        Field(PRIMES).tanh(ring)


def test_relu_at_the_kink_has_no_certified_value():
    with pytest.raises(KinkError):
        BALLS.dsigma(ACTIVATIONS["relu"], BALLS.vector([0]))
    assert FLOAT64.dsigma(ACTIVATIONS["relu"], FLOAT64.vector([0])).tolist() == [0.0]  # step(0) = 0


# ----------------------------------------------------------------------------- σ' and σ
Z = sp.Symbol("z")
POINTS = [Q(-3, 2), Q(-1, 7), Q(1, 3), Q(5, 4)]


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_the_derivative_rule_is_what_diff_gives(name):
    act = ACTIVATIONS[name]
    by_rule, by_diff = act.derivative(Z), act(Z).diff(Z)
    assert sp.simplify((by_rule - by_diff).rewrite(sp.exp)) == 0


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu", "identity"])
def test_the_identity_holds_in_balls_at_rational_points(name):
    act = ACTIVATIONS[name]
    z = BALLS.vector(POINTS)
    s, d = BALLS.sigma_pair(act, z)
    for i, q in enumerate(POINTS):
        zq = sp.Rational(q.numerator, q.denominator)
        assert _inside(s[i, 0], act(zq))
        assert _inside(d[i, 0], act(Z).diff(Z).subs(Z, zq).doit())
        assert abs(d[i, 0]) <= BALLS.const(act.gamma)  # γ = sup |σ'|


def test_the_identities_of_the_table():
    z = BALLS.vector(POINTS)
    for name, check in [("tanh", lambda s, d: d - (1 - s * s)), ("sigmoid", lambda s, d: d - s * (1 - s))]:
        s, d = BALLS.sigma_pair(ACTIVATIONS[name], z)
        assert all(check(s[i, 0], d[i, 0]).contains(0) for i in range(len(POINTS)))
    s, d = BALLS.sigma_pair(ACTIVATIONS["relu"], z)
    for i in range(len(POINTS)):
        assert d[i, 0] == 0 or d[i, 0] == 1  # relu' ∈ {0, 1}
        assert (s[i, 0] - z[i, 0] * d[i, 0]).contains(0)  # relu = z · relu'
    assert [ACTIVATIONS[a].gamma for a in ("tanh", "sigmoid", "relu")] == [1, Q(1, 4), 1]
    assert ACTIVATIONS["generic"].gamma is None


@pytest.mark.parametrize("name", ["tanh", "sigmoid"])
def test_in_the_ring_the_identity_ties_dsigma_to_the_unknown_sigma(name):
    values: dict = {}
    z = np.array([[5, 9], [7, 11]])
    tied = Field(PRIMES, fresh=_table(values), tie=True)
    s = tied.sigma(ACTIVATIONS[name], z)
    want = (1 - s * s) if name == "tanh" else s * (1 - s)
    assert (tied.dsigma(ACTIVATIONS[name], z) == tied.mod(want)).all()
    free = Field(PRIMES, fresh=_table(values), tie=False)
    assert (free.dsigma(ACTIVATIONS[name], z) != tied.mod(want)).any()  # an unknown of its own


def test_unknown_activation_names_the_choices():
    with pytest.raises(InvalidInputError, match="unknown activation 'softplus'; use one of generic"):
        activation("softplus")


# ----------------------------------------------------------------------------- dual numbers
@pytest.mark.parametrize("form", ["A", "B"])
@pytest.mark.parametrize("name", ["generic", "tanh", "sigmoid", "relu"])
def test_dual_numbers_give_sympys_exact_jacobian(form, name):
    act = ACTIVATIONS[name]
    xs = sp.Matrix(sp.symbols("x1 x2"))
    params = _params(SYMPY)
    steps = cell(form).unroll(DualArithmetic(SYMPY), act, params, (seed(SYMPY, xs),),
                              [SYMPY.vector(u) for u in U])
    composed = cell(form).unroll(SYMPY, act, params, (xs,), [SYMPY.vector(u) for u in U])[-1].state
    J = composed.jacobian(xs)
    assert all(sp.expand(e) == 0 for e in steps[-1].state.tan - J)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "identity"])
def test_dual_numbers_in_balls_contain_the_exact_jacobian(name):
    act = ACTIVATIONS[name]
    xs = sp.Matrix(sp.symbols("x1 x2"))
    composed = cell("A").unroll(SYMPY, act, _params(SYMPY), (xs,), [SYMPY.vector(u) for u in U])[-1].state
    J = composed.jacobian(xs).subs({xs[0]: sp.Rational(3, 5), xs[1]: sp.Rational(-1, 4)})
    cur = cell("A").unroll(DualArithmetic(BALLS), act, _params(BALLS), (seed(BALLS, BALLS.vector(X0)),),
                           [BALLS.vector(u) for u in U])[-1].state
    assert all(_inside(cur.tan[i, j], J[i, j]) for i in range(2) for j in range(2))


def test_dual_numbers_in_the_ring_are_the_exact_jacobian_reduced():
    act = ACTIVATIONS["identity"]
    xs = sp.Matrix(sp.symbols("x1 x2"))
    composed = cell("B").unroll(SYMPY, act, _params(SYMPY), (xs,), [SYMPY.vector(u) for u in U])[-1].state
    J = composed.jacobian(xs)  # rational: the network is linear
    F = Field(PRIMES)
    cur = cell("B").unroll(DualArithmetic(F), act, _params(F), (seed(F, F.vector(X0)),),
                           [F.vector(u) for u in U])[-1].state
    for i in range(2):
        for j in range(2):
            q = J[i, j]
            assert cur.tan[:, i, j].tolist() == [int(q.p) * pow(int(q.q), -1, p) % p for p in PRIMES]


def test_the_gradient_along_the_entries_of_W_rec():
    act = ACTIVATIONS["tanh"]
    w = sp.Matrix(2, 2, sp.symbols("w11 w12 w21 w22"))
    params = dict(_params(SYMPY), W_rec=w)
    composed = cell("A").unroll(SYMPY, act, params, (SYMPY.vector(X0),), [SYMPY.vector(u) for u in U])[-1].state
    at = dict(zip(w, [sp.Rational(q.numerator, q.denominator) for row in W for q in row]))
    G = composed.jacobian(list(w)).subs(at)  # 2 × 4: ∂x_{T,i}/∂w_ac, (a, c) row-major
    bp = dict(_params(BALLS), W_rec=Dual(BALLS.matrix(W), ENTRY_SEED))
    cur = cell("A").unroll(DualArithmetic(BALLS), act, bp, (Dual(BALLS.vector(X0), None),),
                           [BALLS.vector(u) for u in U])[-1].state
    assert all(_inside(cur.tan[i, j], G[i, j]) for i in range(2) for j in range(4))


# ----------------------------------------------------------------------------- new cells are declarations
def _skip(ctx, act, p, past, u):
    """x_t = W_rec σ(x_{t−1}) + U σ(x_{t−2}) + W_in u_t + b: a cell that reads two states."""
    older, last = past
    z = ctx.add(ctx.matvec(p["W_rec"], ctx.sigma(act, last)), ctx.matvec(p["U"], ctx.sigma(act, older)))
    return Step(ctx.add(z, ctx.affine(p["W_in"], u, p["b"])), last)


SKIP = Cell("skip", "x_t = W_rec σ(x_{t-1}) + U σ(x_{t-2}) + W_in u_t + b",
            ("W_rec", "U", "W_in", "b"), 2, "x", _skip)


def test_a_cell_reading_two_past_states_runs_in_every_arithmetic_and_on_duals():
    act = ACTIVATIONS["tanh"]
    Um = [[Q(1, 5), 0], [0, Q(-1, 5)]]
    x_1 = [Q(1, 8), Q(1, 9)]
    exact = SKIP.unroll(SYMPY, act, dict(_params(SYMPY), U=SYMPY.matrix(Um)),
                        (SYMPY.vector(x_1), SYMPY.vector(X0)), [SYMPY.vector(u) for u in U])[-1].state
    balls = SKIP.unroll(BALLS, act, dict(_params(BALLS), U=BALLS.matrix(Um)),
                        (BALLS.vector(x_1), BALLS.vector(X0)), [BALLS.vector(u) for u in U])[-1].state
    assert all(_inside(balls[i, 0], exact[i]) for i in range(2))
    # the derivative with respect to the latest initial state, on duals
    xs = sp.Matrix(sp.symbols("x1 x2"))
    sym = SKIP.unroll(SYMPY, act, dict(_params(SYMPY), U=SYMPY.matrix(Um)),
                      (SYMPY.vector(x_1), xs), [SYMPY.vector(u) for u in U])[-1].state
    J = sym.jacobian(xs).subs({xs[0]: sp.Rational(3, 5), xs[1]: sp.Rational(-1, 4)})
    cur = SKIP.unroll(DualArithmetic(BALLS), act, dict(_params(BALLS), U=BALLS.matrix(Um)),
                      (BALLS.vector(x_1), seed(BALLS, BALLS.vector(X0))), [BALLS.vector(u) for u in U])
    assert all(_inside(cur[-1].state.tan[i, j], J[i, j]) for i in range(2) for j in range(2))
    assert all(c is not SKIP for c in CELLS.values())  # the test's cell is not registered


def test_paired_arithmetic_runs_both_sides():
    P = Paired(FLOAT64, BALLS)
    x = _run(P, ACTIVATIONS["tanh"], "A")
    assert all(x[1][i, 0].contains(flint.arb(float(x[0][i]))) or abs(float(x[1][i, 0].mid()) - x[0][i]) < 1e-12
               for i in range(2))


def test_real_rnn_state_is_the_cell_in_balls():
    net = RealRNN(2, 1, 2, "sigmoid", "B", seed=3)
    pt = net.point()
    params = {"W_rec": BALLS.matrix(pt["W_rec"]), "W_in": BALLS.matrix(pt["W_in"]), "b": BALLS.matrix(pt["b"])}
    x0 = net.state(0).m
    x2 = cell("B").unroll(BALLS, ACTIVATIONS["sigmoid"], params, (x0,),
                          [BALLS.matrix(pt["u"][t]) for t in (1, 2)])[-1].state
    assert all((x2[i, 0] - net.state(2).m[i, 0]).contains(0) for i in range(2))
