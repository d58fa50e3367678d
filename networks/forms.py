from django import forms
from django.utils.translation import gettext_lazy as _

from core.api.filters import StrictFilterForm
from core.asof import AtField

from . import graph, selectors

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("Member list"),
        help_text=_(
            "CSV or XLSX with the columns city, country, latitude, longitude, geonames_id, wikidata_id, "
            "category, joined, left, source_url (only city and country are required), named in English, "
            "Spanish, Portuguese or French: download a template below."
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


class NetworkSlugsField(forms.MultipleChoiceField):
    """Network slugs, given as repeated parameters (``network=a&network=b``, as a form's
    checkboxes send them) or comma-separated (``network=a,b``), or both; each must be a
    network's slug."""

    def to_python(self, value):
        values = super().to_python(value)
        return list(dict.fromkeys(part.strip() for item in values for part in item.split(",") if part.strip()))


class GraphForm(StrictFilterForm):
    """The co-membership graph's parameters, for its page and its API endpoint: ``at`` (a
    partial date; empty: today), ``network`` (slugs; empty: every network) and ``projection``.
    Values are parsed strictly (:class:`core.api.filters.StrictFilterForm`); building the
    form reads the networks (one query)."""

    at = AtField(
        required=False,
        label=_("Date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        help_text=_("The memberships in force on this day, or at any time in this month or year. Empty: today."),
    )
    network = NetworkSlugsField(
        required=False,
        label=_("Networks"),
        help_text=_("Only these networks (their keys, repeated or comma-separated). Empty: every network."),
        choices=selectors.graph_network_choices,
        widget=forms.CheckboxSelectMultiple,
    )
    projection = forms.ChoiceField(
        required=False,
        label=_("Graph"),
        choices=graph.PROJECTIONS,
        widget=forms.RadioSelect,
        help_text=_(
            "bipartite: cities and networks; city: cities linked by the networks they share; "
            "network: networks linked by the members they share."
        ),
    )

    def __init__(self, data=None, *args, **kwargs):
        if data is not None and not data.get("projection"):
            # The default is shown ticked on the page's form.
            data = data.copy()
            data["projection"] = graph.BIPARTITE
        super().__init__(data, *args, **kwargs)

    def clean_projection(self):
        return self.cleaned_data.get("projection") or graph.BIPARTITE

    def graph_query(self) -> graph.GraphQuery:
        """The valid form's :class:`networks.graph.GraphQuery`."""
        data = self.cleaned_data
        return graph.GraphQuery(
            at=data.get("at"), networks=tuple(data.get("network") or ()), projection=data["projection"]
        )
