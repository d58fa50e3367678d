"""Pagination: page numbers for browsing, a cursor for partners who sync incrementally."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination, PageNumberPagination


class PageSizeMixin:
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                },
                code="invalid",
            )
        return int(raw)


class PageNumberWithSizePagination(PageSizeMixin, PageNumberPagination):
    """``?page=2&page_size=100`` (at most 500 a page)."""


class SyncCursorPagination(PageSizeMixin, CursorPagination):
    """``?mode=cursor[&updated_since=…]``: records in the order they last changed, with opaque
    ``next`` links that stay correct while the data changes. Store the newest ``updated_at``
    seen and pass it as ``updated_since`` next time to fetch only what changed since."""

    ordering = ("updated_at", "id")
    cursor_query_param = "cursor"
