"""Running checks in worker processes, results handed back in the order they were asked for.

:func:`run_ordered` runs ``task(i)`` for ``i = 0..count-1`` — serially in this process
with ``jobs=1``, else in ``jobs`` forked worker processes — and yields ``(i, value)`` in
index order, each as soon as it and every one before it are done (a report streams its
rows in report order, whatever the order the workers finish in).

The workers are forked, so they share the claims already loaded (nothing is imported
twice and the task needs no pickling); each value comes back pickled, so a value must
pickle (:func:`portable` makes a :class:`~rnncore.results.Result` so). The workers ignore
SIGINT: an interrupt reaches the parent alone, which ends every worker before the
``KeyboardInterrupt`` goes on (one line from the command line's handler, no traceback
from a worker, no process left behind). A worker that dies (killed, or crashed in C code)
raises :class:`~rnncore.errors.InternalError` instead of a hang. Tasks run with the
cyclic garbage collector paused (:func:`rnnproof.collector.paused`, its valve checked after
each task).

>>> list(run_ordered(lambda i: i * i, 4, jobs=2))
[(0, 0), (1, 1), (2, 4), (3, 9)]
>>> default_jobs() >= 1
True
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import queue
import shutil
import signal
import tempfile
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from typing import Any, Callable, Hashable, Iterator, Sequence

from rnncore.errors import InternalError
from rnncore.results import Counterexample, Result

from .collector import paused, valve

#: The task of the current pool, the queue its values come back by and the directory
#: that holds the larger values, set before the workers are forked (they inherit them).
_TASK: Callable[[int], Any] | None = None
_QUEUE: Any = None
_SPOOL: str | None = None

#: Largest pickled value sent through the queue itself. A pipe write of at most PIPE_BUF
#: bytes (4096 on Linux) is atomic, so a worker killed while sending cannot leave half a
#: message that the parent would then wait on for ever; a larger value goes to a file in
#: the spool directory, written and closed before its (short) name is sent.
INLINE_BYTES = 3072


def default_jobs() -> int:
    """The number of cores this process may run on (``verify --jobs`` default)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _call_group(indices: tuple[int, ...]) -> int:
    # Each value is pickled here, so a value that does not pickle fails this task (and the
    # parent hears of it) instead of vanishing in the queue's feeder thread.
    with paused():
        for i in indices:
            _QUEUE.put((i, _parcel(pickle.dumps(_TASK(i)), i, _SPOOL)))
            valve()
    return len(indices)


def _parcel(data: bytes, i: int, spool: str | None) -> tuple[str, Any]:
    """What goes through the queue for a pickled value: the bytes themselves when short
    (or when there is no spool directory), else the name of a file that holds them.

    >>> _parcel(b"abc", 0, None)
    ('inline', b'abc')
    >>> import tempfile; d = tempfile.mkdtemp()
    >>> kind, path = _parcel(b"x" * (INLINE_BYTES + 1), 7, d)
    >>> kind, _unparcel((kind, path)) == b"x" * (INLINE_BYTES + 1), os.path.exists(path)
    ('file', True, False)
    """
    if spool is None or len(data) <= INLINE_BYTES:
        return "inline", data
    path = os.path.join(spool, f"{os.getpid()}-{i}.pickle")
    with open(path, "wb") as handle:
        handle.write(data)
    return "file", path


def _unparcel(parcel: tuple[str, Any]) -> bytes:
    """The pickled bytes of a parcel (a spooled file is read, then removed)."""
    kind, payload = parcel
    if kind == "inline":
        return payload
    with open(payload, "rb") as handle:
        data = handle.read()
    os.remove(payload)
    return data


def batches(groups: Sequence[Hashable] | None, count: int) -> list[tuple[int, ...]]:
    """The indices ``0..count-1`` in batches: indices with the same ``groups[i]`` form one
    batch (in index order), batches ordered by their first index; no groups: one index per
    batch.

    >>> batches(["a", "b", "a", "c"], 4)
    [(0, 2), (1,), (3,)]
    >>> batches(None, 3)
    [(0,), (1,), (2,)]
    """
    if groups is None:
        return [(i,) for i in range(count)]
    if len(groups) != count:
        raise InternalError(f"{len(groups)} group keys for {count} tasks")
    out: dict = {}
    for i, key in enumerate(groups):
        out.setdefault(key, []).append(i)
    return [tuple(v) for v in out.values()]


def run_ordered(task: Callable[[int], Any], count: int, jobs: int = 1,
                groups: Sequence[Hashable] | None = None) -> Iterator[tuple[int, Any]]:
    """``(i, task(i))`` for ``i`` in ``0..count-1``, in order, computed by ``jobs``
    processes (serially here when ``jobs <= 1`` or there is at most one task).

    ``groups[i]`` (optional) keeps tasks together: the tasks of one group run in one worker,
    in index order, so that what they share (memoised parts of one family of claims) is
    computed once; each value still comes back as soon as it is done.

    >>> list(run_ordered(str, 3))
    [(0, '0'), (1, '1'), (2, '2')]
    >>> list(run_ordered(lambda i: -i, 4, jobs=2, groups=["x", "y", "x", "y"]))
    [(0, 0), (1, -1), (2, -2), (3, -3)]
    """
    global _TASK, _QUEUE, _SPOOL
    jobs = min(jobs, count)
    if "fork" not in multiprocessing.get_all_start_methods():
        jobs = 1  # workers must inherit the loaded claims; without fork, run here
    if jobs <= 1:
        with paused():
            for i in range(count):
                value = task(i)
                valve()
                yield i, value
        return
    context = multiprocessing.get_context("fork")
    try:
        spool = tempfile.mkdtemp(prefix="rnnproof-")
    except OSError:
        spool = None  # no writable temporary directory: every value goes inline
    _TASK, _QUEUE, _SPOOL = task, context.Queue(), spool
    # What is loaded so far (SymPy, the claims) goes to the collector's permanent
    # generation before the fork: the workers' collections then never walk it again, nor
    # touch (and so copy) its pages; the parent hands it back to the collector at the end
    gc.freeze()
    executor = ProcessPoolExecutor(jobs, mp_context=context, initializer=_ignore_sigint)
    done = False
    try:
        futures = [executor.submit(_call_group, batch) for batch in batches(groups, count)]
        ready: dict[int, Any] = {}
        for i in range(count):
            while i not in ready:
                try:
                    j, data = _QUEUE.get(timeout=0.05)
                except queue.Empty:
                    _raise_failure(futures, i)
                    continue
                ready[j] = pickle.loads(_unparcel(data))
            yield i, ready.pop(i)
        done = True
    finally:
        _TASK, _QUEUE, _SPOOL = None, None, None
        gc.unfreeze()
        if done:
            executor.shutdown(wait=True)
        else:
            # Interrupted, an error, or the consumer stopped: end the workers now. A failure
            # while tearing down a pool caught mid-start (an interrupt during a fork) must
            # not replace the exception that brought us here: an interrupt stays exit 130.
            try:
                _terminate(executor)
                executor.shutdown(wait=True, cancel_futures=True)
            except Exception:  # noqa: BLE001 - see above; the original exception goes on
                pass
        if spool is not None:
            shutil.rmtree(spool, ignore_errors=True)  # values never read (an early stop)


def _raise_failure(futures, waiting_for: int) -> None:
    """Raise the failure of a finished batch, if any (a task that raised: that exception; a
    worker that died: :class:`InternalError`)."""
    for future in futures:
        if future.done() and future.exception() is not None:
            if isinstance(future.exception(), BrokenProcessPool):
                raise InternalError(
                    f"a worker process died while running task {waiting_for} (killed or "
                    "crashed); run with --jobs 1 to see which") from None
            raise future.exception()


def _terminate(executor: ProcessPoolExecutor) -> None:
    """End the executor's workers at once (``shutdown`` alone waits for running tasks).
    The executor keeps its processes in ``_processes``; there is no public handle."""
    processes = list((getattr(executor, "_processes", None) or {}).values())
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join()


@dataclass(frozen=True)
class RenderedProof:
    """A proof as its words: what a worker hands back for a proof object that does not
    pickle (:class:`rnncore.results.Proof`: ``text()`` and ``latex()``).

    >>> RenderedProof("step 1", r"\\text{step 1}").text()
    'step 1'
    """

    text_: str
    latex_: str

    def text(self) -> str:
        """The proof in plain text."""
        return self.text_

    def latex(self) -> str:
        """The proof as LaTeX."""
        return self.latex_


def _pickles(value: Any) -> bool:
    try:
        pickle.dumps(value)
    except Exception:  # noqa: BLE001 - any failure means "does not pickle"
        return False
    return True


def portable(result: Result) -> Result:
    """``result`` in a form that pickles: unchanged when it does; else with ``data`` that
    does not pickle dropped (it takes no part in any printed or JSON output), proofs that do
    not pickle replaced by their words (:class:`RenderedProof`), recursively through
    ``details``.

    >>> from rnncore.results import Method, MethodKind, Scope, Verdict
    >>> r = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "e", data=lambda: 0)
    >>> portable(r).data is None, portable(r) == r
    (True, True)
    """
    if _pickles(result):
        return result
    cex = result.counterexample
    if cex is not None and not _pickles(cex):
        cex = replace(cex, data=None) if isinstance(cex, Counterexample) else cex
    proofs = tuple(p if _pickles(p) else RenderedProof(p.text(), p.latex()) for p in result.proofs)
    return replace(result, data=result.data if _pickles(result.data) else None,
                   counterexample=cex, proofs=proofs,
                   details=tuple(portable(d) for d in result.details))


__all__ = ["run_ordered", "batches", "default_jobs", "portable", "RenderedProof"]
