"""Content fields translated with django-modeltranslation (en, es, pt, fr)."""

from modeltranslation.translator import TranslationOptions, register

from .models import SDG, Organization, Programme, Project


@register(SDG)
class SDGTranslation(TranslationOptions):
    fields = ("short_name", "title")


@register(Organization)
class OrganizationTranslation(TranslationOptions):
    fields = ("name",)


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Project)
class ProjectTranslation(TranslationOptions):
    fields = ("title", "summary", "results")
