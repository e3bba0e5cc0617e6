"""Jacobian statements (rnnclaims.statements.check_jacobian): concrete activations respected
on every path, skipped pairs never 'holds', and the one-step factor of blog eq. 12."""
import pytest

from rnnclaims.statements import check_jacobian


@pytest.mark.parametrize("text, activation, method", [
    ("W @ D[i-1]**2", "relu", "auto"),                                    # relu' ∈ {0, 1}
    ("W @ D[i-1] @ D[i-1]", "relu", "auto"),
    ("W @ diag(sigma(x[i-1])) @ diag(sigma(-x[i-1]))", "sigmoid", "auto"),  # σ(z)σ(−z) = σ'(z)
    ("W @ (I - diag(sigma(x[i-1]))) @ diag(sigma(x[i-1]))", "sigmoid", "randomized"),
    ("W @ (I - diag(sigma(x[i-1]))**2)", "tanh", "auto"),                # tanh' = 1 − tanh²
    ("W @ (I - diag(sigma(x[i-1]))**2)", "tanh", "randomized"),          # ... on that path too
    ("W @ diag(dsigma(-x[i-1]))", "tanh", "auto"),                       # tanh' is even
    ("-W @ (diag(sigma(-x[i-1]))**2 - I)", "tanh", "auto"),             # tanh(−z)² = tanh(z)²
])
def test_true_identities_of_a_concrete_activation_hold(text, activation, method):
    r = check_jacobian(text, activation=activation, n=2, T=3, method=method, diagnosis=False)
    assert r.holds, (r.label.value, r.evidence)
    if method == "randomized":
        assert r.label.value == "proved-randomized" and r.method.error_log2 <= -100


@pytest.mark.parametrize("text, activation", [
    ("W @ D[i-1]**2", "tanh"),                 # tanh'² ≠ tanh'
    ("W @ D[i-1]**2", "sigmoid"),
    ("W @ diag(sigma(-x[i-1]))", "sigmoid"),   # σ(−z) is not σ'(z)
    ("W @ (I - diag(sigma(x[i-1])))", "tanh"),  # 1 − tanh, not 1 − tanh²
])
def test_false_identities_of_a_concrete_activation_are_never_proved(text, activation):
    r = check_jacobian(text, activation=activation, n=2, T=3, diagnosis=False)
    assert not r.holds
    assert r.verdict.value in ("refuted", "undecided")
    if r.verdict.value == "refuted":
        assert r.counterexample is not None and r.counterexample.lhs != r.counterexample.rhs


def test_relu_never_refuted_when_true_on_the_randomized_path():
    # the randomized path models relu by a generic pair (σ, σ'): D² = D is a formal
    # difference there, which must not become a refutation
    r = check_jacobian("W @ D[i-1]**2", activation="relu", n=2, T=3, method="randomized",
                       diagnosis=False)
    assert r.verdict.value != "refuted"


@pytest.mark.parametrize("text, verdict", [
    # Verifies: blog eq. 12 in form B — ∂h_j/∂h_{j-1} = diag(σ'(W h_{j-1} + W_in u_j + b)) W
    ("prod_down(j, t, k+1, diag(dsigma(W @ h[j-1] + W_in @ u[j] + b)) @ W)", "proved"),
    ("prod_down(j, t, k+1, diag(dsigma(W @ h[j-1] + W_in @ u[t] + b)) @ W)", "refuted"),  # u_t for u_j
    ("prod_down(j, t, k+1, diag(dsigma(W @ h[j-1] + W_in @ u[j-1] + b)) @ W)", "refuted"),
])
def test_eq12_input_index(text, verdict):
    r = check_jacobian(text, form="B", n=2, T=3, diagnosis=False)
    assert r.verdict.value == verdict, r.evidence


def test_skipped_pairs_make_the_verdict_undecided_naming_them():
    r = check_jacobian("prod_down(i, t, k+1, W @ D[i-1]) + prod_down(i, t, k+2, W @ D[i+5]) - I",
                       T=3, diagnosis=False)
    assert r.verdict.value == "undecided" and r.scope.skipped == 3
    assert "reads outside the network" in r.scope.skipped_what
    # at T = 8 the same formula is refuted: the skipped pairs were hiding a difference
    assert check_jacobian(r.data.get("formula", "prod_down(i, t, k+1, W @ D[i-1]) + "
                                     "prod_down(i, t, k+2, W @ D[i+5]) - I"), T=8,
                          diagnosis=False).verdict.value == "refuted"


def test_eq13_beyond_the_old_factor_budget():
    # issue 10: refused at T >= 49 ("more than 96 matrices per term"); now decided
    r = check_jacobian("prod_down(i, t, k+1, W @ D[i-1])", n=1, T=50, diagnosis=False)
    assert r.holds and r.scope.checked == 50 * 51 // 2
