"""The search index: one row per searchable record, kept current by the database itself.

Rows are written only by database triggers on the records' tables (see :mod:`search.database`),
so every write path keeps them current: the admin, the API, fixtures loaded with raw saves,
imports that use ``bulk_create``/``bulk_update``, even SQL typed by hand. Nothing in Python
writes them, and no reindexing step is ever needed in normal operation.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.records import LANGUAGE_CODES

from .kinds import KIND_BY_CODE, KIND_CHOICES


class SearchEntry(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=KIND_CHOICES)
    object_id = models.BigIntegerField(_("record id"))
    key = models.CharField(_("key"), max_length=300)
    name_en = models.TextField(default="", blank=True)
    name_es = models.TextField(default="", blank=True)
    name_pt = models.TextField(default="", blank=True)
    name_fr = models.TextField(default="", blank=True)
    detail = models.TextField(default="", blank=True)
    #: every name of the record (all languages, acronyms, official names), for full-text search
    names = models.TextField(default="", blank=True)
    #: "| name | other name | identifier |", unaccented and lowercase: trigram, substring and
    #: exact-name matching
    names_plain = models.TextField(default="", blank=True)
    #: descriptions, mottos, summaries… in every language
    body = models.TextField(default="", blank=True)
    #: the body unaccented and lowercase; filled on SQLite only (PostgreSQL searches ``document``)
    body_plain = models.TextField(default="", blank=True)
    network = models.ForeignKey(
        "networks.Network", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    country = models.ForeignKey(
        "cities.Country", on_delete=models.DO_NOTHING, db_constraint=False, null=True, blank=True, related_name="+"
    )
    year = models.IntegerField(null=True, blank=True)
    #: places by population, every other record above them (``search.kinds.Kind.prominence``):
    #: the order in which the candidates of a very common word are taken
    prominence = models.BigIntegerField(default=0, db_default=0)
    #: PostgreSQL only: names (weight A) and body (weight B) analysed with the four languages'
    #: text-search configurations; set by a trigger on this table, GIN-indexed
    document = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchentry_unique_record")]
        indexes = [
            models.Index(fields=["year"], name="searchentry_year"),
            models.Index(fields=["-prominence", "id"], name="searchentry_prominence"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.key}"

    @property
    def kind_info(self):
        return KIND_BY_CODE[self.kind]

    def names_by_language(self) -> dict[str, str | None]:
        return {code: getattr(self, f"name_{code}") for code in LANGUAGE_CODES}
