from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The shared library: records, periods, partial dates, provenance, browse lists, exports, API
    base classes and template tags. It imports no domain app."""

    name = "core"
    verbose_name = _("Paradiplo core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from . import contentversion, middleware, recordkeys, tombstones, validation
        from .api import schema  # noqa: F401 - registers the OpenAPI extensions (drf-spectacular's way)
        from .queries import register_name_collation

        contentversion.connect_domain_models()
        tombstones.connect_domain_models()
        recordkeys.connect_domain_models()
        validation.guard_text_fields()
        # The admin language a staff member chose, wherever they sign in (core.middleware).
        user_logged_in.connect(middleware.remember_language_on_login, dispatch_uid="paradiplo_admin_language")
        # Names sort as people sort them on SQLite too (core.queries.NameOrder).
        connection_created.connect(register_name_collation, dispatch_uid="core.register_name_collation")
