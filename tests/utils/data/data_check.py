"""Helpers for the ember.utils.data tests: run the same code on ember and torch, compare nested results."""
import collections.abc

import numpy as np
import torch

import ember


def same_tree(e, t, what="out"):
    """Equal structure (container types, keys, lengths) and equal tensors (type, shape, dtype, values)."""
    if isinstance(t, torch.Tensor):
        assert isinstance(e, ember.Tensor), f"{what}: expected an ember Tensor, got {type(e).__name__}"
        assert tuple(e.shape) == tuple(t.shape), f"{what}: shape {tuple(e.shape)} != {tuple(t.shape)}"
        assert str(e.dtype) == str(t.dtype), f"{what}: dtype {e.dtype} != {t.dtype}"
        np.testing.assert_array_equal(e.detach().numpy(), t.detach().numpy(), err_msg=what)
        return
    if isinstance(t, np.ndarray):
        assert isinstance(e, np.ndarray) and e.dtype == t.dtype, what
        np.testing.assert_array_equal(e, t, err_msg=what)
        return
    if isinstance(t, collections.abc.Mapping):
        assert type(e).__name__ == type(t).__name__, f"{what}: {type(e)} != {type(t)}"
        assert list(e.keys()) == list(t.keys()), what
        for k in t:
            same_tree(e[k], t[k], f"{what}[{k!r}]")
        return
    if isinstance(t, (list, tuple)):
        assert type(e).__name__ == type(t).__name__, f"{what}: {type(e).__name__} != {type(t).__name__}"
        assert len(e) == len(t), f"{what}: len {len(e)} != {len(t)}"
        for i, (a, b) in enumerate(zip(e, t)):
            same_tree(a, b, f"{what}[{i}]")
        return
    assert type(e) is type(t) and e == t, f"{what}: {e!r} != {t!r}"


def both(fn):
    """``fn(lib)`` for ember and torch."""
    return fn(ember), fn(torch)


def raises_same(fn):
    """``fn(lib)`` raises the same exception type and message in ember and torch; returns the message."""
    errs = []
    for lib in (ember, torch):
        try:
            fn(lib)
        except Exception as exc:  # noqa: BLE001 - the point is to compare whatever torch raises
            errs.append(exc)
        else:
            errs.append(None)
    e, t = errs
    assert t is not None, "torch did not raise"
    assert e is not None, f"ember did not raise; torch raised {type(t).__name__}: {t}"
    assert type(e) is type(t), f"{type(e).__name__}: {e}  !=  {type(t).__name__}: {t}"
    assert str(e) == str(t), f"message {str(e)!r} != {str(t)!r}"
    return str(t)
