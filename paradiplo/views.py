"""Site-wide pages."""

from django.urls import reverse
from django.views.generic import TemplateView

from cities.models import City, Country
from core.pagecache import CachedPageMixin
from networks.models import Membership, Network, Office, Summit, ThematicUnit
from networks.selectors import latest_figure_prefetch, network_coverage, networks_with_counts, stated_memberships
from projects.models import Organization, Project
from sources.models import Source


class HomeView(CachedPageMixin, TemplateView):
    """What Paradiplo holds: the networks and how many records of each kind. The counts run once
    per content version and language: the page is cached (:mod:`core.pagecache`)."""

    template_name = "home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        networks = list(networks_with_counts().prefetch_related(latest_figure_prefetch()))
        for network in networks:
            network.coverage = network_coverage(network)
        context["networks"] = [network for network in networks if network.parent_id is None]
        context["sections"] = [network for network in networks if network.parent_id is not None]
        # Memberships: the stated ones (the record); probable and uncertain ones are not counted.
        records = {Membership: stated_memberships()}
        context["counts"] = [
            (
                model._meta.verbose_name_plural,
                records.get(model, model.objects).count(),
                reverse(url_name) if url_name else None,
            )
            for model, url_name in (
                (Network, "network-list"),
                (City, "city-list"),
                (Country, "country-list"),
                (Membership, None),
                (Office, None),
                (Summit, "summit-list"),
                (ThematicUnit, None),
                (Project, "project-list"),
                (Organization, "organization-list"),
                (Source, "source-list"),
            )
        ]
        return context
