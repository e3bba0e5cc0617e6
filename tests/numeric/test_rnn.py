"""Form-A networks in balls: Jacobian product and forward-mode gradient agree with SymPy."""
from fractions import Fraction as Q

import sympy as sp
from flint import arb_mat, ctx

from numeric.rnn import Network, jacobian_product
from rnnmodel.activations import ACTIVATIONS
from rnnmodel.balls import BALLS
from rnnmodel.cells import cell


def test_gradient_matches_sympy_on_a_small_network():
    # Verifies: blog eq. 7 / eq. 11 (chain rule), used by blog.eq15.bound.corrected
    th = sp.Symbol("th")
    W = sp.Matrix([[sp.Rational(1, 2), th], [sp.Rational(-1, 3), sp.Rational(1, 4)]])
    x = sp.Matrix([sp.Rational(1, 2), -1])
    for _ in range(3):
        x = W * x.applyfunc(sp.tanh) + sp.Matrix([sp.Rational(1, 10), 0])
    want = sp.N(sp.diff(x[0], th).subs(th, sp.Rational(1, 5)), 40)
    with ctx.workprec(200):
        net = Network([["1/2", "1/5"], ["-1/3", "1/4"]], "tanh")
        grads, _, _, _ = net.gradient(["1/2", -1], [["1/10", 0]] * 3, p=0, q=1)
        got = grads[3][0, 0]
        assert abs(float(got.mid()) - float(want)) < 1e-30


def test_jacobian_product_of_identity_activation_is_a_power():
    with ctx.workprec(100):
        net = Network([[0, 1], [1, 1]], "identity")
        _, ds = net.run([0, 0], [[0, 0]] * 4)
        P = jacobian_product(net.W, ds, 4, 0)
        assert P == arb_mat([[2, 3], [3, 5]])   # Fibonacci matrix to the 4th power


def test_the_states_are_the_model_cell_in_balls():
    W = [[Q(1, 2), Q(1, 5)], [Q(-1, 3), Q(1, 4)]]
    drives = [[Q(1, 10), 0], [0, Q(-1, 7)]]
    with ctx.workprec(100):
        xs, ds = Network(W, "sigmoid").run([Q(1, 2), -1], drives)
        params = {"W_rec": BALLS.matrix(W), "W_in": BALLS.identity(2), "b": BALLS.vector([0, 0])}
        steps = cell("A").unroll(BALLS, ACTIVATIONS["sigmoid"], params, (BALLS.vector([Q(1, 2), -1]),),
                                 [BALLS.vector(d) for d in drives])
        for t, s in enumerate(steps, start=1):
            assert all((xs[t][i] - s.state[i, 0]).contains(0) for i in range(2))
        # σ' of the last state by the table's identity s(1 − s)
        sig = BALLS.sigma(ACTIVATIONS["sigmoid"], steps[-1].state)
        assert all((ds[-1][i] - sig[i, 0] * (1 - sig[i, 0])).contains(0) for i in range(2))


def test_one_pass_for_all_entries_gives_each_entry_pass_ball_for_ball():
    # Verifies: blog eq. 15 (corrected) — the gradients its check bounds
    from fractions import Fraction as F
    from flint import ctx
    from numeric.rnn import Network
    W = ((F(1, 2), F(-1, 3), F(0)), (F(1, 4), F(1, 5), F(-1, 2)), (F(0), F(1), F(1, 8)))
    drives = [[F(1, 4), F(0), F(-1, 2)], [F(0), F(1, 3), F(1)]]
    with ctx.workprec(200):
        for act in ("tanh", "sigmoid"):
            net = Network(W, act)
            every = net.all_gradients([F(1), F(-1, 2), F(0)], drives)
            for p in range(3):
                for q in range(3):
                    one = net.gradient([F(1), F(-1, 2), F(0)], drives, p, q)
                    both = every.entry(p, q)
                    for a_list, b_list in zip(one[:2], both[:2]):
                        for a, b in zip(a_list, b_list):
                            assert all(x.mid() == y.mid() and x.rad() == y.rad()
                                       for x, y in zip(a.entries(), b.entries()))
                    assert any(not g.entries()[p].is_zero() for g in both[0][1:])
