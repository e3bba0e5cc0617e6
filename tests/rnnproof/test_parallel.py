"""Worker processes: order kept, results picklable, dead workers and interrupts handled."""
import os
import pickle

import pytest

from rnncore.errors import InternalError
from rnncore.registry import Options
from rnncore.results import Method, MethodKind, Result, Scope, Verdict
from rnnproof.parallel import RenderedProof, portable, run_ordered
from rnnproof.report import run_report


class _LocalProof:
    """A proof that does not pickle (it holds a lambda)."""

    def __init__(self):
        self.f = lambda: 0

    def text(self):
        return "step 1\nstep 2"

    def latex(self):
        return r"\text{step 1}"


def test_order_is_kept_whatever_order_the_workers_finish_in():
    import time

    def task(i):
        time.sleep(0.05 * (3 - i))  # the first task finishes last
        return i, os.getpid()

    out = list(run_ordered(task, 4, jobs=2))
    assert [i for i, _ in out] == [0, 1, 2, 3] and [v[0] for _, v in out] == [0, 1, 2, 3]
    assert {v[1] for _, v in out} != {os.getpid()}  # they ran elsewhere


def test_portable_makes_an_unpicklable_result_picklable_and_keeps_its_words():
    inner = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "inner", data=lambda: 1,
                   proofs=(_LocalProof(),))
    outer = Result(Verdict.PROVED, Method(MethodKind.EXACT), Scope(), "outer", details=(inner,),
                   data=lambda: 2)
    with pytest.raises(Exception):
        pickle.dumps(outer)
    got = pickle.loads(pickle.dumps(portable(outer)))
    assert got == outer and got.data is None and got.details[0].data is None
    proof = got.details[0].proofs[0]
    assert isinstance(proof, RenderedProof) and proof.text() == "step 1\nstep 2"
    assert proof.latex() == r"\text{step 1}"


def test_a_dead_worker_is_an_internal_error_not_a_hang():
    def task(i):
        if i == 1:
            os._exit(9)  # a crash in C code looks like this to the pool
        return i

    with pytest.raises(InternalError, match="worker process died"):
        list(run_ordered(task, 3, jobs=2))


def test_rows_from_two_workers_equal_the_serial_rows():
    ids = ["blog.eq12", "paper.gamma", "blog.eq14.submult", "blog.la.psd"]
    serial = run_report(ids, Options.quick_sizes(), jobs=1)
    parallel = run_report(ids, Options.quick_sizes(), jobs=2)
    assert [r.id for r in serial.rows] == [r.id for r in parallel.rows]
    assert [r.result for r in serial.rows] == [r.result for r in parallel.rows]
    assert serial.to_json(timings=False)["claims"] == parallel.to_json(timings=False)["claims"]


def test_on_row_sees_the_rows_in_report_order():
    seen = []
    rep = run_report(["paper.gamma", "blog.eq12", "blog.la.psd"], Options.quick_sizes(), jobs=2,
                     on_row=lambda row: seen.append(row.id))
    assert seen == [r.id for r in rep.rows]


def test_a_group_runs_in_one_worker_and_its_values_stream():
    def task(i):
        return os.getpid()

    groups = ["a", "b", "a", "b", "a", "c"]
    out = list(run_ordered(task, 6, jobs=2, groups=groups))
    assert [i for i, _ in out] == list(range(6))
    pids = {key: {pid for (i, pid), k in zip(out, groups) if k == key} for key in set(groups)}
    assert all(len(p) == 1 for p in pids.values())  # one worker per group
    assert pids["a"] != {os.getpid()}


def test_a_failure_inside_a_group_reaches_the_caller():
    def task(i):
        if i == 2:
            raise ValueError("task 2 failed")
        return i

    with pytest.raises(ValueError, match="task 2 failed"):
        list(run_ordered(task, 4, jobs=2, groups=["x", "x", "x", "y"]))
    with pytest.raises(InternalError, match="worker process died"):
        list(run_ordered(lambda i: os._exit(9) if i == 1 else i, 3, jobs=2, groups=["x", "x", "y"]))


def test_a_value_that_does_not_pickle_fails_its_task_instead_of_hanging():
    with pytest.raises(Exception, match="pickle|lambda"):
        list(run_ordered(lambda i: (lambda: i), 2, jobs=2, groups=["x", "x"]))


def test_group_keys_must_match_the_tasks():
    with pytest.raises(InternalError, match="2 group keys for 3 tasks"):
        list(run_ordered(str, 3, jobs=2, groups=["a", "b"]))


def test_each_claim_runs_with_its_declaring_module():
    from rnnclaims.catalogue import catalogue
    from rnnproof.report import family

    claims = catalogue()
    families = {family(c) for c in claims}
    assert "functools" not in families  # a lemma-backed declaration is a partial
    assert all(f.startswith("rnnclaims.") for f in families)
    by_id = {c.id: family(c) for c in claims}
    assert by_id["blog.eq8"] == by_id["blog.eq7"] != by_id["blog.eq10"]


def test_modules_declared_to_share_work_run_in_one_batch_and_exist():
    import importlib
    import pkgutil

    from rnnclaims.catalogue import catalogue
    from rnnproof.report import batch, family

    claims = catalogue()
    packages = {family(c).rpartition(".")[0] for c in claims}
    declared = 0
    for package in sorted(packages):
        module = importlib.import_module(package)
        present = {m.name for m in pkgutil.iter_modules(module.__path__)}
        for modules in getattr(module, "SHARED_WORK", ()):
            assert set(modules) <= present, (package, modules)  # a renamed module is caught
            members = [c for c in claims if family(c).rpartition(".")[2] in modules
                       and family(c).startswith(package + ".")]
            assert {family(c) for c in members} == {f"{package}.{m}" for m in modules}
            assert {batch(c) for c in members} == {f"{package}.{modules[0]}"}
            declared += 1
    assert declared >= 1
    # every other claim keeps its own module's batch
    shared = {f"{p}.{m}" for p in packages
              for ms in getattr(importlib.import_module(p), "SHARED_WORK", ()) for m in ms}
    assert all(batch(c) == family(c) for c in claims if family(c) not in shared)


def test_tasks_run_with_the_collector_paused_and_it_is_restored():
    import gc

    assert gc.isenabled()
    seen = list(run_ordered(lambda i: gc.isenabled(), 3, jobs=1))
    assert seen == [(0, False), (1, False), (2, False)]
    assert gc.isenabled()
    seen = list(run_ordered(lambda i: gc.isenabled(), 2, jobs=2, groups=["x", "y"]))
    assert seen == [(0, False), (1, False)]
    assert gc.isenabled()


def test_the_valve_collects_cycles_left_by_tasks(monkeypatch):
    import gc
    import weakref

    import rnnproof.collector as collector

    class Node:
        pass

    refs = []

    def cyclic(i):
        a, b = Node(), Node()
        a.other, b.other = b, a
        refs.append(weakref.ref(a))
        return i

    monkeypatch.setattr(collector, "VALVE", -1)  # open after every task
    list(run_ordered(cyclic, 3, jobs=1))
    assert all(r() is None for r in refs)  # collected by the valve, with automatic GC off
    gc.collect()


def test_large_values_come_back_whole_through_files_and_leave_nothing_behind(tmp_path, monkeypatch):
    import tempfile

    import rnnproof.parallel as parallel

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    big = lambda i: bytes([i]) * (parallel.INLINE_BYTES * 4 + i)  # noqa: E731 - forked, not pickled
    got = list(run_ordered(big, 4, jobs=2, groups=["x", "y", "x", "y"]))
    assert got == [(i, big(i)) for i in range(4)]
    assert list(tmp_path.iterdir()) == []  # every spooled value read and removed, the spool too


def test_a_consumer_that_stops_early_leaves_no_spool_behind(tmp_path, monkeypatch):
    import tempfile

    import rnnproof.parallel as parallel

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    values = run_ordered(lambda i: b"z" * (parallel.INLINE_BYTES * 2), 6, jobs=2)
    assert next(values)[0] == 0
    values.close()
    assert list(tmp_path.iterdir()) == []


def test_without_a_writable_temporary_directory_values_go_inline(monkeypatch):
    import tempfile

    def refuse(**_):
        raise PermissionError("read-only")

    monkeypatch.setattr(tempfile, "mkdtemp", refuse)
    got = list(run_ordered(lambda i: "v" * 10000 + str(i), 3, jobs=2))
    assert got == [(i, "v" * 10000 + str(i)) for i in range(3)]
