"""Pages shown "as of" a date: ``?at=YYYY``, ``?at=YYYY-MM`` or ``?at=YYYY-MM-DD``.

A network's profile, its member list and a city's page take ``at`` and show the state on that
day, or over that month or year (the reading of :mod:`core.periods`: what was in force on at
least one day of it). The value is read once, by :func:`core.periods.parse_at` (the API and the
graph read it with the same function); :class:`AsOfMixin` gives the page:

- ``as_of``: the PartialDate, or None (today's state);
- ``as_of_form``: the date picker (a GET form with an ``<input type=date>``), showing the error
  when ``at`` is not a date; the page is then answered with status 400 and today's state;
- ``as_of_today_url``: the same page without ``at``.

The banner and the picker are ``templates/includes/as_of.html``. The page's address with ``at``
is its permanent, citable address: the page cache keys on the whole query string
(:mod:`core.pagecache`), and "cite this page" cites it.
"""

from __future__ import annotations

from django import forms
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from .partialdates import PartialDate, PartialDateFormField
from .periods import AT_PARAMETER, parse_at


class AtField(PartialDateFormField):
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (:func:`core.periods.parse_at`) as a PartialDate:
    the one field of every ``at``-like parameter (a page's ``?at=``, the API's ``at`` and
    ``member_at`` filters, the graph's date, the window of "what changed"), so that each reads the
    value, and refuses a bad one (code ``invalid_at``), the same way."""

    # No max_length: its validator would run on the PartialDate (parse_at refuses long values).

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "")
        super().__init__(**kwargs)

    def to_python(self, value):
        return parse_at(forms.CharField.to_python(self, value))


class DatePickerInput(forms.DateInput):
    """The browser's date picker. It holds full dates only: an ``at`` known to the year or the
    month is shown by the banner, and the picker starts empty."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, PartialDate):
            return value.isoformat() if value.precision == "day" else None
        return value


class AsOfForm(forms.Form):
    """The date picker of a page shown as of a date."""

    at = AtField(
        label=_("Show this page as of"),
        required=False,
        widget=DatePickerInput(attrs={"min": "0001-01-01", "max": "9999-12-31"}),
        help_text=_("A day; in the address, a year (?at=1995) or a month (?at=1995-11) also works."),
    )


class AsOfMixin:
    """A page view that shows the state as of ``?at=`` (see the module)."""

    #: Whether the page shows the date picker (the member list has its own "members on" filter).
    as_of_picker = True

    @cached_property
    def as_of_form(self) -> AsOfForm:
        if AT_PARAMETER in self.request.GET:
            return AsOfForm(data={AT_PARAMETER: self.request.GET[AT_PARAMETER]})
        return AsOfForm()

    @cached_property
    def as_of(self) -> PartialDate | None:
        """The page's date, or None for today's state (also when ``at`` is not a date)."""
        form = self.as_of_form
        return form.cleaned_data[AT_PARAMETER] if form.is_bound and form.is_valid() else None

    def as_of_invalid(self) -> bool:
        return self.as_of_form.is_bound and not self.as_of_form.is_valid()

    def as_of_today_url(self) -> str:
        query = self.request.GET.copy()
        query.pop(AT_PARAMETER, None)
        query.pop("page", None)
        return self.request.path + ("?" + urlencode(query, doseq=True) if query else "")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            as_of=self.as_of,
            as_of_form=self.as_of_form,
            as_of_picker=self.as_of_picker,
            as_of_today_url=self.as_of_today_url(),
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        if self.as_of_invalid():
            response_kwargs["status"] = 400
        return super().render_to_response(context, **response_kwargs)
