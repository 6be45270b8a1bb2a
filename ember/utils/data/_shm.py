"""Shared-memory batch transport between DataLoader workers and the main process.

NOTE [ batch slots ]: the main process maps one shared region (a memfd, or an
anonymous shared mapping under ``fork``) before starting the workers and cuts
it into fixed-size slots. Each task sent to a worker names a free slot; the
worker's collate stacks arrays straight into that slot (``alloc``) and the
result is pickled with large arrays replaced by (offset, shape, dtype)
references (``dumps``). The main process rebuilds those arrays as views of the
slot (``loads``), so a batch crosses processes without a copy and without a
new segment per batch (PyTorch makes a segment and passes a file descriptor
for every batch). A slot is handed out again only once every array viewing it
has been garbage collected (a finalizer on the per-batch base array), so a
batch the user keeps is never overwritten. With no free slot, or a batch too
big for one, arrays fall back to ordinary pickling.
"""
import io
import mmap
import os
import pickle
import weakref

import numpy as np

_ALIGN = 64
_MIN_BYTES = 2048          # smaller arrays pickle faster than they index
_current = None            # this worker's SlotWriter while it fetches a batch


class Arena:
    """``n_slots`` shared slots of ``slot_bytes`` each (pages are only allocated when written)."""

    def __init__(self, n_slots, slot_bytes, fd=None):
        self.n_slots, self.slot_bytes = n_slots, slot_bytes
        size = n_slots * slot_bytes
        self.fd = fd
        if fd is None and hasattr(os, "memfd_create"):
            fd = self.fd = os.memfd_create("ember-dataloader", os.MFD_CLOEXEC)
            os.ftruncate(fd, size)
        # a file mapping is MAP_SHARED; without memfd, an anonymous shared mapping (fork only)
        self.mm = mmap.mmap(-1 if fd is None else fd, size)
        self.u8 = np.frombuffer(self.mm, np.uint8)
        self.addr = self.u8.ctypes.data

    @staticmethod
    def create(n_slots, slot_bytes, start_method):
        """An arena the workers of ``start_method`` can reach, or None."""
        try:
            a = Arena(n_slots, slot_bytes)
        except (OSError, ValueError):
            return None
        if a.fd is None and start_method != "fork":
            return None
        return a

    def close_fd(self):
        """The mapping stays; the descriptor is only needed while workers start."""
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def __reduce__(self):
        # spawn/forkserver: DupFd at pickling time passes the memfd to the starting child
        from multiprocessing.reduction import DupFd
        return (_attach, (DupFd(self.fd), self.n_slots, self.slot_bytes))

    def lease(self, slot):
        """A fresh base array over ``slot``: every array rebuilt from it keeps it (and so the slot) alive."""
        return np.frombuffer(self.mm, np.uint8, self.slot_bytes, slot * self.slot_bytes)


def _attach(dupfd, n_slots, slot_bytes):
    fd = dupfd.detach()
    try:
        return Arena(n_slots, slot_bytes, fd=fd)
    finally:
        os.close(fd)


class SlotWriter:
    """A bump allocator over one slot, used by a worker for one batch."""

    __slots__ = ("arena", "start", "pos", "lo", "hi")

    def __init__(self, arena, slot):
        self.arena = arena
        self.start = slot * arena.slot_bytes
        self.pos = 0
        self.lo = arena.addr + self.start
        self.hi = self.lo + arena.slot_bytes

    def alloc(self, shape, dtype):
        dtype = np.dtype(dtype)
        n = dtype.itemsize
        for s in shape:
            n *= s
        pos = -(-self.pos // _ALIGN) * _ALIGN
        if pos + n > self.arena.slot_bytes:
            return None
        self.pos = pos + n
        b = self.start + pos
        return self.arena.u8[b:b + n].view(dtype).reshape(shape)


def alloc(shape, dtype):
    """An array in the current worker's batch slot, or None (main process, no slot, slot full)."""
    w = _current
    return None if w is None else w.alloc(shape, dtype)


class _Pickler(pickle.Pickler):
    def __init__(self, f, writer, tensor_type):
        super().__init__(f, pickle.HIGHEST_PROTOCOL)
        self.writer = writer
        self.tensor_type = tensor_type

    def persistent_id(self, obj):
        tp = type(obj)
        if tp is np.ndarray:
            arr, rg = obj, None
        elif tp is self.tensor_type and obj._grad_fn is None:
            arr, rg = obj._data, obj._requires_grad
        else:
            return None
        if arr.nbytes < _MIN_BYTES or arr.dtype.kind not in "biufc":
            return None
        w = self.writer
        addr = arr.__array_interface__["data"][0]
        if w.lo <= addr < w.hi and arr.flags.c_contiguous:
            off = addr - w.lo
        else:
            dst = w.alloc(arr.shape, arr.dtype)
            if dst is None:
                return None
            np.copyto(dst, arr)
            off = dst.__array_interface__["data"][0] - w.lo
        return (off, arr.shape, arr.dtype.str, rg)


def dumps(obj, writer):
    """Pickle ``obj``; with a writer, large arrays/tensors travel as references into its slot."""
    if writer is None:
        return pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)
    from ...tensor import Tensor
    f = io.BytesIO()
    _Pickler(f, writer, Tensor).dump(obj)
    return f.getvalue()


class _Unpickler(pickle.Unpickler):
    def __init__(self, f, arena, slot):
        super().__init__(f)
        self.arena, self.slot, self.base = arena, slot, None

    def persistent_load(self, pid):
        off, shape, dt, rg = pid
        if self.base is None:
            self.base = self.arena.lease(self.slot)
        dt = np.dtype(dt)
        n = dt.itemsize
        for s in shape:
            n *= s
        arr = self.base[off:off + n].view(dt).reshape(shape)
        if rg is None:
            return arr
        from ...autograd.function import _wrap
        t = _wrap(arr)
        if rg:
            t.requires_grad_(True)
        return t


def loads(data, arena, slot, free_slots):
    """Unpickle a worker's result; ``slot`` returns to ``free_slots`` once nothing views it."""
    if slot < 0:
        return pickle.loads(data)
    u = _Unpickler(io.BytesIO(data), arena, slot)
    try:
        obj = u.load()
    finally:
        if u.base is None:
            free_slots.append(slot)
        else:
            weakref.finalize(u.base, free_slots.append, slot)
    return obj
