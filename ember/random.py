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
        from .device import device as _device
        self.device = _device(device)
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


# the samplers live in their own module; imported last because they build on the names above
from ._rng_samplers import (  # noqa: E402
    bernoulli_scalar, bernoulli_tensor, exponential, multinomial, normal, normal_tensor, randint, random_full,
    random_full_64, randperm, uniform)
