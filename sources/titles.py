"""Titles and sites of web sources, for a bibliography: never a bare address as a title.

Plain Python (no Django), so that the fixture builder (scripts/build_fixtures.py), the model's
validation and the member import share one reading of an address. A title derived here is a
*supplied* title (``Source.title_supplied``): written by Paradiplo, not printed on the page, as
the source audit of the research data labels its own ("derived from the URL slug (not the
printed title)").
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

#: A title that is only an address ("mercociudades.org/?p=5129", "https://…"): no spaces, a dotted
#: host, perhaps a path.
BARE_URL_TITLE = re.compile(r"^(https?://)?[\w-]+(\.[\w-]+)+(/\S*)?$", re.IGNORECASE)

#: path segments that say nothing about a page (a derived title skips them)
GENERIC_SEGMENTS = {
    "page", "node", "view", "detail", "document", "doc", "index", "p", "en", "es", "pt", "fr", "de",
    "pt-br", "news", "noticias", "article", "articles", "wiki", "blob", "archivo", "html", "contenido",
    "item", "id", "title", "amparticle", "story",
}  # fmt: skip


def site_name(url: str) -> str:
    """The website a page belongs to, for a bibliography: its host without "www."."""
    return (urlsplit(url).hostname or "").removeprefix("www.")


def humanize(segment: str) -> str:
    words = re.sub(r"[-_+]+", " ", segment).strip()
    return words[:1].upper() + words[1:]


def derived_title(url: str) -> str:
    """A readable title from an address, as the audit derives them: the page's last path segment
    when it reads as words ("…/la-paz-en-mercociudades.html" → "La paz en mercociudades"); a
    GitHub file as repository, path and commit; otherwise the site and the page's identifier
    ("Page ?p=5129 of mercociudades.org")."""
    parts = urlsplit(url)
    site = site_name(url)
    segments = [re.sub(r"\.(html?|php|aspx?)$", "", unquote(s)) for s in parts.path.split("/") if s]
    if "github.com" in site and len(segments) >= 4 and segments[2] == "blob":
        owner, repo, _blob, commit, *path = segments
        return f"{owner}/{repo}: {'/'.join(path)} (commit {commit[:7]})"

    def slug(segment: str) -> bool:  # "la-paz-en-mercociudades", "Protocolo_de_Ouro_Preto"
        return bool(re.search(r"[^\W\d_]{2}", segment) and re.search(r"[-_+]", segment))

    def identifier(segment: str) -> bool:  # "3375", "artikel.1178000.en"
        return bool(re.search(r"\d", segment)) and not re.search(r"[-_+]", segment)

    last = segments[-1] if segments else ""
    if last and slug(last):
        return humanize(last)
    if len(segments) > 1 and identifier(last) and slug(segments[-2]):  # ".../a-headline/77836"
        return humanize(segments[-2])
    if last and not parts.query and not identifier(last) and last.lower() not in GENERIC_SEGMENTS:
        return humanize(last)
    tail = "/".join(segments) + (f"?{parts.query}" if parts.query else "")
    return f"Page {tail} of {site}" if tail else f"Home page of {site}"
