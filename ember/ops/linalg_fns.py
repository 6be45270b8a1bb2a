"""ember.linalg's functions: inv, det, solve, svdvals and the vector/matrix norms.

Forward and backward side by side like every op; the products they build on live in ops/linalg.py.
"""
import math

import numpy as np

from .. import dtypes as D
from ._util import _wrap, norm_dim
from ..autograd.function import _NOCTX
from ..autograd.grad_mode import _state as _grad_state
from .elementwise import Op
from .linalg import LinAlgError, _conj, _finish_out, _infer_size, _out_check, _st


# ============================================================================ ember.linalg

def _square(x, name):
    if x.ndim < 2:
        raise RuntimeError(f"{name}: The input tensor A must have at least 2 dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise RuntimeError(f"{name}: A must be batches of square matrices, but they are {x.shape[-2]} by "
                           f"{x.shape[-1]} matrices")
    _float_input(x, name)


def _float_input(x, name):
    if x.dtype.kind not in "fc" and not (D.bfloat16 is not None and x.dtype == D.bfloat16.np):
        raise RuntimeError(f"{name}: Expected a floating point or complex tensor as input. Got {_st(x.dtype)}")


def _zero_pivot(m):
    """1-based index of the first zero pivot of LAPACK-style LU with partial pivoting (0 if none)."""
    u = np.array(m, dtype=np.complex128 if m.dtype.kind == "c" else np.float64)
    n = u.shape[0]
    first = 0
    for k in range(n):
        p = k + int(np.argmax(np.abs(u[k:, k])))
        if u[p, k] == 0:
            if not first:
                first = k + 1
            continue
        if p != k:
            u[[k, p]] = u[[p, k]]
        u[k + 1:, k:] -= np.outer(u[k + 1:, k] / u[k, k], u[k, k:])
    return first


def _singular(x, fmt):
    """The LinAlgError for the first singular matrix in a batch (PyTorch's wording)."""
    flat = x.reshape((-1,) + x.shape[-2:])
    for bi, m in enumerate(flat):
        k = _zero_pivot(m)
        if k or not np.all(np.isfinite(m)):
            prefix = f"(Batch element {bi}): " if x.ndim > 2 else ""
            return LinAlgError(fmt(prefix, k or 1))
    return LinAlgError(fmt("", 1))


class Inv(Op):
    node_name = "LinalgInvExBackward0"
    check_inputs = staticmethod(lambda needs: [])

    @staticmethod
    def forward(ctx, a):
        x = a._data
        _square(x, "linalg.inv")
        try:
            return np.linalg.inv(x) if x.size else x.copy()
        except np.linalg.LinAlgError:
            raise _singular(x, lambda p, k: f"linalg.inv: {p}The diagonal element {k} is zero, the inversion could "
                                            "not be completed because the input matrix is singular.") from None

    @staticmethod
    def backward(ctx, g):
        inv = _conj(ctx.saved_output().mT)
        return -(inv @ g @ inv)


def inv(A, *, out=None):
    _out_check("linalg_inv_ex", out, A)
    return _finish_out(Inv.apply(A), out)


def _cofactor(x):
    """d det(A) / dA (the cofactor matrix) through the SVD, finite for singular matrices too."""
    u, s, vh = np.linalg.svd(x)
    n = s.shape[-1]
    adj = np.empty_like(s)
    for i in range(n):
        adj[..., i] = np.prod(np.delete(s, i, axis=-1), axis=-1)
    sign = np.linalg.det(u) * np.linalg.det(vh)
    return sign[..., None, None] * (u * adj[..., None, :]) @ vh


def _near_singular(x):
    c = np.linalg.cond(x)
    return bool(np.any(~np.isfinite(c)) or np.any(c > 1 / np.finfo(x.real.dtype).eps))


class Det(Op):
    node_name = "LinalgDetBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        _square(x, "linalg.det")
        return np.asarray(np.linalg.det(x), dtype=x.dtype)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        d = ctx.saved_output()
        x = a._data
        if x.size and _near_singular(x):
            return _det_grad_singular(g, a)
        return (g * _conj(d)).unsqueeze(-1).unsqueeze(-1) * _conj(inv(a).mT)


def _det_grad_singular(g, a):
    """PyTorch's singular-case det grad: the cofactor matrix from ``A = U diag(S) Vh``.

    ``d det / dA = det(U) det(Vh) * U diag(prod_{j != i} S_j) Vh``, finite when A is singular. Written with
    ops on ``Svd``'s outputs, so create_graph differentiates it (through the SVD's own backward).
    """
    from .reduce import _prod_safe_zeros
    x = a._data
    if x.dtype.kind == "c":  # the SVD's grad is real-only here: the cofactor as a constant (first order)
        return g.unsqueeze(-1).unsqueeze(-1) * _wrap(np.conj(_cofactor(x)).astype(x.dtype))
    u, s, vh = Svd.apply(a)
    alpha = _wrap((np.linalg.det(u._data) * np.linalg.det(vh._data)).astype(x.dtype))  # +-1: locally constant
    dS = _prod_safe_zeros((g * alpha).unsqueeze(-1), s, s.ndim - 1)
    return (u * dS.unsqueeze(-2)) @ vh


def det(A, *, out=None):
    _out_check("_linalg_det", out, A)
    return _finish_out(Det.apply(A), out)


def _is_vector_rhs(A, B):
    return B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))


class Solve(Op):
    node_name = "LinalgSolveExBackward0"

    @staticmethod
    def forward(ctx, a, b, left=True):
        A, B = a._data, b._data
        _square(A, "linalg.solve")
        _float_input(B, "linalg.solve")
        if A.dtype != B.dtype:
            raise RuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but found A of type "
                               f"{_st(A.dtype)} and B of type {_st(B.dtype)} instead")
        vec = _is_vector_rhs(A, B)
        ctx.vec, ctx.left = vec, left
        Bm = B[..., None] if vec else B
        n = A.shape[-1]
        if left:
            if Bm.shape[-2] != n:
                raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation AX = B "
                                   f"({n}x{n} and {Bm.shape[-2]}x{Bm.shape[-1]})")
        elif Bm.shape[-1] != n:
            raise RuntimeError(f"linalg.solve: Incompatible shapes of A and B for the equation XA = B "
                               f"({n}x{n} and {Bm.shape[-2]}x{Bm.shape[-1]})")
        batch = _infer_size(Bm.shape[:-2], A.shape[:-2])
        Ab = np.broadcast_to(A, batch + A.shape[-2:])
        Bb = np.broadcast_to(Bm, batch + Bm.shape[-2:])
        try:
            if left:
                X = np.linalg.solve(Ab, Bb) if Ab.size and Bb.size else np.zeros(Bb.shape, A.dtype)
            else:
                X = np.swapaxes(np.linalg.solve(np.swapaxes(Ab, -1, -2), np.swapaxes(Bb, -1, -2)), -1, -2) \
                    if Ab.size and Bb.size else np.zeros(Bb.shape, A.dtype)
        except np.linalg.LinAlgError:
            raise _singular(Ab, lambda p, k: f"torch.linalg.solve: {p}The solver failed because the input matrix is "
                                             "singular.") from None
        X = X.astype(A.dtype, copy=False)
        return X[..., 0] if vec else X

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        x = ctx.saved_output()
        aH = _conj(a.mT)
        if ctx.vec:
            gb = solve(aH, g)
            ga = -(gb.unsqueeze(-1) * _conj(x).unsqueeze(-2)) if ctx.needs_input_grad[0] else None
        elif ctx.left:
            gb = solve(aH, g)
            ga = -(gb @ _conj(x.mT)) if ctx.needs_input_grad[0] else None
        else:  # X A = B: gB = g A^-H, gA = -X^H gB
            gb = solve(aH, g, left=False)
            ga = -(_conj(x.mT) @ gb) if ctx.needs_input_grad[0] else None
        return ga, (gb if ctx.needs_input_grad[1] else None)


def solve(A, B, *, left=True, out=None):
    _out_check("_linalg_solve_ex", out, A, B)
    return _finish_out(Solve.apply(A, B, left=left), out)


class Svdvals(Op):
    node_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        if x.ndim < 2:
            raise RuntimeError("linalg.svd: The input tensor A must have at least 2 dimensions.")
        _float_input(x, "linalg.svd")
        rdt = x.real.dtype if x.dtype.kind == "c" else x.dtype
        if x.size == 0:
            return np.zeros(x.shape[:-2] + (min(x.shape[-2:]),), dtype=rdt)
        if ctx is not _NOCTX:  # a graph is recorded: keep U, V^H for backward
            u, s, vh = np.linalg.svd(x, full_matrices=False)
            ctx.uv = (u, vh)
        else:
            s = np.linalg.svd(x, compute_uv=False)
        return s.astype(rdt, copy=False)

    @staticmethod
    def backward(ctx, g):
        a = ctx.inputs[0]
        if a._data.size == 0:
            return g.new_zeros(a.shape)
        if _grad_state.enabled and a._data.dtype.kind != "c":
            # create_graph: U and Vh depend on A too; take them from a recorded Svd so that the grad of
            # this formula flows through the SVD's own backward
            u, _, vh = Svd.apply(a)
        else:
            u, vh = _wrap(ctx.uv[0]), _wrap(ctx.uv[1])
        # dA = U diag(g) V^H
        return (u * g.to(a.dtype).unsqueeze(-2)) @ vh


class Svd(Op):
    """The reduced SVD ``A = U diag(S) Vh`` with its grad (PyTorch's svd_backward), real dtypes.

    ember has no public ``linalg.svd`` yet; svdvals' and det's backward formulas use it under create_graph.
    """
    node_name = "LinalgSvdBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        return u.astype(x.dtype, copy=False), s.astype(x.dtype, copy=False), vh.astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx, gU, gS, gVh):
        u, s, vh = ctx.saved_output(0), ctx.saved_output(1), ctx.saved_output(2)
        m, n = u.shape[-2], vh.shape[-1]
        gU = gU if gU is not None and (gU._requires_grad or gU._data.any()) else None
        gVh = gVh if gVh is not None and (gVh._requires_grad or gVh._data.any()) else None
        if gU is None and gVh is None:
            return (u * gS.unsqueeze(-2)) @ vh if gS is not None else None
        # gA = U [ (skew(U^T gU) S + S skew(V^T gV)) / E + diag(gS) ] Vh
        #      + (I - U U^T) gU S^-1 Vh + U S^-1 gV^T (I - V V^T),   E_ij = S_j^2 - S_i^2 (1 on the diagonal)
        v = vh.mT
        gV = gVh.mT if gVh is not None else None
        s2 = s * s
        k = s.shape[-1]
        eye = _wrap(np.eye(k, dtype=bool))
        e = (s2.unsqueeze(-2) - s2.unsqueeze(-1)).masked_fill(eye, 1)
        core = None
        if gU is not None:
            uhgu = u.mT @ gU
            core = (uhgu - uhgu.mT) * s.unsqueeze(-2)
        if gV is not None:
            vhgv = vh @ gV
            t = s.unsqueeze(-1) * (vhgv - vhgv.mT)
            core = t if core is None else core + t
        core = core / e
        if gS is not None:
            core = core + gS.diag_embed()
        if m > n and gU is not None:
            gus = gU / s.unsqueeze(-2)
            return (u @ core + gus - u @ (u.mT @ gus)) @ vh
        if m < n and gV is not None:
            gvs = (gV / s.unsqueeze(-2)).mT
            return u @ (core @ vh + gvs - (gvs @ v) @ vh)
        return u @ core @ vh


def svdvals(A, *, driver=None, out=None):
    _out_check("_linalg_svd", out, A)
    return _finish_out(Svdvals.apply(A), out)


def _vector_norm(*args, **kwargs):
    from .reduce import vector_norm
    return vector_norm(*args, **kwargs)


def _fmt_ord(o):
    if isinstance(o, float) and o.is_integer():
        return str(int(o))
    return str(o)


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None, out=None):
    """``linalg.matrix_norm``: Frobenius, nuclear, or the 1/2/inf operator norms (and their negatives)."""
    if dtype is not None:
        A = A.to(dtype)
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _float_input(A._data, "linalg.matrix_norm")
    if isinstance(dim, int) or len(dim) != 2:
        got = dim if isinstance(dim, int) else " ".join(str(d) for d in dim)
        raise RuntimeError(f"linalg.matrix_norm: dim must be a 2-tuple. Got {got}")
    d0, d1 = norm_dim(dim[0], A.ndim), norm_dim(dim[1], A.ndim)
    if d0 == d1:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({d0}, {d1})")
    if isinstance(ord, str):
        if ord not in ("fro", "nuc"):
            raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    elif abs(ord) not in (1, 2, math.inf):
        raise RuntimeError(f"linalg.matrix_norm: Order {_fmt_ord(ord)} not supported.")
    if ord == "fro":
        r = _vector_norm(A, 2, (d0, d1), keepdim)
    elif ord == "nuc" or abs(ord) == 2:
        perm = [k for k in range(A.ndim) if k not in (d0, d1)] + [d0, d1]
        s = svdvals(A.permute(perm))
        if ord == "nuc":
            r = s.sum(-1, keepdim=keepdim)
            if keepdim:
                r = r.unsqueeze(-1).permute(_reverse(perm))
        else:
            r = s.amax(-1) if ord > 0 else s.amin(-1)
            if keepdim:
                r = r.unsqueeze(-1).unsqueeze(-1).permute(_reverse(perm))
    else:
        if abs(ord) == math.inf:
            d0, d1 = d1, d0
        if not keepdim and d0 < d1:
            d1 -= 1
        s = A.abs().sum(d0, keepdim=keepdim)
        r = s.amax(d1, keepdim=keepdim) if ord > 0 else s.amin(d1, keepdim=keepdim)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def _reverse(perm):
    inv_perm = [0] * len(perm)
    for i, p in enumerate(perm):
        inv_perm[p] = i
    return inv_perm


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, dtype=None, out=None):
    """``linalg.norm``: a vector norm, or a matrix norm for a 2-D input / a 2-tuple ``dim`` with an ``ord``."""
    if isinstance(dim, int):
        dim = (dim,)
    if dim is not None:
        dim = tuple(dim)
        if len(dim) not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}")
    elif ord is not None and A.ndim not in (1, 2):
        raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got "
                           f"{A.ndim}D.")
    if isinstance(ord, str):
        r = matrix_norm(A, ord, dim if dim is not None else (0, 1), keepdim, dtype=dtype)
    elif ord is not None and ((dim is not None and len(dim) == 2) or (dim is None and A.ndim == 2)):
        r = matrix_norm(A, ord, dim if dim is not None else (0, 1), keepdim, dtype=dtype)
    else:
        r = _vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


def vecdot(x, y, *, dim=-1, out=None):
    """``linalg.vecdot``: the dot product of conj(x) and y along ``dim`` (broadcasting)."""
    if x.dtype is not y.dtype:
        raise RuntimeError(f"linalg.vecdot: Expected x and y to have the same dtype, but found x of type "
                           f"{_st(x._data.dtype)} and y of type {_st(y._data.dtype)} instead")
    r = (_conj(x) * y).sum(dim)
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r
