"""A WSGI application for tests/test_exports.py: the site, whose API exports stream 20,000
synthetic rows and, with ``?synthetic_failure=1``, then fail (as a lost database or a worker
timeout would), so that the test sees what a client of a real gunicorn gets. Not a test module
(no test_ prefix); gunicorn imports it as ``tests.wsgi_failing_export:application``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "paradiplo.settings.test")
application = get_wsgi_application()

from core.api.views import RecordViewSet  # noqa: E402 - after Django is set up

ROWS = 20_000


def synthetic_rows(self, queryset):
    fail = self.request.query_params.get("synthetic_failure") == "1"

    def rows():
        for number in range(ROWS):
            yield [f"synthetic-{number}", "A synthetic row of a test export, not a record"]
        if fail:
            raise RuntimeError("synthetic failure half way through an export")

    return ["key", "title"], rows()


RecordViewSet.csv_rows = synthetic_rows
