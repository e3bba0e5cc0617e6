"""The decay/explosion experiment: certified norms against η^{t-k}, float64 failure points."""
# Verifies: blog.vanishing, blog eq. 15 bound η^{t-k}, paper.exploding (data for the plot)
from fractions import Fraction

import pytest
from hypothesis import example, given, settings

from numeric import DECAY_PRESETS, decay_experiment, spectral_norm
from numeric.decay import GAMMA, decay_bound, matrix_with_sigma_max, rational_orthogonal
from numeric.matrices import identity, matmul, transpose
from rnncore.errors import InvalidInputError, PrecisionError, SizeBudgetError
from rnncore.results import MethodKind
from rnnmodel.activations import ACTIVATIONS
from tests.strategies import decay_configs


def test_sigma_max_is_exact():
    W = matrix_with_sigma_max(4, Fraction(9, 10), 3)
    assert spectral_norm(W, exact=True).contains("9/10")
    import random
    Q = rational_orthogonal(4, random.Random(0))
    assert matmul(transpose(Q), Q) == identity(4)


def test_vanishing_run_stays_below_the_bound_and_certified():
    r = decay_experiment(n=4, steps=60, dps=30)
    assert r.eta == Fraction(9, 10)
    assert all(w is True for w in r.within_bound)
    assert r.max_rel_width < 1e-25
    assert all(b > a for a, b in zip(r.log10_norms[10:], r.log10_norms[:-10][::1]))  # decays
    assert r.rates[-1] < 0
    # float64 agrees early on
    assert r.float64_rel_error[10] < 1e-10


def test_float64_underflow_is_located_and_the_certified_run_goes_on():
    r = decay_experiment(n=3, steps=130, sigma_max="1/1000", spread=1, dps=20,
                         input_scale=0)
    assert r.first_subnormal is not None and r.first_zero is not None
    assert r.first_subnormal < r.first_zero <= 130
    assert r.float64[-1] == 0.0
    assert r.log10_norms[-1] < -380 and r.norms[-1].lo > 0   # still certified, positive


def test_float64_overflow_in_the_exploding_configuration():
    # x_t = 0 for all t: ∂x_t/∂x_0 = W^t with ‖W^t‖ = 1000^t exactly
    r = decay_experiment(n=3, steps=110, sigma_max=1000, spread=1, x0="zero", input_scale=0,
                         dps=20)
    assert r.first_inf is not None and r.first_inf <= 110
    assert r.norms[-1].contains(Fraction(1000) ** 110)


def test_presets_run():
    for name, cfg in DECAY_PRESETS.items():
        r = decay_experiment(n=3, steps=15, dps=20, **cfg)
        assert len(r.norms) == 15, name


@pytest.mark.parametrize("kw, cls", [
    (dict(activation="relu"), InvalidInputError),
    (dict(steps=0), InvalidInputError),
    (dict(steps=10**6), SizeBudgetError),
    (dict(n=100), SizeBudgetError),
    (dict(dps=5), PrecisionError),
    (dict(sigma_max=-1), InvalidInputError),
    (dict(sigma_max="nan"), Exception),
    (dict(x0="ones"), InvalidInputError),
    (dict(W=[[1, 2]]), Exception),
    (dict(steps=20000, dps=2000), SizeBudgetError),
])
def test_bad_arguments(kw, cls):
    with pytest.raises(cls):
        decay_experiment(**{"n": 2, "steps": 3, **kw})


@pytest.mark.slow
def test_full_experiment_2000_steps():
    r = decay_experiment()
    assert r.steps == 2000 and all(w is True for w in r.within_bound)
    assert r.first_subnormal is not None and r.max_rel_width < 1e-40


def test_the_run_says_how_and_for_what_as_data():
    r = decay_experiment(n=2, steps=5, dps=20, activation="sigmoid")
    assert r.method.kind is MethodKind.CERTIFIED and "LDLᵀ" in r.method.detail
    assert r.scope.span("t").hi == 5 and r.scope.span("n").lo == 2
    assert r.scope.activations == ("sigmoid",) and r.scope.forms == ("A",)
    assert r.to_dict()["method"]["kind"] == "certified"


def test_gamma_is_the_model_table():
    assert GAMMA == {"tanh": ACTIVATIONS["tanh"].gamma, "sigmoid": ACTIVATIONS["sigmoid"].gamma}
    assert GAMMA["sigmoid"] == Fraction(1, 4)


# ---------------------------------------------------------------- the bound question, fast route
# decay_bound answers only "‖∂x_t/∂x_0‖₂ ≤ η^t?" per step (a one-sided certificate, the
# bracket where it does not settle): on every run it must agree with the full experiment.
def _reference_within(cfg):
    """The full experiment's answers for ``cfg``, against the candidate rate if one is given
    (the full experiment compares with its own η: the comparison is redone from its
    certified norms, by the rule decay_experiment uses)."""
    cfg = dict(cfg)
    rate = cfg.pop("eta", None)
    r = decay_experiment(**cfg)
    if rate is None:
        return r.within_bound, r
    from flint import arb, ctx, fmpq
    from numeric.linalg import prec_bits
    out = []
    with ctx.workprec(prec_bits(r.work_dps)):
        bound = arb(1)
        for e in r.norms:
            bound = bound * arb(fmpq(rate.numerator, rate.denominator))
            hi, lo = arb(fmpq(e.hi.numerator, e.hi.denominator)), arb(fmpq(e.lo.numerator, e.lo.denominator))
            out.append(True if hi <= bound.lower() else (False if lo > bound.upper() else None))
    return tuple(out), r


def _agrees(fast, ref):
    """Where the full experiment decides, the fast route decides the same; where it does
    not, the fast route either does not either or certifies "below" (its certificate at
    μ ≤ η^(2t) can settle a step within the bracket's width of η^t)."""
    return all(f == w if w is not None else f in (None, True) for f, w in zip(fast, ref))


@settings(max_examples=40, deadline=None)
@given(decay_configs())
@example({"activation": "tanh", "n": 3, "steps": 6, "sigma_max": Fraction(3, 2), "seed": 0,
          "dps": 20, "spread": Fraction(1), "x0": "zero", "input_scale": Fraction(0)})
@example({"activation": "tanh", "n": 2, "steps": 8, "sigma_max": Fraction(3, 2), "seed": 0,
          "dps": 20, "spread": Fraction(1), "x0": "zero", "input_scale": Fraction(0),
          "eta": Fraction(27, 20)})
@example({"activation": "sigmoid", "n": 3, "steps": 12, "sigma_max": Fraction(4), "seed": 3,
          "dps": 20, "spread": Fraction(1, 10), "eta": Fraction(1, 2)})
def test_fast_route_agrees_with_the_full_experiment(cfg):
    fast = decay_bound(**cfg)
    ref, r = _reference_within(cfg)
    assert len(fast.within_bound) == cfg["steps"] and fast.W == r.W
    assert _agrees(fast.within_bound, ref), (fast.within_bound, ref)
    for t, e in fast.brackets:   # a bracketed step: the full experiment's enclosure, exactly
        assert e == r.norms[t - 1]


def test_fast_route_refutes_a_wrong_rate_and_leaves_the_equality_undecided():
    # x_t = 0: ∂x_t/∂x_0 = W^t with ‖W^t‖₂ = (3/2)^t exactly
    cfg = dict(n=3, steps=10, dps=20, **DECAY_PRESETS["tanh-above-origin"])
    wrong = decay_bound(eta=Fraction(7, 5), **cfg)
    assert wrong.within_bound == (False,) * 10
    assert all(wrong.norm_at(t).contains(Fraction(3, 2) ** t) for t in range(1, 11))
    tie = decay_bound(**cfg)                   # η = 3/2: equality, never "below"
    assert tie.eta == Fraction(3, 2) and tie.within_bound == (None,) * 10
    assert tie.within_bound == decay_experiment(**cfg).within_bound
    loose = decay_bound(eta=Fraction(8, 5), **cfg)
    assert loose.within_bound == (True,) * 10 and loose.brackets == ()


def test_fast_route_on_the_claims_runs():
    # the configurations blog.vanishing and paper.exploding run (quick sizes), and one at
    # the default steps
    from rnnclaims.numeric.conditions import _network_instances
    from rnncore.registry import Options
    opts = Options.quick_sizes()
    for factor, boundary in ((Fraction(9, 10), False), (Fraction(1), True)):
        for _, label, cfg in _network_instances(opts, factor, boundary):
            fast = decay_bound(n=opts.n, steps=12, dps=50, **cfg)
            assert fast.within_bound == decay_experiment(n=opts.n, steps=12, dps=50,
                                                         **cfg).within_bound, label
            assert all(w is True for w in fast.within_bound), label
    cfg = dict(activation="sigmoid", sigma_max=Fraction(4), spread=Fraction(1), seed=0)
    assert decay_bound(n=3, steps=80, **cfg).within_bound == decay_experiment(
        n=3, steps=80, **cfg).within_bound


def test_fast_route_shares_runs_and_refuses_bad_arguments():
    a = decay_bound(n=2, steps=5, dps=20, seed=4)
    assert decay_bound(n=2, steps=5, dps=20, seed=4, sigma_max="9/10") is a
    assert decay_bound(n=2, steps=5, dps=20, seed=5) is not a
    for kw, cls in [(dict(x0=["zero"]), InvalidInputError), (dict(activation=["tanh"]), InvalidInputError),
                    (dict(seed="1"), InvalidInputError), (dict(eta=0), InvalidInputError),
                    (dict(eta="nan"), Exception), (dict(steps=0), InvalidInputError),
                    (dict(dps=5), PrecisionError), (dict(W=[[1, 2]]), Exception),
                    (dict(steps=20000, dps=2000), SizeBudgetError)]:
        with pytest.raises(cls):
            decay_bound(**{"n": 2, "steps": 3, **kw})
    r = decay_bound(n=2, steps=4, dps=20, activation="sigmoid")
    assert r.method.kind is MethodKind.CERTIFIED and "LDLᵀ" in r.method.detail
    assert r.scope.span("t").hi == 4 and r.scope.activations == ("sigmoid",)
