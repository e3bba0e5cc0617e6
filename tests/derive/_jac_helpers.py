"""Helpers shared by the Jacobian tests: variants of the product closed form and an
independent re-check of counterexamples (plain SymPy substitution, no derive.prove)."""
import sympy as sp

from derive.direct import direct_jacobian


def factor(net, j, variant="right"):
    """The one-step factor of the net's form, or a wrong variant of it."""
    W = net.W_rec
    if net.form == "A":
        return {
            "right": lambda: W * net.D(j - 1),
            "transposed": lambda: W.T * net.D(j - 1),
            "dsigma-late": lambda: W * net.D(j),
            "missing-dsigma": lambda: W,
        }[variant]()
    return {
        "right": lambda: net.D(j) * W,
        "transposed": lambda: net.D(j) * W.T,
        "dsigma-late": lambda: sp.diag(*net.dsigma(net.state(j - 1))) * W,  # σ' of h, not of a
        "missing-dsigma": lambda: W,
    }[variant]()


def product(net, t, k, variant="right"):
    """∏_{j=k+1}^t F_j (largest leftmost), or a wrong/equivalent variant of the product."""
    base = "right" if variant in ("reversed", "missing-factor") else variant
    js = list(range(t, k, -1))
    if variant == "reversed":
        js = js[::-1]
    if variant == "missing-factor":
        js = js[:-1]
    out = net.identity()
    for j in js:
        out = out * factor(net, j, base)
    return out


def equivalent(net, t, k, variant):
    """Equivalent rewrites of the right product."""
    fs = [factor(net, j) for j in range(t, k, -1)]
    if variant == "right-assoc":
        out = net.identity()
        for f in reversed(fs):
            out = f * out
        return out
    if variant == "double-transpose":
        return product(net, t, k).T.T
    if variant == "transpose-identity":  # (F_{k+1}^T ⋯ F_t^T)^T = F_t ⋯ F_{k+1}
        out = net.identity()
        for f in reversed(fs):
            out = out * f.T
        return out.T
    if variant == "matmul-operator":
        out = net.identity()
        for f in fs:
            out = out @ f
        return out
    raise ValueError(variant)


def expected_refuted(variant, n, T):
    """Whether a wrong variant really differs at these sizes (scalars commute: n = 1)."""
    if variant in ("transposed",):
        return n >= 2
    if variant == "reversed":
        return n >= 2 and T >= 2
    return True


def recheck(rnn, candidate, cex):
    """Re-evaluate the failing entry of both sides at the counterexample, by substitution."""
    d = cex.data
    t, k, (i, j) = cex.location.t, cex.location.k, cex.location.entry
    J = direct_jacobian(rnn, t, k)[i, j]
    C = candidate(rnn.with_base(k), t, k)[i, j]
    vals = []
    for side in (J, C):
        v = sp.sympify(side).xreplace(d["subs"])
        for _ in range(200):
            new = v.xreplace(d["function_values"])
            if new == v:
                break
            v = new
        vals.append(v)
    diff = sp.N(vals[0] - vals[1], 60)
    return vals, diff
