"""``linear`` and ``bilinear`` for ``ember.nn.functional``, composed from existing ops.

``linear`` takes the same op path as PyTorch's so the graph has the same nodes: ``addmm`` for a 2-D
input with bias (AddmmBackward0), ``matmul`` without bias (MmBackward0 / UnsafeViewBackward0 /
SqueezeBackward4), and for other ranks with bias ``addmm`` on the input flattened to 2-D, then a view.
"""
from ..ops.einsum import einsum
from ..ops.linalg import Addmm, addmm, matmul  # noqa: F401  (addmm: the path linear mirrors)
from ..tensor import Tensor


def linear(input, weight, bias=None):
    """``input @ weight.T + bias``. Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.linear.html"""
    for pos, (name, t) in enumerate((("input", input), ("weight", weight), ("bias", bias)), 1):
        if not isinstance(t, Tensor) and (t is not None or pos < 3):
            raise TypeError(f"linear(): argument '{name}' (position {pos}) must be Tensor, not {type(t).__name__}")
    nd = input._data.ndim
    if nd == 0 or weight._data.ndim == 0:
        raise RuntimeError("both arguments to linear need to be at least 1D, but they are "
                           f"{nd}D and {weight._data.ndim}D")
    if bias is None:
        return matmul(input, weight.t())
    if nd == 2:
        return Addmm.apply(bias, input, weight.t())
    shape = input.shape
    out = addmm(bias, input.reshape(-1, shape[-1]), weight.t())
    return out.view(*shape[:-1], out.shape[-1])


def bilinear(input1, input2, weight, bias=None):
    """``x1^T A x2 + b`` over the last dims. Mirrors https://pytorch.org/docs/stable/generated/torch.nn.functional.bilinear.html"""
    if input1.dim() != input2.dim():
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.dim()} and {input2.dim()}")
    for i in range(input1.dim() - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got "
                               f"{input1.shape[i]} and {input2.shape[i]}")
    if input1.shape[-1] != weight.shape[1]:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
                           f"expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
                           f"expected {weight.shape[2]}")
    out = einsum("...i,oij,...j->...o", input1, weight, input2)
    return out if bias is None else out + bias
