"""Admin forms of the cities app: coordinates typed as text (a decimal comma or point), and a
city's slug derived from its name and country when left empty (:class:`core.admin.DerivedSlugForm`)."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_EVEN, Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core.admin import DerivedSlugForm
from core.text import fold

from .models import City

#: an optional sign, ASCII digits, one decimal separator (already made a point) and digits
COORDINATE = re.compile(r"[+-]?\d{1,3}(\.\d+)?", re.ASCII)
STEP = Decimal("0.00001")  # the model keeps 5 decimals (about a metre)


class CoordinateField(forms.CharField):
    """A latitude or longitude typed as text: ``-34.9``, ``-34,9`` (a decimal comma, as Spanish,
    Portuguese and French write it) or ``−34.9`` (a typographic minus). Anything else is an error,
    never a guess: ``-5,5`` is -5.5, not -55, and ``1.234,5`` or ``91`` (for a latitude) are
    refused. The value is rounded to the model's 5 decimals."""

    def __init__(self, *, limit: int, **kwargs):
        self.limit = limit
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "size": 12}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return format(value, "f") if isinstance(value, Decimal) else value

    def to_python(self, value):
        text = super().to_python(value).strip().replace("\u2212", "-").replace(" ", "")
        if not text:
            return None
        if "," in text and "." in text or text.count(",") > 1:
            raise ValidationError(
                _("Write the coordinate with one decimal separator, e.g. -34.9 or -34,9."), code="ambiguous"
            )
        text = text.replace(",", ".")
        if not COORDINATE.fullmatch(text):
            raise ValidationError(_("Write the coordinate in decimal degrees, e.g. -34.9 or -34,9."), code="invalid")
        number = Decimal(text).quantize(STEP, rounding=ROUND_HALF_EVEN)
        if not -self.limit <= number <= self.limit:
            raise ValidationError(
                _("%(value)s is out of range: between -%(limit)s and %(limit)s."),
                code="out_of_range",
                params={"value": text, "limit": self.limit},
            )
        return number


class CityAdminForm(DerivedSlugForm):
    """A city: coordinates as text, and a slug left empty derived as the gazetteer writes it,
    ``<name>-<cc>`` ("Łódź" in PL: ``lodz-pl``), ``-2``, ``-3``… appended while taken."""

    latitude = CoordinateField(limit=90, label=_("latitude"))
    longitude = CoordinateField(limit=180, label=_("longitude"))

    class Meta:
        model = City
        fields = ["slug", "latitude", "longitude"]  # the admin adds its fieldsets' fields

    def derived_slug_base(self, cleaned: dict) -> str | None:
        base = super().derived_slug_base(cleaned)
        if base is None and cleaned.get("native_name"):
            base = slugify(fold(cleaned["native_name"]))[:100].strip("-") or None
        country = cleaned.get("country")
        return f"{base}-{country.code.lower()}" if base and country else base
