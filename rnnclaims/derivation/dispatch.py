"""Check one translated link: the statement kinds and the checker each goes to.

Every link goes through the statement checker's API (:mod:`rnnclaims.statements`).
Jacobian links (``=`` between matrices) go to ``check_jacobian(text, form=, layout=,
activation=, n=, T=, seed=)``; when one side is not a bare Jacobian symbol, the link
``L = R`` is checked as ``R - L + C`` against the Jacobian, with ``C`` the closed form that
is itself proved the Jacobian at the same sizes (so the link holds exactly when ``R = L``).
Pairs where a Jacobian symbol ``∂s_a/∂s_b`` would need ``a < b`` are outside the link's
domain and are not asked (the rest go to :func:`derive.jacobian.check_jacobian` with those
pairs). Norm statements go to ``check_inequality(text, hypotheses=, form=, activation=)``
with the front matter's ``assume`` as hypotheses; gradient links to ``check_gradient``.

The inequality checker's budgets are counts (:data:`INEQUALITY_CHAINS` candidate chains of
the lemma search per link, and its counterexample search's instance budget), so that a
link's verdict does not depend on the machine's load; a time guard (:data:`HANG_SECONDS`)
only stops a hang, and its undecided says so.

>>> from .frontmatter import Model
>>> r = check_jacobian_text("W @ D[i-1]", Model())
>>> r.label.value
'proved'
"""
from __future__ import annotations

from functools import lru_cache

from derive.formula import parse
from derive.jacobian import check_jacobian as derive_check_jacobian
from derive.layout import in_layout
from derive.network import RNN
from rnnclaims.statements import check_gradient, check_inequality, check_jacobian
from rnncore.results import Result

from .frontmatter import Model

#: Candidate chains the lemma search checks for one norm link (a deterministic budget; the
#: blog's hardest link, eq. 14's ‖W_rec‖₂‖diag(σ′)‖₂ < 1 under its four assumptions, takes
#: 563, and a false link spends the whole budget before its counterexample is searched).
INEQUALITY_CHAINS = 1000
#: Seconds after which one norm link stops anyway: a hang guard, never the deciding budget.
HANG_SECONDS = 300.0


def check_jacobian_text(text: str, model: Model, layout: str | None = None,
                        seed: int | None = 0) -> Result:
    """Is the formula ``text`` the Jacobian in the model's form and ``layout``?"""
    return check_jacobian(text, form=model.form, layout=layout or model.layout,
                          activation=model.activation, n=model.n, T=model.T, seed=seed,
                          diagnosis=False)


def check_jacobian_pairs(text: str, model: Model, pairs: list, layout: str | None = None,
                         seed: int | None = 0) -> Result:
    """As :func:`check_jacobian_text`, on the given pairs ``(t, k)`` only (every read of
    the formula there is at a step ``>= k``, which the caller has made sure of)."""
    f = parse(text)
    f.check_budget(model.n, model.T)
    rnn = RNN(model.n, 1, model.T, model.activation, model.form)
    return derive_check_jacobian(rnn, in_layout(f.candidate(), layout or model.layout),
                                 pairs=pairs, seed=seed)


@lru_cache(maxsize=32)
def closed_form_result(form: str, layout: str, activation: str, n: int, T: int) -> Result:
    """The proof that the closed form substituted for Jacobian symbols is the Jacobian
    (eq. 13 in the form and layout), at the sizes of the check."""
    text = {("A", "numerator"): "prod_down(i, t, k+1, W @ D[i-1])",
            ("B", "numerator"): "prod_down(i, t, k+1, D[i] @ W)",
            ("A", "denominator"): "prod_up(i, k+1, t, D[i-1] @ W.T)",
            ("B", "denominator"): "prod_up(i, k+1, t, W.T @ D[i])"}[form, layout]
    return check_jacobian(text, form=form, layout=layout, activation=activation, n=n, T=T, seed=0,
                          diagnosis=False)


def bptt_formula(form: str) -> str:
    """The BPTT formula of ∂E_t/∂θ in the formula language (numerator layout)."""
    step = "W @ D[i-1]" if form == "A" else "D[i] @ W"
    return f"sum(k, 1, t, dE[t] @ prod_down(i, t, k+1, {step}) @ dplus[k])"


def state_formula(form: str) -> str:
    """∂x_t/∂θ as the sum of its paths in the formula language (numerator layout)."""
    step = "W @ D[i-1]" if form == "A" else "D[i] @ W"
    return f"sum(k, 1, t, prod_down(i, t, k+1, {step}) @ dplus[k])"


@lru_cache(maxsize=32)
def state_result(form: str, activation: str, n: int, T: int, theta: str) -> Result:
    """The proof that the sum of paths substituted for ∂x_t/∂θ is that derivative."""
    return check_gradient(state_formula(form), theta=theta, what="state", form=form,
                          activation=activation, n=n, T=T, seed=0)


def check_gradient_text(text: str, model: Model, *, theta: str, what: str) -> Result:
    """Is ``text`` the gradient (``what``: total ∂E_t/∂θ or sum ∂E/∂θ) of the model?"""
    return check_gradient(text, theta=theta, what=what, form=model.form,
                          activation=model.activation, layout=model.layout, n=model.n,
                          T=model.T, seed=0)


@lru_cache(maxsize=32)
def bptt_result(form: str, activation: str, n: int, T: int, theta: str) -> Result:
    """The proof that the BPTT formula substituted in a gradient link is ∂E_t/∂θ."""
    return check_gradient(bptt_formula(form), theta=theta, what="total", form=form,
                          activation=activation, n=n, T=T, seed=0)


def check_inequality_text(text: str, model: Model, hypotheses=()) -> Result:
    """Is the norm statement ``text`` true under ``hypotheses`` (statement texts)?"""
    return check_inequality(text, hypotheses=tuple(hypotheses), form=model.form,
                            activation=model.activation, seed=0,
                            chain_budget=INEQUALITY_CHAINS, time_budget=HANG_SECONDS)


__all__ = ["state_formula", "state_result", "bptt_formula", "check_gradient_text", "bptt_result", "check_jacobian_text", "check_jacobian_pairs", "closed_form_result",
           "check_inequality_text", "check_gradient"]
