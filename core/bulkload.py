"""Bulk loads: code that writes many rows of one model at once tells the apps above it.

The gazetteer (``cities``) writes hundreds of thousands of cities; the search app, above it in
the layers, keeps an index of them with database triggers that cost most of such a load. The
gazetteer may not import the search app, so, as with :mod:`core.composition`, the higher app
registers in its ``AppConfig.ready()`` (:func:`register`) a handler for the model, and the
writer wraps its load in :func:`bulk_load`:

    with bulkload.bulk_load(City, using=alias) as load:
        ...  # write, in as many transactions as it likes
        load.rows += written

A handler is ``handler(load) -> a context manager``, entered when the load starts and exited
when it ends, also when it fails (the exception is passed on, as ``with`` does); the
:class:`Load` says which model and database, and ``load.rows`` how many rows were written, as
the writer counted them. The
handlers must leave the database as if they had not been there: whatever the load committed
must be handled when it ends, whether it ended well or not.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS

_handlers: dict[str, dict[Callable, None]] = defaultdict(dict)


@dataclass
class Load:
    """One bulk load: the model, the database, and the rows written so far."""

    model: type
    using: str
    rows: int = 0
    notes: list[str] = field(default_factory=list)


def register(model_label: str, handler: Callable[[Load], AbstractContextManager]) -> None:
    """Call ``handler(load)`` around every bulk load of the model ``"app.Model"`` (once per
    handler, however often registered)."""
    _handlers[model_label][handler] = None


@contextlib.contextmanager
def bulk_load(model, *, using: str = DEFAULT_DB_ALIAS) -> Iterator[Load]:
    """Wrap a bulk load of ``model`` in the registered handlers (see the module)."""
    load = Load(model, using)
    with contextlib.ExitStack() as stack:
        for handler in list(_handlers.get(model._meta.label, ())):
            stack.enter_context(handler(load))
        yield load
