"""The base serializer of every API resource."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.settings import api_settings

from core import ownership as permissions
from core import services
from core.partialdates import PartialDateField

from .fields import DecimalNumberField, PartialDateSerializerField, PrecisionField, TranslationsField
from .keys import record_key
from .rows import plan_of, url_builder

#: Fields holding the curators' internal notes (caveats, how a fact was found): editors write them
#: through the API and the admin, but the API never returns them, as no public page shows them.
INTERNAL_FIELDS = ("notes",)


@extend_schema_field({"type": "string", "format": "uri", "readOnly": True})
class RecordURLField(serializers.Field):
    """The absolute URL of a record's detail route, built from its stable key."""

    def __init__(self, basename: str, **kwargs):
        self.basename = basename
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        # One reverse() per field, i.e. per request (see core.api.rows.url_builder).
        if "_url" not in self.__dict__:
            self._url = url_builder(self.basename, self.context.get("request"))
        return self._url(instance)


@extend_schema_field({"type": "string", "readOnly": True, "description": "Stable identifier used in the detail URL."})
class KeyField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, instance):
        return record_key(instance)


class RecordSerializer(serializers.ModelSerializer):
    """Adds to a model serializer, from ``Meta``:

    - ``key`` and ``url`` (the stable identifier and the detail URL, ``Meta.basename``);
    - for each field of ``Meta.translated``: ``<field>_i18n`` with all four languages;
    - for each partial-date field: ``<field>_precision`` ("year", "month" or "day");
    - the decimal fields of ``Meta.numbers`` as JSON numbers (:class:`DecimalNumberField`:
      coordinates); other decimals (money) as DRF writes them, text;
    - writes validated by the model (``full_clean``) through :func:`core.services.save_record`;
    - the internal notes (:data:`INTERNAL_FIELDS`) written, never read.
    """

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        PartialDateField: PartialDateSerializerField,
    }

    def to_representation(self, instance):
        """The record as JSON data, by this class's plan (:mod:`core.api.rows`): fields worked
        out once per process, bound once per serializer (a list's rows share their child's)."""
        row = self.__dict__.get("_row")
        if row is None:
            row = self._row = plan_of(type(self)).bind(self.context)
        return row(instance)

    def get_extra_kwargs(self):
        extra = super().get_extra_kwargs()
        for name in INTERNAL_FIELDS:
            extra[name] = {**extra.get(name, {}), "write_only": True}
        return extra

    def get_fields(self):
        fields = super().get_fields()
        meta = self.Meta
        extra = {"key": KeyField()}
        if getattr(meta, "basename", None):
            extra["url"] = RecordURLField(meta.basename)
        fields = {**extra, **fields}
        for name in getattr(meta, "translated", ()):
            fields[f"{name}_i18n"] = TranslationsField(name)
        model_fields = {f.name: f for f in meta.model._meta.concrete_fields}
        ordered = {}
        for name, field in fields.items():
            ordered[name] = field
            if isinstance(model_fields.get(name), PartialDateField):
                ordered[f"{name}_precision"] = PrecisionField(name)
        return ordered

    def build_standard_field(self, field_name, model_field):
        field_class, field_kwargs = super().build_standard_field(field_name, model_field)
        if field_class is serializers.DecimalField and field_name in getattr(self.Meta, "numbers", ()):
            field_class = DecimalNumberField
        if field_class is PartialDateSerializerField:
            field_kwargs = {
                k: v
                for k, v in field_kwargs.items()
                if k in {"required", "allow_null", "read_only", "label", "help_text"}
            }
        return field_class, field_kwargs

    # Writes -------------------------------------------------------------------------------

    def _save(self, instance, validated_data):
        m2m = {}
        for name, value in validated_data.items():
            field = instance._meta.get_field(name) if name in {f.name for f in instance._meta.get_fields()} else None
            if field is not None and field.many_to_many:
                m2m[name] = value
            else:
                setattr(instance, name, value)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        # The record as stored and as it will be saved must be ones this user may write (its
        # network may change in this very request), and so must the records it now points to
        # (core.ownership.write_refusal); shared records may be added by any editor.
        refusal = permissions.write_refusal(user, instance, stored=getattr(self, "_stored", None))
        if refusal is not None:
            raise PermissionDenied(refusal)
        if user is not None and user.is_authenticated:
            instance._history_user = user  # the audit history records who wrote through the API
        try:
            return services.save_record(instance, m2m=m2m)
        except DjangoValidationError as error:
            detail = (
                error.message_dict
                if hasattr(error, "error_dict")
                else {api_settings.NON_FIELD_ERRORS_KEY: error.messages}
            )
            if "__all__" in detail:
                detail[api_settings.NON_FIELD_ERRORS_KEY] = detail.pop("__all__")
            raise serializers.ValidationError(detail) from error

    def create(self, validated_data):
        return self._save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        # The record as stored, before this request's values are set on it.
        self._stored = permissions.stored_version(instance)
        return self._save(instance, validated_data)

    #: serializer fields whose text is parsed (numbers, dates, choices, keys): ASCII only
    PARSED_FIELDS = (
        serializers.IntegerField,
        serializers.DecimalField,
        serializers.FloatField,
        serializers.DateField,
        serializers.DateTimeField,
        serializers.ChoiceField,
        serializers.BooleanField,
        PartialDateSerializerField,
    )

    def to_internal_value(self, data):
        # REST framework reads "١٩٩٥" (Arabic-Indic digits) as 1995: numbers, dates and choices
        # are written in ASCII here, as the API's parameters are (core.validation).
        if isinstance(data, dict):
            fields = self.fields
            errors = {
                name: [_("Write this value with ASCII characters only (digits 0-9).")]
                for name, value in data.items()
                if isinstance(value, str)
                and not value.isascii()
                and isinstance(fields.get(name), self.PARSED_FIELDS)
                and not fields[name].read_only
            }
            if errors:
                raise serializers.ValidationError(errors)
        values = super().to_internal_value(data)
        # TranslationsField returns {"name_en": …}: flatten it into the validated data.
        for name in list(values):
            if name.endswith("_i18n") and isinstance(values[name], dict):
                values.update(values.pop(name))
        return values
