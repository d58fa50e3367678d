"""Time-bounded records: one mechanism for memberships, offices, bloc participation, twinnings.

A period has a ``start`` and an ``end``, each a :class:`~core.partialdates.PartialDate`
or unknown (``None``). **How a partial date counts**: a partial date stands for its whole
period, and a record is *in force* on a day when that day falls between the first day its
start may stand for and the last day its end may stand for:

- "joined 2003" counts from 2003-01-01, so the city is a member on every day of 2003,
  2003-12-31 included;
- "left 2010-06" counts to 2010-06-30; "left 2010" to 2010-12-31;
- an unknown start counts as "since always", an unknown end as "still in force".

This is the inclusive reading ("may have been in force"): with year-precision sources it
answers "who was a member in 2003" the way researchers ask it. ``end`` may not fall before
``start`` (compared the same way), and one city may not hold two overlapping memberships of
one network (see :mod:`networks.constraints`).

**Pages and the API "as of" a date** (``?at=``, read by :func:`parse_at`): ``at=1995-11-11``
shows what was in force on that day; ``at=1995-11`` and ``at=1995`` what was in force on *at
least one day* of that month or year (a city that left in March 1995 and one that joined in
December 1995 are both members "in 1995"). It is the reading above applied to a window, the one
:meth:`PeriodQuerySet.at` and the API's ``at`` filters use; ask for a day to see one day's state.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .partialdates import DAY, PartialDate, PartialDateField, encode_day, valid_value_condition
from .records import RecordQuerySet

#: The parameter name of a page or an endpoint shown "as of" a date.
AT_PARAMETER = "at"

AT_INVALID_MESSAGE = _(
    "“%(value)s” is not a date we can show the state on. Give a year (1995), a month (1995-11) or a day "
    "(1995-11-11), from year 1 to 9999."
)


def parse_at(value: str | None) -> PartialDate | None:
    """The ``?at=`` of a page or an endpoint as a :class:`PartialDate` (``None`` when absent or
    empty): ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` in ASCII digits, a real date (no month 13, no
    30 February, no year 0). Anything else raises ``ValidationError`` (code ``invalid_at``) whose
    message says what to write. The date stands for the window :func:`at_bounds` gives (see the
    module docstring)."""
    if value is None or value == "":
        return None
    try:
        return PartialDate.parse(value) if isinstance(value, str) else PartialDate.coerce(value)
    except (TypeError, ValueError):
        # A long value is cut in the message: it is shown back on the page.
        shown = str(value)[:40]
        raise ValidationError(AT_INVALID_MESSAGE, code="invalid_at", params={"value": shown}) from None


def at_bounds(at: PartialDate | datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day of the window ``at`` stands for: a day for itself, a month or a
    year for all its days."""
    if isinstance(at, PartialDate):
        return at.lower, at.upper
    return at, at


def started_condition(day: datetime.date, prefix: str = "") -> Q:
    """True for periods whose start may fall on or before ``day``. The encoding keeps the order
    of first days, so one integer comparison is enough."""
    return Q(**{f"{prefix}start__isnull": True}) | Q(**{f"{prefix}start__lte": encode_day(day)})


def not_ended_condition(day: datetime.date, prefix: str = "") -> Q:
    """True for periods whose end may fall on or after ``day``."""
    code = encode_day(day)
    return (
        Q(**{f"{prefix}end__isnull": True})
        | Q(**{f"{prefix}end__gte": code})
        # An end known only to the month or the year covers the rest of that month or year:
        # YYYYMM00 and YYYY0000 sort before the days they stand for.
        | Q(**{f"{prefix}end__in": [code - code % 100, code - code % 10000]})
    )


def date_within_condition(field: str, first: datetime.date, last: datetime.date) -> Q:
    """True for rows whose partial date ``field`` may fall from ``first`` to ``last`` (inclusive):
    its first possible day on or before ``last`` and its last possible day on or after ``first``
    ("joined 2003" is within 2003-06-01..2004-12-31; "joined 2003-05" is not). Null never is."""
    code = encode_day(first)
    return Q(**{f"{field}__lte": encode_day(last)}) & (
        Q(**{f"{field}__gte": code})
        # A date known to the month or the year covers the rest of that month or year.
        | Q(**{f"{field}__in": [code - code % 100, code - code % 10000]})
    )


def in_force_condition(day: datetime.date, prefix: str = "") -> Q:
    """True for periods in force on ``day`` (see the module docstring). ``prefix`` lets a
    query on another model reach the period through a relation (``"memberships__"``)."""
    return started_condition(day, prefix) & not_ended_condition(day, prefix)


class PeriodQuerySet(RecordQuerySet):
    """Queries shared by every time-bounded record."""

    def started_by(self, day: datetime.date) -> Q:
        """The condition "started on or before ``day``"; models with extra evidence of a start
        (memberships' first attestation) override it."""
        return started_condition(day)

    def as_of(self, day: datetime.date | str):
        """Records in force on ``day`` (a ``date`` or an ISO ``YYYY-MM-DD`` string)."""
        if isinstance(day, str):
            day = datetime.date.fromisoformat(day)
        return self.filter(self.started_by(day), not_ended_condition(day))

    def during(self, first: datetime.date, last: datetime.date):
        """Records in force on at least one day from ``first`` to ``last``."""
        return self.filter(self.started_by(last), not_ended_condition(first))

    def during_year(self, year: int):
        """Records in force on at least one day of ``year``."""
        return self.during(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    def at(self, at: PartialDate | datetime.date):
        """Records in force on the day ``at``, or on at least one day of the month or year it
        stands for (see the module docstring: the reading of ``?at=``)."""
        if isinstance(at, datetime.date) or at.precision == DAY:
            return self.as_of(at if isinstance(at, datetime.date) else at.lower)
        return self.during(*at_bounds(at))

    def current(self, on: datetime.date | None = None):
        """Records in force today (or on ``on``)."""
        return self.as_of(on or timezone.localdate())

    def past(self, on: datetime.date | None = None):
        """Records that ended before today (or ``on``)."""
        return self.filter(end__isnull=False).exclude(not_ended_condition(on or timezone.localdate()))

    def future(self, on: datetime.date | None = None):
        """Records that start after today (or ``on``)."""
        return self.filter(start__gt=encode_day(on or timezone.localdate()))


def describe_period(
    start: PartialDate | None,
    end: PartialDate | None,
    *,
    event: bool = False,
    date: Callable[[PartialDate], str] = PartialDate.display,
    escape: Callable[[str], str] = str,
) -> str:
    """How a period reads in the active language, the one wording of every page: "1995 – 2003",
    "2003" (start and end the same), "since 2003", "until 2010", "dates not recorded". For an
    ``event`` (a summit) a date alone is when it was held: "2003". ``date`` renders each date
    (``<time>`` markup on the pages) and ``escape`` the translated words around them."""
    if start and end:
        return date(start) if start == end else f"{date(start)} – {date(end)}"
    if start:
        return date(start) if event else escape(gettext("since %(start)s")) % {"start": date(start)}
    if end:
        return date(end) if event else escape(gettext("until %(end)s")) % {"end": date(end)}
    return escape(gettext("dates not recorded"))


def end_not_before_start_condition(start: str = "start", end: str = "end") -> Q:
    """``end`` does not fall before ``start``: true when the end's last possible day is on or
    after the start's first day. Written with integer arithmetic only, so that SQLite and
    PostgreSQL check it the same way: a year-precision end equal to the start's year
    (``start / 10000 * 10000``) or a month-precision end equal to its month also pass."""
    return (
        Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": F(start)})
        | Q(**{end: F(start) / 10000 * 10000})
        | Q(**{end: F(start) / 100 * 100})
    )


def period_constraints(label: str) -> list[models.BaseConstraint]:
    """The named database constraints every concrete period model carries."""
    return [
        models.CheckConstraint(condition=end_not_before_start_condition(), name=f"{label}_end_not_before_start"),
        models.CheckConstraint(condition=valid_value_condition("start"), name=f"{label}_start_valid"),
        models.CheckConstraint(condition=valid_value_condition("end"), name=f"{label}_end_valid"),
    ]


class Period(models.Model):
    """Abstract: a record in force from ``start`` to ``end`` (partial dates, both optional)."""

    start = PartialDateField(
        _("start"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Year, year-month or full date; leave empty if unknown."),
    )
    end = PartialDateField(
        _("end"),
        null=True,
        blank=True,
        db_index=True,
        help_text=_("Year, year-month or full date; leave empty if still in force or unknown."),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.start and self.end and self.end.upper < self.start.lower:
            raise ValidationError(
                {"end": ValidationError(_("The end cannot be before the start."), code="end_before_start")}
            )

    def is_in_force(self, day: datetime.date | PartialDate | None = None) -> bool:
        """Whether the record is in force today, on ``day``, or on at least one day of the month or
        year a PartialDate ``day`` stands for (as :meth:`PeriodQuerySet.at`)."""
        first, last = at_bounds(day or timezone.localdate())
        started = self.start is None or self.start.lower <= last
        not_ended = self.end is None or self.end.upper >= first
        return started and not_ended

    def overlaps(self, other: Period) -> bool:
        """Whether two periods share at least one day (inclusive bounds, as for ``as_of``)."""
        self_first = self.start.lower if self.start else datetime.date.min
        self_last = self.end.upper if self.end else datetime.date.max
        other_first = other.start.lower if other.start else datetime.date.min
        other_last = other.end.upper if other.end else datetime.date.max
        return self_first <= other_last and other_first <= self_last

    @property
    def period_display(self) -> str:
        """The period in plain text: "since 2003" (see :func:`describe_period`)."""
        return describe_period(self.start, self.end)
