"""The front matter of a derivation file: the model and the names its LaTeX uses.

A block of ``key: value`` lines between two ``---`` lines at the very top of the file (in a
``.tex`` file, the same lines each behind ``%``). Only this flat subset of YAML is read —
one scalar per key, optional quotes, ``#`` comments, and ``assume:`` followed by ``- item``
lines — by the small parser here; nothing is evaluated and no YAML loader runs.

Keys (defaults: the blog's model): ``form`` (A, B), ``activation`` (generic, tanh,
sigmoid, relu), ``layout`` (numerator, denominator), ``state`` (x, h, s), ``W_rec``,
``W_in``, ``b`` (symbols as written, e.g. ``W_{hh}``), ``input`` (u), ``loss`` (E, L, J),
``product`` (descending, ascending: how ``\\prod`` orders its factors; default: the
layout's own order), ``theta`` (the parameter θ of gradients: W_rec, W_in, b, or W =
[W_rec W_in b]; default W_rec), ``n`` and ``T`` (the sizes of the check), ``assume`` (LaTeX
statements taken as given, e.g. ``\\|diag(\\sigma'(x_{j-1}))\\|_2 < \\gamma``).

>>> m, body_line = read_front_matter("---\\nform: B\\nstate: h\\nW_rec: W_{hh}\\n---\\n$$h_t$$\\n")
>>> m.form, m.state, m.W_rec, body_line
('B', 'h', 'W_hh', 6)
>>> read_front_matter("---\\nform: C\\n---\\n")
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: front matter line 2: form 'C' is not one of A, B
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from rnncore.errors import InvalidInputError
from rnncore.validate import check_size

#: Most front-matter lines read, and the longest value.
MAX_LINES, MAX_VALUE = 100, 400
#: Sizes a derivation file may ask for (each link is an exact check at this size).
MAX_N, MAX_T = 6, 8

_CHOICES = {
    "form": ("A", "B"),
    "activation": ("generic", "tanh", "sigmoid", "relu"),
    "layout": ("numerator", "denominator"),
    "state": ("x", "h", "s"),
    "loss": ("E", "L", "J"),
    "product": ("descending", "ascending"),
    "theta": ("W_rec", "W_in", "b", "W"),
}
_SYMBOLS = ("W_rec", "W_in", "b", "input")
_SIZES = ("n", "T")


def symbol_name(written: str) -> str:
    r"""The canonical name of a symbol as written: braces, spaces, font commands dropped.

    >>> symbol_name(r"W_{\mathrm{hh}}"), symbol_name("U"), symbol_name("W_{rec}")
    ('W_hh', 'U', 'W_rec')
    """
    s = re.sub(r"\\(mathrm|operatorname|text|mathbf|boldsymbol|bm)\s*", "", written)
    return re.sub(r"[{}\s\\]", "", s)


@dataclass(frozen=True)
class Model:
    """What a derivation file declares (see the module doc)."""

    form: str = "A"
    activation: str = "generic"
    layout: str = "numerator"
    state: str = "x"
    W_rec: str = "W_rec"
    W_in: str = "W_in"
    b: str = "b"
    input: str = "u"
    loss: str = "E"
    product: str | None = None
    theta: str = "W_rec"
    n: int = 2
    T: int = 3
    assume: tuple[str, ...] = field(default=())

    @property
    def order(self) -> str:
        """``down`` (largest index leftmost) or ``up`` for ``\\prod``.

        >>> Model().order, Model(layout="denominator").order
        ('down', 'up')
        """
        if self.product is not None:
            return "down" if self.product == "descending" else "up"
        return "down" if self.layout == "numerator" else "up"

    def with_(self, **changes) -> "Model":
        """A copy with some fields changed."""
        return replace(self, **changes)

    def as_dict(self) -> dict:
        """The declared model as plain data (for JSON).

        >>> Model().as_dict()["W_rec"]
        'W_rec'
        """
        return {"form": self.form, "activation": self.activation, "layout": self.layout,
                "state": self.state, "W_rec": self.W_rec, "W_in": self.W_in, "b": self.b,
                "input": self.input, "loss": self.loss, "product": self.order, "theta": self.theta, "n": self.n,
                "T": self.T, "assume": list(self.assume)}


def _value(raw: str, lineno: int) -> str:
    v = raw.split(" #", 1)[0].strip()
    if len(v) >= 2 and v[0] == v[-1] and v[0] in "\"'":
        v = v[1:-1]
    if len(v) > MAX_VALUE:
        raise InvalidInputError(f"front matter line {lineno}: the value has {len(v)} characters; "
                                f"at most {MAX_VALUE}")
    return v


def read_front_matter(text: str, comment: str = "") -> tuple[Model, int]:
    """The :class:`Model` a file declares and the line its body starts on (1 if it has no
    front matter). ``comment``: the prefix each front-matter line carries (``%`` in ``.tex``).

    >>> read_front_matter("$$x$$")[1]
    1
    >>> read_front_matter("% ---\\n% layout: denominator\\n% ---\\n", comment="%")[0].layout
    'denominator'
    """
    lines = text.split("\n", MAX_LINES + 2)

    def bare(line: str) -> str | None:
        s = line.rstrip("\r")
        if comment:
            if not s.lstrip().startswith(comment):
                return None
            s = s.lstrip()[len(comment):]
        return s

    if not lines or (bare(lines[0]) or "").strip() != "---":
        return Model(), 1
    values: dict = {}
    assume: list[str] = []
    in_assume = False
    for i, line in enumerate(lines[1:MAX_LINES + 1], start=2):
        s = bare(line)
        if s is None:
            raise InvalidInputError(f"front matter line {i}: expected '{comment} key: value' or "
                                    f"'{comment} ---'")
        if s.strip() == "---":
            model = _build(values, tuple(assume))
            return model, i + 1
        if not s.strip() or s.strip().startswith("#"):
            continue
        if in_assume and re.match(r"\s+-\s|\s*-\s", s):
            assume.append(_value(s.split("-", 1)[1], i))
            continue
        m = re.match(r"\s*([A-Za-z_]+)\s*:\s*(.*)$", s)
        if not m:
            raise InvalidInputError(f"front matter line {i}: {s.strip()[:60]!r} is not 'key: value'")
        key, raw = m.group(1), m.group(2)
        in_assume = key == "assume"
        if in_assume:
            if raw.strip():
                assume.append(_value(raw, i))
            continue
        if key in values:
            raise InvalidInputError(f"front matter line {i}: {key} is given twice")
        values[key] = (_value(raw, i), i)
    raise InvalidInputError(f"the front matter opened on line 1 is not closed by '---' within "
                            f"{MAX_LINES} lines")


def _build(values: dict, assume: tuple) -> Model:
    out: dict = {"assume": assume}
    known = set(_CHOICES) | set(_SYMBOLS) | set(_SIZES)
    for key, (v, line) in values.items():
        if key not in known:
            raise InvalidInputError(f"front matter line {line}: unknown key {key!r}; the keys are "
                                    + ", ".join(sorted(known | {"assume"})))
        if key in _CHOICES:
            choices = _CHOICES[key]
            if v not in choices:
                raise InvalidInputError(f"front matter line {line}: {key} {v!r} is not one of "
                                        + ", ".join(choices))
            out[key] = v
        elif key in _SIZES:
            if not re.fullmatch(r"[0-9]{1,3}", v):
                raise InvalidInputError(f"front matter line {line}: {key} {v!r} is not a whole number")
            out[key] = check_size(key, int(v), MAX_N if key == "n" else MAX_T,
                                  "the budget of a derivation check")
        else:
            name = symbol_name(v)
            if not re.fullmatch(r"[A-Za-z]+(_[A-Za-z0-9]+)?", name):
                raise InvalidInputError(f"front matter line {line}: {key} {v!r} is not a symbol "
                                        "such as W_{hh} or U")
            out[key] = name
    return Model(**out)


__all__ = ["Model", "read_front_matter", "symbol_name", "MAX_N", "MAX_T"]
