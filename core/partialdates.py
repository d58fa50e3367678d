"""Partial dates: facts known to the year ("joined in 2003"), the month, or the day.

A :class:`PartialDate` is stored in one integer column as ``YYYYMMDD`` with ``00`` for the
unknown parts: ``2003`` is ``20030000``, ``2003-05`` is ``20030500``, ``2003-05-11`` is
``20030511``. That encoding keeps the three precisions in one sortable column: ordering,
range filters and indexes work as for any integer, and the precision is read off the value.

A partial date stands for its whole period: ``2003`` covers 2003-01-01 to 2003-12-31
(:attr:`PartialDate.lower` and :attr:`PartialDate.upper`). How a period uses those bounds is
documented in :mod:`core.periods`.
"""

from __future__ import annotations

import calendar
import datetime
import re
from functools import total_ordering

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils import formats
from django.utils.translation import gettext_lazy as _

# re.ASCII: \d would also match other scripts' digits ("١٩٩٥"), which dates never use here.
ISO_PATTERN = re.compile(r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$", re.ASCII)

YEAR, MONTH, DAY = "year", "month", "day"
PRECISION_CHOICES = [(YEAR, _("year")), (MONTH, _("month")), (DAY, _("day"))]

INVALID_MESSAGE = _(
    "“%(value)s” is not a valid date. Use YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2003, 2003-05 or 2003-05-11)."
)


@total_ordering
class PartialDate:
    """A date known to the year, the month or the day.

    >>> PartialDate.parse("2003-05")
    PartialDate('2003-05')
    >>> str(PartialDate(2003)), PartialDate(2003).upper
    ('2003', datetime.date(2003, 12, 31))
    """

    __slots__ = ("year", "month", "day")

    def __init__(self, year: int, month: int | None = None, day: int | None = None):
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        if not 1 <= year <= 9999:
            raise ValueError("year out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError("month out of range")
        if day is not None:
            datetime.date(year, month, day)  # raises ValueError for 2003-02-30
        self.year, self.month, self.day = year, month, day

    # Construction -------------------------------------------------------------------------

    @classmethod
    def parse(cls, value: str) -> PartialDate:
        """Parse an ISO 8601 reduced-precision string: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""
        match = ISO_PATTERN.match(value.strip())
        if not match:
            raise ValueError(f"not a partial date: {value!r}")
        parts = [int(part) if part else None for part in match.group("year", "month", "day")]
        return cls(*parts)

    @classmethod
    def from_int(cls, value: int) -> PartialDate:
        year, rest = divmod(int(value), 10000)
        month, day = divmod(rest, 100)
        return cls(year, month or None, day or None)

    @classmethod
    def coerce(cls, value: object) -> PartialDate | None:
        """Turn a string, an encoded integer, a ``date`` or a PartialDate into a PartialDate.

        Raises ``ValueError`` (or ``TypeError``) for anything else; ``None`` and ``""`` give None.
        """
        if value is None or value == "":
            return None
        if isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        if isinstance(value, bool):
            raise TypeError("a boolean is not a date")
        if isinstance(value, int):
            return cls.from_int(value)
        if isinstance(value, str):
            return cls.parse(value)
        raise TypeError(f"cannot make a partial date of {type(value).__name__}")

    # Views of the value -------------------------------------------------------------------

    @property
    def precision(self) -> str:
        if self.day is not None:
            return DAY
        if self.month is not None:
            return MONTH
        return YEAR

    def __int__(self) -> int:
        return self.year * 10000 + (self.month or 0) * 100 + (self.day or 0)

    @property
    def lower(self) -> datetime.date:
        """The first day the date may stand for."""
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def upper(self) -> datetime.date:
        """The last day the date may stand for."""
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return datetime.date(self.year, month, day)

    def isoformat(self) -> str:
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    def display(self) -> str:
        """The date at its precision in the active language: "2003", "May 2003", "11 May 2003"."""
        if self.precision == YEAR:
            return str(self.year)
        if self.precision == MONTH:
            return formats.date_format(self.lower, "YEAR_MONTH_FORMAT")
        return formats.date_format(self.lower, "DATE_FORMAT")

    __str__ = isoformat

    def __repr__(self) -> str:
        return f"PartialDate({self.isoformat()!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return int(self) == int(other)
        return NotImplemented

    def __lt__(self, other: object) -> bool:
        if isinstance(other, PartialDate):
            return int(self) < int(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(int(self))


def encode_day(day: datetime.date) -> int:
    """The integer encoding of a full date (for comparisons against stored partial dates)."""
    return day.year * 10000 + day.month * 100 + day.day


def invalid(value: object) -> ValidationError:
    return ValidationError(INVALID_MESSAGE, code="invalid_partial_date", params={"value": value})


class PartialDateFormField(forms.CharField):
    """A text input that accepts ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``."""

    def __init__(self, **kwargs):
        # No max_length: its validator would run on the parsed PartialDate, not the text.
        kwargs.setdefault(
            "widget",
            # Translators: the placeholder of a partial date (a year, a year and month, or a full date).
            forms.TextInput(attrs={"placeholder": _("YYYY / YYYY-MM / YYYY-MM-DD"), "size": 12, "maxlength": 10}),
        )
        kwargs.setdefault("help_text", _("Year, year-month or full date, as far as it is known."))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.isoformat()
        return value

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise invalid(value) from None


class PartialDateDescriptor(DeferredAttribute):
    """Coerces what is assigned ("2003", a ``date``) to a PartialDate at once, so an instance
    never holds a string; a value that cannot be coerced is kept as given for ``full_clean()``
    to report."""

    def __set__(self, instance, value):
        try:
            value = PartialDate.coerce(value)
        except (TypeError, ValueError):
            pass
        instance.__dict__[self.field.attname] = value


class PartialDateField(models.IntegerField):
    """A model field holding a :class:`PartialDate` (stored as an ``YYYYMMDD`` integer).

    Lookups take PartialDates, ISO strings ("2003", "2003-05") or ``date`` objects; the ``year``
    transform (``start__year=2003``) matches every precision within that year.
    """

    description = _("Date at year, month or day precision")
    descriptor_class = PartialDateDescriptor
    default_error_messages = {"invalid": INVALID_MESSAGE}

    def from_db_value(self, value, expression, connection):
        if value is None:
            return None
        return PartialDate.from_int(value)

    def to_python(self, value):
        try:
            return PartialDate.coerce(value)
        except (TypeError, ValueError):
            raise invalid(value) from None

    def get_prep_value(self, value):
        if value is None or value == "" or hasattr(value, "resolve_expression"):
            return value
        try:
            return int(PartialDate.coerce(value))
        except (TypeError, ValueError):
            raise invalid(value) from None

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return value.isoformat() if value is not None else None

    def formfield(self, **kwargs):
        # IntegerField's own formfield would build a number input; a partial date is text.
        defaults = {
            "required": not self.blank,
            "label": self.verbose_name[:1].upper() + str(self.verbose_name)[1:],
            "help_text": self.help_text or None,
        }
        defaults.update(kwargs)
        defaults.pop("form_class", None)
        # The admin maps IntegerField (our storage) to a number input; a partial date is text.
        widget = defaults.get("widget")
        if widget is not None and (
            isinstance(widget, forms.NumberInput)
            or (isinstance(widget, type) and issubclass(widget, forms.NumberInput))
        ):
            defaults.pop("widget")
        defaults.pop("min_value", None)
        defaults.pop("max_value", None)
        defaults = {key: value for key, value in defaults.items() if value is not None}
        return PartialDateFormField(**defaults)

    @property
    def validators(self):
        # IntegerField adds range validators that would be applied to the PartialDate object.
        return list(self._validators)


@PartialDateField.register_lookup
class PartialYear(models.Transform):
    """``field__year``: the year of a partial date, whatever its precision."""

    lookup_name = "year"
    output_field = models.IntegerField()

    def as_sql(self, compiler, connection):
        lhs, params = compiler.compile(self.lhs)
        # Integer division on both SQLite and PostgreSQL (both operands are integers).
        return f"({lhs} / 10000)", params


def valid_value_condition(field: str) -> models.Q:
    """A check-constraint condition: the stored integer is a plausible partial date."""
    return models.Q(**{f"{field}__isnull": True}) | models.Q(
        **{f"{field}__gte": 1000_00_00, f"{field}__lte": 9999_12_31}
    )
