"""Writing a release of the dataset, and reading the releases written (see the package's
docstring for what a release holds)."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.translation import override

from core import licence
from core.exports import blocks, csv_lines

from . import popolo
from .tables import tables

DATAPACKAGE = "datapackage.json"
POPOLO = "paradiplo-popolo.json"
README = "README.md"
CITATION = "CITATION.cff"
CHECKSUMS = "SHA256SUMS"
ZIP_PATTERN = re.compile(r"^paradiplo-dataset-(\d{4}-\d{2}-\d{2})\.zip$")
RELEASE_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}$")

MEDIA_TYPES = {
    ".csv": "text/csv; charset=utf-8",
    ".json": "application/json",
    ".md": "text/markdown; charset=utf-8",
    ".cff": "text/plain; charset=utf-8",
    ".zip": "application/zip",
}
#: The Popolo document is JSON-LD.
MEDIA_TYPES_BY_NAME = {POPOLO: "application/ld+json", CHECKSUMS: "text/plain; charset=utf-8"}


def zip_name(release_date: datetime.date) -> str:
    return f"paradiplo-dataset-{release_date.isoformat()}.zip"


def citation_title(release_date: datetime.date) -> str:
    """How a release is cited: "Paradiplo dataset, release 2026-12-02"."""
    return f"Paradiplo dataset, release {release_date.isoformat()}"


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReleaseFile:
    """One file of a release, as its checksum file lists it."""

    name: str
    size: int
    sha256: str

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES_BY_NAME.get(self.name) or MEDIA_TYPES.get(Path(self.name).suffix, "application/octet-stream")


@dataclass(frozen=True)
class Release:
    """A release written on disk: its date, its directory and its files (the checksum file
    itself aside)."""

    date: datetime.date
    path: Path
    files: tuple[ReleaseFile, ...]

    @property
    def title(self) -> str:
        return citation_title(self.date)

    @property
    def zip(self) -> ReleaseFile:
        return self.file(zip_name(self.date))

    @property
    def datapackage(self) -> ReleaseFile:
        return self.file(DATAPACKAGE)

    def file(self, name: str) -> ReleaseFile | None:
        """The file of this release named ``name``; None for any other name (no path outside
        the release can be asked for: only names the checksum file lists are known)."""
        for release_file in self.files:
            if release_file.name == name:
                return release_file
        return None


def dataset_dir() -> Path:
    """Where releases are written and served from (the setting ``PARADIPLO_DATASET_DIR``)."""
    return Path(settings.PARADIPLO_DATASET_DIR)


def release_dir(release_date: datetime.date) -> Path:
    return dataset_dir() / "releases" / release_date.isoformat()


def read_release(path: Path) -> Release | None:
    """The release in ``path``, or None when it holds none (no checksum file: not a release, or
    one still being written)."""
    path = Path(path)
    try:
        lines = (path / CHECKSUMS).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    files, release_date = [], None
    for line in lines:
        sha256, _sep, name = line.partition("  ")
        if not name or "/" in name or name.startswith("."):
            continue
        try:
            size = (path / name).stat().st_size
        except OSError:
            return None
        files.append(ReleaseFile(name, size, sha256))
        match = ZIP_PATTERN.match(name)
        if match:
            release_date = datetime.date.fromisoformat(match.group(1))
    if release_date is None:
        return None
    return Release(release_date, path, tuple(files))


def latest_release() -> Release | None:
    """The release of the latest date under the dataset directory, or None."""
    try:
        names = sorted((entry.name for entry in os.scandir(dataset_dir() / "releases")), reverse=True)
    except OSError:
        return None
    for name in names:
        if RELEASE_NAME.match(name):
            release = read_release(dataset_dir() / "releases" / name)
            if release is not None:
                return release
    return None


def release_on(release_date: datetime.date) -> Release | None:
    """The release of ``release_date``, or None."""
    return read_release(release_dir(release_date))


# --- writing --------------------------------------------------------------------------------------


class NotARelease(Exception):
    """The output directory holds files that are not an earlier release: they are not replaced."""


def export_dataset(output_dir, *, release_date: datetime.date | None = None, using: str = DEFAULT_DB_ALIAS) -> Release:
    """Write a release of the whole database into ``output_dir`` and return it.

    The release is written beside ``output_dir`` first and moved into place when complete, so a
    reader never sees half a release; an earlier release in ``output_dir`` is replaced, any other
    non-empty directory refused (:class:`NotARelease`). The same data and ``release_date`` (default:
    today) give the same bytes. On PostgreSQL every table is read from one snapshot (a repeatable-
    read transaction), so foreign keys hold even while the site is being edited. The queries do
    not depend on the number of rows (one per table and per kind of citation)."""
    output_dir = Path(output_dir)
    release_date = release_date or timezone.localdate()
    if output_dir.exists() and any(output_dir.iterdir()) and read_release(output_dir) is None:
        raise NotARelease(f"{output_dir} is not empty and holds no release: choose another directory.")
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{output_dir.name}.", dir=output_dir.parent))
    try:
        work.chmod(0o755)
        connection = connections[using]
        outermost = not connection.in_atomic_block
        with override("en"), transaction.atomic(using=using):
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            _write_release(work, release_date, using)
        _move_into_place(work, output_dir)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return read_release(output_dir)


def _move_into_place(work: Path, output_dir: Path) -> None:
    old = None
    if output_dir.exists():
        old = output_dir.with_name(f".{output_dir.name}.old-{os.getpid()}")
        output_dir.rename(old)
    work.rename(output_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _write_csv(path: Path, table, using: str) -> tuple[int, int, str]:
    """Write ``table`` to ``path``; its number of rows, bytes and SHA-256."""
    digest, size, count = hashlib.sha256(), 0, 0

    def counted(rows):
        nonlocal count
        for row in rows:
            count += 1
            yield row

    with open(path, "wb") as out:
        for block in blocks(csv_lines(table.header, counted(table.rows(using)))):
            data = block.encode("utf-8")
            out.write(data)
            digest.update(data)
            size += len(data)
    return count, size, digest.hexdigest()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        for chunk in iter(lambda: source.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _write_release(work: Path, release_date: datetime.date, using: str) -> None:
    resources, counts = [], {}
    for table in tables():
        rows, size, sha256 = _write_csv(work / table.filename, table, using)
        counts[table.name] = rows
        resources.append(
            {
                "name": table.name,
                "path": table.filename,
                "title": table.title,
                "description": table.description,
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "bytes": size,
                "hash": f"sha256:{sha256}",
                "schema": table.schema(),
            }
        )
    descriptor = datapackage(release_date, resources)
    (work / DATAPACKAGE).write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    popolo.write(work / POPOLO, release_date=release_date, using=using)
    (work / README).write_text(readme(release_date, resources, counts), encoding="utf-8")
    (work / CITATION).write_text(citation_cff(release_date), encoding="utf-8")
    names = sorted(path.name for path in work.iterdir())
    _write_zip(work / zip_name(release_date), work, names, release_date)
    checksums = "".join(f"{_sha256(work / name)}  {name}\n" for name in sorted(path.name for path in work.iterdir()))
    (work / CHECKSUMS).write_text(checksums, encoding="utf-8")


def _write_zip(path: Path, work: Path, names: list[str], release_date: datetime.date) -> None:
    """The files in one zip under a folder named after the release; every entry dated with the
    release date, so that the zip's bytes depend only on its files."""
    folder = f"paradiplo-dataset-{release_date.isoformat()}"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in names:
            info = zipfile.ZipInfo(f"{folder}/{name}", date_time=(*release_date.timetuple()[:3], 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            with open(work / name, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)


# --- the descriptions -----------------------------------------------------------------------------

DESCRIPTION = (
    "City networks and their members over time, governing bodies, thematic units, offices, summits, "
    "reported membership figures, twinnings and cooperation projects, with the source of every fact. "
    "Compiled by Paradiplo, the knowledge base of paradiplomacy."
)


def datapackage(release_date: datetime.date, resources: list[dict]) -> dict:
    return {
        "profile": "tabular-data-package",
        "name": "paradiplo",
        "title": citation_title(release_date),
        "description": DESCRIPTION,
        "version": release_date.isoformat(),
        "created": f"{release_date.isoformat()}T00:00:00Z",
        "keywords": ["paradiplomacy", "city networks", "municipal international cooperation", "twinning"],
        "licenses": [{"name": licence.SPDX, "title": licence.TITLE, "path": licence.URL}],
        "contributors": [{"title": licence.ATTRIBUTION, "role": "author"}],
        "sources": [
            {"title": "The documents cited for each fact (table “sources”, linked by table “citations”)"},
            *[
                {"title": f"{credit.name} ({credit.licence}): {credit.used_for}", "path": credit.url}
                for credit in licence.CREDITS
            ],
        ],
        "resources": resources,
    }


def readme(release_date: datetime.date, resources: list[dict], counts: dict[str, int]) -> str:
    date = release_date.isoformat()
    lines = [
        f"# {citation_title(release_date)}",
        "",
        DESCRIPTION,
        "",
        "## How to cite",
        "",
        f"> Paradiplo ({release_date.year}). *{citation_title(release_date)}* [Data set]. "
        f"Licensed under {licence.NAME} ({licence.URL}).",
        "",
        f"Machine-readable: `{CITATION}`. When you rely on a fact, cite its original source too "
        "(`sources.csv`, linked to every record by `citations.csv`).",
        "",
        "## Licence",
        "",
        f"Paradiplo's compilation is licensed under {licence.TITLE} ({licence.NAME}, {licence.URL}): "
        f"credit “{licence.ATTRIBUTION}” and say what you changed. It builds on data under their own licences:",
        "",
        *[f"- {credit.name} ({credit.url}): {credit.used_for}, {credit.licence}" for credit in licence.CREDITS],
        "",
        "## Files",
        "",
        f"- `{DATAPACKAGE}`: the Frictionless Data Package: a Table Schema for every CSV file (column types, "
        "primary keys, foreign keys). Check it with `frictionless validate datapackage.json`.",
        f"- `{POPOLO}`: networks, cities, memberships and offices (as memberships holding posts) in the shape "
        "of Popolo, as JSON-LD; identifiers are the records' addresses in Paradiplo's API.",
        f"- `{CHECKSUMS}`: SHA-256 of every file (`sha256sum -c {CHECKSUMS}`).",
        "",
        "| file | rows | what |",
        "|---|---:|---|",
        *[f"| `{res['path']}` | {counts[res['name']]} | {res['description']} |" for res in resources],
        "",
        "## Reading the tables",
        "",
        "- Every record has a `key`, the key the API gives it (`/api/v1/<resource>/<key>/`): a slug, a code, or "
        "the parts of its natural key joined by `~` (a membership: `network~city~start`). Foreign keys hold "
        "those keys, never database ids.",
        "- Dates are ISO 8601 at the precision the source gives: `2003`, `2003-05` or `2003-05-11`. A year "
        "stands for the whole year. An empty cell is unknown.",
        "- Translated text has one column per language (`name_en`, `name_es`, `name_pt`, `name_fr`); "
        "a record's `name` (or `title`) is the English one, or else the first language that has it.",
        "- `certainty` grades the evidence of memberships, offices and twinnings: `stated` (a source says "
        "so), `probable` or `uncertain`. Only stated memberships are counted as members.",
        "- Cells that a spreadsheet would read as a formula (starting with `=`, `+`, `-` or `@`, other than "
        "numbers) begin with `'`, as in every download of Paradiplo.",
        "",
        f"Release {date}; generated by `manage.py export_dataset`.",
        "",
    ]
    return "\n".join(lines)


def citation_cff(release_date: datetime.date) -> str:
    """The release's Citation File Format (CFF 1.2.0) metadata."""
    date = release_date.isoformat()
    return "\n".join(
        [
            "cff-version: 1.2.0",
            'message: "If you use this dataset, please cite it as below."',
            "type: dataset",
            f'title: "{citation_title(release_date)}"',
            "authors:",
            f'  - name: "{licence.ATTRIBUTION}"',
            f'version: "{date}"',
            f"date-released: {date}",
            f"license: {licence.SPDX}",
            "keywords:",
            "  - paradiplomacy",
            "  - city networks",
            "",
        ]
    )
