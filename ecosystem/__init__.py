"""ecosystem: a knowledge graph of a corporate-political ecosystem.

Importing the package reads no file and builds nothing; call :func:`load` and
:func:`build_graph` (or :func:`load_graph` for both).
"""

__version__ = "0.1.0"

__all__ = ["__version__", "load", "build_graph", "load_graph", "snapshot"]


def __getattr__(name):  # lazy: keep `import ecosystem` free of work
    if name == "load":
        from .loader import load

        return load
    if name in ("build_graph", "load_graph", "snapshot"):
        from . import graph

        return getattr(graph, name)
    raise AttributeError(f"module 'ecosystem' has no attribute {name!r}")
