"""OpenAPI (drf-spectacular) descriptions of Paradiplo's own serializer fields."""

from drf_spectacular.extensions import OpenApiSerializerFieldExtension


class SummaryFieldExtension(OpenApiSerializerFieldExtension):
    """A related record: its summary object in responses, its key (a string) in requests."""

    target_class = "core.api.fields.SummaryField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "Key of the related record (slug, code or ~-joined key)."}
        component = auto_schema.resolve_serializer(self.target.summary_class, direction)
        return component.ref
