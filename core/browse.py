"""Building blocks of the public browse pages: filtered, paginated lists that also download
their filtered rows as CSV, and detail pages looked up by stable identifiers.

A list page is a :class:`BrowseListView` with a django-filter ``filterset_class``, a
``queryset`` shaped in the app's selectors (``select_related``/``prefetch_related``/annotations,
so the page runs a fixed number of queries whatever the number of rows) and ``columns``: one
:class:`Column` per field, which gives both the page's table and the CSV download, so adding a
field to a list is one entry. ``?format=csv`` streams every filtered row (not just the page)
with the CSV columns. The page's template extends ``browse/list.html``. List pages are cached
per content version (:class:`core.pagecache.CachedPageMixin`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.http import Http404, StreamingHttpResponse
from django.utils.text import capfirst, slugify
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_filters.views import FilterView

from core import exports
from core.pagecache import CachedPageMixin
from core.templatetags.paradiplo import record_link

PAGE_SIZE = 50
CSV_CHUNK_SIZE = 2000


def _resolve(row, accessor: str | Callable):
    if callable(accessor):
        return accessor(row)
    value = row
    for part in accessor.split("."):
        value = getattr(value, part, None) if value is not None else None
        if callable(value) and not hasattr(value, "all"):
            value = value()
    return value


def csv_rows(rows: Iterable, columns: list[tuple[str, str | Callable]]) -> Iterator[str]:
    """The CSV lines of ``rows`` with ``columns`` (see :mod:`core.exports`); the headers are
    translated now, in the request's language, not when the stream is consumed."""
    accessors = [accessor for _header, accessor in columns]
    cells = ([_resolve(row, accessor) for accessor in accessors] for row in rows)
    return exports.csv_lines([str(header) for header, _accessor in columns], cells)


def csv_response(rows: Iterable, columns, filename: str) -> StreamingHttpResponse:
    """Stream ``rows`` as a CSV download (UTF-8, RFC 4180 line endings)."""
    return exports.csv_response(csv_rows(rows, columns), f"{filename}.csv")


def capitalized_choices(choices) -> list[tuple]:
    """Model choices as filter options: "Full member" rather than "full member"."""
    return [(value, capfirst(label)) for value, label in choices]


def filter_query(request, **params) -> str:
    """The request's filters, without the page and the format, plus ``params``: the query
    string of a download link ("?country=UY&format=csv")."""
    query = request.GET.copy()
    for name in ("page", "format"):
        query.pop(name, None)
    for name, value in params.items():
        query[name] = value
    return query.urlencode()


def language_name(code: str) -> str:
    """ "Spanish" for ``es`` (in the reader's language), the code itself when Django does not
    know it."""
    try:
        return get_language_info(code)["name_translated"]
    except KeyError:
        return code


@dataclass(frozen=True)
class Column:
    """One field of a list: its column in the page's table and in the CSV download.

    ``heading`` is the table's column heading (none: the column is in the CSV only);
    ``csv_header`` the CSV header (none: in the table only). ``value`` is what the CSV holds, a
    dotted attribute path or a callable of the row. ``cell`` is what the table shows: a template
    name (``….html``), rendered in the page's context with the row as ``row`` (so ``{% cite %}``
    numbers follow the page), a dotted attribute path, or a callable of the row returning text
    or safe HTML; without it, the cell shows ``value``. An empty cell shows "—". ``row_header``
    makes the cell the row's ``<th>``; ``numeric`` aligns it as a number; ``css_class`` adds a
    class to its cells."""

    heading: str = ""
    csv_header: str = ""
    value: str | Callable = ""
    cell: str | Callable = ""
    row_header: bool = False
    numeric: bool = False
    css_class: str = ""

    @property
    def cell_class(self) -> str:
        """The ``class`` of the column's table cells: "num", "num amount"…"""
        return " ".join(name for name in ("num" if self.numeric else "", self.css_class) if name)

    @property
    def template_name(self) -> str:
        """The cell's template, if it has one."""
        return self.cell if isinstance(self.cell, str) and self.cell.endswith(".html") else ""

    def shown(self, row):
        """What a cell without a template shows for ``row``: text or safe HTML, or None; a
        numeric column's whole numbers with thousands separators."""
        value = _resolve(row, self.cell or self.value)
        if self.numeric and isinstance(value, int) and not isinstance(value, bool):
            return intcomma(value)
        return value


def linked(path: str, field: str = "name") -> Callable:
    """A cell showing a link to the record at ``path`` (``"country"``), or "—" without one."""

    def cell(row):
        record = _resolve(row, path)
        return record_link(record, field) if record is not None else "—"

    return cell


def sources_column() -> Column:
    """The table's "Sources" column: the row's reference marks."""
    return Column(_("Sources"), cell="browse/cite.html")


def csv_columns(columns: Iterable[Column]) -> list[tuple[str, str | Callable]]:
    """The CSV's ``(header, accessor)`` pairs of ``columns``, in order."""
    return [(column.csv_header, column.value) for column in columns if column.csv_header]


def table_columns(columns: Iterable[Column]) -> list[Column]:
    """The columns shown in the page's table, in order."""
    return [column for column in columns if column.heading]


class CSVDownloadMixin:
    """``?format=csv`` answers the filtered queryset as a streamed CSV file with the CSV
    columns of ``columns``."""

    columns: list[Column] = []
    csv_filename: str = ""

    @property
    def csv_columns(self) -> list[tuple[str, str | Callable]]:
        return csv_columns(self.columns)

    def get_csv_filename(self) -> str:
        return self.csv_filename or slugify(str(self.model._meta.verbose_name_plural))

    def wants_csv(self) -> bool:
        return self.request.GET.get("format") == "csv"

    def csv_download(self, queryset) -> StreamingHttpResponse:
        # Prefetches run once per chunk: a fixed number of queries per 2,000 rows.
        return csv_response(queryset.iterator(chunk_size=CSV_CHUNK_SIZE), self.csv_columns, self.get_csv_filename())

    def get_context_data(self, **kwargs):
        """The table's ``columns`` and the download link's ``csv_query``."""
        context = super().get_context_data(**kwargs)
        context["columns"] = table_columns(self.columns)
        context["csv_query"] = filter_query(self.request, format="csv")
        return context


class BrowseListView(CachedPageMixin, CSVDownloadMixin, FilterView):
    """A filtered, paginated list page that also offers its filtered rows as CSV. The page is
    cached per content version, language and query string (:mod:`core.pagecache`); the CSV
    download is streamed afresh every time.

    Invalid filter values do not break the page: the form shows the errors and the list is
    filtered by the valid fields only (django-filter's non-strict mode leaves an invalid field
    out of ``cleaned_data``). The template is ``<app>/<model>_list.html`` unless the view names
    another, as with Django's ListView."""

    paginate_by = PAGE_SIZE
    strict = False
    template_name_suffix = "_list"
    page_title = ""

    def page_cacheable(self) -> bool:
        return not self.wants_csv()

    def get(self, request, *args, **kwargs):
        if self.wants_csv():
            filterset = self.get_filterset(self.get_filterset_class())
            if not filterset.is_bound or filterset.is_valid():
                return self.csv_download(filterset.qs)
            # Never download rows the researcher did not ask for: show the page with the errors.
            response = super().get(request, *args, **kwargs)
            response.status_code = 400
            return response
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """Out-of-range or malformed page numbers show the nearest page instead of a 404, so a
        link to page 40 keeps working when the list shrinks."""
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=self.get_allow_empty())
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title
        context["active_filters"] = any(value for key, value in self.request.GET.items() if key not in ("page",))
        return context


class RecordDetailView(DetailView):
    """A record's page, found by the stable identifiers in its URL: ``lookup`` maps the URL's
    keyword arguments to lookups on ``get_queryset()`` (shaped in the app's selectors); an
    unknown identifier answers 404 with ``not_found``."""

    lookup: dict[str, str] = {"slug": "slug"}
    not_found = ""

    def get_object(self, queryset=None):
        queryset = self.get_queryset() if queryset is None else queryset
        try:
            return queryset.get(**{field: self.kwargs[kwarg] for kwarg, field in self.lookup.items()})
        except queryset.model.DoesNotExist:
            raise Http404(str(self.not_found)) from None
