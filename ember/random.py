"""Random number generation that reproduces PyTorch's CPU generator bit for bit.

PyTorch's CPU generator (``at::CPUGeneratorImpl``) is a 32-bit Mersenne
Twister (mt19937) seeded with ``init_genrand(seed & 0xffffffff)``.  Every CPU
sampler turns the raw 32-bit words of that engine into numbers with a fixed
recipe; this module draws the same words from NumPy's ``MT19937`` bit
generator (put in the identical state) and applies the same recipes with
vectorised NumPy, so that::

    torch.manual_seed(0); torch.rand(3)   ==   ember.manual_seed(0); ember.rand(3)

Recipes (all verified against torch 2.13 on x86-64, see
``tests/test_random_bits.py``):

* ``random()`` is one 32-bit word, ``random64()`` is ``(w0 << 32) | w1``.
* uniform float32/float16/bfloat16: ``(w & (2**24-1)) * 2**-24`` in float32,
  then ``fma(x, to - from, from)`` (single rounding), rounded to the dtype;
  a result equal to ``to`` is replaced by ``from``.  float64 uses the low 53
  bits of ``random64()`` and a float64 fma.
* normal, contiguous and >= 16 elements: uniforms for the whole tensor, then
  Box-Muller on blocks of 16 (``u1 = 1 - x[0:8]``, ``u2 = x[8:16]``); when the
  size is not a multiple of 16 the last 16 outputs are recomputed from 16
  fresh uniforms.  float32 uses PyTorch's AVX2 kernel (Cephes-style
  polynomial ``log``/``sincos`` evaluated in float32 with the same fused
  multiply-adds the compiler emitted), which is reproduced exactly here.
  float16/bfloat16 run the same float32 kernel on a buffer padded to a
  multiple of 16.  float64 uses libm ``log``/``sin``/``cos`` in double.
* normal, fewer than 16 elements (or non-contiguous): a serial double-precision
  Box-Muller with ``u1, u2`` from ``random64()``, ``r = sqrt(-2 log1p(-u2))``,
  returning ``r cos(2 pi u1)`` and caching ``r sin(2 pi u1)`` in the
  generator for the next serial normal draw.
* randint / random_: ``random() % range + from``, or ``random64()`` when the range
  is 2**28 or more (any dtype).
* bernoulli(p scalar): ``u53 < p``; bernoulli(p tensor): ``u53 < p`` for
  float64 ``p`` and ``u24 < p`` (float32 compare) otherwise.
* exponential: ``-1/lambda * log1p(-u53)`` in double.
* multinomial: without replacement (or one sample) ``argmax/topk(p / q)``
  with ``q ~ Exp(1)``; with replacement a binary search of ``u53`` in the
  normalised cumulative distribution.
* randperm: PyTorch's sequential Fisher-Yates (``random() % (n - i)``)
  reproduced exactly with a vectorised pointer-jumping formulation.

libm: the double-precision paths (float64 normal, the serial normal path,
exponential) need the C library's ``log``/``log1p``/``sin``/``cos``, which is what
PyTorch calls.  NumPy's own SIMD ``log``/``log1p`` differ from glibc by 1 ulp on a
fraction of inputs, but NumPy falls back to the C library for negative-stride
inputs; ``_libm`` picks, once, the first candidate that reproduces ``math.<fn>``
exactly on a fixed probe set (reversed-stride NumPy, a re-implementation of
glibc's ``log1p``, extended-precision ``log``).  With glibc (the reference
platform) every sampler is bit-identical.  Elsewhere the closest candidate is
used and float64 outputs may differ by an ulp.

Not specified by PyTorch, so not reproduced: the order among exactly tied keys in
multinomial without replacement (topk); ember puts the lower index first.
"""
import contextlib
import math
import operator
import os
import struct
import threading

import numpy as np

__all__ = [
    "Generator", "default_generator", "manual_seed", "seed", "initial_seed",
    "get_rng_state", "set_rng_state", "fork_rng",
    "uniform", "normal", "randint", "random_full", "random_full_64",
    "bernoulli_scalar", "bernoulli_tensor", "exponential", "multinomial",
    "randperm", "normal_tensor",
]

_MT_N = 624
_STATE_SIZE = 5056                 # sizeof(at::detail::CPUGeneratorImplState)
_OFF_KEY = 24
_OFF_NORMAL_Y = 24 + 8 * _MT_N + 8  # normal_x, normal_y, normal_rho follow the key
_OFF_NORMAL_VALID = _OFF_NORMAL_Y + 16
_OFF_FLOAT_NORMAL = 5048          # float next_float_normal_sample, then its bool valid flag
_DEFAULT_SEED = 67280421310721     # c10::default_rng_seed_val
_U64 = np.uint64
_MASK24 = _U64((1 << 24) - 1)
_MASK53 = _U64((1 << 53) - 1)
_TWO_PI = 2.0 * math.pi


def _init_genrand_key(seed32):
    """mt19937 ``init_genrand`` key for a 32-bit seed (624-step recurrence)."""
    key = np.empty(_MT_N, np.uint32)
    x = seed32
    key[0] = x
    for j in range(1, _MT_N):  # 624 fixed steps, independent of any tensor size
        x = (1812433253 * (x ^ (x >> 30)) + j) & 0xFFFFFFFF
        key[j] = x
    return key


# ----------------------------------------------------------------------------------------------
# Generator
# ----------------------------------------------------------------------------------------------
class Generator:
    """A CPU random generator with PyTorch's mt19937 state (``torch.Generator``)."""

    def __init__(self, device="cpu"):
        self.device = device
        self._bitgen = np.random.MT19937(0)
        self._lock = threading.RLock()
        self._seed = _DEFAULT_SEED
        self._left1_next = 0        # torch's ``next`` field while ``left == 1``
        self._next_double_normal = None
        self._next_float_normal = None
        self._reseed(_DEFAULT_SEED)

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    # -- seeding ---------------------------------------------------------------------------------
    def _reseed(self, seed64):
        seed32 = seed64 & 0xFFFFFFFF
        legacy = getattr(self._bitgen, "_legacy_seeding", None)
        if legacy is not None:
            legacy(seed32)
        else:  # pragma: no cover - NumPy without the legacy seeding hook
            self._bitgen.state = {"bit_generator": "MT19937",
                                  "state": {"key": _init_genrand_key(seed32), "pos": _MT_N}}
        self._seed = seed64
        self._left1_next = 0
        self._next_double_normal = None
        self._next_float_normal = None

    def manual_seed(self, seed):
        """Seed the engine like ``torch.Generator.manual_seed``; returns ``self``."""
        if isinstance(seed, bool):
            raise RuntimeError("manual_seed expected a long, but got bool")
        if isinstance(seed, float):
            raise RuntimeError("manual_seed expected a long, but got float")
        try:
            seed = operator.index(seed)
        except TypeError:
            raise RuntimeError(
                f"manual_seed expected a long, but got {type(seed).__name__}") from None
        if not -(1 << 63) <= seed <= (1 << 64) - 1:
            raise ValueError("Overflow when unpacking long long")
        with self._lock:
            self._reseed(seed & 0xFFFFFFFFFFFFFFFF)
        return self

    def seed(self):
        """Re-seed from a non-deterministic source and return the new seed."""
        s = int.from_bytes(os.urandom(8), "little")
        with self._lock:
            self._reseed(s)
        return s

    def initial_seed(self):
        return self._seed

    # -- state -----------------------------------------------------------------------------------
    def get_state(self):
        """The state as a uint8 array laid out like PyTorch's 5056-byte CPU generator state."""
        with self._lock:
            st = self._bitgen.state["state"]
            key = np.asarray(st["key"], np.uint32)
            pos = int(st["pos"])
            if pos >= _MT_N:
                left = 1
                nxt = _MT_N if self._left1_next is None else self._left1_next
            else:
                left, nxt = _MT_N + 1 - pos, pos
            buf = np.zeros(_STATE_SIZE, np.uint8)
            struct.pack_into("<QiiQ", buf, 0, self._seed, left, 1, nxt)
            buf[_OFF_KEY:_OFF_KEY + 8 * _MT_N] = key.astype("<u8").view(np.uint8)
            if self._next_double_normal is not None:
                struct.pack_into("<d", buf, _OFF_NORMAL_Y, self._next_double_normal)
                struct.pack_into("<i", buf, _OFF_NORMAL_VALID, 1)
            if self._next_float_normal is not None:
                struct.pack_into("<f?", buf, _OFF_FLOAT_NORMAL, self._next_float_normal, True)
        from .autograd.function import _wrap
        return _wrap(buf)  # a ByteTensor, as torch returns

    def set_state(self, new_state):
        """Restore a state from :meth:`get_state` (or from ``torch.get_rng_state().numpy()``)."""
        arr = np.asarray(new_state._data if hasattr(new_state, "_data") else new_state)
        if arr.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        arr = np.ascontiguousarray(arr).reshape(-1)
        if arr.size != _STATE_SIZE:
            raise RuntimeError(
                f"Expected a CPUGeneratorImplState of size {_STATE_SIZE} but found the input RNG "
                f"state size to be {arr.size}")
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", arr, 0)
        nxt &= 0xFFFFFFFF
        if not (seeded != 0 and 0 < left <= _MT_N and nxt <= _MT_N):
            raise RuntimeError("Invalid mt19937 state")
        key = arr[_OFF_KEY:_OFF_KEY + 8 * _MT_N].view("<u8").astype(np.uint32)
        (normal_y,) = struct.unpack_from("<d", arr, _OFF_NORMAL_Y)
        (normal_valid,) = struct.unpack_from("<i", arr, _OFF_NORMAL_VALID)
        float_normal, float_valid = struct.unpack_from("<f?", arr, _OFF_FLOAT_NORMAL)
        with self._lock:
            pos = _MT_N if left == 1 else nxt
            self._bitgen.state = {"bit_generator": "MT19937",
                                  "state": {"key": key, "pos": pos}}
            self._seed = seed
            self._left1_next = nxt if left == 1 else None
            self._next_double_normal = normal_y if normal_valid else None
            self._next_float_normal = float(np.float32(float_normal)) if float_valid else None
        return self

    # -- raw words -------------------------------------------------------------------------------
    def _words(self, n):
        """``n`` consecutive ``random()`` draws (uint64 array holding 32-bit values)."""
        if n <= 0:
            return np.zeros(0, _U64)
        self._left1_next = None
        return self._bitgen.random_raw(n)

    def _words64(self, n):
        """``n`` consecutive ``random64()`` draws (two words each, first word high)."""
        w = self._words(2 * n)
        return (w[0::2] << _U64(32)) | w[1::2]


default_generator = Generator()
default_generator.seed()   # like PyTorch, the default generator starts from a random seed


def _gen(generator):
    return default_generator if generator is None else generator


def manual_seed(seed):
    """Seed the default generator (``torch.manual_seed``); returns it."""
    return default_generator.manual_seed(int(seed))


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


@contextlib.contextmanager
def fork_rng(devices=None, enabled=True, **_):
    """Restore the default generator's state when the block exits."""
    if not enabled:
        yield
        return
    state = default_generator.get_state()
    try:
        yield
    finally:
        default_generator.set_state(state)


# ----------------------------------------------------------------------------------------------
# dtype helpers
# ----------------------------------------------------------------------------------------------
_REDUCED = ("float16", "bfloat16")


def _dt(np_dtype):
    return np.dtype(np_dtype)


def _numel(shape):
    n = 1
    for s in shape:
        n *= int(s)
    return n


def _shape(shape):
    if isinstance(shape, (int, np.integer)):
        return (int(shape),)
    return tuple(int(s) for s in shape)


def _from_f64(x, dt):
    """Round float64 values to ``dt`` like ``static_cast<scalar_t>(double)`` in c10
    (Half/BFloat16 are built from a float, so they round twice)."""
    if dt.name in _REDUCED:
        return x.astype(np.float32).astype(dt)
    return x if dt == np.float64 else x.astype(dt)


def _cpp_name(dt):
    return {"int8": "signed char", "int16": "short int", "int32": "int", "int64": "long int",
            "uint8": "unsigned char", "bool": "bool", "float32": "float", "float64": "double",
            "float16": "c10::Half", "bfloat16": "c10::BFloat16"}.get(dt.name, dt.name)


def _scalar_type_name(dt):
    return {"float32": "Float", "float64": "Double", "float16": "Half",
            "bfloat16": "BFloat16", "int32": "Int", "int64": "Long", "int16": "Short",
            "int8": "Char", "uint8": "Byte", "bool": "Bool", "complex64": "ComplexFloat",
            "complex128": "ComplexDouble"}.get(dt.name, dt.name)


def _float_limits(dt):
    """(lowest, max, digits) of a floating dtype."""
    if dt.name == "bfloat16":
        return -3.3895313892515355e38, 3.3895313892515355e38, 8
    fi = np.finfo(dt)
    return float(fi.min), float(fi.max), fi.nmant + 1


def _check_floating(dt, kernel):
    if dt.kind != "f" and dt.name != "bfloat16":
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{_scalar_type_name(dt)}'")


# ----------------------------------------------------------------------------------------------
# exact fused multiply-add emulation
# ----------------------------------------------------------------------------------------------
def _two_sum(a, b):
    s = a + b
    bb = s - a
    return s, (a - (s - bb)) + (b - bb)


def _add_round_to_odd(a, b):
    """float64 ``a + b`` rounded to odd (exact error from TwoSum decides the sticky bit)."""
    s, e = _two_sum(a, b)
    fix = (e != 0) & ((s.view(np.uint64) & _U64(1)) == 0) & np.isfinite(s)
    if fix.any():
        s = np.where(fix, np.nextafter(s, np.where(e > 0, np.inf, -np.inf)), s)
    return s


_MID_TOP = _U64(1 << 63)
_SUB_LIMIT = _U64((1023 - 125) << 53)


def _fma32(a, b, c):
    """float32 ``fma(a, b, c)``.  The product of two floats is exact in float64, so the
    float64 sum has a single rounding; rounding that to float32 is only wrong when the
    float64 sum landed exactly on a float32 rounding midpoint (low 29 bits 0x10000000)
    or in the float32 subnormal range, and those rare elements are redone exactly with a
    round-to-odd sum."""
    with np.errstate(over="ignore", invalid="ignore"):
        s = np.multiply(a, b, dtype=np.float64)
        if s.ndim and s.shape == np.broadcast_shapes(s.shape, np.shape(c)):
            np.add(s, c, out=s, dtype=np.float64)
        else:
            s = np.add(s, c, dtype=np.float64)
        r = s.astype(np.float32)
        bits = np.atleast_1d(s).view(np.uint64)
        risky = np.left_shift(bits, _U64(35)) == _MID_TOP
        risky |= np.left_shift(bits, _U64(1)) < _SUB_LIMIT
        if risky.any():
            risky = risky.reshape(r.shape)
            ab, bb, cb = (np.broadcast_to(np.asarray(v, np.float64), r.shape) for v in (a, b, c))
            r = np.array(r, copy=True)
            r[risky] = _add_round_to_odd(ab[risky] * bb[risky], cb[risky]).astype(np.float32)
    return r


def _split(a):
    t = 134217729.0 * a
    hi = t - (t - a)
    return hi, a - hi


def _fma64(a, b, c):
    """float64 ``fma(a, b, c)`` (Dekker product + Boldo-Melquiond round-to-odd sum)."""
    a = np.asarray(a, np.float64)
    b = np.broadcast_to(np.asarray(b, np.float64), a.shape)
    c = np.broadcast_to(np.asarray(c, np.float64), a.shape)
    with np.errstate(over="ignore", invalid="ignore"):
        uh = a * b
        ah, al = _split(a)
        bh, bl = _split(b)
        ul = ((ah * bh - uh) + ah * bl + al * bh) + al * bl
        th, tl = _two_sum(c, uh)
        r = th + _add_round_to_odd(tl, ul)
        bad = ~np.isfinite(uh) | ~np.isfinite(c)   # inf/nan: plain arithmetic is right
        if bad.any():
            r = np.where(bad, uh + c, r)
    return r


# ----------------------------------------------------------------------------------------------
# libm emulation (glibc log1p) and the float32 AVX2 Box-Muller kernel
# ----------------------------------------------------------------------------------------------
_LN2_HI = 6.93147180369123816490e-01
_LN2_LO = 1.90821492927058770002e-10
_LP = (6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
       2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
       1.479819860511658591e-01)


def _log1p_neg(x, fused):
    """glibc's double ``log1p`` for ``x`` in ``(-1, 0]`` (fdlibm algorithm, as built
    with or without FMA contraction) -- the fallback when NumPy gives no direct route
    to the C library's ``log1p``."""
    x = np.asarray(x, np.float64)
    hx = (x.view(np.uint64) >> _U64(32)).astype(np.int64)
    hx = np.where(hx >= 1 << 31, hx - (1 << 32), hx)          # signed high word
    ax = hx & 0x7FFFFFFF
    tiny = ax < 0x3E200000
    k_zero = hx <= np.int64(0xBFD2BEC3 - (1 << 32))           # -0.2929 < x < 0
    # k != 0: 1 + x = 2^k (1 + f)
    u = 1.0 + x
    hu = (u.view(np.uint64) >> _U64(32)).astype(np.int64)
    k = (hu >> 20) - 1023
    with np.errstate(divide="ignore", invalid="ignore"):
        c = np.where(k > 0, 1.0 - (u - x), x - (u - 1.0)) / u
    hu = hu & 0x000FFFFF
    big = hu >= 0x6A09E
    hi_word = np.where(big, hu | 0x3FE00000, hu | 0x3FF00000).astype(np.uint64)
    un = ((u.view(np.uint64) & _U64(0xFFFFFFFF)) | (hi_word << _U64(32))).view(np.float64)
    k = np.where(big, k + 1, k)
    hu = np.where(big, (0x00100000 - hu) >> 2, hu)
    f = np.where(k_zero, x, un - 1.0)
    k = np.where(k_zero, 0, k)
    hu = np.where(k_zero, 1, hu)
    c = np.where(k_zero, 0.0, c)
    kd = k.astype(np.float64)
    hfsq = 0.5 * f * f
    with np.errstate(divide="ignore", invalid="ignore"):
        s = f / (2.0 + f)
    z = s * s
    z2 = z * z
    z4 = z2 * z2
    z6 = z4 * z2
    if fused:
        r2 = _fma64(z, _LP[2], _LP[1])
        r3 = _fma64(z, _LP[4], _LP[3])
        r4 = _fma64(z, _LP[6], _LP[5])
        big_r = _fma64(z6, r4, _fma64(z4, r3, _fma64(z, _LP[0], z2 * r2)))
        st = s * (hfsq + big_r)
        res0 = f - (hfsq - st)
        res1 = _fma64(kd, _LN2_HI, -((hfsq - (_fma64(kd, _LN2_LO, c) + st)) - f))
    else:
        big_r = (z * _LP[0] + z2 * (_LP[1] + z * _LP[2]) + z4 * (_LP[3] + z * _LP[4])
                 + z6 * (_LP[5] + z * _LP[6]))
        st = s * (hfsq + big_r)
        res0 = f - (hfsq - st)
        res1 = kd * _LN2_HI - ((hfsq - (st + (kd * _LN2_LO + c))) - f)
    res = np.where(k == 0, res0, res1)
    small = hu == 0                                            # |f| < 2**-20
    if small.any():
        if fused:
            rs = _fma64(-f, 0.66666666666666666, 1.0) * hfsq
            klo = _fma64(kd, _LN2_LO, c)
            rs1 = _fma64(kd, _LN2_HI, -((rs - klo) - f))
            rz = _fma64(kd, _LN2_HI, klo)
        else:
            rs = hfsq * (1.0 - 0.66666666666666666 * f)
            rs1 = kd * _LN2_HI - ((rs - (kd * _LN2_LO + c)) - f)
            rz = kd * _LN2_HI + (c + kd * _LN2_LO)
        rsmall = np.where(f == 0.0, np.where(k == 0, 0.0, rz), np.where(k == 0, f - rs, rs1))
        res = np.where(small, rsmall, res)
    if tiny.any():
        res = np.where(tiny, np.where(ax < 0x3C900000, x, x - x * x * 0.5), res)
    return np.where(x == -1.0, -np.inf, res)


def _reversed(ufunc):
    """``ufunc`` applied through a negative-stride view.  NumPy's SIMD loops for float64
    ``log``/``log1p`` only take positive strides; the fallback loop calls the C library,
    which is what PyTorch calls."""
    def call(x):
        flat = np.ravel(x)
        return np.ascontiguousarray(ufunc(flat[::-1])[::-1]).reshape(np.shape(x))
    return call


def _longdouble_log(x):
    return np.log(np.asarray(x).astype(np.longdouble)).astype(np.float64)


def _libm_candidates(name):
    if name == "log":
        return [_reversed(np.log), np.log] + (
            [_longdouble_log] if np.finfo(np.longdouble).nmant > 52 else [])
    if name == "log1p":
        return [_reversed(np.log1p), lambda x: _log1p_neg(x, True),
                lambda x: _log1p_neg(x, False), np.log1p]
    uf = getattr(np, name)
    return [uf, _reversed(uf)]


def _libm_probe(name):
    u = np.random.Generator(np.random.PCG64(20240531)).random(1024)
    u = np.floor(u * 2.0**53) * 2.0**-53
    if name == "log":
        x = np.concatenate([1.0 - u, 1.0 - u * 1e-6, np.maximum(u, 2.0**-53)])
    elif name == "log1p":
        x = np.concatenate([-u, -u * 1e-4, -u * 1e-8])
    else:
        x = np.concatenate([_TWO_PI * u, u * 1e-3])
    return x, getattr(math, name)


_LIBM = {}
_LIBM_EXACT = {}


def _libm(name):
    """A vectorised double-precision ``name`` that reproduces the C library's results
    (PyTorch calls libm), picked once by comparing candidates with ``math.<name>`` on a
    fixed probe set; ``_LIBM_EXACT[name]`` records whether a candidate matched exactly."""
    f = _LIBM.get(name)
    if f is None:
        x, ref_fn = _libm_probe(name)
        ref = np.array([ref_fn(v) for v in x.tolist()])   # fixed-size calibration
        best, best_miss = None, None
        for cand in _libm_candidates(name):
            with np.errstate(all="ignore"):
                miss = int(np.count_nonzero(cand(x) != ref))
            if best is None or miss < best_miss:
                best, best_miss = cand, miss
            if miss == 0:
                break
        _LIBM[name] = f = best
        _LIBM_EXACT[name] = best_miss == 0
    return f


def _log1p(x):
    return _libm("log1p")(x)


def _log_libm(x):
    return _libm("log")(x)


_F32 = np.float32
_LOG_P = tuple(_F32(v) for v in (
    7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1,
    -1.6668057665e-1, 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1))
_MIN_NORM = np.array([0x00800000], np.int32).view(np.float32)[0]


def _avx_log(x):
    """PyTorch's ``log256_ps`` (Cephes log in float32) with GCC's fused multiply-adds."""
    invalid = x <= 0
    x = np.maximum(x, _MIN_NORM)
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(np.float32) + _F32(1)
    x = ((bits & np.int32(~0x7F800000)) | np.int32(0x3F000000)).view(np.float32)
    mask = x < _F32(0.707106781186547524)
    tmp = np.where(mask, x, _F32(0))
    x = x - _F32(1)
    e = e - np.where(mask, _F32(1), _F32(0))
    x = x + tmp
    z = x * x
    y = np.full_like(x, _LOG_P[0])
    for p in _LOG_P[1:]:
        y = _fma32(y, x, p)
    y = y * x
    y = _fma32(y, z, e * _F32(-2.12194440e-4))
    y = y - z * _F32(0.5)                      # exact scaling: fused or not is the same
    x = x + y
    x = _fma32(e, _F32(0.693359375), x)
    return np.where(invalid, _F32(np.nan), x)


def _avx_sincos(x):
    """PyTorch's ``sincos256_ps`` (Cephes sin/cos in float32) with GCC's fused multiply-adds."""
    sign_sin = np.signbit(x)
    x = np.abs(x)
    j = (x * _F32(1.27323954473516)).astype(np.int32)
    j = (j + 1) & ~1
    y = j.astype(np.float32)
    swap_sin = (j & 4) != 0
    poly_mask = (j & 2) == 0
    x = _fma32(y, _F32(-0.78515625), x)
    x = _fma32(y, _F32(-2.4187564849853515625e-4), x)
    x = _fma32(y, _F32(-3.77489497744594108e-8), x)
    sign_cos = (~(j - 2) & 4) != 0
    sign_sin = sign_sin ^ swap_sin
    z = x * x
    yc = _fma32(np.full_like(z, _F32(2.443315711809948e-005)), z, _F32(-1.388731625493765e-003))
    yc = _fma32(yc, z, _F32(4.166664568298827e-002))
    yc = yc * z
    yc = _fma32(yc, z, -(z * _F32(0.5)))
    yc = yc + _F32(1)
    ys = _fma32(np.full_like(z, _F32(-1.9515295891e-4)), z, _F32(8.3321608736e-3))
    ys = _fma32(ys, z, _F32(-1.6666654611e-1))
    ys = ys * z
    ys = _fma32(ys, x, x)
    s = np.where(poly_mask, ys, yc)
    c = np.where(poly_mask, yc, ys)
    return np.where(sign_sin, -s, s), np.where(sign_cos, -c, c)


def _box_muller16_f32(u, mean, std):
    """``normal_fill_16_AVX2`` on rows of 16 float32 uniforms."""
    u1 = _F32(1) - u[:, :8]
    u2 = np.ascontiguousarray(u[:, 8:])
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        radius = np.sqrt(_F32(-2) * _avx_log(u1))
        s, c = _avx_sincos(_F32(2 * math.pi) * u2)
        n1 = radius * c
        n2 = radius * s
        if std == 1:   # fma(n, 1, mean) == n + mean (also for the sign of zero)
            return np.concatenate([n1, n2], axis=1) + mean
        return np.concatenate([_fma32(n1, std, mean), _fma32(n2, std, mean)], axis=1)


def _box_muller16_f64(u, mean, std):
    """``normal_fill_16<double>`` on rows of 16 float64 uniforms."""
    u1 = 1.0 - u[:, :8]
    u2 = u[:, 8:]
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        radius = np.sqrt(-2.0 * _log_libm(u1))
        theta = _TWO_PI * u2
        n = np.concatenate([radius * _libm("cos")(theta), radius * _libm("sin")(theta)],
                           axis=1)
    if std == 1:
        return n + mean
    return _fma64(n, std, mean)


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
