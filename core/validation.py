"""Input that the site parses strictly, wherever it comes from (API parameters, page filters,
admin filters, API and admin writes):

- whole numbers are ASCII digits only: ``int()`` would read "١٩٩٥" (Arabic-Indic digits) as 1995
  and fail on "²", which ``str.isdigit()`` accepts;
- text holds no NUL or other control characters (PostgreSQL refuses NUL in text; the others are
  invisible and break exports). :func:`guard_text_fields` puts :func:`no_control_characters` on
  every text field of the project's models, and the system check ``paradiplo.E001`` fails when
  one lacks it.
"""

from __future__ import annotations

import re

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ASCII_WHOLE_NUMBER = re.compile(r"^[0-9]+$", re.ASCII)
#: C0 controls except tab, line feed and carriage return; DEL; C1 controls.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def whole_number(raw: str | None, *, minimum: int | None = None, maximum: int | None = None) -> int | None:
    """``raw`` as a whole number written in ASCII digits within the bounds, or None."""
    if raw is None or not ASCII_WHOLE_NUMBER.match(raw) or len(raw) > 18:
        return None
    number = int(raw)
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        return None
    return number


def has_control_characters(value) -> bool:
    return isinstance(value, str) and CONTROL_CHARACTERS.search(value) is not None


@deconstructible
class NoControlCharactersValidator:
    """Refuses text with NUL or other control characters (tab and line breaks are allowed)."""

    message = _("Remove the control characters (such as NUL) from this text.")
    code = "control_characters"

    def __call__(self, value):
        if has_control_characters(value):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharactersValidator)

    def __hash__(self):
        return hash(self.code)


no_control_characters = NoControlCharactersValidator()


def project_models():
    """The models of the project's own apps (those inside ``BASE_DIR``), history tables included."""
    base = str(settings.BASE_DIR)
    for app_config in apps.get_app_configs():
        if app_config.path.startswith(base) and "site-packages" not in app_config.path:
            yield from app_config.get_models()


def text_fields(model):
    return [field for field in model._meta.concrete_fields if isinstance(field, models.CharField | models.TextField)]


def guard_text_fields() -> None:
    """Adds :func:`no_control_characters` to every text field of the project's models (the
    translated columns django-modeltranslation adds included): model validation, hence the
    admin's forms, the API's serializers and ``core.services.save_record``, refuse them with a
    clear message instead of a database error."""
    for model in project_models():
        for field in text_fields(model):
            if no_control_characters not in field.validators:
                # Field.validators is a cached_property; setting its value (not _validators)
                # keeps the validator out of deconstruct(), hence out of the migrations.
                field.__dict__["validators"] = [*field.validators, no_control_characters]


@checks.register(checks.Tags.models)
def check_text_fields_refuse_control_characters(app_configs=None, **kwargs):
    errors = []
    for model in project_models():
        if model.__name__.startswith("Historical"):
            continue  # audit rows are written from the validated record, never edited
        for field in text_fields(model):
            if no_control_characters not in field.validators:
                errors.append(
                    checks.Error(
                        "Text field without the control-character validator.",
                        hint="core.validation.guard_text_fields() runs in CoreConfig.ready().",
                        obj=field,
                        id="paradiplo.E001",
                    )
                )
    return errors
