"""One-box search of people by name or number, ranked, fast at a million rows.

A query is either a **number** — a 12-digit personal identification number, a 9-digit old identity
card number or a record code (``91-000123``), matched exactly — or a **name**. Names are compared
through ``hoanhap.core.text``: ``fold`` (no case, no marks, đ→d, NFC/NFD alike) and ``canonical``
(marks kept, tone mark in one place), so "nguyen van hoa", "Nguyễn Văn Hoà" and "NGUYỄN VĂN HÒA"
find the same person. Results come in tiers, each tier in Vietnamese name order:

1. the canonical full name equals the query's ("Nguyễn Văn Hòa" typed with any tone placement);
2. the folded full name equals the query's ("nguyen van hoa");
3. every word of the query starts a word of the full name or other names ("van hoa", "nguyen ho"),
   those whose given name starts with the last word first; then those holding every word
   elsewhere (the other words whole, the last one unfinished only when nothing matched before);
4. when nothing above matched: trigram similarity ≥ 0.3, one word mistyped ("ngyen van hoa"),
   best first.

How it stays fast (two phases: a few ids from an index, then one bounded query in name order):
tiers 1 and 2 read B-tree indexes in name order. Tier 3 asks the **role tokens** of migration 0005
(SQLite FTS5 / PostgreSQL GIN): ``g_<given>``, ``r_<other word>`` and ``rg_<other word>_<given>``
pairs, so "given name Phong and Lê, Ngọc, Thành among the names" is an AND of short lists (a few
ids) instead of a walk through every Phong; typed prefixes are expanded into whole words through
``people_name_word``. When the tokens say the matches are many, walking the ``sort_key`` index
(given name first) finds a page at once. Tier 4 takes the people holding a known word close to the
mistyped one and the other words. The caller passes the scoped queryset (``selectors``); this
module never widens it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower

from hoanhap.core.text import canonical, fold
from hoanhap.people.rules.identity import looks_like_old_id, looks_like_personal_id, normalise

RECORD_CODE = re.compile(r"^\d{2,3}-\d{1,9}$")
SIMILARITY_THRESHOLD = 0.3
# Above this many token hits, the words are common enough to be found faster by walking the name order
# (PostgreSQL reads a table row for every hit it returns: a lower bar there).
CANDIDATE_CAPS = {"sqlite": 1000, "postgresql": 200}
# PostgreSQL, a few communes: walking them beats reading (a table row per id) many ids of the country.
NARROW_CAPS = {"postgresql": 100}
FUZZY_CANDIDATES = 300
# A typed prefix standing for more known words than this (one or two letters) is walked, not expanded.
VOCABULARY_CAP = 40
MAX_TERMS = 120
MAX_BRANCHES = 12
# PostgreSQL, similar names: a candidate list whose shortest list holds more people than this is skipped.
DRIVER_ROWS = 5000
STATISTICS_SECONDS = 600
TOKEN_WORD = re.compile(r"^[a-z0-9]+$")


@dataclass
class ParsedQuery:
    text: str
    kind: str  # "empty" | "personal_id" | "old_id" | "record_code" | "name"
    number: str = ""
    folded: str = ""
    canonical: str = ""
    words: list[str] = field(default_factory=list)


def parse(text: str | None) -> ParsedQuery:
    text = (text or "").strip()
    if not text:
        return ParsedQuery(text=text, kind="empty")
    if RECORD_CODE.match(text.replace(" ", "")):
        return ParsedQuery(text=text, kind="record_code", number=_record_code(text))
    if looks_like_personal_id(text):
        return ParsedQuery(text=text, kind="personal_id", number=normalise(text))
    if looks_like_old_id(text):
        return ParsedQuery(text=text, kind="old_id", number=normalise(text))
    folded = fold(text)
    if not folded:
        return ParsedQuery(text=text, kind="empty")
    return ParsedQuery(text=text, kind="name", folded=folded, canonical=canonical(text), words=folded.split())


def _record_code(text: str) -> str:
    province, _sep, number = text.replace(" ", "").partition("-")
    return f"{int(province):02d}-{int(number):06d}"


def number_q(query: ParsedQuery) -> Q:
    if query.kind == "personal_id":
        return Q(personal_id=query.number)
    if query.kind == "old_id":
        return Q(old_id_number=query.number)
    return Q(record_code=query.number)


# -- the index -----------------------------------------------------------------------------------


def _trigrams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


def _word_q(word: str) -> Q:
    return Q(search_text__contains=" " + word)


def _all_words_q(words: Iterable[str]) -> Q:
    q = Q()
    for word in words:
        q &= _word_q(word)
    return q


def _whole_word_q(field: str, word: str) -> Q:
    """``word`` is a whole word of ``field`` (space-separated words)."""
    return (
        Q(**{field: word})
        | Q(**{f"{field}__startswith": word + " "})
        | Q(**{f"{field}__contains": f" {word} "})
        | Q(**{f"{field}__endswith": " " + word})
    )


def _sort_key_words_q(words: Iterable[str]) -> Q:
    """Every word starts a word of the folded names, tested on ``sort_key`` alone.

    ``sort_key`` holds the folded given, family, middle and other names, and the indexes that order
    lists contain it: testing it needs no visit to the table rows.
    """
    q = Q()
    for word in words:
        q &= Q(sort_key__startswith=word) | Q(sort_key__contains=" " + word)
    return q


def _fuzzy_q(words: list[str], field: str = "search_text") -> Q:
    """All words but one start a word; the remaining one shares a trigram (or is any word if short)."""

    def has(text: str) -> Q:
        return Q(**{f"{field}__contains": text})

    if len(words) == 1:
        q = Q(pk__in=[])
        for gram in _trigrams(words[0]) or [words[0]]:
            q |= has(gram)
        return q
    q = Q(pk__in=[])
    for i, word in enumerate(words):
        others = Q()
        for other in words[:i] + words[i + 1 :]:
            others &= has(" " + other) | (
                Q(**{f"{field}__startswith": other}) if field == "sort_key" else Q(pk__in=[])
            )
        grams = _trigrams(word)
        if grams:
            near = Q(pk__in=[])
            for gram in grams:
                near |= has(gram)
            others &= near
        q |= others
    return q


class _Tokens:
    """The role tokens of migration 0005 and the word list: SQLite FTS5 / PostgreSQL GIN.

    Per person: every folded word, ``g_<given name>``, ``r_<word>`` for each other word (family,
    middle, other names) and ``rg_<word>_<given name>`` pairs. An AND of tokens is answered by
    seeking through the shortest list (FTS5 doclist seeks, GIN "fast scan"); the pairs and ``r_``
    tokens are short lists even when every word is common ("le" and "phong" are; "le as another
    name of a Phong" is not). ``ids`` returns at most ``cap`` ids, in no particular order.
    ``people_name_word`` turns a typed prefix into whole words (no slow prefix scan of a common
    word) and offers the words close to a mistyped one.
    """

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor

    @property
    def available(self) -> bool:
        return self.vendor in ("sqlite", "postgresql")

    def term(self, token: str) -> str:
        return f'"{token}"' if self.vendor == "sqlite" else f"'{token}'"

    def any_of(self, parts: list[str]) -> str:
        joined = (" OR " if self.vendor == "sqlite" else " | ").join(parts)
        return f"({joined})" if len(parts) > 1 else joined

    def all_of(self, parts: list[str]) -> str:
        return (" AND " if self.vendor == "sqlite" else " & ").join(parts)

    def rows(self, terms: list[str]) -> float | None:
        """About how many people hold any of ``terms`` (PostgreSQL's statistics of the token index;
        None when unknown, as on SQLite, whose lists are read lazily and need no estimate)."""
        if self.vendor != "postgresql":
            return None
        frequencies, floor, total = _token_statistics()
        if not total:
            return None
        return total * sum(frequencies.get(t.strip("'"), floor) for t in terms)

    def driver_rows(self, parts: list[list[str]]) -> float | None:
        """About how many people the shortest list of an AND of ``parts`` (each an OR of terms)
        holds: what PostgreSQL's GIN index reads to answer it. None when unknown."""
        estimates = [self.rows(terms) for terms in parts]
        return None if not estimates or None in estimates else min(estimates)

    def combined_rows(self, parts: list[list[str]]) -> float | None:
        """About how many people hold every part (the parts taken as independent). None when unknown."""
        frequencies, _floor, total = _token_statistics() if self.vendor == "postgresql" else ({}, 0, 0)
        estimates = [self.rows(terms) for terms in parts]
        if not total or not estimates or None in estimates:
            return None
        product = float(total)
        for estimate in estimates:
            product *= min(estimate / total, 1.0)
        return product

    def ids(self, expression: str, cap: int) -> list[int]:
        if self.vendor == "sqlite":
            sql = "SELECT rowid FROM people_person_tokens WHERE people_person_tokens MATCH %s LIMIT %s"
        else:
            sql = (
                "SELECT id FROM people_person WHERE people_search_tokens(name_folded, search_text) "
                "@@ %s::tsquery LIMIT %s"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, cap])
            return [row[0] for row in cursor.fetchall()]

    def words(self, prefixes: Iterable[str], cap: int = VOCABULARY_CAP) -> dict[str, list[str] | None]:
        """For each prefix, the known words starting with it (None: more than ``cap`` or not all
        plain letters and digits), in one query."""
        prefixes = list(dict.fromkeys(prefixes))
        if not prefixes:
            return {}
        select = (
            "SELECT %s, word FROM (SELECT word FROM people_name_word WHERE word >= %s AND word < %s "
            "ORDER BY word LIMIT %s) AS w{i}"
        )
        sql = " UNION ALL ".join(select.format(i=i) for i in range(len(prefixes)))
        params = [value for p in prefixes for value in (p, p, _upper(p), cap + 1)]
        found: dict[str, list[str]] = {p: [] for p in prefixes}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for prefix, word in cursor.fetchall():
                found[prefix].append(word)
        return {p: (None if len(ws) > cap or not _plain(ws) else ws) for p, ws in found.items()}

    def similar_words(self, word: str, limit: int = 3) -> list[str]:
        """The known words closest to ``word`` (trigram similarity at least the threshold), best first."""
        grams = _trigrams(word)
        where, params = ["length(word) BETWEEN %s AND %s"], [max(1, len(word) - 2), len(word) + 2]
        likes = [("word LIKE %s", f"{word[:1]}%")] + [("word LIKE %s", f"%{g}%") for g in grams]
        where.append("(" + " OR ".join(sql for sql, _p in likes) + ")")
        params += [p for _sql, p in likes]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT word FROM people_name_word WHERE {' AND '.join(where)}", params)
            known = [row[0] for row in cursor.fetchall()]
        scored = sorted(
            (-similarity(word, w), w)
            for w in known
            if TOKEN_WORD.match(w) and similarity(word, w) >= SIMILARITY_THRESHOLD
        )
        return [w for _s, w in scored[:limit]]


def _tokens() -> _Tokens:
    return _Tokens(connection.vendor)


_statistics: dict[str, tuple[float, dict[str, float], float, float]] = {}


def _token_statistics() -> tuple[dict[str, float], float, float]:
    """(token → share of people, share of a token not in the list, number of people) from
    PostgreSQL's planner statistics of the token index (refreshed by ANALYZE / autovacuum), read
    at most every ``STATISTICS_SECONDS`` per database."""
    key = connection.settings_dict.get("NAME") or ""
    cached = _statistics.get(key)
    if cached and time.monotonic() - cached[0] < STATISTICS_SECONDS:
        return cached[1], cached[2], cached[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples "
            "FROM pg_class c LEFT JOIN pg_stats s ON s.tablename = 'people_person_tokens_gin' "
            "WHERE c.relname = 'people_person'"
        )
        row = cursor.fetchone()
    frequencies: dict[str, float] = {}
    floor, total = 0.0, 0.0
    if row and row[0] and row[1]:
        elements, shares, total = row[0], list(row[1]), max(float(row[2] or 0), 0.0)
        frequencies = dict(zip(elements, shares[: len(elements)], strict=False))
        floor = shares[len(elements)] if len(shares) > len(elements) else min(shares)
    _statistics[key] = (time.monotonic(), frequencies, floor, total)
    return frequencies, floor, total


def _upper(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"


def _plain(words: Iterable[str]) -> bool:
    return all(TOKEN_WORD.match(w) for w in words)


def spelling(words: list[str]) -> dict[str, list[str] | None]:
    """The known whole words each typed word may stand for (one query; empty without the tokens)."""
    index = _tokens()
    if not index.available or not _plain(words):
        return {}
    return index.words(words)


def _given_name_hits(
    words: list[str], spelled: dict[str, list[str] | None], *, narrow: bool = False
) -> list[int] | None:
    """Ids of the people whose given name starts with the last word and whose names hold (words
    starting with) every other word: a superset of tier 3a's first part, or None when the words are
    too common or too short for the tokens to beat walking the name order."""
    index = _tokens()
    if len(words) < 2 or not index.available or not _plain(words):
        return None
    givens = spelled.get(words[-1])
    if givens is None:
        return None
    parts = []
    for other in words[:-1]:
        if spelled.get(other) is None:
            return None
        terms = [index.term(f"rg_{w}_{g}") for w in spelled[other] for g in givens]
        terms += [index.term(f"g_{g}") for g in givens if g.startswith(other)]  # the given name itself
        if not terms:
            return []
        if len(terms) > MAX_TERMS:
            return None
        parts.append(terms)
    return _capped(index, [parts], narrow=narrow)


def _capped(index: _Tokens, branches: list[list[list[str]]], *, narrow: bool = False) -> list[int] | None:
    """The ids holding every part of any branch (a branch: an AND of parts, a part: an OR of
    terms), or None when they are too many for the ids to beat walking the name order."""
    cap = CANDIDATE_CAPS.get(index.vendor, 200)
    cap = NARROW_CAPS.get(index.vendor, cap) if narrow else cap
    estimates = [index.combined_rows(parts) for parts in branches]
    if all(e is not None for e in estimates) and sum(estimates) > 2 * cap:
        return None  # surely many: walking the name order finds a page at once
    hits = index.ids(
        index.any_of([index.all_of([index.any_of(t) for t in parts]) for parts in branches]), cap + 1
    )
    return hits if len(hits) <= cap else None


def _elsewhere_branches(
    index: _Tokens, lasts: list[str], others: list[list[str]]
) -> list[list[list[str]]] | None:
    """The people holding one of ``lasts`` not as their given name, and for each of ``others`` (a
    list of the whole words it stands for) one of its words. None: too many combinations.

    SQLite: ``r_<last>`` and the words (FTS5 seeks through long lists). PostgreSQL, whose GIN index
    reads every list of an AND whole, only short lists: the given name is one of the other words
    (``g_`` and pairs), or none is (every two words among the other names: ``rr_`` pairs).
    """
    rest = [index.term(f"r_{w}") for w in lasts]
    if index.vendor != "postgresql" or not others:
        return [[rest, *([index.term(w) for w in words] for words in others)]]

    def pairs(a: list[str], b: list[str]) -> list[str]:
        return [index.term(f"rr_{min(x, y)}_{max(x, y)}" if x != y else f"r_{x}") for x in a for y in b]

    branches = []
    for i, words in enumerate(others):
        for given in words:
            branch = [[index.term(f"g_{given}")], [index.term(f"rg_{w}_{given}") for w in lasts]]
            branch += [
                [index.term(f"rg_{w}_{given}") for w in ws]
                for j, ws in enumerate(others)
                if j != i and given not in ws  # a word the given name itself satisfies
            ]
            branches.append(branch)
    chain = [lasts, *others]
    branches.append([pairs(a, b) for a, b in zip(chain, chain[1:], strict=False)])
    if len(branches) > MAX_BRANCHES or any(len(t) > MAX_TERMS for parts in branches for t in parts):
        return None
    return branches


def _elsewhere_hits(
    words: list[str], spelled: dict[str, list[str] | None], *, prefix: bool, narrow: bool = False
) -> list[int] | None:
    """Ids of the people holding every word whose last word (or a word it starts, with ``prefix``)
    is not their given name: a superset of what tier 3 adds after the given-name matches. None when
    too many (then walking the name order finds a page sooner)."""
    index = _tokens()
    if not index.available or not _plain(words):
        return None
    last = words[-1]
    lasts = spelled.get(last) if prefix else [last]
    if lasts is None:
        return None
    if not lasts:
        return []
    branches = _elsewhere_branches(index, lasts, [[w] for w in dict.fromkeys(words[:-1])])
    return None if branches is None else _capped(index, branches, narrow=narrow)


def _holding_all(words: list[str], cap: int, spelled: dict[str, list[str] | None]) -> list[int] | None:
    """Ids of people whose names hold a word starting with each of ``words``, at most ``cap``
    (None: a word stands for too many known words).

    Split on the last word: as the given name (then the pairs, short lists) or elsewhere (``r_``).
    """
    index = _tokens()
    if any(spelled.get(w) is None for w in words):
        return None
    anchor, others = words[-1], words[:-1]
    givens = spelled[anchor]
    if not givens:
        return []
    as_given = [[index.term(f"g_{g}") for g in givens]]
    for other in others:
        pairs = [index.term(f"rg_{w}_{g}") for w in spelled[other] for g in givens]
        pairs += [index.term(f"g_{g}") for g in givens if g.startswith(other)]
        if not spelled[other] or len(pairs) > MAX_TERMS:
            return [] if not spelled[other] else None
        as_given.append(pairs)
    elsewhere = _elsewhere_branches(index, givens, [spelled[o] for o in dict.fromkeys(others)]) or []
    short = [
        branch
        for branch in [as_given, *elsewhere]
        if (index.driver_rows(branch) or 0) <= DRIVER_ROWS  # candidates only: skip a long list
    ]
    if not short:
        return []
    if index.vendor == "postgresql":  # one GIN scan, each branch driven by its shortest list
        return index.ids(
            index.any_of([index.all_of([index.any_of(t) for t in parts]) for parts in short]), cap
        )
    found: dict[int, None] = {}  # FTS5 seeks best through one AND at a time
    for parts in short:
        found.update(
            dict.fromkeys(index.ids(index.all_of([index.any_of(t) for t in parts]), cap - len(found)))
        )
        if len(found) >= cap:
            break
    return list(found)


def _in_name_order(rows: QuerySet) -> QuerySet:
    """The rows of a few ids, in name order, read by id.

    Ordered by ``lower(sort_key)`` — the same order, ``sort_key`` being lower case already — which no
    index provides: the planner then reads the few ids instead of walking a province's name index
    to meet them.
    """
    return rows.order_by(Lower("sort_key"), "pk")


def given_name_matches(
    base: QuerySet,
    words: list[str],
    spelled: dict[str, list[str] | None] | None = None,
    *,
    narrow: bool = False,
) -> QuerySet:
    """Rows whose given name starts with the last word and whose names hold every other word.

    The last word typed is usually the given name ("nguyen hung", "van hoa", "lan"); ``sort_key``
    starts with the given name, so its index yields these rows in name order by a range scan. When
    the other words make the set small, the role tokens give it directly (a few ids, no walk
    through every person of that given name).
    """
    last, others = words[-1], _sort_key_words_q(words[:-1])
    hits = _given_name_hits(words, spelling(words) if spelled is None else spelled, narrow=narrow)
    if hits is None:
        return base.filter(sort_key__gte=last, sort_key__lt=_upper(last)).filter(others)
    # The same test on the few ids (a prefix test, not a range: the planner then reads them by id).
    return _in_name_order(base.filter(pk__in=hits, sort_key__startswith=last).filter(others))


def word_matches(
    base: QuerySet,
    words: list[str],
    *,
    prefix: bool = True,
    narrow: bool = False,
    spelled: dict[str, list[str] | None] | None = None,
) -> QuerySet:
    """Rows of ``base`` in which every word is a word of the names (tier 3 candidates), once the
    given-name matches (``given_name_matches``) have all been taken.

    With ``prefix`` the last word may be unfinished ("nguyen van ho" finds Hoàng); without, it must
    be whole. What is left after the given-name matches holds the last word elsewhere than as the
    given name, which the ``r_`` tokens answer in a few ids; when that is not selective, walking
    the name order (testing the names held in the index) finds a page sooner.
    """
    hits = _elsewhere_hits(
        words, spelling(words) if spelled is None else spelled, prefix=prefix, narrow=narrow
    )
    if hits is not None:
        return _in_name_order(base.filter(pk__in=hits).filter(_all_words_q(words)))
    # Walking: the other words whole, the last one too unless it may be unfinished (as the tokens).
    q = Q()
    for word in words[:-1]:
        q &= _whole_word_q("sort_key", word)
    return base.filter(
        q & (_sort_key_words_q(words[-1:]) if prefix else _whole_word_q("sort_key", words[-1]))
    )


FIELDS = ("pk", "name_folded", "search_text", "sort_key")


def fuzzy_candidates(base: QuerySet, words: list[str], *, narrow: bool = False) -> list[tuple]:
    """(pk, name_folded, search_text, sort_key) of rows of ``base`` that may be within one mistyped
    word of the query (tier 4 candidates, at most ``FUZZY_CANDIDATES``): first the people holding a
    known word close to the mistyped one and every other word, then anyone holding every word but
    one (a single word: the known words close to it)."""
    index = _tokens()
    if index.available and _plain(words):
        hits: dict[int, None] = {}
        nears = {word: index.similar_words(word) for word in dict.fromkeys(words)}
        spelled = spelling([*words, *(n for near in nears.values() for n in near)])

        def add(variant: list[str]) -> bool | None:
            found = _holding_all(variant, FUZZY_CANDIDATES + 1 - len(hits), spelled)
            if found is None:
                return None
            hits.update(dict.fromkeys(found))
            return len(hits) > FUZZY_CANDIDATES

        variants = [
            [*words[:i], near, *words[i + 1 :]]
            for i, word in enumerate(words)
            for near in nears[word]
            if near != word  # the words as typed matched nobody (tier 3)
        ]
        if len(words) > 1:
            variants += [words[:i] + words[i + 1 :] for i in range(len(words))]
        variants = [list(v) for v in dict.fromkeys(tuple(v) for v in variants)]
        broad = False
        for variant in variants:
            full = add(variant)
            broad |= full is None
            if full:
                break
        if len(words) > 1 and len(hits) <= FUZZY_CANDIDATES:
            # The given name mistyped beyond recognition: the people whose name begins with the rest.
            start = " ".join(words[:-1]) + " "
            begins = base.filter(name_folded__gte=start, name_folded__lt=_upper(start)).order_by()
            hits.update(
                dict.fromkeys(begins.values_list("pk", flat=True)[: FUZZY_CANDIDATES + 1 - len(hits)])
            )
        found = list(hits)
        rows = list(base.filter(pk__in=found[:FUZZY_CANDIDATES]).order_by().values_list(*FIELDS))
        enough = not broad or len(found) > FUZZY_CANDIDATES
        if enough and (len(found) <= FUZZY_CANDIDATES or len(rows) >= FUZZY_CANDIDATES // 10):
            return rows
        # Many hits across the country, few in the actor's areas: scan the areas instead.
    field = "sort_key" if narrow else "search_text"
    return list(base.filter(_fuzzy_q(words, field=field)).order_by().values_list(*FIELDS)[:FUZZY_CANDIDATES])


# -- similarity (as pg_trgm computes it) --------------------------------------------------------


@lru_cache(maxsize=65536)
def trigram_set(text: str) -> frozenset[str]:
    grams: set[str] = set()
    for word in text.split():
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return frozenset(grams)


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of two folded texts (0–1), like pg_trgm's similarity()."""
    left, right = trigram_set(a), trigram_set(b)
    if not left or not right:
        return 0.0
    return len(left & right) / len(left | right)


# -- ranking -------------------------------------------------------------------------------------


def ranked_ids(
    base: QuerySet, text: str, *, limit: int, offset: int = 0, narrow: bool = False
) -> tuple[list[int], bool]:
    """The ids of ``base`` matching ``text``, best first: (ids of the page, whether more follow).

    ``base`` is already scoped and filtered; an empty ``text`` lists it in name order. ``narrow``
    says that ``base`` holds a few communes only: scanning it beats the country-wide indexes.
    """
    query = parse(text)
    want = offset + limit + 1
    ordered = base.order_by("sort_key", "pk")
    if query.kind == "empty":
        ids = list(ordered.values_list("pk", flat=True)[offset : offset + limit + 1])
        return ids[:limit], len(ids) > limit
    if query.kind != "name":
        ids = list(ordered.filter(number_q(query)).values_list("pk", flat=True)[:want])
        return ids[offset : offset + limit], len(ids) > offset + limit

    found: list[int] = []
    seen: set[int] = set()

    def take(tier) -> None:
        """Add the ids of a tier (a callable giving a queryset, run only while the page is short)."""
        if len(found) >= want:
            return
        for pk in tier().values_list("pk", flat=True)[: want + len(seen)]:
            if pk not in seen:
                seen.add(pk)
                found.append(pk)
                if len(found) >= want:
                    return

    spelled: dict[str, list[str] | None] = {}

    def spelling_once() -> dict[str, list[str] | None]:
        if not spelled:
            spelled.update(spelling(query.words) or {"": None})
        return spelled

    take(lambda: ordered.filter(name_canonical=query.canonical))
    take(lambda: ordered.filter(name_folded=query.folded))
    take(lambda: given_name_matches(ordered, query.words, spelling_once(), narrow=narrow))
    take(lambda: word_matches(ordered, query.words, prefix=not found, narrow=narrow, spelled=spelling_once()))
    if not found:
        scored = []
        for pk, name, text, sort_key in fuzzy_candidates(base, query.words, narrow=narrow):
            if pk in seen:
                continue
            others = text[len(name) + 1 :].strip()
            score = max(similarity(query.folded, name), similarity(query.folded, others) if others else 0.0)
            if score >= SIMILARITY_THRESHOLD:
                scored.append((-score, sort_key, pk))
        scored.sort()
        for _score, _key, pk in scored[: want - len(found)]:
            found.append(pk)
    return found[offset : offset + limit], len(found) > offset + limit
