"""CSV and GeoJSON renderers. List exports stream row by row (see ``RecordViewSet.export``);
these renderers also render single records and error bodies. CSV cells are written by
:mod:`core.exports`, as every download's are (formula-like text neutralised)."""

from __future__ import annotations

import json

from rest_framework.renderers import BaseRenderer

from core import licence
from core.exports import BOM, csv_lines


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested objects become dotted columns (``network.key``); lists are joined with "; " (a
    nested object in a list by its key). Values are left for :func:`core.exports.cell`."""
    flat = {}
    for name, value in record.items():
        column = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{column}."))
        elif isinstance(value, list):
            flat[column] = "; ".join(
                str(item.get("key", item)) if isinstance(item, dict) else str(item) for item in value
            )
        else:
            flat[column] = value
    return flat


class CSVRenderer(BaseRenderer):
    """Single records and error bodies as CSV (lists stream through :mod:`core.exports`), with
    the same byte order mark as every download."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        rows = data.get("results", data) if isinstance(data, dict) and "results" in data else data
        rows = rows if isinstance(rows, list) else [rows]
        layout = serializer_layout((renderer_context or {}).get("view"), rows)
        if layout is not None:  # records of the view's serializer: the columns of its exports
            header = [column for column, _value in layout]
            text = "".join(csv_lines(header, ([value(row) for _column, value in layout] for row in rows)))
            return (BOM + text).encode(self.charset)
        flat = [flatten(row) if isinstance(row, dict) else {"value": row} for row in rows]
        columns = list(dict.fromkeys(column for row in flat for column in row))
        text = "".join(csv_lines(columns, ([row.get(column) for column in columns] for row in flat)))
        return (BOM + text).encode(self.charset)


def serializer_layout(view, rows: list):
    """The CSV columns of the view's serializer (as its exports write them) when ``rows`` are
    that serializer's data; None for other data (error bodies, an action's own answer)."""
    from .rows import csv_columns, plan_of

    get_serializer_class = getattr(view, "get_serializer_class", None)
    if get_serializer_class is None or not rows or not all(isinstance(row, dict) for row in rows):
        return None
    try:
        serializer_class = get_serializer_class()
    except AssertionError:  # a view without a serializer
        return None
    names = [step.name for step in plan_of(serializer_class).steps]
    if any(list(row) != names for row in rows):
        return None
    return csv_columns(serializer_class)


def feature(record: dict, lon, lat) -> dict:
    geometry = None
    if lon is not None and lat is not None:
        geometry = {"type": "Point", "coordinates": [float(lon), float(lat)]}
    return {"type": "Feature", "id": record.get("key"), "geometry": geometry, "properties": record}


class GeoJSONRenderer(BaseRenderer):
    """RFC 7946 FeatureCollection; points are [longitude, latitude]."""

    media_type = "application/geo+json"
    format = "geojson"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        rows = data.get("results", data) if isinstance(data, dict) and "results" in data else data
        if isinstance(rows, dict) and "key" not in rows:  # an error body
            return json.dumps(rows).encode()
        rows = rows if isinstance(rows, list) else [rows]
        point = getattr(view, "geojson_point", None)
        features = [feature(row, *(point(row) if point else (None, None))) for row in rows]
        collection = {"type": "FeatureCollection", "license": licence.data(), "features": features}
        return json.dumps(collection, ensure_ascii=False).encode()
