"""Site pages outside the apps: about/data, robots.txt (placeholders until built)."""

from django.http import HttpResponse

from paradiplo.views import PendingPage

AboutView = PendingPage


def robots_txt(request):
    return HttpResponse("User-agent: *\nDisallow: /admin/\n", content_type="text/plain")
