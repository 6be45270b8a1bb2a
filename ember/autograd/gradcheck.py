"""Finite-difference checks of backward formulas (PyTorch's ``gradcheck``/``gradgradcheck``)."""
import numpy as np

from . import function as _F


class GradcheckError(RuntimeError):
    """Raised when analytical and numerical grads disagree."""


def _as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


def _numerical(fn, inputs, idx, eps):
    """Jacobian columns of each output w.r.t. input ``idx`` by central differences."""
    x = inputs[idx]._data
    flat = x.reshape(-1)
    cols = []
    for k in range(flat.size):  # a loop over the few elements of a small test input
        orig = flat[k]
        flat[k] = orig + eps
        plus = [o._data.copy() for o in _as_tuple(fn(*inputs))]
        flat[k] = orig - eps
        minus = [o._data.copy() for o in _as_tuple(fn(*inputs))]
        flat[k] = orig
        cols.append([(p - m).reshape(-1) / (2 * eps) for p, m in zip(plus, minus)])
    return cols


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """Compare ``func``'s backward with finite differences for every input that requires grad."""
    from . import grad as _grad
    inputs = _as_tuple(inputs)
    if not any(isinstance(t, _F.Tensor) and t._requires_grad for t in inputs):
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of them have "
                         "requires_grad=True.")
    for i, t in enumerate(inputs):
        if isinstance(t, _F.Tensor) and t._requires_grad and t._data.dtype not in (np.float64, np.complex128):
            import warnings
            warnings.warn(f"Input #{i} requires gradient and is not a double precision floating point or complex. "
                          "This check will likely fail if all the inputs are not of double precision floating point "
                          "or complex. ", UserWarning, stacklevel=2)
    outs = _as_tuple(func(*inputs))
    for i, t in enumerate(inputs):
        if not (isinstance(t, _F.Tensor) and t._requires_grad):
            continue
        num = _numerical(func, inputs, i, eps)
        for oi, o in enumerate(outs):
            if not o._requires_grad:
                continue
            n_out = o._data.size
            analytic = np.zeros((t._data.size, n_out), dtype=np.result_type(t._data.dtype, o._data.dtype))
            for j in range(n_out):
                seed = np.zeros(o._data.shape, dtype=o._data.dtype)
                seed.reshape(-1)[j] = 1
                g = _grad(_as_tuple(func(*inputs))[oi], t, _F._wrap(seed), allow_unused=True)[0]
                if g is not None:
                    analytic[:, j] = g._data.reshape(-1)
            numeric = np.stack([c[oi] for c in num]) if num else np.zeros((0, n_out), dtype=analytic.dtype)
            if not np.allclose(analytic, numeric, rtol=rtol, atol=atol):
                msg = (f"Jacobian mismatch for output {oi} with respect to input {i},\n"
                       f"numerical:{_F._wrap(numeric)!r}\nanalytical:{_F._wrap(analytic)!r}\n")
                if raise_exception:
                    raise GradcheckError(msg)
                return False
    return True


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3, gen_non_contig_grad_outputs=False,
                  raise_exception=True, **kwargs):
    """gradcheck of the backward itself (second derivatives through ``create_graph=True``)."""
    from . import grad as _grad
    inputs = _as_tuple(inputs)
    outs = _as_tuple(func(*inputs))
    rng = np.random.default_rng(0)
    if grad_outputs is None:
        grad_outputs = tuple(_F._wrap(rng.standard_normal(o._data.shape)).requires_grad_() for o in outs)

    n = len(inputs)

    def first(*args):
        xs, gos = args[:n], args[n:]
        o = _as_tuple(func(*xs))
        gs = _grad(o, [x for x in xs if isinstance(x, _F.Tensor) and x._requires_grad], gos, create_graph=True,
                   allow_unused=True, materialize_grads=True)
        return gs

    return gradcheck(first, tuple(inputs) + tuple(grad_outputs), eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception)
