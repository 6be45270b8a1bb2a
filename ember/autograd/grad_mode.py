"""Grad modes: ``no_grad``, ``enable_grad``, ``set_grad_enabled``, ``inference_mode`` (contexts and decorators).

The flags live in one module-level object so the op hot path reads them with a
single attribute lookup.
"""
import functools
import inspect


class _NoVersion(int):
    """The version counter of an inference tensor, which has none: bumping it is allowed only in inference mode."""

    def __add__(self, other):
        if not _state.inference:
            raise RuntimeError(INPLACE_INFERENCE_MSG)
        return self

    __radd__ = __add__


INPLACE_INFERENCE_MSG = (
    "Inplace update to inference tensor outside InferenceMode is not allowed.You can make a clone to get a normal "
    "tensor before doing inplace update.See https://github.com/pytorch/rfcs/pull/17 for more details.")
NO_VERSION = _NoVersion(0)


class _State:
    """Thread-global autograd switches. ``vc0`` is the version every new tensor starts at:
    ``NO_VERSION`` in inference mode, which is how a tensor knows it is an inference tensor."""

    __slots__ = ("enabled", "grad", "inference", "vc0", "anomaly", "check_nan", "saved_hooks")

    def __init__(self):
        self.enabled = True  # whether ops record: grad mode on and inference mode off (the hot-path check)
        self.grad = True  # grad mode as is_grad_enabled() reports it
        self.inference = False
        self.vc0 = 0
        self.anomaly = False
        self.check_nan = True
        self.saved_hooks = None  # the innermost saved_tensors_hooks' (pack, unpack), or None


_state = _State()


def is_grad_enabled():
    """Whether grad mode is on."""
    return _state.grad


def is_inference_mode_enabled():
    """Whether inference mode is on."""
    return _state.inference


class _DecoratorContextManager:
    """A context manager usable as ``@decorator`` too (also on generators), as PyTorch's are."""

    def __new__(cls, *args, **kwargs):
        # ``@no_grad`` without parentheses: the decorated function arrives as the only argument
        if len(args) == 1 and not kwargs and callable(args[0]) and not isinstance(args[0], bool) \
                and cls._bare_decorator:
            return cls()(args[0])
        return super().__new__(cls)

    _bare_decorator = True

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError("Decorating classes is deprecated and will be disabled in future versions. "
                               "You should only decorate functions or methods.")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def gen(*args, **kwargs):
                g = func(*args, **kwargs)
                try:
                    with self.clone():
                        resp = g.send(None)
                    while True:
                        try:
                            req = yield resp
                        except GeneratorExit:
                            with self.clone():
                                g.close()
                            raise
                        except BaseException as e:
                            with self.clone():
                                resp = g.throw(e)
                        else:
                            with self.clone():
                                resp = g.send(req)
                except StopIteration as e:  # the wrapped generator finished: finish too, with its return value
                    return e.value
            return gen

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


def _set_grad(mode):
    """Set grad mode; ops record only when it is on and inference mode is off."""
    _state.grad = mode
    _state.enabled = mode and not _state.inference


class _GradModeContext(_DecoratorContextManager):
    _mode = None

    def __enter__(self):
        self.prev = (_state.grad, _state.enabled)
        _set_grad(self._mode)

    def __exit__(self, *exc):
        _state.grad, _state.enabled = self.prev


class no_grad(_GradModeContext):
    """Disable graph recording inside the block."""

    _mode = False


class enable_grad(_GradModeContext):
    """Enable graph recording inside the block (undoes an enclosing ``no_grad``; not inference mode)."""

    _mode = True


class inference_mode(_DecoratorContextManager):
    """No graph recording, and new tensors are inference tensors (no version counter, never saved for backward).

    ``inference_mode(False)`` turns both off again (and, as in PyTorch, turns grad mode on).
    """

    def __init__(self, mode=True):
        if not isinstance(mode, bool):
            raise TypeError(f"inference_mode(): argument 'mode' must be bool, not {type(mode).__name__}")
        self.mode = mode
        self.prev = None

    def __enter__(self):
        self.prev = (_state.grad, _state.enabled, _state.inference, _state.vc0)
        _state.inference = self.mode
        _state.vc0 = NO_VERSION if self.mode else 0
        _set_grad(not self.mode)

    def __exit__(self, *exc):
        _state.grad, _state.enabled, _state.inference, _state.vc0 = self.prev

    def clone(self):
        return self.__class__(self.mode)


class set_grad_enabled(_DecoratorContextManager):
    """Set grad mode to ``mode``; takes effect at once, and as a context restores the old mode on exit."""

    _bare_decorator = False

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' (position 1) must be bool, not {type(mode).__name__}")
        self.prev = (_state.grad, _state.enabled)
        self.mode = mode
        _set_grad(mode)

    def __enter__(self):
        _set_grad(self.mode)

    def __exit__(self, *exc):
        _state.grad, _state.enabled = self.prev

    def __call__(self, func):
        # used as @set_grad_enabled(False): constructing it flipped the mode, undo that
        _state.grad, _state.enabled = self.prev
        return super().__call__(func)

    def clone(self):
        return self.__class__(self.mode)
