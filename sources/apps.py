from django.utils.translation import gettext_lazy as _

from core import appconfig


class SourcesConfig(appconfig.DomainAppConfig):
    name = "sources"
    verbose_name = _("Sources")
