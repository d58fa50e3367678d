"""Pagination: page numbers for browsing, a cursor for partners who sync incrementally.

A page's ``count`` is the number of rows of the whole filtered list: a ``COUNT(*)`` that reads
the whole table (235,000 cities) while the page itself reads a hundred rows. The count is kept
in the default cache under the content version (:func:`core.contentversion.current`) and the
count's SQL: the same filter answers from the cache until any content changes, and the next
request after an edit counts afresh.
"""

import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination

from core import contentversion
from core.validation import has_control_characters, whole_number

#: How long an unchanged count is kept; a change of content makes it unreachable at once.
COUNT_TIMEOUT = 24 * 60 * 60


def count_key(queryset) -> str | None:
    """The cache key of ``queryset``'s count: its database, the content version, and the SQL
    and parameters of its rows (tables, joins, conditions, distinct, grouping), without what
    does not change how many rows there are (ordering, related columns, annotations in the
    select list), which is also what makes it costly to write; None when the query has no SQL
    (it matches nothing by construction)."""
    query = queryset.query.chain()
    query.clear_ordering(force=True)
    query.select_related = False
    query.set_annotation_mask(())
    try:
        sql, params = query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return None
    text = f"{queryset.db}\n{contentversion.current()}\n{sql}\n{params!r}"
    return "api-count:" + hashlib.sha256(text.encode()).hexdigest()


#: Counts this process has read or made, by cache key: the key holds the content version, so an
#: entry is never stale, only unreachable; it saves the shared cache's round trip on the next
#: request of the same filter. Emptied when it grows past COUNTS_KEPT.
_counts: dict[str, int] = {}
COUNTS_KEPT = 4096


class CachedCountPaginator(Paginator):
    """Django's paginator, with the count from the cache (see the module's docstring)."""

    @cached_property
    def count(self):
        key = count_key(self.object_list) if hasattr(self.object_list, "query") else None
        if key is None:
            return super().count
        count = _counts.get(key)
        if count is None:
            count = cache.get(key)
            if count is None:
                count = super().count
                cache.set(key, count, COUNT_TIMEOUT)
            if len(_counts) >= COUNTS_KEPT:
                _counts.clear()
            _counts[key] = count
        return count


class PageSizeMixin:
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        size = whole_number(raw, minimum=1, maximum=self.max_page_size)
        if size is None:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return size


class PageNumberWithSizePagination(PageSizeMixin, PageNumberPagination):
    """``?page=2&page_size=100`` (at most 500 a page); ``count`` from the cache while the
    content does not change."""

    django_paginator_class = CachedCountPaginator
    #: The largest page number asked for that is worth counting to: a larger one is a 400.
    max_page_number = 10**9

    def get_page_number(self, request, paginator):
        """The page asked for, ASCII digits from 1 (``last`` for the last page); anything else is
        a 400 naming ``page``. A page after the last is still a 404 (there is no such page)."""
        raw = request.query_params.get(self.page_query_param)
        if not raw or raw in self.last_page_strings:
            return super().get_page_number(request, paginator)
        if whole_number(raw, minimum=1, maximum=self.max_page_number) is None:
            raise ValidationError(
                {self.page_query_param: [_("Give a page number: a whole number from 1.")]}, code="invalid"
            )
        return raw


class SyncCursorPagination(PageSizeMixin, CursorPagination):
    """``?mode=cursor[&updated_since=…]``: records in the order they last changed, with opaque
    ``next`` links that stay correct while the data changes. Store the newest ``updated_at``
    seen and pass it as ``updated_since`` next time to fetch only what changed since."""

    ordering = ("updated_at", "id")
    cursor_query_param = "cursor"

    def decode_cursor(self, request):
        """A cursor that this API did not write is a 400 naming ``cursor`` (REST framework
        answers 404)."""
        raw = request.query_params.get(self.cursor_query_param)
        try:
            if raw is not None and (not raw.isascii() or has_control_characters(raw)):
                raise NotFound
            return super().decode_cursor(request)
        except NotFound:
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid: follow the “next” link of a page.")]},
                code="invalid",
            ) from None
