"""The OpenAPI document (drf-spectacular) as the API answers, for generated clients and fuzzers:

- a list of a resource (:class:`core.api.views.RecordViewSet`) answers one of two envelopes: a
  page (``count``, ``next``, ``previous``, ``results``) or, with ``?mode=cursor``, ``?cursor=`` or
  ``?updated_since=``, a cursor page (``next``, ``results``); both are described, with ``page``,
  ``page_size``, ``cursor`` and ``mode``;
- every operation of a resource takes ``lang``; CSV answers are text, GeoJSON answers feature
  collections (their errors: the error shape, as JSON);
- reads are public (``security`` lists ``{}``: no credentials needed), writes need a token or a
  staff session;
- errors in drf-standardized-errors' shape with their codes, with the 409 of a write the records
  refuse (a deletion while others depend on the record, a key used twice) and the 503 of an
  unreachable database;
- path keys and related-record filters carry an example key of a record of the real data
  (:data:`EXAMPLE_KEYS`), so that a reader (or a fuzzer) reaches real records.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_standardized_errors.openapi import AutoSchema as StandardizedErrorsAutoSchema
from drf_standardized_errors.openapi_serializers import ClientErrorEnum, ServerErrorEnum, ValidationErrorEnum
from rest_framework import serializers
from rest_framework.permissions import SAFE_METHODS

from core.records import LANGUAGE_CODES


class SummaryFieldExtension(OpenApiSerializerFieldExtension):
    """A related record: its summary object in responses, its key (a string) in requests."""

    target_class = "core.api.fields.SummaryField"

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "string", "description": "Key of the related record (slug, code or ~-joined key)."}
        component = auto_schema.resolve_serializer(self.target.summary_class, direction)
        return component.ref


#: A record of each model in the real data (fixtures/), by model label: the examples of the
#: document's path keys and related-record filters. tests/test_api_fuzz.py reads each of them.
EXAMPLE_KEYS = {
    "networks.network": "mercociudades",
    "cities.city": "montevideo-uy",
    "cities.country": "UY",
    "cities.regionalbloc": "mercosur",
    "cities.twinning": "cordoba-ar~montevideo-uy~twinning~1997",
    "networks.membership": "mercociudades~montevideo-uy~1995-11-11",
    "networks.governingbody": "mercociudades~council",
    "networks.thematicunit": "mercociudades~comunicacion",
    "networks.office": "mercociudades~executive_secretariat~montevideo-uy~~2000",
    "networks.summit": "mercociudades~1-1995",
    "networks.membershipfigure": "mercociudades~1995-11-11~12",
    "projects.organization": "aecid",
    "projects.programme": "mercociudades-south-south-cooperation",
    "projects.project": "innova-cohesion",
    "projects.sdg": "11",
    "sources.source": "studylib-es-doc-4350691-0-mengo-pizarro-mercociudades",
}

PUBLIC = {}
#: Codes of the 409 (core.middleware.APIExceptionHandler): a deletion refused while others depend
#: on the record (``has_dependants`` on ``dependants``, then ``depends_on_it`` per dependant, whose
#: ``attr`` is its model, e.g. ``networks.membership``), or a rule of the data (``conflict``).
#: The codes of a read's bad parameter: core.api.filters.StrictFilterForm refuses what it does
#: not parse with "invalid"; a partial date that is no date is "invalid_partial_date"
#: (core.partialdates), an ``at``-like date "invalid_at" (core.asof.AtField, core.periods).
READ_PARAMETER_CODES = ("invalid", "invalid_partial_date", "invalid_at")
CONFLICT_CODES = ("has_dependants", "depends_on_it", "conflict")
#: Query parameters every list of a resource takes, beside its filters, and their error codes.
LIST_PARAMETER_ERRORS = {
    "page": {"invalid"},
    "page_size": {"invalid"},
    "cursor": {"invalid"},
    "mode": {"invalid_choice"},
}


class WriteValidationErrorSerializer(serializers.Serializer):
    code = serializers.CharField(
        help_text=_("What is wrong, e.g. required, invalid, does_not_exist, control_characters.")
    )
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True, help_text=_("The field (name_es for a language of name), or null."))


class WriteValidationErrorResponseSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ValidationErrorEnum.choices)
    errors = WriteValidationErrorSerializer(many=True)


class ConflictErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[(code, code) for code in CONFLICT_CODES])
    detail = serializers.CharField()
    attr = serializers.CharField(
        allow_null=True,
        help_text=_("“dependants”, the model of a dependant (e.g. networks.membership), or null."),
    )


class ErrorResponse409Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ClientErrorEnum.choices)
    errors = ConflictErrorSerializer(many=True)


class UnavailableErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=[("service_unavailable", "service_unavailable")])
    detail = serializers.CharField()
    attr = serializers.CharField(allow_null=True)


class ErrorResponse503Serializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=ServerErrorEnum.choices)
    errors = UnavailableErrorSerializer(many=True)


def feature_collection(properties: dict) -> dict:
    """A GeoJSON FeatureCollection (RFC 7946) of records, ``properties`` their schema."""
    return {
        "type": "object",
        "required": ["type", "features"],
        "properties": {
            "type": {"type": "string", "enum": ["FeatureCollection"]},
            "license": {"type": "object", "additionalProperties": True},
            "features": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["type", "geometry", "properties"],
                    "properties": {
                        "type": {"type": "string", "enum": ["Feature"]},
                        "id": {"type": "string", "nullable": True},
                        "geometry": {
                            "type": "object",
                            "nullable": True,
                            "required": ["type", "coordinates"],
                            "properties": {
                                "type": {"type": "string", "enum": ["Point"]},
                                "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2},
                            },
                        },
                        "properties": properties,
                    },
                },
            },
        },
    }


CSV_SCHEMA = {"type": "string", "description": "CSV (UTF-8 with a byte order mark), one row per record."}


class AutoSchema(StandardizedErrorsAutoSchema):
    """drf-standardized-errors' schema (the error shape) with what the module docstring lists."""

    def _is_resource(self) -> bool:
        from .views import RecordViewSet  # the viewsets import the app's code; this module is loaded early

        return isinstance(self.view, RecordViewSet)

    def _is_resource_list(self) -> bool:
        return self._is_resource() and getattr(self.view, "action", None) == "list"

    # Parameters ---------------------------------------------------------------------------

    def _get_pagination_parameters(self):
        if not self._is_resource_list():
            return super()._get_pagination_parameters()
        from .pagination import PageNumberWithSizePagination, SyncCursorPagination
        from .views import PAGINATION_MODES

        page, cursor = PageNumberWithSizePagination(), SyncCursorPagination()
        parameters = {p["name"]: p for p in cursor.get_schema_operation_parameters(self.view)}
        parameters.update({p["name"]: p for p in page.get_schema_operation_parameters(self.view)})
        parameters["page_size"]["description"] = str(
            _("Rows per page, from 1 to %(max)s (default %(default)s), in either mode.")
            % {"max": page.max_page_size, "default": page.page_size}
        )
        parameters["mode"] = {
            "name": "mode",
            "required": False,
            "in": "query",
            "description": str(
                _(
                    "page (the default): numbered pages with a count; cursor: the records in the order they "
                    "last changed, with a “next” link and no count, for incremental sync (implied by cursor "
                    "and updated_since)."
                )
            ),
            "schema": {"type": "string", "enum": list(PAGINATION_MODES)},
        }
        return list(parameters.values())

    def _get_parameters(self):
        parameters = super()._get_parameters()
        model_label = self._model_label()
        for parameter in parameters:
            if parameter["in"] == "path" and parameter["name"] == "key" and model_label in EXAMPLE_KEYS:
                parameter["example"] = EXAMPLE_KEYS[model_label]
        if self._is_resource() and not any(p["name"] == "lang" and p["in"] == "query" for p in parameters):
            parameters.append(
                {
                    "in": "query",
                    "name": "lang",
                    "description": str(_("Language of translated fields (default: Accept-Language, else English).")),
                    "schema": {"type": "string", "enum": list(LANGUAGE_CODES)},
                }
            )
            parameters.sort(key=lambda p: (p["in"] != "path", p["name"]))
        return parameters

    def _model_label(self) -> str | None:
        serializer_class = getattr(self.view, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        return model._meta.label_lower if model is not None else None

    # Security -----------------------------------------------------------------------------

    def _reads_are_public(self) -> bool:
        from .permissions import NetworkScopedPermission

        return self.method in SAFE_METHODS and any(
            type(permission) is NetworkScopedPermission for permission in self.view.get_permissions()
        )

    def get_auth(self):
        auths = super().get_auth()
        if self._reads_are_public() and PUBLIC not in auths:
            auths.append(PUBLIC)
        return auths

    # Responses ----------------------------------------------------------------------------

    def _get_allowed_error_status_codes(self):
        return [*super()._get_allowed_error_status_codes(), "409", "503"]

    def _should_add_error_response(self, responses, status_code):
        if status_code == "409":
            return self._is_resource() and self.method not in SAFE_METHODS and status_code not in responses
        if status_code == "403" and self._reads_are_public():
            return False  # a read is never refused (NetworkScopedPermission)
        return super()._should_add_error_response(responses, status_code)

    def _get_error_response_serializer(self, status_code):
        if status_code == "409":
            return ErrorResponse409Serializer
        if status_code == "503":
            return ErrorResponse503Serializer
        return super()._get_error_response_serializer(status_code)

    def _should_add_validation_error_response(self):
        return super()._should_add_validation_error_response() or self._is_resource()

    def _get_validation_error_codes_by_field(self, data_fields):
        codes = super()._get_validation_error_codes_by_field(data_fields)
        if self.method in SAFE_METHODS:
            for field_codes in codes.values():
                field_codes.update(READ_PARAMETER_CODES)
        return codes

    def _get_serializer_for_validation_error_response(self):
        if self.method in SAFE_METHODS:
            return super()._get_serializer_for_validation_error_response()
        # A write is validated by its serializer, then by the model (core.services.save_record):
        # errors name a field (or a language of a translated one, name_es) or none, with codes
        # of either; not enumerated.
        return WriteValidationErrorResponseSerializer

    def _get_extra_validation_errors(self):
        errors = dict(super()._get_extra_validation_errors())
        if self._is_resource():
            errors.setdefault("lang", {"invalid"})
            # parameters of @extend_schema (a network's ``at``, the changes' ``from`` and ``to``)
            for parameter in self.get_override_parameters():
                if getattr(parameter, "location", None) == "query":
                    errors.setdefault(parameter.name, {*READ_PARAMETER_CODES, "required"})
            if self._is_resource_list():
                for name, codes in LIST_PARAMETER_ERRORS.items():
                    errors.setdefault(name, codes)
        return errors

    def _get_response_for_code(self, serializer, status_code, media_types=None, direction="response"):
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        success = "200" <= status_code < "300"
        json_body = content.get("application/json", {})
        record = json_body.get("schema", {})
        if record.get("type") == "array":
            record = record["items"]
        if success and self._is_resource_list() and json_body:
            json_body["schema"] = self._list_envelopes(record)
        for media_type, body in content.items():
            if media_type == "text/csv":
                body["schema"] = dict(CSV_SCHEMA)
            elif media_type == "application/geo+json" and success:
                body["schema"] = feature_collection(record)
        return response

    def _list_envelopes(self, record: dict) -> dict:
        """The two envelopes of a list of ``record`` (a component's reference), as components
        ``Paginated<X>List`` and ``Cursor<X>List``."""
        from .pagination import PageNumberWithSizePagination, SyncCursorPagination

        name = record["$ref"].rsplit("/", 1)[-1]
        refs = []
        for component_name, paginator in (
            (f"Paginated{name}List", PageNumberWithSizePagination()),
            (f"Cursor{name}List", SyncCursorPagination()),
        ):
            component = ResolvedComponent(
                name=component_name,
                type=ResolvedComponent.SCHEMA,
                schema=paginator.get_paginated_response_schema({"type": "array", "items": record}),
                object=component_name,
            )
            self.registry.register_on_missing(component)
            refs.append(component.ref)
        return {"oneOf": refs}


class FilterExtension(DjangoFilterExtension):
    """django-filter's parameters, completed from the filter forms as they parse
    (:class:`core.api.filters.StrictFilterForm`): bounds of numbers, longest text, and an
    example key of the real data for filters that take a related record's key."""

    target_class = "core.api.filters.FilterBackend"
    priority = 1

    def resolve_filter_field(self, auto_schema, model, filterset_class, field_name, filter_field):
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        extra = filter_field.extra
        for parameter in parameters:
            schema = parameter["schema"]
            if schema.get("type") == "integer":
                # core.api.filters.StrictFilterForm: at most 18 digits, within the field's bounds
                minimum, maximum = extra.get("min_value"), extra.get("max_value")
                schema["minimum"] = minimum if minimum is not None else -(10**18) + 1
                schema["maximum"] = maximum if maximum is not None else 10**18 - 1
            elif schema.get("type") == "string" and "enum" not in schema:
                if extra.get("max_length"):
                    schema["maxLength"] = extra["max_length"]
                key_model = related_model(filter_field, model)
                if key_model is not None and key_model._meta.label_lower in EXAMPLE_KEYS:
                    parameter["example"] = EXAMPLE_KEYS[key_model._meta.label_lower]
        return parameters


def related_model(filter_field, model):
    """The model whose key a filter takes (``?network=<slug>``), or None."""
    from .filters import KeyChoiceFilter, RelatedKeyFilter, relation

    if isinstance(filter_field, RelatedKeyFilter):
        return relation(model, filter_field.path).key_model
    if isinstance(filter_field, KeyChoiceFilter):
        queryset = filter_field.extra.get("queryset")
        if hasattr(queryset, "model"):
            return queryset.model
        field = model._meta.get_field(filter_field.field_name.split("__")[0])
        return field.related_model
    return None


def blank_or_uri(result, generator, request, public):
    """drf-spectacular's postprocessing hook (``POSTPROCESSING_HOOKS``) for links:

    - a URL field that may be blank is ``oneOf: [uri, maxLength 0]``, and "" matches both (a
      validator that does not check the uri format finds it valid under each): ``anyOf`` says
      the same without the ambiguity;
    - links of the data are IRIs (Django's URLField takes them, and sources cite pages such as
      ``https://es.wikipedia.org/wiki/Federación_…``): ``format: iri``, of which URIs are a part."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("format") == "uri":
                node["format"] = "iri"
            alternatives = node.get("oneOf")
            if (
                isinstance(alternatives, list)
                and len(alternatives) == 2
                and any(alt.get("maxLength") == 0 for alt in alternatives if isinstance(alt, dict))
            ):
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
