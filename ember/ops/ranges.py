"""Range factories: arange, linspace, logspace (bit-identical to PyTorch's kernels), eye, tri-indices, meshgrid."""
import builtins
import math
import warnings

import numpy as np

from .. import dtypes as D
from ..device import check_cpu
from ._util import _wrap, is_tensor
from .creation import _as_dtype, _checked_scalar, _finish, _np, _round_to, _type_name


# ============================================================================ ranges
#
# PyTorch's CPU range kernels compute ``start + step * i`` in the accumulate type (double for float/double,
# float for Half/BFloat16) with fused multiply-adds, and their vectorised path works on 32-byte vectors: in
# blocks of two vectors, each vector is ``base + k * step`` from its own ``base`` (rounded to the dtype); the
# remainder (fewer than two vectors) takes the scalar formula. These helpers reproduce that exactly.

def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _split(a):
    t = 134217729.0 * a
    hi = t - (t - a)
    return hi, a - hi


def _fma64(a, b, c):
    """Correctly rounded float64 ``a * b + c`` (Dekker's exact product, a round-to-odd sum)."""
    a, b, c = np.broadcast_arrays(np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64))
    with np.errstate(all="ignore"):
        p = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        pe = ((ah * bh - p) + ah * bl + al * bh) + al * bl
        s, se = _two_sum(c, p)
        # sum the two error terms rounded to odd, so the final addition rounds once correctly
        t, te = _two_sum(se, pe)
        odd = (te != 0) & ((np.atleast_1d(t).view(np.uint64) & np.uint64(1)) == 0) & np.isfinite(t)
        if np.any(odd):
            t = np.where(odd, np.nextafter(t, np.where(te > 0, np.inf, -np.inf)), t)
        r = s + t
        bad = ~np.isfinite(p) | ~np.isfinite(c)
        if np.any(bad):
            r = np.where(bad, p + c, r)
    return r


def _fma_acc(a, b, c, acc32):
    """``fma(a, b, c)`` in the accumulate type: float64, or float32 (for Half/BFloat16)."""
    if not acc32:
        return _fma64(a, b, c)
    r = _fma64(np.float32(a) if np.ndim(a) == 0 else np.asarray(a, np.float32),
               np.asarray(b, np.float32), np.asarray(c, np.float32))
    return r.astype(np.float32)


def _vec_ramp(n, np_dt, first, block):
    """Indices split as the vectorised loop splits them: (vector base index, lane) for the vector part."""
    vs = builtins.max(1, 32 // np.dtype(np_dt).itemsize)
    nv = (n // (2 * vs)) * (2 * vs)
    i = np.arange(nv, dtype=np.int64)
    lane = i % vs
    return nv, i - lane, lane


_GRAIN_SIZE = 32768  # at::internal::GRAIN_SIZE


def _intraop_threads():
    """The thread count ``at::parallel_for`` splits over (PyTorch's default: the physical cores)."""
    import os
    env = os.environ.get("OMP_NUM_THREADS", "")
    if env.strip().isdigit() and int(env) > 0:
        return int(env)
    try:
        avail = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        avail = os.cpu_count() or 1
    try:
        cores = set()
        phys = core = None
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("physical id"):
                    phys = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    core = line.split(":")[1].strip()
                    cores.add((phys, core))
        if cores:
            return max(1, min(avail, len(cores)))
    except OSError:
        pass
    return max(1, avail)


def _chunks(n):
    """``at::parallel_for(0, n, GRAIN_SIZE)``'s per-thread ranges."""
    if n <= _GRAIN_SIZE:
        return [(0, n)]
    nt = min(_intraop_threads(), -(-n // _GRAIN_SIZE))
    size = -(-n // nt)
    return [(b, min(n, b + size)) for b in builtins.range(0, n, size)]


def _arange_float(start, step, n, np_dt):
    np_dt = np.dtype(np_dt)
    acc32 = np_dt.itemsize == 2  # Half/BFloat16 accumulate in float
    if acc32:
        start, step = float(np.float32(start)), float(np.float32(step))
    out = np.empty(n, np_dt)
    for lo, hi in _chunks(n):
        m = hi - lo
        nv, base_idx, lane = _vec_ramp(m, np_dt, start, step)
        if nv:
            base = _round_to(_fma_acc(step, (base_idx + lo).astype(np.float64), start, acc32), np_dt)
            out[lo:lo + nv] = _round_to(_fma_acc(lane.astype(np.float64), step, base.astype(np.float64), acc32), np_dt)
        if m > nv:
            out[lo + nv:hi] = _round_to(_fma_acc(step, np.arange(lo + nv, hi, dtype=np.float64), start, acc32), np_dt)
    return out


def _num(v):
    if is_tensor(v):
        return v.item()
    if isinstance(v, np.generic):
        return v.item()
    return v


def _fmt_double(v):
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return f"{v:g}"


def _trunc_int(v):
    """``Scalar::to<int64_t>()`` of a Python number (truncation toward zero)."""
    if isinstance(v, bool):
        return int(v)
    if isinstance(v, int):
        return v
    return int(math.trunc(v))


def arange(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False,
           pin_memory=False):
    if end is None:
        start, end = 0, start
    vals = [_num(v) for v in (start, end, step)]
    for v in vals:
        if isinstance(v, complex):
            raise RuntimeError("value cannot be converted to type double without overflow")
        if not isinstance(v, (int, float)):
            raise TypeError(f"arange() received an invalid combination of arguments - got ({type(v).__name__})")
    start, end, step = vals
    dtype = _as_dtype(dtype, "arange")
    if dtype is None:
        dtype = D.get_default_dtype() if any(isinstance(v, float) and not isinstance(v, bool) for v in vals) \
            else D.int64
    if dtype is D.bool or dtype.is_complex:
        raise NotImplementedError(f"\"arange_cpu\" not implemented for '{_type_name(dtype)}'")
    is_int = not dtype.is_floating_point
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is D.int64:
        # int64 checks and sizes the truncated (int64) bounds
        xstart, xend, xstep = _trunc_int(start), _trunc_int(end), _trunc_int(step)
        if xstep == 0:
            raise ValueError("step must be nonzero")
    else:
        xstart, xend, xstep = float(start), float(end), float(step)
    if not (math.isfinite(float(xstart)) and math.isfinite(float(xend))):
        raise RuntimeError(f"unsupported range: {_fmt_double(float(xstart))} -> {_fmt_double(float(xend))}")
    if not ((xstep > 0 and xend >= xstart) or (xstep < 0 and xend <= xstart)):
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    if dtype is D.int64:
        sgn = (xstep > 0) - (xstep < 0)
        num = xend - xstart + xstep - sgn
        q = abs(num) // abs(xstep)
        n = q if (num >= 0) == (xstep > 0) else -q
    else:
        size_d = math.ceil((float(end) - float(start)) / float(step))
        if not (0 <= size_d <= 2 ** 63 - 1):
            raise RuntimeError("invalid size, possible overflow?")
        n = int(size_d)
    if is_int:  # values accumulate in int64 from the truncated start and step
        xstart, xstep = _trunc_int(start), _trunc_int(step)
    n = builtins.max(0, n)
    if is_int:
        arr = (np.arange(n, dtype=np.int64) * np.int64(xstep) + np.int64(xstart)).astype(dtype.np)
    else:
        arr = _arange_float(xstart, xstep, n, dtype.np)
    return _finish(arr, requires_grad, device)


def range(start=0, end=None, step=1, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    warnings.warn("torch.range is deprecated and will be removed in a future release because its behavior is "
                  "inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in "
                  "[start, end).", UserWarning, stacklevel=2)
    if end is None:
        start, end = 0, start
    start, end, step = (_num(v) for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if not ((step > 0 and end >= start) or (step < 0 and end <= start)):
        raise RuntimeError("upper bound and larger bound inconsistent with step sign")
    n = int(math.floor((end - start) / step)) + 1
    dt = _as_dtype(dtype, "range") or D.get_default_dtype()
    if dt.is_floating_point:
        return _finish(_arange_float(float(start), float(step), n, dt.np), requires_grad, device)
    return _finish((np.arange(n, dtype=np.int64) * _trunc_int(step) + _trunc_int(start)).astype(dt.np), requires_grad,
                   device)


def _steps_arg(steps, fn):
    if is_tensor(steps):
        steps = steps.item()
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)):
        raise TypeError(f"{fn}() received an invalid combination of arguments - got steps of type "
                        f"{type(steps).__name__}, but expected int")
    steps = int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    return steps


def _endpoint(v, which, fn):
    if is_tensor(v):
        if v.ndim != 0:
            raise RuntimeError(f"{fn} only supports 0-dimensional start and end tensors, but got {which} with "
                               f"{v.ndim} dimension(s).")
        return v.item()
    return _num(v)


def _lin_dtype(start, end, dtype, fn):
    dtype = _as_dtype(dtype, fn)
    if dtype is not None:
        return dtype
    if isinstance(start, complex) or isinstance(end, complex):
        return D.default_complex()
    return D.get_default_dtype()


def _ops(np_dt):
    """Arithmetic of one scalar type (each operation rounded to it), with fma for float/double."""
    np_dt = np.dtype(np_dt)
    if np_dt == np.float64:
        return lambda a, b, c: _fma64(a, b, c)
    if np_dt == np.float32:
        return lambda a, b, c: _fma64(np.asarray(a, np.float32), np.asarray(b, np.float32),
                                      np.asarray(c, np.float32)).astype(np.float32)
    # Half/BFloat16 (c10 ops go through float and round back) and complex: plain numpy arithmetic
    return lambda a, b, c: (np.asarray(a, np_dt) * np.asarray(b, np_dt) + np.asarray(c, np_dt)).astype(np_dt)


def _half_ops(np_dt):
    """c10::Half/BFloat16 arithmetic: every operation computed in float and rounded back."""
    def r(x):
        return np.asarray(x, np.float32).astype(np_dt)
    return r


def linspace(start, end, steps, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    """PyTorch's CPU ``linspace`` kernel: from ``start`` for the first half, from ``end`` for the rest."""
    start = _endpoint(start, "start", "linspace")
    end = _endpoint(end, "end", "linspace")
    n = _steps_arg(steps, "linspace")
    dt = _lin_dtype(start, end, dtype, "linspace")
    if dt is D.bool:
        raise NotImplementedError("\"linspace_cpu\" not implemented for 'Bool'")
    _checked_scalar(start, dt, "linspace")
    _checked_scalar(end, dt, "linspace")
    tnp = dt.np
    if n == 0:
        return _finish(np.empty(0, tnp), requires_grad, device)
    idx = np.arange(n)
    half = n // 2
    lo = idx < half
    rev = n - idx - 1
    if dt.is_floating_point and tnp.itemsize == 2:  # Half/BFloat16: scalar_t arithmetic, rounded per operation
        r = _half_ops(tnp)
        s, e = r(_round_to(np.asarray(start, np.float64), tnp)), r(_round_to(np.asarray(end, np.float64), tnp))
        if n == 1:
            return _finish(np.array([s], dtype=tnp), requires_grad, device)
        f32 = np.float32
        step = r(r(f32(e) - f32(s)).astype(f32) / r(f32(n - 1)).astype(f32))
        sf, ef, stf = f32(s), f32(e), step.astype(f32)
        a = r(sf + r(stf * r(idx.astype(f32)).astype(f32)).astype(f32))
        b = r(ef - r(stf * r(rev.astype(f32)).astype(f32)).astype(f32))
        return _finish(np.where(lo, a, b).astype(tnp), requires_grad, device)
    if dt.is_floating_point:
        s, e = np.asarray(start).astype(tnp), np.asarray(end).astype(tnp)
        if n == 1:
            return _finish(np.array([s], dtype=tnp), requires_grad, device)
        step = ((e - s) / np.asarray(n - 1).astype(tnp)).astype(tnp)
        a = _fma64(step, idx.astype(tnp), s).astype(tnp)
        b = _fma64(-step, rev.astype(tnp), e).astype(tnp)
        return _finish(np.where(lo, a, b).astype(tnp), requires_grad, device)
    if dt.is_complex:
        s, e = np.asarray(start).astype(tnp), np.asarray(end).astype(tnp)
        if n == 1:
            return _finish(np.array([s], dtype=tnp), requires_grad, device)
        step = ((e - s) / np.asarray(n - 1).astype(tnp)).astype(tnp)
        vals = np.where(lo, s + step * idx.astype(tnp), e - step * rev.astype(tnp))
        return _finish(vals.astype(tnp), requires_grad, device)
    # integral types: start/end converted to the type, the step and values computed in double, truncated
    s, e = _trunc_int(start), _trunc_int(end)
    if n == 1:
        return _finish(np.array([s]).astype(tnp), requires_grad, device)
    step = (float(e) - float(s)) / (n - 1)
    vals = np.where(lo, _fma64(step, idx.astype(np.float64), float(s)), _fma64(-step, rev.astype(np.float64), float(e)))
    return _finish(np.trunc(vals).astype(np.int64).astype(tnp), requires_grad, device)


def logspace(start, end, steps, base=10.0, *, out=None, dtype=None, layout=None, device=None, requires_grad=False):
    start = _endpoint(start, "start", "logspace")
    end = _endpoint(end, "end", "logspace")
    n = _steps_arg(steps, "logspace")
    dt = _lin_dtype(start, end, dtype, "logspace")
    _checked_scalar(start, dt, "logspace")
    _checked_scalar(end, dt, "logspace")
    tnp = dt.np
    if n == 0:
        return _finish(np.empty(0, tnp), requires_grad, device)
    if dt.is_floating_point or dt.is_complex:
        s, e = np.asarray(start).astype(tnp), np.asarray(end).astype(tnp)
        if n == 1:
            expo = np.array([s])
        else:
            step = ((e - s) / np.asarray(n - 1).astype(tnp)).astype(tnp)
            idx = np.arange(n)
            fma = _ops(tnp)
            expo = np.where(idx < n // 2, fma(step, idx.astype(tnp), s), fma(-step, (n - idx - 1).astype(tnp), e))
        wide = np.complex128 if dt.is_complex else np.float64
        return _finish(_round_to(np.power(np.asarray(base, wide), expo.astype(wide)), tnp), requires_grad, device)
    s, e = _trunc_int(start), _trunc_int(end)
    if n == 1:
        expo = np.array([float(s)])
    else:
        step = (float(e) - float(s)) / (n - 1)
        idx = np.arange(n)
        expo = np.where(idx < n // 2, s + step * idx, e - step * (n - idx - 1))
    return _finish(np.trunc(np.power(float(base), expo)).astype(np.int64).astype(tnp), requires_grad, device)


def eye(n, m=None, *, out=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False):
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m is not None and m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    return _finish(np.eye(n, m, dtype=_np(dtype, fn="eye")), requires_grad, device)


def _tri_indices(name, row, col, offset, dtype, device, upper):
    check_cpu(device)
    dt = _as_dtype(dtype, name) or D.int64
    if dt not in (D.int64, D.int32):
        raise NotImplementedError(f"\"{name}\" not implemented for '{_type_name(dt)}'")
    if row < 0:
        raise RuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise RuntimeError(f"col must be non-negative, got{col}")
    r, c = (np.triu_indices if upper else np.tril_indices)(row, offset, col)
    return _wrap(np.stack([r, c]).astype(dt.np).reshape(2, -1))


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices("tril_indices", row, col, offset, dtype, device, False)


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None):
    return _tri_indices("triu_indices", row, col, offset, dtype, device, True)


def meshgrid(*tensors, indexing=None):
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if not tensors:
        raise RuntimeError("meshgrid expects a non-empty TensorList")
    if indexing is None:
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but received: {indexing}")
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got: {t}")
    if any(t.dtype is not tensors[0].dtype for t in tensors):
        raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    n = len(tensors)
    swap = indexing == "xy" and n >= 2
    shape = [t.numel() for t in tensors]
    if swap:
        shape[0], shape[1] = shape[1], shape[0]
    outs = []
    for i, t in enumerate(tensors):
        view = [1] * n
        j = (1 - i) if swap and i < 2 else i
        view[j] = -1
        outs.append(t.reshape(view).expand(shape))
    return tuple(outs)


def cartesian_prod(*tensors):
    grids = meshgrid(*tensors, indexing="ij")
    from .shape import stack
    if len(tensors) == 1:
        return tensors[0]
    return stack([g.reshape(-1) for g in grids], 1)
