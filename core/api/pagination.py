"""Pagination: page numbers for browsing, a cursor for partners who sync incrementally.

A page's ``count`` is the number of rows of the whole filtered list: a ``COUNT(*)`` that reads
the whole table (235,000 cities) while the page itself reads a hundred rows. The count is kept
in the default cache under the content version (:func:`core.contentversion.current`) and the
count's SQL: the same filter answers from the cache until any content changes, and the next
request after an edit counts afresh.
"""

import base64
import datetime
import hashlib

from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Paginator
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core import contentversion
from core.validation import has_control_characters, whole_number

#: How long an unchanged count is kept; a change of content makes it unreachable at once.
COUNT_TIMEOUT = 24 * 60 * 60


def count_key(queryset) -> str | None:
    """The cache key of ``queryset``'s count: its database, the content version, and the SQL
    and parameters of its rows (tables, joins, conditions, distinct, grouping), without what
    does not change how many rows there are (ordering, related columns, annotations in the
    select list, and the select list itself unless the query is distinct or grouped), which is
    also what makes it costly to write; None when the query has no SQL (it matches nothing by
    construction)."""
    query = queryset.query.chain()
    query.clear_ordering(force=True)
    query.select_related = False
    if query.distinct or query.group_by is not None or query.combinator:
        # The columns decide how many rows there are: they stay in the key.
        query.set_annotation_mask(())
    else:
        # How many rows FROM, JOIN and WHERE give: the columns are left out of the SQL, which
        # is then a quarter of the cost to write.
        query.clear_select_clause()
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

    def page_size_parameter(self) -> dict:
        """``page_size`` as the OpenAPI schema describes it."""
        return {
            "name": self.page_size_query_param,
            "required": False,
            "in": "query",
            "description": str(
                _("Rows per page, from 1 to %(max)s (default %(default)s).")
                % {"max": self.max_page_size, "default": self.page_size}
            ),
            "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size, "default": self.page_size},
        }

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

    def get_paginated_response_schema(self, schema):
        """The page as :meth:`get_paginated_response` answers it: exactly these four keys."""
        return {
            "type": "object",
            "required": ["count", "next", "previous", "results"],
            "additionalProperties": False,
            "properties": {
                "count": {
                    "type": "integer",
                    "minimum": 0,
                    "description": str(_("Rows of the whole filtered list.")),
                    "example": 461,
                },
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": str(_("The next page; null on the last.")),
                },
                "previous": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": str(_("The previous page; null on the first.")),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": str(
                    _("Page number, from 1, or “last”. A page after the last answers 404 (page mode only).")
                ),
                "schema": {
                    "oneOf": [
                        {"type": "integer", "minimum": 1, "maximum": self.max_page_number},
                        {"type": "string", "enum": list(self.last_page_strings)},
                    ]
                },
            },
            self.page_size_parameter(),
        ]


class KeysetCursorPagination(PageSizeMixin, BasePagination):
    """Pages of a list ordered by ``ordering`` (a time, then the primary key as tie-breaker), with
    an opaque ``next`` link holding the last row's pair: the next page is the rows after that
    pair, ``(time > t) OR (time = t AND pk > id)``. No offset is involved, so a walk neither
    skips nor repeats a row while rows change: a row changed during the walk gets a later time
    and is met again, with its new values, further on; rows loaded together, sharing one time,
    are told apart by their key. One query per page (no count)."""

    ordering = ("updated_at", "id")
    cursor_query_param = "cursor"
    invalid_cursor_message = _("This cursor is not valid: follow the “next” link of a page.")

    def encode_cursor(self, row) -> str:
        time_field, key_field = self.ordering
        text = f"{getattr(row, time_field).isoformat()}|{getattr(row, key_field)}"
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def decode_cursor(self, request):
        """The (time, key) pair of ``?cursor=``, None without one; a cursor that this API did not
        write is a 400 naming ``cursor``."""
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None:
            return None
        try:
            if not raw.isascii() or has_control_characters(raw):
                raise ValueError(raw)
            text = base64.urlsafe_b64decode(raw + "=" * (-len(raw) % 4)).decode()
            moment, key = text.split("|")
            moment = datetime.datetime.fromisoformat(moment)
            if moment.tzinfo is None or not key.isdigit() or int(key) > 2**63 - 1:
                raise ValueError(raw)
            return moment, int(key)
        except ValueError:
            raise ValidationError({self.cursor_query_param: [self.invalid_cursor_message]}, code="invalid") from None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = self.get_page_size(request)
        position = self.decode_cursor(request)
        time_field, key_field = self.ordering
        queryset = queryset.order_by(*self.ordering)
        if position is not None:
            moment, key = position
            queryset = queryset.filter(
                Q(**{f"{time_field}__gt": moment}) | Q(**{time_field: moment, f"{key_field}__gt": key})
            )
        rows = list(queryset[: size + 1])
        self.next_cursor = self.encode_cursor(rows[size - 1]) if len(rows) > size else None
        return rows[:size]

    def get_next_link(self):
        if self.next_cursor is None:
            return None
        return replace_query_param(self.request.build_absolute_uri(), self.cursor_query_param, self.next_cursor)

    def get_paginated_response(self, data):
        return Response({"next": self.get_next_link(), "results": data})

    def get_paginated_response_schema(self, schema):
        """The page as :meth:`get_paginated_response` answers it: ``next`` and ``results``, no count."""
        return {
            "type": "object",
            "required": ["next", "results"],
            "additionalProperties": False,
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": str(_("The rest of the walk; null at its end.")),
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": str(_("The position in the walk: take it from the “next” link of a page.")),
                "schema": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
            },
            self.page_size_parameter(),
        ]


class SyncCursorPagination(KeysetCursorPagination):
    """``?mode=cursor[&updated_since=…]``: records in the order they last changed, ``(updated_at,
    id)``, with opaque ``next`` links that stay correct while the data changes (see
    :class:`KeysetCursorPagination`). Store the ``updated_at`` of the last record of a walk and pass
    it as ``updated_since`` next time to fetch only what changed since; deletions are in
    ``/api/v1/deleted/`` (core.api.sync)."""

    ordering = ("updated_at", "id")
