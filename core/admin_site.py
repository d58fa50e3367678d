"""Paradiplo's admin site: Django's, with labelled autocomplete candidates and a language switch
remembered per user. A module of its own, without registrations: the site is built when
``django.contrib.admin`` first asks for it (``ParadiploAdminConfig.default_site``), and a
module that registers models on that site while it is being built would register them on a
site that is then thrown away."""

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.http import HttpResponseNotAllowed
from django.urls import path
from django.views.i18n import set_language

from core import services
from core.middleware import ADMIN_LANGUAGE_SESSION_KEY


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    """The admin's autocomplete, where a model admin may label its candidates with more than
    ``str(obj)`` (a city with its province, country and population) through
    ``autocomplete_label(obj)``."""

    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = str(label(obj))
        return result


class ParadiploAdminSite(admin.AdminSite):
    """The admin site: Django's, with labelled autocomplete candidates and a language switch
    whose choice is kept for the user (:class:`core.models.AdminPreference`)."""

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)

    def get_urls(self):
        return [path("language/", self.admin_view(self.language_view), name="language"), *super().get_urls()]

    def language_view(self, request):
        """POST ``language`` (and ``next``): Django's ``set_language`` (the cookie), and the
        choice stored for the user, applied on every admin page wherever they sign in
        (:class:`core.middleware.AdminLanguageMiddleware`)."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        language = request.POST.get("language", "")
        if language in dict(settings.LANGUAGES):
            services.remember_admin_language(user=request.user, language=language)
            request.session[ADMIN_LANGUAGE_SESSION_KEY] = language
        return set_language(request)

    def each_context(self, request):
        context = super().each_context(request)
        context["admin_languages"] = settings.LANGUAGES
        return context
