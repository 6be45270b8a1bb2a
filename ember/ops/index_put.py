"""The recorded history of ``t[key] = v`` on tensors in the graph: IndexPut / CopySlices nodes, and for a write
through a view, the root's CopySlices plus the view's regenerated as_strided node (see ``index.setitem``).

Backward formulas move grads between root, view and value with ops (where / index_select / index_add), so
``create_graph=True`` differentiates through them too.
"""
import builtins

import numpy as np
from numpy.lib.stride_tricks import as_strided

from ..autograd.function import set_history
from ._util import _wrap
from .elementwise import Op
from .index import Index, _rebase, _value_grad, _write
from .scatter import IndexAdd, IndexSelect
from .shape import Slice


class IndexPut(Op):
    """``a[key][adv] = v`` in place, recorded for autograd: grads flow to the old ``a`` and to ``v``."""
    node_name = "IndexPutBackward0"
    saves = False

    @staticmethod
    def forward(ctx, a, v, key, adv, val):
        ctx.key, ctx.adv = key, adv
        x = a._data
        _write(x[key], adv, val)
        return x

    @staticmethod
    def backward(ctx, g):
        key, adv = ctx.key, ctx.adv
        ga = None
        if ctx.needs_input_grad[0]:
            # g with the overwritten elements zeroed, by an op: create_graph differentiates through it
            keep = np.ones(g._data.shape, bool)
            _write(keep[key], adv, False)
            ga = _keep_where(keep, g)
        gv = None
        if ctx.needs_input_grad[1]:
            gv = Index.apply(g, key=key, adv=adv) if adv is not None else Slice.apply(g, key=key)
            gv = _value_grad(gv, ctx.inputs[1])
        return ga, gv


def _torch_name(cls, name):
    """PyTorch prints some in-place nodes with their C++ namespace (``torch::autograd::CopySlices``)."""
    cls._node_cls.name = lambda self: name


class CopySlices(IndexPut):
    node_name = "CopySlices"


_torch_name(CopySlices, "torch::autograd::CopySlices")


class FillInto(IndexPut):
    node_name = "FillBackward3"


class CopyInto(IndexPut):
    node_name = "CopyBackwards"


_torch_name(CopyInto, "torch::autograd::CopyBackwards")


def _like_root(layout):
    """A zero array laid out like the root (shape, byte strides, dtype), and the flat buffer under it."""
    shape, st, dt = layout
    extent = 1 + builtins.sum((n - 1) * s for n, s in zip(shape, st)) // dt.itemsize if 0 not in shape else 1
    flat = np.zeros(builtins.max(extent, 1), dt)
    return flat, as_strided(flat, shape, st)


def _view_positions(geom):
    """For every element of the view described by ``geom``, its flat (C-order) position in the root.

    Backward formulas then move grads between root and view with index ops (index_select / index_add),
    which have grads of their own, instead of writing through strided NumPy views.
    """
    layout, off, vshape, vst = geom
    shape, st, dt = layout
    # the same layout in int64: byte strides rescaled from the root's item size to 8
    flat, proot = _like_root((shape, tuple(x // dt.itemsize * 8 for x in st), np.dtype(np.int64)))
    proot[...] = np.arange(proot.size, dtype=np.int64).reshape(shape)
    return as_strided(flat[off:], vshape, tuple(x // dt.itemsize * 8 for x in vst))


def _keep_where(keep, g):
    """``g`` where the boolean array ``keep`` is set, zero elsewhere (an op: it has a grad)."""
    from .arith import Where
    return Where.apply(_wrap(keep), g, _wrap(np.zeros((), g._data.dtype)))


def _take_flat(g, pos):
    """The elements of ``g`` at flat positions ``pos`` (an int array), shaped like ``pos``."""
    return IndexSelect.apply(g.reshape(-1), dim=0, index=np.ascontiguousarray(pos).reshape(-1)).reshape(pos.shape)


class ViewCopySlices(Op):
    """``view[key][adv] = v`` where ``view`` is a view of ``root``: the new history of ``root`` (CopySlices)."""
    node_name = "CopySlices"
    saves = False

    @staticmethod
    def forward(ctx, root, v, view, geom, key, adv, val):
        ctx.geom, ctx.key, ctx.adv = geom, key, adv
        _write(view[key], adv, val)
        return root._data

    @staticmethod
    def backward(ctx, g):
        sub = _view_positions(ctx.geom)[ctx.key]
        written = sub[ctx.adv] if ctx.adv is not None else sub
        gv = None
        if ctx.needs_input_grad[1]:
            gv = _value_grad(_take_flat(g, written), ctx.inputs[1])
        ga = None
        if ctx.needs_input_grad[0]:
            keep = np.ones(g._data.size, bool)
            keep[written.reshape(-1)] = False
            ga = _keep_where(keep.reshape(g._data.shape), g)
        return ga, gv


_torch_name(ViewCopySlices, "torch::autograd::CopySlices")


class AsStridedView(Op):
    """The regenerated history of a view after an in-place write through it (``AsStridedBackward0``)."""
    node_name = "AsStridedBackward0"
    saves = False

    @staticmethod
    def forward(ctx, root, view, geom):
        ctx.geom = geom
        return view

    @staticmethod
    def backward(ctx, g):
        geom = ctx.geom
        shape = geom[0][0]
        pos = np.ascontiguousarray(_view_positions(geom)).reshape(-1)
        z = _wrap(np.zeros(int(np.prod(shape, dtype=np.int64)), g._data.dtype))
        return IndexAdd.apply(z, g.reshape(-1), dim=0, index=pos).reshape(shape)


def _setitem_view(a, root, npkey, adv, val, value):
    """``a[key] = value`` where ``a`` views ``root``: root's history becomes CopySlices, a's an as_strided of it."""
    ra, va = root._data, a._data
    off = va.__array_interface__["data"][0] - ra.__array_interface__["data"][0]
    if off < 0 or builtins.any(s < 0 for s in ra.strides + va.strides):
        raise RuntimeError("ember does not support in-place assignment into this view of a tensor that is part of "
                           "the autograd graph; index the base tensor instead")
    geom = ((ra.shape, ra.strides, ra.dtype), off // ra.itemsize, va.shape, va.strides)
    _rebase(root, ViewCopySlices.apply(root, value, view=va, geom=geom, key=npkey, adv=adv, val=val))
    v = AsStridedView.apply(root, view=va, geom=geom)
    set_history(a, v._grad_fn, v._output_nr)
    a._requires_grad = v._requires_grad
