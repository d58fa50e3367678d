"""The public search page and the JSON endpoint of the header typeahead."""

from __future__ import annotations

from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from rest_framework.authentication import TokenAuthentication
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.records import LANGUAGE_CODES

from . import reconcile, services
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


# Reconciliation (W3C Reconciliation Service API 0.2, for OpenRefine): search/reconcile.py --------


class ReconcileAPIView(APIView):
    """The reconciliation endpoints: public, CSRF-exempt (an API view; no session is read, so a
    signed-in browser's cookie is never taken as a credential), cross-origin (``/api/``, see
    ``CORS_*`` in the settings), rate limited as the rest of the API, out of the OpenAPI schema
    (the protocol has its own)."""

    authentication_classes = [TokenAuthentication]
    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer]
    schema = None

    def handle_exception(self, exc):
        if isinstance(exc, reconcile.ReconcileError):
            return Response(exc.as_dict(), status=400)
        return super().handle_exception(exc)

    def base(self) -> str:
        return self.request.build_absolute_uri("/").rstrip("/")

    def parameters(self) -> dict:
        """The request's parameters: the query string, and a POST's form fields or JSON body (a
        JSON body that is a batch of queries itself counts as ``queries``)."""
        data = {key: self.request.query_params.get(key) for key in self.request.query_params}
        if self.request.method == "POST":
            body = self.request.data
            if (
                isinstance(body, dict)
                and not hasattr(body, "getlist")
                and body
                and not {"queries", "extend"} & set(body)
            ):
                body = {"queries": body}
            if hasattr(body, "getlist"):
                body = {key: body.get(key) for key in body}
            if not isinstance(body, dict):
                raise reconcile.ReconcileError(_("The body must be a JSON object or form fields."))
            data.update(body)
        return data


class ReconcileView(ReconcileAPIView):
    """``/api/reconcile/``: the manifest (a plain GET), reconciliation (``queries``, by GET or
    POST, form-encoded or JSON) and data extension (``extend``)."""

    def get(self, request):
        return self.answer()

    def post(self, request):
        return self.answer()

    def answer(self):
        data = self.parameters()
        language = services.active_language()
        if data.get("queries") is not None:
            return Response(reconcile.reconcile(reconcile.parse_batch(data["queries"]), language))
        if data.get("extend") is not None:
            ids, properties = reconcile.parse_extension(data["extend"])
            return Response(reconcile.extend(ids, properties, self.base()))
        if self.request.method == "POST":
            raise reconcile.ReconcileError(_("Send “queries” (or “extend”) to reconcile."), code="required")
        return Response(reconcile.manifest(self.base()))


class ReconcileSuggestEntityView(ReconcileAPIView):
    """``/api/reconcile/suggest/entity/?prefix=…[&type=city]``: names as they are typed."""

    def get(self, request):
        prefix = services.normalize_query(request.query_params.get("prefix", ""))
        if len(prefix) > services.MAX_QUERY_LENGTH:
            raise reconcile.ReconcileError(
                _("Search for at most %(limit)d characters.") % {"limit": services.MAX_QUERY_LENGTH}, attr="prefix"
            )
        kind = request.query_params.get("type")
        if kind and kind not in reconcile.TYPES:
            raise reconcile.ReconcileError(
                _("Unknown type “%(type)s”: the types are %(types)s.")
                % {"type": kind, "types": ", ".join(reconcile.TYPES)},
                attr="type",
            )
        kinds = [kind] if kind else list(reconcile.TYPES)
        return Response(reconcile.suggest_entities(prefix, kinds, services.active_language()))


class ReconcilePropertiesView(ReconcileAPIView):
    """``/api/reconcile/properties/?type=city``: what the data extension can add."""

    def get(self, request):
        return Response(reconcile.propose_properties(request.query_params.get("type") or None))


class ReconcilePreviewView(ReconcileAPIView):
    """``/api/reconcile/preview/?id=cities/rosario-ar``: a small HTML card of the record, shown
    by OpenRefine in a frame (so this page, and only this one, may be framed by any site)."""

    def get(self, request):
        kind, key = reconcile.parse_identifier(request.query_params.get("id"))
        card = reconcile.preview(kind, key)
        if card is None:
            raise Http404
        response = render(request, "search/reconcile_preview.html", card)
        response.xframe_options_exempt = True
        response._csp_replace = {"frame-ancestors": ["*"]}
        return response


class ReconcileRecordView(ReconcileAPIView):
    """``/api/reconcile/view/<id>``: the manifest's view URL, redirected to the record's page."""

    def get(self, request, identifier):
        kind, key = reconcile.parse_identifier(identifier)
        if reconcile.record(kind, key) is None:
            raise Http404
        return HttpResponseRedirect(reconcile.public_url(kind, key))
