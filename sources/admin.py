from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import RecordAdmin, year_filter

from .models import Source


@admin.register(Source)
class SourceAdmin(RecordAdmin):
    list_display = ["title", "kind", "publisher", "published", "language", "url"]
    list_filter = [
        "kind",
        "language",
        "title_supplied",
        ("accessed", admin.EmptyFieldListFilter),
        year_filter("published", _("year published")),
    ]
    search_fields = ["title", "authors", "publisher", "url", "doi", "key"]
    prepopulated_fields = {"key": ["title"]}
    list_per_page = 50
    show_full_result_count = False
    fieldsets = [
        (None, {"fields": ["key", "kind", "title", "title_supplied", "authors", "publisher", "published", "language"]}),
        (_("Where to find it"), {"fields": ["url", "archived_url", "doi", "accessed", "licence"]}),
        (None, {"fields": ["notes"]}),
    ]
