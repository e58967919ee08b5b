"""ecosystem: a knowledge graph of a corporate-political ecosystem.

Importing the package reads no file and builds nothing. For questions from Python::

    import ecosystem
    eco = ecosystem.open()            # or ecosystem.open("mydata/"); nothing is read yet
    eco.controllers("ant_group")

:func:`load`, :func:`build_graph`, :func:`load_graph` and :func:`snapshot` give the dataset and
its networkx graph directly.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "open", "Ecosystem", "load", "build_graph", "load_graph", "snapshot"]


def __getattr__(name):  # lazy: keep `import ecosystem` free of work
    if name in ("open", "Ecosystem"):
        from . import api

        return getattr(api, name)
    if name == "load":
        from .loader import load

        return load
    if name in ("build_graph", "load_graph", "snapshot"):
        from . import graph

        return getattr(graph, name)
    raise AttributeError(f"module 'ecosystem' has no attribute {name!r}")
