"""Hypothesis strategies shared by the tests (pin every case found with @example)."""
import random
from fractions import Fraction

from hypothesis import strategies as st

ACTIVATION_NAMES = st.sampled_from(["generic", "tanh", "sigmoid", "relu"])
FORM_NAMES = st.sampled_from(["A", "B"])


# --- formula language (derive/formula.py) -------------------------------
#: Pieces of valid formulas, and hostile or near-valid pieces mixed in by the fuzzers.
FORMULA_ATOMS = ["W", "W_rec", "W.T", "I", "D[i-1]", "D[i]", "x[i-1]", "h[t]", "a[k+1]",
                 "diag(dsigma(x[i-1]))", "dsigma(x[t])", "sigma(h[i])", "b", "W_in", "u[t]"]
FORMULA_HOSTILE = ["__class__", "__import__", "import", "lambda", "os", "eval", "exec",
                   "open", "()", "[]", ".__dict__", "**99", "** 9999999", "'", '"', ";", ":",
                   "=", "\\", "{", "}", "#", "!", "~", "%", "//", "<<", "if", "for", "\n",
                   "é", "\x00", "9" * 30, "(" * 40, ")" * 40, "-" * 12, ".T" * 70]
FORMULA_GLUE = [" @ ", " * ", " + ", " - ", ".T", "(", ")", ", ", "[", "]", "**2", "/2"]


@st.composite
def valid_formulas(draw):
    """Well-formed n×n formulas of the language, built from a small grammar."""
    def matrix(depth):
        leaves = ["W", "W.T", "I", "D[i-1]", "D[i]", "diag(dsigma(x[i-1]))",
                  "diag(sigma(h[i-1]))", "W_rec"]
        if depth <= 0:
            return draw(st.sampled_from(leaves))
        kind = draw(st.sampled_from(["leaf", "mul", "add", "sub", "T", "neg", "pow", "scale"]))
        if kind == "leaf":
            return draw(st.sampled_from(leaves))
        if kind in ("mul", "add", "sub"):
            op = {"mul": draw(st.sampled_from(["*", "@"])), "add": "+", "sub": "-"}[kind]
            return f"({matrix(depth - 1)} {op} {matrix(depth - 1)})"
        if kind == "T":
            return f"({matrix(depth - 1)}).T"
        if kind == "neg":
            return f"-({matrix(depth - 1)})"
        if kind == "pow":
            return f"({matrix(depth - 1)})**{draw(st.integers(0, 3))}"
        return f"({draw(st.integers(1, 5))}/{draw(st.integers(1, 5))}) * {matrix(depth - 1)}"

    return matrix(draw(st.integers(0, 3)))


@st.composite
def near_valid_formulas(draw):
    """Token soups from valid pieces, glue and hostile pieces: almost formulas."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(FORMULA_ATOMS),
                                     st.sampled_from(FORMULA_GLUE),
                                     st.sampled_from(FORMULA_HOSTILE)),
                           min_size=1, max_size=12))
    return "".join(pieces)


#: Arbitrary text, including long and non-ASCII strings.
FORMULA_TEXT = st.one_of(st.text(max_size=200), st.text(alphabet="W.T@*()[]+-ixkDt_ 1", max_size=300))


# --- randomized identity test (derive/randomized.py and the prime-field network) -------
#: Small symbolic sizes where the exact symbolic network is cheap to evaluate at a point.
SMALL_NETWORKS = st.fixed_dictionaries({
    "n": st.integers(1, 3), "m": st.integers(1, 2), "T": st.integers(1, 3),
    "activation": ACTIVATION_NAMES, "form": FORM_NAMES,
})
#: Seeds of the randomized identity test.
IDENTITY_SEEDS = st.integers(0, 2**32 - 1)
#: Names of the wrong variants of eq. 13 / form B (tests/derive/test_identity.py).
WRONG_VARIANTS = st.sampled_from(["transposed", "reversed", "dsigma-index", "missing-factor",
                                  "missing-dsigma", "extra-factor"])


# --- Jacobians (derive/direct.py, closed_forms.py, jacobian.py) ---------
#: Small exact networks for ∂x_t/∂x_k checks (all pairs in well under a second).
JACOBIAN_NETWORKS = st.fixed_dictionaries({
    "n": st.integers(1, 3), "m": st.integers(1, 2), "T": st.integers(1, 3),
    "activation": ACTIVATION_NAMES, "form": FORM_NAMES,
})
#: Wrong variants of the product closed form (tests/derive/test_jacobian.py).
JACOBIAN_WRONG = st.sampled_from(["transposed", "reversed", "dsigma-late", "missing-factor",
                                  "missing-dsigma"])
#: Equivalent rewrites of the product closed form.
JACOBIAN_EQUIVALENT = st.sampled_from(["right-assoc", "double-transpose", "transpose-identity",
                                       "matmul-operator"])


# --- certified linear algebra (numeric/linalg.py) ------------------------
#: Small exact rationals k/4, |k| <= 8 (as strings the numeric front accepts).
SMALL_RATIONALS = st.integers(-8, 8).map(lambda k: f"{k}/4")


@st.composite
def rational_matrices(draw, min_side=1, max_side=3, square=False):
    """Small matrices of exact rationals (lists of rows of "k/4" strings)."""
    r = draw(st.integers(min_side, max_side))
    c = r if square else draw(st.integers(min_side, max_side))
    return [[draw(SMALL_RATIONALS) for _ in range(c)] for _ in range(r)]


@st.composite
def rational_matrix_pairs(draw, max_side=3):
    """Two square matrices of the same side (for products)."""
    n = draw(st.integers(1, max_side))
    return tuple([[draw(SMALL_RATIONALS) for _ in range(n)] for _ in range(n)] for _ in range(2))


# --- gradients ∂E_t/∂θ (derive/loss.py, gradients.py, backprop.py) ------
#: Losses and parameters of the gradient claims.
LOSS_NAMES = st.sampled_from(["generic", "squared"])
THETA_NAMES = st.sampled_from(["W_rec", "W_in", "b"])
#: Small composed networks for ∂E_t/∂θ (n <= 2, T <= 3: the composed derivative grows like n^T).
GRADIENT_NETWORKS = st.fixed_dictionaries({
    "n": st.integers(1, 2), "m": st.integers(1, 2), "T": st.integers(1, 3),
    "activation": ACTIVATION_NAMES, "form": FORM_NAMES,
})
#: Wrong readings of eqs. 9/11 (tests/derive/test_backprop.py).
GRADIENT_WRONG = st.sampled_from(["total-partial", "stop-early", "missing-dsigma", "transposed",
                                  "reversed", "dsigma-late"])


# --- formula printer round trip (derive/formula.py) -----------------------------------
#: Scalar literals, including ones whose folded value needs more than 7 digits.
FORMULA_SCALARS = st.sampled_from(["2", "-2", "(-3)", "1/2", "(2/3)", "100*100000", "(999999*999)",
                                   "(-7)/5", "1/(9999*9999)", "0", "1"])
FORMULA_INDICES = st.sampled_from(["i-1", "i", "i+1", "2*i-1", "t-1", "-1+i", "i - 0"])


@st.composite
def formula_trees(draw, max_depth: int = 4):
    """Valid one-step or product formulas with scalars, signs, powers, transposes and
    products: text for the round-trip property ``parse(f.text()) == f``."""
    products = draw(st.booleans())  # a formula for ∂x_t/∂x_k, or a one-step formula in i

    def matrix(depth, inside):
        steps = (("i-1", "i", "2*i-1", "-1+i") if inside or not products
                 else ("k", "t-1", "t - k", "k+1"))
        leaves = ["W", "W_rec", "I", "W.T"] + [f"D[{s}]" for s in steps]
        if depth <= 0:
            return draw(st.sampled_from(leaves))
        kind = draw(st.sampled_from(["leaf", "mul", "add", "sub", "T", "neg", "pow", "scale",
                                     "rscale", "div", "diag", "prod"]))
        sub = lambda: matrix(depth - 1, inside)  # noqa: E731
        if kind == "leaf":
            return draw(st.sampled_from(leaves))
        if kind in ("mul", "add", "sub"):
            op = {"mul": draw(st.sampled_from(["*", "@"])), "add": "+", "sub": "-"}[kind]
            return f"({sub()} {op} {sub()})"
        if kind == "T":
            return f"({sub()}).T"
        if kind == "neg":
            return f"-{sub()}" if draw(st.booleans()) else f"-({sub()})"
        if kind == "pow":
            return f"({sub()})**{draw(st.integers(0, 3))}"
        if kind == "scale":
            return f"{draw(FORMULA_SCALARS)} * {sub()}"
        if kind == "rscale":
            return f"{sub()} * {draw(FORMULA_SCALARS)}"
        if kind == "div":
            return f"{sub()} / {draw(st.sampled_from(['2', '(-3)', '7', '(2/3)']))}"
        if kind == "diag":
            fn = draw(st.sampled_from(["dsigma", "sigma"]))
            return f"diag({fn}(x[{draw(st.sampled_from(steps))}]))"
        if products and not inside:
            fn = draw(st.sampled_from(["prod_down(i, t, k+1, ", "prod_up(i, k+1, t, "]))
            return fn + matrix(depth - 1, True) + ")"
        return draw(st.sampled_from(leaves))

    text = matrix(draw(st.integers(0, max_depth)), False)
    if products and "prod" not in text and "k" not in text:
        text = f"prod_down(i, t, k+1, W @ D[i-1]) + {text}"
    return text


# --- seeded fuzz corpora (tests/rnnproof/test_hardening.py, bench/bench_fuzz.py) --------
def fuzz_formulas(seed: int, count: int) -> list[str]:
    """``count`` formula texts from a seeded generator (deterministic for a seed): half
    well-formed trees (scalars, signs, powers, products), a quarter token soups of valid,
    glue and hostile pieces, a quarter single-character mutations of well-formed ones."""
    rng = random.Random(seed)
    scalars = ["2", "-2", "(-3)", "1/2", "(2/3)", "100*100000", "(999999*999)", "(-7)/5",
               "1/(9999*9999)", "0", "1"] * 3 + ["0x1f", "1_0", "1e3", "99999999"]

    def tree(depth, inside, products):
        steps = (("i-1", "i", "2*i-1") if inside or not products else ("k", "t-1", "k+1"))
        leaves = ["W", "W_rec", "I", "W.T"] + [f"D[{s}]" for s in steps] * 2
        if rng.random() < 0.03:  # a leaf of the wrong shape now and then
            return rng.choice(["b", "W_in", "u[t]", "x[t]"])
        if depth <= 0 or rng.random() < 0.2:
            return rng.choice(leaves)
        kind = rng.choice(["mul", "mul", "add", "sub", "T", "neg", "pow", "scale", "rscale",
                           "div", "diag", "prod", "prod"])
        sub = lambda: tree(depth - 1, inside, products)  # noqa: E731
        if kind in ("mul", "add", "sub"):
            op = {"mul": rng.choice(["*", "@"]), "add": "+", "sub": "-"}[kind]
            return f"({sub()} {op} {sub()})"
        if kind == "T":
            return f"({sub()}).T"
        if kind == "neg":
            return f"-({sub()})"
        if kind == "pow":
            return f"({sub()})**{rng.randint(0, 9)}"
        if kind == "scale":
            return f"{rng.choice(scalars)} * {sub()}"
        if kind == "rscale":
            return f"{sub()} * {rng.choice(scalars)}"
        if kind == "div":
            return f"{sub()} / {rng.choice(['2', '(-3)', '(2/3)', '7', '2', '0', 'W'])}"
        if kind == "diag":
            return f"diag({rng.choice(['dsigma', 'sigma'])}(x[{rng.choice(steps)}]))"
        if products and not inside:
            fn = rng.choice(["prod_down(i, t, k+1, ", "prod_up(i, k+1, t, ", "prod(i, t, k+1, ",
                             "prod_down(i, 511, 0, "])
            return fn + tree(depth - 1, True, products) + ")"
        return rng.choice(leaves)

    out = []
    for n in range(count):
        kind = (0, 0, 1, 2)[n % 4]
        if kind == 0:
            out.append(tree(rng.randint(0, 5), False, rng.random() < 0.5))
        elif kind == 1:
            pieces = FORMULA_ATOMS + FORMULA_GLUE + FORMULA_HOSTILE
            out.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))))
        else:
            text = list(tree(rng.randint(1, 4), False, rng.random() < 0.5))
            pos = rng.randrange(len(text) + 1)
            op = rng.choice(["insert", "delete", "replace"])
            ch = rng.choice("W.T@*()[]+-/ikt0123456789_,Dx-")
            if op == "insert":
                text.insert(pos, ch)
            elif text and pos < len(text):
                if op == "delete":
                    del text[pos]
                else:
                    text[pos] = ch
            out.append("".join(text))
    return out


def fuzz_argvs(seed: int, count: int, folder: str) -> list[list[str]]:
    """``count`` command lines (valid and invalid) from a seeded generator: mostly cheap
    ``check`` runs, with bad options, sizes, seeds, precisions and output paths of every
    command; outputs go under ``folder``."""
    rng = random.Random(seed)
    formulas = [f for f in fuzz_formulas(seed + 1, 3 * max(count, 10))]
    ints = ["0", "1", "2", "3", "-1", "9", "99", "2.0", "x", "", "1e3", "0x10", "7952", "10000"]
    paths = [f"{folder}/out", f"{folder}/missing/x", "/proc/x", "/dev/full", folder,
             f"{folder}/a%b", f"{folder}/ok"]
    out = []
    for n in range(count):
        kind = rng.choice(["check"] * 6 + ["verify", "plot", "latex", "junk"])
        if kind == "check":
            argv = ["check", "--jacobian", rng.choice(formulas), "--no-diagnosis"]
            if rng.random() < 0.5:
                argv += [rng.choice(["--n", "--T", "--seed"]), rng.choice(ints)]
            if rng.random() < 0.3:
                argv += [rng.choice(["--form", "--layout", "--activation"]),
                         rng.choice(["A", "B", "C", "numerator", "rows", "tanh", "relu", "-"])]
            if rng.random() < 0.3:
                argv.append("--json")
            if rng.random() < 0.1:
                argv.remove("--no-diagnosis")
        elif kind == "verify":
            argv = ["verify", "--quick", "--claim", rng.choice(["paper.gamma", "blog.eq99", "x"])]
            argv += rng.choice([[], ["--dps", rng.choice(ints)], ["--seed", rng.choice(ints)],
                                ["--markdown", rng.choice(paths) + ".md"], ["--json"],
                                ["--n", rng.choice(ints)]])
        elif kind == "plot":
            argv = ["plot", rng.choice(["decay", "spiral"]), "-o",
                    rng.choice(paths) + rng.choice([".png", ".pdf", ".svg"]),
                    "--steps", rng.choice(["5", "20000", "0", "x"]), "--n", rng.choice(["2", "64"]),
                    "--preset", rng.choice(["tanh-below", "nope"])]
            argv += rng.choice([[], ["--dps", rng.choice(ints)], ["--seed", rng.choice(ints)]])
        elif kind == "latex":
            argv = ["latex", "-o", rng.choice(paths) + rng.choice([".tex", ".pdf"]),
                    "--n", rng.choice(["0", "9", "x"])]
        else:
            argv = rng.choice([[], ["--bogus"], ["check"], ["verify", "--n"], ["--version"],
                               ["check", "--jacobian"], ["plot"], ["latex", "--form", "Q"]])
        out.append(argv)
    return out


# --------------------------------------------------------------------------------------
# LaTeX rows of derivation files (the fuzz test of rnnclaims.derivation's reader)
# --------------------------------------------------------------------------------------
_LATEX_PIECES = [
    r"\frac{\partial x_t}{\partial x_k}", r"\frac{\partial x_t}{\partial x_{t-1}}", r"W_{rec}",
    r"W_{rec}^T", r"W^\top", r"\operatorname{diag}(\sigma'(x_{j-1}))", r"\mathrm{diag}",
    r"\sigma'", r"\sigma", r"\prod_{j=k+1}^{t}", r"\sum_{k=1}^{t}", r"\|", r"\|_2", "|", "=",
    r"\leq", "<", r"\boxed{", "}", "{", "(", ")", "[", "]", r"\left(", r"\right)", "&", r"\\",
    r"\tag{1}", r"\cdot", r"\,", "^", "_", "'", "x_t", "h_{t-1}", "k", "1", "+", "-", r"\gamma",
    r"\begin{bmatrix}", r"\end{bmatrix}", r"\begin{align}", r"\end{align}", r"\text{ for }",
    r"\input{x}", r"\def", r"\frac", r"\partial", r"\dots", r"\Rightarrow", ",", r"\sigma_{max}",
    "\x00", "é", "‖", "σ′",
]


@st.composite
def latex_rows(draw, max_pieces: int = 30):
    """A row of display math glued from pieces of BPTT LaTeX, valid or not (unbalanced
    braces, forbidden commands, stray bars and relations included)."""
    pieces = draw(st.lists(st.sampled_from(_LATEX_PIECES), min_size=0, max_size=max_pieces))
    return " ".join(pieces)


# --- statements (derive.formula.parse_statement, parse_gradient) --------------------------
STATEMENT_ATOMS = ["norm2(W)", "smax(W)", "rho(W @ D[j])", "normF(W.T)", "gamma", "eta", "1/gamma",
                   "norm2(prod_down(i, t, k+1, W @ D[i-1]))", "eta**(t-k)", "abs(gamma)",
                   "dE[t]", "dplus[k]", "z[k]", "kron(I, h[k-1].T)", "sum(k, 1, t, dplus[k])",
                   "(W)[1, 2]", "outer(h[k], h[k])"]
STATEMENT_GLUE = [" < ", " <= ", " > ", " >= ", " == ", " * ", " + ", " - ", " / ", "**2", "(", ")"]


@st.composite
def near_valid_statements(draw):
    """Token soups of statement and gradient pieces, glue and hostile pieces."""
    pieces = draw(st.lists(st.one_of(st.sampled_from(STATEMENT_ATOMS),
                                     st.sampled_from(STATEMENT_GLUE),
                                     st.sampled_from(FORMULA_GLUE),
                                     st.sampled_from(FORMULA_HOSTILE)),
                           min_size=1, max_size=10))
    return "".join(pieces)


@st.composite
def latex_hostile_text(draw):
    """Text mixing the catalogue's notation with TeX specials and stray Unicode: what a claim
    statement, an evidence line or a user's formula could hold (the LaTeX printer must turn
    any of it into balanced, harmless LaTeX)."""
    pieces = st.sampled_from([
        "W_rec", "x_{t-1}", "σ'", "∂⁺", "‖", "≤", "⊗", "_", "^", "{", "}", "$", "\\", "%", "&",
        "#", "~", "[[1, 2], [3, 4]]", "[[", "(", ")", "sqrt(", "'", '"', "ᵀ", "⁻¹", "₂", " ",
        "diag(", "-4/3", "!=", "<=", "\\input{x}", "\\end{document}", "日", "é", "a", "n", "=",
        "spectral_norm_eq", "Ax", "*", "/", ".", ",", "|",
    ])
    return "".join(draw(st.lists(pieces, max_size=25)))


@st.composite
def enclosure_ends(draw):
    """Ends ``lo < hi`` of a ball: midpoints of any sign and size, radii from 1e-60 up."""
    mid = Fraction(draw(st.integers(-10**12, 10**12)), draw(st.integers(1, 10**9)))
    mid *= Fraction(10) ** draw(st.integers(-30, 30))
    rad = Fraction(draw(st.integers(1, 10**6)), 10 ** draw(st.integers(0, 60)))
    return mid - rad, mid + rad


# --- the decay experiment's bound question (numeric/decay.py decay_bound) --------
@st.composite
def decay_configs(draw):
    """Small runs of the decay experiment: both activations, σ_max(W) below, at and above
    1/γ, equal singular values (spread 1) or spread ones, the autonomous network at the
    origin (‖∂x_t/∂x_0‖ = σ_max^t exactly: the equality case), and a candidate rate ``eta``
    that is the true η, a wrong smaller one, or a larger one."""
    act = draw(st.sampled_from(["tanh", "sigmoid"]))
    gamma = Fraction(1) if act == "tanh" else Fraction(1, 4)
    factor = draw(st.sampled_from([Fraction(9, 10), Fraction(1), Fraction(999, 1000),
                                   Fraction(3, 2), Fraction(1, 3)]))
    origin = draw(st.booleans())
    cfg = {"activation": act, "n": draw(st.integers(1, 3)), "steps": draw(st.integers(1, 12)),
           "sigma_max": factor / gamma, "seed": draw(st.integers(0, 50)), "dps": 20,
           "spread": Fraction(1) if origin else draw(st.sampled_from([Fraction(1, 10),
                                                                      Fraction(1)]))}
    if origin:
        cfg.update(x0="zero", input_scale=Fraction(0))
    rate = draw(st.sampled_from([None, Fraction(1, 2), Fraction(9, 10), Fraction(11, 10)]))
    if rate is not None:
        cfg["eta"] = rate * factor
    return cfg


# --- exact zero tests of cell Jacobians (derive/cells.py vanishes_as_polynomial) ------
@st.composite
def polynomial_expressions(draw, max_depth: int = 3):
    """SymPy expressions over ℚ in two symbols and three function applications (an
    undefined f of a sum, tanh, f of one symbol), nested sums,
    products and small powers: what a cell's difference entry is made of."""
    import sympy as sp
    x, y = sp.symbols("x y")
    f = sp.Function("f")
    leaves = [x, y, f(x + y), sp.tanh(x), f(y), sp.Rational(1, 2), sp.Integer(-3)]

    def tree(depth):
        if depth <= 0:
            return draw(st.sampled_from(leaves))
        kind = draw(st.sampled_from(["leaf", "add", "mul", "pow"]))
        if kind == "leaf":
            return draw(st.sampled_from(leaves))
        # evaluated as SymPy builds them (a cell's entries are): SymPy's expansion does not
        # re-evaluate unevaluated nodes, so x - x**1 (unevaluated power) would not expand to 0
        if kind == "add":
            return tree(depth - 1) + tree(depth - 1)
        if kind == "mul":
            return tree(depth - 1) * tree(depth - 1)
        return tree(depth - 1) ** draw(st.integers(0, 3))

    return tree(draw(st.integers(0, max_depth)))


# --- the polynomial route of the exact Jacobian check (derive/poly_network.py) ----------
#: Formulas in the Jacobian language, true and wrong, in both product orders and layouts'
#: factor shapes (each runs on the polynomial network or falls back to SymPy).
POLY_ROUTE_FORMULAS = st.sampled_from([
    "W @ D[i-1]", "W.T @ D[i-1]", "D[i-1] @ W.T", "D[i] @ W", "W.T @ D[i]", "W @ D[i]",
    "prod_down(i, t, k+1, W @ D[i-1])", "prod_up(i, k+1, t, W @ D[i-1])",
    "prod_down(i, t, k+1, D[i] @ W)", "prod_up(i, k+1, t, D[i-1] @ W.T)",
    "prod_down(i, t, k+1, W.T @ D[i-1])", "2 * prod_down(i, t, k+1, W @ D[i-1]) - prod_down(i, t, k+1, W @ D[i-1])",
    "prod_down(i, t, k+1, W @ D[i-1]).T.T", "prod_down(i, t, k+2, W @ D[i-1])",
    "(W @ D[i-1])**2", "prod_down(i, t, k+1, W @ diag(dsigma(x[i-1])))",
])


@st.composite
def gradient_networks(draw, max_n: int = 2, max_m: int = 2, max_t: int = 2):
    """A small network for the gradient routes: ``(n, m, activation, form, t, θ, loss)`` with
    1 <= t <= max_t (the SymPy reference route costs seconds beyond these sizes)."""
    return (draw(st.integers(1, max_n)), draw(st.integers(1, max_m)), draw(ACTIVATION_NAMES),
            draw(FORM_NAMES), draw(st.integers(1, max_t)), draw(THETA_NAMES), draw(LOSS_NAMES))


# --- the lemma checker's exact-point inequality test (derive/lemma_proof.py _differ) ----
@st.composite
def norm_scalars(draw, max_depth: int = 3):
    """Scalar norm expressions (derive/norm_expr.py): rationals, index symbols, γ, opaque
    norms and a square root, sums, products and powers with a numeric or symbolic exponent
    (t − k): what the facts and goals of a lemma proof compare."""
    from derive.norm_expr import Add, Mat, Mul, Norm2, Num, Pow, SigmaMax, Sqrt, Sym, sub
    t, k = Sym("t"), Sym("k")
    leaves = [t, k, Sym("γ"), Num(Fraction(1, 2)), Num(-1), Num(0), Num(1), Num(2),
              Norm2(Mat("W")), SigmaMax(Mat("W")), Sqrt(Sym("γ"))]

    def tree(depth):
        kind = draw(st.sampled_from(["leaf", "add", "mul", "pow"])) if depth > 0 else "leaf"
        if kind == "leaf":
            return draw(st.sampled_from(leaves))
        if kind == "add":
            return Add(tree(depth - 1), tree(depth - 1))
        if kind == "mul":
            return Mul(tree(depth - 1), tree(depth - 1))
        exp = draw(st.sampled_from([Num(2), Num(-1), Num(Fraction(1, 2)), sub(t, k), Add(t, Num(1))]))
        return Pow(tree(depth - 1), exp)

    return tree(draw(st.integers(0, max_depth)))


# --- limits at infinity of rational functions (rnnclaims/numeric/exactly.py) ------------
@st.composite
def rational_functions(draw, max_degree: int = 3):
    """p(x)/q(x) with small integer coefficients (q not the zero polynomial), as SymPy
    builds it, and the symbol x (positive, as the claims' indices are)."""
    import sympy as sp
    x = sp.Symbol("x", positive=True)
    coeffs = st.lists(st.integers(-3, 3), min_size=1, max_size=max_degree + 1)
    p = draw(coeffs)
    q = draw(coeffs.filter(lambda c: any(c)))
    poly = lambda cs: sp.Add(*[c * x**i for i, c in enumerate(cs)])  # noqa: E731
    return poly(p) / poly(q), x
