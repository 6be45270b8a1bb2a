"""Triangles and diagonals: tril/triu, diag, diagonal, diag_embed, trace (forward and backward side by side)."""
import builtins

import numpy as np

from ._util import norm_dim
from .elementwise import Op
from .shape import _as_view


# ============================================================================ triangles & diagonals

class Tril(Op):
    node_name = "TrilBackward0"
    saves = False
    _f = staticmethod(np.tril)

    @classmethod
    def forward(cls, ctx, a, diagonal=0):
        ctx.k = diagonal
        return cls._f(a._data, diagonal)

    @staticmethod
    def backward(ctx, g):
        return g.tril(ctx.k)


class Triu(Tril):
    node_name = "TriuBackward0"
    _f = staticmethod(np.triu)

    @staticmethod
    def backward(ctx, g):
        return g.triu(ctx.k)


def tril(input, diagonal=0):
    if input._data.ndim < 2:
        raise RuntimeError("tril: input tensor must have at least 2 dimensions")
    return Tril.apply(input, diagonal=diagonal)


def triu(input, diagonal=0):
    if input._data.ndim < 2:
        raise RuntimeError("triu: input tensor must have at least 2 dimensions")
    return Triu.apply(input, diagonal=diagonal)


def _diag_view(x, offset, d1, d2):
    """A writable view of ``x``'s diagonal (NumPy hands out a read-only one)."""
    v = np.diagonal(x, offset, d1, d2)
    if x.flags.writeable:
        v.flags.writeable = True
    return v


class Diagonal(Op):
    node_name = "DiagonalBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, offset=0, dim1=0, dim2=1):
        x = a._data
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return _diag_view(x, offset, dim1, dim2)

    @staticmethod
    def backward(ctx, g):
        return DiagScatter.apply(g, shape=ctx.shape, args=ctx.args)


class DiagonalCopy(Diagonal):
    node_name = "DiagonalBackward0_copy"

    @staticmethod
    def forward(ctx, a, offset=0, dim1=0, dim2=1):
        x = a._data
        ctx.shape, ctx.args = x.shape, (offset, dim1, dim2)
        return np.diagonal(x, offset, dim1, dim2).copy()


class DiagScatter(Op):
    """Zeros of ``shape`` with ``g`` on a diagonal: diagonal's backward (and diag_embed's forward)."""
    node_name = "DiagonalScatterBackward0"
    saves = False

    @staticmethod
    def forward(ctx, g, shape, args):
        ctx.args = args
        z = np.zeros(shape, dtype=g._data.dtype)
        _diag_view(z, *args)[...] = g._data
        return z

    @staticmethod
    def backward(ctx, gg):
        return gg.diagonal(*ctx.args)


class DiagEmbed(DiagScatter):
    node_name = "DiagEmbedBackward0"


def diagonal(input, offset=0, dim1=0, dim2=1):
    n = input._data.ndim
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _as_view(Diagonal.apply(input, offset=offset, dim1=d1, dim2=d2), input)


def diagonal_copy(input, offset=0, dim1=0, dim2=1):
    n = input._data.ndim
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return DiagonalCopy.apply(input, offset=offset, dim1=d1, dim2=d2)


def diag(input, diagonal=0):
    n = input._data.ndim
    if n == 1:
        return diag_embed(input, diagonal, 0, 1)
    if n == 2:
        return diagonal_copy(input, diagonal)
    raise RuntimeError(f"diag(): Supports 1D or 2D tensors. Got {n}D")


def diag_embed(input, offset=0, dim1=-2, dim2=-1):
    x = input._data
    n = x.ndim + 1
    d1, d2 = norm_dim(dim1, n), norm_dim(dim2, n)
    if d1 == d2:
        raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    size = x.shape[-1] + builtins.abs(offset)
    shape = list(x.shape[:-1])
    lo, hi = builtins.min(d1, d2), builtins.max(d1, d2)
    shape.insert(lo, size)
    shape.insert(hi, size)
    return DiagEmbed.apply(input, shape=tuple(shape), args=(offset, d1, d2))


class Trace(Op):
    node_name = "TraceBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a):
        x = a._data
        ctx.shape = x.shape
        t = np.trace(x)
        return np.asarray(t, dtype=np.int64 if x.dtype.kind in "iu" else x.dtype)

    @staticmethod
    def backward(ctx, g):
        # g on the diagonal, written with an op (DiagScatter's backward reads the diagonal) so that
        # create_graph differentiates through it: raw NumPy here would cut the grad of ``g``
        n = builtins.min(ctx.shape)
        return DiagScatter.apply(g.expand(n), shape=ctx.shape, args=(0, 0, 1))


def trace(input):
    x = input._data
    if x.ndim != 2:
        raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(x.ndim))
    if x.dtype == np.bool_:
        raise NotImplementedError("\"trace\" not implemented for 'Bool'")
    return Trace.apply(input)
