"""Keep Python's cyclic garbage collector out of a request's latency.

A check allocates hundreds of thousands of short-lived objects (token lists, feature dicts, row
tuples); each 700 allocations the collector walks the young generation, and every tenth young
collection the middle one, and now and then the whole heap, which in a worker holding the
stance-feature and WordNet caches is hundreds of thousands of objects: a pause of tens of
milliseconds that lands inside some unlucky request. Almost nothing a check allocates is part of
a reference cycle (reference counting frees it), so the collector finds little while it runs.

``paused_collector`` switches automatic collection off for the enclosed block and, when the last
paused block of the process ends, switches it back on and runs one young-generation collection
(``gc.collect(0)``: only what was allocated since, a fraction of a millisecond), which frees any
cycles the block left and resets the allocation counter. The older generations are collected as
usual between requests, when their thresholds are reached. Nested and concurrent blocks (threads
of one worker) are counted, so the collector stays off until none is running; a process in which
the collector was already off (``gc.disable()`` by someone else) is left as it was.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_active = 0
_restore = False


@contextmanager
def paused_collector() -> Iterator[None]:
    """Run the enclosed block with automatic garbage collection off; collect the young generation after."""
    global _active, _restore
    with _lock:
        if _active == 0:
            _restore = gc.isenabled()
            gc.disable()
        _active += 1
    try:
        yield
    finally:
        with _lock:
            _active -= 1
            last = _active == 0
            if last and _restore:
                gc.enable()
        if last and _restore:
            gc.collect(0)
