from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_filters.utils import translate_validation
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
    inline_serializer,
)
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from cities.api import CityViewSet
from cities.serializers import CountrySummarySerializer
from core import licence, pagecache, periods
from core.api.rows import url_builder
from core.api.views import RecordViewSet
from core.pagecache import cached_api
from core.queries import citations_prefetch, name_coalesce
from core.records import LANGUAGE_CODES

from . import graph, selectors
from .filters import (
    GoverningBodyFilter,
    MembershipFigureFilter,
    MembershipFilter,
    NetworkFilter,
    OfficeFilter,
    SummitFilter,
    ThematicUnitFilter,
)
from .forms import ChangesForm, GraphForm
from .models import (
    GoverningBody,
    Membership,
    MembershipFigure,
    MembershipFigureCountry,
    Network,
    Office,
    Summit,
    ThematicUnit,
)
from .serializers import (
    GoverningBodySerializer,
    GraphSerializer,
    MembershipFigureSerializer,
    MembershipSerializer,
    NetworkSerializer,
    OfficeSerializer,
    SummitSerializer,
    ThematicUnitSerializer,
)


# What the aggregate actions answer (networks.selectors), for the OpenAPI document.
class CountryMembersSerializer(serializers.Serializer):
    country = CountrySummarySerializer(allow_null=True, help_text="Null for cities whose country no source states.")
    members = serializers.IntegerField(min_value=0)
    share = serializers.FloatField(allow_null=True, help_text="Of all counted members, rounded to 4 decimals.")


class MembersByCountrySerializer(serializers.Serializer):
    at = serializers.CharField(
        help_text="The date counted, at its precision (YYYY, YYYY-MM or YYYY-MM-DD; today without `at`)."
    )
    members = serializers.IntegerField(min_value=0)
    countries = CountryMembersSerializer(many=True)


class ReportedFigureSerializer(serializers.Serializer):
    date = serializers.CharField(help_text="Partial date: YYYY, YYYY-MM or YYYY-MM-DD.")
    members = serializers.IntegerField(min_value=0)
    at_least = serializers.BooleanField()
    countries = serializers.IntegerField(min_value=0, allow_null=True)


class GrowthYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    recorded_members = serializers.IntegerField()
    reported = ReportedFigureSerializer(many=True)


class MembershipGrowthSerializer(serializers.Serializer):
    years = GrowthYearSerializer(many=True)
    undated_members = serializers.IntegerField(min_value=0)


#: ``?at=`` of the networks' list and detail: their ``coverage`` as of a date.
COVERAGE_AT_PARAMETER = OpenApiParameter(
    periods.AT_PARAMETER,
    OpenApiTypes.STR,
    description="Show each network's coverage as of this date: the members in force on this day (YYYY-MM-DD), "
    "or on at least one day of this month (YYYY-MM) or year (YYYY), and the latest size reported by then "
    "(default: today).",
    pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
    examples=[OpenApiExample("The founding of Mercociudades", value="1995-11-11")],
)
CHANGE_PARAMETERS = [
    OpenApiParameter(
        name,
        OpenApiTypes.STR,
        required=True,
        pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
        description=description,
    )
    for name, description in (
        ("from", "First date of the window (YYYY, YYYY-MM or YYYY-MM-DD: from its first day)."),
        ("to", "Last date of the window (YYYY, YYYY-MM or YYYY-MM-DD: to its last day)."),
    )
]


#: ``?at=`` of members-by-country: as the memberships' ``at`` (core.periods).
MEMBERS_AT_PARAMETER = OpenApiParameter(
    periods.AT_PARAMETER,
    OpenApiTypes.STR,
    description="Count the members in force on this day (YYYY-MM-DD), or on at least one day of this month "
    "(YYYY-MM) or year (YYYY), as every `at` of the API (default: today).",
    pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$",
)


def at_parameter(request):
    """The request's ``?at=`` (:func:`core.periods.parse_at`), or None; 400 when it is no date."""
    try:
        return periods.parse_at(request.query_params.get(periods.AT_PARAMETER))
    except DjangoValidationError as error:
        raise ValidationError({periods.AT_PARAMETER: error.messages}) from None


@extend_schema_view(
    list=extend_schema(parameters=[COVERAGE_AT_PARAMETER]), retrieve=extend_schema(parameters=[COVERAGE_AT_PARAMETER])
)
class NetworkViewSet(RecordViewSet):
    """City networks (and the sections of networks such as UCLG's)."""

    serializer_class = NetworkSerializer
    filterset_class = NetworkFilter

    def get_queryset(self):
        # ``coverage``: the counted members (one correlated count) and the latest reported
        # figure with its sources (two prefetch queries), whatever the number of networks; as of
        # ``?at=`` when given.
        at = at_parameter(self.request) if getattr(self, "action", None) in ("list", "retrieve") else None
        return (
            Network.objects.select_related("founded_city__country", "secretariat_city__country", "parent")
            .prefetch_related(citations_prefetch(Network), selectors.latest_figure_prefetch(at))
            .annotate(
                sort_name=name_coalesce(),
                current_members=selectors.count_per_network(selectors.counted_memberships(at)),
            )
            .order_by("slug")
        )

    @extend_schema(
        parameters=CHANGE_PARAMETERS,
        responses=inline_serializer(
            "NetworkChanges",
            {
                "network": serializers.CharField(),
                "from": serializers.CharField(help_text="The window's first date, as given."),
                "to": serializers.CharField(help_text="The window's last date, as given."),
                "members_at_from": serializers.IntegerField(help_text="Counted members at `from` (as `?at=`)."),
                "members_at_to": serializers.IntegerField(help_text="Counted members at `to` (as `?at=`)."),
                "joined": MembershipSerializer(many=True, help_text="Stated memberships that began in the window."),
                "left": MembershipSerializer(many=True, help_text="Stated memberships that ended in the window."),
                "offices_taken": OfficeSerializer(many=True, help_text="Offices that began in the window."),
                "offices_left": OfficeSerializer(many=True, help_text="Offices that ended in the window."),
            },
        ),
    )
    @action(detail=True, filterset_class=None, pagination_class=None)
    @cached_api
    def changes(self, request, key=None):
        """What changed in the network from ``from`` to ``to`` (from the first day of ``from`` to
        the last day of ``to``; a date known to the year or month counts when it may fall in the
        window): the stated memberships that began (by the joining date, else the first
        attestation) and ended, the offices taken and left, and the counted members at each end."""
        form = ChangesForm(data=request.query_params)
        if not form.is_valid():
            raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
        network = self.get_object()
        changes = selectors.network_changes(network, form.cleaned_data["from"], form.cleaned_data["to"])
        context = self.get_serializer_context()
        return Response(
            {
                "network": network.slug,
                "from": changes.since.isoformat(),
                "to": changes.until.isoformat(),
                "members_at_from": changes.members_at_since,
                "members_at_to": changes.members_at_until,
                "joined": MembershipSerializer(changes.joined, many=True, context=context).data,
                "left": MembershipSerializer(changes.left, many=True, context=context).data,
                "offices_taken": OfficeSerializer(changes.offices_taken, many=True, context=context).data,
                "offices_left": OfficeSerializer(changes.offices_left, many=True, context=context).data,
            }
        )

    @extend_schema(parameters=[MEMBERS_AT_PARAMETER], responses=MembersByCountrySerializer)
    @action(detail=True, url_path="members-by-country", filterset_class=None, pagination_class=None)
    @cached_api
    def members_by_country(self, request, key=None):
        """Counted members (stated, in force) on a day, or on at least one day of a month or year
        (``at``, as everywhere; default today), by country (the country summary), with shares."""
        data = selectors.members_by_country(self.get_object(), at_parameter(request))
        summary = CountrySummarySerializer(context=self.get_serializer_context())
        for row in data["countries"]:
            row["country"] = None if row["country"] is None else summary.to_representation(row["country"])
        return Response(data)

    @extend_schema(responses=MembershipGrowthSerializer)
    @action(detail=True, filterset_class=None, pagination_class=None)
    @cached_api
    def growth(self, request, key=None):
        """Year by year: counted members with a date (joined or first attested) at the end of the
        year (``recorded_members``) beside the figures reported; ``undated_members``: the counted
        members with no date at all, counted today and never placed in a year."""
        return Response(selectors.membership_growth(self.get_object()))


class MembershipViewSet(RecordViewSet):
    """A city's membership of a network for a period."""

    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    @staticmethod
    def geojson_point(record):
        return record["city"].get("longitude"), record["city"].get("latitude")

    def get_queryset(self):
        return (
            Membership.objects.select_related("network", "city__country", "admitted_at__network")
            .prefetch_related(citations_prefetch(Membership))
            .order_by("network__slug", "start", "city__slug", "id")
        )


class GoverningBodyViewSet(RecordViewSet):
    """Governing bodies of networks (summit, council, executive, secretariat…) over time."""

    serializer_class = GoverningBodySerializer
    filterset_class = GoverningBodyFilter

    def get_queryset(self):
        return (
            GoverningBody.objects.select_related("network")
            .prefetch_related(citations_prefetch(GoverningBody))
            .order_by("network__slug", "slug")
        )


class ThematicUnitViewSet(RecordViewSet):
    """Standing working bodies of networks (thematic units, committees, forums…)."""

    serializer_class = ThematicUnitSerializer
    filterset_class = ThematicUnitFilter

    def get_queryset(self):
        return (
            ThematicUnit.objects.select_related("network")
            .prefetch_related(citations_prefetch(ThematicUnit))
            .annotate(sort_name=name_coalesce())
            .order_by("network__slug", "slug")
        )


class OfficeViewSet(RecordViewSet):
    """Roles held by cities in networks: presidencies, secretariats, coordinations…"""

    serializer_class = OfficeSerializer
    filterset_class = OfficeFilter

    def get_queryset(self):
        return (
            Office.objects.select_related(
                "network", "city__country", "body__network", "thematic_unit__network", "elected_at__network"
            )
            .prefetch_related(citations_prefetch(Office))
            .order_by("network__slug", "start", "role", "id")
        )


class SummitViewSet(RecordViewSet):
    """Summits, congresses and general assemblies of networks."""

    serializer_class = SummitSerializer
    filterset_class = SummitFilter

    @staticmethod
    def geojson_point(record):
        host = record.get("host_city") or {}
        return host.get("longitude"), host.get("latitude")

    def get_queryset(self):
        return (
            Summit.objects.select_related("network", "host_city__country")
            .prefetch_related(citations_prefetch(Summit))
            .order_by("network__slug", "start", "number", "id")
        )


class MembershipFigureViewSet(RecordViewSet):
    """Membership sizes reported by sources, with per-country breakdowns where given."""

    serializer_class = MembershipFigureSerializer
    filterset_class = MembershipFigureFilter

    def get_queryset(self):
        by_country = Prefetch("by_country", MembershipFigureCountry.objects.select_related("country", "figure"))
        return (
            MembershipFigure.objects.select_related("network")
            .prefetch_related(by_country, citations_prefetch(MembershipFigure))
            .order_by("network__slug", "date", "id")
        )


class CityWithOfficesViewSet(CityViewSet):
    """Cities and other subnational governments (any level), with GeoNames coordinates, and the
    offices each has held across networks (``cities/<key>/offices/``): the cities resource as
    the networks app completes it (the cities app does not know offices)."""

    @extend_schema(responses=OfficeSerializer(many=True))
    @action(detail=True, filterset_class=None, pagination_class=None)
    def offices(self, request, key=None):
        """Every office this city has held, across all networks, oldest first."""
        city = self.get_object()
        offices = OfficeViewSet().get_queryset().filter(city=city).order_by("start", "network__slug", "id")
        return Response(OfficeSerializer(offices, many=True, context=self.get_serializer_context()).data)


# --- the co-membership graph -------------------------------------------------------------------


class GraphFileRenderer(BaseRenderer):
    """A download of the graph (``?format=gexf|graphml|csv``): :func:`networks.graph.file_content`
    of the view's data. Error bodies are answered as JSON (:meth:`GraphAPIView.finalize_response`)."""

    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return graph.file_content(data, self.format)


class GEXFRenderer(GraphFileRenderer):
    media_type = graph.FILE_FORMATS["gexf"][0]
    format = "gexf"


class GraphMLRenderer(GraphFileRenderer):
    media_type = graph.FILE_FORMATS["graphml"][0]
    format = "graphml"


class EdgeListCSVRenderer(GraphFileRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"


GRAPH_FORMATS = ("json", *graph.FILE_FORMATS)
GRAPH_PARAMETERS = [
    OpenApiParameter(
        "at",
        {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"},
        description=_(
            "The memberships in force on this day (YYYY-MM-DD), or at any time in this month or year "
            "(YYYY-MM, YYYY). Default: today."
        ),
        examples=[OpenApiExample("The founding of Mercociudades", value="1995-11-11")],
    ),
    OpenApiParameter(
        "network",
        {"type": "array", "items": {"type": "string"}},
        explode=True,
        description=_("Only these networks (keys, repeated or comma-separated: network=mercociudades,uclg)."),
    ),
    OpenApiParameter(
        "projection", enum=graph.PROJECTION_VALUES, description=_("The graph: bipartite (default), city or network.")
    ),
    OpenApiParameter(
        "format",
        enum=GRAPH_FORMATS,
        description=_("json (default), gexf (Gephi), graphml (igraph, Cytoscape, yEd) or csv (an edge list)."),
    ),
    OpenApiParameter("lang", enum=LANGUAGE_CODES, description=_("Language of the labels (default: Accept-Language).")),
]


@extend_validation_errors(["invalid", "invalid_at"], field_name="at", methods=["get"])
@extend_validation_errors(["invalid", "invalid_choice", "invalid_list"], field_name="network", methods=["get"])
@extend_validation_errors(["invalid", "invalid_choice", "too_large"], field_name="projection", methods=["get"])
@extend_validation_errors(["invalid_choice"], field_name="format", methods=["get"])
@extend_validation_errors(["invalid"], field_name="lang", methods=["get"])
class GraphAPIView(APIView):
    """The co-membership graph at a date: cities and networks, one edge per counted membership
    in force (``projection=bipartite``), or its projections onto the cities (linked by the
    networks they share) or the networks (linked by the members they share), with each node's
    degree, betweenness (estimated from a seeded sample of pivots on large graphs) and
    eigenvector centrality (per connected component); as JSON, GEXF, GraphML or a CSV edge
    list. Counted memberships are those a source states; ``at`` reads as in the memberships'
    ``at``: a day, or at any time in a month or year."""

    permission_classes = [AllowAny]
    renderer_classes = [JSONRenderer, GEXFRenderer, GraphMLRenderer, EdgeListCSVRenderer]
    http_method_names = ["get", "head", "options"]

    def initial(self, request, *args, **kwargs):
        language = request.query_params.get("lang")
        if language is not None:
            if language not in LANGUAGE_CODES:
                raise ValidationError(
                    {"lang": [_("Choose one of: %(codes)s.") % {"codes": ", ".join(LANGUAGE_CODES)}]}, code="invalid"
                )
            translation.activate(language)
            request.LANGUAGE_CODE = language
        super().initial(request, *args, **kwargs)

    def perform_content_negotiation(self, request, force=False):
        # An unknown ?format= is a bad parameter (400 naming the formats), not DRF's 404.
        requested = request.query_params.get(api_settings.URL_FORMAT_OVERRIDE)
        if not force and requested is not None and requested not in GRAPH_FORMATS:
            raise ValidationError(
                {"format": [_("Choose one of: %(formats)s.") % {"formats": ", ".join(GRAPH_FORMATS)}]},
                code="invalid_choice",
            )
        return super().perform_content_negotiation(request, force)

    @extend_schema(
        operation_id="graph",
        parameters=GRAPH_PARAMETERS,
        responses={
            (200, "application/json"): GraphSerializer,
            (200, graph.FILE_FORMATS["gexf"][0]): OpenApiTypes.STR,
            (200, graph.FILE_FORMATS["graphml"][0]): OpenApiTypes.STR,
            (200, "text/csv"): OpenApiTypes.STR,
        },
        tags=["graph"],
    )
    def get(self, request, *args, **kwargs):
        form = GraphForm(request.query_params)
        if not form.is_valid():
            raise ValidationError(translate_validation(form.errors).detail)
        query = form.graph_query()
        try:
            data = graph.graph_data(query, pagecache.version(request))
        except graph.TooLarge as error:
            raise ValidationError({"projection": [graph.too_large_message(error)]}, code="too_large") from None
        self.download_name = query.filename(request.accepted_renderer.format)
        if request.accepted_renderer.format in graph.FILE_FORMATS:
            return Response(data)
        return Response(graph.public(data, url_builder("country", request).for_key))

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if response.status_code >= 400 or request.method not in ("GET", "HEAD"):
            # An error (and OPTIONS' description) is answered as JSON whatever the format asked for.
            response.accepted_renderer, response.accepted_media_type = JSONRenderer(), JSONRenderer.media_type
        elif getattr(self, "download_name", None) and request.accepted_renderer.format in graph.FILE_FORMATS:
            response["Content-Disposition"] = f'attachment; filename="{self.download_name}"'
        response["Content-Language"] = translation.get_language() or settings.LANGUAGE_CODE
        response.setdefault("Vary", "Accept, Accept-Language")
        response.setdefault("Link", licence.link_header())
        return response
