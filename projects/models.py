"""Cooperation: organizations, programmes, projects with their participants and funders, SDGs."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.currencies import CURRENCY_CODES, validate_currency
from core.partialdates import PartialDateField, valid_value_condition
from core.periods import Period, PeriodQuerySet, end_not_before_start_condition, period_constraints
from core.records import KeyedRecord, Record, key_constraint, translated_name_condition
from sources.models import citation_model


def currency_constraints(label: str, amount: str) -> list[models.BaseConstraint]:
    """An amount is non-negative and carries an ISO 4217 currency."""
    return [
        models.CheckConstraint(
            condition=Q(**{f"{amount}__isnull": True}) | Q(**{f"{amount}__gte": 0}),
            name=f"{label}_{amount}_not_negative",
            violation_error_message=_("An amount cannot be negative."),
        ),
        models.CheckConstraint(
            condition=Q(currency="") | Q(currency__in=CURRENCY_CODES),
            name=f"{label}_currency_iso4217",
            violation_error_message=_("Use an ISO 4217 currency code (e.g. USD, EUR, UYU)."),
        ),
        models.CheckConstraint(
            condition=Q(**{f"{amount}__isnull": True}) | ~Q(currency=""),
            name=f"{label}_{amount}_has_currency",
            violation_error_message=_("An amount needs its currency."),
        ),
    ]


class SDG(Record):
    """One of the 17 Sustainable Development Goals. Example: 11, Sustainable cities and communities."""

    NATURAL_KEY = ("number",)
    REQUIRED_TRANSLATION = "short_name"

    number = models.PositiveSmallIntegerField(
        _("number"), unique=True, validators=[MinValueValidator(1), MaxValueValidator(17)]
    )
    short_name = models.CharField(_("short name"), max_length=120, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Sustainable Development Goal")
        verbose_name_plural = _("Sustainable Development Goals")
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number__gte=1, number__lte=17),
                name="sdg_number_1_to_17",
                violation_error_message=_("SDGs are numbered 1 to 17."),
            ),
            models.CheckConstraint(condition=translated_name_condition("short_name"), name="sdg_name_in_one_language"),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_name}"

    def get_absolute_url(self):
        return reverse("sdg-detail", kwargs={"number": self.number})


SDGCitation = citation_model("projects.SDG", __name__, "sdg")


class OrganizationKind(models.TextChoices):
    MULTILATERAL_BANK = "multilateral_bank", _("multilateral bank")
    BILATERAL_AGENCY = "bilateral_agency", _("bilateral cooperation agency")
    EU = "eu", _("European Union institution")
    UN = "un", _("United Nations body")
    INTERGOVERNMENTAL = "intergovernmental", _("intergovernmental organization")
    GOVERNMENT = "government", _("national government")
    UNIVERSITY = "university", _("university or research centre")
    NGO = "ngo", _("non-governmental organization")
    FOUNDATION = "foundation", _("foundation")
    OTHER = "other", _("other")


class Organization(Record):
    """A funder or partner that is not a member city: IDB, AECID, the EU, UN-Habitat, SEGIB…

    Example: AECID (Agencia Española de Cooperación Internacional para el Desarrollo), a
    bilateral agency that funded the "Border Governance" project (2011–2013).
    """

    NATURAL_KEY = ("slug",)
    REQUIRED_TRANSLATION = "name"

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=250, blank=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.OTHER)
    country = models.ForeignKey(
        "cities.Country",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organizations",
        verbose_name=_("country"),
    )
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=translated_name_condition(), name="organization_name_in_one_language"),
        ]

    def __str__(self):
        return self.acronym or self.name or self.slug

    def get_absolute_url(self):
        return reverse("organization-detail", kwargs={"slug": self.slug})


OrganizationCitation = citation_model("projects.Organization", __name__, "organization")


class Programme(Period, Record):
    """A network's funding line. Example: the Mercociudades South–South Cooperation Programme
    (since 2017), whose calls fund projects from the network's own money and its allies'."""

    NATURAL_KEY = ("slug",)
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"
    REQUIRED_TRANSLATION = "name"

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.CASCADE, related_name="programmes", verbose_name=_("network")
    )
    name = models.CharField(_("name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    sdgs = models.ManyToManyField(
        "SDG",
        blank=True,
        related_name="programmes",
        verbose_name=_("SDGs"),
        help_text=_("The goals a source says the programme selects its projects for."),
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["network", "slug"]
        constraints = [
            *period_constraints("programme"),
            models.CheckConstraint(condition=translated_name_condition(), name="programme_name_in_one_language"),
        ]

    def __str__(self):
        return self.name or self.slug

    def get_absolute_url(self):
        return reverse("programme-detail", kwargs={"slug": self.slug})


ProgrammeCitation = citation_model("projects.Programme", __name__, "programme")


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    ONGOING = "ongoing", _("ongoing")
    COMPLETED = "completed", _("completed")
    CANCELLED = "cancelled", _("cancelled")
    UNKNOWN = "unknown", _("unknown")


class Modality(models.TextChoices):
    TECHNICAL_ASSISTANCE = "technical_assistance", _("technical assistance")
    EXCHANGE = "exchange", _("exchange of officials")
    INTERNSHIP = "internship", _("internships")
    TRAINING = "training", _("training")
    SEMINARS = "seminars", _("seminars and forums")
    GRANT = "grant", _("grants")
    OTHER = "other", _("other")


class Project(Record):
    """A cooperation project that cities run together, with its participants and funders.

    Example: "Border Governance: Strengthening the capacities of the Departmental and Local
    Governments of MERCOSUR", run April 2011 – April 2013 by the FCCR with AECID funding.
    ``start``/``end`` are the actual dates; ``planned_start``/``planned_end`` the planned ones.
    """

    NATURAL_KEY = ("slug",)
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "network"
    REQUIRED_TRANSLATION = "title"

    slug = models.SlugField(
        _("identifier"), max_length=100, unique=True, help_text=_("Stable identifier, e.g. gobernanza-fronteriza.")
    )
    title = models.CharField(_("title"), max_length=400, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    results = models.TextField(_("results"), blank=True)
    notes = models.TextField(_("notes"), blank=True, help_text=_("Editorial notes: caveats about the sources."))
    network = models.ForeignKey(
        "networks.Network",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("network"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("programme"),
    )
    thematic_unit = models.ForeignKey(
        "networks.ThematicUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("thematic unit"),
    )
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.UNKNOWN)
    modality = models.CharField(_("modality"), max_length=22, choices=Modality.choices, blank=True)
    planned_start = PartialDateField(_("planned start"), null=True, blank=True)
    planned_end = PartialDateField(_("planned end"), null=True, blank=True)
    start = PartialDateField(_("start"), null=True, blank=True, db_index=True)
    end = PartialDateField(_("end"), null=True, blank=True)
    budget = models.DecimalField(_("budget"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(
        _("currency"),
        max_length=3,
        blank=True,
        validators=[validate_currency],
        help_text=_("ISO 4217 code, e.g. USD, EUR."),
    )
    sdgs = models.ManyToManyField(SDG, blank=True, related_name="projects", verbose_name=_("SDGs"))
    cities = models.ManyToManyField(
        "cities.City", through="ProjectCity", related_name="projects", verbose_name=_("cities")
    )
    organizations = models.ManyToManyField(
        Organization, through="ProjectOrganization", related_name="projects", verbose_name=_("organizations")
    )

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start", "slug"]
        constraints = [
            models.CheckConstraint(condition=translated_name_condition("title"), name="project_title_in_one_language"),
            models.CheckConstraint(
                condition=end_not_before_start_condition(),
                name="project_end_not_before_start",
                violation_error_message=_("The end cannot be before the start."),
            ),
            models.CheckConstraint(
                condition=end_not_before_start_condition("planned_start", "planned_end"),
                name="project_planned_end_not_before_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            ),
            *[
                models.CheckConstraint(condition=valid_value_condition(field), name=f"project_{field}_valid")
                for field in ("start", "end", "planned_start", "planned_end")
            ],
            *currency_constraints("project", "budget"),
        ]

    def __str__(self):
        return self.title or self.slug

    def get_absolute_url(self):
        return reverse("project-detail", kwargs={"slug": self.slug})

    def clean(self):
        super().clean()
        errors = {}
        for first, last in (("start", "end"), ("planned_start", "planned_end")):
            start, end = getattr(self, first), getattr(self, last)
            if start and end and end.upper < start.lower:
                errors[last] = ValidationError(_("The end cannot be before the start."), code="end_before_start")
        if self.budget is not None and not self.currency:
            errors["currency"] = ValidationError(_("An amount needs its currency."), code="currency_required")
        if self.programme_id and self.network_id and self.programme.network_id != self.network_id:
            errors["programme"] = ValidationError(_("This programme belongs to another network."), code="other_network")
        if errors:
            raise ValidationError(errors)


ProjectCitation = citation_model("projects.Project", __name__, "project")


class CityRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    PARTNER = "partner", _("partner")
    BENEFICIARY = "beneficiary", _("beneficiary")


class ProjectCity(KeyedRecord):
    """A city taking part in a project, with its role (coordinating, partner, beneficiary)."""

    NATURAL_KEY = ("project__slug", "city__slug", "role")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "project__network"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participants", verbose_name=_("project")
    )
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="project_roles", verbose_name=_("city")
    )
    role = models.CharField(_("role"), max_length=12, choices=CityRole.choices, default=CityRole.PARTNER)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participating city")
        verbose_name_plural = _("participating cities")
        ordering = ["project", "role", "city"]
        constraints = [
            models.UniqueConstraint(fields=["project", "city", "role"], name="projectcity_unique"),
            key_constraint("projectcity"),
        ]

    def __str__(self):
        return f"{self.city} ({self.get_role_display()})"


class OrganizationRole(models.TextChoices):
    FUNDER = "funder", _("funder")
    IMPLEMENTER = "implementer", _("implementer")
    PARTNER = "partner", _("partner")


class ProjectOrganization(KeyedRecord):
    """An organization in a project, with its role and, for funders, the amount contributed."""

    NATURAL_KEY = ("project__slug", "organization__slug", "role")
    #: how to reach the network that owns a record (core.ownership reads it)
    NETWORK_PATH = "project__network"

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="organization_roles", verbose_name=_("project")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="project_roles", verbose_name=_("organization")
    )
    role = models.CharField(_("role"), max_length=12, choices=OrganizationRole.choices, default=OrganizationRole.FUNDER)
    amount = models.DecimalField(_("amount"), max_digits=16, decimal_places=2, null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, blank=True, validators=[validate_currency])
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("participating organization")
        verbose_name_plural = _("participating organizations")
        ordering = ["project", "role", "organization"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organization", "role"], name="projectorganization_unique"),
            key_constraint("projectorganization"),
            *currency_constraints("projectorganization", "amount"),
        ]

    def __str__(self):
        return f"{self.organization} ({self.get_role_display()})"

    def clean(self):
        super().clean()
        if self.amount is not None and not self.currency:
            raise ValidationError(
                {"currency": ValidationError(_("An amount needs its currency."), code="currency_required")}
            )
