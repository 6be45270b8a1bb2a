"""PyTorch's CPU sampling recipes on raw mt19937 words (see ``ember/random.py``).

Each sampler consumes the generator exactly as PyTorch does for a fresh
contiguous tensor of the same shape and dtype, and returns a NumPy array.
"""
import math
import operator

import numpy as np

from ._rng_math import _F32, _box_muller16_f32, _box_muller16_f64, _fma32, _fma64, _libm, _log1p
from .random import (_MASK24, _MASK53, _REDUCED, _TWO_PI, _U64, _check_floating, _cpp_name, _dt,
                     _float_limits, _from_f64, _gen, _numel, _scalar_type_name, _shape)


# ----------------------------------------------------------------------------------------------
# samplers
# ----------------------------------------------------------------------------------------------
def _u24(gen, n):
    return (gen._words(n) & _MASK24).astype(np.float32) * _F32(2.0 ** -24)


def _u53(gen, n):
    return (gen._words64(n) & _MASK53).astype(np.float64) * (2.0 ** -53)


def _complex_parts(dt):
    return {"complex64": np.dtype(np.float32), "complex128": np.dtype(np.float64)}.get(dt.name)


def uniform(generator, shape, low=0.0, high=1.0, np_dtype=np.float32):
    """``torch.empty(shape, dtype).uniform_(low, high)`` on a fresh contiguous tensor."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    part = _complex_parts(dt)
    if part is not None:   # complex: uniform_ on view_as_real
        out = uniform(gen, shape + (2,), low, high, part)
        return np.ascontiguousarray(out).view(dt).reshape(shape)
    if dt.kind != "f" and dt.name != "bfloat16":
        raise NotImplementedError(f"\"check_uniform_bounds\" not implemented for "
                                  f"'{_scalar_type_name(dt)}'")
    low, high = float(low), float(high)
    lo_lim, hi_lim, _ = _float_limits(dt)
    if not lo_lim <= low <= hi_lim:
        raise RuntimeError(f"from is out of bounds for {_cpp_name(dt)}")
    if not lo_lim <= high <= hi_lim:
        raise RuntimeError(f"to is out of bounds for {_cpp_name(dt)}")
    if low > high:
        raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                           f"from={low:g} > to={high:g}")
    if high - low > hi_lim:
        raise RuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{_scalar_type_name(dt)}>::max(), "
            f"but found to={high:g} and from={low:g} which result in to-from to exceed the limit")
    n = _numel(shape)
    with gen._lock:
        if dt == np.float64:
            x = _u53(gen, n)
            if (low, high) != (0.0, 1.0):
                x = _fma64(x, high - low, low)
                x[x == high] = low
            return x.reshape(shape)
        x = _u24(gen, n)
    if dt == np.float32:
        f, t = _F32(low), _F32(high)
        if (low, high) != (0.0, 1.0):
            with np.errstate(over="ignore"):
                x = _fma32(x, t - f, f)
            x[x == t] = f
        return x.reshape(shape)
    # float16 / bfloat16: computed in float32 with float32 bounds, then rounded
    f, t = _F32(low), _F32(high)
    if (low, high) != (0.0, 1.0):
        with np.errstate(over="ignore"):
            x = _fma32(x, t - f, f)
    r = x.astype(dt)
    t_r = np.array(high, np.float32).astype(dt)
    r[r == t_r] = np.array(low, np.float32).astype(dt)
    return r.reshape(shape)


def _normal_serial(gen, n):
    """``n`` draws of ``at::normal_distribution<double>(0, 1)`` (uses and refills the cache)."""
    head = []
    if n > 0 and gen._next_double_normal is not None:
        head = [gen._next_double_normal]
        gen._next_double_normal = None
    need = n - len(head)
    pairs = (need + 1) // 2
    out = np.empty(n, np.float64)
    out[:len(head)] = head
    if pairs:
        v = _u53(gen, 2 * pairs).reshape(pairs, 2)
        u1, u2 = v[:, 0], v[:, 1]
        r = np.sqrt(-2.0 * _log1p(-u2))
        theta = _TWO_PI * u1
        seq = np.empty((pairs, 2), np.float64)
        seq[:, 0] = r * _libm("cos")(theta)
        seq[:, 1] = r * _libm("sin")(theta)
        seq = seq.reshape(-1)
        out[len(head):] = seq[:need]
        if need % 2:
            gen._next_double_normal = float(seq[-1])
    return out


def normal(generator, shape, mean=0.0, std=1.0, np_dtype=np.float32, contiguous=True):
    """``torch.empty(shape, dtype).normal_(mean, std)``.

    ``contiguous=False`` gives what ``normal_`` does on a non-contiguous tensor (the
    serial path, values in the tensor's iteration order)."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    mean, std = float(mean), float(std)
    if not std >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    part = _complex_parts(dt)
    if part is not None:   # complex: normal_ on view_as_real with std / sqrt(2)
        out = normal(gen, shape + (2,), mean, std / math.sqrt(2.0), part, contiguous)
        return np.ascontiguousarray(out).view(dt).reshape(shape)
    _check_floating(dt, "normal_kernel_cpu")
    n = _numel(shape)
    with gen._lock:
        if n >= 16 and contiguous:
            full, tail = divmod(n, 16)
            if dt == np.float64:
                x = _u53(gen, n)
                out = np.empty(n, np.float64)
                out[:16 * full] = _box_muller16_f64(x[:16 * full].reshape(-1, 16),
                                                    mean, std).reshape(-1)
                if tail:
                    out[n - 16:] = _box_muller16_f64(_u53(gen, 16).reshape(1, 16),
                                                     mean, std).reshape(-1)
                return out.reshape(shape)
            if dt == np.float32:
                x = _u24(gen, n)
                out = np.empty(n, np.float32)
                out[:16 * full] = _box_muller16_f32(x[:16 * full].reshape(-1, 16),
                                                    _F32(mean), _F32(std)).reshape(-1)
                if tail:
                    out[n - 16:] = _box_muller16_f32(_u24(gen, 16).reshape(1, 16),
                                                     _F32(mean), _F32(std)).reshape(-1)
                return out.reshape(shape)
            # float16 / bfloat16: float32 kernel over a buffer padded to a multiple of 16
            blocks = full + (1 if tail else 0)
            x = _u24(gen, 16 * blocks)
            res = _box_muller16_f32(x.reshape(-1, 16), _F32(mean), _F32(std)).reshape(-1)
            out = np.empty(n, np.float32)
            out[:16 * full] = res[:16 * full]
            if tail:
                out[n - 16:] = res[-16:]
            return out.astype(dt).reshape(shape)
        vals = _normal_serial(gen, n)
    vals = vals + mean if std == 1.0 else _fma64(vals, std, mean)
    return _from_f64(vals, dt).reshape(shape)


def normal_tensor(generator, mean, std, np_dtype=None):
    """``torch.normal(mean, std)`` where either argument may be an array (or a scalar)."""
    gen = _gen(generator)
    mean_is_t = isinstance(mean, np.ndarray)
    std_is_t = isinstance(std, np.ndarray)
    if std_is_t:
        if std.size and not bool(np.all(std >= 0)):
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif not float(std) >= 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {float(std):g}")
    if np_dtype is None:
        arrays = [a for a in (mean, std) if isinstance(a, np.ndarray)]
        np_dtype = np.result_type(*arrays) if arrays else np.float32
    dt = _dt(np_dtype)
    shape = np.broadcast_shapes(np.shape(mean) if mean_is_t else (),
                                np.shape(std) if std_is_t else ())
    if not (mean_is_t or std_is_t):
        return normal(gen, shape, float(mean), float(std), dt)
    if not std_is_t:   # normal_(0, std) then add_(mean)
        out = normal(gen, shape, 0.0, float(std), dt)
    else:              # normal_(0, 1), mul_(std), add_(mean)
        out = normal(gen, shape, 0.0, 1.0, dt)
        out = (out * np.asarray(std).astype(dt)).astype(dt)
    mean_arr = np.asarray(mean).astype(dt) if mean_is_t else np.asarray(mean, dtype=dt)
    out = (out + mean_arr).astype(dt)
    return np.ascontiguousarray(out)


def _update_from(frm, digits):
    """``update_from<scalar_t>``: the smallest from representable so that from+1 rounds up."""
    from_plus_1 = int(_round_to_digits(frm + 1, digits))
    if from_plus_1 < frm:
        n = max(abs(frm + 1).bit_length() - 1, 0)
        frm = from_plus_1 + (1 << (n - digits + 1))
    return frm


def _update_to(to, digits):
    to_minus_1 = int(_round_to_digits(to - 1, digits))
    if to_minus_1 >= to:
        n = max(abs(to - 1).bit_length() - 1, 0)
        to = to_minus_1 - (1 << (n - digits + 1))
    return to


def _round_to_digits(v, digits):
    """Round the integer ``v`` to a float with ``digits`` significant bits (ties to even)."""
    if v == 0:
        return 0
    sign = -1 if v < 0 else 1
    a = abs(v)
    shift = a.bit_length() - digits
    if shift <= 0:
        return v
    q, r = divmod(a, 1 << shift)
    half = 1 << (shift - 1)
    if r > half or (r == half and q & 1):
        q += 1
    return sign * (q << shift)


def _int_limits(dt):
    if dt == np.bool_:
        return 0, 1
    ii = np.iinfo(dt)
    return int(ii.min), int(ii.max)


def _check_from_to_in_range(frm, to_inc, dt):
    if dt.kind == "f" or dt.name == "bfloat16":
        lo, hi, digits = _float_limits(dt)
        for var, name in ((frm, "from"), (to_inc, "to - 1")):
            if not lo <= var <= hi:
                raise RuntimeError(f"{name} is out of bounds for {_cpp_name(dt)}")
        for var, name in ((frm, "from"), (to_inc, "to - 1")):
            if var < -(1 << digits) or var > (1 << digits):
                import warnings
                warnings.warn(
                    f"{name} is out of bounds [-(2^{digits}), 2^{digits}]. Due to precision "
                    f"limitations {_cpp_name(dt)} can support discrete uniform distribution only "
                    "within this range. This warning will become an error in version 1.7 "
                    "release, please fix the code in advance", UserWarning, stacklevel=4)
    else:
        lo, hi = _int_limits(dt)
        for var, name in ((frm, "from"), (to_inc, "to - 1")):
            if not lo <= var <= hi:
                raise RuntimeError(f"{name} is out of bounds for {_cpp_name(dt)}")


def _from_int64_bits(u, dt):
    """``static_cast<T>(static_cast<int64_t>(u))`` for uint64 values ``u``."""
    v = u.view(np.int64)
    if dt.name in _REDUCED:
        return v.astype(np.float32).astype(dt)
    return v.astype(dt)


def _random_from_to(gen, shape, rng, base, dt):
    n = _numel(shape)
    wide = rng >= 1 << 28      # torch 2.13: ranges of 2**28 and more use random64()
    with gen._lock:
        w = gen._words64(n) if wide else gen._words(n)
    vals = (w % _U64(rng)) + _U64(base & 0xFFFFFFFFFFFFFFFF)
    return _from_int64_bits(vals, dt).reshape(shape)


def randint(generator, shape, low, high, np_dtype=np.int64):
    """``torch.randint(low, high, shape, dtype=...)`` / ``Tensor.random_(low, high)``.

    ``high=None`` is ``random_(low)`` semantics with ``to`` left out: the range runs to
    the dtype's maximum (inclusive), and ``low == int64 min`` then uses all 64 bits."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    low = operator.index(low)
    is_float = dt.kind == "f" or dt.name == "bfloat16"
    if dt.kind == "c":
        raise NotImplementedError(f"\"random_from_to_kernel_cpu\" not implemented for "
                                  f"'{_scalar_type_name(dt)}'")
    if high is not None:
        high = operator.index(high)
        if not low < high:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                               f"from={low} >= to={high}")
        if is_float:
            digits = _float_limits(dt)[2]
            low = _update_from(low, digits)
            high = _update_to(high, digits)
            if not low < high:
                raise RuntimeError(
                    "random_ expects 'from' casted to dtype to be less than 'to' casted to "
                    f"dtype, but got from={low} >= to={high}")
        _check_from_to_in_range(low, high - 1, dt)
        rng = (high - low) & 0xFFFFFFFFFFFFFFFF
        return _random_from_to(gen, shape, rng, low, dt)
    if low == -(1 << 63):
        return random_full_64(gen, shape, dt)
    if is_float:
        digits = _float_limits(dt)[2]
        to_inc = min(1 << digits, (1 << 63) - 1)
        low = _update_from(low, digits)
        if not low < to_inc:
            raise RuntimeError(
                "random_ expects 'from' casted to dtype to be less than or equal to 'to_inc' "
                f"casted to dtype, but got from={low} > to_inc={to_inc}")
    else:
        to_inc = _int_limits(dt)[1]
    _check_from_to_in_range(low, to_inc, dt)
    rng = (to_inc - low + 1) & 0xFFFFFFFFFFFFFFFF
    return _random_from_to(gen, shape, rng, low, dt)


def random_full_64(generator, shape, np_dtype=np.int64):
    """``random_(from=int64 min, to=None)``: every 64-bit value (int64/float/double/bfloat16)."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    if dt.name not in ("int64", "float64", "float32", "bfloat16"):
        raise RuntimeError("random_full_64_bits_range_kernel_cpu handles only int64, double, "
                           "float and bfloat16")
    with gen._lock:
        w = gen._words64(_numel(shape))
    return _from_int64_bits(w, dt).reshape(shape)


def random_full(generator, shape, np_dtype=np.int64):
    """``Tensor.random_()`` without bounds: ``[0, max]`` for integers, ``[0, 2**digits]``
    for floating types, ``{0, 1}`` for bool."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    n = _numel(shape)
    if dt.kind == "c":
        raise NotImplementedError(f"\"random_kernel_cpu\" not implemented for "
                                  f"'{_scalar_type_name(dt)}'")
    with gen._lock:
        if dt == np.bool_:
            return ((gen._words(n) & _U64(1)) != 0).reshape(shape)
        if dt in (np.int64, np.float64):
            w = gen._words64(n)
        else:
            w = gen._words(n)
    if dt == np.int64:
        return (w % _U64(1 << 63)).astype(np.int64).reshape(shape)
    if dt.kind == "f" or dt.name == "bfloat16":
        digits = _float_limits(dt)[2]
        return _from_int64_bits(w % _U64((1 << digits) + 1), dt).reshape(shape)
    hi = _int_limits(dt)[1]
    return (w % _U64(hi + 1)).astype(dt).reshape(shape)


def bernoulli_scalar(generator, shape, p=0.5, np_dtype=np.float32):
    """``torch.empty(shape, dtype).bernoulli_(p)`` for a Python-number ``p``."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    p = float(p)
    if not 0.0 <= p <= 1.0:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
    if dt.kind == "c":
        raise NotImplementedError(f"\"bernoulli_scalar_cpu_\" not implemented for "
                                  f"'{_scalar_type_name(dt)}'")
    with gen._lock:
        u = _u53(gen, _numel(shape))
    return (u < p).astype(dt).reshape(shape)


def bernoulli_tensor(generator, p, np_dtype=None, shape=None):
    """``torch.bernoulli(p)`` (or ``Tensor.bernoulli_(p)`` with ``shape`` the self shape;
    ``p`` is broadcast to it).  float64 ``p`` compares a 53-bit uniform, float32/float16/
    bfloat16 ``p`` a 24-bit float32 uniform."""
    gen = _gen(generator)
    p = np.asarray(p)
    if p.dtype.kind != "f" and p.dtype.name != "bfloat16":
        raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for "
                                  f"'{_scalar_type_name(p.dtype)}'")
    dt = p.dtype if np_dtype is None else _dt(np_dtype)
    shape = p.shape if shape is None else _shape(shape)
    pb = np.broadcast_to(p, shape)
    if pb.size and not bool(np.all((pb >= 0) & (pb <= 1))):
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error "
            "message be improved?  If so, please report an enhancement request to PyTorch.)")
    n = _numel(shape)
    with gen._lock:
        if p.dtype == np.float64:
            res = _u53(gen, n).reshape(shape) < pb
        else:
            res = _u24(gen, n).reshape(shape) < pb.astype(np.float32)
    return res.astype(dt)


def exponential(generator, shape, lambd=1.0, np_dtype=np.float32):
    """``torch.empty(shape, dtype).exponential_(lambd)``."""
    gen = _gen(generator)
    dt = _dt(np_dtype)
    shape = _shape(shape)
    lambd = float(lambd)
    if dt.kind != "f" and dt.name != "bfloat16":
        raise RuntimeError("Exponential distribution is a continuous probability distribution. "
                           f"dtype must be a floating point but you specified "
                           f"{_scalar_type_name(dt)}")
    if not lambd > 0.0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    with gen._lock:
        u = _u53(gen, _numel(shape))
    with np.errstate(invalid="ignore"):
        vals = (-1.0 / lambd) * _log1p(-u)
    return _from_f64(vals, dt).reshape(shape)


def multinomial(generator, probs, num_samples, replacement=False):
    """``torch.multinomial(probs, num_samples, replacement)`` for a 1-D or 2-D array."""
    gen = _gen(generator)
    probs = np.asarray(probs)
    if probs.ndim not in (1, 2):
        raise RuntimeError("prob_dist must be 1 or 2 dim")
    if probs.dtype.kind != "f" and probs.dtype.name != "bfloat16":
        raise RuntimeError("multinomial only supports floating-point dtypes for input, got: "
                           f"{_scalar_type_name(probs.dtype)}")
    num_samples = operator.index(num_samples)
    if num_samples <= 0:
        raise RuntimeError("cannot sample n_sample <= 0 samples")
    n_cat = probs.shape[-1]
    if not (replacement or num_samples <= n_cat):
        raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                           "replacement")
    if n_cat > 1 << 24:
        raise RuntimeError("number of categories cannot exceed 2^24")
    p2 = probs.reshape(-1, n_cat)
    out_shape = (num_samples,) if probs.ndim == 1 else (probs.shape[0], num_samples)
    if p2.size == 0 or _numel(out_shape) == 0:
        return np.zeros(out_shape, np.int64)
    dt = probs.dtype
    if not replacement or num_samples == 1:
        if not (bool(np.all(p2 < np.inf)) and bool(np.all(p2 >= 0))):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        sums = p2.astype(np.float64).sum(axis=1) if dt.name in _REDUCED else p2.sum(axis=1)
        if bool(np.any(sums == 0)):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        q = exponential(gen, p2.shape, 1.0, dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            key = (p2.astype(np.float32) / q.astype(np.float32)).astype(dt) \
                if dt.name in _REDUCED else p2 / q
        if num_samples == 1:
            res = np.argmax(key, axis=1)[:, None]
        else:
            order = np.argsort(-key.astype(np.float64), axis=1, kind="stable")
            res = order[:, :num_samples]
        return res.astype(np.int64).reshape(out_shape)
    # with replacement: sequential validation order of the C++ loop (row by row)
    bad_neg = p2 < 0
    bad_fin = ~np.isfinite(p2)
    bad = bad_neg | bad_fin
    if bool(bad.any()):
        first = int(np.flatnonzero(bad.reshape(-1))[0])
        if bad_neg.reshape(-1)[first]:
            raise RuntimeError("invalid multinomial distribution (encountering probability "
                               "entry < 0)")
        raise RuntimeError("invalid multinomial distribution (encountering probability entry "
                           "= infinity or NaN)")
    acc = np.float32 if dt.name in _REDUCED else dt
    cum = np.cumsum(p2.astype(acc), axis=1, dtype=acc)
    total = cum[:, -1:].copy()
    if bool(np.any(~(total[:, 0] > 0))):
        raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    cum = (cum / total).astype(acc)
    cum[:, -1] = 1
    with gen._lock:
        u = _u53(gen, p2.shape[0] * num_samples).reshape(p2.shape[0], num_samples)
    cum64 = cum.astype(np.float64)
    rows = np.arange(p2.shape[0])[:, None]
    left = np.zeros(u.shape, np.int64)
    right = np.full(u.shape, n_cat, np.int64)
    active = right - left > 0
    while bool(active.any()):
        mid = left + (right - left) // 2
        go_right = cum64[rows, np.minimum(mid, n_cat - 1)] < u
        left = np.where(active & go_right, mid + 1, left)
        right = np.where(active & ~go_right, mid, right)
        active = right - left > 0
    return left.reshape(out_shape)


def _pointer_jump(parent):
    """Roots of the forest where ``parent[i] <= i`` (``parent[i] == i`` marks a root)."""
    parent = parent.copy()
    while True:
        nxt = parent[parent]
        if np.array_equal(nxt, parent):
            return parent
        parent = nxt


def _group_prev(target, count):
    """For steps ``0..count-1`` with targets ``target``: the previous step (lower index)
    with the same target (or -1), and the last step of each target (or -1)."""
    # sort by (target, step) through one unique int64 key: targets and steps are < count+1,
    # so target * (count + 1) + step stays far below 2**63 for any n randperm accepts here
    m = np.int64(count + 1)
    key = np.sort(target * m + np.arange(count, dtype=np.int64))
    sorted_t, order = np.divmod(key, m)
    prev = np.full(count, -1, np.int64)
    same = sorted_t[1:] == sorted_t[:-1]
    prev[order[1:][same]] = order[:-1][same]
    return prev, order, sorted_t


def _last_per_target(order, sorted_t, size):
    """``out[t]`` = the largest step index whose target is ``t`` (or -1)."""
    out = np.full(size, -1, np.int64)
    ends = np.ones(sorted_t.size, bool)
    ends[:-1] = sorted_t[1:] != sorted_t[:-1]
    out[sorted_t[ends]] = order[ends]
    return out


_RANDPERM_SMALL_LIMIT = 0xFFFFFFFF // 20


def randperm(generator, n, _small_limit=None):
    """``torch.randperm(n)`` (int64), bit-identical to PyTorch's CPU Fisher-Yates.

    The sequential swaps are resolved without a Python loop: after step ``i`` of
    ``swap(r[i], r[i + z_i])`` position ``i`` is final, and the value it receives is the
    value left at ``i + z_i`` by the last earlier step that targeted the same position,
    which pointer jumping resolves in O(log n) vectorised rounds."""
    gen = _gen(generator)
    n = operator.index(n)
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    limit = _RANDPERM_SMALL_LIMIT if _small_limit is None else _small_limit
    if n < limit:
        if n <= 1:
            return np.arange(n, dtype=np.int64)
        steps = n - 1
        idx = np.arange(steps, dtype=np.int64)
        with gen._lock:
            w = gen._words(steps)
        target = idx + (w % (n - idx).astype(_U64)).astype(np.int64)
        prev, order, sorted_t = _group_prev(target, steps)
        # A[p]: value at position p just before step p (p = n - 1: its final value); it is
        # A of the last earlier step that swapped into p, or p itself
        moving = target[order] != order
        last_before = _last_per_target(order[moving], sorted_t[moving], n)
        parent = np.where(last_before >= 0, last_before, np.arange(n, dtype=np.int64))
        a = _pointer_jump(parent)
        out = np.empty(n, np.int64)
        out[:steps] = np.where(prev >= 0, a[np.maximum(prev, 0)], target)
        out[steps] = a[steps]
        return out
    # inside-out Fisher-Yates with random64 (huge n): r[i] = r[z]; r[z] = i
    idx = np.arange(n, dtype=np.int64)
    with gen._lock:
        w = gen._words64(n)
    z = (w % (idx + 1).astype(_U64)).astype(np.int64)
    prev, order, sorted_z = _group_prev(z, n)
    # W[p]: value written to position p at step p
    concrete = np.where(z == idx, idx, np.where(prev > z, prev, -1))
    parent = np.where(concrete >= 0, idx, z)
    root = _pointer_jump(parent)
    written = concrete[root]
    # final r[p]: the last later step with z == p wrote its index, else written[p]
    last_in_group = _last_per_target(order, sorted_z, n)
    return np.where(last_in_group > idx, last_in_group, written)
