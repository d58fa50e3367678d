"""The search parameters, validated the same way for the page and the typeahead."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from .kinds import KIND_CHOICES
from .services import MAX_QUERY_LENGTH, Filters, normalize_query


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        strip=True,
        error_messages={
            "max_length": _("Search for at most %(limit_value)d characters (this text has %(show_value)d)."),
        },
    )
    type = forms.ChoiceField(label=_("Type"), choices=[("", "")] + KIND_CHOICES, required=False)
    network = forms.SlugField(label=_("Network"), max_length=80, required=False)
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        required=False,
        validators=[RegexValidator(r"^[A-Za-z]{2}$", _("Use the two letters of ISO 3166-1 (e.g. UY)."))],
    )
    year = forms.IntegerField(label=_("Year"), min_value=1000, max_value=9999, required=False)
    page = forms.IntegerField(label=_("Page"), min_value=1, required=False)

    def clean_q(self):
        return normalize_query(self.cleaned_data.get("q"))

    def clean_country(self):
        return (self.cleaned_data.get("country") or "").upper()

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            kind=data.get("type") or None,
            network=data.get("network") or None,
            country=data.get("country") or None,
            year=data.get("year"),
        )
