from django import forms
from django.utils.translation import gettext_lazy as _

from core.asof import AtField

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_(
            "CSV or XLSX with the columns city, country, latitude, longitude, geonames_id, wikidata_id, "
            "category, joined, left, source_url (only city and country are required)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."), code="file_type")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than 5 MB: use the import_members command."), code="file_size"
            )
        return upload


class ChangesForm(forms.Form):
    """``?from=2000&to=2010``: the window of "what changed" in a network (partial dates read as
    ``?at=`` is: :func:`core.periods.parse_at`), for its page and its API endpoint."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # "from" is a Python keyword: the fields are named here, not as class attributes.
        widget = forms.TextInput(attrs={"placeholder": "YYYY / YYYY-MM / YYYY-MM-DD", "size": 12, "maxlength": 10})
        self.fields["from"] = AtField(label=_("From"), widget=widget)
        self.fields["to"] = AtField(label=_("To"), widget=widget)

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("from"), cleaned.get("to")
        if since and until and until.upper < since.lower:
            raise forms.ValidationError(
                _("“To” (%(to)s) is before “From” (%(from)s)."),
                code="to_before_from",
                params={"from": since.isoformat(), "to": until.isoformat()},
            )
        return cleaned


class NetworkCompareForm(forms.Form):
    """The networks to compare: two to four network keys, ticked (``?networks=a&networks=b``) or
    comma-separated in one parameter (``?networks=mercociudades,uclg``), in the order given."""

    networks = forms.MultipleChoiceField(
        label=_("Networks to compare"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Tick two to four networks."),
    )

    def __init__(self, data=None, *, networks=(), minimum: int = 2, maximum: int = 4, **kwargs):
        if data is not None:
            # "a,b" and "a&b" alike; each key once, in the order given.
            keys = [key.strip() for value in data.getlist("networks") for key in value.split(",") if key.strip()]
            data = data.copy()
            data.setlist("networks", list(dict.fromkeys(keys)))
        super().__init__(data, **kwargs)
        self.minimum, self.maximum = minimum, maximum
        self.fields["networks"].choices = [(network.slug, str(network)) for network in networks]
        self.fields["networks"].error_messages["invalid_choice"] = _("There is no network with the key “%(value)s”.")

    def clean_networks(self):
        keys = self.cleaned_data["networks"]
        if len(keys) < self.minimum:
            raise forms.ValidationError(
                _("Choose at least %(minimum)d networks to compare.") % {"minimum": self.minimum}, code="too_few"
            )
        if len(keys) > self.maximum:
            raise forms.ValidationError(
                _("Choose at most %(maximum)d networks to compare (you chose %(count)d).")
                % {"maximum": self.maximum, "count": len(keys)},
                code="too_many",
            )
        return keys
