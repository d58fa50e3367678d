"""The base viewset of every API resource: stable keys, languages, formats, pagination modes,
conditional requests. Resources subclass it and declare their queryset shape, serializer and
filterset; they stay thin."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from core import exports, licence, services
from core.records import LANGUAGE_CODES

from . import renderers
from .keys import get_by_key, record_key, renamed_record
from .pagination import PageNumberWithSizePagination, SyncCursorPagination
from .rows import csv_columns, plan_of
from .values import iter_chunks, values_plan

EXPORT_FORMATS = {"csv", "geojson"}
#: ``?mode=``: page numbers (the default) or a cursor for incremental sync.
PAGINATION_MODES = ("page", "cursor")
#: Rows read (and their lists fetched) per database round trip while exporting.
EXPORT_CHUNK = 2000


class KeyMoved(Exception):
    """A record read by an old key (it was renamed): answered 301 to ``location``."""

    def __init__(self, location: str):
        self.location = location
        super().__init__(location)


class RecordViewSet(viewsets.ModelViewSet):
    """List, detail (by stable key), create, update and delete, with:

    - a renamed record's old key (:class:`core.models.KeyAlias`) answering ``GET`` with a 301 to
      the same address with the new key, and other methods with a 404 naming the new key;

    - ``?lang=es`` (or ``Accept-Language``) for translated fields, answered in ``Content-Language``;
    - ``?format=csv`` / ``?format=geojson`` (or the ``Accept`` header) for streamed exports of the
      whole filtered list;
    - ``?mode=cursor`` (implied by ``updated_since``) for incremental sync;
    - an ``ETag`` (``ConditionalGetMiddleware``, a digest of the body), answering 304 to
      ``If-None-Match``. No ``Last-Modified``: the newest ``updated_at`` of a page misses deleted
      rows and changed nested records, so ``If-Modified-Since`` would answer a stale 304.
    """

    lookup_field = "key"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]
    #: a function(record dict) -> (longitude, latitude) for resources that have a location
    geojson_point = None

    def get_renderers(self):
        classes = [JSONRenderer, BrowsableAPIRenderer, renderers.CSVRenderer]
        if self.geojson_point is not None:
            classes.append(renderers.GeoJSONRenderer)
        return [renderer() for renderer in classes]

    # Language -----------------------------------------------------------------------------

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language is not None:
            if language not in LANGUAGE_CODES:
                raise ValidationError(
                    {"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}]}, code="invalid"
                )
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        response.setdefault("Vary", "Accept, Accept-Language")
        response.setdefault("Link", licence.link_header())  # the data's licence, on every answer
        return response

    # Reads --------------------------------------------------------------------------------

    def get_object(self):
        queryset, key = self.get_queryset(), self.kwargs[self.lookup_field]
        try:
            instance = get_by_key(queryset, key)
        except Http404:
            renamed = renamed_record(queryset, key)
            if renamed is None:
                raise
            # An old key of a renamed record (core.models.KeyAlias): a read is sent to the new
            # key for good; a write is refused, naming it, so the client learns the new key
            # before it changes anything (a redirected PUT or DELETE would act unseen).
            if self.request.method in ("GET", "HEAD"):
                raise KeyMoved(self.url_with_key(record_key(renamed))) from None
            raise NotFound(
                _("The key “%(old)s” was renamed: this record is now “%(new)s”.")
                % {"old": key, "new": record_key(renamed)},
                code="renamed",
            ) from None
        self.check_object_permissions(self.request, instance)
        return instance

    def url_with_key(self, key: str) -> str:
        """The address of this request with the record's key replaced by ``key``."""
        match = self.request.resolver_match
        path = reverse(
            f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name,
            args=match.args,
            kwargs={**match.kwargs, self.lookup_field: key},
        )
        query = self.request.META.get("QUERY_STRING", "")
        return self.request.build_absolute_uri(path + (f"?{query}" if query else ""))

    def handle_exception(self, exc):
        if isinstance(exc, KeyMoved):
            return HttpResponsePermanentRedirect(exc.location)
        return super().handle_exception(exc)

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            params = self.request.query_params if self.request is not None else {}
            mode = params.get("mode")
            if mode is not None and mode not in PAGINATION_MODES:
                raise ValidationError(
                    {"mode": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(PAGINATION_MODES)}]},
                    code="invalid_choice",
                )
            cursor = mode == "cursor" or "cursor" in params or "updated_since" in params
            self._paginator = SyncCursorPagination() if cursor else PageNumberWithSizePagination()
        return self._paginator

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if getattr(request.accepted_renderer, "format", None) in EXPORT_FORMATS:
            return self.export(queryset, request.accepted_renderer.format)
        plan = values_plan(self.get_serializer_class())
        if plan is None or not isinstance(self.paginator, PageNumberWithSizePagination):
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(self.get_serializer(page, many=True).data)
        # The page's rows as plain values (core.api.values): the same data, without model instances.
        page = self.paginate_queryset(plan.queryset(queryset))
        return self.get_paginated_response(plan.bind(self.get_serializer_context(), queryset)(page))

    # Writes -------------------------------------------------------------------------------

    def perform_destroy(self, instance):
        """Delete with its own parts only; while other records depend on it, a 409 listing them
        (:class:`core.deletion.HasDependants`, answered by ``core.middleware.APIExceptionHandler``)."""
        services.delete_record(instance)

    # Exports ------------------------------------------------------------------------------

    def records(self, queryset) -> Iterator[dict]:
        """Every record of ``queryset`` as its serializer's data, read ``EXPORT_CHUNK`` rows at a
        time (never the whole list in memory). The plans are bound now, in the request's
        language; the rows are read as the response streams."""
        serializer_class, context = self.get_serializer_class(), self.get_serializer_context()
        plan = values_plan(serializer_class)
        if plan is not None:
            build = plan.bind(context, queryset)
            rows = plan.queryset(queryset).iterator(chunk_size=EXPORT_CHUNK)
            return itertools.chain.from_iterable(map(build, iter_chunks(rows, EXPORT_CHUNK)))
        row = plan_of(serializer_class).bind(context)
        return map(row, queryset.iterator(chunk_size=EXPORT_CHUNK))

    def csv_rows(self, queryset) -> tuple[list[str], Iterator[list]]:
        """The CSV header of the serializer (:func:`core.api.rows.csv_columns`) and the cells
        of every record of ``queryset``, read as :meth:`records` reads them; a values plan reads
        the cells straight from the rows."""
        serializer_class = self.get_serializer_class()
        plan = values_plan(serializer_class)
        if plan is None:
            columns = csv_columns(serializer_class)
            rows = ([value(record) for _column, value in columns] for record in self.records(queryset))
            return [column for column, _value in columns], rows
        header, cells = plan.csv(self.get_serializer_context(), queryset)
        rows = plan.queryset(queryset).iterator(chunk_size=EXPORT_CHUNK)
        return header, itertools.chain.from_iterable(map(cells, iter_chunks(rows, EXPORT_CHUNK)))

    def export(self, queryset, fmt: str) -> StreamingHttpResponse:
        """Stream the whole filtered list. A failure while streaming (the database gone, a
        worker timeout) raises out of the response's iterator, so the server drops the
        connection without the final chunk: the client sees an incomplete download, never a
        complete-looking file cut short."""
        if fmt == "csv":
            header, rows = self.csv_rows(queryset)
            return exports.csv_response(exports.csv_lines(header, rows), f"paradiplo-{self.basename}.csv")
        features = self.geojson_features(queryset)
        response = StreamingHttpResponse(self._geojson_stream(features), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="paradiplo-{self.basename}.geojson"'
        response["Link"] = licence.link_header()
        return response

    def geojson_features(self, queryset) -> Iterator[str]:
        """The GeoJSON features of every record of ``queryset``, ``EXPORT_CHUNK`` at a time, as
        JSON text joined by ",". A values plan writes them straight from the rows
        (:meth:`core.api.values.ValuesPlan.geojson`: no record data built); otherwise each
        record's data is encoded. Both give the same bytes."""
        point = self.geojson_point
        plan = values_plan(self.get_serializer_class())
        if plan is not None:
            features = plan.geojson(self.get_serializer_context(), queryset, point)
            rows = plan.queryset(queryset).iterator(chunk_size=EXPORT_CHUNK)
            return map(features, iter_chunks(rows, EXPORT_CHUNK))
        dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
        return (
            ",".join(dumps(renderers.feature(record, *point(record))) for record in chunk)
            for chunk in iter_chunks(self.records(queryset), EXPORT_CHUNK)
        )

    def _geojson_stream(self, chunks):
        dumps = json.JSONEncoder(ensure_ascii=False, default=str).encode
        # The licence as a foreign member (RFC 7946, section 6.1), before the features.
        yield '{"type": "FeatureCollection", "license": ' + dumps(licence.data()) + ', "features": ['
        separator = ""
        for features in chunks:
            yield separator + features
            separator = ","
        yield "]}"
