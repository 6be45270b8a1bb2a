"""Random factories (rand, randn, randint, randperm, normal, bernoulli, multinomial) over ember.random's samplers."""
import numpy as np

from .. import dtypes as D
from ..device import check_cpu
from ._util import _wrap, is_tensor
from ..autograd.grad_mode import no_grad
from .creation import _as_dtype, _finish, _like_input, _size, _type_name, empty_like
from .ranges import _num


# ============================================================================ random

def _R():
    from .. import random
    return random


def _gen(generator):
    return generator if generator is not None else _R().default_generator


def _float_dtype(dtype, name):
    dt = _as_dtype(dtype, name) or D.get_default_dtype()
    if not (dt.is_floating_point or dt.is_complex):
        raise NotImplementedError(f"\"{name}\" not implemented for '{_type_name(dt)}'")
    return dt


def rand(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
         pin_memory=False):
    shape = _size(size, "rand")
    dt = _float_dtype(dtype, "check_uniform_bounds")
    check_cpu(device)
    return _finish(_R().uniform(_gen(generator), shape, 0.0, 1.0, dt.np), requires_grad, device)


def randn(*size, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
          pin_memory=False):
    shape = _size(size, "randn")
    dt = _float_dtype(dtype, "normal_kernel_cpu")
    check_cpu(device)
    return _finish(_R().normal(_gen(generator), shape, 0.0, 1.0, dt.np), requires_grad, device)


def _int_arg(v, fn, name):
    v = _num(v)
    if isinstance(v, bool) or not isinstance(v, int):
        raise TypeError(f"{fn}(): argument '{name}' must be int, not {type(v).__name__}")
    return v


def randint(*args, size=None, generator=None, out=None, dtype=None, layout=None, device=None,
            requires_grad=False, pin_memory=False, low=None, high=None):
    """``randint(high, size)`` or ``randint(low, high, size)``; int64 unless ``dtype`` says otherwise."""
    args = list(args)
    if size is None:
        if not args or not isinstance(args[-1], (tuple, list)):
            raise TypeError("randint() received an invalid combination of arguments - missing 'size'")
        size = args.pop()
    if high is not None:
        args = ([low] if low is not None else []) + args + [high]
    elif low is not None:
        args = [low] + args
    if len(args) == 1:
        lo, hi = 0, args[0]
    elif len(args) == 2:
        lo, hi = args
    else:
        raise TypeError("randint() received an invalid combination of arguments")
    lo, hi = _int_arg(lo, "randint", "low"), _int_arg(hi, "randint", "high")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint(): argument 'size' must be tuple of ints, not {type(size).__name__}")
    shape = _size((tuple(size),), "randint")
    dt = _as_dtype(dtype, "randint") or D.int64
    check_cpu(device)
    return _finish(_R().randint(_gen(generator), shape, lo, hi, dt.np), requires_grad, device)


def _random_like(input, dtype, fn, memory_format, requires_grad, device, fill):
    """``empty_like(input)`` then an in-place draw: values land in the new tensor's memory order, as PyTorch's."""
    _like_input(input, fn)
    dt = _as_dtype(dtype, fn) or input.dtype
    out = empty_like(input, dtype=dt, memory_format=memory_format, device=device)
    with no_grad():
        fill(out)
    return out.requires_grad_() if requires_grad else out


def rand_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
              generator=None):
    return _random_like(input, dtype, "rand_like", memory_format, requires_grad, device,
                        lambda t: t.uniform_(generator=generator))


def randn_like(input, *, dtype=None, layout=None, device=None, requires_grad=False, memory_format=None,
               generator=None):
    return _random_like(input, dtype, "randn_like", memory_format, requires_grad, device,
                        lambda t: t.normal_(generator=generator))


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None, requires_grad=False,
                 memory_format=None, generator=None):
    if high is None:
        low, high = 0, low
    return _random_like(input, dtype, "randint_like", memory_format, requires_grad, device,
                        lambda t: t.random_(low, high, generator=generator))


def randperm(n, *, generator=None, out=None, dtype=None, layout=None, device=None, requires_grad=False,
             pin_memory=False):
    n = _int_arg(n, "randperm", "n")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    dt = _as_dtype(dtype, "randperm") or D.int64
    if dt is D.bool or dt.is_complex:
        raise NotImplementedError(f"\"randperm_cpu\" not implemented for '{_type_name(dt)}'")
    check_cpu(device)
    arr = _R().randperm(_gen(generator), n)
    return _finish(np.asarray(arr).astype(dt.np, copy=False), requires_grad, device)


def normal(mean=0.0, std=1.0, size=None, *, generator=None, out=None, dtype=None, layout=None, device=None,
           requires_grad=False, pin_memory=False):
    mt, st = is_tensor(mean), is_tensor(std)
    if not mt and not st:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments - got (float, float), "
                            "but expected one of: (float mean, float std, tuple of ints size, *, ...)")
        if std < 0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        dt = _float_dtype(dtype, "normal_kernel_cpu")
        shape = _size((size,) if isinstance(size, (tuple, list)) else (size,), "normal")
        return _finish(_R().normal(_gen(generator), shape, float(mean), float(std), dt.np), requires_grad, device)
    for t in (mean, std):
        if is_tensor(t) and not (t.dtype.is_floating_point or t.dtype.is_complex):
            raise NotImplementedError(f"\"normal_kernel_cpu\" not implemented for '{_type_name(t.dtype)}'")
    m = mean._data if mt else float(mean)
    s = std._data if st else float(std)
    if st and s.size and not bool(np.all(s >= 0)):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not st and s < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {s:g}")
    if mt and st and m.shape != s.shape:
        np.broadcast_shapes(m.shape, s.shape)  # ValueError-free check below gives PyTorch's RuntimeError
    try:
        np.broadcast_shapes(np.shape(m), np.shape(s))
    except ValueError:
        raise RuntimeError(f"The size of tensor a ({np.shape(m)[-1]}) must match the size of tensor b "
                           f"({np.shape(s)[-1]}) at non-singleton dimension 0") from None
    return _wrap(_R().normal_tensor(_gen(generator), m, s))


def bernoulli(input, p=None, *, generator=None, out=None):
    x = input._data
    if p is not None:
        return _wrap(_R().bernoulli_scalar(_gen(generator), x.shape, float(p), x.dtype))
    return _wrap(_R().bernoulli_tensor(_gen(generator), x))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None):
    return _wrap(_R().multinomial(_gen(generator), input._data, int(num_samples), bool(replacement)))


def poisson(input, generator=None):
    g = _gen(generator)
    rng = np.random.default_rng(int(_R().randint(g, (1,), 0, 2 ** 62, np.int64)[0]))
    return _wrap(rng.poisson(input._data).astype(input._data.dtype))
