"""``ember.nn``: functional ops now; Module, Parameter and layers arrive with the nn milestone."""
from . import functional  # noqa: F401
