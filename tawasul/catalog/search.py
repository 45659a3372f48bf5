"""Search of the catalog behind one function, `search()` (issue 6, ARCHITECTURE.md "Arabic search").

Documents and queries go through the one `tawasul.core.text.normalize`: harakat, hamza and
letter variants, the article and French accents are folded on both sides, so "بِطاقة التعريف",
"بطاقه تعريف" and "BATAQA" spellings meet. Each procedure keeps two normalized texts, kept by
the services (`procedure_index_text`): `search_title` (every title, all languages) and
`search_text` (everything else a citizen may type: summary, who, documents, steps,
administration and theme names).

The index depends on the database:
- SQLite (a laptop): an FTS5 table `catalog_procedure_fts(title, body, facets)`, rowid =
  procedure id, published procedures only;
- PostgreSQL (production): `catalog_procedure.search_vector`, a stored generated tsvector column
  (config `simple` over the already normalized text, title weighted A, body B) with a GIN index,
  which PostgreSQL keeps itself; and a narrow table `catalog_procedure_titles` (published
  procedures only: id, the filter columns and the titles' vector, GIN-indexed), so that ranking
  the title matches reads ~300-byte rows instead of the ~2 kB procedure rows (ADR 0022).
Both are created by migrations (0002-0004, 0007) and kept in sync by the services
(`index_procedures`), never by signals; `rebuild_index()` rebuilds them in one pass (the
generator, a restore).

Ranking: procedures whose *title* holds every query word come first (a title-only query:
FTS5 column filter / the titles' own vector), each group ordered by the engine's rank (bm25 with
titles weighted ×10 / ts_rank); the second group is fetched only when the first does not fill
the page. Counting stops at `CATALOG_SEARCH_MAX_COUNT` (PostgreSQL counts the title matches while
ranking them, and counts the other matches only when there are not more titles than that).
Filters are FTS5 facet tokens on SQLite (no join with the procedures table) and plain WHERE
clauses on PostgreSQL (filter columns of the titles table, of the procedures table for the
second group). Every word matches as a prefix ("بطاق" finds "بطاقة"). When a query of 1–2
words finds nothing, each word unknown to the vocabulary of titles is replaced by its nearest
title word within a small edit distance (typo tolerance), and the search runs once more; the
page says which words were corrected.
"""

# The SQL below interpolates only module constants (table and index names) and generated
# "%s" placeholders or fixed fragments; every value a user typed is passed as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction

from tawasul.core.text import normalize_tokens
from tawasul.registry.models import Administration

from .i18n import LANGUAGES, current_language
from .models import Procedure, SubTheme, Theme

FTS_TABLE = "catalog_procedure_fts"
GIN_INDEX = "catalog_procedure_search_gin"
TITLE_TABLE = "catalog_procedure_titles"
GIN_TITLE_INDEX = "catalog_procedure_titles_gin"
MAX_QUERY_WORDS = 12
# What a result row shows (the page loads the full procedure only on its own page).
RESULT_FIELDS = (
    "code",
    "kind",
    "online_service_url",
    *[f"title_{lang}" for lang in LANGUAGES],
    *[f"theme__name_{lang}" for lang in LANGUAGES],
    *[f"administration__name_{lang}" for lang in LANGUAGES],
)


# --- The index --------------------------------------------------------------------------------

# Every text, title weighted A: what a search matches (and ranks the second group by).
_PG_VECTOR = "setweight(to_tsvector('simple', search_title), 'A') || setweight(to_tsvector('simple', search_text), 'B')"
_PG_TITLE_COLUMNS = "id, theme_id, subtheme_id, administration_id, kind, audiences, title_vector"
_PG_TITLE_SELECT = (
    "SELECT id, theme_id, subtheme_id, administration_id, kind, audiences, to_tsvector('simple', search_title) "
    "FROM catalog_procedure WHERE status = 'published'"
)
_PG_TITLE_INSERT = f"INSERT INTO {TITLE_TABLE} ({_PG_TITLE_COLUMNS}) {_PG_TITLE_SELECT}"
# A rebuild writes the rows in title order: procedures that share title words (the same
# procedure in 1,500 communes...) share pages, and ranking the matches of a word reads a few
# hundred pages instead of every page of the table (11 → 5 ms for 14,500 matches of 100,000).
_PG_TITLE_REBUILD = f"{_PG_TITLE_INSERT} ORDER BY search_title, id"
# Without GIN's pending list ("fastupdate"): every search reads the whole list (up to 4 MB, ~400
# pages: 2-7 ms a query after a bulk load, until a vacuum merges it). The services write a few
# titles at a time, straight into the index; a rebuild drops it and builds it again in bulk.
_PG_TITLE_GIN = (
    f"CREATE INDEX IF NOT EXISTS {GIN_TITLE_INDEX} ON {TITLE_TABLE} USING gin (title_vector) WITH (fastupdate = off)"
)
# After a bulk load, the full vectors are merged from the pending list into the index; fresh
# statistics too: right after one the planner believed one row was published and filtered
# 100,000 vectors instead of using the GIN index (2 s a query).
AFTER_BULK_LOAD_SQL = (
    f"SELECT gin_clean_pending_list('{GIN_INDEX}'::regclass)",
    "ANALYZE catalog_procedure",
    f"ANALYZE {TITLE_TABLE}",
)


def create_index_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        # The text is normalized before it is indexed: the tokenizer must not fold anything more.
        # `facets` holds filter tokens (theme, audience, administration, kind), so a filtered
        # search stays inside the FTS index instead of joining the procedures table.
        tokenizer = "unicode61 remove_diacritics 0"
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(title, body, facets, tokenize='{tokenizer}')"
        ]
    if vendor == "postgresql":
        # The full vector is generated by PostgreSQL from the two texts the services keep (no
        # second UPDATE of every written row), and kept in the row (storage MAIN: compressed
        # rather than moved to the TOAST table, unless the row cannot fit a page otherwise):
        # out of line, ranking 1,568 matches read 11,000 pages instead of 1,500 (44 ms).
        # The titles' vector lives in its own narrow table with the filter columns: ranking
        # 15,000 title matches at 100,000 procedures read 11,000 pages of the wide procedures
        # table (35-170 ms) and reads a few hundred small ones there.
        return [
            f"ALTER TABLE catalog_procedure ADD COLUMN IF NOT EXISTS search_vector tsvector "
            f"GENERATED ALWAYS AS ({_PG_VECTOR}) STORED, ALTER COLUMN search_vector SET STORAGE MAIN",
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON catalog_procedure USING gin (search_vector)",
            f"CREATE TABLE IF NOT EXISTS {TITLE_TABLE} ("
            "id bigint PRIMARY KEY, theme_id bigint NOT NULL, subtheme_id bigint, "
            "administration_id bigint NOT NULL, kind varchar(16) NOT NULL, audiences varchar(80) NOT NULL, "
            "title_vector tsvector NOT NULL)",
            _PG_TITLE_GIN,
        ]
    return []


def drop_index_sql(vendor: str) -> list[str]:
    if vendor == "sqlite":
        return [f"DROP TABLE IF EXISTS {FTS_TABLE}"]
    if vendor == "postgresql":
        return [
            f"DROP TABLE IF EXISTS {TITLE_TABLE}",
            f"DROP INDEX IF EXISTS {GIN_INDEX}",
            "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_vector",
        ]
    return []


# Facet tokens of a row (SQLite): xt<theme id> xg<administration id> xk<kind> xa<audience>...
# xs<sub-theme id> (none when the procedure has no sub-theme).
_SQLITE_FACETS = (
    "'xt' || theme_id || ' xg' || administration_id || ' xk' || replace(kind, '_', '') "
    "|| ' xa' || replace(trim(audiences, ','), ',', ' xa') || coalesce(' xs' || subtheme_id, '')"
)
_SQLITE_INSERT = (
    f"INSERT INTO {FTS_TABLE}(rowid, title, body, facets) "
    f"SELECT id, search_title, search_text, {_SQLITE_FACETS} FROM catalog_procedure WHERE status = 'published'"
)


def index_procedures(ids: Iterable[int]) -> None:
    """Bring the index of these procedures up to date (call after any write or status change,
    inside the service's transaction). Both index tables hold published procedures only; the
    PostgreSQL full vector follows the row by itself (generated column)."""
    ids = [int(i) for i in ids]
    if not ids:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            marks = ",".join("%s" for _ in ids)
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({marks})", ids)
            cursor.execute(f"{_SQLITE_INSERT} AND id IN ({marks})", ids)
        elif connection.vendor == "postgresql":
            cursor.execute(f"DELETE FROM {TITLE_TABLE} WHERE id = ANY(%s)", [ids])
            cursor.execute(f"{_PG_TITLE_INSERT} AND id = ANY(%s)", [ids])
    mark_changed()


def rebuild_titles_sql() -> list[str]:
    """PostgreSQL: refill the titles table in title order, its GIN index built in bulk after."""
    return [
        f"TRUNCATE {TITLE_TABLE}",  # no dead copy of every row, as DELETE leaves
        f"DROP INDEX IF EXISTS {GIN_TITLE_INDEX}",
        _PG_TITLE_REBUILD,
        _PG_TITLE_GIN,
    ]


def rebuild_index() -> None:
    """Rebuild the whole index in one pass (after a bulk load)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE}")
            cursor.execute(_SQLITE_INSERT)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('optimize')")
        elif connection.vendor == "postgresql":
            for statement in rebuild_titles_sql():
                cursor.execute(statement)
            for statement in AFTER_BULK_LOAD_SQL:
                cursor.execute(statement)
    mark_changed()


# --- The query --------------------------------------------------------------------------------


@dataclass
class SearchResult:
    procedures: list[Procedure]
    total: int
    query: str
    tokens: list[str]
    corrected: list[tuple[str, str]] = field(default_factory=list)  # (typed word, used word)
    matched_languages: dict[int, str] = field(default_factory=dict)  # procedure id -> language of the title hit
    total_is_capped: bool = False  # more than `total` procedures match; counting stopped there


# Words that say nothing about a procedure; dropped from queries of more words (never from the
# index): French articles and prepositions (and the "d"/"l" of elisions), Arabic prepositions.
STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "d",
        "de",
        "des",
        "du",
        "en",
        "et",
        "l",
        "la",
        "le",
        "les",
        "pour",
        "par",
        "sur",
        "un",
        "une",
        "ou",
        "في",
        "من",
        "علي",
        "عن",
        "الي",
        "و",
        "او",
        "مع",
    ]
)
# Every query word matches as a prefix ("بطاق" → "بطاقة"); a prefix of 1–2 letters would expand
# to thousands of index terms, so short words must match whole.
MIN_PREFIX = 3


def query_tokens(query: str) -> list[str]:
    tokens = normalize_tokens(query or "")
    meaningful = [t for t in tokens if t not in STOP_WORDS]
    return (meaningful or tokens)[:MAX_QUERY_WORDS]


def _filter_ids(filters: dict) -> dict | None:
    """Theme slug, sub-theme slug and administration code → ids (None when one does not exist:
    no result). A sub-theme slug is looked up within the theme when one is given."""
    resolved = {
        "audience": filters["audience"],
        "kind": filters["kind"],
        "theme": None,
        "subtheme": None,
        "administration": None,
    }
    if filters["theme"]:
        resolved["theme"] = Theme.objects.filter(slug=filters["theme"]).values_list("id", flat=True).first()
        if resolved["theme"] is None:
            return None
    if filters.get("subtheme"):
        subthemes = SubTheme.objects.filter(slug=filters["subtheme"])
        if resolved["theme"]:
            subthemes = subthemes.filter(theme_id=resolved["theme"])
        resolved["subtheme"] = list(subthemes.values_list("id", flat=True)[:20])
        if not resolved["subtheme"]:
            return None
    if filters["administration"]:
        adm = Administration.objects.filter(code=filters["administration"]).values_list("id", flat=True).first()
        if adm is None:
            return None
        resolved["administration"] = adm
    return resolved


def _bounded_count(cursor, sql: str, params: list, cap: int) -> int:
    cursor.execute(f"SELECT count(*) FROM ({sql} LIMIT {int(cap) + 1}) c", params)
    return cursor.fetchone()[0]


def _run_sqlite(tokens, ids: dict, limit: int, offset: int, cap: int) -> tuple[list[int], int]:
    terms = " ".join('"{}"{}'.format(t.replace('"', '""'), "*" if len(t) >= MIN_PREFIX else "") for t in tokens)
    facets = []
    if ids["theme"]:
        facets.append(f"xt{int(ids['theme'])}")
    if ids["administration"]:
        facets.append(f"xg{int(ids['administration'])}")
    if ids["kind"]:
        facets.append("xk" + "".join(ch for ch in ids["kind"] if ch.isalnum()))
    if ids["audience"]:
        facets.append("xa" + "".join(ch for ch in ids["audience"] if ch.isalnum()))
    facet_sql = "".join(f' AND facets : "{f}"' for f in facets)
    if ids.get("subtheme"):
        facet_sql += " AND facets : ({})".format(" OR ".join(f'"xs{int(i)}"' for i in ids["subtheme"]))
    every = f"({terms}){facet_sql}"
    in_title = f"(title : ({terms})){facet_sql}"
    not_in_title = f"(({terms}){facet_sql}) NOT (title : ({terms}))"
    match = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"
    ranked = f"{match} ORDER BY bm25({FTS_TABLE}, 10.0, 1.0), rowid LIMIT %s OFFSET %s"
    with connection.cursor() as cursor:
        total = _bounded_count(cursor, match, [every], cap)
        # Title-first: procedures whose titles hold every word, ranked; then the others, ranked.
        cursor.execute(ranked, [in_title, limit, offset])
        found = [row[0] for row in cursor.fetchall()]
        if len(found) < limit and total > len(found):
            in_title_count = len(found) + offset if found else _bounded_count(cursor, match, [in_title], cap)
            cursor.execute(ranked, [not_in_title, limit - len(found), max(0, offset - in_title_count)])
            found += [row[0] for row in cursor.fetchall()]
    return found, total


def _pg_filters(ids: dict, table: str) -> tuple[str, list]:
    """The WHERE clause of the filters on `table` (alias p), and its parameters."""
    where, params = [], []
    for column, value in (("theme_id", ids["theme"]), ("administration_id", ids["administration"])):
        if value:
            where.append(f"p.{column} = %s")
            params.append(value)
    if ids.get("subtheme"):
        where.append("p.subtheme_id = ANY(%s)")
        params.append([int(i) for i in ids["subtheme"]])
    if ids["kind"]:
        where.append("p.kind = %s")
        params.append(ids["kind"])
    if ids["audience"]:
        where.append("p.audiences LIKE %s")
        params.append(f"%,{ids['audience']},%")
    if table == "catalog_procedure":  # the titles table holds published procedures only
        where.append("p.status = %s")
        params.append(Procedure.Status.PUBLISHED)
    return " AND ".join(["TRUE", *where]), params


def _run_postgres(tokens, ids: dict, limit: int, offset: int, cap: int) -> tuple[list[int], int]:
    words = [t.replace("\\", "").replace("'", "") for t in tokens]
    every = " & ".join(f"'{w}':*" if len(w) >= MIN_PREFIX else f"'{w}'" for w in words)
    # The same words in a title: the A-weighted part of the full vector (a filter of rows the
    # full vector's GIN index found, never an index condition: planned as matching every row).
    in_title = " & ".join(f"'{w}':*A" if len(w) >= MIN_PREFIX else f"'{w}':A" for w in words)
    title_where, title_params = _pg_filters(ids, TITLE_TABLE)
    where, params = _pg_filters(ids, "catalog_procedure")
    titles = f"SELECT p.id FROM {TITLE_TABLE} p WHERE p.title_vector @@ to_tsquery('simple', %s) AND {title_where}"
    matches = f"SELECT p.id FROM catalog_procedure p WHERE p.search_vector @@ to_tsquery('simple', %s) AND {where}"
    bound = int(cap) + 1
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        # The titles table is narrow: the planner prices a scan of it below its GIN index, then
        # tests the query on every title (50 ms at 100,000 procedures, 3,000 matches) where the
        # index reads the matches only.
        cursor.execute("SET LOCAL enable_seqscan = off")
        # One round trip: the page of title matches (their own table), ranked; how many titles
        # match (bounded); how many procedures match, counted only when the titles do not pass
        # the cap already (every title match is a match).
        cursor.execute(
            "SELECT ARRAY("
            f"SELECT p.id FROM {TITLE_TABLE} p, to_tsquery('simple', %s) q WHERE p.title_vector @@ q AND {title_where} "
            "ORDER BY ts_rank(p.title_vector, q) DESC, p.id LIMIT %s OFFSET %s), "
            f"t.n, CASE WHEN t.n > %s THEN t.n ELSE (SELECT count(*) FROM ({matches} LIMIT {bound}) m) END "
            f"FROM (SELECT count(*) AS n FROM ({titles} LIMIT {bound}) c) t",
            [every, *title_params, limit, offset, cap, every, *params, every, *title_params],
        )
        found, in_title_count, total = cursor.fetchone()
        if found and len(found) < limit:  # the title matches end on this page: their exact count
            in_title_count = offset + len(found)
        if len(found) < limit and (in_title_count > cap or total > in_title_count):
            cursor.execute(
                "SELECT p.id FROM catalog_procedure p, to_tsquery('simple', %s) q, to_tsquery('simple', %s) t "
                f"WHERE p.search_vector @@ q AND NOT p.search_vector @@ t AND {where} "
                "ORDER BY ts_rank(p.search_vector, q) DESC, p.id LIMIT %s OFFSET %s",
                [every, in_title, *params, limit - len(found), max(0, offset - in_title_count)],
            )
            found += [row[0] for row in cursor.fetchall()]
    return found, total


def _run(tokens: list[str], filters: dict, limit: int, offset: int) -> tuple[list[int], int]:
    ids = _filter_ids(filters)
    if ids is None:
        return [], 0
    cap = settings.CATALOG_SEARCH_MAX_COUNT
    if connection.vendor == "postgresql":
        return _run_postgres(tokens, ids, limit, offset, cap)
    return _run_sqlite(tokens, ids, limit, offset, cap)


def _browse(filters: dict, limit: int, offset: int) -> tuple[list[int], int]:
    qs = Procedure.objects.filter(status=Procedure.Status.PUBLISHED)
    if filters["theme"]:
        qs = qs.filter(theme__slug=filters["theme"])
    if filters.get("subtheme"):
        qs = qs.filter(subtheme__slug=filters["subtheme"])
    if filters["audience"]:
        qs = qs.filter(audiences__contains=f",{filters['audience']},")
    if filters["administration"]:
        qs = qs.filter(administration__code=filters["administration"])
    if filters["kind"]:
        qs = qs.filter(kind=filters["kind"])
    lang = current_language()
    order = f"title_{lang}" if lang != "ar" else "title_ar"
    return list(qs.order_by(order, "id").values_list("id", flat=True)[offset : offset + limit]), qs.count()


def search(
    query: str,
    *,
    language: str | None = None,
    theme: str | None = None,
    subtheme: str | None = None,
    audience: str | None = None,
    administration: str | None = None,
    kind: str | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchResult:
    """Published procedures matching `query` (any language), best first.

    `theme` is a theme slug, `subtheme` a sub-theme slug (within `theme` when given), `audience`
    an `Audience` value, `administration` an administration code, `kind` a `Procedure.Kind` value.
    An empty query lists the filtered procedures by title.
    `language` (default: the active one) decides which title is reported as matched first.
    Counting stops at `CATALOG_SEARCH_MAX_COUNT` (`total_is_capped` then says "more than").
    """
    filters = {"theme": theme or None, "audience": audience or None, "administration": administration or None}
    filters["kind"] = kind or None
    filters["subtheme"] = subtheme or None
    tokens = query_tokens(query)
    corrected: list[tuple[str, str]] = []
    if not tokens:
        ids, total = _browse(filters, limit, offset)
    else:
        ids, total = _run(tokens, filters, limit, offset)
        if total == 0 and len(tokens) <= settings.CATALOG_FUZZY_MAX_WORDS:
            fixed, corrected = correct_tokens(tokens)
            if corrected:
                tokens = fixed
                ids, total = _run(tokens, filters, limit, offset)
    by_id = Procedure.objects.select_related("theme", "administration").only(*RESULT_FIELDS).in_bulk(ids)
    procedures = [by_id[i] for i in ids if i in by_id]
    matched = {p.pk: lang for p in procedures if (lang := title_language(p, tokens, language))}
    capped = bool(tokens) and total > settings.CATALOG_SEARCH_MAX_COUNT
    total = min(total, settings.CATALOG_SEARCH_MAX_COUNT) if tokens else total
    return SearchResult(procedures, total, query or "", tokens, corrected, matched, capped)


def title_language(procedure: Procedure, tokens: list[str], language: str | None = None) -> str | None:
    """The language of the title that holds every query word (the current language first)."""
    if not tokens:
        return None
    first = current_language(language)
    for lang in (first, *[code for code in LANGUAGES if code != first]):
        words = expand_words(normalize_tokens(getattr(procedure, f"title_{lang}", "") or ""))
        if words and all(any(w.startswith(t) for w in words) for t in tokens):
            return lang
    return None


# --- Typo tolerance ---------------------------------------------------------------------------

_VOCABULARY: dict[str, object] = {}
VERSION_KEY = "catalog:search-version"


def mark_changed() -> None:
    """Tell every process that the published catalog changed (after the transaction commits):
    their typo-tolerance vocabulary is rebuilt on its next use. Called by the services."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:  # a cold or cleared cache: start a new version, rebuild once
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY) or version
    return version


def _vocabulary() -> dict[int, set[str]]:
    """Words of published titles (not numbers), grouped by length; memoised per process and
    rebuilt when `mark_changed()` announced a new version."""
    version = _version()
    if _VOCABULARY.get("version") != version:
        words: dict[int, set[str]] = {}
        published = Procedure.objects.filter(status=Procedure.Status.PUBLISHED)
        for title in published.values_list("search_title", flat=True).iterator(chunk_size=2000):
            for word in title.split():
                if not word.isdigit():
                    words.setdefault(len(word), set()).add(word)
        _VOCABULARY.update(version=version, words=words)
    return _VOCABULARY["words"]  # type: ignore[return-value]


def _max_distance(word: str) -> int:
    if len(word) <= 3:
        return 0
    return 1 if len(word) <= 6 else 2


def edit_distance(a: str, b: str, bound: int) -> int:
    """Damerau-Levenshtein (adjacent swaps count 1), stopping early past `bound`."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > bound:
            return bound + 1
        prev2, prev = prev, row
    return prev[-1]


def correct_tokens(tokens: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Each token that no title word starts with, replaced by the nearest title word."""
    words = _vocabulary()
    fixed, corrected = [], []
    for token in tokens:
        bound = _max_distance(token)
        if bound == 0 or any(w.startswith(token) for n, group in words.items() if n >= len(token) for w in group):
            fixed.append(token)
            continue
        best, best_distance = None, bound + 1
        for n in range(len(token) - bound, len(token) + bound + 1):
            for word in words.get(n, ()):
                d = edit_distance(token, word, bound)
                if d < best_distance or (d == best_distance and best is not None and word < best):
                    best, best_distance = word, d
        if best is None:
            fixed.append(token)
        else:
            fixed.append(best)
            corrected.append((token, best))
    return fixed, corrected


# Arabic proclitics fused with the article: "للتعريف" (li + al), "بالمغرب", "والسفر"... normalize()
# keeps them (it drops a bare article only), so the index also holds the word without them, and
# "التعريف" / "تعريف" find "البطاقة الوطنية للتعريف". Same length rule as the article (>= 4 left).
_PROCLITICS = ("لل", "وال", "بال", "كال", "فال")
_MIN_STEM = 4


def expand_words(words: Iterable[str]) -> list[str]:
    """The words, each followed by its form without a fused proclitic + article, if any."""
    out: list[str] = []
    for word in words:
        out.append(word)
        for prefix in _PROCLITICS:
            if word.startswith(prefix) and len(word) - len(prefix) >= _MIN_STEM:
                out.append(word[len(prefix) :])
                break
    return out


def index_text(*parts: str) -> str:
    """normalize() of each non-empty part (with proclitic-free forms added), joined by spaces."""
    return " ".join(expand_words(w for p in parts if p for w in normalize_tokens(p)))
