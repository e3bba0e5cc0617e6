"""Printers of a checked derivation file (``rnnproof check FILE``): compiler-style text,
one block per link (``FILE:LINE: verdict``), and JSON.

>>> from rnnclaims.derivation import check_text
>>> rep = check_text("$$\\\\frac{\\\\partial x_t}{\\\\partial x_{t-1}} = W_{rec}^T \\\\operatorname{diag}(\\\\sigma'(x_{t-1}))$$\\n", name="d.md")
>>> print(derivation_text(rep).splitlines()[0])
d.md:1: refuted — Jacobian link
>>> derivation_dict(rep)["links"][0]["verdict"]
'refuted'
"""
from __future__ import annotations

import textwrap

from rnnclaims.derivation import Derivation, Link

from .json import counterexample_dict
from .text import counterexample_text, method_text, scope_text

_KIND = {"jacobian": "Jacobian", "inequality": "norm", "gradient": "gradient",
         "unreadable": "unreadable"}
#: Width of the text report (continuation lines are indented under their field).
WIDTH = 80


def _clip(text: str, width: int = 240) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def _field(name: str, value: str, width: int) -> list:
    head = f"  {name + ':':<10}"
    return textwrap.wrap(value, width=width, initial_indent=head,
                         subsequent_indent=" " * len(head), break_long_words=True,
                         break_on_hyphens=False) or [head]


def link_text(file: str, link: Link, width: int = WIDTH) -> str:
    """One link as a block of text: ``FILE:LINE: verdict — kind``, then the link as
    written, the two sides as read, the evidence, a counterexample, and the notes.

    >>> print(link_text("f.md", Link(3, "x_t = F", "=", "unsupported", reason="F is unknown")))
    f.md:3: unsupported — link
      link:     x_t = F
      why:      not a statement it can check: F is unknown
    """
    kind = _KIND.get(link.kind, link.kind)
    what = (f"{kind} link" if kind else "link") + (f" ({link.relation})" if link.relation and link.relation != "=" else "")
    if link.conclusion:
        what += ", the chain's conclusion"
    tag = f" [eq. {link.tag}]" if link.tag else ""
    lines = [f"{file}:{link.line}: {link.verdict} — {what}{tag}"]
    if link.text:
        lines += _field("link", _clip(link.text), width)
    if link.sides:
        rel = "==" if link.relation == "=" else link.relation
        lines += _field("reads", _clip(f"{link.sides[0]}  {rel}  {link.sides[1]}"), width)
    elif link.formula:
        lines += _field("reads", _clip(link.formula), width)
    res = link.result
    if res is None:
        lines += _field("why", f"not a statement it can check: {link.reason}", width)
    else:
        lines += _field("evidence", _clip(res.evidence, 400), width)
        lines += _field("method", method_text(res.method), width)
        lines += _field("scope", scope_text(res.scope), width)
        if res.counterexample is not None:
            lines += _field("counter", _clip(counterexample_text(res.counterexample), 500), width)
    for note in link.notes:
        lines += _field("note", _clip(note, 300), width)
    return "\n".join(lines)


def derivation_text(rep: Derivation, width: int = WIDTH) -> str:
    """The whole report: one block per link, then a summary line.

    >>> from rnnclaims.derivation import Model
    >>> derivation_text(Derivation("f.md", Model(), []))
    'f.md: 0 link(s): no display math found'
    """
    blocks = [link_text(rep.file, link, width) for link in rep.links]
    counts = ", ".join(f"{v} {k}" for k, v in sorted(rep.counts().items()))
    summary = f"{rep.file}: {len(rep.links)} link(s): {counts or 'no display math found'}"
    blocks.append("\n".join(textwrap.wrap(summary, width=width, subsequent_indent="  ")))
    return "\n\n".join(blocks)


def link_dict(link: Link) -> dict:
    """JSON-ready form of one link.

    >>> link_dict(Link(3, "a = b", "=", "unsupported", reason="no"))["line"]
    3
    """
    res = link.result
    out = {"line": link.line, "text": link.text, "relation": link.relation,
           "verdict": link.verdict, "kind": link.kind, "tag": link.tag or None,
           "conclusion": link.conclusion, "checked": link.formula or None,
           "sides": list(link.sides) or None, "via": link.via or None,
           "reason": link.reason or None, "holds_in_layout": link.holds_in_layout or None,
           "notes": list(link.notes), "evidence": None, "method": None, "scope": None,
           "counterexample": None}
    if res is not None:
        out["evidence"] = res.evidence
        out["method"] = method_text(res.method)
        out["scope"] = scope_text(res.scope)
        if res.counterexample is not None:
            out["counterexample"] = counterexample_dict(res.counterexample)
    return out


def derivation_dict(rep: Derivation) -> dict:
    """JSON-ready form of the report: ``{"file", "model", "links", "counts", "exit_code"}``.

    >>> from rnnclaims.derivation import Model
    >>> derivation_dict(Derivation("f.md", Model(), []))["exit_code"]
    3
    """
    return {"file": rep.file, "model": rep.model.as_dict(),
            "links": [link_dict(l) for l in rep.links], "counts": rep.counts(),
            "exit_code": rep.exit_status}


__all__ = ["derivation_text", "derivation_dict", "link_text", "link_dict"]
