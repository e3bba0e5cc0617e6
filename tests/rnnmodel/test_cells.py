"""The cells beyond the blog's RNN run in every arithmetic: SymPy exact values lie inside the
Arb balls, the prime field agrees with the exact rational reduction where σ is a polynomial,
and dual numbers over balls enclose SymPy's own jacobian() of the composed step."""
from fractions import Fraction as Q

import flint
import pytest
import sympy as sp

from derive.cells import COMPONENTS, at, rational_point, symbolic_point
from rnncore.errors import InvalidInputError
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.balls import BALLS
from rnnmodel.cells import CELLS, FORMS, cell, named
from rnnmodel.dual import DualArithmetic, seed
from rnnmodel.exact import SYMPY
from rnnmodel.floats import FLOAT64, MPMATH
from rnnmodel.ring import Field

NEW = ("LSTM", "GRU", "GRU-cho", "A-stacked", "A-skip")


def _flat(state):
    return [v for s in state for v in s] if isinstance(state, tuple) else list(state)


def _inside(ball, expr):
    with flint.ctx.workprec(200):
        return ball.contains(flint.arb(str(sp.N(expr, 60))))


def _ball_entries(state):
    mats = state if isinstance(state, tuple) else (state,)
    return [m[i, 0] for m in mats for i in range(m.nrows())]


@pytest.mark.parametrize("name", NEW)
def test_exact_value_inside_the_balls_and_near_mpmath_and_float64(name):
    point = rational_point(name, 2, act="tanh", seed_=3)
    exact = at(SYMPY, point)
    s_exact = exact.cell.step(SYMPY, exact.act, exact.params, exact.past, exact.u).state
    b = at(BALLS, point)
    s_ball = b.cell.step(BALLS, b.act, b.params, b.past, b.u).state
    values = _flat(s_exact)
    assert all(_inside(x, v) for x, v in zip(_ball_entries(s_ball), values))
    f = at(FLOAT64, point)
    s_f = _flat(f.cell.step(FLOAT64, f.act, f.params, f.past, f.u).state)
    assert max(abs(float(a) - float(v)) for a, v in zip(s_f, values)) < 1e-12


@pytest.mark.parametrize("name", ("A-stacked", "A-skip"))
def test_prime_field_is_the_exact_value_mod_p_for_a_polynomial_sigma(name):
    p = 1_000_003
    point = dict(rational_point(name, 2, seed_=5), act="identity")
    exact = at(SYMPY, point)
    val = _flat(exact.cell.step(SYMPY, exact.act, exact.params, exact.past, exact.u).state)
    F = Field((p,))
    r = at(F, point)
    res = r.cell.step(F, r.act, r.params, r.past, r.u).state
    got = [int(x) for s in (res if isinstance(res, tuple) else (res,)) for x in s.ravel()]
    want = [int(sp.Rational(v).p * pow(int(sp.Rational(v).q), -1, p) % p) for v in val]
    assert got == want


@pytest.mark.parametrize("name", NEW)
def test_duals_over_balls_enclose_sympys_jacobian_of_the_step(name):
    """The dual-number tangent (in balls) contains SymPy's jacobian() of the symbolic step
    evaluated at the same rational point: two independent differentiations agree."""
    point = rational_point(name, 2, act="tanh", seed_=1)
    sym = symbolic_point(name, 2, act="tanh")
    subs = {}
    for k, rows in point["params"].items():
        M = sym.params[k]
        for i in range(M.rows):
            for j in range(M.cols):
                subs[M[i, j]] = rows[i][j] if not k.startswith("b") else rows[i][0]
    exact_pt = at(SYMPY, point)
    first = sym.past[-1] if not isinstance(sym.past[-1], tuple) else sym.past[-1][0]
    first_val = exact_pt.past[-1] if not isinstance(exact_pt.past[-1], tuple) else exact_pt.past[-1][0]
    past = list(sym.past)
    for P, V in ((sym.past, exact_pt.past),):
        for s, v in zip(P, V):
            for a, c in zip(s if isinstance(s, tuple) else (s,), v if isinstance(v, tuple) else (v,)):
                if a is not first:
                    subs.update(dict(zip(a, c)))
    subs.update(dict(zip(sym.u, exact_pt.u)))
    state = sym.cell.step(SYMPY, sym.act, sym.params, sym.past, sym.u).state
    first_out = state[0] if isinstance(state, tuple) else state
    J = first_out.jacobian(first).subs(subs).subs(dict(zip(first, first_val)))
    b = at(BALLS, point)
    D = DualArithmetic(BALLS)
    bpast = list(b.past)
    if isinstance(bpast[-1], tuple):
        bpast[-1] = (seed(BALLS, bpast[-1][0]),) + bpast[-1][1:]
    else:
        bpast[-1] = seed(BALLS, bpast[-1])
    out = b.cell.step(D, b.act, b.params, tuple(bpast), b.u).state
    tan = (out[0] if isinstance(out, tuple) else out).tan
    assert all(_inside(tan[i, j], J[i, j]) for i in range(2) for j in range(2))
    assert past  # the symbolic past was built


def test_forms_stay_the_blogs_two_and_named_reaches_every_cell():
    assert FORMS == ("A", "B") and set(NEW) <= set(CELLS) and set(CELLS) == set(COMPONENTS)
    assert named("LSTM").parameters[:3] == ("W_i", "U_i", "b_i")
    with pytest.raises(InvalidInputError, match="unknown form 'LSTM'"):
        cell("LSTM")
    with pytest.raises(InvalidInputError, match="unknown cell 'RNN'"):
        named("RNN")


def test_gru_conventions_are_each_other_with_z_replaced_by_one_minus_z():
    """GRU-cho with W_z, U_z, b_z negated is GRU (sigmoid(−a) = 1 − sigmoid(a)), exactly."""
    pt = rational_point("GRU", 2, act="tanh", seed_=2)
    flipped = {k: ([[-x for x in r] for r in v] if k.endswith("_z") else v) for k, v in pt["params"].items()}
    a = at(SYMPY, pt)
    b = at(SYMPY, dict(pt, name="GRU-cho", params=flipped))
    sa = a.cell.step(SYMPY, a.act, a.params, a.past, a.u).state
    sb = b.cell.step(SYMPY, b.act, b.params, b.past, b.u).state
    assert all(sp.simplify((x - y).rewrite(sp.exp)) == 0 for x, y in zip(sa, sb))


def test_lstm_state_is_a_pair_and_the_cell_matches_its_equations_in_mpmath():
    import mpmath
    pt = rational_point("LSTM", 1, seed_=4)
    with mpmath.workdps(30):
        m = at(MPMATH, pt)
        h, c = m.cell.step(MPMATH, m.act, m.params, m.past, m.u).state
        P = {k: mpmath.mpf(Q(v[0][0]).numerator) / Q(v[0][0]).denominator for k, v in pt["params"].items()}
        h0, c0 = (mpmath.mpf(Q(x[0]).numerator) / Q(x[0]).denominator for x in pt["past"][0])
        u = mpmath.mpf(Q(pt["u"][0]).numerator) / Q(pt["u"][0]).denominator
        sg = lambda z: 1 / (1 + mpmath.exp(-z))  # noqa: E731
        gate = {q: P[f"W_{q}"] * h0 + P[f"U_{q}"] * u + P[f"b_{q}"] for q in "ifog"}
        c_new = sg(gate["f"]) * c0 + sg(gate["i"]) * mpmath.tanh(gate["g"])
        assert abs(c[0] - c_new) < mpmath.mpf(10) ** -25
        assert abs(h[0] - sg(gate["o"]) * mpmath.tanh(c_new)) < mpmath.mpf(10) ** -25
    assert ACTIVATIONS["sigmoid"].gamma == Q(1, 4)
