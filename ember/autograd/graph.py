"""``ember.autograd.graph``: the node type and hooks on saved tensors (PyTorch's ``torch.autograd.graph``)."""
from .function import Node, _bump
from .grad_mode import _state

__all__ = ["Node", "saved_tensors_hooks", "save_on_cpu", "disable_saved_tensors_hooks", "increment_version"]


class saved_tensors_hooks:
    """Inside the block, tensors a Function saves for backward go through ``pack_hook`` when saved and
    ``unpack_hook`` when backward reads them (``ctx.saved_tensors``)."""

    def __init__(self, pack_hook, unpack_hook):
        self.pack_hook = pack_hook
        self.unpack_hook = unpack_hook

    def __enter__(self):
        if isinstance(_state.saved_hooks, str):
            raise RuntimeError(_state.saved_hooks)
        self.prev = _state.saved_hooks
        _state.saved_hooks = (self.pack_hook, self.unpack_hook)

    def __exit__(self, *exc):
        _state.saved_hooks = self.prev


class save_on_cpu(saved_tensors_hooks):
    """Keep saved tensors in CPU memory (ember's tensors already live there: the hooks copy nothing)."""

    def __init__(self, pin_memory=False, device_type="cuda"):
        super().__init__(lambda t: t, lambda t: t)


class disable_saved_tensors_hooks:
    """Inside the block, registering saved-tensor hooks raises ``RuntimeError(error_message)``."""

    def __init__(self, error_message):
        self.error_message = error_message

    def __enter__(self):
        self.prev = _state.saved_hooks
        _state.saved_hooks = self.error_message

    def __exit__(self, *exc):
        _state.saved_hooks = self.prev


def increment_version(tensor):
    """Bump the version counter of ``tensor`` (or of each tensor in an iterable), as an in-place op would."""
    for t in (tensor if isinstance(tensor, (list, tuple)) else (tensor,)):
        _bump(t)
