"""The Paradiplo dataset: a versioned release of every table, written by ``manage.py
export_dataset`` (or by :func:`export_dataset`, a plain function a background task may call) and
served at ``/data/latest/``.

A release is a directory named after its date (``releases/2026-12-02/`` under the setting
``PARADIPLO_DATASET_DIR``) holding:

- ``datapackage.json``: a Frictionless Tabular Data Package describing every CSV file (a Table
  Schema each: types, primary and foreign keys), the licence and the sources;
- one CSV file per table (:mod:`paradiplo.dataset.tables`);
- ``paradiplo-popolo.json``: the networks, cities, memberships and offices as Popolo-shaped
  JSON-LD (:mod:`paradiplo.dataset.popolo`);
- ``README.md`` and ``CITATION.cff``: what the files hold and how to cite the release;
- ``paradiplo-dataset-YYYY-MM-DD.zip``: all of the above in one file;
- ``SHA256SUMS``: the checksum of every file (``sha256sum -c SHA256SUMS``); it is written last,
  and only a directory that has it is a release.
"""

from .release import Release, ReleaseFile, dataset_dir, export_dataset, latest_release, read_release, release_dir

__all__ = [
    "Release",
    "ReleaseFile",
    "dataset_dir",
    "export_dataset",
    "latest_release",
    "read_release",
    "release_dir",
]
