"""Anomaly detection: ``detect_anomaly`` / ``set_detect_anomaly`` (PyTorch's ``torch.autograd.anomaly_mode``).

While it is on, every recorded node keeps the stack of the forward call that
created it; the engine checks each backward output for NaN and, when a node's
backward fails, warns with that stack before the error propagates.
"""
import warnings

from .grad_mode import _state


def is_anomaly_enabled():
    """Whether anomaly detection is on."""
    return _state.anomaly


def is_anomaly_check_nan_enabled():
    """Whether anomaly detection also checks backward outputs for NaN."""
    return _state.check_nan


class detect_anomaly:
    """Turn anomaly detection on inside the block (a context manager; PyTorch 2.13's is not a decorator)."""

    def __init__(self, check_nan=True):
        self.prev = _state.anomaly
        self.check_nan = check_nan
        self.prev_check_nan = _state.check_nan
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should only be "
                      "enabled for debugging.", stacklevel=2)

    def __enter__(self):
        self.prev, self.prev_check_nan = _state.anomaly, _state.check_nan
        _state.anomaly, _state.check_nan = True, self.check_nan

    def __exit__(self, *exc):
        _state.anomaly, _state.check_nan = self.prev, self.prev_check_nan


class set_detect_anomaly:
    """Turn anomaly detection on or off now; used as a context manager, restore the old setting on exit."""

    def __init__(self, mode, check_nan=True):
        self.prev, self.prev_check_nan = _state.anomaly, _state.check_nan
        _state.anomaly, _state.check_nan = bool(mode), bool(check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.anomaly, _state.check_nan = self.prev, self.prev_check_nan
