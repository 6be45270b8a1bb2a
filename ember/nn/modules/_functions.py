"""Autograd Functions the module machinery uses (mirrors ``torch/nn/modules/_functions.py``)."""
from ...autograd.function import Function


class BackwardHookFunction(Function):
    """Identity on its tensors; its node is where a module's full backward hooks attach."""

    @staticmethod
    def forward(ctx, *args):
        return args

    @staticmethod
    def backward(ctx, *args):
        return args
