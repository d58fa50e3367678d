"""Pages of a lower app that show what a higher app records about their records.

The domain apps depend one way (sources ← cities ← networks ← projects) and never import an app
above them. A city's profile still shows the city's memberships, offices and projects, and a
network's profile its projects: the higher app *contributes* them. In its ``AppConfig.ready()``
it registers (:func:`contribute`), under the name of the page, a function that returns context
entries for one record or one that annotates the page's rows; the page asks for the
contributions (:func:`context`, :func:`rows`) and hands them to its template. The higher app
owns the reads (and their query counts); the lower app owns the page; no import goes upwards.

Page names are ``"<app>.<page>"``, e.g. ``"cities.city_profile"``; the pages document which
entries their templates read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from django.db.models import QuerySet

_context_contributors: dict[str, dict[Callable[..., dict], None]] = defaultdict(dict)
_row_contributors: dict[str, dict[Callable[[QuerySet], QuerySet], None]] = defaultdict(dict)


def contribute(
    *,
    context: dict[str, Callable[..., dict]] | None = None,
    rows: dict[str, Callable[[QuerySet], QuerySet]] | None = None,
) -> None:
    """Register, per page name, ``function(record, ...) -> dict`` giving context entries of a
    page (``context``) and ``function(queryset) -> queryset`` shaping the rows of a list page
    (``rows``: annotations, prefetches). Registering the same function twice is harmless."""
    for page, function in (context or {}).items():
        _context_contributors[page][function] = None
    for page, function in (rows or {}).items():
        _row_contributors[page][function] = None


def context(page: str, *args, **kwargs) -> dict:
    """The context entries every contributor of ``page`` gives for these arguments."""
    entries: dict = {}
    for function in _context_contributors[page]:
        entries.update(function(*args, **kwargs))
    return entries


def rows(page: str, queryset: QuerySet) -> QuerySet:
    """``queryset`` as every contributor of the list ``page`` shapes it."""
    for function in _row_contributors[page]:
        queryset = function(queryset)
    return queryset
