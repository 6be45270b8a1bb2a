"""einsum, tensordot and kron: contractions written once as ops with their backward.
"""
import string

import numpy as np

from ._util import is_tensor, norm_dim, result_np_dtype
from .elementwise import Op
from .linalg import _conj, _finish_out, _out_check, _st


# ============================================================================ einsum / tensordot / kron

_LETTERS = string.ascii_uppercase + string.ascii_lowercase  # PyTorch's label order: A-Z then a-z


def _parse_sublist(args):
    """``einsum(op0, [0, 1], op1, [1, 2], [0, 2])``: the sublist format as an equation string."""
    args = list(args)
    ops, subs = [], []
    while len(args) >= 2 and is_tensor(args[0]):
        ops.append(args.pop(0))
        subs.append(args.pop(0))
    out = args.pop(0) if args else None

    def conv(sub):
        s = ""
        for v in sub:
            if v is Ellipsis:
                s += "..."
            elif isinstance(v, int) and 0 <= v < 52:
                s += _LETTERS[v]
            else:
                raise RuntimeError(f"einsum(): expected subscript to be within the range [0, 52), but got {v}")
        return s
    eq = ",".join(conv(s) for s in subs)
    if out is not None:
        eq += "->" + conv(out)
    return eq, ops


def _einsum_canonical(equation, ops):
    """Parse ``equation`` as PyTorch does; return (input specs, output spec) with ``...`` spelled out as letters.

    Also validates subscripts and sizes with PyTorch's messages and returns the size of every label.
    """
    for i, ch in enumerate(equation):
        if not (ch in _LETTERS or ch in ".,-> "):
            raise RuntimeError(f"einsum(): invalid subscript given at index {i} in the equation string, subscripts "
                               "must be in [a-zA-Z]")
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    ins = lhs.split(",")
    if len(ins) > len(ops):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(ins) < len(ops):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    # tokens per operand: letters or the ellipsis marker
    toks = []
    ell_ndim = 0
    for i, (s, op) in enumerate(zip(ins, ops)):
        if s.count("...") > 1 or s.replace("...", "").count("."):
            raise RuntimeError("einsum(): found '.' for operand " f"{i} that is not part of any ellipsis")
        t = []
        rest = s
        while rest:
            if rest.startswith("..."):
                t.append("...")
                rest = rest[3:]
            else:
                t.append(rest[0])
                rest = rest[1:]
        nl = sum(1 for c in t if c != "...")
        nd = op.ndim
        if "..." in t:
            if nl > nd:
                raise RuntimeError(f"einsum(): the number of subscripts in the equation ({nl}) is more than the "
                                   f"number of dimensions ({nd}) for operand {i}")
            ell_ndim = max(ell_ndim, nd - nl)
        elif nl != nd:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({nl}) does not match the number "
                               f"of dimensions ({nd}) for operand {i} and no ellipsis was given")
        toks.append(t)
    used = set(c for c in eq if c in _LETTERS)
    free = [c for c in _LETTERS if c not in used]
    ell = free[:ell_ndim]
    specs = []
    for t, op in zip(toks, ops):
        s = ""
        nl = sum(1 for c in t if c != "...")
        for c in t:
            if c == "...":
                k = op.ndim - nl
                s += "".join(ell[ell_ndim - k:])
            else:
                s += c
        specs.append(s)
    # sizes: repeated within an operand must match; across operands they broadcast
    sizes = {}
    for i, (s, op) in enumerate(zip(specs, ops)):
        seen = {}
        for c, n in zip(s, op.shape):
            if c in seen and seen[c] != n:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {i} but the sizes don't match, "
                                   f"{n} != {seen[c]}")
            seen[c] = n
        for c, n in seen.items():
            if c in ell:
                prev = sizes.get(c, 1)
                if n != prev and n != 1 and prev != 1:
                    raise RuntimeError("einsum(): operands do not broadcast with remapped shapes [original->remapped]")
            else:
                prev = sizes.get(c, 1)
                if n != prev and n != 1 and prev != 1:
                    raise RuntimeError(f"einsum(): subscript {c} has size {n} for operand {i} which does not broadcast "
                                       f"with previously seen size {prev}")
            sizes[c] = n if prev == 1 else prev
    if arrow:
        if rhs.count("...") > 1 or rhs.replace("...", "").count("."):
            raise RuntimeError("einsum(): found '.' for output that is not part of any ellipsis")
        out = ""
        rest = rhs
        while rest:
            if rest.startswith("..."):
                out += "".join(ell)
                rest = rest[3:]
                continue
            c = rest[0]
            rest = rest[1:]
            if c in out:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
            if not any(c in s for s in ins):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for any input "
                                   "operand")
            out += c
    else:
        allc = "".join(ins)
        out = "".join(ell) + "".join(c for c in _LETTERS if allc.count(c) == 1)
    return specs, out, sizes


class Einsum(Op):
    """Einstein summation by NumPy; backward is einsum again (so double backward works)."""
    node_name = "ViewBackward0"

    @staticmethod
    def forward(ctx, *ops, specs, out, dtype):
        arrs = [o._data if o._data.dtype == dtype else o._data.astype(dtype) for o in ops]
        ctx.specs, ctx.out = specs, out
        eq = ",".join(specs) + "->" + out
        r = np.einsum(eq, *arrs, optimize=len(arrs) > 2)
        return np.asarray(r, dtype=dtype)

    @staticmethod
    def backward(ctx, g):
        specs, out = ctx.specs, ctx.out
        ops = ctx.inputs
        sizes = {}
        for s, t in zip(specs, ops):
            for c, n in zip(s, t.shape):
                if n != 1 or c not in sizes:
                    sizes[c] = n
        used = set("".join(specs) + out)
        free = [c for c in _LETTERS if c not in used]
        grads = []
        for i, t in enumerate(ops):
            if not ctx.needs_input_grad[i]:
                grads.append(None)
                continue
            spec = specs[i]
            own = dict(zip(spec, t.shape))
            uniq = "".join(dict.fromkeys(spec))
            others = [_conj(ops[j]) for j in range(len(ops)) if j != i]
            other_specs = [specs[j] for j in range(len(ops)) if j != i]
            present = set(out).union(*[set(s) for s in other_specs])
            args, subs = [g], [out]
            for o, s in zip(others, other_specs):
                args.append(o)
                subs.append(s)
            from .creation import ones, eye
            for c in uniq:
                if c not in present:  # summed over in forward: broadcast the grad back along it
                    args.append(ones(own[c], dtype=g.dtype))
                    subs.append(c)
            gi = _einsum_apply(Einsum, subs, uniq, args)
            # dims that were broadcast (size 1 here, larger elsewhere) are summed back
            red = [k for k, c in enumerate(uniq) if own[c] == 1 and gi.shape[k] != 1]
            if red:
                gi = gi.sum(red, keepdim=True)
            # and dims broadcast the other way (size 1 in another operand, larger here) are expanded
            if any(gi.shape[k] != own[c] for k, c in enumerate(uniq)):
                gi = gi.expand([own[c] for c in uniq])
            if len(uniq) != len(spec):  # repeated subscripts: place the grad on the diagonal
                fresh = iter(free)
                target = ""
                seen = set()
                eargs, esubs = [gi], [uniq]
                for c in spec:
                    if c in seen:
                        f = next(fresh)
                        target += f
                        eargs.append(eye(own[c], dtype=g.dtype))
                        esubs.append(c + f)
                    else:
                        seen.add(c)
                        target += c
                gi = _einsum_apply(Einsum, esubs, target, eargs)
            grads.append(gi)
        return tuple(grads)


class _EinsumMul(Einsum):
    node_name = "MulBackward0"


class _EinsumSum(Einsum):
    node_name = "SumBackward1"


class _EinsumPermute(Einsum):
    node_name = "PermuteBackward0"


def _einsum_apply(cls, specs, out, ops):
    dts = [o._data.dtype for o in ops]
    if all(d == dts[0] for d in dts):
        dt = dts[0]
    else:
        dt = result_np_dtype(*ops)
    return cls.apply(*ops, specs=list(specs), out=out, dtype=dt)


def einsum(*args):
    """``einsum(equation, *operands)``, ``einsum(equation, [operands])`` or the sublist format."""
    if args and is_tensor(args[0]):
        equation, operands = _parse_sublist(args)
    else:
        equation, operands = args[0], args[1:]
        if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
            operands = tuple(operands[0])
    operands = list(operands)
    specs, out, _ = _einsum_canonical(equation, operands)
    contracted = bool(set("".join(specs)) - set(out))
    if len(operands) == 1:
        cls = _EinsumSum if contracted else _EinsumPermute
    else:
        cls = Einsum if contracted else _EinsumMul
        if contracted:
            d0 = operands[0]._data.dtype
            for o in operands[1:]:
                if o._data.dtype != d0:
                    raise RuntimeError(f"expected scalar type {_st(d0)} but found {_st(o._data.dtype)}")
    return _einsum_apply(cls, specs, out, operands)


def tensordot(a, b, dims=2, out=None):
    if isinstance(dims, int) or (is_tensor(dims) and dims.ndim == 0):
        dims = int(dims)
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da = list(range(-dims, 0))
        db = list(range(dims))
    else:
        if is_tensor(dims):
            dims = dims.tolist()
        da, db = [[d] if isinstance(d, int) else list(d) for d in dims]
    if len(da) != len(db):
        raise RuntimeError("both dimension lists should have same length")
    if a.dtype is not b.dtype:
        raise RuntimeError("both inputs should have same dtype")
    sa = list(_LETTERS[:a.ndim])
    sb = list(_LETTERS[a.ndim:a.ndim + b.ndim])
    na = [norm_dim(d, a.ndim) for d in da]
    nb = [norm_dim(d, b.ndim) for d in db]
    for i, j, di, dj in zip(na, nb, da, db):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {di} and "
                               f"second has size {b.shape[j]} in dim {dj}")
        sb[j] = sa[i]
    o = [c for k, c in enumerate(sa) if k not in na] + [c for k, c in enumerate(sb) if k not in nb]
    r = _einsum_apply(Einsum, ["".join(sa), "".join(sb)], "".join(o), [a, b])
    if out is not None:
        from .elementwise import _out
        return _out(r, out)
    return r


class Kron(Op):
    node_name = "UnsafeViewBackward0"

    @staticmethod
    def forward(ctx, a, b):
        dt = result_np_dtype(a, b)
        x, y = a._data.astype(dt, copy=False), b._data.astype(dt, copy=False)
        return np.asarray(np.kron(x, y), dtype=dt)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.inputs
        n = max(a.ndim, b.ndim)
        sa = (1,) * (n - a.ndim) + tuple(a.shape)
        sb = (1,) * (n - b.ndim) + tuple(b.shape)
        inter = []
        for p, q in zip(sa, sb):
            inter += [p, q]
        g4 = g.reshape(inter)
        av = a.reshape([d for p in sa for d in (p, 1)])
        bv = b.reshape([d for q in sb for d in (1, q)])
        ga = gb = None
        if ctx.needs_input_grad[0]:
            ga = (g4 * _conj(bv)).sum(list(range(1, 2 * n, 2))).reshape(a.shape) if n else g4 * _conj(bv)
        if ctx.needs_input_grad[1]:
            gb = (g4 * _conj(av)).sum(list(range(0, 2 * n, 2))).reshape(b.shape) if n else g4 * _conj(av)
        return ga, gb


def kron(input, other, *, out=None):
    _out_check("mul", out, input, other)
    return _finish_out(Kron.apply(input, other), out)
