"""City networks, their members over time, governing bodies, thematic units, offices and summits."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cities.models import languages_validator, unique_wikidata_constraint, wikidata_field
from core.partialdates import PartialDateField, encode_day, valid_value_condition
from core.periods import (
    Period,
    PeriodQuerySet,
    end_not_before_start_condition,
    not_ended_condition,
    period_constraints,
)
from core.records import KeyedRecord, Record, RecordQuerySet, key_constraint, translated_name_condition
from sources.models import Certainty, certainty_constraint, certainty_field, citation_model


class Scope(models.TextChoices):
    GLOBAL = "global", _("global")
    REGIONAL = "regional", _("regional")
    NATIONAL = "national", _("national")


class NetworkStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    DISSOLVED = "dissolved", _("dissolved")


#: Keys a network cannot have: the addresses of pages under /xx/networks/ (networks/urls.py).
RESERVED_SLUGS = frozenset({"compare"})


class Network(Record):
    """A network of cities and other subnational governments.

    Example: Mercociudades (Red de Mercociudades / Rede Mercocidades), regional, founded in
    Asunción on 11 Nov 1995, secretariat in Montevideo. UCLG's regional sections are networks
    whose ``parent`` is UCLG.
    """

    NATURAL_KEY = ("slug",)
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "pk"
    REQUIRED_TRANSLATION = "name"

    slug = models.SlugField(
        _("slug"), max_length=80, unique=True, help_text=_("Stable identifier, e.g. mercociudades.")
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    founded = PartialDateField(_("founded"), null=True, blank=True)
    founded_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="networks_founded",
        verbose_name=_("founding place"),
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.GLOBAL)
    secretariat_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="secretariats",
        verbose_name=_("secretariat"),
    )
    official_languages = models.CharField(
        _("official languages"),
        max_length=60,
        blank=True,
        validators=[languages_validator],
        help_text=_("ISO 639-1 codes separated by commas, e.g. es,pt."),
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=NetworkStatus.choices, default=NetworkStatus.ACTIVE)
    dissolved = PartialDateField(_("dissolution date"), null=True, blank=True)
    wikidata_id = wikidata_field()
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sections",
        verbose_name=_("parent network"),
        help_text=_("The network this one is a section of (e.g. UCLG for its regional sections)."),
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("networks")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=translated_name_condition(), name="network_name_in_one_language"),
            models.CheckConstraint(condition=valid_value_condition("founded"), name="network_founded_valid"),
            models.CheckConstraint(condition=valid_value_condition("dissolved"), name="network_dissolved_valid"),
            models.CheckConstraint(
                condition=Q(dissolved__isnull=True) | Q(status=NetworkStatus.DISSOLVED),
                name="network_dissolution_needs_status",
                violation_error_message=_("Only a dissolved network has a dissolution date."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="network_not_own_parent",
                violation_error_message=_("A network cannot be its own parent."),
            ),
            unique_wikidata_constraint("network"),
        ]

    def __str__(self):
        return self.name or self.acronym or self.slug

    def get_absolute_url(self):
        return reverse("network-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        if self.slug in RESERVED_SLUGS:
            raise ValidationError(
                {
                    "slug": ValidationError(
                        _("“%(slug)s” is the address of a page: choose another key."),
                        code="reserved",
                        params={"slug": self.slug},
                    )
                }
            )
        if self.founded and self.dissolved and self.dissolved.upper < self.founded.lower:
            raise ValidationError(
                {
                    "dissolved": ValidationError(
                        _("The dissolution cannot be before the founding."), code="end_before_start"
                    )
                }
            )
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError(
                {"parent": ValidationError(_("A network cannot be its own parent."), code="own_parent")}
            )

    @property
    def language_list(self) -> list[str]:
        return [code for code in self.official_languages.split(",") if code]


NetworkCitation = citation_model("networks.Network", __name__, "network")


class BodyKind(models.TextChoices):
    SUMMIT = "summit", _("summit or general assembly")
    COUNCIL = "council", _("council")
    EXECUTIVE = "executive", _("executive body")
    SECRETARIAT = "secretariat", _("secretariat")
    BOARD = "board", _("board")
    OTHER = "other", _("other")


class GoverningBody(Period, KeyedRecord):
    """A governing body of a network, in force for a period (structures change).

    Example: Mercociudades' Executive Directorate, created by the statute reform of the 20th
    Summit (São Paulo, 14 Nov 2015), which replaced the Executive Secretariat.
    """

    NATURAL_KEY = ("network__slug", "slug")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"
    REQUIRED_TRANSLATION = "name"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="bodies", verbose_name=_("network"))
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=BodyKind.choices, default=BodyKind.OTHER)
    description = models.TextField(_("description"), blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("governing body")
        verbose_name_plural = _("governing bodies")
        ordering = ["network", "slug"]
        constraints = [
            *period_constraints("governingbody"),
            models.CheckConstraint(condition=translated_name_condition(), name="governingbody_name_in_one_language"),
            models.UniqueConstraint(fields=["network", "slug"], name="governingbody_unique_slug"),
            key_constraint("governingbody"),
        ]

    def __str__(self):
        return self.name or self.slug


GoverningBodyCitation = citation_model("networks.GoverningBody", __name__, "governingbody")


class UnitKind(models.TextChoices):
    THEMATIC_UNIT = "thematic_unit", _("thematic unit")
    VICE_PRESIDENCY = "vice_presidency", _("thematic vice-presidency")
    COMMITTEE = "committee", _("committee")
    WORKING_GROUP = "working_group", _("working group")
    FORUM = "forum", _("forum")
    NETWORK = "network", _("thematic network")
    OTHER = "other", _("other")


class ThematicUnit(Period, KeyedRecord):
    """A standing working body of a network on one theme.

    Examples: Mercociudades' thematic unit on Environment and Sustainable Development (UTADS);
    UCLG's committees; Eurocities' forums; C40's networks.
    """

    NATURAL_KEY = ("network__slug", "slug")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"
    REQUIRED_TRANSLATION = "name"

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="thematic_units", verbose_name=_("network")
    )
    slug = models.SlugField(_("slug"), max_length=80)
    name = models.CharField(_("name"), max_length=250, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=UnitKind.choices, default=UnitKind.THEMATIC_UNIT)
    description = models.TextField(_("description"), blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("thematic unit")
        verbose_name_plural = _("thematic units")
        ordering = ["network", "slug"]
        constraints = [
            *period_constraints("thematicunit"),
            models.CheckConstraint(condition=translated_name_condition(), name="thematicunit_name_in_one_language"),
            models.UniqueConstraint(fields=["network", "slug"], name="thematicunit_unique_slug"),
            key_constraint("thematicunit"),
        ]

    def __str__(self):
        return self.name or self.acronym or self.slug

    def get_absolute_url(self):
        return reverse("thematic-unit-detail", kwargs={"network": self.network.slug, "slug": self.slug})


ThematicUnitCitation = citation_model("networks.ThematicUnit", __name__, "thematicunit")


class SummitKind(models.TextChoices):
    SUMMIT = "summit", _("summit")
    CONGRESS = "congress", _("congress")
    GENERAL_ASSEMBLY = "general_assembly", _("general assembly")
    CONFERENCE = "conference", _("conference")
    OTHER = "other", _("other meeting")


class SummitFormat(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    VIRTUAL = "virtual", _("virtual")
    HYBRID = "hybrid", _("hybrid")


class Summit(KeyedRecord):
    """A meeting of a network's members, numbered where the network numbers them.

    Example: the 1st Mercociudades Summit, Asunción, 11 Nov 1995, which approved the Founding
    Act. The memberships it admitted and the offices it elected refer to it.
    """

    NATURAL_KEY = ("network__slug", "slug")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="summits", verbose_name=_("network"))
    slug = models.SlugField(
        _("slug"), max_length=80, help_text=_("Stable identifier within the network, e.g. 1995-asuncion.")
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    number_inferred = models.BooleanField(
        _("number inferred"),
        default=False,
        help_text=_("The number is deduced from the order of events, not stated by a source."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SummitKind.choices, default=SummitKind.SUMMIT)
    name = models.CharField(_("name"), max_length=250, blank=True, help_text=_("The meeting's own name, if any."))
    start = PartialDateField(_("start"), null=True, blank=True, db_index=True)
    end = PartialDateField(_("end"), null=True, blank=True)
    host_city = models.ForeignKey(
        "cities.City",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="summits_hosted",
        verbose_name=_("host city"),
    )
    format = models.CharField(_("format"), max_length=10, choices=SummitFormat.choices, blank=True)
    motto = models.CharField(_("motto"), max_length=500, blank=True)
    declaration = models.TextField(
        _("declaration"), blank=True, help_text=_("Title or text of the declaration adopted.")
    )
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("summit")
        verbose_name_plural = _("summits")
        ordering = ["network", "start", "number"]
        constraints = [
            models.UniqueConstraint(fields=["network", "slug"], name="summit_unique_slug"),
            key_constraint("summit"),
            models.UniqueConstraint(
                fields=["network", "number"],
                name="summit_unique_number",
                violation_error_message=_("This network already has a summit with this number."),
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(number__gte=1),
                name="summit_number_positive",
                violation_error_message=_("Summit numbers start at 1."),
            ),
            models.CheckConstraint(
                condition=end_not_before_start_condition(),
                name="summit_end_not_before_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(condition=valid_value_condition("start"), name="summit_start_valid"),
            models.CheckConstraint(condition=valid_value_condition("end"), name="summit_end_valid"),
        ]

    #: a summit's dates are an event's: a start alone is when it was held, not "since" (the
    #: ``period`` template tag reads it)
    is_event = True

    def __str__(self):
        label = self.name or self.get_kind_display()
        if self.number:
            label = _("%(number)s. %(label)s") % {"number": self.number, "label": label}
        where = f", {self.host_city}" if self.host_city_id else ""
        when = f" ({self.start.display()})" if self.start else ""
        return f"{label}{where}{when}"

    @property
    def label(self) -> str:
        """The summit's name among its network's: its own name, else its kind and number
        ("Summit no. 20"), else its kind. Pages show it (``record_link``)."""
        if self.name:
            return self.name
        kind = capfirst(self.get_kind_display())
        return _("%(kind)s no. %(number)s") % {"kind": kind, "number": self.number} if self.number else kind

    @property
    def title(self) -> str:
        """The summit's name on its own, in the active language: its own name, else its kind,
        number and network ("Summit no. 20 of Mercociudades"), else its kind, network, place and
        year. The page's title and its JSON-LD use it."""
        if self.name:
            return self.name
        values = {
            "kind": self.get_kind_display(),
            "number": self.number,
            "network": str(self.network),
            "place": str(self.host_city) if self.host_city_id else "",
            "year": self.year or "",
        }
        if self.number:
            title = _("%(kind)s no. %(number)s of %(network)s") % values
        elif values["place"] and values["year"]:
            title = _("%(kind)s of %(network)s in %(place)s, %(year)s") % values
        elif values["year"]:
            title = _("%(kind)s of %(network)s, %(year)s") % values
        else:
            title = _("%(kind)s of %(network)s") % values
        return capfirst(title)

    @property
    def year(self) -> int | None:
        """The year it was held (of its start, else its end)."""
        when = self.start or self.end
        return when.year if when else None

    def get_absolute_url(self):
        return reverse("summit-detail", kwargs={"network": self.network.slug, "slug": self.slug})

    def clean(self):
        super().clean()
        if self.start and self.end and self.end.upper < self.start.lower:
            raise ValidationError(
                {"end": ValidationError(_("The end cannot be before the start."), code="end_before_start")}
            )


SummitCitation = citation_model("networks.Summit", __name__, "summit")


class MembershipCategory(models.TextChoices):
    FULL = "full", _("full member")
    ASSOCIATE = "associate", _("associate member")
    OBSERVER = "observer", _("observer")
    PARTNER = "partner", _("partner")
    OTHER = "other", _("other")
    NOT_STATED = "not_stated", _("category not stated")


class MembershipQuerySet(PeriodQuerySet):
    """When the joining date is unknown, a membership counts from ``first_attested`` (the
    earliest date a source shows the city as a member). With neither, it is undated evidence of
    membership: a member today (and on any later day a query asks about), never on a past date.
    ``as_of``, ``during`` and ``current`` all follow this rule, so the API's ``at``, the member
    list and the profile's counts agree."""

    def started_by(self, day, *, include_undated: bool | None = None) -> Q:
        if include_undated is None:
            include_undated = day >= timezone.localdate()
        code = encode_day(day)
        started = Q(start__lte=code) | Q(start__isnull=True, first_attested__lte=code)
        if include_undated:
            started |= Q(start__isnull=True, first_attested__isnull=True)
        return started

    def counted(self):
        """Memberships a source states: probable and uncertain ones are never counted as members
        (``networks.selectors.counted_memberships`` adds "in force"; the cities' ``?network=``
        filter keeps these through ``core.api.filters.RelatedKeyFilter``)."""
        return self.filter(certainty=Certainty.STATED)

    def current(self, on=None):
        """Memberships in force today (or on ``on``), undated evidence of membership included."""
        on = on or timezone.localdate()
        return self.filter(self.started_by(on, include_undated=True), not_ended_condition(on))

    def with_related(self):
        return self.select_related("network", "city", "city__country", "admitted_at")


class Membership(Period, KeyedRecord):
    """A city's membership of a network for a period.

    Example: Montevideo, founding member of Mercociudades since 11 Nov 1995. One city holds at
    most one membership of a network at any time (a database constraint: see
    :mod:`networks.constraints`); leaving and rejoining makes two memberships.
    """

    NATURAL_KEY = ("network__slug", "city__slug", "start")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"

    network = models.ForeignKey(
        Network, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("network")
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="memberships", verbose_name=_("city")
    )
    category = models.CharField(
        _("category"), max_length=12, choices=MembershipCategory.choices, default=MembershipCategory.FULL
    )
    founding = models.BooleanField(_("founding member"), default=False)
    first_attested = PartialDateField(
        _("first attested"),
        null=True,
        blank=True,
        help_text=_("When the joining date is unknown: the earliest date a source shows the city as a member."),
    )
    admitted_at = models.ForeignKey(
        Summit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="admissions",
        verbose_name=_("admitted at"),
    )
    certainty = certainty_field()
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["network", "start", "city"]
        indexes = [models.Index(fields=["network", "start", "end"], name="membership_network_period")]
        # The no-overlap rule is created by migration 0002 (an exclusion constraint on
        # PostgreSQL, triggers on SQLite): see networks/constraints.py.
        constraints = [
            *period_constraints("membership"),
            models.CheckConstraint(
                condition=valid_value_condition("first_attested"), name="membership_first_attested_valid"
            ),
            models.CheckConstraint(
                condition=end_not_before_start_condition("start", "first_attested"),
                name="membership_attested_not_before_start",
                violation_error_message=_("A membership cannot be attested before it starts."),
            ),
            certainty_constraint("membership"),
            key_constraint("membership"),
        ]

    def __str__(self):
        return f"{self.city} — {self.network} ({self.period_display})"

    def clean(self):
        super().clean()
        if self.network_id and self.city_id:
            others = Membership.objects.filter(network_id=self.network_id, city_id=self.city_id).exclude(pk=self.pk)
            for other in others:
                if self.overlaps(other):
                    raise ValidationError(
                        _("%(city)s is already a member of %(network)s for an overlapping period (%(period)s)."),
                        code="overlapping_membership",
                        params={"city": self.city, "network": self.network, "period": other.period_display},
                    )
        if self.start and self.first_attested and self.first_attested.upper < self.start.lower:
            raise ValidationError(
                {
                    "first_attested": ValidationError(
                        _("A membership cannot be attested before it starts."), code="attested_before_start"
                    )
                }
            )
        if self.admitted_at_id and self.network_id and self.admitted_at.network_id != self.network_id:
            raise ValidationError(
                {
                    "admitted_at": ValidationError(
                        _("The summit must be one of this network's."), code="other_network_summit"
                    )
                }
            )


MembershipCitation = citation_model("networks.Membership", __name__, "membership")


class Role(models.TextChoices):
    PRESIDENT = "president", _("president")
    CO_PRESIDENT = "co_president", _("co-president")
    VICE_PRESIDENT = "vice_president", _("vice-president")
    CHAIR = "chair", _("chair")
    CO_CHAIR = "co_chair", _("co-chair")
    EXECUTIVE_SECRETARIAT = "executive_secretariat", _("executive secretariat")
    COORDINATOR = "coordinator", _("coordinator")
    SUB_COORDINATOR = "sub_coordinator", _("sub-coordinator")
    COUNCIL_MEMBER = "council_member", _("council member")
    BOARD_MEMBER = "board_member", _("board member")
    OTHER = "other", _("other")


UNIT_ROLES = (Role.COORDINATOR, Role.SUB_COORDINATOR)


class OfficeQuerySet(PeriodQuerySet):
    def with_related(self):
        return self.select_related(
            "network", "city", "city__country", "body", "thematic_unit", "elected_at", "took_office_at"
        )


class Office(Period, KeyedRecord):
    """A city holding a role in a network for a period, optionally with the person who exercised it.

    Example: Tandil, president of Mercociudades (represented by its mayor Miguel Lunghi) in May
    2021; Canelones, coordinator of the thematic unit on Environment and Sustainable Development.
    """

    NATURAL_KEY = ("network__slug", "role", "city__slug", "thematic_unit__slug", "start")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="offices", verbose_name=_("network"))
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="offices", verbose_name=_("city"))
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("The network's own name for the role, if it differs from the role."),
    )
    body = models.ForeignKey(
        GoverningBody,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("governing body"),
    )
    thematic_unit = models.ForeignKey(
        ThematicUnit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name=_("thematic unit"),
    )
    person = models.CharField(
        _("person"), max_length=200, blank=True, help_text=_("Who exercised the office for the city, e.g. its mayor.")
    )
    elected_at = models.ForeignKey(
        Summit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="elections",
        verbose_name=_("elected at"),
        help_text=_("The summit that elected the city to the office (Mercociudades elects one summit ahead)."),
    )
    # A fact of its own, not a copy of elected_at: Mercociudades elects its next presidency a
    # summit before the one where it takes office.
    took_office_at = models.ForeignKey(
        Summit,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="inaugurations",
        verbose_name=_("took office at"),
        help_text=_("The summit where the city took office, when a source names it."),
    )
    certainty = certainty_field()
    notes = models.TextField(_("notes"), blank=True)

    objects = OfficeQuerySet.as_manager()

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["network", "start", "role"]
        indexes = [models.Index(fields=["network", "role", "start"], name="office_network_role_start")]
        constraints = [
            *period_constraints("office"),
            models.CheckConstraint(
                condition=~Q(role__in=UNIT_ROLES) | Q(thematic_unit__isnull=False),
                name="office_unit_role_needs_unit",
                violation_error_message=_("A coordinator or sub-coordinator needs a thematic unit."),
            ),
            certainty_constraint("office"),
            key_constraint("office"),
            # The API's key of an office is its NATURAL_KEY: two offices sharing one could be
            # neither read, changed nor deleted. Unknown parts (no unit, no start) count as equal,
            # hence Coalesce (an expression index: SQLite adds it without rebuilding the table).
            models.UniqueConstraint(
                "network",
                "role",
                "city",
                Coalesce("thematic_unit", Value(0), output_field=models.IntegerField()),
                Coalesce("start", Value(0), output_field=models.IntegerField()),
                name="office_unique_key",
                violation_error_message=_(
                    "This network already records this office for this city, unit and start date."
                ),
            ),
        ]

    def __str__(self):
        where = f" — {self.thematic_unit}" if self.thematic_unit_id else ""
        return f"{self.city}: {self.title or self.get_role_display()}{where} ({self.period_display})"

    def clean(self):
        super().clean()
        errors = {}
        for field in ("body", "thematic_unit", "elected_at", "took_office_at"):
            related = getattr(self, field) if getattr(self, f"{field}_id") else None
            if related is not None and self.network_id and related.network_id != self.network_id:
                errors[field] = ValidationError(_("This belongs to another network."), code="other_network")
        if self.role in UNIT_ROLES and not self.thematic_unit_id:
            errors["thematic_unit"] = ValidationError(
                _("A coordinator or sub-coordinator needs a thematic unit."), code="unit_required"
            )
        if errors:
            raise ValidationError(errors)


OfficeCitation = citation_model("networks.Office", __name__, "office")


class MembershipFigureQuerySet(RecordQuerySet):
    def latest_per_network(self):
        return self.order_by("network", "-date")


class MembershipFigure(KeyedRecord):
    """A membership size reported by a source: "N members in C countries on date D, per S".

    Kept beside the memberships actually recorded, so a network's reported size can be compared
    with what Paradiplo holds. Example: Mercociudades, 366 cities on 2022-04-13 (case study),
    with a per-country breakdown (142 AR, 89 BR …) as :class:`MembershipFigureCountry` rows.
    """

    NATURAL_KEY = ("network__slug", "date", "members")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="figures", verbose_name=_("network"))
    date = PartialDateField(
        _("date"),
        null=True,
        blank=True,
        help_text=_("The date the figure refers to; empty when the source is undated."),
    )
    members = models.PositiveIntegerField(_("members"))
    at_least = models.BooleanField(
        _("at least"), default=False, help_text=_("The source says “over N” or “more than N”.")
    )
    countries = models.PositiveSmallIntegerField(_("countries"), null=True, blank=True)
    unit = models.CharField(
        _("counted as"), max_length=200, blank=True, help_text=_("What the source counts, e.g. “member cities”.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = MembershipFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership figure")
        verbose_name_plural = _("membership figures")
        ordering = ["network", "date"]
        get_latest_by = "date"
        constraints = [
            # An undated figure counts as one date (0): two undated figures of one size would share a key.
            models.UniqueConstraint(
                "network",
                Coalesce("date", Value(0), output_field=models.IntegerField()),
                "members",
                name="membershipfigure_unique",
                violation_error_message=_("This network already records this figure for this date."),
            ),
            key_constraint("membershipfigure"),
            models.CheckConstraint(condition=valid_value_condition("date"), name="membershipfigure_date_valid"),
        ]

    def __str__(self):
        return ngettext(
            "%(network)s: %(members)s member (%(date)s)", "%(network)s: %(members)s members (%(date)s)", self.members
        ) % {
            "network": self.network,
            "members": self.members,
            "date": self.date or _("undated"),
        }


MembershipFigureCitation = citation_model("networks.MembershipFigure", __name__, "membershipfigure")


class FigureCountryQuerySet(models.QuerySet):
    def get_by_natural_key(self, network, date, members, country):
        return self.get(
            figure__network__slug=network, figure__date=date, figure__members=members, country__code=country
        )


class MembershipFigureCountry(models.Model):
    """One country's line in a reported membership breakdown (e.g. Argentina: 142 of 366)."""

    figure = models.ForeignKey(
        MembershipFigure, on_delete=models.CASCADE, related_name="by_country", verbose_name=_("membership figure")
    )
    country = models.ForeignKey("cities.Country", on_delete=models.PROTECT, related_name="+", verbose_name=_("country"))
    members = models.PositiveIntegerField(_("members"))

    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "figure__network"

    objects = FigureCountryQuerySet.as_manager()

    class Meta:
        verbose_name = _("members in a country")
        verbose_name_plural = _("members by country")
        ordering = ["figure", "-members"]
        constraints = [models.UniqueConstraint(fields=["figure", "country"], name="membershipfigurecountry_unique")]

    def __str__(self):
        return f"{self.country}: {self.members}"

    def natural_key(self):
        return (*self.figure.natural_key(), self.country.code)

    def clean(self):
        super().clean()
        if self.figure_id and self.members is not None and self.members > self.figure.members:
            raise ValidationError(
                {
                    "members": ValidationError(
                        _("A country cannot have more members than the whole figure."), code="more_than_total"
                    )
                }
            )

    @property
    def share(self) -> float | None:
        return self.members / self.figure.members if self.figure.members else None


class NetworkEditor(models.Model):
    """A user who may edit one network's own records (its memberships, bodies, offices, units,
    summits, figures, programmes and projects). Curators and superusers edit everything."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="network_roles", verbose_name=_("user")
    )
    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="editors", verbose_name=_("network"))
    created_at = models.DateTimeField(_("since"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("network editor")
        verbose_name_plural = _("network editors")
        ordering = ["network", "user"]
        constraints = [models.UniqueConstraint(fields=["user", "network"], name="networkeditor_unique")]
        permissions = [("curate_all", _("Can edit the records of every network and shared reference records"))]

    def __str__(self):
        return f"{self.user} — {self.network}"
