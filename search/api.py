"""``/api/v1/search/``: the search service over the API (JSON), documented in the OpenAPI schema
with the API's error shape."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from cities.models import Country
from core.records import LANGUAGE_CODES
from networks.models import Network

from . import services
from .kinds import KIND_CHOICES


class SearchParametersSerializer(serializers.Serializer):
    q = serializers.CharField(
        max_length=services.MAX_QUERY_LENGTH,
        help_text=_(
            "What to look for, in any of the four languages, accents and case ignored. Web-search syntax: "
            '"quoted phrase", -excluded, or.'
        ),
    )
    type = serializers.ChoiceField(choices=KIND_CHOICES, required=False, help_text=_("Only records of this type."))
    network = serializers.SlugField(
        max_length=80, required=False, help_text=_("Only records of this network (its key, e.g. mercociudades).")
    )
    country = serializers.RegexField(
        r"^[A-Za-z]{2}$",
        max_length=2,
        required=False,
        help_text=_("Only records of this country (ISO 3166-1 alpha-2 code, e.g. UY)."),
    )
    year = serializers.IntegerField(
        min_value=1000, max_value=9999, required=False, help_text=_("Only records of this year.")
    )
    page = serializers.IntegerField(min_value=1, required=False, default=1, help_text=_("Page number."))
    page_size = serializers.IntegerField(
        min_value=1,
        max_value=services.MAX_PAGE_SIZE,
        required=False,
        default=services.PAGE_SIZE,
        help_text=_("Results per page (at most %(max)s).") % {"max": services.MAX_PAGE_SIZE},
    )
    lang = serializers.ChoiceField(
        choices=LANGUAGE_CODES,
        required=False,
        help_text=_("Language of names, labels and page links (default: Accept-Language, else English)."),
    )

    def validate_q(self, value):
        value = services.normalize_query(value)
        if not value:
            raise serializers.ValidationError(_("Type something to search for."), code="blank")
        return value

    def validate_network(self, value):
        if value and not Network.objects.filter(slug=value).exists():
            raise serializers.ValidationError(_("No network with the key “%(key)s”.") % {"key": value}, code="invalid")
        return value

    def validate_country(self, value):
        value = (value or "").upper()
        if value and not Country.objects.filter(code=value).exists():
            raise serializers.ValidationError(
                _("No country with the code “%(code)s”.") % {"code": value}, code="invalid"
            )
        return value


class SearchHitSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=KIND_CHOICES)
    kind_label = serializers.CharField()
    key = serializers.CharField(help_text=_("Stable identifier used in the record's detail URL."))
    name = serializers.CharField(help_text=_("The record's name in the requested language, with fallbacks."))
    name_language = serializers.CharField(
        allow_null=True, help_text=_("The language of the name when it is not the requested one.")
    )
    detail = serializers.CharField(help_text=_("Acronym, host city, country code or authors."))
    year = serializers.IntegerField(allow_null=True)
    snippet = serializers.CharField(
        allow_null=True, help_text=_("Where the query matched, as HTML: the record's text escaped, matches in <mark>.")
    )
    rank = serializers.FloatField(help_text=_("Relevance: higher first."))
    url = serializers.URLField(help_text=_("The record in the API."))
    page_url = serializers.URLField(
        allow_null=True,
        help_text=_(
            "The record's public page, in the language of the results (lang, else Accept-Language, else English)."
        ),
    )


class FacetValueSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    selected = serializers.BooleanField()


class FacetsSerializer(serializers.Serializer):
    type = FacetValueSerializer(many=True)
    network = FacetValueSerializer(many=True)
    country = FacetValueSerializer(many=True)
    year = FacetValueSerializer(many=True)


class SearchResponseSerializer(serializers.Serializer):
    query = serializers.CharField()
    count = serializers.IntegerField(
        help_text=_(
            "How many records match; when count_exact is false, more than this many do: the facets then count "
            "the matches read (one more), and the pages list the best of the exact names and the most prominent "
            "matches."
        )
    )
    count_exact = serializers.BooleanField(help_text=_("False when more records match than count says."))
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    num_pages = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SearchHitSerializer(many=True)
    facets = FacetsSerializer()
    suggestions = SearchHitSerializer(
        many=True, help_text=_("When nothing matched: the closest names (by similarity on PostgreSQL).")
    )


def _hit_data(hit: services.Hit, request) -> dict:
    return {
        "kind": hit.kind,
        "kind_label": hit.kind_label,
        "key": hit.key,
        "name": hit.name,
        "name_language": hit.name_language,
        "detail": hit.detail,
        "year": hit.year,
        "snippet": str(hit.snippet) if hit.snippet else None,
        "rank": hit.rank,
        "url": request.build_absolute_uri(hit.url) if hit.url else None,
        "page_url": request.build_absolute_uri(hit.page_url) if hit.page_url else None,
    }


def _facet_data(values: list[services.FacetValue]) -> list[dict]:
    return [{"value": v.value, "label": v.label, "count": v.count, "selected": v.selected} for v in values]


@extend_validation_errors(
    ["blank", "max_length", "null", "null_characters_not_allowed", "required"], field_name="q", methods=["get"]
)
@extend_validation_errors(["invalid_choice"], field_name="type", methods=["get"])
@extend_validation_errors(["invalid", "max_length"], field_name="network", methods=["get"])
@extend_validation_errors(["invalid", "max_length"], field_name="country", methods=["get"])
@extend_validation_errors(
    ["invalid", "max_value", "min_value", "max_string_length"], field_name="year", methods=["get"]
)
@extend_validation_errors(["invalid", "min_value", "max_string_length"], field_name="page", methods=["get"])
@extend_validation_errors(
    ["invalid", "max_value", "min_value", "max_string_length"], field_name="page_size", methods=["get"]
)
@extend_validation_errors(["invalid_choice"], field_name="lang", methods=["get"])
class SearchAPIView(GenericAPIView):
    """Search every kind of record (networks, cities, countries, thematic units, summits,
    organizations, programmes, projects, sources) in all four languages at once, accents and
    case ignored; misspelt names are found on PostgreSQL. Results are ranked (exact names first,
    then name matches, then matches in descriptions) with a highlighted snippet, and come with
    facet counts by type, network, country and year. Each result gives the record in the API
    (``url``) and its public page in the language of the results (``page_url``)."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, BrowsableAPIRenderer]
    filter_backends = []
    pagination_class = None
    serializer_class = SearchResponseSerializer
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        operation_id="search",
        parameters=[SearchParametersSerializer],
        responses={200: SearchResponseSerializer},
        tags=["search"],
    )
    def get(self, request, *args, **kwargs):
        parameters = SearchParametersSerializer(data=request.query_params)
        parameters.is_valid(raise_exception=True)
        data = parameters.validated_data
        if data.get("lang"):
            translation.activate(data["lang"])
            request.LANGUAGE_CODE = data["lang"]
        filters = services.Filters(
            kind=data.get("type"), network=data.get("network"), country=data.get("country"), year=data.get("year")
        )
        results = services.search(data["q"], filters=filters, page=data["page"], page_size=data["page_size"])
        url = request.build_absolute_uri()
        body = {
            "query": results.query,
            "count": results.total,
            "count_exact": results.exact,
            "page": results.page,
            "page_size": results.page_size,
            "num_pages": results.num_pages,
            "next": replace_query_param(url, "page", results.page + 1) if results.has_next else None,
            "previous": (
                (
                    replace_query_param(url, "page", results.page - 1)
                    if results.page > 2
                    else remove_query_param(url, "page")
                )
                if results.has_previous
                else None
            ),
            "results": [_hit_data(hit, request) for hit in results.hits],
            "facets": {name: _facet_data(values) for name, values in results.facets.items()},
            "suggestions": [_hit_data(hit, request) for hit in results.suggestions],
        }
        return Response(body)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        response.setdefault("Vary", "Accept, Accept-Language")
        return response
