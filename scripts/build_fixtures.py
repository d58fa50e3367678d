#!/usr/bin/env python
"""Build Paradiplo's real-data fixtures from the research CSVs.

    .venv/bin/python scripts/build_fixtures.py [--data ../shared/data] [--check [DATABASE_URL]]

Reads the CSV tables of the research data set (``/work/shared/data`` by default, i.e.
``../shared/data`` relative to the repository root) and writes four Django fixtures in the
standard JSON serializer format, with natural keys only (no ``pk``), no timestamps:

    fixtures/01_sources.json     sources.source
    fixtures/02_geography.json   countries, MERCOSUR, cities, twinnings (+ citations)
    fixtures/03_networks.json    networks, bodies, thematic units, summits, memberships,
                                 offices, membership figures (+ citations)
    fixtures/04_projects.json    SDGs, organizations, programme, projects (+ citations)

The December 2026 additions (README, "Additions") are loaded with their evidence levels: only
memberships and offices the data grades *stated* are written (the pages do not yet show probable
or uncertain ones apart); the build prints how many rows of each table it left out, and
docs/data.md says why.

The iron rule: every value comes from a CSV cell or from the peer-reviewed case study
(Alibalaev & Kuznetsov 2022, ``reading/mercocities-case-study-2022.txt``), and every record is
cited. Empty cells stay unknown. The few places where the script has to interpret a cell
(which summit elected an office, which language a motto is in …) are tables written out
below, each checked against the CSV text so that a change in the data stops the build instead
of producing a wrong fact.

The output is deterministic: records are sorted by natural key and written with
``ensure_ascii=False, indent=1``; rebuilding from the same data gives identical files.

The work is done by the ``fixtures`` package beside this script: one module per fixture file
(``sources``, ``geography``, ``networks``, ``projects``), shared helpers in ``common`` and the
check in ``check``.

``--check`` loads the fixtures into a fresh database (a temporary SQLite file unless a
DATABASE_URL is given; the database must exist and be empty), runs ``full_clean()`` on every
loaded object and checks that every record that can be cited is cited.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# The project's root, for core.text (names are folded as search and the imports fold them).
sys.path.append(str(Path(__file__).resolve().parent.parent))

from fixtures.check import check  # noqa: E402
from fixtures.common import DEFAULT_DATA, FIXTURES, REPO, DataError, Fixture, expect, read  # noqa: E402
from fixtures.geography import build_geography, finish_geography  # noqa: E402
from fixtures.networks import build_networks  # noqa: E402
from fixtures.projects import build_projects  # noqa: E402
from fixtures.sources import Sources  # noqa: E402
from fixtures.twinnings import add_twinnings  # noqa: E402

FILES = ("01_sources.json", "02_geography.json", "03_networks.json", "04_projects.json")


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="directory of the research CSVs (default: ../shared/data from the repository root)",
    )
    parser.add_argument(
        "--check",
        nargs="?",
        const="",
        default=None,
        metavar="DATABASE_URL",
        help="after building, load the fixtures into a fresh database and validate them",
    )
    return parser.parse_args(argv)


def data_directory(given: Path | None) -> Path:
    data = given if given is not None else DEFAULT_DATA
    if not data.is_absolute():
        data = (REPO / data).resolve() if not data.exists() else data.resolve()
    return data


def build(data: Path) -> tuple[list[Fixture], dict[str, int]]:
    """The four fixtures, in file order, and the number of rows of each additions table left
    out (graded below stated, undated, or naming no city or network)."""
    src = Sources(data)
    sources = src.build()
    geography, cities, country_by_name = build_geography(data, src)
    networks, left_out = build_networks(data, src, cities, country_by_name)
    projects = build_projects(data, src, cities, read(data, "uclg_sections.csv"))
    left_out["twinnings.csv"] = add_twinnings(geography, cities, data, src)
    finish_geography(geography, cities)
    left_out["sources (cited only by rows left out)"] = check_citations(src, sources, [geography, networks, projects])
    return [sources, geography, networks, projects], left_out


def check_citations(src: Sources, sources: Fixture, citing: list[Fixture]) -> int:
    """Every cited source exists, and every source is cited by something: a source that only
    rows left out cite (rows of the additions graded below stated…) is dropped with them; any
    other uncited source stops the build. Returns the number dropped."""
    cited = set()
    for fixture in citing:
        for label, group in fixture.objects.items():
            if label.endswith("citation"):
                cited.update(obj["fields"]["source"][0] for obj in group.values())
    known = {key[0] for key in sources.objects["sources.source"]}
    expect(cited <= known, f"unknown sources cited: {sorted(cited - known)}")
    additions = {src.keys.get(url, url) for url in src.read_on}
    uncited = known - cited
    expect(uncited <= additions, f"sources cited by nothing: {sorted(uncited - additions)}")
    for key in uncited:
        del sources.objects["sources.source"][(key,)]
    return len(uncited)


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(argv)
    fixtures, left_out = build(data_directory(args.data))
    FIXTURES.mkdir(exist_ok=True)
    for name, fixture in zip(FILES, fixtures, strict=True):
        total = fixture.dump(FIXTURES / name)
        print(f"{name}: {total} objects")
        for label, count in fixture.counts().items():
            print(f"  {label}: {count}")
    print("rows of the additions left out (see docs/data.md):")
    for name, count in sorted(left_out.items()):
        print(f"  {name}: {count}")
    if args.check is not None:
        return check(args.check or None)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DataError as error:
        sys.exit(f"build_fixtures: {error}")
