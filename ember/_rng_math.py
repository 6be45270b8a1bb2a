"""Exact emulation of the float arithmetic behind PyTorch's CPU samplers.

Fused multiply-adds in float32/float64, glibc's ``log1p``, and the float32 AVX2
Box-Muller kernel (polynomial ``log``/``sincos``) that ``torch.randn`` runs, so
``ember.random`` can reproduce PyTorch's numbers bit for bit. Pure NumPy math:
no generator state lives here (see ``ember/random.py`` for the recipes).
"""
import math

import numpy as np

_U64 = np.uint64
_TWO_PI = 2.0 * math.pi


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
