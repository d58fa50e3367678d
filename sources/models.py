"""Provenance: the documents facts come from, and the citations that tie facts to them."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import naturalkeys
from core.partialdates import PartialDateField, valid_value_condition
from core.records import Record

from .titles import BARE_URL_TITLE


class SourceKind(models.TextChoices):
    FOUNDING_ACT = "founding_act", _("founding act")
    STATUTE = "statute", _("statute")
    DECLARATION = "declaration", _("declaration")
    REPORT = "report", _("report")
    ACADEMIC_ARTICLE = "article", _("academic article")
    NEWS = "news", _("news")
    OFFICIAL_PAGE = "official_page", _("official web page")
    ENCYCLOPEDIA = "encyclopedia", _("encyclopedia entry")
    DATASET = "dataset", _("dataset")
    WEB_PAGE = "web_page", _("web page")
    OTHER = "other", _("other")


class Certainty(models.TextChoices):
    """How strong the evidence of a fact is, as the research data grades it.

    A *stated* fact is one a source says in so many words ("Tigre se adhirió a Mercociudades");
    a *probable* one is inferred from something the source does say (a city taking part in a
    members-only Council meeting); an *uncertain* one rests on weak evidence (a delegate at an
    open congress). Only stated facts are the record; pages and counts keep the others apart.
    """

    STATED = "stated", _("stated")
    PROBABLE = "probable", _("probable")
    UNCERTAIN = "uncertain", _("uncertain")


def certainty_field() -> models.CharField:
    """The ``certainty`` column of a fact-bearing model (memberships, offices, twinnings)."""
    return models.CharField(
        _("certainty"),
        max_length=10,
        choices=Certainty.choices,
        default=Certainty.STATED,
        db_index=True,
        help_text=_(
            "How strong the evidence is: stated (a source says so), probable (inferred, e.g. from "
            "attending a members-only meeting) or uncertain."
        ),
    )


def certainty_constraint(label: str) -> models.CheckConstraint:
    """The named database constraint that keeps ``certainty`` within :class:`Certainty`."""
    return models.CheckConstraint(
        condition=models.Q(certainty__in=Certainty.values),
        name=f"{label}_certainty_valid",
        violation_error_message=_("The certainty must be stated, probable or uncertain."),
    )


class Source(Record):
    """A document, article, web page or dataset that facts are taken from.

    Example: the case study "Latin American experience of paradiplomacy: The case of
    Mercocities" (Alibalaev & Kuznetsov, 2022, DOI 10.22363/2313-0660-2022-22-3-537-553).
    Sources are not translated: a source is in its own language (``language``).
    """

    NATURAL_KEY = ("key",)

    key = models.SlugField(
        _("key"),
        max_length=120,
        unique=True,
        help_text=_("Stable identifier, used in citations and exports (e.g. alibalaev-kuznetsov-2022)."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices, default=SourceKind.WEB_PAGE)
    title = models.CharField(_("title"), max_length=500)
    authors = models.CharField(
        _("authors"),
        max_length=500,
        blank=True,
        help_text=_("Family name, given names; several authors separated by semicolons."),
    )
    publisher = models.CharField(
        _("publisher"), max_length=300, blank=True, help_text=_("Publisher, journal or website.")
    )
    published = PartialDateField(_("published"), null=True, blank=True)
    title_supplied = models.BooleanField(
        _("title supplied"),
        default=False,
        help_text=_("The title was written by Paradiplo (e.g. derived from the address), not printed on the document."),
    )
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    archived_url = models.URLField(
        _("archived copy"),
        max_length=1000,
        blank=True,
        help_text=_("Where a copy of the document was read (a mirror or an archive), when the URL is the original."),
    )
    doi = models.CharField(_("DOI"), max_length=200, blank=True)
    accessed = models.DateField(_("accessed"), null=True, blank=True, help_text=_("When the web page was read."))
    language = models.CharField(
        _("language"), max_length=12, blank=True, help_text=_("Language of the document (ISO 639-1 code, e.g. es).")
    )
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=valid_value_condition("published"), name="source_published_valid"),
            models.CheckConstraint(
                condition=~models.Q(url="") | ~models.Q(doi="") | ~models.Q(title=""),
                name="source_identifiable",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("source-detail", kwargs={"key": self.key})

    def clean(self):
        super().clean()
        errors = {}
        if self.doi and not self.doi.startswith("10."):
            errors["doi"] = ValidationError(
                _("A DOI starts with “10.” (e.g. 10.22363/2313-0660-2022-22-3-537-553)."), code="invalid_doi"
            )
        if self.title and BARE_URL_TITLE.match(self.title.strip()):
            errors["title"] = ValidationError(
                _("Give a readable title, not the address (write one from the page and tick “title supplied”)."),
                code="bare_url_title",
            )
        if errors:
            raise ValidationError(errors)


class Citation(models.Model):
    """Abstract: one source cited by one record, optionally with a locator (page, section).

    Each fact-bearing model has its own concrete citation table (``MembershipCitation`` …)
    so that citations are ordinary foreign keys: fixtures refer to them by natural keys and
    queries prefetch them without generic relations.
    """

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="+", verbose_name=_("source"))
    locator = models.CharField(
        _("locator"), max_length=200, blank=True, help_text=_("Page, section or paragraph, e.g. “p. 540”.")
    )

    class Meta:
        abstract = True
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return f"{self.source}{', ' + self.locator if self.locator else ''}"

    def natural_key(self):
        return (*naturalkeys.related(self, "record").natural_key(), naturalkeys.related(self, "source").key)


class CitationQuerySet(models.QuerySet):
    def get_by_natural_key(self, *key):
        *record_key, source_key = key
        record_model = self.model._meta.get_field("record").related_model

        def fetch():
            record = record_model.objects.get_by_natural_key(*record_key)
            return self.get(record=record, source__key=source_key)

        return naturalkeys.lookup(self, key, fetch)


def citation_model(record_model: str, module: str, label: str):
    """Define the concrete citation table of ``record_model`` ("networks.Membership")."""
    name = record_model.split(".")[-1] + "Citation"
    meta = type(
        "Meta",
        (),
        {
            "verbose_name": _("citation"),
            "verbose_name_plural": _("citations"),
            "constraints": [models.UniqueConstraint(fields=["record", "source"], name=f"{label}_citation_unique")],
        },
    )
    attrs = {
        "__module__": module,
        "__qualname__": name,
        "record": models.ForeignKey(
            record_model, on_delete=models.CASCADE, related_name="citations", verbose_name=_("record")
        ),
        "objects": CitationQuerySet.as_manager(),
        "Meta": meta,
    }
    return type(name, (Citation,), attrs)
