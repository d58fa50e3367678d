"""The search service: one implementation behind the search page, the API (``/api/v1/search/``
and the ``q`` parameter of every list) and the header typeahead.

It reads ``search_searchentry`` (one row per searchable record, kept current by database
triggers: see :mod:`search.database`) in two modes:

- **PostgreSQL**: full-text search over ``document`` (names weight A, descriptions weight B,
  analysed with the four languages' configurations, all including ``unaccent``) with
  ``websearch`` syntax; trigram word similarity (``pg_trgm``) and substring matching on the
  unaccented names for misspellings and prefixes; ranking by ``ts_rank`` plus a bonus for an
  exact name; snippets by ``ts_headline``. Both the document and the names have GIN indexes.
- **SQLite** (the embedded default, the simpler mode): case- and accent-insensitive substring
  matching of every word against the unaccented names and texts, with the same web-search
  syntax (quoted phrases, ``-word``, ``or``); exact and name matches rank first. No stemming,
  no misspelling tolerance.

Every function runs a fixed number of queries whatever the size of the tables, and on
PostgreSQL a bounded amount of work: a search reads at most :data:`COUNT_LIMIT` + 1 matches
(more are "more than COUNT_LIMIT"), ranks at most those or, for a very common word, the exact
names and the :data:`CANDIDATE_LIMIT` most prominent matches; between equally good matches the
more prominent record comes first (``search.kinds.Kind.prominence``: places by population).
See docs/search-performance.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Lookup,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Length, StrIndex
from django.db.models.lookups import Contains, GreaterThan
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from core.records import LANGUAGE_CODES
from core.text import fold

from . import text
from .database import CONFIG_OF_LANGUAGE, names_array
from .kinds import KIND_BY_CODE, KINDS, Kind, kind_of_model
from .models import SearchEntry

#: Longest query accepted (the API and the page refuse longer ones).
MAX_QUERY_LENGTH = 200
PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
SUGGESTION_LIMIT = 8
YEAR_FACET_LIMIT = 15
#: Below this length, trigram and substring matching would scan the whole trigram index.
MIN_FUZZY_LENGTH = 3
#: Misspelt names are looked for in queries of up to this many words (names); longer queries
#: are phrases, which full-text search (and its relaxed fallback) handles better.
MAX_FUZZY_WORDS = 3
#: ts_rank weights for D, C, B (descriptions), A (names)
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
EXACT_NAME_BONUS = 1.0
WORD_SIMILARITY_WEIGHT = 0.25
#: A search counts, facets and ranks at most this many matches exactly. Beyond it (a very
#: common word), the count is "more than COUNT_LIMIT", the facets count the COUNT_LIMIT + 1
#: matches read, and the ranked candidates are the exact names and the CANDIDATE_LIMIT most
#: prominent matches (see ``Kind.prominence``): the work stays the same at any data size.
COUNT_LIMIT = 1000
CANDIDATE_LIMIT = 100
#: SQLite's "nothing found" suggestions score at most this many longer beginnings of a word (an
#: expression each: a 200-letter word must not overflow SQLite's parser).
MAX_PREFIX_STEPS = 8
#: The typeahead ranks the exact names and at most this many of the most prominent names
#: starting with what was typed.
SUGGESTION_CANDIDATES = 40


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def normalize_query(value: str | None) -> str:
    """The query as searched: surrounding and repeated spaces removed, NUL characters (which
    PostgreSQL text cannot hold) dropped."""
    return " ".join((value or "").replace("\x00", " ").split())


def active_language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


def language_order(language: str) -> list[str]:
    fallbacks = settings.MODELTRANSLATION_FALLBACK_LANGUAGES
    order = [language, *fallbacks.get(language, fallbacks["default"])]
    return [code for code in dict.fromkeys(order) if code in LANGUAGE_CODES]


# SQL building blocks ------------------------------------------------------------------------


class Plain(Func):
    """``paradiplo_plain(text)``: unaccented, lowercase, single-spaced. An SQL function on
    PostgreSQL (created by the migration), a Python function registered on SQLite connections."""

    function = "paradiplo_plain"
    output_field = TextField()


class WordSimilarity(Func):
    """``word_similarity(query, names)``: how well the query matches some part of the names."""

    function = "word_similarity"
    output_field = FloatField()


class Similarity(Func):
    function = "similarity"
    output_field = FloatField()


class WordSimilarTo(Lookup):
    """``names_plain %> query``: pg_trgm's word-similarity operator (GIN-indexable), true when
    the query is similar to a word sequence of the names (``pg_trgm.word_similarity_threshold``,
    set per connection by the search app: one or two letters off in a name)."""

    lookup_name = "word_similar_to"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} %%> {rhs}", [*lhs_params, *rhs_params]


class ExactName(Func):
    """One of the entry's names (or identifiers) is exactly the plain query: on PostgreSQL
    ``string_to_array(…names_plain…) @> ARRAY[query]``, one lookup in the exact-names GIN index
    (:data:`search.database.EXACT_NAMES_INDEX`), however common the words."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, value = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        value_sql, value_params = compiler.compile(value)
        return f"{names_array(column_sql)} @> ARRAY[{value_sql}]", [*column_params, *value_params]


class AnyOf(Func):
    """``column = ANY(ARRAY(subquery))`` on PostgreSQL, ``column IN (subquery)`` elsewhere.

    On PostgreSQL the subquery then runs first and once (an InitPlan, from the search indexes)
    and the outer table is read through its index on ``column``. With ``IN`` the planner may
    instead walk the outer table in its list order and probe the subquery for every row, which
    it did whenever it overestimated the matches: ``/api/v1/cities/?q=montevidoe`` read all
    235,000 cities (2.5 s) to return six."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        column, subquery = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        subquery_sql, subquery_params = compiler.compile(subquery)
        if connection.vendor == "postgresql":
            return f"{column_sql} = ANY(ARRAY{subquery_sql})", [*column_params, *subquery_params]
        return f"{column_sql} IN {subquery_sql}", [*column_params, *subquery_params]


def any_of(column: str, queryset: QuerySet) -> Q:
    """The condition ``column`` is one of the values of ``queryset`` (one column), as :class:`AnyOf`."""
    return Q(AnyOf(F(column), Subquery(queryset)))


def plain_expression(query: str):
    """The plain form of the query, computed the way the database computed the stored names:
    ``paradiplo_plain()`` (SQL on PostgreSQL, folded into a constant when the query is planned);
    in Python on SQLite."""
    if is_postgresql():
        return Plain(Value(query, output_field=TextField()))
    return Value(fold(query), output_field=TextField())


def column_plain(column: str):
    """A column in plain form, for the text filters of records that have no entries."""
    return Plain(F(column))


class WebSearchQuery(SearchQuery):
    """``paradiplo_tsquery(query)``: the query in web-search syntax in each language's
    configuration, OR-ed, each distinct form once (an SQL function of the migrations, see
    :data:`search.database.TSQUERY_FUNCTION`). A Spanish phrase on the English site still meets
    the Spanish stemmer."""

    def as_sql(self, compiler, connection, function=None, template=None):
        value_sql, value_params = compiler.compile(self.get_source_expressions()[-1])
        return f"paradiplo_tsquery({value_sql})", value_params


def ts_query(query: str):
    """The query in every language's configuration (:class:`WebSearchQuery`)."""
    return WebSearchQuery(Value(query, output_field=TextField()))


def kind_order():
    return Case(
        *[When(kind=kind.code, then=Value(index)) for index, kind in enumerate(KINDS)], output_field=IntegerField()
    )


def kind_tier():
    """Each kind's :attr:`~search.kinds.Kind.tier`: ordered on before the rank, so that the
    sources cited for records come after the records themselves."""
    tiered = [kind for kind in KINDS if kind.tier]
    return Case(
        *[When(kind=kind.code, then=Value(kind.tier)) for kind in tiered],
        default=Value(0),
        output_field=IntegerField(),
    )


def kind_weight():
    """Each kind's :attr:`~search.kinds.Kind.rank_weight`, for multiplying a rank or score."""
    weighted = [kind for kind in KINDS if kind.rank_weight != 1.0]
    return Case(
        *[When(kind=kind.code, then=Value(kind.rank_weight)) for kind in weighted],
        default=Value(1.0),
        output_field=FloatField(),
    )


# Matching -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """How a query matches entries in the current database: the condition, and the ranking
    and highlighting annotations."""

    query: str
    condition: Q
    rank: object
    tie_breaker: object
    ts_query: object = None
    terms: tuple[str, ...] = ()
    #: the condition without misspellings: what the candidates of a very common word are taken
    #: from, in order of prominence (every row it reads is cheap to test)
    strict: Q | None = None
    #: ``strict``'s alternatives, cheapest to read first (PostgreSQL: the full text, then the
    #: names containing the query)
    alternatives: tuple[Q, ...] = ()
    #: an entry with exactly this name (None when operators make it meaningless)
    exact: Q | None = None
    #: PostgreSQL: the misspellings ``condition`` adds to ``strict`` (None without them)
    similar: Q | None = None


def match(query: str, *, relaxed: bool = False) -> Match:
    """``relaxed``: any of the words instead of all of them (see :func:`relaxed_query`)."""
    if is_postgresql():
        return _match_postgresql(query, relaxed=relaxed)
    return _match_sqlite(query, relaxed=relaxed)


#: Function words of English, Spanish, Portuguese and French that a relaxed search ignores.
STOPWORDS = frozenset(
    """the and for with from that this are was were into about between
    los las del por para con una uno unos unas que como sus entre sobre
    das dos nas nos pela pelo com uma para que como entre sobre
    les des une pour par avec sur dans aux est qui que entre""".split()
)


def relaxed_query(query: str) -> str | None:
    """When no record contains every word of a plain query (no operators), the search falls
    back to records containing some of them, ranked by how many: ``a or b or c``, without short
    words and the commonest function words of the four languages. None when there is nothing to
    relax (operators, or fewer than two meaningful words)."""
    if text.has_operators(query):
        return None
    words = [word for word in query.split() if len(fold(word)) >= 3 and fold(word) not in STOPWORDS]
    words = list(dict.fromkeys(words))
    return " or ".join(words) if len(words) >= 2 else None


def _match_postgresql(query: str, *, relaxed: bool = False) -> Match:
    tsq = ts_query(query)
    strict = Q(document=tsq)
    alternatives = (strict,)
    whole = plain_expression(query.replace(" or ", " ") if relaxed else query)
    rank = SearchRank(F("document"), tsq, weights=RANK_WEIGHTS)
    exact = StrIndex("names_plain", Concat(Value("| "), whole, Value(" |"), output_field=TextField()))
    rank = rank + Case(When(GreaterThan(exact, 0), then=Value(EXACT_NAME_BONUS)), default=Value(0.0))
    fuzzy = (
        not relaxed
        and not text.has_operators(query)
        and len(fold(query)) >= MIN_FUZZY_LENGTH
        and len(query.split()) <= MAX_FUZZY_WORDS
    )
    if fuzzy:
        # Misspellings and partial names; not with operators, which they would contradict
        # ("sao -paulo" must not bring São Paulo back by similarity).
        alternatives = (strict, Q(Contains(F("names_plain"), whole)))
        strict |= alternatives[1]
        rank = rank + WordSimilarity(whole, F("names_plain")) * Value(WORD_SIMILARITY_WEIGHT)
    # The similarity last: PostgreSQL tests the alternatives in order and stops at the first
    # true one, and word_similarity() costs ten times the others on every row it reads.
    similar = Q(WordSimilarTo(F("names_plain"), whole)) if fuzzy else None
    return Match(
        query=query,
        condition=strict | similar if fuzzy else strict,
        strict=strict,
        alternatives=alternatives,
        similar=similar,
        exact=None if text.has_operators(query) and not relaxed else Q(ExactName(F("names_plain"), whole)),
        rank=rank,
        tie_breaker=Similarity(whole, F("names_plain")),
        ts_query=tsq,
        terms=tuple(term.text for group in text.parse_websearch(query) for term in group if not term.negated),
    )


def _match_sqlite(query: str, *, relaxed: bool = False) -> Match:
    groups = text.parse_websearch(query)
    condition = Q(pk__in=[])
    for group in groups:
        every = Q()
        for term in group:
            found = Q(names_plain__contains=term.text) | Q(body_plain__contains=term.text)
            every &= ~found if term.negated else found
        condition |= every
    positive = list(dict.fromkeys(term.text for group in groups for term in group if not term.negated))
    whole = fold(query.replace(" or ", " ") if relaxed else query)
    # Exact name first, then each word found in the names (more than in the texts), then a
    # name that starts with the first word.
    rank = Case(When(names_plain__contains=f"| {whole} |", then=Value(3.0)), default=Value(0.0))
    for term in positive:
        rank = rank + Case(
            When(names_plain__contains=term, then=Value(1.0)),
            When(body_plain__contains=term, then=Value(0.3)),
            default=Value(0.0),
        )
    if positive:
        rank = rank + Case(When(names_plain__contains=f"| {positive[0]}", then=Value(0.5)), default=Value(0.0))
    return Match(
        query=query,
        condition=condition,
        rank=rank,
        tie_breaker=Value(0) - Length("names_plain"),
        terms=tuple(positive),
        strict=condition,
        alternatives=(condition,),
        exact=None if text.has_operators(query) and not relaxed else Q(names_plain__contains=f"| {whole} |"),
    )


def entries(query: str, *, kinds: list[str] | None = None) -> QuerySet:
    """The entries matching ``query`` (not ranked): for subqueries."""
    found = SearchEntry.objects.filter(match(query).condition)
    if kinds:
        found = found.filter(kind__in=kinds)
    return found


# Results ------------------------------------------------------------------------------------


@dataclass
class Hit:
    kind: str
    kind_label: str
    key: str
    object_id: int
    name: str
    name_language: str | None
    detail: str
    year: int | None
    snippet: SafeString | None
    rank: float
    #: the record in the API
    url: str | None
    #: the record's public page, in the language of the results
    page_url: str | None
    #: the record's change form in the admin (staff only)
    admin_url: str | None

    @property
    def link(self) -> str | None:
        """Where a result leads a reader: the record's public page (the API when it has none)."""
        return self.page_url or self.url


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool = False
    #: the page's link that applies (or, when selected, removes) this value
    url: str = ""


@dataclass
class Filters:
    kind: str | None = None
    network: str | None = None
    country: str | None = None
    year: int | None = None

    def as_dict(self) -> dict:
        return {"type": self.kind, "network": self.network, "country": self.country, "year": self.year}

    @property
    def active(self) -> bool:
        return any(value for value in self.as_dict().values())

    def admit(self, row: dict, *, skip: str | None = None) -> bool:
        """Whether a row of :func:`_sample` passes the filters (but ``skip``)."""
        return not (
            (self.kind and skip != "type" and row["kind"] != self.kind)
            or (self.network and skip != "network" and row["network__slug"] != self.network)
            or (self.country and skip != "country" and row["country__code"] != self.country)
            or (self.year and skip != "year" and row["year"] != self.year)
        )


@dataclass
class SearchResults:
    query: str
    filters: Filters
    hits: list[Hit]
    total: int
    page: int
    page_size: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    suggestions: list[Hit] = field(default_factory=list)
    #: no record had every word: these have some of them
    relaxed: bool = False
    mode: str = "sqlite"
    #: False when more records match than a search counts: ``total`` is then
    #: :data:`COUNT_LIMIT` and means "more than", the facets count the COUNT_LIMIT + 1 matches
    #: read, and the :data:`CANDIDATE_LIMIT` best candidates are listed
    exact: bool = True

    @property
    def listed(self) -> int:
        """How many results the pages list."""
        return self.total if self.exact else min(self.total, CANDIDATE_LIMIT)

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.listed / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def start_index(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def end_index(self) -> int:
        return min(self.listed, self.page * self.page_size)


def api_url(kind: Kind, key: str) -> str | None:
    try:
        return reverse(f"api:{kind.basename}-detail", kwargs={"key": key})
    except NoReverseMatch:
        return None


def page_url(kind: Kind, key: str, language: str) -> str | None:
    """The record's public page in ``language`` (``/es/cities/montevideo-uy/``), from its entry's
    key: the key's parts (split at ``~``) are the page's arguments (:attr:`Kind.page_arguments`)."""
    values = key.split("~")
    if not kind.page or len(values) != len(kind.page_arguments):
        return None
    with translation.override(language):
        try:
            return reverse(kind.page, kwargs=dict(zip(kind.page_arguments, values, strict=True)))
        except NoReverseMatch:
            return None


def admin_url(kind: Kind, object_id: int) -> str | None:
    meta = kind.model._meta
    try:
        return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[object_id])
    except NoReverseMatch:
        return None


def display_name(entry: SearchEntry, language: str) -> tuple[str, str | None]:
    """The record's name in ``language`` with the configured fallbacks, and the language shown."""
    for code in language_order(language):
        value = getattr(entry, f"name_{code}")
        if value:
            return value, code
    kind = KIND_BY_CODE[entry.kind]
    if entry.kind == "summit" and entry.network_id and entry.network is not None:
        network = entry.network.acronym or display_translated(entry.network, "name", language)
        return _("%(network)s summit") % {"network": network}, None
    return f"{kind.label} {entry.key}", None


def display_translated(instance, field_name: str, language: str) -> str:
    for code in language_order(language):
        value = getattr(instance, f"{field_name}_{code}", None)
        if value:
            return value
    return ""


def _hit(entry: SearchEntry, language: str, *, staff: bool, snippet=None, rank: float = 0.0) -> Hit:
    kind = KIND_BY_CODE[entry.kind]
    name, name_language = display_name(entry, language)
    return Hit(
        kind=entry.kind,
        kind_label=str(kind.label),
        key=entry.key,
        object_id=entry.object_id,
        name=name,
        name_language=name_language if name_language != language and kind.display else None,
        detail=entry.detail or "",
        year=entry.year,
        snippet=snippet,
        rank=round(float(rank or 0.0), 4),
        url=api_url(kind, entry.key),
        page_url=page_url(kind, entry.key, language),
        admin_url=admin_url(kind, entry.object_id) if staff else None,
    )


def _filtered(queryset: QuerySet, filters: Filters, *, skip: str | None = None) -> QuerySet:
    if filters.kind and skip != "type":
        queryset = queryset.filter(kind=filters.kind)
    if filters.network and skip != "network":
        queryset = queryset.filter(network__slug=filters.network)
    if filters.country and skip != "country":
        queryset = queryset.filter(country__code=filters.country)
    if filters.year and skip != "year":
        queryset = queryset.filter(year=filters.year)
    return queryset


def _snippet(entry: SearchEntry, found: Match) -> SafeString | None:
    if is_postgresql():
        for marked in (getattr(entry, "body_headline", None), getattr(entry, "names_headline", None)):
            if marked and text.START in marked:
                return text.marked_to_html(marked)
        return None
    return text.highlight(entry.body, list(found.terms)) or text.highlight(entry.names, list(found.terms))


#: The entry columns a result needs (the document and the plain forms stay in the database).
HIT_FIELDS = ("kind", "object_id", "key", "name_en", "name_es", "name_pt", "name_fr", "detail", "year", "network")
HIT_NETWORK_FIELDS = ("network__acronym", *[f"network__name_{code}" for code in LANGUAGE_CODES])


#: What :func:`_sample` groups the matches by: enough to count and facet them in Python.
SAMPLE_FIELDS = (
    "kind",
    "year",
    "network__slug",
    "network__acronym",
    *[f"network__name_{code}" for code in LANGUAGE_CODES],
    "country__code",
    *[f"country__name_{code}" for code in LANGUAGE_CODES],
)


def _matching_ids(found: Match, filters: Filters | None = None) -> QuerySet:
    """The ids of at most :data:`COUNT_LIMIT` + 1 matches, in no particular order, with as little
    work as the database allows whatever its size.

    On PostgreSQL, a UNION ALL under that LIMIT, which stops reading as soon as it has enough:
    first the full-text matches (from the document's GIN index, exact, or for a very common word
    from the first rows of the table); then, only if they are not enough, the names containing
    the query that the full text missed; then, only if still not enough and no record has
    exactly the name typed, misspelt names (word_similarity(), ten times costlier a row). The
    later parts are arrays computed on first use, from the trigram index: never a walk of the
    table, and never started when the earlier parts sufficed ("san": 1,001 full-text matches,
    the trigram index not even opened)."""

    def narrowed(queryset):
        return queryset if filters is None else _filtered(queryset, filters)

    first, *others = found.alternatives if found.similar is not None else (found.condition,)
    parts = [narrowed(SearchEntry.objects.filter(first)).values("id")[: COUNT_LIMIT + 1]]
    seen = first
    for alternative in others:
        extra = narrowed(SearchEntry.objects.filter(alternative).exclude(seen))
        parts.append(SearchEntry.objects.filter(any_of("pk", extra.values("id"))).values("id"))
        seen |= alternative
    if found.similar is not None:
        similar = narrowed(SearchEntry.objects.filter(found.similar).exclude(seen))
        if found.exact is not None:
            # A name typed as some record spells it is not misspelt: no similar names then
            # (their index scan costs most with the commonest letters: "sao paulo", 18 ms at
            # 235,000 places).
            similar = similar.filter(~Exists(SearchEntry.objects.filter(found.exact)))
        parts.append(SearchEntry.objects.filter(any_of("pk", similar.values("id"))).values("id"))
    if len(parts) == 1:
        return parts[0]
    return parts[0].union(*parts[1:], all=True)[: COUNT_LIMIT + 1]


def _sample(found: Match) -> list[dict]:
    """The matches (at most :data:`COUNT_LIMIT` + 1, in no particular order) counted by what the
    facets need (``n``: how many share those values), in one query: a few hundred rows at most,
    whatever the number of matches."""
    matching = SearchEntry.objects.filter(any_of("pk", _matching_ids(found)))
    return list(matching.values(*SAMPLE_FIELDS).annotate(n=Count("id")).order_by())


def _matching(found: Match, filters: Filters) -> QuerySet:
    """The entries of :func:`_matching_ids` (with the filters, if any)."""
    return SearchEntry.objects.filter(any_of("pk", _matching_ids(found, filters if filters.active else None)))


def _candidates(found: Match, filters: Filters) -> Q:
    """The entries ranked for a very common word (more than :data:`COUNT_LIMIT` matches): every
    exact name and the :data:`CANDIDATE_LIMIT` most prominent matches, both read from indexes
    (the exact-names GIN index; the prominence B-tree, in which a common word's matches are
    dense), whatever the size of the tables. Ranked by the same formula as every search, with
    a stable order (ties by kind and key)."""
    prominent = _filtered(SearchEntry.objects.filter(found.strict), filters).order_by("-prominence", "id")
    condition = any_of("pk", prominent.values("id")[:CANDIDATE_LIMIT])
    if found.exact is not None:
        exact = _filtered(SearchEntry.objects.filter(found.exact), filters).order_by("-prominence", "id")
        condition |= any_of("pk", exact.values("id")[:CANDIDATE_LIMIT])
    return condition


def search(
    query: str,
    *,
    filters: Filters | None = None,
    page: int = 1,
    page_size: int = PAGE_SIZE,
    staff: bool = False,
    facets: bool = True,
) -> SearchResults:
    """One page of ranked results with facet counts (type, network, country, year), each facet
    counted with the other filters applied. When no record has every word of a plain query, the
    records with some of them (``relaxed``).

    The work is bounded whatever the data size: at most :data:`COUNT_LIMIT` + 1 matches are
    read (:func:`_matching_ids`), grouped by type, network, country and year in the database
    and faceted in Python (:func:`_sample`); with filters, the filtered matches are counted the
    same way. Up to COUNT_LIMIT matches, the page ranks them all (the exact count, exact
    facets); beyond it (``exact`` is False) it ranks the exact names and the most prominent
    matches (:func:`_candidates`). Queries: the matches, the filtered count (with filters), the
    page; when nothing matched, the matches of the relaxed query and one for suggestions.
    """
    query = normalize_query(query)
    filters = filters or Filters()
    language = active_language()
    found = match(query)
    sample = _sample(found)
    relaxed = False
    if not sample:
        alternative = relaxed_query(query)
        if alternative is not None:
            relaxed_match = match(alternative, relaxed=True)
            relaxed_sample = _sample(relaxed_match)
            if relaxed_sample:
                found, sample, relaxed = relaxed_match, relaxed_sample, True
    if filters.active:
        # Counted in the database: a filter may keep matches that a capped sample does not hold.
        count = _matching(found, filters).count()
    else:
        count = sum(row["n"] for row in sample)
    exact = count <= COUNT_LIMIT
    results = SearchResults(
        query=query,
        filters=filters,
        hits=[],
        total=count if exact else COUNT_LIMIT,
        page=max(1, page),
        page_size=page_size,
        relaxed=relaxed,
        mode="postgresql" if is_postgresql() else "sqlite",
        exact=exact,
    )
    offset = (results.page - 1) * page_size
    if results.total and offset < results.listed:
        if exact:
            ranked = _matching(found, filters)
        else:
            ranked = SearchEntry.objects.filter(_candidates(found, filters))
        fields = HIT_FIELDS if is_postgresql() else (*HIT_FIELDS, "names", "body")
        page_entries = (
            ranked.select_related("network")
            .only(*fields, *HIT_NETWORK_FIELDS)
            .annotate(
                tier=kind_tier(),
                rank=found.rank * kind_weight(),
                tie_breaker=found.tie_breaker,
                kind_order=kind_order(),
            )
            .order_by("tier", F("rank").desc(), F("prominence").desc(), F("tie_breaker").desc(), "kind_order", "key")
        )
        if found.ts_query is not None:
            options = {"start_sel": text.START, "stop_sel": text.STOP, "config": CONFIG_OF_LANGUAGE[language]}
            page_entries = page_entries.annotate(
                body_headline=SearchHeadline(
                    "body",
                    found.ts_query,
                    max_fragments=2,
                    max_words=30,
                    min_words=12,
                    fragment_delimiter=" … ",
                    **options,
                ),
                names_headline=SearchHeadline("names", found.ts_query, highlight_all=True, **options),
            )
        for entry in page_entries[offset : min(offset + page_size, results.listed)]:
            results.hits.append(_hit(entry, language, staff=staff, snippet=_snippet(entry, found), rank=entry.rank))
    if facets:
        results.facets = _facets(sample, filters, language)
    if not results.total:
        results.suggestions = suggest(query, language=language, staff=staff, fuzzy_only=True)
    return results


def _translated_label(row: dict, prefix: str, language: str, default: str) -> str:
    names = {code: row[f"{prefix}__name_{code}"] for code in LANGUAGE_CODES}
    return next((names[code] for code in language_order(language) if names[code]), default)


def _facets(sample: list[dict], filters: Filters, language: str) -> dict[str, list[FacetValue]]:
    """The facet counts of the matches counted in ``sample`` (all of them, or the first
    COUNT_LIMIT + 1 found), each counted with the other filters applied."""
    counts = {name: {} for name in ("type", "network", "country", "year")}
    labels: dict[tuple[str, str], str] = {}
    for row in sample:
        for name, value in (
            ("type", row["kind"]),
            ("network", row["network__slug"]),
            ("country", row["country__code"]),
            ("year", row["year"]),
        ):
            if value is not None and filters.admit(row, skip=name):
                counts[name][value] = counts[name].get(value, 0) + row["n"]
                if name == "network" and (name, value) not in labels:
                    name_label = _translated_label(row, "network", language, value)
                    labels[name, value] = row["network__acronym"] or name_label
                elif name == "country" and (name, value) not in labels:
                    labels[name, value] = _translated_label(row, "country", language, value)
    result = {
        "type": [
            FacetValue(kind.code, str(kind.label_plural), counts["type"][kind.code], kind.code == filters.kind)
            for kind in KINDS
            if counts["type"].get(kind.code)
        ]
    }
    for name, selected in (("network", filters.network), ("country", filters.country)):
        values = [FacetValue(value, labels[name, value], n, value == selected) for value, n in counts[name].items()]
        result[name] = sorted(values, key=lambda v: (-v.count, v.label.lower()))
    years = sorted(counts["year"].items(), key=lambda item: (-item[1], -item[0]))[:YEAR_FACET_LIMIT]
    result["year"] = sorted(
        (FacetValue(str(year), str(year), n, year == filters.year) for year, n in years),
        key=lambda v: v.value,
        reverse=True,
    )
    return result


# Typeahead and suggestions ------------------------------------------------------------------


def _suggestion_candidates(starting: Q, exact: Q) -> Q:
    """The typeahead's candidates: the exact names and the :data:`SUGGESTION_CANDIDATES` most
    prominent names starting with the text (all of them, for any but the commonest beginnings),
    so that a common beginning ("san") does not rank every one of its thousands of names."""
    prominent = SearchEntry.objects.filter(starting).order_by("-prominence", "id").values("id")
    exact_names = SearchEntry.objects.filter(exact).order_by("-prominence", "id").values("id")
    return any_of("pk", prominent[:SUGGESTION_CANDIDATES]) | any_of("pk", exact_names[:SUGGESTION_CANDIDATES])


def suggest(
    query: str,
    *,
    language: str | None = None,
    staff: bool = False,
    limit: int = SUGGESTION_LIMIT,
    fuzzy_only: bool = False,
) -> list[Hit]:
    """The best names for what has been typed so far, in one query: an exact name first, then
    names and words starting with it (the most prominent, when very many do), then (PostgreSQL,
    when few names start with it) similar names.

    ``fuzzy_only`` is for the "nothing found" state: the names closest to any word of the query,
    by trigram similarity on PostgreSQL, by the first letters of the words on SQLite."""
    query = normalize_query(query)
    language = language or active_language()
    plain = fold(query)
    if not plain:
        return []
    words = []
    if fuzzy_only:
        words = [word.lstrip("-") for word in plain.replace('"', " ").split() if word != "or"]
        words = [word for word in dict.fromkeys(words) if len(word) >= MIN_FUZZY_LENGTH]
        if not words:
            return []
    zero = Value(0.0)
    if is_postgresql():
        if fuzzy_only:
            condition = Q()
            score = zero
            for word in words:
                condition |= Q(WordSimilarTo(F("names_plain"), plain_expression(word)))
                score = score + WordSimilarity(plain_expression(word), F("names_plain"))
            tie_breaker = Similarity(plain_expression(" ".join(words)), F("names_plain"))
        else:
            expression = plain_expression(query)
            name_starts = Concat(Value("| "), expression, output_field=TextField())
            word_starts = Concat(Value(" "), expression, output_field=TextField())
            exact = Concat(name_starts, Value(" |"), output_field=TextField())
            starting = Q(Contains(F("names_plain"), name_starts)) | Q(Contains(F("names_plain"), word_starts))
            condition = _suggestion_candidates(starting, Q(ExactName(F("names_plain"), expression)))
            if len(plain) >= MIN_FUZZY_LENGTH:
                # Similar names only when fewer names than the suggestions start with the text
                # and none is exactly it: they score below every name that does (no "starts"
                # bonus, a similarity of at most 1), and a common beginning ("san") would make
                # PostgreSQL compute the similarity of thousands of names. Both NOT EXISTS are
                # computed once, before the similar names are looked for, skipped when false.
                fewer = ~Exists(SearchEntry.objects.filter(starting).values("id")[limit - 1 : limit])
                misspelt = ~Exists(SearchEntry.objects.filter(ExactName(F("names_plain"), expression)))
                similar = SearchEntry.objects.filter(WordSimilarTo(F("names_plain"), expression))
                similar = similar.filter(fewer, misspelt)
                condition |= any_of("pk", similar.values("id"))
            score = (
                Case(When(Contains(F("names_plain"), exact), then=Value(3.0)), default=zero)
                + Case(
                    When(Contains(F("names_plain"), name_starts), then=Value(1.0)),
                    When(Contains(F("names_plain"), word_starts), then=Value(0.5)),
                    default=zero,
                )
                + WordSimilarity(expression, F("names_plain"))
            )
            tie_breaker = Similarity(expression, F("names_plain"))
    else:
        if fuzzy_only:
            starts = [word[: max(MIN_FUZZY_LENGTH, (len(word) + 1) // 2)] for word in words]
            exact = None
        else:
            starts = [plain]
            exact = f"| {plain} |"
        condition = Q()
        score = Case(When(names_plain__contains=exact, then=Value(3.0)), default=zero) if exact else zero
        for start in starts:
            condition |= Q(names_plain__contains=f"| {start}") | Q(names_plain__contains=f" {start}")
        if fuzzy_only:
            # The more letters of a word a name starts with, the closer it is ("montevido":
            # Montevideo before Montenegro).
            for word, start in zip(words, starts, strict=True):
                for end in range(len(start) + 1, min(len(word), len(start) + MAX_PREFIX_STEPS) + 1):
                    prefix = word[:end]
                    score = score + Case(
                        When(
                            Q(names_plain__contains=f"| {prefix}") | Q(names_plain__contains=f" {prefix}"),
                            then=Value(0.1),
                        ),
                        default=zero,
                    )
        else:
            condition = _suggestion_candidates(condition, Q(names_plain__contains=exact))
            score = score + Case(
                When(names_plain__contains=f"| {start}", then=Value(1.0)),
                When(names_plain__contains=f" {start}", then=Value(0.5)),
                default=zero,
            )
        tie_breaker = Value(0) - Length("names_plain")
    rows = (
        SearchEntry.objects.filter(condition)
        .select_related("network")
        .only(*HIT_FIELDS, *HIT_NETWORK_FIELDS)
        .annotate(tier=kind_tier(), score=score * kind_weight(), tie_breaker=tie_breaker, kind_order=kind_order())
        .order_by("tier", F("score").desc(), F("prominence").desc(), F("tie_breaker").desc(), "kind_order", "key")[
            :limit
        ]
    )
    return [_hit(entry, language, staff=staff, rank=entry.score) for entry in rows]


# The q parameter of the API lists -----------------------------------------------------------


def _covered_columns(kind: Kind) -> set[str]:
    """The record's columns that its entry searches."""
    columns = set()
    for expression in (*kind.names, *kind.aliases, *kind.identifiers, *kind.body):
        if expression.startswith("t."):
            columns.add(expression[2:].strip('"'))
    return columns


def _split_path(model, path: str):
    """``"city__name"`` on Membership -> ("city", City, "name")."""
    *relations, column = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return "__".join(relations), model, column


def text_condition(model, value: str | None, *, fields=(), translated=(), languages=LANGUAGE_CODES) -> Q | None:
    """The condition of ``?q=`` on an API list of ``model``: records whose search entry matches
    (the same matching as the search page), or, for the given fields of records without entries,
    whose text contains the query, accents and case ignored (``translated`` fields in each of
    ``languages``). A subquery, never an extra query. None when there is nothing to filter by.

    On PostgreSQL the matching records' ids are read first, once, from the search indexes
    (:class:`AnyOf`), and the list's table through its primary key (or the relation's index):
    an index-driven plan at any size, never a walk of the whole list."""
    query = normalize_query(value)
    if not query or not (fields or translated):
        return None
    condition = Q()
    via_entries: set[str] = set()
    plain = plain_expression(query)
    paths = [(path, False) for path in fields] + [(path, True) for path in translated]
    for path, is_translated in paths:
        prefix, target, column = _split_path(model, path)
        kind = kind_of_model(target)
        check = f"{column}_en" if is_translated else column
        if kind is not None and check in _covered_columns(kind):
            if prefix not in via_entries:
                via_entries.add(prefix)
                ids = entries(query, kinds=[kind.code]).values("object_id")
                condition |= any_of(prefix or "pk", ids)
            continue
        columns = [f"{path}_{code}" for code in languages] if is_translated else [path]
        for name in columns:
            condition |= Q(Contains(column_plain(name), plain))
    return condition


def filter_queryset(queryset: QuerySet, value: str | None, *, fields=(), translated=()) -> QuerySet:
    """``queryset`` filtered by :func:`text_condition`."""
    condition = text_condition(queryset.model, value, fields=fields, translated=translated)
    return queryset if condition is None else queryset.filter(condition)


__all__ = [
    "Filters",
    "Hit",
    "MAX_QUERY_LENGTH",
    "SearchResults",
    "entries",
    "filter_queryset",
    "match",
    "normalize_query",
    "search",
    "suggest",
    "text_condition",
]
