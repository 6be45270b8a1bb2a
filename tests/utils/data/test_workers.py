"""Worker faults: errors re-raised with the worker's traceback, killed/segfaulting/hanging workers, early exits,
nested loaders; every test checks that no worker process (or zombie) is left behind."""
import gc
import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
import torch

import ember
from ember.utils.data import DataLoader, Dataset


def _children():
    """Live or zombie children of this process (from /proc, so zombies count too)."""
    pids = set()
    for tid in os.listdir(f"/proc/{os.getpid()}/task"):
        try:
            with open(f"/proc/{os.getpid()}/task/{tid}/children") as f:
                pids.update(int(p) for p in f.read().split())
        except FileNotFoundError:
            pass
    return pids


@pytest.fixture(autouse=True)
def no_leftover_workers():
    before = _children()
    yield
    gc.collect()
    deadline = time.monotonic() + 3.0
    while time.monotonic() < deadline and (_children() - before or multiprocessing.active_children()):
        time.sleep(0.02)
    assert not (_children() - before), f"worker processes left: {_children() - before}"
    assert multiprocessing.active_children() == []


class Faulty(Dataset):
    """Item ``bad`` misbehaves in the way ``how`` says."""

    def __init__(self, how, bad=5, n=16):
        self.how, self.bad, self.n = how, bad, n

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if i == self.bad:
            if self.how == "raise":
                raise ValueError(f"bad item {i}")
            if self.how == "keyerror":
                raise KeyError("missing")
            if self.how == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            if self.how == "segfault":
                import ctypes
                import faulthandler
                faulthandler.disable()  # pytest's handler would dump this worker's stack into the test log
                ctypes.string_at(0)
            if self.how == "hang":
                time.sleep(60)
            if self.how == "exit":
                os._exit(3)
        return np.full(4, i, np.float32)


def _error(dl):
    try:
        for _ in dl:
            pass
    except Exception as exc:
        exc.__traceback__ = None  # the traceback holds the iterator: let it (and its workers) go now
        return exc
    raise AssertionError("the loader raised nothing")


def test_worker_exception_reraised_with_worker_id_and_traceback():
    # batch 1 (items 4..7) goes to worker 1 in both libraries
    e = _error(DataLoader(Faulty("raise"), batch_size=4, num_workers=2))
    t = _error(torch.utils.data.DataLoader(Faulty("raise"), batch_size=4, num_workers=2))
    assert type(e) is type(t) is ValueError
    head = "Caught ValueError in DataLoader worker process 1.\nOriginal Traceback (most recent call last):\n"
    assert str(t).startswith(head) and str(e).startswith(head)
    assert str(e).rstrip().endswith("ValueError: bad item 5")
    assert 'raise ValueError(f"bad item {i}")' in str(e)  # the worker's own source line


def test_iteration_continues_after_a_worker_exception():
    it = iter(DataLoader(Faulty("raise", bad=1), batch_size=2, num_workers=2))
    with pytest.raises(ValueError, match="worker process 0"):
        next(it)
    assert [b.numpy()[:, 0].tolist() for b in it] == [[2.0, 3.0], [4.0, 5.0], [6.0, 7.0], [8.0, 9.0],
                                                       [10.0, 11.0], [12.0, 13.0], [14.0, 15.0]]


def test_keyerror_message_is_readable():
    e = _error(DataLoader(Faulty("keyerror", bad=0), batch_size=2, num_workers=1))
    assert isinstance(e, KeyError)
    assert str(e).startswith("Caught KeyError in DataLoader worker process 0.\nOriginal Traceback")


def test_worker_init_fn_error():
    def init(wid):
        raise RuntimeError("init failed")
    e = _error(DataLoader(Faulty("none"), batch_size=2, num_workers=1, worker_init_fn=init))
    assert isinstance(e, RuntimeError) and "Caught RuntimeError in DataLoader worker process 0" in str(e)
    assert "init failed" in str(e)


@pytest.mark.parametrize("how", ["kill", "segfault", "exit"])
def test_dead_worker_raises_runtime_error_naming_it(how):
    dl = DataLoader(Faulty(how), batch_size=4, num_workers=2)
    t0 = time.monotonic()
    it = iter(dl)
    pids = [w.pid for w in it._workers]
    with pytest.raises(RuntimeError, match=r"DataLoader worker \(pid\(s\) \d+\) exited unexpectedly") as info:
        for _ in it:
            pass
    assert time.monotonic() - t0 < 5.0
    assert str(pids[1]) in str(info.value)  # batch 1 is worker 1's
    del it


def test_hanging_worker_times_out():
    dl = DataLoader(Faulty("hang", bad=0), batch_size=4, num_workers=2, timeout=0.5)
    t0 = time.monotonic()
    with pytest.raises(RuntimeError, match=r"^DataLoader timed out after 0.5 seconds$"):
        for _ in dl:
            pass
    gc.collect()
    assert time.monotonic() - t0 < 4.0


@pytest.mark.parametrize("how", ["break", "del", "keyboardinterrupt", "gc"])
def test_early_exit_shuts_workers_down(how):
    dl = DataLoader(Faulty("none", n=400), batch_size=4, num_workers=2)
    it = iter(dl)
    workers = list(it._workers)
    if how == "break":
        for i, _ in enumerate(dl):
            if i == 2:
                break
    elif how == "del":
        next(it)
        del it
    elif how == "keyboardinterrupt":
        with pytest.raises(KeyboardInterrupt):
            for i, _ in enumerate(it):
                if i == 1:
                    raise KeyboardInterrupt
        del it
    else:
        next(it)
        it.cycle = it  # a reference cycle: only the garbage collector can free it
        del it
        gc.collect()
    if how != "break":
        for w in workers:
            w.join(3.0)
            assert not w.is_alive() and w.exitcode is not None


def test_exhaustion_shuts_workers_down_at_once():
    it = iter(DataLoader(Faulty("none"), batch_size=4, num_workers=2))
    workers = list(it._workers)
    assert len(list(it)) == 4
    assert all(w.exitcode is not None for w in workers)


def test_nested_loaders():
    outer = DataLoader(Faulty("none", n=8), batch_size=2, num_workers=2)
    other = DataLoader(Faulty("none", n=8), batch_size=4, num_workers=1)
    seen = []
    for a, b in zip(outer, outer):  # two live iterators of one loader
        assert a.tolist() == b.tolist()
        inner = DataLoader(Faulty("none", n=4), batch_size=4, num_workers=1)
        seen.append((a.numpy()[:, 0].tolist(), [x.numpy()[:, 0].tolist() for x in inner]))
        for _ in other:
            break
    assert seen == [([2.0 * k, 2.0 * k + 1], [[0.0, 1.0, 2.0, 3.0]]) for k in range(4)]


class UsesLoaderInside(Dataset):
    """A dataset whose items come from a single-process DataLoader, run inside the workers."""

    def __len__(self):
        return 4

    def __getitem__(self, i):
        return sum(b.sum() for b in DataLoader(Faulty("none", n=i + 1), batch_size=2))


def test_loader_inside_workers():
    out = [b.tolist() for b in DataLoader(UsesLoaderInside(), batch_size=2, num_workers=2)]
    assert out == [[0.0, 4.0], [12.0, 24.0]]


def test_workers_exit_when_the_main_process_dies():
    code = textwrap.dedent("""
        import os, signal, sys
        import numpy as np
        from ember.utils.data import DataLoader
        it = iter(DataLoader(np.zeros((100, 2), np.float32), batch_size=2, num_workers=2))
        next(it)
        print(" ".join(str(w.pid) for w in it._workers), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    pids = [int(p) for p in r.stdout.split()]
    assert len(pids) == 2, r.stderr
    deadline = time.monotonic() + 5.0
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{p}") for p in pids):
        time.sleep(0.05)
    assert not any(os.path.exists(f"/proc/{p}") for p in pids)


def test_blas_threads_limited_in_workers():
    class Threads(Dataset):
        def __len__(self):
            return 1

        def __getitem__(self, i):
            out = {"ember": ember.get_num_threads(), "env": os.environ.get("OMP_NUM_THREADS")}
            try:
                from threadpoolctl import threadpool_info
                out["blas"] = max((d["num_threads"] for d in threadpool_info()), default=1)
            except ImportError:
                out["blas"] = 1
            return out

    (info,) = DataLoader(Threads(), batch_size=None, num_workers=1)
    assert info == {"ember": 1, "env": "1", "blas": 1}
