r"""Find the display math of a Markdown or LaTeX file and split it into rows.

Display math is ``$$…$$``, ``\[…\]``, ``\begin{align}…\end{align}`` (also ``align*``,
``equation``, ``equation*``, ``gather``, ``multline``) and ``\(…\)`` when it holds an
environment (as some blog engines write ``\(\begin{align}…\end{align}\tag{7}\)``).
Markdown code fences (```` ``` ````) are skipped; in Markdown, the HTML entities
``&amp;``, ``&lt;``, ``&gt;`` inside math are read as ``&``, ``<``, ``>``. Rows are split on
``\\`` outside braces and written-out matrices; each row keeps the file line it starts on.

>>> blocks = find_blocks("text\n$$a = b \\\\\n &= c$$\n", markdown=True)
>>> [(b.line, b.body) for b in blocks]
[(2, 'a = b \\\\\n &= c')]
>>> [(r.line, r.text) for r in split_rows(blocks[0])]
[(2, 'a = b '), (3, '&= c')]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rnncore.errors import FormulaError

from .reader import MATRICES, normalise_unicode, tags

#: Most display blocks read from one file, and most rows from one block.
MAX_BLOCKS, MAX_ROWS = 400, 200

_ENVS = ("align", "align*", "equation", "equation*", "gather", "gather*", "multline",
         "multline*", "eqnarray", "eqnarray*")
_OPEN = re.compile(r"\$\$|\\\[|\\\(|\\begin\s*\{(" + "|".join(re.escape(e) for e in _ENVS) + r")\}"
                   r"|^\s*```", re.M)


@dataclass(frozen=True)
class Block:
    """One piece of display math: its body (delimiters removed), the line it starts on,
    and its equation tags. ``error``: why it could not be read whole (an unclosed opener)."""

    line: int
    body: str
    tags: tuple[str, ...] = ()
    error: str = ""


@dataclass(frozen=True)
class Row:
    """One row of a block (between ``\\``), with the file line it starts on."""

    line: int
    text: str
    block: Block


def _line_of(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def find_blocks(text: str, *, markdown: bool, first_line: int = 1) -> list[Block]:
    """The display-math blocks of a file's text (see the module doc); ``first_line``: the
    file line ``text`` starts on (after the front matter)."""
    blocks: list[Block] = []
    pos = 0
    if not markdown:  # LaTeX comments
        text = re.sub(r"(?<!\\)%[^\n]*", lambda m: " " * len(m.group(0)), text)
    while len(blocks) < MAX_BLOCKS:
        m = _OPEN.search(text, pos)
        if not m:
            break
        opener = m.group(0)
        line = first_line + _line_of(text, m.start()) - 1
        if opener.strip() == "```":
            if not markdown:
                pos = m.end()
                continue
            close = text.find("```", m.end())
            pos = len(text) if close < 0 else close + 3
            continue
        if opener == "$$":
            close_re = re.compile(r"\$\$")
        elif opener == r"\[":
            close_re = re.compile(r"\\\]")
        elif opener == r"\(":
            close_re = re.compile(r"\\\)")
        else:
            close_re = re.compile(r"\\end\s*\{" + re.escape(m.group(1)) + r"\}")
        c = close_re.search(text, m.end())
        if c is None:
            blocks.append(Block(line, "", (), f"{opener.strip()} on line {line} is never closed"))
            break
        body = text[m.end():c.start()]
        pos = c.end()
        if opener == r"\(" and "\\begin" not in body:
            continue  # inline math
        tag_text = body
        if opener.startswith("\\begin") or opener == r"\(":
            tail = text[c.end():c.end() + 40]
            t = re.match(r"\s*\\tag\*?\{[^{}]*\}", tail)
            if t:
                tag_text += t.group(0)
        if markdown:
            body = normalise_unicode(body, html=True)
        else:
            body = normalise_unicode(body)
        blocks.append(Block(line, body, tuple(tags(tag_text))))
    return blocks


def split_rows(block: Block) -> list[Row]:
    r"""The rows of a block: split on ``\\`` at brace depth 0 outside matrices (a spacing
    argument ``\\[2pt]`` is dropped).

    >>> b = Block(1, r"a \\ \begin{bmatrix} 1 \\ 2 \end{bmatrix} = c")
    >>> [r.text for r in split_rows(b)]
    ['a ', '\\begin{bmatrix} 1 \\\\ 2 \\end{bmatrix} = c']
    """
    body = block.body
    rows: list[Row] = []
    depth = env = 0
    start = 0
    i = 0
    env_re = re.compile(r"\\(begin|end)\s*\{(" + "|".join(MATRICES) + r")\}")
    while i < len(body):
        c = body[i]
        if c == "\\":
            e = env_re.match(body, i)
            if e:
                env += 1 if e.group(1) == "begin" else -1
                i = e.end()
                continue
            if body.startswith("\\\\", i) and depth == 0 and env == 0:
                rows.append(Row(block.line + _line_of(body, start) - 1, body[start:i], block))
                i += 2
                sp = re.match(r"\s*\[[^\]\n]{0,12}\]", body[i:])
                if sp:
                    i += sp.end()
                while i < len(body) and body[i] in " \t\r\n":
                    i += 1  # a row starts at its first character (its line is that line)
                start = i
                if len(rows) > MAX_ROWS:
                    raise FormulaError(f"the block on line {block.line} has more than {MAX_ROWS} rows")
                continue
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth = max(0, depth - 1)
        i += 1
    rows.append(Row(block.line + _line_of(body, start) - 1, body[start:], block))
    return [r for r in rows if r.text.strip()]


__all__ = ["Block", "Row", "find_blocks", "split_rows", "MAX_BLOCKS", "MAX_ROWS"]
