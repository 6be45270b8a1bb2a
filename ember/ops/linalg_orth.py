"""Orthogonal-matrix ops: ``matrix_exp``, ``householder_product`` (``orgqr``) and ``geqrf``.

``nn.utils.parametrizations.orthogonal`` is built on these. Forward in NumPy, backward written with
ember ops so that create_graph differentiates it again.
"""
import numpy as np

from .. import return_types
from ._util import _wrap
from .elementwise import Op
from .linalg import _st
from .linalg_fns import _float_input

# Higham (2005): degree-13 Pade with scaling and squaring; theta_13 bounds the 1-norm that needs no scaling
_PADE13 = (64764752532480000., 32382376266240000., 7771770303897600., 1187353796428800., 129060195264000.,
           10559470521600., 670442572800., 33522128640., 1323241920., 40840800., 960960., 16380., 182., 1.)
_THETA13 = 5.371920351148152


def _expm(x):
    """exp of a batch of square matrices (computed in double precision, returned in ``x``'s dtype)."""
    wide = np.complex128 if x.dtype.kind == "c" else np.float64
    a = x.astype(wide)
    n = a.shape[-1]
    if a.size == 0:
        return x.copy()
    norm1 = np.abs(a).sum(-2).max(-1)
    with np.errstate(divide="ignore"):
        s = np.maximum(0, np.ceil(np.log2(norm1 / _THETA13))).astype(np.int64)
    s = np.where(np.isfinite(norm1), s, 0)
    a = a / np.exp2(s)[..., None, None]
    b = _PADE13
    eye = np.eye(n, dtype=wide)
    a2 = a @ a
    a4 = a2 @ a2
    a6 = a4 @ a2
    u = a @ (a6 @ (b[13] * a6 + b[11] * a4 + b[9] * a2) + b[7] * a6 + b[5] * a4 + b[3] * a2 + b[1] * eye)
    v = a6 @ (b[12] * a6 + b[10] * a4 + b[8] * a2) + b[6] * a6 + b[4] * a4 + b[2] * a2 + b[0] * eye
    with np.errstate(all="ignore"):
        try:
            r = np.linalg.solve(v - u, v + u)
        except np.linalg.LinAlgError:  # non-finite input: NaN out, like torch
            r = np.full_like(a, np.nan)
        # each matrix squares as often as it was halved
        for j in range(int(s.max()) if s.size else 0):
            sq = r @ r
            r = np.where((s > j)[..., None, None], sq, r)
    return r.astype(x.dtype, copy=False)


class MatrixExp(Op):
    node_name = "LinalgMatrixExpBackward0"

    @staticmethod
    def forward(ctx, a):
        x = a._data
        if x.ndim < 2:
            raise RuntimeError("linalg.matrix_exp: The input tensor A must have at least 2 dimensions.")
        if x.shape[-1] != x.shape[-2]:
            raise RuntimeError(f"linalg.matrix_exp: A must be batches of square matrices, but they are {x.shape[-2]} "
                               f"by {x.shape[-1]} matrices")
        _float_input(x, "linalg.matrix_exp")
        return _expm(x)

    @staticmethod
    def backward(ctx, g):
        # the Frechet derivative in direction G^H: exp([[A^H, G], [0, A^H]]) holds it in its top-right block
        from .join import cat
        a = ctx.inputs[0]
        n = a.shape[-1]
        ah = a.mH
        big = cat([cat([ah, g], -1), cat([ah.new_zeros(ah.shape), ah], -1)], -2)
        return MatrixExp.apply(big)[..., :n, n:]


def matrix_exp(A):
    """``torch.linalg.matrix_exp``: the matrix exponential of each square matrix in ``A``."""
    return MatrixExp.apply(A)


def _householder_checks(x, t):
    name = "torch.linalg.householder_product"
    if x.ndim < 2:
        raise RuntimeError(f"{name}: input must have at least 2 dimensions.")
    if x.shape[-2] < x.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-2] must be greater than or equal to input.shape[-1]")
    if t.ndim >= 1 and x.shape[-1] < t.shape[-1]:
        raise RuntimeError(f"{name}: input.shape[-1] must be greater than or equal to tau.shape[-1]")
    if t.ndim != x.ndim - 1:
        raise RuntimeError(f"{name}: Expected tau to have one dimension less than input, but got tau.ndim equal to "
                           f"{t.ndim} and input.ndim is equal to {x.ndim}")
    if t.shape[:-1] != x.shape[:-2]:
        raise RuntimeError(f"{name}: Expected batch dimensions of tau to be equal to input.shape[:-2], but got "
                           f"{list(t.shape[:-1])}")
    if t.dtype != x.dtype:
        raise RuntimeError(f"{name}: tau dtype {_st(t.dtype)} does not match input dtype {_st(x.dtype)}")
    _float_input(x, "linalg.householder_product")


def _reflectors(a, k):
    """The Householder vectors as columns: unit diagonal, ``a``'s strictly lower part, first ``k`` columns."""
    m = a.shape[-2]
    return np.tril(a[..., :k], -1) + np.eye(m, k, dtype=a.dtype)


class HouseholderProduct(Op):
    node_name = "LinalgHouseholderProductBackward0"

    @staticmethod
    def forward(ctx, a, tau):
        x, t = a._data, tau._data
        _householder_checks(x, t)
        m, n = x.shape[-2:]
        k = t.shape[-1]
        v = _reflectors(x, k)
        q = np.broadcast_to(np.eye(m, n, dtype=x.dtype), x.shape).copy()
        # Q = H_1 H_2 ... H_k I[:, :n], H_i = I - tau_i v_i v_i^H, applied right to left
        for i in range(k - 1, -1, -1):
            vi = v[..., :, i:i + 1]
            q -= t[..., i, None, None] * (vi @ (vi.conj().swapaxes(-1, -2) @ q))
        return q

    @staticmethod
    def backward(ctx, g):
        from .join import cat
        a, tau = ctx.inputs
        m, n = a.shape[-2:]
        k = tau.shape[-1]
        v = _wrap(_reflectors(a._data, k))
        if a._requires_grad:  # the vectors depend on A: take them from A's strictly lower part, recorded
            v = a[..., :k].tril(-1) + _wrap(np.eye(m, k, dtype=a._data.dtype))
        ts = [tau[..., i, None, None] for i in range(k)]
        cols = [v[..., :, i:i + 1] for i in range(k)]
        # S_i = H_{i+1} ... H_k E (what multiplies H_i on the right)
        right = [None] * k
        cur = _wrap(np.broadcast_to(np.eye(m, n, dtype=a._data.dtype), a.shape).copy())
        for i in range(k - 1, -1, -1):
            right[i] = cur
            cur = cur - ts[i] * (cols[i] @ (cols[i].mH @ cur))
        # R_i = (H_1 ... H_{i-1})^H G; dL/dH_i = R_i S_i^H, used through its products with v_i only
        r = g
        gvs, gts = [], []
        for i in range(k):
            vi, ti, si = cols[i], ts[i], right[i]
            sv = si.mH @ vi
            rv = r.mH @ vi
            gts.append(-(rv.mH @ sv))
            gvs.append(-ti.conj() * (r @ sv) - ti * (si @ rv))
            r = r - ti.conj() * (vi @ (vi.mH @ r))
        ga = gt = None
        if ctx.needs_input_grad[0]:
            ga = cat(gvs, -1).tril(-1) if k else a.new_zeros(a.shape)[..., :0]
            if k < n:
                ga = cat([ga, a.new_zeros(a.shape[:-1] + (n - k,))], -1)
        if ctx.needs_input_grad[1]:
            gt = cat(gts, -1)[..., 0, :] if k else tau.new_zeros(tau.shape)
        return ga, gt


def householder_product(A, tau, *, out=None):
    """``torch.linalg.householder_product``: the first n columns of the product of Householder reflectors."""
    r = HouseholderProduct.apply(A, tau)
    if out is not None:
        out.resize_(r.shape).copy_(r)
        return out
    return r


def orgqr(input, tau):
    """``torch.orgqr``: alias of ``linalg.householder_product``."""
    return householder_product(input, tau)


def geqrf(input, *, out=None):
    """``torch.geqrf``: LAPACK's QR in packed form (R above the diagonal, reflectors below, and their taus).

    Not differentiable (torch has no derivative for it either).
    """
    x = input._data
    if x.ndim < 2:
        raise RuntimeError("torch.geqrf: input must have at least 2 dimensions.")
    _float_input(x, "geqrf")
    m, n = x.shape[-2:]
    if x.size == 0:
        h, tau = x.copy(), np.zeros(x.shape[:-2] + (min(m, n),), dtype=x.dtype)
    else:
        h, tau = np.linalg.qr(x, mode="raw")
        h = np.ascontiguousarray(h.swapaxes(-1, -2)).astype(x.dtype, copy=False)
        tau = tau.astype(x.dtype, copy=False)
    return return_types.geqrf(_wrap(h), _wrap(tau))
