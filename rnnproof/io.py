"""Output files of the commands: checked before any work, written atomically.

:func:`check_output_path` runs before a command computes anything: the folder must exist
and take a new file (probed by creating and removing one — permission bits alone do not
tell, e.g. for ``/proc`` or a read-only mount), the target must not be a directory or a
device, and its name must be valid UTF-8 (and, for LaTeX, free of the characters TeX
cannot take in a file name). :func:`atomic_write` (and :func:`atomic_open` for writers
that want a file object, such as matplotlib) write a temporary file in the target's
folder, flush and ``fsync`` it, then ``os.replace`` it over the target: a reader sees the
old file or the whole new one, never a half-written one, and a failure (full disk, file
size limit, interrupt) removes the temporary file and leaves the old file as it was.
Nothing creates folders, so nothing leaves an empty folder behind.

Every ``OSError`` raised while writing names the target path, so the command line's one
handler can print ``path: cause`` on one line.

>>> import os, tempfile
>>> folder = tempfile.mkdtemp()
>>> target = os.path.join(folder, "report.md")
>>> atomic_write(check_output_path(target, option="--markdown"), "new\\n").read_text()
'new\\n'
>>> sorted(os.listdir(folder))
['report.md']
>>> check_output_path(folder, option="--markdown")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: --markdown ...: is a directory; give a file name
"""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import IO, Iterator

from rnncore.errors import InvalidInputError

#: The output name that means standard output (``--markdown -``); ``./-`` names a file "-".
STDOUT = "-"
#: Characters TeX cannot take in a file name (comment, escape, groups, specials, spaces).
TEX_UNSAFE = frozenset("%\\#$&~^{}\"' \t\n")
_TMP_PREFIX = ".rnnproof-"


def shown(path) -> str:
    """``path`` as printable text (bytes that are not UTF-8 shown as ``\\x..`` escapes).

    >>> shown("a\\udcffb.md")
    'a\\\\xffb.md'
    """
    return os.fsencode(os.fspath(path)).decode("utf-8", "backslashreplace")


def is_stdout(path) -> bool:
    """True when the output ``path`` is ``-``, standard output.

    >>> is_stdout("-"), is_stdout("./-"), is_stdout("report.md")
    (True, False, False)
    """
    return path is not None and os.fspath(path) == STDOUT


def check_output_path(path, *, option: str, suffixes: tuple[str, ...] = (),
                      tex: bool = False) -> Path:
    """The output path ``path`` (given with ``option``) if a file can be written there;
    else :class:`InvalidInputError` naming the path and the cause. Run it before any work.

    >>> check_output_path("/nonexistent-folder/x.tex", option="-o")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: -o /nonexistent-folder/x.tex: the folder /nonexistent-folder does not exist; create it first
    >>> check_output_path("a%b.tex", option="-o", tex=True)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: -o a%b.tex: the file name has '%', which TeX cannot take in a file name; rename it
    """
    path = Path(path)
    label = f"{option} {shown(path)}"
    try:
        os.fsencode(path.name).decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInputError(f"{label}: the file name is not valid UTF-8; rename it") from None
    if suffixes and path.suffix.lower() not in suffixes:
        raise InvalidInputError(
            f"{label}: the file name must end in {' or '.join(suffixes)}")
    if tex:
        bad = sorted(set(path.name) & TEX_UNSAFE)
        if bad:
            raise InvalidInputError(
                f"{label}: the file name has {bad[0]!r}, which TeX cannot take in a file name; "
                "rename it")
    if not path.name or path.name in (".", ".."):
        raise InvalidInputError(f"{label}: give a file name")
    folder = path.parent
    if path.is_dir():
        raise InvalidInputError(f"{label}: is a directory; give a file name")
    if path.exists() and not path.is_file():
        raise InvalidInputError(f"{label}: exists and is not a regular file; give a file name")
    if not folder.exists():
        raise InvalidInputError(
            f"{label}: the folder {shown(folder)} does not exist; create it first")
    if not folder.is_dir():
        raise InvalidInputError(f"{label}: {shown(folder)} is not a folder")
    try:  # the only reliable test: make (and remove) a file there
        fd, probe = tempfile.mkstemp(prefix=_TMP_PREFIX, dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise InvalidInputError(
            f"{label}: cannot write in the folder {shown(folder)}: {exc.strerror or exc}") from None
    return path


@contextlib.contextmanager
def atomic_open(path) -> Iterator[IO[bytes]]:
    """A binary file object whose content replaces ``path`` atomically when the block ends
    without an exception (flushed, fsynced, renamed); on any exception the temporary file
    is removed and ``path`` is left as it was.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "f.bin")
    >>> with atomic_open(target) as fh:
    ...     _ = fh.write(b"abc")
    >>> open(target, "rb").read()
    b'abc'
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=_TMP_PREFIX, suffix=path.suffix, dir=path.parent)
    except OSError as exc:
        raise _named(exc, path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # keep an existing file's permissions; a new one gets what open() would give it
        mode = path.stat().st_mode & 0o7777 if path.is_file() else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # also the close's second failure to flush
            raise _named(exc, path) from None
        raise


def atomic_write(path, data: str | bytes) -> Path:
    """Write ``data`` (text is UTF-8) to ``path`` atomically (see :func:`atomic_open`);
    return the path.

    >>> import os, tempfile
    >>> target = os.path.join(tempfile.mkdtemp(), "a.txt")
    >>> atomic_write(target, "ü").read_bytes()
    b'\\xc3\\xbc'
    """
    payload = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    with atomic_open(path) as fh:
        fh.write(payload)
    return Path(path)


def _named(exc: OSError, path: Path) -> OSError:
    """``exc`` with the target's path as its file name (writes report no name by themselves)."""
    if exc.filename is not None:
        return exc
    return type(exc)(exc.errno, exc.strerror or str(exc), os.fspath(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


__all__ = ["check_output_path", "atomic_write", "atomic_open", "shown", "is_stdout", "STDOUT",
           "TEX_UNSAFE"]
