"""Content fields translated with django-modeltranslation (en, es, pt, fr)."""

from modeltranslation.translator import TranslationOptions, register

from .models import City, Country, RegionalBloc


@register(Country)
class CountryTranslation(TranslationOptions):
    fields = ("name", "foreign_action_note")


@register(RegionalBloc)
class RegionalBlocTranslation(TranslationOptions):
    fields = ("name", "description")


@register(City)
class CityTranslation(TranslationOptions):
    fields = ("name",)
