"""The reader of derivation files: the blog's own LaTeX as a derivation, hostile input,
and a fuzz test (a parsed statement or the documented error, never another exception)."""
# Verifies: blog eq. 9, blog eq. 10, blog eq. 11, blog eq. 12, blog eq. 13, blog eq. 14, blog eq. 15, paper eq. 5
import pathlib
import re

import pytest
from hypothesis import example, given, settings

from rnnclaims.derivation import check_text, normalise, parse_row, read_file
from rnnclaims.derivation.reader import MAX_NESTING
from rnncore.errors import FormulaError, InvalidInputError
from tests.strategies import latex_rows

_REPO = pathlib.Path(__file__).resolve().parents[2]
# ../shared beside the repository (a worktree sits one level deeper)
SEED = next((p / "shared" / "seed" / "000_814e32c763657365.txt" for p in (_REPO.parent, _REPO.parent.parent)
             if (p / "shared" / "seed" / "000_814e32c763657365.txt").exists()),
            _REPO.parent / "shared" / "seed" / "000_814e32c763657365.txt")
# The blog's model, and the assumptions its prose states (the bound on diag(σ') above
# eq. 14, the boxed condition on σ_max, and the definition of η before eq. 15).
FRONT = (
    "---\nform: A\nactivation: generic\nlayout: numerator\nstate: x\nW_rec: W_{rec}\n"
    "assume:\n"
    "  - \\|diag(\\sigma'(x_{j-1}))\\|_2 < \\gamma\n"
    "  - \\sigma_{max}(W_{rec}) < \\frac{1}{\\gamma}\n"
    "  - \\|\\frac{\\partial x_{j}}{\\partial x_{j-1}}\\|_2 \\leq \\eta\n"
    "  - \\eta < 1\n---\n")


def _blog_blocks() -> str:
    """The blog's display-math blocks, as written, one after another."""
    text = SEED.read_text(encoding="utf-8")
    blocks = re.findall(r"\\\[.*?\\\]|\\\(\\begin\{align\}.*?\\\)", text, flags=re.S)
    return "\n\n".join(blocks)


@pytest.fixture(scope="module")
def blog():
    if not SEED.exists():
        pytest.skip(f"the blog's LaTeX is not at {SEED}")
    return check_text(FRONT + _blog_blocks(), name="blog.md")


def _tagged(rep, tag):
    return [l for l in rep.links if l.tag == tag]


def test_blog_eq10_eq12_eq13_hold_in_numerator_layout(blog):
    # eq. 10: both written-out steps and the conclusion past the ellipsis
    eq10 = [l for l in _tagged(blog, "10") if l.verdict != "unsupported"]
    assert len(eq10) == 3 and all(l.verdict == "proved" for l in eq10)
    assert any(l.conclusion and l.formula.startswith("prod_down(j, t, k + 1") for l in eq10)
    # eq. 12: the entrywise rows are not statements it reads; the boxed conclusion holds
    eq12 = [l for l in _tagged(blog, "12") if l.verdict != "unsupported"]
    assert [(l.conclusion, l.verdict) for l in eq12] == [(True, "proved")]
    assert "written entry by entry" in " ".join(l.reason for l in _tagged(blog, "12"))
    # eq. 13: both links of the chain
    eq13 = _tagged(blog, "13")
    assert [l.verdict for l in eq13] == ["proved", "proved"]


def test_blog_eq9_eq11_hold(blog):
    # ∂x_k/∂g read as the immediate partial ∂⁺x_k/∂θ (the catalogue's reading), θ = W_rec
    for tag in ("9", "11"):
        (link,) = _tagged(blog, tag)
        assert link.kind == "gradient" and link.verdict == "proved", (tag, link.reason)
        assert "dplus[k]" in link.formula


def test_blog_eq14_strict_link_is_refuted_at_equality(blog):
    strict = [l for l in _tagged(blog, "14") if l.relation == "<" and not l.conclusion
              and l.formula.startswith("norm2(W @ diag")]
    assert len(strict) == 1
    assert strict[0].formula == ("norm2(W @ diag(dsigma(x[j - 1]))) < "
                                 "norm2(W) * norm2(diag(dsigma(x[j - 1])))")
    assert strict[0].verdict == "refuted"
    cex = strict[0].result.counterexample
    assert "strict inequality fails" in cex.note and cex.lhs == cex.rhs  # at equality
    # its non-strict neighbours and the boxed conclusion hold (catalogue: blog.eq14.step)
    eq14 = {(l.relation, l.conclusion, l.formula): l.verdict for l in _tagged(blog, "14")}
    assert eq14[("=", False, "norm2(W @ D[j - 1]) == norm2(W @ diag(dsigma(x[j - 1])))")] \
        == "proved-from-lemmas"
    assert eq14[("<", False, "norm2(W @ D[j - 1]) < 1")] == "proved-from-lemmas"
    # the second row: σ_max(W) σ_max(diag(σ')) < (1/γ) γ from the two assumptions (γ > 0
    # since 0 ≤ ‖diag(σ')‖₂ < γ), and (1/γ) γ = 1; every link decided, none undecided
    assert eq14[("<", False, "smax(W) * smax(diag(dsigma(x[j - 1]))) < 1 / gamma * gamma")] \
        == "proved-from-lemmas"
    assert eq14[("=", False, "1 / gamma * gamma == 1")] == "proved-from-lemmas"
    assert "undecided" not in eq14.values()
    second = [l for l in _tagged(blog, "14") if l.formula.startswith("smax(W)")]
    assert "pos_of_gt_nonneg" in second[0].result.proofs[0].text()


def test_blog_eq15_link_by_link(blog):
    # Verifies: blog eq. 15
    eq15 = _tagged(blog, "15")
    assert [(l.relation, l.conclusion) for l in eq15] == [
        ("=", False), ("=", False), ("<=", False), ("<=", False)]  # every link holds: no conclusion
    l1, l2, l3, l4 = eq15
    # L1, L2: eq. 11 (and eq. 13 substituted) inside the norm, by the gradient checker, then
    # norm_congr; θ = W_rec as for eq. 11, ∂x_k/∂g read as ∂⁺x_k/∂θ
    for link in (l1, l2):
        assert link.verdict == "proved" and link.via == "congruence", (link.verdict, link.reason)
        assert "dplus[k]" in link.formula and "norm_congr" in link.result.evidence
        assert any("norm_congr" in p.text() for p in link.result.proofs)
    assert l1.sides[0] == "norm2(∂E/∂θ)"
    # L3: per reading, the author's (θ = W whole) first and ruling the link; θ one entry
    # refuted with the catalogue's counterexample
    assert l3.verdict == "proved-from-lemmas"
    assert l3.formula == ("norm2(sum(k, 1, t, dE[t] @ prod_down(j, t, k + 1, W @ D[j - 1]) @ "
                          "dplus[k])) <= sum(k, 1, t, norm2(dE[t] @ dplus[k]) * prod_down(j, t, "
                          "k + 1, norm2(W @ D[j - 1])))")
    whole, scalar = l3.notes
    assert "taken whole" in whole and "(the author's reading): proved-from-lemmas" in whole
    assert "not the author's reading): refuted" in scalar and "counterexample" in scalar
    assert "blog.eq15.grouping.whole-matrix" in l3.result.evidence
    text = "\n".join(p.text() for p in l3.result.proofs if hasattr(p, "text"))
    assert "norm_sum_le" in text and "norm_prod_le" in text
    # L4: from the front matter's ‖∂x_j/∂x_{j-1}‖₂ ≤ η, inside the product, then prod_const
    assert l4.verdict == "proved-from-lemmas"
    assert l4.formula.endswith("<= sum(k, 1, t, norm2(dE[t] @ dplus[k]) * eta**(-k + t))")
    assert "prod_const" in l4.result.method.detail


def test_blog_linear_algebra_precursor(blog):
    # Verifies: blog.la.sigma-max, blog.la.spectral-norm — A a generic (complex) matrix, A^*
    # its conjugate transpose: ‖A‖₂ = σ_max(A) = √λ_max(A*A) = √ρ(A*A), as the catalogue rules
    la = [l for l in blog.links if re.search(r"\((A|A\.H @ A)\)", l.formula or "")]
    assert sorted({l.formula for l in la}) == [
        "norm2(A) == smax(A)", "smax(A) == sqrt(lmax(A.H @ A))",
        "sqrt(lmax(A.H @ A)) == sqrt(rho(A.H @ A))"]
    assert len(la) == 6 and all(l.verdict == "proved-from-lemmas" for l in la), \
        [(l.formula, l.verdict, l.reason) for l in la]
    # ρ(A) = max{|λ_1|, …, |λ_n|} defines ρ over the eigenvalues one by one: not read
    (defn,) = [l for l in blog.links if l.text.startswith(r"\rho(A) = \max")]
    assert defn.verdict == "unsupported" and "a set" in defn.reason


def test_blog_exploding_section_inequality_is_refuted(blog):
    last = [l for l in blog.links if l.formula.startswith("norm2(W @ diag") and l.relation == "<"]
    assert len(last) == 2 and all(l.verdict == "refuted" for l in last)


def test_blog_assumptions_are_not_checked(blog):
    assumed = [l for l in blog.links if "declared assumption" in l.reason]
    assert len(assumed) == 3  # ‖diag(σ')‖ < γ, ‖∂x_j/∂x_{j-1}‖ ≤ η, η < 1


def test_blog_eq5_eq7_eq8_hold(blog):
    """The total ∂x_t/∂θ is read as the sum of its paths Σ_k ∂x_t/∂x_k ∂⁺x_k/∂θ (itself
    proved), ∂x_t/∂g as ∂⁺x_t/∂θ: eqs. 5, 7 and every link of 8.1 hold, as the catalogue
    rules (blog.eq5, blog.eq7, blog.eq8)."""
    for tag, count in (("5", 1), ("7", 1), ("8.1", 3)):
        links = _tagged(blog, tag)
        assert len(links) == count and all(l.verdict == "proved" for l in links), \
            (tag, [(l.verdict, l.reason) for l in links])
        assert all(l.kind == "gradient" for l in links)
    # eq. 8.2: the first row holds; the later rows read before step 0 at small t (undecided,
    # never proved) or are beyond the formula budget (unsupported)
    eq82 = _tagged(blog, "8.2")
    assert eq82[0].verdict == "proved"
    assert all(l.verdict in ("proved", "undecided", "unsupported") for l in eq82)


def test_blog_exit_status(blog):
    assert blog.exit_status == 1  # eq. 14's strict link is refuted


def test_paper_eq5_in_latex_is_refuted_with_diagnosis():
    line = (r"\frac{\partial x_t}{\partial x_k} = \prod_{i=k+1}^{t} W_{rec}^T "
            r"\operatorname{diag}(\sigma'(x_{i-1}))")
    for layout in ("numerator", "denominator"):
        rep = check_text(f"---\nlayout: {layout}\n---\n$${line}$$\n")
        (link,) = rep.links
        assert link.verdict == "refuted" and link.result.counterexample is not None
        assert not link.holds_in_layout  # in neither layout, nor in the other product order
        assert not any(n.startswith("holds") for n in link.notes)
        diag = [n for n in link.notes if n.startswith("diagnosis")]
        assert diag and "none of form A/B" in diag[0]


@pytest.mark.parametrize("text, why", [
    (r"$$\def\x{W} \x = W$$", r"\def is not read"),
    (r"$$\input{other} = W$$", r"\input is not read"),
    ("$$" + "{" * (MAX_NESTING + 5) + "x" + "}" * (MAX_NESTING + 5) + "$$", "nest deeper"),
    (r"$$\frac{a}{$$", "not a formula"),
    (r"$$\boxed{W_{rec}$$", "not closed"),
    ("$$a = b", "never closed"),
])
def test_hostile_rows_are_unsupported_with_reason(text, why):
    rep = check_text(text)
    assert rep.links and all(l.verdict == "unsupported" for l in rep.links)
    assert why in " ".join(l.reason for l in rep.links)


def test_hostile_files(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"x" * 10_000_001)
    with pytest.raises(InvalidInputError, match="larger than"):
        read_file(str(big))
    binary = tmp_path / "bin.md"
    binary.write_bytes(b"$$x\x00$$")
    with pytest.raises(InvalidInputError, match="binary"):
        read_file(str(binary))
    latin = tmp_path / "latin.tex"
    latin.write_bytes("$$\u00e9$$".encode("latin-1"))
    with pytest.raises(InvalidInputError, match="not UTF-8"):
        read_file(str(latin))
    with pytest.raises(InvalidInputError, match="no such file"):
        read_file(str(tmp_path / "missing.md"))


def test_front_matter_errors():
    with pytest.raises(InvalidInputError, match="unknown key 'sate'"):
        check_text("---\nsate: h\n---\n$$x$$")
    with pytest.raises(InvalidInputError, match="n=99"):
        check_text("---\nn: 99\n---\n$$x$$")


@settings(max_examples=200, deadline=None)
@given(latex_rows())
@example(r"\| \| \| _2 =")
@example(r"\frac{\partial x_t}{\partial x_k} = \prod_{j=k+1}^{t} W_{rec} \operatorname{diag}(\sigma'(x_{j-1}))")
@example("{" * 40)
@example(r"\boxed{ \\ }")
def test_reader_fuzz(row):
    try:
        tree = parse_row(normalise(row))
    except FormulaError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert tree.kind == "row"
