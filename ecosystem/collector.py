"""The one way the package pauses Python's cyclic garbage collector."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """Pause the cyclic garbage collector around work that makes millions of small containers and no
    reference cycles worth collecting (loading, building a graph, analysing control, reading an
    index in bulk): the collector's repeated passes over them cost more than the work itself.

    Collection resumes afterwards, as it was (paused stays paused), and the objects that survive are
    moved to the oldest generation (``gc.freeze()`` then ``gc.unfreeze()``, in constant time), so
    the first young collection does not walk them all only to find them alive. They stay collectable.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
