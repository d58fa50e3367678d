from django.utils.translation import gettext_lazy as _

from core import appconfig


class NetworksConfig(appconfig.DomainAppConfig):
    name = "networks"
    verbose_name = _("Networks")

    #: what networks record about cities and countries, shown on the cities app's pages
    contributions = {
        "rows": {
            "cities.city_rows": "networks.selectors.with_current_networks",
            "cities.country_rows": "networks.selectors.with_member_city_count",
        },
        "context": {
            "cities.city_profile": "networks.selectors.city_profile_context",
            "cities.country_profile": "networks.selectors.country_profile_context",
        },
    }
