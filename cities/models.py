"""Geography and polity: countries, regional blocs, cities (any subnational government), twinnings."""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Greatest, Least
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.partialdates import PartialDateField, valid_value_condition
from core.periods import Period, PeriodQuerySet, period_constraints
from core.records import KeyedRecord, Record, key_constraint, translated_name_condition
from sources.models import certainty_constraint, certainty_field, citation_model

iso2_validator = RegexValidator(
    r"^[A-Z]{2}$", _("Use the two capital letters of ISO 3166-1 (e.g. UY)."), "invalid_iso2"
)
iso3_validator = RegexValidator(
    r"^[A-Z]{3}$", _("Use the three capital letters of ISO 3166-1 (e.g. URY)."), "invalid_iso3"
)
wikidata_validator = RegexValidator(
    r"^Q[1-9]\d*$", _("A Wikidata identifier is a Q followed by digits, e.g. Q1489."), "invalid_qid"
)
languages_validator = RegexValidator(
    r"^[a-z]{2}(,[a-z]{2})*$",
    _("List ISO 639-1 codes separated by commas, without spaces (e.g. es,pt)."),
    "invalid_languages",
)


def wikidata_field() -> models.CharField:
    """The Wikidata identifier of a city, a country or a network (validated: ``Q`` + digits)."""
    return models.CharField(
        _("Wikidata QID"),
        max_length=20,
        blank=True,
        validators=[wikidata_validator],
        help_text=_("The Wikidata item, e.g. Q1489; leave empty when no source gives it."),
    )


def unique_wikidata_constraint(label: str) -> models.UniqueConstraint:
    """One record per Wikidata item (empty identifiers aside)."""
    return models.UniqueConstraint(
        fields=["wikidata_id"],
        condition=~Q(wikidata_id=""),
        name=f"{label}_unique_wikidata_id",
        violation_error_message=_("Another record already has this Wikidata identifier."),
    )


class WorldRegion(models.TextChoices):
    """Continents as GeoNames codes them."""

    AFRICA = "AF", _("Africa")
    ANTARCTICA = "AN", _("Antarctica")
    ASIA = "AS", _("Asia")
    EUROPE = "EU", _("Europe")
    NORTH_AMERICA = "NA", _("North America")
    OCEANIA = "OC", _("Oceania")
    SOUTH_AMERICA = "SA", _("South America")


class GovernmentSystem(models.TextChoices):
    FEDERAL = "federal", _("federal")
    UNITARY = "unitary", _("unitary")
    OTHER = "other", _("other")


class Country(Record):
    """A sovereign state (ISO 3166-1), with what its subnational governments may do abroad.

    Example: Argentina (AR), federal; its provinces and cities act abroad with permissive rules.
    """

    NATURAL_KEY = ("code",)
    REQUIRED_TRANSLATION = "name"

    code = models.CharField(_("ISO 3166-1 alpha-2 code"), max_length=2, unique=True, validators=[iso2_validator])
    iso3 = models.CharField(_("ISO 3166-1 alpha-3 code"), max_length=3, blank=True, validators=[iso3_validator])
    iso_numeric = models.PositiveSmallIntegerField(_("ISO 3166-1 numeric code"), null=True, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    region = models.CharField(_("world region"), max_length=2, choices=WorldRegion.choices, blank=True)
    government_system = models.CharField(
        _("system of government"),
        max_length=10,
        choices=GovernmentSystem.choices,
        blank=True,
        help_text=_("Leave empty when no source has been recorded."),
    )
    foreign_action_note = models.TextField(
        _("subnational international action"),
        blank=True,
        help_text=_("What subnational governments may do abroad under this country's rules."),
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    wikidata_id = wikidata_field()

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=translated_name_condition(), name="country_name_in_one_language"),
            unique_wikidata_constraint("country"),
        ]

    def __str__(self):
        return self.name or self.code

    def get_absolute_url(self):
        return reverse("country-detail", kwargs={"code": self.code})


CountryCitation = citation_model("cities.Country", __name__, "country")


class RegionalBloc(Record):
    """A regional integration bloc of states. Example: MERCOSUR, founded 1991."""

    NATURAL_KEY = ("slug",)
    REQUIRED_TRANSLATION = "name"

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    founded = PartialDateField(_("founded"), null=True, blank=True)
    website = models.URLField(_("website"), blank=True)
    official_languages = models.CharField(
        _("official languages"),
        max_length=60,
        blank=True,
        validators=[languages_validator],
        help_text=_("ISO 639-1 codes separated by commas, e.g. es,pt."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("regional bloc")
        verbose_name_plural = _("regional blocs")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(condition=translated_name_condition(), name="regionalbloc_name_in_one_language"),
            models.CheckConstraint(condition=valid_value_condition("founded"), name="regionalbloc_founded_valid"),
        ]

    def __str__(self):
        return self.acronym or self.name

    def get_absolute_url(self):
        return reverse("bloc-detail", kwargs={"slug": self.slug})


RegionalBlocCitation = citation_model("cities.RegionalBloc", __name__, "regionalbloc")


class BlocStatus(models.TextChoices):
    MEMBER = "member", _("member state")
    ACCEDING = "acceding", _("acceding state")
    ASSOCIATE = "associate", _("associate state")
    SUSPENDED = "suspended", _("suspended")
    OBSERVER = "observer", _("observer")


class BlocParticipation(Period, KeyedRecord):
    """A country's participation in a regional bloc for a period, with its status.

    Example: Venezuela in MERCOSUR, suspended from August 2017.
    """

    NATURAL_KEY = ("bloc__slug", "country__code", "status", "start")

    bloc = models.ForeignKey(
        RegionalBloc, on_delete=models.CASCADE, related_name="participations", verbose_name=_("regional bloc")
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="bloc_participations", verbose_name=_("country")
    )
    status = models.CharField(_("status"), max_length=12, choices=BlocStatus.choices, default=BlocStatus.MEMBER)
    founding = models.BooleanField(_("founding member"), default=False)
    notes = models.TextField(_("notes"), blank=True)

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("bloc participation")
        verbose_name_plural = _("bloc participations")
        ordering = ["bloc", "start", "country"]
        constraints = [
            *period_constraints("blocparticipation"),
            # Its natural key, once: two rows sharing it would be one fact recorded twice (an
            # unknown start counts as one value, 0).
            models.UniqueConstraint(
                "bloc",
                "country",
                "status",
                Coalesce("start", Value(0), output_field=models.IntegerField()),
                name="blocparticipation_unique",
                violation_error_message=_("This bloc already records this country with this status from this start."),
            ),
            key_constraint("blocparticipation"),
        ]

    def __str__(self):
        return f"{self.country} — {self.bloc} ({self.get_status_display()}, {self.period_display})"


BlocParticipationCitation = citation_model("cities.BlocParticipation", __name__, "blocparticipation")


class CityLevel(models.TextChoices):
    LOCAL = "local", _("local (municipality)")
    METROPOLITAN = "metropolitan", _("metropolitan")
    INTERMEDIATE = "intermediate", _("intermediate (province, state, department, region)")


class City(Record):
    """Any subnational government that acts abroad: a municipality, a metropolitan government or
    an intermediate government (province, state, department, region).

    Example: Montevideo (UY), local level, GeoNames 3441575. ``native_name`` keeps the official
    name in its own language; ``name`` is translated ("Asunción" / "Assunção").
    """

    NATURAL_KEY = ("slug",)
    REQUIRED_TRANSLATION = "name"

    slug = models.SlugField(
        _("slug"),
        max_length=120,
        unique=True,
        help_text=_("Stable identifier: name and country code, e.g. montevideo-uy."),
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    native_name = models.CharField(
        _("official name"), max_length=200, blank=True, help_text=_("The official name in the local language.")
    )
    level = models.CharField(_("level"), max_length=14, choices=CityLevel.choices, default=CityLevel.LOCAL)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cities",
        verbose_name=_("country"),
        help_text=_("Leave empty only when no source states the country."),
    )
    admin_area = models.CharField(
        _("first-level area"),
        max_length=200,
        blank=True,
        help_text=_("Province, state or department (name or GeoNames admin1 code)."),
    )
    admin_area_name = models.CharField(
        _("province or state"),
        max_length=200,
        blank=True,
        help_text=_(
            "The name of the first-level area, e.g. Santa Fe; filled in from the GeoNames code "
            "when there is one (cities/admin_areas.py)."
        ),
    )
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("population year"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5, null=True, blank=True)
    geonames_id = models.PositiveIntegerField(_("GeoNames id"), null=True, blank=True, unique=True)
    wikidata_id = wikidata_field()
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["slug"]
        indexes = [models.Index(fields=["country", "level"], name="city_country_level")]
        constraints = [
            models.CheckConstraint(condition=translated_name_condition(), name="city_name_in_one_language"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="city_latitude_range",
                violation_error_message=_("The latitude must be between -90 and 90."),
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="city_longitude_range",
                violation_error_message=_("The longitude must be between -180 and 180."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="city_coordinates_together",
                violation_error_message=_("Give both the latitude and the longitude, or neither."),
            ),
            models.CheckConstraint(
                condition=Q(population_year__isnull=True) | Q(population_year__gte=1000, population_year__lte=9999),
                name="city_population_year_range",
                violation_error_message=_("The population year must have four digits."),
            ),
            unique_wikidata_constraint("city"),
        ]

    def __str__(self):
        return self.name or self.native_name or self.slug

    def get_absolute_url(self):
        return reverse("city-detail", kwargs={"slug": self.slug})

    @property
    def has_coordinates(self) -> bool:
        return self.latitude is not None and self.longitude is not None


CityCitation = citation_model("cities.City", __name__, "city")


class TwinningKind(models.TextChoices):
    TWINNING = "twinning", _("twinning")
    SISTER_CITIES = "sister", _("sister cities")
    FRIENDSHIP = "friendship", _("friendship")
    COOPERATION = "cooperation", _("cooperation agreement")


class TwinningQuerySet(PeriodQuerySet):
    def involving(self, city):
        return self.filter(Q(city_a=city) | Q(city_b=city))


class Twinning(Period, KeyedRecord):
    """An agreement between two cities (twinning, sister cities, friendship, cooperation) from the
    day it was signed (``start``) to its end, if it ended.

    Example: Córdoba (AR) and Montevideo (UY), twinned in 1997 (Acta de Hermanamiento). A
    twinning is a shared record: it belongs to both cities and to no network. Either city may be
    ``city_a``; the pair, its kind and its start identify the agreement whichever comes first.
    """

    NATURAL_KEY = ("city_a__slug", "city_b__slug", "kind", "start")

    city_a = models.ForeignKey(City, on_delete=models.CASCADE, related_name="twinnings_as_a", verbose_name=_("city"))
    city_b = models.ForeignKey(
        City, on_delete=models.CASCADE, related_name="twinnings_as_b", verbose_name=_("partner city")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TwinningKind.choices, default=TwinningKind.SISTER_CITIES)
    certainty = certainty_field()
    notes = models.TextField(_("notes"), blank=True)

    objects = TwinningQuerySet.as_manager()

    class Meta:
        verbose_name = _("twinning")
        verbose_name_plural = _("twinnings")
        ordering = ["city_a", "city_b"]
        constraints = [
            *period_constraints("twinning"),
            models.CheckConstraint(
                condition=~Q(city_a=F("city_b")),
                name="twinning_two_cities",
                violation_error_message=_("A city cannot be twinned with itself."),
            ),
            # One agreement of a kind per pair and start, whichever city is named first; an unknown
            # start counts as one value (0), or two undated agreements of a pair would both pass.
            models.UniqueConstraint(
                Least("city_a", "city_b"),
                Greatest("city_a", "city_b"),
                "kind",
                Coalesce("start", Value(0), output_field=models.IntegerField()),
                name="twinning_unique_pair",
                violation_error_message=_("These two cities already have this agreement."),
            ),
            certainty_constraint("twinning"),
            key_constraint("twinning"),
        ]

    def __str__(self):
        return f"{self.city_a} — {self.city_b} ({self.get_kind_display()})"


TwinningCitation = citation_model("cities.Twinning", __name__, "twinning")
