"""Content fields translated with django-modeltranslation (en, es, pt, fr)."""

from modeltranslation.translator import TranslationOptions, register

from .models import GoverningBody, MembershipFigure, Network, Office, Summit, ThematicUnit


@register(Network)
class NetworkTranslation(TranslationOptions):
    fields = ("name", "description")


@register(GoverningBody)
class GoverningBodyTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ThematicUnit)
class ThematicUnitTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Summit)
class SummitTranslation(TranslationOptions):
    fields = ("name", "motto", "declaration", "summary")


@register(Office)
class OfficeTranslation(TranslationOptions):
    fields = ("title",)


@register(MembershipFigure)
class MembershipFigureTranslation(TranslationOptions):
    fields = ("unit",)
