from django.utils.translation import gettext_lazy as _

from core import appconfig


class ProjectsConfig(appconfig.DomainAppConfig):
    name = "projects"
    verbose_name = _("Cooperation")

    #: the projects of cities, networks and thematic units, shown on their pages
    contributions = {
        "context": {
            "cities.city_profile": "projects.selectors.city_profile_context",
            "networks.network_profile": "projects.selectors.network_profile_context",
            "networks.unit_profile": "projects.selectors.unit_profile_context",
        },
    }
