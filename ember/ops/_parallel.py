"""Intra-op parallelism for large elementwise kernels: PyTorch's ``set_num_threads`` counterpart.

NOTE [ threads ]: NumPy ufuncs run on one core but release the GIL, so a
large elementwise op split into contiguous chunks runs on several cores at
once. PyTorch does the same with OpenMP, which is why a 1M-element ``exp``
is ~2x faster there on two cores. Only inputs of at least ``_MIN_ELEMENTS``
are split (below that, handing work to a thread costs more than it saves);
BLAS keeps its own threads. Workers (DataLoader processes) call
``set_num_threads(1)``, as PyTorch's do.
"""
import os
import threading

import numpy as np

_MIN_ELEMENTS = 1 << 18


def _default_threads():
    env = os.environ.get("OMP_NUM_THREADS") or os.environ.get("EMBER_NUM_THREADS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


_threads = [_default_threads()]
_pool = [None]
_lock = threading.Lock()


def _after_fork_in_child():
    # a forked child (a DataLoader worker) has none of the parent's pool threads: start afresh
    global _lock
    _pool[0] = None
    _lock = threading.Lock()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)


def set_num_threads(n):
    """Threads ember may use inside one large op (``torch.set_num_threads``)."""
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise RuntimeError("set_num_threads expects a positive integer")
    _threads[0] = n


def get_num_threads():
    """Threads ember may use inside one large op (``torch.get_num_threads``)."""
    return _threads[0]


def _executor(n):
    from concurrent.futures import ThreadPoolExecutor
    with _lock:
        pool = _pool[0]
        if pool is None or pool._max_workers < n:
            if pool is not None:
                pool.shutdown(wait=False)
            pool = _pool[0] = ThreadPoolExecutor(max_workers=n, thread_name_prefix="ember-intraop")
    return pool


def elementwise(fn, x, out_dtype=None):
    """``fn(x)`` for a one-argument NumPy kernel, split across threads when ``x`` is large and contiguous."""
    n = _threads[0]
    if n == 1 or x.size < _MIN_ELEMENTS or not x.flags.c_contiguous:
        return fn(x)
    n = min(n, x.size // (_MIN_ELEMENTS // 2))
    flat = x.reshape(-1)
    if out_dtype is None:
        out_dtype = fn(flat[:1]).dtype  # what the kernel makes of this input (abs of complex is real ...)
    out = np.empty(x.shape, dtype=out_dtype)
    oflat = out.reshape(-1)
    step = -(-flat.size // n)
    is_ufunc = isinstance(fn, np.ufunc)

    def chunk(i):
        a, b = i * step, min((i + 1) * step, flat.size)
        if is_ufunc:
            fn(flat[a:b], out=oflat[a:b])
        else:
            oflat[a:b] = fn(flat[a:b])

    pool = _executor(n - 1)
    futures = [pool.submit(chunk, i) for i in range(1, n)]
    chunk(0)  # the calling thread takes the first share
    for f in futures:
        f.result()
    return out
