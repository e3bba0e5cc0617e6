r"""A derivation file, link by link: rows to chains, chains to links, links to verdicts.

A chain ``a = b \leq c`` (across the rows of an align block: a row that starts with a
relation continues the previous row; ``\Rightarrow`` starts a new chain) gives one link per
consecutive pair. When a chain of three or more members has a link that does not hold, its
conclusion (first member against last) is checked too, marked ``conclusion``. Norm links of
gradient expressions (eq. 15's lines: congruence, the regrouping per reading of θ, the
bound by η) are ruled by :mod:`.norms`.

>>> rep = check_text("$$\\frac{\\partial x_t}{\\partial x_{t-1}} = W_{rec} \\operatorname{diag}(\\sigma'(x_{t-1}))$$\n")
>>> [(l.line, l.verdict) for l in rep.links], rep.exit_status
([(1, 'proved')], 0)
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from derive.diagnosis import diagnose
from derive.formula import parse
from rnncore.errors import FormulaError, InvalidInputError
from rnncore.results import Method, MethodKind, Result, Scope, Verdict

from . import dispatch, norms
from .blocks import Block, Row, find_blocks, split_rows
from .frontmatter import Model, read_front_matter
from .reader import Node, normalise, parse_row
from .translate import Index, Translator, Unsupported, _flat

#: Largest file read (bytes), and most links checked in one file (the rest: unsupported).
MAX_FILE_BYTES, MAX_LINKS = 2_000_000, 200
UNSUPPORTED = "unsupported"


@dataclass
class Link:
    """One link of a derivation and its verdict: ``verdict`` is a Label value or
    ``unsupported``; ``result`` the checker's :class:`~rnncore.results.Result` (None when
    unsupported); ``reason`` why it is unsupported; ``formula`` what was checked (formula
    language); ``notes`` the other layout, the other product order, the diagnosis."""

    line: int
    text: str
    relation: str
    verdict: str
    kind: str = ""  # jacobian, gradient, inequality, unreadable ("" when never read as one)
    result: Result | None = None
    reason: str = ""
    formula: str = ""
    notes: list = field(default_factory=list)
    tag: str = ""
    conclusion: bool = False
    holds_in_layout: str = ""
    sides: tuple = ()  # the two sides in the formula language
    # "" (one side checked against the Jacobian or gradient), "difference" (R - L + C), or
    # "congruence" (‖L‖ = ‖R‖ from L = R, eq. 15's first lines)
    via: str = ""


@dataclass
class Derivation:
    """The links of one file, the declared model, and the exit status they give."""

    file: str
    model: Model
    links: list

    @property
    def exit_status(self) -> int:
        """1 if a link is refuted, else 3 if one is undecided or unsupported, else 0."""
        verdicts = {l.verdict for l in self.links}
        if "refuted" in verdicts:
            return 1
        if verdicts & {"undecided", UNSUPPORTED, "error"} or not self.links:
            return 3
        return 0

    def counts(self) -> dict:
        """How many links got each verdict."""
        out: dict = {}
        for l in self.links:
            out[l.verdict] = out.get(l.verdict, 0) + 1
        return out


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _member_text(row: Row, node: Node) -> str:
    return row.text[node.start:node.end]


@dataclass
class _Member:
    node: Node
    row: Row
    rel: str = ""  # the relation leading into this member
    rel_line: int = 0


def _chains(rows: list[Row], problems: list) -> list[list[_Member]]:
    chains: list[list[_Member]] = []
    current: list[_Member] | None = None
    for row in rows:
        try:
            normal = normalise(row.text)
            flat = _cut_condition(normal)
            if flat != normal:
                rest = _squash(row.text[_first_comma(normal):])
                problems.append(Link(row.line, rest[:200], "", UNSUPPORTED, kind="condition",
                                     reason="a side condition after a comma; not checked"))
            if not flat.strip():
                continue
            tree = parse_row(flat)
        except FormulaError as exc:
            problems.append(Link(row.line, _squash(row.text)[:200], "", UNSUPPORTED,
                                 kind="unreadable", reason=str(exc)))
            current = None
            continue
        led = False
        for part in tree.args:
            if part.kind == "lead":
                led = True
                current = None
                continue
            head, rest = part.args[1] if len(part.args) > 1 and part.args[1].kind != "rel" else None, \
                [a for a in part.args[1:] if a is not None and a.kind == "rel"]
            if head is not None:
                current = [_Member(head, row)]
                chains.append(current)
            elif current is None or led:
                problems.append(Link(row.line, _squash(row.text)[:200], "", UNSUPPORTED,
                                     kind="unreadable",
                                     reason="the row starts with a relation but continues no chain"))
                current = None
                break
            for rel in rest:
                current.append(_Member(rel.args[1], row, rel.args[0], row.line + rel.line - 1))
            led = False
    return chains


def _first_comma(text: str) -> int:
    """Position of the first comma outside brackets (len(text) if none)."""
    depth = 0
    for i, c in enumerate(text):
        if c in "{([":
            depth += 1
        elif c in "})]":
            depth -= 1
        elif c == "," and depth == 0:
            return i
    return len(text)


def _cut_condition(text: str) -> str:
    """The row without a trailing side condition: from the first comma outside brackets on
    (``…, \\quad \\text{for some } \\gamma > 0``), blanked."""
    i = _first_comma(text)
    return text[:i] + re.sub(r"[^\n]", " ", text[i:])


def _link_text(a: _Member, b: _Member) -> str:
    if a.row is b.row:
        return _squash(a.row.text[a.node.start:b.node.end])
    return _squash(f"{_member_text(a.row, a.node)} {b.rel} {_member_text(b.row, b.node)}")


def _hypotheses(model: Model) -> tuple:
    """The front matter's assumptions as statement texts (those that translate)."""
    return tuple(f"{a} {'==' if rel == '=' else rel} {b}" for a, rel, b in sorted(_assumed(model))
                 if rel in ("<", "<=", ">", ">=", "="))


def _assumed(model: Model) -> set:
    out = set()
    for text in model.assume:
        try:
            tree = parse_row(normalise(text))
        except FormulaError:
            continue
        for part in tree.args:
            if part.kind != "chain" or part.args[1] is None or part.args[1].kind == "rel":
                continue
            members = [part.args[1]] + [r.args[1] for r in part.args[2:]]
            rels = [r.args[0] for r in part.args[2:]]
            for (a, b), rel in zip(zip(members, members[1:]), rels):
                try:
                    tr = Translator(model)
                    out.add((tr.side(a).text, rel, tr.side(b).text))
                except Unsupported:
                    pass
    return out


def check_link(a: Node, rel: str, b: Node, model: Model, diagnosis: bool = True) -> Link:
    """Check ``a rel b`` under ``model``; the returned :class:`Link` lacks line and text.
    ``diagnosis``: a refuted Jacobian link that holds in no other layout or order gets the
    convention diagnosis (exact, n = 2, T = 3).

    >>> from .reader import normalise, parse_row
    >>> chain = parse_row(normalise(r"\\frac{\\partial x_t}{\\partial x_{t-1}} = W_{rec}^T")).args[0]
    >>> link = check_link(chain.args[1], "=", chain.args[2].args[1], Model(), diagnosis=False)
    >>> link.verdict, link.sides
    ('refuted', ('W @ D[t - 1]', 'W.T'))
    """
    link = Link(0, "", rel, UNSUPPORTED)
    if rel == "=":
        pair = _norm_pair(a, b)
        if pair is not None:
            done = _congruence_link(*pair, model, link)
            if done is not None:
                return done
    try:
        tr = Translator(model)
        left, right = tr.side(a), tr.side(b)
    except Unsupported as exc:
        link.reason = str(exc)
        return link
    kinds = {left.kind, right.kind}
    if rel in ("!=", "~"):
        link.reason = f"the relation {rel} is not a statement it checks (=, ≤, <, ≥, > are)"
        return link
    if kinds <= {"real", "number"}:
        link.kind = "inequality"
        link.formula = f"{left.text} {'==' if rel == '=' else rel} {right.text}"
        if rel == "<=" and model.layout == "numerator":
            done = _eq15_link(left, right, model, link)
            if done is not None:
                return done
        try:
            res = dispatch.check_inequality_text(link.formula, model, _hypotheses(model))
        except InvalidInputError as exc:
            link.reason = str(exc)
            return link
        if left.jacobians or right.jacobians:  # the closed form substituted is proved too
            proof = dispatch.closed_form_result(model.form, model.layout, model.activation,
                                                model.n, model.T)
            res = Result.combine([res, proof], evidence=res.evidence)
        link.result, link.verdict = res, res.label.value
        return link
    if rel == "=" and (left.gradient or right.gradient):
        link.kind = "gradient"
        return _gradient_link(left, right, model, link)
    if rel != "=" or kinds != {"matrix"}:
        link.reason = (f"{left.kind} {rel} {right.kind}: only = between matrices (Jacobians) and "
                       "relations between norms are statements it checks")
        return link
    return _jacobian_link(a, b, model, link, diagnosis)


def _norm_pair(a: Node, b: Node):
    """``(inner of a, inner of b, norm)`` when both sides are the same norm (‖·‖₂ or ‖·‖_F)
    of something, else None."""
    a, b = Translator._unwrap(a), Translator._unwrap(b)
    if a.kind != "norm" or b.kind != "norm" or a.sup is not None or b.sup is not None \
            or a.primes or b.primes:
        return None
    subs = {(_flat(n.sub) if n.sub is not None else "2") for n in (a, b)}
    if len(subs) != 1 or not subs <= {"2", "F"}:
        return None
    return a.args[0], b.args[0], "norm2" if subs == {"2"} else "normF"


def _congruence_link(ia: Node, ib: Node, norm: str, model: Model, link: Link) -> Link | None:
    """``‖L‖ = ‖R‖`` with L, R gradient expressions: ``L = R`` by the gradient checker, then
    congruence (:func:`.norms.congruence_result`); None when neither side is a gradient (the
    norm statement goes to the inequality checker as before)."""
    try:
        tr = Translator(model)
        sa, sb = tr.side(ia), tr.side(ib)
    except Unsupported:
        return None
    if not (sa.gradient or sb.gradient):
        return None
    inner = check_link(ia, "=", ib, model, diagnosis=False)
    link.kind, link.via = "inequality", "congruence"
    if inner.result is None:
        link.reason = f"the identity inside the norms: {inner.reason}"
        return link
    link.formula = inner.formula
    link.sides = tuple(f"{norm}({s})" for s in inner.sides)
    link.notes = list(inner.notes)
    bare = sa.bare_gradient or sb.bare_gradient
    if bare is not None:
        what = "state" if bare[0] == "xgrad" else ("total" if bare[1] is not None else "sum")
        theta = bare[2]
    else:
        what = "total" if "dE[" in inner.formula else "state"
        theta = model.theta
    res = norms.congruence_result(inner.result, norm, inner.sides, inner.via,
                                  whole=(model, theta, what))
    link.result, link.verdict = res, res.label.value
    return link


def _undecided(why: str) -> Result:
    return Result(Verdict.UNDECIDED, Method(MethodKind.NONE, "not decided"), Scope(), why)


def _reading_note(name: str, res: Result) -> str:
    text = f"reading {name}: {res.label.value} — {res.evidence}"
    cex = res.counterexample
    if cex is not None:
        point = ", ".join(f"{k} = {v}" for k, v in cex.point)
        text += f"; counterexample: {point}: {cex.lhs} vs {cex.rhs}"
    return text


def _eq15_link(left, right, model: Model, link: Link) -> Link | None:
    """Eq. 15's third and last lines (:mod:`.norms`), or None for any other norm link."""
    closed = None
    if left.jacobians or right.jacobians:  # the closed form substituted is proved too
        closed = dispatch.closed_form_result(model.form, model.layout, model.activation,
                                             model.n, model.T)
    if norms.regrouping_shape(left.text, right.text, model.form):
        readings = norms.regrouping_readings()
        link.notes = [_reading_note(name, res) for name, _, res in readings]
        res = readings[0][2]  # the author's reading rules the link
    else:
        exponent = norms.eta_exponent(left.text, right.text, model.form)
        if exponent is None:
            return None
        if norms.eta_hypothesis(_hypotheses(model), model.form) is None:
            res = _undecided("the bound by η needs ‖∂x_j/∂x_{j-1}‖₂ ≤ η for every j; the front "
                             "matter's 'assume' does not state it")
        elif exponent != "-k + t":
            res = _undecided(f"the exponent {exponent} is not t − k: a product of t − k factors "
                             "each ≤ η is ≤ η^(t − k); another exponent is not decided (η may be "
                             "0, and a larger exponent does not follow)")
        else:
            res = norms.eta_bound_proof()
            res = res.with_(evidence="each of the t − k factors 0 ≤ ‖∂x_j/∂x_{j-1}‖₂ ≤ η "
                                     "(front matter) inside the product, then prod_const: "
                                     f"{res.evidence}")
    if closed is not None and res.decided:
        res = Result.combine([res, closed], evidence=res.evidence).with_(proofs=res.proofs)
    link.result, link.verdict = res, res.label.value
    return link


def _gradient_link(left, right, model: Model, link: Link) -> Link:
    """``∂E_t/∂θ = F`` (or ``∂E/∂θ = F``), or ``L = R`` between gradient expressions (checked
    as ``R - L + C`` with ``C`` the BPTT formula proved at the same sizes)."""
    if right.bare_gradient is not None and left.bare_gradient is None:
        left, right = right, left
    bare = left.bare_gradient
    if right.bare_gradient is not None:
        link.reason = "both sides are the gradient itself"
        return link
    free = set(left.free) | set(right.free)
    if free - {"t"}:
        link.reason = f"a gradient statement is about one step t; the indices {sorted(free)} are free"
        return link
    try:
        for env in ({"t": t} for t in range(1, model.T + 1)):
            if not _spans_ok(left.jacobians + right.jacobians, env):
                raise Unsupported(f"a Jacobian symbol reads ∂x_a/∂x_b with a < b at t = {env['t']}")
    except Unsupported as exc:
        link.reason = str(exc)
        return link
    substituted = bool(left.jacobians or right.jacobians)
    states = left.state_gradients or right.state_gradients
    if bare is not None:
        if bare[0] == "xgrad":
            what = "state"
        else:
            what = "total" if bare[1] is not None else "sum"
        theta = bare[2]
        text = right.text
    else:
        if model.layout != "numerator":
            link.reason = ("a link between two gradient expressions is checked in numerator "
                           "layout only; write ∂E_t/∂θ on one side")
            return link
        theta = model.theta
        what = "total" if "dE[" in left.text + right.text else "state"
        closed = (dispatch.bptt_formula(model.form) if what == "total"
                  else dispatch.state_formula(model.form))
        text = f"{right.text} - ({left.text}) + {closed}"
        substituted = True
    link.formula = text
    link.sides = (left.text or "∂E/∂θ", right.text)
    link.via = "" if bare is not None else "difference"
    try:
        res = dispatch.check_gradient_text(text, model, theta=theta, what=what)
    except InvalidInputError as exc:
        link.reason = str(exc)
        return link
    proofs = []
    if substituted and (bare is None and what == "total" or left.jacobians or right.jacobians):
        proofs.append(dispatch.bptt_result(model.form, model.activation, model.n, model.T, theta))
    if states or (bare is None and what == "state"):
        proofs.append(dispatch.state_result(model.form, model.activation, model.n, model.T, theta))
    if proofs:
        # a refutation is the direct check's: its scope (the steps it compared) is the link's
        res = Result.combine([res] + proofs, evidence=res.evidence,
                             scope=res.scope if res.verdict is Verdict.REFUTED else None)
    link.result, link.verdict = res, res.label.value
    return link


def _pairs_shape(left, right) -> tuple[str, str | None]:
    free = set(left.free) | set(right.free)
    if "k" in free:
        if free - {"t", "k"}:
            raise Unsupported(f"the indices {sorted(free)} are more than t and k")
        return "pairs", None
    if len(free) == 1:
        return "one-step", next(iter(free))
    if not free:
        raise Unsupported("no time index: nothing ties the matrices to steps t, k")
    raise Unsupported(f"the indices {sorted(free)} are free together without k")


def _formula(a: Node, b: Node, model: Model, layout: str, order: str):
    tr = Translator(model, order=order, layout=layout)
    left, right = tr.side(a), tr.side(b)
    shape, var = _pairs_shape(left, right)
    if shape == "pairs":
        target = (Index((("t", 1),)), Index((("k", 1),)))
    else:
        target = (Index(((var, 1),)), Index(((var, 1),), -1))
    via = ""
    if right.bare == target and not right.jacobians[1:]:
        text, substituted = left.text, bool(left.jacobians)
    elif left.bare == target and not left.jacobians[1:]:
        text, substituted = right.text, bool(right.jacobians)
    else:
        closed = tr.closed_form(*target).text
        text, substituted, via = f"{right.text} - ({left.text}) + {closed}", True, closed
    uses_prod = _has_prod(a) or _has_prod(b)  # a \prod as written (its order is a reading)
    return (text, substituted, shape, var, list(left.jacobians) + list(right.jacobians), uses_prod,
            (left.text, right.text, via))


def _has_prod(node: Node) -> bool:
    stack = [node]
    while stack:
        n = stack.pop()
        if n.kind == "bigop" and n.args and n.args[0] == "prod":
            return True
        stack.extend(x for x in n.args if isinstance(x, Node))
    return False


def _spans_ok(jacobians, env: dict) -> bool:
    """Every Jacobian symbol ∂s_a/∂s_b has a >= b at ``env``, for every value its enclosing
    sums and products give their variables."""
    for a, b, ranges in jacobians:
        diff = a.plus(b, -1)
        stack = [(dict(env), 0)]
        while stack:
            e, depth = stack.pop()
            if depth == len(ranges):
                if diff.variables() - set(e):
                    raise Unsupported("a Jacobian symbol with indices beyond t, k and its "
                                      "sums' and products' variables")
                if diff.value(e) < 0:
                    return False
                continue
            var, lo, hi = ranges[depth]
            first, last = lo.value(e), hi.value(e)
            # an empty range (lo > hi: the empty sum 0, the empty product I) reads no symbol
            if last - first + 1 > 64:
                raise Unsupported("a sum or product range longer than 64 steps")
            for v in range(first, last + 1):
                stack.append(({**e, var: v}, depth + 1))
    return True


def _domain(jacobians, shape: str, var, T: int):
    """The pairs where every Jacobian symbol reads ∂s_a/∂s_b with a >= b, and whether that
    is fewer than all pairs."""
    if shape == "pairs":
        envs = [({"t": t, "k": k}, (t, k)) for t in range(1, T + 1) for k in range(t)]
    else:
        envs = [({var: t}, (t, t - 1)) for t in range(1, T + 1)]
    ok = [pair for env, pair in envs if _spans_ok(jacobians, env)]
    return ok, len(ok) < len(envs)


def _reads_ok(text: str, form: str, t: int, k: int, T: int) -> bool:
    for name, step in parse(text).accesses(t, k):
        need = step - 1 if (form == "B" and name in ("x", "D")) else step
        if name == "u":
            if not 1 <= step <= T:
                return False
        elif step > T or need < k:
            return False
    return True


def _run(text: str, model: Model, layout: str, shape, var, jacobians, substituted) -> Result:
    pairs, restricted = _domain(jacobians, shape, var, model.T)
    if not pairs:
        raise Unsupported(f"no pair 0 <= k < t <= T={model.T} satisfies the spans of its "
                          "Jacobian symbols; raise T in the front matter")
    if restricted:
        inside = [p for p in pairs if _reads_ok(text, model.form, *p, model.T)]
        if not inside:
            raise Unsupported("it reads outside the network at every pair of its domain")
        res = dispatch.check_jacobian_pairs(text, model, inside, layout=layout)
        if len(inside) < len(pairs) and res.holds:
            skipped = len(pairs) - len(inside)
            res = res.with_(verdict=Verdict.UNDECIDED,
                            evidence=f"{res.evidence}; {skipped} pair(s) of its domain read outside "
                            "the network and were not checked",
                            scope=replace(res.scope, skipped=skipped,
                                          skipped_what=f"{skipped} pair(s) reading outside the network"))
    else:
        res = dispatch.check_jacobian_text(text, model, layout=layout)
    if substituted:
        proof = dispatch.closed_form_result(model.form, layout, model.activation, model.n, model.T)
        res = Result.combine([res, proof], evidence=res.evidence)
    return res


def _difference_evidence(res: Result, closed: str) -> str:
    """Evidence of a link checked as ``R - L + C`` against the Jacobian, in words."""
    cex = res.counterexample
    if cex is not None:
        loc = cex.location
        where = f" at (t, k) = ({loc.t}, {loc.k})" if loc is not None and loc.t is not None else ""
        entry = f", entry {loc.entry}" if loc is not None and loc.entry else ""
        return (f"the two sides differ{where}{entry}: right − left + C is not the Jacobian there, "
                f"with C = {closed} the closed form proved the Jacobian")
    if res.holds:
        return (f"the two sides are equal: right − left + C equals the direct Jacobian at every "
                f"pair checked, with C = {closed} proved the Jacobian at the same sizes")
    return f"not decided whether the two sides are equal: {res.evidence}"


def _jacobian_link(a: Node, b: Node, model: Model, link: Link, diagnosis: bool = True) -> Link:
    link.kind = "jacobian"
    layout, other = model.layout, ("denominator" if model.layout == "numerator" else "numerator")
    try:
        text, substituted, shape, var, jacs, uses_prod, sides = _formula(a, b, model, layout,
                                                                          model.order)
        link.formula = text
        left_text, right_text, closed = sides
        link.sides, link.via = (left_text, right_text), ("difference" if closed else "")
        res = _run(text, model, layout, shape, var, jacs, substituted)
    except Unsupported as exc:
        link.reason = str(exc)
        return link
    except InvalidInputError as exc:
        link.reason = str(exc)
        return link
    if closed:
        res = res.with_(evidence=_difference_evidence(res, closed))
    link.result, link.verdict = res, res.label.value
    if res.verdict.value != "refuted":
        return link
    other_order = "up" if model.order == "down" else "down"
    natural = "down" if other == "numerator" else "up"
    tries = [(other, model.order if model.product else natural, f"holds in {other} layout")]
    if uses_prod:
        word = "smallest index leftmost" if other_order == "up" else "largest index leftmost"
        tries.append((layout, other_order, f"holds in {layout} layout with \\prod read "
                      f"{word} (not the declared order)"))
    for lay, order, note in tries:
        try:
            t2, s2, sh2, v2, j2, _, _ = _formula(a, b, model, lay, order)
            r2 = _run(t2, model, lay, sh2, v2, j2, s2)
        except (Unsupported, InvalidInputError):
            continue
        if r2.holds:
            link.notes.append(f"{note} ({r2.label.value})")
            if lay != layout:
                link.holds_in_layout = lay
    if diagnosis and not any(n.startswith("holds") for n in link.notes) \
            and (not substituted or text.startswith("prod")):
        try:
            d = diagnose(text, n=2, T=3, seed=0)
            if d.holds_in:
                where = "; ".join(f"form {f}, {lay} layout" for f, lay in d.holds_in)
                link.notes.append(f"diagnosis: as written it is the Jacobian in {where}")
            else:
                near = "; ".join(c.describe() for c in d.nearest[:2])
                link.notes.append("diagnosis: the Jacobian in none of form A/B × numerator/"
                                  f"denominator" + (f"; nearest: {near}" if near else ""))
        except InvalidInputError:
            pass
    return link


def check_rows(rows: list[Row], model: Model, diagnosis: bool = True) -> list[Link]:
    r"""Every link of the rows of one block (or of several), in order.

    >>> block = Block(1, "W_{rec} = W_{rec} \\ &= x_t")
    >>> [(l.line, l.verdict) for l in check_rows(split_rows(block), Model())]
    [(1, 'unsupported'), (1, 'unsupported'), (1, 'unsupported')]
    """
    problems: list[Link] = []
    chains = _chains(rows, problems)
    assumed = _assumed(model)
    links: list[Link] = []
    for chain in chains:
        made = []
        for x, y in zip(chain, chain[1:]):
            made.append(_checked(x, y, y.rel, model, assumed, diagnosis))
        if len(chain) >= 3 and any(l.verdict not in _HOLDS for l in made):
            rels = {m.rel for m in chain[1:]}
            rel = "=" if rels == {"="} else ("<" if "<" in rels and rels <= {"=", "<", "<="} else
                                             "<=" if rels <= {"=", "<="} else "")
            if rel:
                c = _checked(chain[0], chain[-1], rel, model, assumed, diagnosis)
                c.conclusion = True
                made.append(c)
        links.extend(made)
    out = sorted(problems + links, key=lambda l: l.line)
    return out


_HOLDS = {"proved", "proved-from-lemmas", "proved-randomized", "confirmed"}


def _checked(x: _Member, y: _Member, rel: str, model: Model, assumed: set,
             diagnosis: bool = True) -> Link:
    link = check_link(x.node, rel, y.node, model, diagnosis)
    link.line = y.rel_line or y.row.line
    link.text = _link_text(x, y) if not rel or y.rel == rel else _squash(
        f"{_member_text(x.row, x.node)} {rel} {_member_text(y.row, y.node)}")
    tags = y.row.block.tags
    link.tag = tags[-1] if tags else ""
    key = _key(x.node, rel, y.node, model)
    if key is not None and key in assumed:
        link.verdict, link.result = UNSUPPORTED, None
        link.reason = "a declared assumption (front matter 'assume'), taken as given"
    return link


def _key(a: Node, rel: str, b: Node, model: Model):
    try:
        tr = Translator(model)
        return tr.side(a).text, rel, tr.side(b).text
    except Unsupported:
        return None


def check_text(text: str, *, name: str = "<text>", markdown: bool = True,
               diagnosis: bool = True) -> Derivation:
    """Check every link of a derivation given as text (Markdown unless ``markdown`` is
    False: then LaTeX, with ``%`` front matter); ``diagnosis=False`` skips the convention
    diagnosis of refuted Jacobian links."""
    model, body_line = read_front_matter(text, comment="" if markdown else "%")
    lines = text.split("\n")
    body = "\n".join(lines[body_line - 1:]) if body_line > 1 else text
    blocks = find_blocks(body, markdown=markdown, first_line=body_line)
    links: list[Link] = []
    for block in blocks:
        if block.error:
            links.append(Link(block.line, "", "", UNSUPPORTED, kind="unreadable", reason=block.error))
            continue
        try:
            rows = split_rows(block)
        except FormulaError as exc:
            links.append(Link(block.line, "", "", UNSUPPORTED, kind="unreadable", reason=str(exc)))
            continue
        for link in check_rows(rows, model, diagnosis):
            if len(links) >= MAX_LINKS:
                link = Link(link.line, link.text, link.relation, UNSUPPORTED,
                            reason=f"beyond the {MAX_LINKS} links checked per file")
            links.append(link)
    return Derivation(name, model, links)


def read_file(path: str) -> str:
    """The text of a derivation file, refused (one line, exit 2) when it is missing, larger
    than :data:`MAX_FILE_BYTES`, binary, or not UTF-8.

    >>> read_file("/nonexistent/derivation.md")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: /nonexistent/derivation.md: no such file
    """
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InvalidInputError(f"{path}: is a directory; give a .md or .tex file") from None
    except OSError as exc:
        raise InvalidInputError(f"{path}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise InvalidInputError(f"{path}: larger than {MAX_FILE_BYTES} bytes; split the derivation")
    if b"\x00" in data:
        raise InvalidInputError(f"{path}: a binary file (it contains NUL bytes); give a .md or .tex file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InvalidInputError(f"{path}: not UTF-8 (byte {exc.start}); save it as UTF-8") from None


def check_file(path: str, diagnosis: bool = True) -> Derivation:
    r"""Check a derivation file (``.tex``: LaTeX; anything else: Markdown).

    >>> import tempfile, os
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "d.tex")
    ...     _ = open(p, "w").write(r"\[ \frac{\partial x_t}{\partial x_k} = \prod_{j=k+1}^{t} W_{rec} D \]")
    ...     [(l.verdict, l.reason[:22]) for l in check_file(p).links]
    [('unsupported', 'the symbol D is not on')]
    """
    text = read_file(path)
    return check_text(text, name=path, markdown=not path.endswith(".tex"), diagnosis=diagnosis)


__all__ = ["Link", "Derivation", "check_text", "check_file", "check_link", "read_file",
           "MAX_FILE_BYTES", "MAX_LINKS", "UNSUPPORTED"]
