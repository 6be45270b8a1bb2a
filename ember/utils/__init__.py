"""``ember.utils``: hooks helpers and ``data`` (datasets, DataLoader), imported on first use."""


def __getattr__(name):
    # ember.utils.data pulls in the loader machinery: load it when first touched, not with `import ember`
    if name == "data":
        import importlib
        return importlib.import_module(".data", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
