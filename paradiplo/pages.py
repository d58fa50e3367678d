"""Site pages outside the apps: about/data (what Paradiplo is, how to cite it, licences, the API,
the dataset), the dataset's releases (``/data/latest/``), robots.txt and favicon.ico."""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from core import jsonld, licence
from core.partialdates import PartialDate

from .dataset import latest_release
from .dataset.release import RELEASE_NAME, release_on

VENDOR_DIR = Path(settings.BASE_DIR) / "static" / "vendor"

#: how a licence file begins (or says), and the SPDX identifier of that licence.
LICENCE_SIGNATURES = [
    ("Mozilla Public License", "MPL-2.0"),
    ("BSD 2-Clause", "BSD-2-Clause"),
    ("BSD 3-Clause", "BSD-3-Clause"),
    ("Apache License", "Apache-2.0"),
    ("Permission is hereby granted, free of charge", "MIT"),
    ("Permission to use, copy, modify, and/or distribute", "ISC"),
]

#: what each vendored library does on the site.
VENDOR_ROLES = {
    "chartjs": _("charts"),
    "leaflet": _("maps"),
    "worldatlas": _("country outlines for the maps (Natural Earth data, public domain)"),
    "topojsonclient": _("reading the country outlines"),
    "jqueryui": _("language tabs in the staff editing pages"),
}


@dataclass(frozen=True)
class VendoredLibrary:
    name: str
    version: str
    licence: str
    licence_path: str  # the licence file under static/, or ""

    @property
    def role(self) -> str:
        return VENDOR_ROLES.get(_normal(self.name), "")

    @property
    def licence_url(self) -> str:
        return static(self.licence_path) if self.licence_path else ""


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _licence_file(directory: Path) -> Path | None:
    for candidate in sorted(directory.glob("LICEN[CS]E*")):
        return candidate
    return None


def _licence_of(path: Path | None) -> str:
    if path is None:
        return ""
    text = path.read_text(encoding="utf-8", errors="replace")
    for signature, spdx in LICENCE_SIGNATURES:
        if signature.lower() in text.lower():
            return spdx
    return ""


@functools.cache
def vendored_libraries() -> tuple[VendoredLibrary, ...]:
    """The third-party libraries served from ``static/vendor/``, from ``VERSIONS`` (``name
    version`` lines) and the table of ``README.md``, with their licences (the README's word,
    else recognised in the library's licence file). Libraries without a folder there (used by
    the tests only) are left out. Read once per process: the files change only with a deploy."""
    found: dict[str, tuple[str, str, str]] = {}  # normalised name → (name, version, licence)
    versions = VENDOR_DIR / "VERSIONS"
    if versions.exists():
        for line in versions.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and not line.startswith("#"):
                found[_normal(parts[0])] = (parts[0], parts[1], "")
    readme = VENDOR_DIR / "README.md"
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) < 3 or not line.startswith("|") or set(cells[0]) <= {"-", " "} or cells[0] == "Asset":
                continue
            licence = re.sub(r"\s*\(.*\)$", "", cells[2])
            found[_normal(cells[0])] = (cells[0], cells[1], licence)
    directories = (
        {_normal(path.name): path for path in VENDOR_DIR.iterdir() if path.is_dir()} if VENDOR_DIR.exists() else {}
    )
    libraries = []
    for key, (name, version, licence) in found.items():
        directory = directories.get(key)
        if directory is None:
            continue
        licence_file = _licence_file(directory)
        libraries.append(
            VendoredLibrary(
                name=name,
                version=version,
                licence=licence or _licence_of(licence_file) or "—",
                licence_path=f"vendor/{directory.name}/{licence_file.name}" if licence_file else "",
            )
        )
    return tuple(sorted(libraries, key=lambda library: library.name.casefold()))


class AboutView(TemplateView):
    """``/xx/about/``: what Paradiplo is, how to cite it, licences, the API, how dates and
    sources are shown."""

    template_name = "about.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.request
        site_url = request.build_absolute_uri("/")
        context["page_title"] = _("About the data")
        context["site_url"] = site_url
        context["libraries"] = vendored_libraries()
        context["licence_name"], context["licence_url"] = licence.NAME, licence.URL
        context["licence_credits"] = licence.CREDITS
        # Shown in the reader's language, as the pages show them.
        context["date_examples"] = [PartialDate(2003), PartialDate(2003, 5), PartialDate(2003, 5, 11)]
        context["api_root"] = request.build_absolute_uri("/api/v1/")
        context["networks_url"] = reverse("network-list")
        context["sources_url"] = reverse("source-list")
        context["bibtex_url"] = reverse("source-bibtex")
        context["csl_url"] = reverse("source-csl-json")
        context["curl_example"] = (
            f'curl -H "Accept: application/json" "{request.build_absolute_uri("/api/v1/memberships/")}'
            '?network=mercociudades&at=1995-11-11"'
        )
        context["dataset"] = dataset = latest_release()
        context["dataset_url"] = reverse("data-latest")
        if dataset:
            context["dataset_permalink"] = request.build_absolute_uri(
                reverse("data-release", args=[dataset.date.isoformat()])
            )
        context["site_bibtex"] = (
            "@misc{paradiplo,\n"
            "  author = {{Paradiplo}},\n"
            "  title = {Paradiplo: the knowledge base of paradiplomacy},\n"
            f"  url = {{{site_url}}},\n"
            "  urldate = {YYYY-MM-DD}\n"
            "}"
        )
        context["structured_data"] = jsonld.dataset_data(
            description=str(
                _(
                    "City networks, their members over time, governing bodies, thematic units, summits "
                    "and cooperation projects, with a source for every fact."
                )
            ),
            url=site_url,
            languages=[code for code, _name in settings.LANGUAGES],
            downloads=[
                ("application/vnd.oai.openapi", request.build_absolute_uri(reverse("api-schema"))),
                ("application/x-bibtex", request.build_absolute_uri(reverse("source-bibtex"))),
                ("application/vnd.citationstyles.csl+json", request.build_absolute_uri(reverse("source-csl-json"))),
                *(
                    [
                        (
                            "application/zip",
                            request.build_absolute_uri(reverse("data-latest-file", args=[dataset.zip.name])),
                        )
                    ]
                    if dataset
                    else []
                ),
            ],
        )
        return context


def _release(release: str | None):
    """The release asked for: the latest (``release`` None) or the one of a date; None if none."""
    if release is None:
        return latest_release()
    if not RELEASE_NAME.match(release):
        return None
    try:
        return release_on(datetime.date.fromisoformat(release))
    except ValueError:
        return None


def data_release(request, release: str | None = None):
    """``/data/latest/`` (or ``/data/releases/YYYY-MM-DD/``): the files of a release of the dataset,
    with their sizes and checksums, and how to cite it. Without a release, a 404 page that says
    how to write one (``manage.py export_dataset``)."""
    found = _release(release)
    if found is None:
        return render(request, "data/no_release.html", {"page_title": _("No dataset release")}, status=404)
    context = {
        "page_title": found.title,
        "release": found,
        "latest": release is None,
        "permalink": request.build_absolute_uri(reverse("data-release", args=[found.date.isoformat()])),
        "licence_name": licence.NAME,
        "licence_url": licence.URL,
        "about_url": reverse("about"),
    }
    response = render(request, "data/release.html", context)
    response["Link"] = licence.link_header()
    return response


def data_file(request, name: str, release: str | None = None):
    """One file of a release, from the dataset directory. Only the names its checksum file lists
    are served (nothing else in or outside the directory can be asked for); the ETag is the
    file's SHA-256, so a client that has it gets a 304."""
    found = _release(release)
    release_file = found.file(name) if found else None
    if release_file is None:
        raise Http404(f"No file “{name}” in this release.")
    response = FileResponse(
        open(found.path / release_file.name, "rb"),  # noqa: SIM115 (FileResponse closes it)
        content_type=release_file.media_type,
        as_attachment=release_file.name.endswith(".zip"),
        filename=release_file.name,
    )
    response["ETag"] = f'"{release_file.sha256}"'
    response["Link"] = licence.link_header()
    return response


def robots_txt(request):
    """Crawl the public pages; not the staff pages, the API's data endpoints, the typeahead or
    the downloads (every filtered list has one: crawling them all would be costly and useless).
    The sitemap's address is absolute, on the host that was asked."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "Disallow: /admin/",
        "Disallow: /api/v1/",
        "Disallow: /api/schema/",
        "Disallow: /search/suggest/",
        "Disallow: /i18n/",
        "Disallow: /*format=",
        "Disallow: /*/sources/bibliography.",
        "",
        f"Sitemap: {request.build_absolute_uri(reverse('sitemap-index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


#: how long browsers and caches keep the favicon (a day: it changes only with a release)
FAVICON_MAX_AGE = 24 * 60 * 60


@functools.cache
def _favicon() -> bytes:
    """static/favicon.ico (drawn by scripts/make_favicon.py from static/favicon.svg), read once."""
    path = finders.find("favicon.ico")
    return Path(path).read_bytes()


def favicon_ico(request):
    """``/favicon.ico``, where browsers and feed readers look for a site's icon whatever the page
    says; the pages link the SVG and this ICO (templates/base.html)."""
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = f"public, max-age={FAVICON_MAX_AGE}"
    return response
