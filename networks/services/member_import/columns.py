"""The columns of a member list (docs/import/README.md) and the limits of one file."""

import re
from decimal import Decimal

from core.text import fold

COLUMNS = (
    "city",
    "country",
    "latitude",
    "longitude",
    "geonames_id",
    "wikidata_id",
    "category",
    "joined",
    "left",
    "source_url",
)
REQUIRED_COLUMNS = ("city", "country")
#: Each column's name in a file written in Spanish, Portuguese or French (the templates
#: downloaded from the import page use them); English uses the names above. Compared as
#: :func:`reading.normalize_header` does: accents and case dropped, spaces and dashes as ``_``.
LOCALIZED_COLUMNS = {
    "es": {
        "city": "ciudad",
        "country": "país",
        "latitude": "latitud",
        "longitude": "longitud",
        "geonames_id": "id_geonames",
        "wikidata_id": "id_wikidata",
        "category": "categoría",
        "joined": "ingreso",
        "left": "salida",
        "source_url": "url_fuente",
    },
    "pt": {
        "city": "cidade",
        "country": "país",
        "latitude": "latitude",
        "longitude": "longitude",
        "geonames_id": "id_geonames",
        "wikidata_id": "id_wikidata",
        "category": "categoria",
        "joined": "adesão",
        "left": "saída",
        "source_url": "url_fonte",
    },
    "fr": {
        "city": "ville",
        "country": "pays",
        "latitude": "latitude",
        "longitude": "longitude",
        "geonames_id": "id_geonames",
        "wikidata_id": "id_wikidata",
        "category": "catégorie",
        "joined": "adhésion",
        "left": "départ",
        "source_url": "url_source",
    },
}
#: Other names a column may have in a file (folded, as compared): the column it stands for.
COLUMN_ALIASES = {
    "wikidata": "wikidata_id",
    "qid": "wikidata_id",
    "geonames": "geonames_id",
    "lat": "latitude",
    "lon": "longitude",
    "lng": "longitude",
    "start": "joined",
    "end": "left",
    "source": "source_url",
    # Spanish
    "municipio": "city",
    "fecha_de_ingreso": "joined",
    "fecha_de_salida": "left",
    "baja": "left",
    "fuente": "source_url",
    "url_de_la_fuente": "source_url",
    # Portuguese
    "entrada": "joined",
    "data_de_adesao": "joined",
    "data_de_saida": "left",
    "fonte": "source_url",
    "url_da_fonte": "source_url",
    # French
    "commune": "city",
    "date_d'adhesion": "joined",
    "date_de_depart": "left",
    "sortie": "left",
    "url_de_la_source": "source_url",
}


def header_key(name: str) -> str:
    """A column name as compared: accents and case folded, spaces and dashes as underscores."""
    return re.sub(r"[\s-]+", "_", fold(name))


#: Every name a column is known by (folded): the column it stands for.
KNOWN_NAMES = {
    **{header_key(alias): column for alias, column in COLUMN_ALIASES.items()},
    **{header_key(local): column for names in LOCALIZED_COLUMNS.values() for column, local in names.items()},
}


def column_names(language: str | None) -> list[str]:
    """The columns as a file in ``language`` names them (English for any other language)."""
    names = LOCALIZED_COLUMNS.get((language or "en")[:2], {})
    return [names.get(column, column) for column in COLUMNS]


MAX_ROWS = 20_000
FIRST_DATA_ROW = 2  # the header is line 1, as a spreadsheet numbers it
COORDINATE_STEP = Decimal("0.00001")  # City.latitude / longitude: 5 decimal places
MAX_GEONAMES_ID = 2_147_483_647  # PositiveIntegerField
#: The column a model field's validation error is reported in.
MODEL_FIELD_COLUMNS = {
    "start": "joined",
    "end": "left",
    "category": "category",
    "latitude": "latitude",
    "longitude": "longitude",
    "geonames_id": "geonames_id",
    "wikidata_id": "wikidata_id",
    "name_en": "city",
    "native_name": "city",
    "slug": "city",
    "country": "country",
    "url": "source_url",
}
