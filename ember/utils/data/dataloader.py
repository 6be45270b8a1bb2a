"""``DataLoader``: batches from a dataset, in this process or in worker processes.

Multi-process loading (NOTE [ batch slots ] in _shm.py has the transport): index batches go to each
worker's queue round-robin, at most ``prefetch_factor * num_workers`` in flight; each worker answers on
its own pipe; the main process waits on those pipes and on the workers' process sentinels together, so
a worker that dies is noticed at once instead of by polling.
"""
import itertools
import math
import os
import warnings
from collections import deque

from . import _collate, _worker
from .dataset import IterableDataset
from .sampler import BatchSampler, RandomSampler, Sampler, SequentialSampler

__all__ = ["DataLoader", "get_worker_info", "default_collate", "default_convert"]

default_collate = _collate.default_collate
default_convert = _collate.default_convert
get_worker_info = _worker.get_worker_info

_SLOT_BYTES = 64 << 20     # virtual size of one batch slot; pages cost memory only once written
_SHUTDOWN_GRACE = 5.0      # seconds idle workers get to exit before they are terminated

# NOTE [ shutdown from the garbage collector ]: an iterator caught in a reference cycle (an exception's
# traceback holding its frame, say) is finalised by the collector, which first clears weak references and so
# runs the multiprocessing queues' own finalizers: those stop the feeder threads, and a "stop" put on a queue
# afterwards would never reach its worker. Live iterators' queues and pipes are therefore kept reachable from
# here until their workers are shut down.
_live_channels = {}


class _InfiniteConstantSampler(Sampler):
    """Endless Nones: the 'indices' for an IterableDataset."""

    def __iter__(self):
        while True:
            yield None


def _cpu_count():
    if hasattr(os, "sched_getaffinity"):
        try:
            return len(os.sched_getaffinity(0))
        except OSError:
            pass
    return os.cpu_count()


class DataLoader:
    """Combines a dataset and a sampler and iterates over batches, optionally with worker processes."""

    _DataLoader__initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if num_workers < 0:
            raise ValueError("num_workers option should be non-negative; use num_workers=0 to disable "
                             "multiprocessing.")
        if timeout < 0:
            raise ValueError("timeout option should be non-negative")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("prefetch_factor option could only be specified in multiprocessing.let num_workers "
                             "> 0 to enable multiprocessing, otherwise set prefetch_factor to None.")
        elif num_workers > 0 and prefetch_factor is None:
            prefetch_factor = 2
        elif prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
        if persistent_workers and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

        self.dataset = dataset
        self.num_workers = num_workers
        self.prefetch_factor = prefetch_factor
        self.pin_memory = pin_memory
        self.pin_memory_device = pin_memory_device
        self.timeout = timeout
        self.worker_init_fn = worker_init_fn
        self.multiprocessing_context = multiprocessing_context
        self.in_order = in_order

        if isinstance(dataset, IterableDataset):
            self._iterable = True
            if shuffle not in {False, None}:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified shuffle option, but got "
                                 f"shuffle={shuffle}")
            if sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified sampler option, but got "
                                 f"sampler={sampler}")
            if batch_sampler is not None:
                raise ValueError(f"DataLoader with IterableDataset: expected unspecified batch_sampler option, "
                                 f"but got batch_sampler={batch_sampler}")
        else:
            shuffle = bool(shuffle)
            self._iterable = False

        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("batch_sampler option is mutually exclusive with batch_size, shuffle, sampler, "
                                 "and drop_last")
            batch_size = None
            drop_last = False
        elif batch_size is None and drop_last:
            raise ValueError("batch_size=None option disables auto-batching and is mutually exclusive with "
                             "drop_last")

        if sampler is None:
            if self._iterable:
                sampler = _InfiniteConstantSampler()
            elif shuffle:
                sampler = RandomSampler(dataset, generator=generator)
            else:
                sampler = SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)

        self.batch_size = batch_size
        self.drop_last = drop_last
        self.sampler = sampler
        self.batch_sampler = batch_sampler
        self.generator = generator
        if collate_fn is None:
            collate_fn = default_collate if self._auto_collation else default_convert
        self.collate_fn = collate_fn
        self.persistent_workers = persistent_workers
        self.__initialized = True
        self._IterableDataset_len_called = None
        self._iterator = None
        self.check_worker_number_rationality()

    # ------------------------------------------------------------------ configuration
    @property
    def multiprocessing_context(self):
        return self.__multiprocessing_context

    @multiprocessing_context.setter
    def multiprocessing_context(self, ctx):
        if ctx is not None:
            if self.num_workers <= 0:
                raise ValueError("multiprocessing_context can only be used with multi-process loading "
                                 f"(num_workers > 0), but got num_workers={self.num_workers}")
            import multiprocessing
            if isinstance(ctx, str):
                valid = multiprocessing.get_all_start_methods()
                if ctx not in valid:
                    raise ValueError(f"multiprocessing_context option should specify a valid start method in "
                                     f"{valid!r}, but got multiprocessing_context={ctx!r}")
                ctx = multiprocessing.get_context(ctx)
            if not isinstance(ctx, multiprocessing.context.BaseContext):
                raise TypeError("multiprocessing_context option should be a valid context object or a string "
                                f"specifying the start method, but got multiprocessing_context={ctx}")
        self.__multiprocessing_context = ctx

    def __setattr__(self, attr, val):
        if self.__initialized and attr in ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                           "persistent_workers"):
            raise ValueError(f"{attr} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(attr, val)

    @property
    def _auto_collation(self):
        return self.batch_sampler is not None

    @property
    def _index_sampler(self):
        return self.batch_sampler if self._auto_collation else self.sampler

    def check_worker_number_rationality(self):
        """Warn when more workers are asked for than this process may run on cores."""
        if not self.num_workers:
            return
        suggest = _cpu_count()
        if suggest is None or self.num_workers > suggest:
            checked = hasattr(os, "sched_getaffinity")
            detail = (("Our suggested max number of worker in current system is {}{}, which is smaller than what "
                       "this DataLoader is going to create.").format(
                           suggest, "" if checked else " (`cpuset` is not taken into account)")
                      if suggest is not None else
                      "DataLoader is not able to compute a suggested max number of worker in current system.")
            warnings.warn(f"This DataLoader will create {self.num_workers} worker processes in total. {detail} "
                          "Please be aware that excessive worker creation might get DataLoader running slow or even "
                          "freeze, lower the worker number to avoid potential slowness/freeze if necessary.",
                          stacklevel=2)

    # ------------------------------------------------------------------ iteration
    def _get_iterator(self):
        if self.num_workers == 0:
            return _SingleProcessDataLoaderIter(self)
        self.check_worker_number_rationality()
        return _MultiProcessingDataLoaderIter(self)

    def __iter__(self):
        if self.persistent_workers and self.num_workers > 0:
            if self._iterator is None:
                self._iterator = self._get_iterator()
            else:
                self._iterator._reset(self)
            return self._iterator
        return self._get_iterator()

    def __len__(self):
        if self._iterable:
            length = self._IterableDataset_len_called = len(self.dataset)
            if self.batch_size is not None:
                length = length // self.batch_size if self.drop_last else math.ceil(length / self.batch_size)
            return length
        return len(self._index_sampler)


class _BaseDataLoaderIter:
    def __init__(self, loader):
        self._dataset = loader.dataset
        self._iterable = loader._iterable
        self._IterableDataset_len_called = loader._IterableDataset_len_called
        self._auto_collation = loader._auto_collation
        self._drop_last = loader.drop_last
        self._index_sampler = loader._index_sampler
        self._num_workers = loader.num_workers
        if loader.pin_memory:
            warnings.warn("'pin_memory' argument is set as true but no accelerator is found, then device pinned "
                          "memory won't be used.", stacklevel=3)
        self._timeout = loader.timeout
        self._collate_fn = loader.collate_fn
        self._sampler_iter = iter(self._index_sampler)
        # drawn after the sampler's iterator exists and before its first index, as PyTorch orders the draws
        from ...ops.creation import empty
        from ... import dtypes
        self._base_seed = empty((), dtype=dtypes.int64).random_(generator=loader.generator).item()
        self._persistent_workers = loader.persistent_workers
        self._num_yielded = 0

    def __iter__(self):
        return self

    def _reset(self, loader, first_iter=False):
        self._sampler_iter = iter(self._index_sampler)
        self._num_yielded = 0
        self._IterableDataset_len_called = loader._IterableDataset_len_called

    def _next_index(self):
        return next(self._sampler_iter)

    def _next_data(self):
        raise NotImplementedError

    def __next__(self):
        data = self._next_data()
        self._num_yielded += 1
        if (self._iterable and self._IterableDataset_len_called is not None
                and self._num_yielded > self._IterableDataset_len_called):
            msg = (f"Length of IterableDataset {self._dataset} was reported to be {self._IterableDataset_len_called}"
                   f"(when accessing len(dataloader)), but {self._num_yielded} samples have been fetched. ")
            if self._num_workers > 0:
                msg += ("For multiprocessing data-loading, this could be caused by not properly configuring the "
                        "IterableDataset replica at each worker. Please see "
                        "https://pytorch.org/docs/stable/data.html#torch.utils.data.IterableDataset for examples.")
            warnings.warn(msg, stacklevel=2)
        return data

    def __len__(self):
        return len(self._index_sampler)

    def __getstate__(self):
        raise NotImplementedError("{} cannot be pickled", type(self).__name__)


class _SingleProcessDataLoaderIter(_BaseDataLoaderIter):
    def __init__(self, loader):
        super().__init__(loader)
        if self._timeout != 0:
            raise AssertionError("_SingleProcessDataLoaderIter requires timeout == 0")
        self._fetcher = _worker.create_fetcher(self._iterable, self._dataset, self._auto_collation,
                                               self._collate_fn, self._drop_last)

    def _next_data(self):
        index = self._next_index()
        return self._fetcher.fetch(index)


class _MultiProcessingDataLoaderIter(_BaseDataLoaderIter):
    """Batches from worker processes: in order (or as they come), shared-memory slots, fail-fast on dead workers."""

    def __init__(self, loader):
        self._shutdown = True  # until the workers exist, __del__ has nothing to stop
        super().__init__(loader)
        import multiprocessing
        from . import _shm
        n = self._num_workers
        self._prefetch_factor = loader.prefetch_factor
        if self._prefetch_factor <= 0:
            raise AssertionError("prefetch_factor must be greater than 0 for MultiProcessingDataLoaderIter")
        self._in_order = loader.in_order
        ctx = loader.multiprocessing_context or multiprocessing.get_context()
        method = ctx.get_start_method()
        # enough slots for every batch in flight plus a few the caller still holds
        n_slots = self._prefetch_factor * n + n + 2
        self._arena = _shm.Arena.create(n_slots, _SLOT_BYTES, method)
        self._free_slots = deque(range(n_slots) if self._arena is not None else ())
        self._workers, self._index_queues, self._conns = [], [], []
        self._stopped = [False] * n
        self._task_info = {}
        saved = {}
        if method != "fork":
            # a fresh interpreter reads these when its BLAS loads: one thread per worker
            for k in _worker.BLAS_ENV:
                saved[k] = os.environ.get(k)
                os.environ[k] = "1"
        self._shutdown = False
        try:
            for i in range(n):
                iq = ctx.Queue()
                iq.cancel_join_thread()
                r, w = ctx.Pipe(duplex=False)
                p = ctx.Process(target=_worker._worker_loop, daemon=True,
                                args=(self._iterable, self._dataset, iq, w, self._auto_collation, self._collate_fn,
                                      self._drop_last, self._base_seed, loader.worker_init_fn, i, n, self._arena,
                                      os.getpid()))
                self._index_queues.append(iq)
                p.start()
                self._workers.append(p)
                w.close()  # only the worker writes: its death closes the pipe
                self._conns.append(r)
        except BaseException:
            self._shutdown_workers(grace=0)
            raise
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
            if self._arena is not None:
                self._arena.close_fd()
        _live_channels[id(self)] = (self._index_queues, self._conns)
        self._conn_ids = {c: i for i, c in enumerate(self._conns)}
        self._open = set(range(n))
        self._grace = _SHUTDOWN_GRACE
        self._reset(loader, first_iter=True)

    def _reset(self, loader, first_iter=False):
        super()._reset(loader, first_iter)
        n = self._num_workers
        old = self._task_info
        self._send_idx = 0
        self._rcvd_idx = 0
        self._task_info = {}
        self._tasks_outstanding = 0
        self._workers_status = [True] * n
        self._workers_num_tasks = [0] * n
        self._worker_queue_idx_cycle = itertools.cycle(range(n))
        if not first_iter:
            for q in self._index_queues:
                q.put(_worker._ResumeIteration())
            pending = n
            while pending > 0:
                _, msg = self._recv()
                if _worker.HEADER.unpack_from(msg)[0] == _worker.RESUME:
                    pending -= 1
            # every task sent before the resume is answered or dropped by now: its slot is free again
            for info in old.values():
                if len(info) == 2 and info[1] >= 0:
                    self._free_slots.append(info[1])
        for _ in range(self._prefetch_factor * n):
            self._try_put_index()

    # ------------------------------------------------------------------ receiving
    def _recv(self):
        """The next raw message from any worker, raising on a timeout or on a worker that died."""
        from multiprocessing.connection import wait
        timeout = self._timeout if self._timeout > 0 else None
        while True:
            watch = [self._conns[i] for i in self._open]
            watch += [w.sentinel for i, w in enumerate(self._workers) if not self._stopped[i]]
            if not watch:
                raise RuntimeError("DataLoader has no live worker left to wait for")
            ready = wait(watch, timeout)
            if not ready:
                self._grace = 0.0  # a stuck worker will not answer a polite stop either
                raise RuntimeError(f"DataLoader timed out after {self._timeout} seconds")
            for obj in ready:
                wid = self._conn_ids.get(obj)
                if wid is None:
                    continue
                try:
                    return wid, obj.recv_bytes()
                except (EOFError, OSError):
                    self._open.discard(wid)
            self._raise_if_dead()

    def _raise_if_dead(self):
        dead = []
        for i, w in enumerate(self._workers):
            if not self._stopped[i] and (i not in self._open or not w.is_alive()):
                w.join(timeout=1.0)
                if not w.is_alive():
                    dead.append(w)
                    self._workers_status[i] = False
                    self._stopped[i] = True
        if dead:
            pids = ", ".join(str(w.pid) for w in dead)
            raise RuntimeError(f"DataLoader worker (pid(s) {pids}) exited unexpectedly")

    def _get_data(self):
        from . import _shm
        _, msg = self._recv()
        idx = _worker.HEADER.unpack_from(msg)[0]
        slot = self._task_info[idx][1]
        return idx, _shm.loads(memoryview(msg)[_worker.HEADER.size:], self._arena, slot, self._free_slots)

    def _next_data(self):
        while True:
            # skip tasks whose worker stopped without answering (an exhausted IterableDataset replica)
            while self._rcvd_idx < self._send_idx:
                info = self._task_info.get(self._rcvd_idx)
                if info:
                    if len(info) == 3 or self._workers_status[info[0]]:
                        break
                    del self._task_info[self._rcvd_idx]
                    if info[1] >= 0:
                        self._free_slots.append(info[1])
                self._rcvd_idx += 1
            else:
                if not self._persistent_workers:
                    self._shutdown_workers()
                raise StopIteration
            if len(self._task_info[self._rcvd_idx]) == 3:
                wid, _, data = self._task_info.pop(self._rcvd_idx)
                self._rcvd_idx += 1
                return self._process_data(data, wid)
            idx, data = self._get_data()
            self._tasks_outstanding -= 1
            if self._iterable and isinstance(data, _worker._IterableDatasetStopIteration):
                if self._persistent_workers:
                    self._workers_status[data.worker_id] = False
                else:
                    self._mark_worker_as_unavailable(data.worker_id)
                self._try_put_index()
                continue
            if idx != self._rcvd_idx:
                if not self._in_order:
                    return self._process_data(data, self._task_info.pop(idx)[0])
                self._task_info[idx] += (data,)
            else:
                wid = self._task_info.pop(idx)[0]
                self._rcvd_idx += 1
                return self._process_data(data, wid)

    def _process_data(self, data, worker_id):
        self._workers_num_tasks[worker_id] -= 1
        self._try_put_index()
        if isinstance(data, _worker.ExceptionWrapper):
            data.reraise()
        return data

    # ------------------------------------------------------------------ sending
    def _try_put_index(self):
        n = self._num_workers
        max_tasks = self._prefetch_factor * n
        try:
            index = self._next_index()
        except StopIteration:
            return
        for _ in range(n):
            wq = next(self._worker_queue_idx_cycle)
            if self._workers_status[wq]:
                if self._in_order or self._workers_num_tasks[wq] < max_tasks // sum(self._workers_status):
                    break
        else:
            return
        slot = self._free_slots.popleft() if self._free_slots else -1
        self._index_queues[wq].put((self._send_idx, index, slot))
        self._task_info[self._send_idx] = (wq, slot)
        self._workers_num_tasks[wq] += 1
        self._tasks_outstanding += 1
        self._send_idx += 1

    # ------------------------------------------------------------------ shutdown
    def _mark_worker_as_unavailable(self, worker_id):
        self._index_queues[worker_id].put(None)
        self._workers_status[worker_id] = False
        self._stopped[worker_id] = True

    def _shutdown_workers(self, grace=None):
        """Stop every worker: ask politely, wait up to ``grace`` seconds, then terminate; reap them all."""
        if self._shutdown:
            return
        self._shutdown = True
        import time
        grace = self._grace if grace is None else grace
        try:
            for i, q in enumerate(self._index_queues):
                if not self._stopped[i]:
                    self._stopped[i] = True
                    q.put(None)
            deadline = time.monotonic() + grace
            for w in self._workers:
                w.join(max(0.0, deadline - time.monotonic()))
        finally:
            for w in self._workers:
                if w.is_alive():
                    w.terminate()
                    w.join(1.0)
                if w.is_alive():
                    w.kill()
                    w.join()
            for q in self._index_queues:
                q.cancel_join_thread()
                q.close()
            for c in self._conns:
                c.close()
            self._open = set()
            _live_channels.pop(id(self), None)

    def __del__(self):
        try:
            self._shutdown_workers()
        except Exception:  # interpreter teardown: multiprocessing has already reaped its daemons
            pass


class _DatasetKind:
    """PyTorch's constants for the two dataset kinds."""

    Map = 0
    Iterable = 1
