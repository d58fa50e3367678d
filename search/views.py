"""The public search page and the JSON endpoint of the header typeahead."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core.records import LANGUAGE_CODES

from . import services
from .forms import SearchForm


@require_GET
def search_page(request):
    """``/<lang>/search/?q=…&type=…&network=…&country=…&year=…&page=…``: ranked results with
    facets and pagination; without q, an empty state; nothing found, suggestions."""
    form = SearchForm(request.GET)
    context = {"form": form, "query": "", "results": None}
    status = 200
    if not form.is_valid():
        status = 400
    else:
        query = form.cleaned_data["q"]
        context["query"] = query
        if query:
            results = services.search(
                query,
                filters=form.filters(),
                page=form.cleaned_data.get("page") or 1,
                staff=request.user.is_staff,
            )
            for param, values in results.facets.items():
                for value in values:
                    value.url = _query_string(request, **{param: None if value.selected else value.value, "page": None})
            context["results"] = results
    return render(request, "search/results.html", context, status=status)


def _query_string(request, **changes) -> str:
    """The current query string with ``changes`` (None removes a parameter)."""
    params = request.GET.copy()
    for name, value in changes.items():
        if value is None:
            params.pop(name, None)
        else:
            params[name] = value
    return "?" + params.urlencode()


@require_GET
def suggest(request):
    """``/search/suggest/?q=…[&lang=es]``: the best names for what has been typed, as JSON:
    ``{"query": …, "results": [{"kind", "kind_label", "key", "name", "lang", "detail", "url", "api_url"}],
    "search_url": …}``: ``url`` is the record's public page in the requested language (the page
    the suggestion opens), ``api_url`` the record in the API; staff also get ``admin_url``.
    """
    language = request.GET.get("lang")
    if language in LANGUAGE_CODES:
        translation.activate(language)
    query = request.GET.get("q", "")
    if len(query) > services.MAX_QUERY_LENGTH:
        error = {
            "code": "max_length",
            "detail": _("Search for at most %(limit)d characters.") % {"limit": services.MAX_QUERY_LENGTH},
            "attr": "q",
        }
        return JsonResponse({"type": "validation_error", "errors": [error]}, status=400)
    query = services.normalize_query(query)
    hits = services.suggest(query, staff=request.user.is_staff) if len(query) >= 2 else []
    search_url = reverse("search")
    response = JsonResponse(
        {
            "query": query,
            "results": [
                {
                    "kind": hit.kind,
                    "kind_label": hit.kind_label,
                    "key": hit.key,
                    "name": hit.name,
                    "lang": hit.name_language,
                    "detail": hit.detail,
                    "url": hit.link,
                    "api_url": hit.url,
                    **({"admin_url": hit.admin_url} if hit.admin_url else {}),
                }
                for hit in hits
            ],
            "search_url": search_url,
        }
    )
    response["Content-Language"] = translation.get_language()
    response["Cache-Control"] = "private, max-age=60" if request.user.is_authenticated else "public, max-age=60"
    response["Vary"] = "Accept-Language, Cookie"
    return response
