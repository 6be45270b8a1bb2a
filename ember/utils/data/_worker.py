"""What runs inside a DataLoader worker process: seeding, fetching, error wrapping, the task loop."""
import os
import pickle
import queue
import random
import struct
import sys
import traceback
from dataclasses import dataclass

from . import _shm

_POLL = 1.0              # seconds between checks that the main process is still there
HEADER = struct.Struct("q")
RESUME = -1              # task index of the acknowledgement of a _ResumeIteration

_worker_info = None


@dataclass(frozen=True)
class WorkerInfo:
    """What ``get_worker_info()`` returns inside a worker: its id, the worker count, its seed, its dataset copy."""

    id: int
    num_workers: int
    seed: int
    dataset: object


def get_worker_info():
    """This worker's ``WorkerInfo``; None in the main process."""
    return _worker_info


@dataclass(frozen=True)
class _IterableDatasetStopIteration:
    worker_id: int


@dataclass(frozen=True)
class _ResumeIteration:
    seed: object = None


class KeyErrorMessage(str):
    """A str whose repr is itself, so a re-raised KeyError shows the traceback readably."""

    __slots__ = ()

    def __repr__(self):
        return self


class ExceptionWrapper:
    """An exception plus its formatted traceback, picklable across processes."""

    def __init__(self, exc_info=None, where="in background"):
        if exc_info is None:
            exc_info = sys.exc_info()
        self.exc_type = exc_info[0]
        # the formatted text, not the traceback object: frames are neither picklable nor worth keeping alive
        self.exc_msg = "".join(traceback.format_exception(*exc_info))
        self.where = where

    def reraise(self):
        """Raise the wrapped exception type with PyTorch's "Caught X in ..." message and the original traceback."""
        msg = f"Caught {self.exc_type.__name__} {self.where}.\nOriginal {self.exc_msg}"
        if self.exc_type is KeyError:
            msg = KeyErrorMessage(msg)
        elif getattr(self.exc_type, "message", None):
            raise self.exc_type(message=msg)
        try:
            exception = self.exc_type(msg)
        except Exception:
            raise RuntimeError(msg) from None
        raise exception


class _MapDatasetFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset, self.auto_collation, self.collate_fn, self.drop_last = (
            dataset, auto_collation, collate_fn, drop_last)
        fetch = getattr(dataset, "__getitems__", None)
        self.getitems = fetch if fetch else None

    def fetch(self, index):
        if self.auto_collation:
            if self.getitems is not None:
                data = self.getitems(index)
            else:
                ds = self.dataset
                data = [ds[i] for i in index]
        else:
            data = self.dataset[index]
        return self.collate_fn(data)


class _IterableDatasetFetcher:
    def __init__(self, dataset, auto_collation, collate_fn, drop_last):
        self.dataset, self.auto_collation, self.collate_fn, self.drop_last = (
            dataset, auto_collation, collate_fn, drop_last)
        self.dataset_iter = iter(dataset)
        self.ended = False

    def fetch(self, index):
        if self.ended:
            raise StopIteration
        if self.auto_collation:
            data = []
            for _ in index:
                try:
                    data.append(next(self.dataset_iter))
                except StopIteration:
                    self.ended = True
                    break
            if len(data) == 0 or (self.drop_last and len(data) < len(index)):
                raise StopIteration
        else:
            data = next(self.dataset_iter)
        return self.collate_fn(data)


def create_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last):
    cls = _IterableDatasetFetcher if iterable else _MapDatasetFetcher
    return cls(dataset, auto_collation, collate_fn, drop_last)


def _generate_state(base_seed, worker_id):
    """PyTorch's NumPy seed for a worker: a SeedSequence-style hash of (worker_id, base_seed) into 4 words."""
    M = 0xFFFFFFFF
    entropy = [worker_id, base_seed & M, base_seed >> 32, 0]
    mult_a = [0x43B0D7E5]

    def hash_(v):
        v = (v ^ mult_a[0]) & M
        mult_a[0] = (mult_a[0] * 0x931E8875) & M
        v = (v * mult_a[0]) & M
        return (v ^ (v >> 16)) & M

    def mix(x, y):
        r = ((0xCA01F9DD * x) - (0x4973F715 * y)) & M
        return (r ^ (r >> 16)) & M

    pool = [hash_(e) for e in entropy]
    for i_src in range(4):
        for i_dst in range(4):
            if i_src != i_dst:
                pool[i_dst] = mix(pool[i_dst], hash_(pool[i_src]))
    mult_b = 0x8B51F9DD
    state = []
    for v in pool:
        v = (v ^ mult_b) & M
        mult_b = (mult_b * 0x58F38DED) & M
        v = (v * mult_b) & M
        state.append((v ^ (v >> 16)) & M)
    return state


BLAS_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
            "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def _limit_threads():
    # one thread per worker, as PyTorch's workers run: idle BLAS threads spin and steal the other workers' cores.
    # A forked child keeps the BLAS library already loaded, so its pool is resized through threadpoolctl when
    # that is installed; spawned children get the environment variables before NumPy loads (see dataloader.py).
    from ...ops._parallel import set_num_threads
    set_num_threads(1)
    for k in BLAS_ENV:
        os.environ[k] = "1"
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    try:
        threadpool_limits(1)
    except Exception:  # an unusual BLAS build must not stop the worker
        pass


def _seed(base_seed, worker_id):
    seed = base_seed + worker_id
    random.seed(seed)
    from ... import random as ember_random
    ember_random.manual_seed(seed)
    import numpy as np
    np.random.seed(_generate_state(base_seed, worker_id))
    return seed


def _worker_loop(iterable, dataset, index_queue, result_conn, auto_collation, collate_fn, drop_last, base_seed,
                 init_fn, worker_id, num_workers, arena, parent_pid):
    """Fetch batches for the tasks on ``index_queue`` until told to stop (None) or the main process is gone."""
    global _worker_info
    try:
        _limit_threads()
        seed = _seed(base_seed, worker_id)
        _worker_info = WorkerInfo(id=worker_id, num_workers=num_workers, seed=seed, dataset=dataset)
        where = f"in DataLoader worker process {worker_id}"
        init_exception = None
        fetcher = None
        try:
            if init_fn is not None:
                init_fn(worker_id)
            fetcher = create_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last)
        except Exception:
            init_exception = ExceptionWrapper(where=where)
        iteration_end = False
        while True:
            try:
                r = index_queue.get(timeout=_POLL)
            except queue.Empty:
                if os.getppid() != parent_pid:
                    break
                continue
            if r is None:
                break
            if isinstance(r, _ResumeIteration):
                iteration_end = False
                fetcher = create_fetcher(iterable, dataset, auto_collation, collate_fn, drop_last)
                result_conn.send_bytes(HEADER.pack(RESUME))
                continue
            if iteration_end:
                continue
            idx, index, slot = r
            writer = _shm.SlotWriter(arena, slot) if slot >= 0 else None
            _shm._current = writer
            try:
                if init_exception is not None:
                    data, init_exception = init_exception, None
                else:
                    data = fetcher.fetch(index)
            except StopIteration:
                if not iterable:
                    data = ExceptionWrapper(where=where)
                else:
                    data = _IterableDatasetStopIteration(worker_id)
                    iteration_end = True
            except Exception:
                data = ExceptionWrapper(where=where)
            finally:
                _shm._current = None
            try:
                payload = _shm.dumps(data, writer)
            except Exception:  # an unpicklable batch: report it like any other worker error
                payload = pickle.dumps(ExceptionWrapper(where=where))
            result_conn.send_bytes(HEADER.pack(idx) + payload)
            del data, r, index
    except KeyboardInterrupt:
        pass  # the main process sees the interrupt too and shuts the loader down
    except (BrokenPipeError, ConnectionResetError, EOFError):
        pass  # the main process is gone
