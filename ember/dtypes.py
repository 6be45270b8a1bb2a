"""dtype objects, PyTorch's type-promotion rules and the default dtype.

Mirrors https://pytorch.org/docs/stable/tensor_attributes.html#type-promotion-doc.
A dtype wraps one NumPy dtype; every op computes its result dtype with these
rules first and only then calls NumPy, because NumPy's own promotion differs
(int16 + float16 is float32 in NumPy, float16 in PyTorch).
"""
import builtins

import numpy as np

# category ranks: bool < integer < floating < complex
_BOOL, _INT, _FLOAT, _COMPLEX = 0, 1, 2, 3


class dtype:
    """A tensor element type (``ember.float32`` ...), printed as PyTorch prints it."""

    __slots__ = ("name", "np", "itemsize", "is_floating_point", "is_complex", "is_signed", "_cat")

    def __init__(self, name, np_dtype, cat):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.itemsize = self.np.itemsize
        self._cat = cat
        self.is_floating_point = cat == _FLOAT
        self.is_complex = cat == _COMPLEX
        self.is_signed = self.np.kind != "u" and self.np.kind != "b"

    def __repr__(self):
        return "torch." + self.name

    def __reduce__(self):
        return self.name

    def to_real(self):
        return {complex64: float32, complex128: float64}.get(self, self)

    def to_complex(self):
        return {float32: complex64, float64: complex128, float16: complex64}.get(self, self)


try:  # bfloat16 is optional: NumPy has none, the ml-dtypes package provides one
    import ml_dtypes as _ml_dtypes

    _bf16_np = _ml_dtypes.bfloat16
except ImportError:  # pragma: no cover - depends on the extra being installed
    _bf16_np = None

float16 = half = dtype("float16", np.float16, _FLOAT)
float32 = float = dtype("float32", np.float32, _FLOAT)
float64 = double = dtype("float64", np.float64, _FLOAT)
complex64 = cfloat = dtype("complex64", np.complex64, _COMPLEX)
complex128 = cdouble = dtype("complex128", np.complex128, _COMPLEX)
uint8 = dtype("uint8", np.uint8, _INT)
uint16 = dtype("uint16", np.uint16, _INT)
uint32 = dtype("uint32", np.uint32, _INT)
uint64 = dtype("uint64", np.uint64, _INT)
int8 = dtype("int8", np.int8, _INT)
int16 = short = dtype("int16", np.int16, _INT)
int32 = int = dtype("int32", np.int32, _INT)
int64 = long = dtype("int64", np.int64, _INT)
bool = dtype("bool", np.bool_, _BOOL)
bfloat16 = dtype("bfloat16", _bf16_np, _FLOAT) if _bf16_np is not None else None

_ALL = [d for d in (float16, bfloat16, float32, float64, complex64, complex128, uint8, uint16,
                    uint32, uint64, int8, int16, int32, int64, bool) if d is not None]

_BARE_UNSIGNED = (uint16, uint32, uint64)

# NumPy dtype -> ember dtype. Keyed by np.dtype (hashable, and builtin dtypes are singletons).
_from_np = {d.np: d for d in _ALL}


def from_numpy_dtype(np_dtype):
    """The ember dtype for a NumPy dtype; TypeError for ones PyTorch cannot hold."""
    d = _from_np.get(np_dtype)
    if d is None:
        d = _from_np.get(np.dtype(np_dtype).newbyteorder("="))
        if d is None:
            raise TypeError(
                f"can't convert np.ndarray of type numpy.{np.dtype(np_dtype).type.__name__}. The only supported types "
                "are: float64, float32, float16, complex64, complex128, int64, int32, int16, int8, "
                "uint64, uint32, uint16, uint8, and bool."
            )
    return d


# ----------------------------------------------------------------------------- default dtype

_default = [float32]


def get_default_dtype():
    """The dtype used for Python floats and for float factories (``float32`` unless changed)."""
    return _default[0]


def set_default_dtype(d):
    """Make ``d`` (a floating dtype) the default for Python floats and float factories."""
    if not isinstance(d, dtype):
        raise TypeError("invalid dtype object: only floating-point types are supported as the default type")
    if not (d.is_floating_point and d in (float16, float32, float64, bfloat16)):
        raise TypeError("only floating-point types are supported as the default type")
    _default[0] = d


def default_complex():
    return complex128 if _default[0] is float64 else complex64


# ----------------------------------------------------------------------------- promotion

_SCALAR_NAMES = {"float32": "Float", "float64": "Double", "float16": "Half", "bfloat16": "BFloat16", "int64": "Long",
                 "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool",
                 "complex64": "ComplexFloat", "complex128": "ComplexDouble", "uint16": "UInt16", "uint32": "UInt32",
                 "uint64": "UInt64"}


def promote_types(a, b):
    """The smallest dtype both ``a`` and ``b`` cast to safely, by PyTorch's table."""
    if a is b:
        return a
    if a in _BARE_UNSIGNED or b in _BARE_UNSIGNED:
        # PyTorch promotes the shell unsigned types only with floating types
        other = b if a in _BARE_UNSIGNED else a
        if other.is_floating_point and not (a in _BARE_UNSIGNED and b in _BARE_UNSIGNED):
            return other
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                           f"{_SCALAR_NAMES[a.name]} and {_SCALAR_NAMES[b.name]}")
    ca, cb = a._cat, b._cat
    if ca != cb:
        hi, lo = (a, b) if ca > cb else (b, a)
        if hi.is_complex and lo.is_floating_point and lo is float64:
            return complex128
        return hi
    if ca == _FLOAT:
        if {a, b} == {float16, bfloat16}:
            return float32
        return a if a.itemsize > b.itemsize else b
    if ca == _COMPLEX:
        return a if a.itemsize > b.itemsize else b
    # integers: NumPy's integer table agrees with PyTorch's (uint8 + int8 -> int16)
    r = _from_np.get(np.promote_types(a.np, b.np))
    if r is None or r._cat != _INT:  # uint64 with a signed type: PyTorch refuses it too
        raise RuntimeError(f"Promotion for uint16, uint32, uint64 types is not supported, attempted to promote "
                           f"{_SCALAR_NAMES[a.name]} and {_SCALAR_NAMES[b.name]}")
    return r


def _combine_categories(higher, lower):
    """Merge a higher-priority result with a lower one (c10's combine_categories)."""
    if higher is None:
        return lower
    if lower is None:
        return higher
    if higher.is_complex:
        return higher
    if lower.is_complex:
        return higher.to_complex() if higher.is_floating_point else lower
    if higher.is_floating_point:
        return higher
    if higher is bool or lower.is_floating_point:
        return promote_types(higher, lower)
    return higher


def scalar_dtype(x):
    """The dtype a Python number takes when it takes part in an op (a 'wrapped number')."""
    t = type(x)
    if t is builtins.bool or t is np.bool_:
        return bool
    if t is builtins.int or isinstance(x, np.integer):
        return int64
    if t is builtins.float or isinstance(x, np.floating):
        return _default[0]
    if t is complex or isinstance(x, np.complexfloating):
        return default_complex()
    raise TypeError(f"unsupported scalar type {t.__name__}")


def result_type_of(dims, zeros, scalars):
    """PyTorch's result type from the dtypes of dimensioned tensors, 0-dim tensors and Python scalars."""
    d = z = s = None
    for x in dims:
        d = x if d is None else promote_types(d, x)
    for x in zeros:
        z = x if z is None else promote_types(z, x)
    for x in scalars:
        s = x if s is None else promote_types(s, x)
    return _combine_categories(d, _combine_categories(z, s))


def can_cast(from_, to):
    """Whether PyTorch's in-place/out= casting allows ``from_`` into ``to`` (category may not go down)."""
    return from_._cat <= to._cat


def _g(x):
    """PyTorch's ``%g``-style number in finfo/iinfo reprs (``65504``, ``1.19209e-07``)."""
    return f"{x:g}"


class finfo:
    """Machine limits of a floating point dtype (``ember.finfo(ember.float32).eps``)."""

    def __init__(self, type=None):
        type = _default[0] if type is None else type
        if not (type.is_floating_point or type.is_complex):
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        if type.is_complex:
            type = float32 if type is complex64 else float64
        if type.name != "bfloat16":
            info = np.finfo(type.np)
            self.bits, self.eps = info.bits, builtins.float(info.eps)
            self.max, self.min = builtins.float(info.max), builtins.float(info.min)
            self.tiny = self.smallest_normal = builtins.float(info.smallest_normal)
            self.resolution = 10.0 ** -builtins.int(info.precision)
        else:  # bfloat16 (without ml-dtypes its NumPy dtype is a stand-in)
            self.bits, self.eps, self.max = 16, 0.0078125, 3.3895313892515355e+38
            self.min, self.resolution = -self.max, 0.01
            self.tiny = self.smallest_normal = 1.1754943508222875e-38
        self.dtype = type.name

    def __eq__(self, other):
        return isinstance(other, finfo) and self.dtype == other.dtype

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, max={_g(self.max)}, eps={_g(self.eps)}, "
                f"smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, dtype={self.dtype})")


class iinfo:
    """Machine limits of an integer dtype (``ember.iinfo(ember.int32).max``)."""

    def __init__(self, type):
        if type.is_floating_point or type.is_complex or type is bool:
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.max, self.min, self.dtype = info.bits, builtins.int(info.max), builtins.int(info.min), type.name

    def __eq__(self, other):
        return isinstance(other, iinfo) and self.dtype == other.dtype

    def __hash__(self):
        return hash(self.dtype)

    def __repr__(self):
        return f"iinfo(min={_g(builtins.float(self.min))}, max={_g(builtins.float(self.max))}, dtype={self.dtype})"
