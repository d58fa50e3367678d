"""Give every record without an audit history its baseline version (core.history).

Loads, imports and the gazetteer write one for what they write; a database filled before they
did (or through raw SQL) has records whose first edit could not be reverted: this writes their
current state as their first version, in bulk. Idempotent: records with history are left alone."""

from django.apps import apps
from django.core.management.base import BaseCommand

from core import history
from core.appconfig import DomainAppConfig

REASON = "Baseline of a record without history"


class Command(BaseCommand):
    help = "Write a baseline history version for every record that has none (idempotent)."

    def handle(self, *args, **options):
        total = 0
        for app_config in apps.get_app_configs():
            if not isinstance(app_config, DomainAppConfig):
                continue
            for model in app_config.get_models():
                rows = history.history_model(model)
                if rows is None:
                    continue
                missing = list(
                    model._base_manager.exclude(pk__in=rows._default_manager.values(model._meta.pk.attname))
                    .order_by()
                    .values_list("pk", flat=True)
                )
                if missing:
                    history.write_baseline(model, missing, reason=REASON, missing_only=True)
                    self.stdout.write(f"{model._meta.label_lower}: {len(missing)} baseline versions written")
                    total += len(missing)
        self.stdout.write(self.style.SUCCESS(f"{total} records got a baseline version."))
