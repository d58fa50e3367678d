"""Serializer fields for Paradiplo's types: partial dates, translations, related summaries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.partialdates import PRECISION_CHOICES, PartialDate
from core.records import LANGUAGE_CODES

from .keys import get_by_key, record_key
from .rows import plan_of


@extend_schema_field(
    {
        "type": "string",
        "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$",
        "example": "1995-11",
        "nullable": True,
        "description": "ISO 8601 date at its precision: YYYY, YYYY-MM or YYYY-MM-DD.",
    }
)
class PartialDateSerializerField(serializers.Field):
    """A partial date as an ISO 8601 reduced-precision string: "1995", "1995-11", "1995-11-11"."""

    default_error_messages = {
        "invalid": _(
            "“{value}” is not a valid date. Use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2003, 2003-05 or 2003-05-11)."
        ),
    }

    def to_representation(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value

    def to_internal_value(self, data):
        if data in (None, ""):
            return None
        try:
            return PartialDate.parse(str(data))
        except ValueError:
            self.fail("invalid", value=data)


@extend_schema_field(
    {
        "type": "string",
        "format": "uri",
        "nullable": True,
        "example": "https://www.wikidata.org/wiki/Q1489",
        "description": "The identifier's page in its register; null without an identifier.",
    }
)
class IdentifierURLField(serializers.Field):
    """The address of a record's identifier in an external register (read-only), e.g.
    ``IdentifierURLField(WIKIDATA_URL, source="wikidata_id")``; null when the identifier is empty."""

    def __init__(self, template: str, **kwargs):
        self.template = template
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return self.template.format(value) if value else None


@extend_schema_field({"type": "number", "format": "double", "nullable": True, "example": -34.90328})
class DecimalNumberField(serializers.DecimalField):
    """A decimal column given as a JSON number, not as DRF's text: coordinates (``-34.90328``),
    whose few digits a double holds exactly. Amounts of money stay text (DRF's
    ``COERCE_DECIMAL_TO_STRING``): ``"1250000.00"`` keeps its cents and its places. Written as
    either a number or a text."""

    def to_representation(self, value):
        return float(value)


class PrecisionField(serializers.ChoiceField):
    """The precision of a partial date field of the same record (read-only)."""

    def __init__(self, date_field: str, **kwargs):
        self.date_field = date_field
        super().__init__(choices=PRECISION_CHOICES, source="*", read_only=True, allow_null=True, **kwargs)

    def to_representation(self, instance):
        value = getattr(instance, self.date_field)
        return value.precision if isinstance(value, PartialDate) else None


@extend_schema_field(
    {
        "type": "object",
        "properties": {code: {"type": "string", "nullable": True} for code in LANGUAGE_CODES},
        "description": "The field in every language; null where no translation exists.",
    }
)
class TranslationsField(serializers.Field):
    """All four languages of a translated field: ``{"en": "…", "es": "…", "pt": null, "fr": null}``.
    Writable: only the languages given are changed."""

    def __init__(self, field: str, **kwargs):
        self.field = field
        kwargs.setdefault("required", False)
        super().__init__(source="*", **kwargs)

    def to_representation(self, instance):
        return {code: getattr(instance, f"{self.field}_{code}", None) or None for code in LANGUAGE_CODES}

    def to_internal_value(self, data):
        if not isinstance(data, dict) or set(data) - set(LANGUAGE_CODES):
            raise serializers.ValidationError(
                _("Give an object whose keys are language codes: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)},
                code="invalid_translations",
            )
        values = {}
        for code, value in data.items():
            if value is not None and not isinstance(value, str):
                raise serializers.ValidationError(_("Each translation must be text or null."), code="invalid")
            values[f"{self.field}_{code}"] = value or None
        return values


class SummaryField(serializers.RelatedField):
    """A related record shown as a small summary (with its URL) and written by its key.

    Reading gives ``{"key": "mercociudades", "name": "…", "url": "…"}``; writing takes the
    key (``"mercociudades"``, ``"montevideo-uy"``, ``"UY"``)."""

    def __init__(self, summary_class, **kwargs):
        self.summary_class = summary_class
        super().__init__(**kwargs)

    def to_representation(self, value):
        # One summary serializer per field (per request), not one per related object.
        if "_row" not in self.__dict__:
            self._row = plan_of(self.summary_class).bind(self.context)
        return self._row(value)

    def to_internal_value(self, data):
        if not isinstance(data, str | int):
            raise serializers.ValidationError(_("Give the record's key as text."), code="invalid")
        try:
            # An old key of a renamed record finds it too: the relation is unambiguous.
            return get_by_key(self.get_queryset(), str(data), aliases=True)
        except Exception:  # noqa: BLE001 - Http404 and lookup errors alike mean "no such record"
            raise serializers.ValidationError(
                _("No record with the key “%(key)s”.") % {"key": data}, code="does_not_exist"
            ) from None

    def use_pk_only_optimization(self):
        return False


def key_of(instance) -> str:
    return record_key(instance)
