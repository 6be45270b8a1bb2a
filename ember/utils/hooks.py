"""Removable handles for hooks kept in dicts (tensor hooks, later module hooks)."""
import itertools
import warnings
import weakref

_ids = itertools.count()


class RemovableHandle:
    """A handle that removes its hook from the dict(s) it was registered in."""

    def __init__(self, hooks_dict, *, extra_dict=None):
        self.hooks_dict_ref = weakref.ref(hooks_dict)
        self.id = next(_ids)
        self.extra_dict_ref = () if extra_dict is None else tuple(
            weakref.ref(d) for d in (extra_dict if isinstance(extra_dict, list) else [extra_dict]))

    def remove(self):
        d = self.hooks_dict_ref()
        if d is not None and self.id in d:
            del d[self.id]
        for ref in self.extra_dict_ref:
            e = ref()
            if e is not None and self.id in e:
                del e[self.id]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


_scalar_warned = []


def warn_scalar_once():
    """float()/complex() of a tensor requiring grad: PyTorch's warning, once per process as TORCH_WARN_ONCE."""
    if _scalar_warned:
        return
    _scalar_warned.append(True)
    warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to unexpected behavior.\n"
                  "Consider using tensor.detach() first.", UserWarning, stacklevel=3)
