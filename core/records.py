"""Abstract bases shared by every Paradiplo record: timestamps, natural keys, translated names."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import naturalkeys
from .partialdates import PartialDate

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class RecordQuerySet(models.QuerySet):
    """Base queryset: natural-key lookup driven by the model's ``NATURAL_KEY`` field paths."""

    def get_by_natural_key(self, *key):
        return naturalkeys.lookup(self, key, lambda: self.get(**dict(zip(self.model.NATURAL_KEY, key, strict=True))))


class Record(models.Model):
    """Abstract: created/updated timestamps (for incremental sync) and a natural key.

    ``NATURAL_KEY`` lists the field paths (``"network__slug"``) that identify a record across
    databases; fixtures refer to records by them, never by database ids.
    """

    NATURAL_KEY: tuple[str, ...] = ()
    #: whether the record's API key is stored in its ``key`` column (:class:`KeyedRecord`) rather
    #: than read off its natural key (a slug, a code)
    STORED_KEY = False
    #: a translated field that must be filled in at least one language (validated in clean())
    REQUIRED_TRANSLATION: str | None = None

    # Defaults rather than auto_now: fixtures are loaded with raw saves, which skip auto_now.
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False, db_index=True)

    objects = RecordQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.updated_at = timezone.now()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "updated_at"}
        super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # The key the record has in the database, so that a save that renames it can leave an
        # alias and a tombstone for the old one (core.tombstones) without reading it again.
        if cls.NATURAL_KEY and not cls.STORED_KEY and all(path in field_names for path in cls.NATURAL_KEY):
            instance._db_key = tuple(getattr(instance, path) for path in cls.NATURAL_KEY)
        return instance

    def clean(self):
        super().clean()
        if self.REQUIRED_TRANSLATION:
            require_one_translation(self, self.REQUIRED_TRANSLATION)

    def natural_key(self) -> tuple:
        values = []
        for path in self.NATURAL_KEY:
            value = self
            for part in path.split("__"):
                # naturalkeys.related: a getattr, without a query per relation during a load
                value = naturalkeys.related(value, part) if value is not None else None
            if isinstance(value, PartialDate):
                value = value.isoformat()
            values.append(value)
        return tuple(values)


class KeyedRecord(Record):
    """Abstract: a record whose natural key is compound (its network's slug, a city's, a date or a
    number) and whose API key is therefore stored, in ``key``, when it is first saved: the natural
    key joined with "~" (``mercociudades~montevideo-uy~1995-11-11``), or that with a suffix
    (``~2``) when another record of the model holds it already (:func:`core.api.keys.assign_key`).
    Correcting the date or the number, or renaming a parent's slug, leaves the key as it was, so
    partners who stored it keep finding the record. Nobody edits it: it is not ``editable`` (no
    admin form or API serializer writes it), and :func:`key_constraint` keeps it unique."""

    STORED_KEY = True

    key = models.CharField(  # noqa: DJ001 - null: see below
        _("key"),
        max_length=500,
        # Nullable, without a default: SQLite adds such a column without rebuilding the table
        # (which would drop its triggers); every save fills it.
        null=True,
        blank=True,
        editable=False,
        help_text=_("The record's identifier in the API, given when it was created; it never changes."),
    )

    class Meta:
        abstract = True


def key_constraint(label: str) -> models.UniqueConstraint:
    """The named constraint that keeps the stored keys of a :class:`KeyedRecord` model unique."""
    # An expression (F), not ``fields``: SQLite adds an expression index without rebuilding the
    # table (see networks.models.Office's office_unique_key).
    return models.UniqueConstraint(
        models.F("key"),
        name=f"{label}_key_unique",
        violation_error_message=_("Another record already has this key; keys cannot be shared."),
    )


def translated_name_condition(field: str = "name") -> Q:
    """A check-constraint condition: ``field`` is filled in at least one language.

    Each language must be both NOT NULL and non-empty: a CHECK whose result is NULL passes, so
    ``name_en > ''`` alone would let a row with every language NULL through."""
    condition = Q()
    for code in LANGUAGE_CODES:
        condition |= Q(**{f"{field}_{code}__isnull": False, f"{field}_{code}__gt": ""})
    return condition


def require_one_translation(instance: models.Model, field: str = "name", label=None) -> None:
    """Model validation twin of :func:`translated_name_condition`: a record needs ``field`` in at
    least one language, any of the four (Spanish-speaking staff need not write English)."""
    if any(getattr(instance, f"{field}_{code}", None) for code in LANGUAGE_CODES):
        return
    message = _("Give the %(field)s in at least one language (English, Spanish, Portuguese or French).")
    label = label or instance._meta.get_field(field).verbose_name
    error = ValidationError(message, code="translation_required", params={"field": label})
    raise ValidationError({f"{field}_{code}": error for code in LANGUAGE_CODES})


def lang_of(instance: models.Model, field: str, language: str) -> str | None:
    """The language whose value ``instance.<field>`` shows in ``language`` after fallbacks,
    or None when no language has one. Templates use it to mark text shown in a fallback
    language with its ``lang`` attribute."""
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    for code in order:
        if getattr(instance, f"{field}_{code}", None):
            return code
    return None


#: The address of a Wikidata item (``Q…``), for links and ``sameAs``.
WIKIDATA_URL = "https://www.wikidata.org/wiki/{}"
