"""Grad mode: ``no_grad``, ``enable_grad``, ``set_grad_enabled`` (contexts and decorators).

The flag lives in one module-level object so the op hot path reads it with a
single attribute lookup.
"""
import functools
import inspect


class _State:
    __slots__ = ("enabled",)

    def __init__(self):
        self.enabled = True


_state = _State()


def is_grad_enabled():
    """Whether ops record the graph right now."""
    return _state.enabled


class _DecoratorContextManager:
    """A context manager usable as ``@decorator`` too (also on generators), as PyTorch's are."""

    def __call__(self, func):
        if inspect.isclass(func):
            raise RuntimeError("Decorating classes is deprecated and will be disabled in future versions. "
                               "You should only decorate functions or methods.")
        if inspect.isgeneratorfunction(func):
            @functools.wraps(func)
            def gen(*args, **kwargs):
                g = func(*args, **kwargs)
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
            return gen

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with self.clone():
                return func(*args, **kwargs)
        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_DecoratorContextManager):
    """Disable graph recording inside the block."""

    def __init__(self):
        self.prev = False

    def __enter__(self):
        self.prev = _state.enabled
        _state.enabled = False

    def __exit__(self, *exc):
        _state.enabled = self.prev


class enable_grad(_DecoratorContextManager):
    """Enable graph recording inside the block (undoes an enclosing ``no_grad``)."""

    def __init__(self):
        self.prev = False

    def __enter__(self):
        self.prev = _state.enabled
        _state.enabled = True

    def __exit__(self, *exc):
        _state.enabled = self.prev


class set_grad_enabled(_DecoratorContextManager):
    """Set grad mode to ``mode``; takes effect at once, and as a context restores the old mode on exit."""

    def __init__(self, mode):
        if not isinstance(mode, bool):
            raise TypeError(f"set_grad_enabled(): argument 'mode' (position 1) must be bool, not {type(mode).__name__}")
        self.prev = _state.enabled
        self.mode = mode
        _state.enabled = mode

    def __enter__(self):
        _state.enabled = self.mode

    def __exit__(self, *exc):
        _state.enabled = self.prev

    def __call__(self, func):
        # used as @set_grad_enabled(False): constructing it flipped the mode, undo that
        _state.enabled = self.prev
        return super().__call__(func)

    def clone(self):
        return self.__class__(self.mode)
