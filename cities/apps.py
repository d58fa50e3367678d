from django.utils.translation import gettext_lazy as _

from core import appconfig


class CitiesConfig(appconfig.DomainAppConfig):
    name = "cities"
    verbose_name = _("Geography and polity")
