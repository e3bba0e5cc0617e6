"""Lines of BPTT derivations written the way people write them, each checked as a one-link
derivation file; the verdict is computed and compared with the known truth of the line.

Right lines hold (exact proof); wrong lines — transposes, reversed products and chain-rule
orders, σ′ at the wrong step or of the wrong vector, off-by-one ranges, the other layout,
dropped factors — are refuted with a counterexample. Models: the blog's (form A, x,
W_{rec}), form B with h, W_{hh} and input x, form B with s, U in denominator layout.
"""
import pytest

from rnnclaims.derivation import check_text

MODELS = {
    "A": "",
    "A-den": "layout: denominator\n",
    "A-up": "product: ascending\n",
    "A-relu": "activation: relu\n",
    "A-tanh": "activation: tanh\n",
    "hB": "form: B\nstate: h\nW_rec: W_{hh}\ninput: x\nactivation: tanh\n",
    "sB-den": "form: B\nstate: s\nW_rec: U\ninput: x\nlayout: denominator\n",
    "hB-L": "form: B\nstate: h\nW_rec: W_{hh}\ninput: x\nloss: L\n",
    "A-sigmoid": "activation: sigmoid\n",
}

J1 = r"\frac{\partial x_t}{\partial x_{t-1}}"
JK = r"\frac{\partial x_t}{\partial x_k}"
H1 = r"\frac{\partial h_t}{\partial h_{t-1}}"
HK = r"\frac{\partial h_t}{\partial h_k}"
S1 = r"\frac{\partial s_t}{\partial s_{t-1}}"
SK = r"\frac{\partial s_t}{\partial s_k}"
D = r"\operatorname{diag}(\sigma'(x_{t-1}))"
G = r"\frac{\partial E_t}{\partial \theta} = \sum_{k=1}^{t} \frac{\partial E_t}{\partial x_t} "
PLUS = r" \frac{\partial^+ x_k}{\partial \theta}"
GL = r"\frac{\partial L_t}{\partial \theta} = \sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} "
PLUS_H = r" \frac{\partial^+ h_k}{\partial \theta}"
N = r"\|W_{rec} \operatorname{diag}(\sigma'(x_{t-1}))\|_2"

RIGHT = [
    ("A", J1 + r" = W_{rec} \operatorname{diag}(\sigma'(x_{t-1}))"),
    ("A", r"\frac{\partial x_j}{\partial x_{j-1}} = W_{rec}\,\mathrm{diag}(\sigma'(x_{j-1}))"),
    ("A", JK + r" = \prod_{j=k+1}^{t} W_{rec} diag(\sigma'(x_{j-1}))"),
    ("A", JK + r" = \frac{\partial x_t}{\partial x_{t-1}} \frac{\partial x_{t-1}}{\partial x_k}"),
    ("A", JK + r" = \prod_{i=k+1}^{t} \frac{\partial x_i}{\partial x_{i-1}}"),
    ("A", JK + r" = \frac{\partial x_t}{\partial x_{k+1}} \frac{\partial x_{k+1}}{\partial x_k}"),
    ("A", r"\left(" + J1 + r"\right)^\top = " + D + r" W_{rec}^\top"),
    ("A", J1 + r" = W_{rec} " + D + r" \cdot I"),
    ("A", JK + r" = \prod_{j=k}^{t-1} W_{rec} \operatorname{diag}(\sigma'(x_j))"),
    ("A-relu", J1 + r" = W_{rec} " + D),
    ("A-den", J1 + " = " + D + r" W_{rec}^T"),
    ("A-den", JK + r" = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(x_{j-1})) W_{rec}^\top"),
    ("A-den", JK + r" = \frac{\partial x_{t-1}}{\partial x_k} \frac{\partial x_t}{\partial x_{t-1}}"),
    ("hB", H1 + r" = \operatorname{diag}(\sigma'(a_t)) W_{hh}"),
    ("hB", HK + r" = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j)) W_{hh}"),
    ("hB", H1 + r" = \operatorname{diag}\left(\sigma'(W_{hh} h_{t-1} + W_{in} x_t + b)\right) W_{hh}"),
    ("hB", HK + r" = \frac{\partial h_t}{\partial h_{t-1}} \frac{\partial h_{t-1}}{\partial h_k}"),
    ("hB", HK + r" = \frac{\partial h_t}{\partial h_{k+1}} \operatorname{diag}(\sigma'(a_{k+1})) W_{hh}"),
    ("sB-den", S1 + r" = U^\top \operatorname{diag}(\sigma'(a_t))"),
    ("sB-den", SK + r" = \prod_{j=k+1}^{t} U^T diag(\sigma'(a_j))"),
    # gradients (eqs. 9 and 11 as people write them)
    ("A", G + r"\frac{\partial x_t}{\partial x_k}" + PLUS),
    ("A", G + r"\prod_{j=k+1}^{t} W_{rec} \operatorname{diag}(\sigma'(x_{j-1}))" + PLUS),
    ("A", G + r"\left[\prod_{j=k+1}^{t} \frac{\partial x_j}{\partial x_{j-1}}\right] \frac{\partial x_k}{\partial g}"),
    ("hB-L", GL + r"\frac{\partial h_t}{\partial h_k}" + PLUS_H),
    ("hB-L", GL + r"\prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j)) W_{hh}" + PLUS_H),
    ("A", r"\frac{\partial x_t}{\partial \theta} = \frac{\partial^+ x_t}{\partial \theta} + "
          r"\frac{\partial x_t}{\partial x_{t-1}} \frac{\partial x_{t-1}}{\partial \theta}"),  # eq. 7
    # norm statements
    ("A", r"\rho(W_{rec}) \leq \|W_{rec}\|_2"),
    ("A", N + r" \leq \|W_{rec}\|_2 \|\operatorname{diag}(\sigma'(x_{t-1}))\|_2"),
    ("A", r"\sigma_{max}(W_{rec}) = \|W_{rec}\|_2"),
    ("A", r"\|W_{rec}^\top\|_2 = \|W_{rec}\|_2"),
    # the linear-algebra precursor: A a generic (complex) matrix, A^* its conjugate transpose
    ("A", r"\sigma_{max}(A) = \sqrt{\lambda_{max}(A^*A)}"),
    ("A", r"\|A\|_2 = \sqrt{\lambda_{max}(A^\ast A)}"),
    ("A", r"\sqrt{\lambda_{max}(A^*A)} = \sqrt{\rho(A^*A)}"),
    ("A", r"\|A\|_2 = \sigma_{max}(A)"),
]

WRONG = [
    ("A", J1 + r" = W_{rec}^T " + D),                                   # transpose
    ("A", J1 + " = " + D + r" W_{rec}"),                                 # reversed factors
    ("A", J1 + r" = W_{rec} \operatorname{diag}(\sigma'(x_t))"),         # σ′ one step late
    ("A", J1 + r" = W_{rec} \operatorname{diag}(\sigma'(x_{t-2}))"),     # σ′ one step early
    ("A", JK + r" = \prod_{j=k+1}^{t-1} W_{rec} diag(\sigma'(x_{j-1}))"),  # range one short
    ("A", JK + r" = \prod_{j=k+2}^{t+1} W_{rec} diag(\sigma'(x_{j-1}))"),  # range shifted
    ("A", JK + r" = \prod_{j=k+1}^{t} diag(\sigma'(x_{j-1})) W_{rec}"),    # factors reversed
    ("A", JK + r" = \prod_{j=k+1}^{t} W_{rec}^T diag(\sigma'(x_{j-1}))"),  # the paper's eq. 5
    ("A", JK + r" = \prod_{j=k+1}^{t} W_{rec} diag(\sigma'(x_j))"),        # σ′ at the wrong step
    ("A", JK + r" = \frac{\partial x_{t-1}}{\partial x_k} \frac{\partial x_t}{\partial x_{t-1}}"),  # chain rule reversed
    ("A", JK + r" = \frac{\partial x_t}{\partial x_{t-1}} \frac{\partial x_{t-2}}{\partial x_k}"),  # a step dropped
    ("A", J1 + r" = W_{rec}"),                                           # σ′ dropped
    ("A", J1 + " = " + D),                                               # W dropped
    ("A", J1 + r" = W_{rec} \operatorname{diag}(\sigma(x_{t-1}))"),      # σ for σ′
    ("A", J1 + r" = W_{rec} " + D + r" W_{rec}"),                        # an extra factor
    ("A", J1 + r" = 2 W_{rec} " + D),                                    # a stray factor 2
    ("A", J1 + r" = -W_{rec} " + D),                                     # a sign
    ("A", J1 + r" = W_{rec} + " + D),                                    # a sum for a product
    ("A", r"\left(" + J1 + r"\right)^T = W_{rec}^T " + D),               # transpose not reversed
    ("A-up", JK + r" = \prod_{j=k+1}^{t} W_{rec} diag(\sigma'(x_{j-1}))"),  # ascending order
    ("A-relu", J1 + r" = W_{rec}"),                                      # relu: σ′ still matters
    ("A-tanh", J1 + r" = W_{rec} \operatorname{diag}(\sigma(x_{t-1}))"),  # tanh: σ for σ′
    ("A-den", J1 + r" = W_{rec} " + D),                                  # numerator form, denominator declared
    ("A-den", JK + r" = \prod_{j=k+1}^{t} W_{rec}^T diag(\sigma'(x_{j-1}))"),  # the paper's eq. 5
    ("A-den", JK + r" = \frac{\partial x_t}{\partial x_{t-1}} \frac{\partial x_{t-1}}{\partial x_k}"),
    ("A-den", J1 + r" = W_{rec}^T " + D),                                # transpose on the wrong side
    ("A-den", JK + r" = \prod_{j=k+1}^{t} diag(\sigma'(x_j)) W_{rec}^T"),  # σ′ at the wrong step
    ("hB", H1 + r" = W_{hh} \operatorname{diag}(\sigma'(a_t))"),         # form A's order
    ("hB", H1 + r" = \operatorname{diag}(\sigma'(a_{t-1})) W_{hh}"),     # σ′ one step early
    ("hB", H1 + r" = W_{hh}^T \operatorname{diag}(\sigma'(a_t))"),       # denominator form
    ("hB", HK + r" = \prod_{j=k+1}^{t} W_{hh} \operatorname{diag}(\sigma'(a_j))"),
    ("hB", HK + r" = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_{j-1})) W_{hh}"),
    ("hB", H1 + r" = \operatorname{diag}(\sigma'(h_t)) W_{hh}"),         # σ′ of the state
    ("hB", H1 + r" = \operatorname{diag}(\sigma'(W_{hh} h_{t-1})) W_{hh}"),  # input and bias dropped
    ("hB", HK + r" = \frac{\partial h_{t-1}}{\partial h_k} \frac{\partial h_t}{\partial h_{t-1}}"),
    ("hB", H1 + r" = W_{hh}"),
    ("sB-den", S1 + r" = \operatorname{diag}(\sigma'(a_t)) U"),          # numerator form
    ("sB-den", S1 + r" = U \operatorname{diag}(\sigma'(a_t))"),
    ("sB-den", SK + r" = \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j)) U^T"),
    ("sB-den", S1 + r" = U^\top \operatorname{diag}(\sigma'(a_{t-1}))"),
    # gradients
    ("A", G.replace("^{t}", "^{t-1}") + r"\frac{\partial x_t}{\partial x_k}" + PLUS),  # off by one
    ("A", G + r"\prod_{j=k+1}^{t} W_{rec}^T \operatorname{diag}(\sigma'(x_{j-1}))" + PLUS),  # transpose
    ("A", G + r"\prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(x_{j-1})) W_{rec}" + PLUS),  # reversed
    ("A", r"\frac{\partial E_t}{\partial \theta} = \frac{\partial E_t}{\partial x_t}"
          r" \frac{\partial^+ x_t}{\partial \theta}"),  # the immediate term only
    ("A-up", G + r"\prod_{j=k+1}^{t} W_{rec} \operatorname{diag}(\sigma'(x_{j-1}))" + PLUS),
    ("hB-L", GL + r"\prod_{j=k+1}^{t} W_{hh} \operatorname{diag}(\sigma'(a_j))" + PLUS_H),
    ("A", r"\frac{\partial x_t}{\partial \theta} = \frac{\partial^+ x_t}{\partial \theta} + "
          r"\frac{\partial x_{t-1}}{\partial \theta}"),  # the Jacobian dropped from eq. 7
    # norm statements: eigenvalue for singular value, strict for non-strict, the wrong norm
    ("A", r"\|W_{rec}\|_2 \leq \rho(W_{rec})"),
    ("A", r"\sigma_{max}(W_{rec}) \leq \rho(W_{rec})"),
    ("A", N + r" < \|W_{rec}\|_2 \|\operatorname{diag}(\sigma'(x_{t-1}))\|_2"),
    ("A-tanh", r"\|\operatorname{diag}(\sigma'(x_{t-1}))\|_2 < 1"),
    ("A-sigmoid", r"\|\operatorname{diag}(\sigma'(x_{t-1}))\|_2 < \frac{1}{4}"),
    ("A", r"\|W_{rec}\|_F \leq \|W_{rec}\|_2"),
    # the precursor with the root dropped, eigenvalue for singular value, A for A^*A
    ("A", r"\sigma_{max}(A) = \lambda_{max}(A^*A)"),
    ("A", r"\|A\|_2 = \rho(A)"),
    ("A", r"\sigma_{max}(A) = \sqrt{\rho(A)}"),
    ("A", r"\|A\|_2 < \sigma_{max}(A)"),
]

HOLDS = ("proved", "proved-from-lemmas", "proved-randomized", "confirmed")


def _check(model: str, line: str):
    rep = check_text(f"---\n{MODELS[model]}---\n$${line}$$\n", name="line.md")
    assert len(rep.links) == 1, [(l.verdict, l.reason) for l in rep.links]
    return rep.links[0]


@pytest.mark.parametrize(
    "model, line, truth",
    [(m, l, "right") for m, l in RIGHT] + [(m, l, "wrong") for m, l in WRONG])
def test_line(model, line, truth):
    link = _check(model, line)
    if truth == "right":
        assert link.verdict in HOLDS, (link.verdict, link.reason, link.formula)
        assert link.result.verdict.value == "proved"
        if link.kind == "jacobian":
            assert link.verdict == "proved"  # exact algebra at the stated sizes
    else:
        assert link.verdict == "refuted", (link.verdict, link.reason, link.formula)
        cex = link.result.counterexample
        assert cex is not None
        if link.relation in ("<", ">"):  # a strict inequality may fail at equality
            assert "strict" in cex.note or cex.lhs != cex.rhs
        else:
            assert cex.lhs != cex.rhs


def test_counts():
    assert len(RIGHT) >= 20 and len(WRONG) >= 40
    assert {"jacobian", "gradient", "inequality"} == {
        _check(m, l).kind for m, l in (RIGHT[0], RIGHT[-10], RIGHT[-1])}


def test_other_layout_is_named():
    link = _check("A-den", J1 + r" = W_{rec} " + D)
    assert link.holds_in_layout == "numerator"
    assert any("holds in numerator layout" in n for n in link.notes)


# Eq. 15 of the blog, line by line (one-link files): the norms of eq. 11 and eq. 13's
# gradient expressions (congruence), the regrouping (per reading of θ, the author's first)
# and the bound by η (from the front matter's hypothesis).
ETA = "assume:\n  - \\|\\frac{\\partial x_{j}}{\\partial x_{j-1}}\\|_2 \\leq \\eta\n"
ETA_H = "assume:\n  - \\|\\frac{\\partial h_{j}}{\\partial h_{j-1}}\\|_2 \\leq \\eta\n"
MODELS.update({"A-eta": ETA, "hB-L-eta": MODELS["hB-L"] + ETA_H})
NG = r"\|\frac{\partial E_t}{\partial \theta}\|_2"
SUM_A = r"\frac{\partial E_t}{\partial x_t} \frac{\partial x_t}{\partial x_k} \frac{\partial x_k}{\partial g}"
PROD_A = (r"\frac{\partial E_t}{\partial x_t} [\prod_{j=k+1}^t \frac{\partial x_{j}}{\partial x_{j-1}}]"
          r" \frac{\partial x_k}{\partial g}")
GROUPED = (r"\sum_{k=1}^t [\|\frac{\partial E_t}{\partial x_t} \frac{\partial x_k}{\partial g}\|_2"
           r"[\prod_{j=k+1}^t \|\frac{\partial x_{j}}{\partial x_{j-1}}\|_2]]")
BOUND = r"\sum_{k=1}^t [\|\frac{\partial E_t}{\partial x_t} \frac{\partial x_k}{\partial g}\|_2 * \eta^{%s}]"
GROUPED_H = (r"\sum_{k=1}^{t} \|\frac{\partial L_t}{\partial h_t} \frac{\partial^+ h_k}{\partial \theta}\|_2"
             r" [\prod_{j=k+1}^{t} \|\frac{\partial h_{j}}{\partial h_{j-1}}\|_2]")

EQ15_RIGHT = [
    ("A", NG + r" = \|\sum_{k=1}^t [" + SUM_A + r"]\|_2", "proved"),             # L1
    ("A", NG + r" = \|\sum_{k=1}^{t} " + SUM_A + r"\|_2", "proved"),             # braces, no [ ]
    ("A", r"\|\sum_{k=1}^t [" + SUM_A + r"]\|_2 = \|\sum_{k=1}^t [" + PROD_A + r"]\|_2",
     "proved"),                                                                   # L2
    ("hB-L", r"\|\frac{\partial L_t}{\partial \theta}\|_2 = \|\sum_{k=1}^{t} \frac{\partial L_t}"
             r"{\partial h_t} \prod_{j=k+1}^{t} \operatorname{diag}(\sigma'(a_j)) W_{hh}" + PLUS_H
     + r"\|_2", "proved"),                                                        # W_hh, h_t names
    ("A", r"\|\sum_{k=1}^t [" + PROD_A + r"]\|_2 \leq " + GROUPED, "proved-from-lemmas"),  # L3
    ("hB-L", r"\|\sum_{k=1}^{t} \frac{\partial L_t}{\partial h_t} \frac{\partial h_t}{\partial h_k}"
             + PLUS_H + r"\|_2 \leq " + GROUPED_H, "proved-from-lemmas"),
    ("A-eta", GROUPED + r" \leq " + BOUND % "t-k", "proved-from-lemmas"),        # L4
    ("hB-L-eta", GROUPED_H + r" \leq \sum_{k=1}^{t} \|\frac{\partial L_t}{\partial h_t} "
                 r"\frac{\partial^+ h_k}{\partial \theta}\|_2 \eta^{t-k}", "proved-from-lemmas"),
]

TRANSPOSED = (r"\|\sum_{k=1}^t [" + SUM_A + r"]\|_2 = \|\sum_{k=1}^t [" + PROD_A.replace(
    r"\frac{\partial x_{j}}{\partial x_{j-1}}]", r"\frac{\partial x_{j}}{\partial x_{j-1}}^T]")
    + r"]\|_2")
EQ15_WRONG = [
    ("A", NG + r" = \|\sum_{k=2}^t [" + SUM_A + r"]\|_2", "empty sum"),  # the sum starts at k = 2
    ("A", TRANSPOSED, "evaluated whole"),                                 # a transposed product
]

EQ15_UNDECIDED = [
    # a weaker exponent (true, but η may be 0: not decided) and a stronger one (does not follow)
    ("A-eta", GROUPED + r" \leq " + BOUND % "t-k-1", "is not t − k"),
    ("A-eta", GROUPED + r" \leq " + BOUND % "t-k+1", "is not t − k"),
    # without the hypothesis ‖∂x_j/∂x_{j-1}‖₂ ≤ η
    ("A", GROUPED + r" \leq " + BOUND % "t-k", "does not state it"),
]


@pytest.mark.parametrize("model, line, label", EQ15_RIGHT)
def test_eq15_line_holds(model, line, label):
    # Verifies: blog eq. 15
    link = _check(model, line)
    assert link.verdict == label, (link.verdict, link.reason, link.formula)
    assert link.kind == "inequality"


def test_eq15_regrouping_shows_both_readings_authors_first():
    # Verifies: blog eq. 15
    link = _check("A", r"\|\sum_{k=1}^t [" + PROD_A + r"]\|_2 \leq " + GROUPED)
    first, second = link.notes
    assert "the author's reading" in first and "proved-from-lemmas" in first
    assert "not the author's reading" in second and "refuted" in second
    assert "counterexample" in second
    # the link's verdict is the author's reading's, its proof the catalogue's grouping
    assert link.verdict == "proved-from-lemmas"
    assert "blog.eq15.grouping.whole-matrix" in link.result.evidence


@pytest.mark.parametrize("model, line, how", EQ15_WRONG)
def test_eq15_wrong_line_is_refuted_with_certified_witness(model, line, how):
    # Verifies: blog eq. 15
    link = _check(model, line)
    assert link.verdict == "refuted", (link.verdict, link.reason, link.formula)
    cex = link.result.counterexample
    assert cex is not None and how in cex.lhs + cex.rhs
    if how == "evaluated whole":  # the squared norms, exact rationals, differ
        left, right = cex.data["norms_squared"]
        assert left != right and left >= 0 and right >= 0
    # the scope and method are the refuting check's, each said once
    note, method = link.result.scope.note, link.result.method.detail
    assert note.count("checked") == 1, note
    assert not any(a != b and a in b for a in method.split("; ") for b in method.split("; ")), method


def test_eq15_norm_witness_agrees_on_a_true_identity():
    # the whole-vector evaluation behind a refutation, at the transposed line's point: on
    # the true identity (eq. 11 against eq. 13 substituted) the two squared norms agree,
    # and the gradient itself equals the BPTT sum there too
    from rnnclaims.derivation import norms
    from rnnclaims.derivation.frontmatter import Model
    link = _check("A", TRANSPOSED)
    cex = link.result.details[0].counterexample
    bptt = "sum(k, 1, t, dE[t] @ prod_down(i, t, k + 1, W @ D[i - 1]) @ dplus[k])"
    same = "sum(k, 1, t, dE[t] @ prod_down(j, t, k + 1, W @ D[j - 1]) @ dplus[k])"
    ln, rn, _ = norms.norm_witness(Model(), "W_rec", "total", cex.location.t, bptt, same, cex.data)
    assert ln == rn
    ln2, rn2, _ = norms.norm_witness(Model(), "W_rec", "total", cex.location.t, None, bptt, cex.data)
    assert ln2 == rn2 == ln


@pytest.mark.parametrize("model, line, why", EQ15_UNDECIDED)
def test_eq15_line_undecided_with_reason(model, line, why):
    # Verifies: blog eq. 15
    link = _check(model, line)
    assert link.verdict == "undecided", (link.verdict, link.reason, link.formula)
    assert why in link.result.evidence
