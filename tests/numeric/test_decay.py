"""The decay/explosion experiment: certified norms against η^{t-k}, float64 failure points."""
# Verifies: blog.vanishing, blog eq. 15 bound η^{t-k}, paper.exploding (data for the plot)
from fractions import Fraction

import pytest

from numeric import DECAY_PRESETS, decay_experiment, spectral_norm
from numeric.decay import GAMMA, matrix_with_sigma_max, rational_orthogonal
from numeric.matrices import identity, matmul, transpose
from rnncore.errors import InvalidInputError, PrecisionError, SizeBudgetError
from rnncore.results import MethodKind
from rnnmodel.activations import ACTIVATIONS


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
