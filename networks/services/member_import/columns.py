"""The columns of a member list (docs/import/README.md) and the limits of one file."""

from decimal import Decimal

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
#: Other names a column may have in a file: the name it stands for.
COLUMN_ALIASES = {"wikidata": "wikidata_id", "qid": "wikidata_id"}
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
