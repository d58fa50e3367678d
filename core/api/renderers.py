"""CSV and GeoJSON renderers. List exports stream row by row (see ``RecordViewSet.export``);
these renderers also render single records and error bodies. CSV cells are written by
:mod:`core.exports`, as every download's are (formula-like text neutralised)."""

from __future__ import annotations

import json

from rest_framework.renderers import BaseRenderer

from core import licence
from core.exports import BOM, csv_lines, text


def flatten(record: dict, prefix: str = "") -> dict:
    """Nested objects become dotted columns (``network.key``); lists are one column, their items
    joined with "; " (see :func:`item_text`). Values are left for :func:`core.exports.cell`."""
    flat = {}
    for name, value in record.items():
        column = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(flatten(value, f"{column}."))
        elif isinstance(value, list):
            flat[column] = "; ".join(item_text(item) for item in value)
        else:
            flat[column] = value
    return flat


def item_text(item) -> str:
    """An item of a list in a CSV cell, as the serializers' lists are written
    (:func:`core.api.rows.list_text`): a record by its key, a citation as ``Title (locator)``,
    another object as its values (``country: BR, members: 6``, a record in it by its key), a
    value as a cell writes it (``true``, ``2003-05``); never Python's text of a dict."""
    if isinstance(item, list):
        return "; ".join(item_text(inner) for inner in item)
    if not isinstance(item, dict):
        return text(item)
    if item.get("key") is not None:
        return text(item["key"])
    source = item.get("source")
    if isinstance(source, dict) and "locator" in item:
        title = text(source.get("title"))
        return f"{title} ({item['locator']})" if item.get("locator") else title
    return ", ".join(f"{name}: {item_text(value)}" for name, value in item.items())


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
