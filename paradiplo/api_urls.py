"""API v1: every public resource under /api/v1/, keyed by stable identifiers."""

from django.urls import path
from rest_framework.routers import APIRootView, DefaultRouter

from cities.api import CountryViewSet, RegionalBlocViewSet, TwinningViewSet
from core import licence
from core.api.sync import DeletedFeedView, resources_of
from networks.api import (
    CityWithOfficesViewSet,
    GoverningBodyViewSet,
    GraphAPIView,
    MembershipFigureViewSet,
    MembershipViewSet,
    NetworkViewSet,
    OfficeViewSet,
    SummitViewSet,
    ThematicUnitViewSet,
)
from projects.api import OrganizationViewSet, ProgrammeViewSet, ProjectViewSet, SDGViewSet
from sources.api import SourceViewSet


class LicensedAPIRootView(APIRootView):
    """The API root: every resource's address, and the licence of the data (``license``, as in
    the exports, and a ``Link: <…>; rel="license"`` header)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        response.data = {**response.data, "license": licence.data()}
        response["Link"] = licence.link_header()
        return response


router = DefaultRouter()
router.APIRootView = LicensedAPIRootView
for prefix, viewset, basename in [
    ("networks", NetworkViewSet, "network"),
    ("cities", CityWithOfficesViewSet, "city"),
    ("countries", CountryViewSet, "country"),
    ("regional-blocs", RegionalBlocViewSet, "regional-bloc"),
    ("memberships", MembershipViewSet, "membership"),
    ("governing-bodies", GoverningBodyViewSet, "governing-body"),
    ("thematic-units", ThematicUnitViewSet, "thematic-unit"),
    ("offices", OfficeViewSet, "office"),
    ("summits", SummitViewSet, "summit"),
    ("organizations", OrganizationViewSet, "organization"),
    ("programmes", ProgrammeViewSet, "programme"),
    ("projects", ProjectViewSet, "project"),
    ("sdgs", SDGViewSet, "sdg"),
    ("sources", SourceViewSet, "source"),
    ("twinnings", TwinningViewSet, "twinning"),
    ("membership-figures", MembershipFigureViewSet, "membership-figure"),
]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    # What was deleted from these resources, for partners who mirror the API (core.api.sync).
    path("deleted/", DeletedFeedView.as_view(resources=resources_of(router.registry)), name="deleted"),
    # The co-membership graph at a date (networks.graph), as JSON, GEXF, GraphML or a CSV edge list.
    path("graph/", GraphAPIView.as_view(), name="graph"),
    *router.urls,
]
