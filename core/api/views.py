"""The base viewset of every API resource: stable keys, languages, formats, pagination modes,
conditional requests. Resources subclass it and declare their queryset shape, serializer and
filterset; they stay thin."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer

from core import exports
from core.records import LANGUAGE_CODES

from . import renderers
from .fields import SummaryField, TranslationsField
from .keys import get_by_key
from .pagination import PageNumberWithSizePagination, SyncCursorPagination

EXPORT_FORMATS = {"csv", "geojson"}
EXPORT_CHUNK = 500


def export_columns(serializer) -> list[str]:
    """The CSV columns of a serializer, from its declaration (stable, whatever the data)."""
    columns = []
    for name, field in serializer.fields.items():
        if isinstance(field, SummaryField):
            columns += [f"{name}.{sub}" for sub in field.summary_class().fields]
        elif isinstance(field, TranslationsField):
            columns += [f"{name}.{code}" for code in LANGUAGE_CODES]
        else:
            columns.append(name)
    return columns


class RecordViewSet(viewsets.ModelViewSet):
    """List, detail (by stable key), create, update and delete, with:

    - ``?lang=es`` (or ``Accept-Language``) for translated fields, answered in ``Content-Language``;
    - ``?format=csv`` / ``?format=geojson`` (or the ``Accept`` header) for streamed exports of the
      whole filtered list;
    - ``?mode=cursor`` (implied by ``updated_since``) for incremental sync;
    - ``Last-Modified`` and ``ETag`` headers, answering 304 to conditional requests.
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
        last_modified = getattr(self, "_last_modified", None)
        if last_modified is not None and request.method in ("GET", "HEAD"):
            response["Last-Modified"] = http_date(last_modified.timestamp())
        return response

    # Reads --------------------------------------------------------------------------------

    def get_object(self):
        instance = get_by_key(self.get_queryset(), self.kwargs[self.lookup_field])
        self.check_object_permissions(self.request, instance)
        self._last_modified = getattr(instance, "updated_at", None)
        return instance

    @property
    def paginator(self):
        if not hasattr(self, "_paginator"):
            params = self.request.query_params if self.request is not None else {}
            cursor = params.get("mode") == "cursor" or "cursor" in params or "updated_since" in params
            self._paginator = SyncCursorPagination() if cursor else PageNumberWithSizePagination()
        return self._paginator

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        if getattr(request.accepted_renderer, "format", None) in EXPORT_FORMATS:
            return self.export(queryset, request.accepted_renderer.format)
        page = self.paginate_queryset(queryset)
        stamps = [getattr(record, "updated_at", None) for record in page]
        stamps = [stamp for stamp in stamps if stamp is not None]
        self._last_modified = max(stamps) if stamps else None
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    # Exports ------------------------------------------------------------------------------

    def export(self, queryset, fmt: str) -> StreamingHttpResponse:
        """Stream the whole filtered list, ``EXPORT_CHUNK`` records at a time: a list of 100,000
        cities is never held in memory at once."""
        serializer = self.get_serializer()
        context = self.get_serializer_context()
        serializer_class = self.get_serializer_class()

        def records():
            for instance in queryset.iterator(chunk_size=EXPORT_CHUNK):
                yield serializer_class(instance, context=context).data

        if fmt == "csv":
            columns = export_columns(serializer)
            rows = ([flat.get(column) for column in columns] for flat in map(renderers.flatten, records()))
            return exports.csv_response(exports.csv_lines(columns, rows), f"paradiplo-{self.basename}.csv")
        response = StreamingHttpResponse(self._geojson_stream(records()), content_type="application/geo+json")
        response["Content-Disposition"] = f'attachment; filename="paradiplo-{self.basename}.geojson"'
        return response

    def _geojson_stream(self, records):
        yield '{"type": "FeatureCollection", "features": ['
        for index, record in enumerate(records):
            point = renderers.feature(record, *self.geojson_point(record))
            yield ("," if index else "") + json.dumps(point, ensure_ascii=False, default=str)
        yield "]}"
