"""One-box search of people by name or number, ranked, fast at a million rows.

A query is either a **number** — a 12-digit personal identification number, a 9-digit old identity
card number or a record code (``91-000123``), matched exactly — or a **name**. Names are compared
through ``hoanhap.core.text``: ``fold`` (no case, no marks, đ→d, NFC/NFD alike) and ``canonical``
(marks kept, tone mark in one place), so "nguyen van hoa", "Nguyễn Văn Hoà" and "NGUYỄN VĂN HÒA"
find the same person. Results come in tiers, each tier in Vietnamese name order:

1. the canonical full name equals the query's ("Nguyễn Văn Hòa" typed with any tone placement);
2. the folded full name equals the query's ("nguyen van hoa");
3. every word of the query starts a word of the full name or other names ("van hoa", "nguyen ho"),
   those whose given name starts with the last word first;
4. when nothing above matched: trigram similarity ≥ 0.3, one word mistyped ("ngyen van hoa"),
   best first.

Tier 1 and 2 use B-tree indexes; tier 3 first walks ``sort_key`` (it begins with the given name)
from the last word typed, then looks every word up in an index on ``Person.search_text`` (the
folded names with a leading space, so " hoa" marks a word start); tier 4 scores the people who
share all words but one (or, for one word, some trigram) with the query. The indexes are, on
SQLite, an FTS5 table of whole words and an FTS5 trigram table, and on PostgreSQL a pg_trgm GIN
index (migration 0002). The caller passes the scoped queryset (``selectors``); this module never
widens it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.db import connection
from django.db.models import Q, QuerySet

from hoanhap.core.text import canonical, fold
from hoanhap.people.rules.identity import looks_like_old_id, looks_like_personal_id, normalise

RECORD_CODE = re.compile(r"^\d{2,3}-\d{1,9}$")
SIMILARITY_THRESHOLD = 0.3
# Above this many index hits, a word is common enough to be found faster by walking the name order.
SELECTIVE_LIMIT = 300
FUZZY_CANDIDATES = 300


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


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', " ") + '"'


def _trigrams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


def _uses_fts() -> bool:
    return connection.vendor == "sqlite"


def _word_q(word: str) -> Q:
    return Q(search_text__contains=" " + word)


def _all_words_q(words: Iterable[str]) -> Q:
    q = Q()
    for word in words:
        q &= _word_q(word)
    return q


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


class _WordIndex:
    """Look people up by whole words: FTS5 on SQLite, a tsvector GIN index on PostgreSQL.

    Both answer an AND of words by seeking through the rarest word's list (FTS5 doclist seeks, GIN
    "fast scan"), so a rare word among common ones costs little. ``ids`` returns at most ``cap``
    ids, in no particular order.
    """

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor

    @property
    def available(self) -> bool:
        return self.vendor in ("sqlite", "postgresql")

    def _term(self, word: str, prefix: bool = False) -> str:
        if self.vendor == "sqlite":
            return _fts_phrase(word) + ("*" if prefix else "")
        return "'" + word.replace("'", "") + "'" + (":*" if prefix else "")

    def _join(self, parts: list[str], op: str) -> str:
        sql_op = {"and": " AND ", "or": " OR "} if self.vendor == "sqlite" else {"and": " & ", "or": " | "}
        return sql_op[op].join(parts)

    def all_words(self, words: list[str], *, prefix: bool) -> str:
        """Every word, the last one possibly unfinished."""
        return self._join([*(self._term(w) for w in words[:-1]), self._term(words[-1], prefix)], "and")

    def all_but_one(self, words: list[str]) -> str:
        """All words but any one (the mistyped one)."""
        return self._join(
            [
                "(" + self._join([self._term(w) for j, w in enumerate(words) if j != i], "and") + ")"
                for i in range(len(words))
            ],
            "or",
        )

    def ids(self, expression: str, cap: int) -> list[int]:
        if self.vendor == "sqlite":
            sql = "SELECT rowid FROM people_person_words WHERE people_person_words MATCH %s LIMIT %s"
        else:
            sql = (
                "SELECT id FROM people_person WHERE to_tsvector('simple'::regconfig, search_text) "
                "@@ to_tsquery('simple'::regconfig, %s) LIMIT %s"
            )
        with connection.cursor() as cursor:
            cursor.execute(sql, [expression, cap])
            return [row[0] for row in cursor.fetchall()]


def _word_index() -> _WordIndex:
    return _WordIndex(connection.vendor)


def _grams_expression(word: str) -> str | None:
    grams = _trigrams(word)
    return " OR ".join(_fts_phrase(g) for g in grams) if grams else None


def _fts_ids(table: str, expression: str, cap: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT rowid FROM {table} WHERE {table} MATCH %s LIMIT %s", [expression, cap])
        return [row[0] for row in cursor.fetchall()]


def given_name_matches(base: QuerySet, words: list[str]) -> QuerySet:
    """Rows whose given name starts with the last word and whose names hold every other word.

    The last word typed is usually the given name ("nguyen hung", "van hoa", "lan"); ``sort_key``
    starts with the given name, so its index yields these rows in name order by a range scan.
    """
    last = words[-1]
    upper = last[:-1] + chr(ord(last[-1]) + 1)
    return base.filter(sort_key__gte=last, sort_key__lt=upper).filter(_sort_key_words_q(words[:-1]))


def word_matches(base: QuerySet, words: list[str], *, prefix: bool = True, narrow: bool = False) -> QuerySet:
    """Rows of ``base`` in which every word is a word of the names (tier 3 candidates).

    With ``prefix`` the last word may be unfinished ("nguyen van ho" finds Hoàng); without, it must
    be whole, which the index answers faster once better matches have been found. A ``narrow``
    base (communes only) is cheaper to walk than the country-wide index.
    """
    index = _word_index()
    if not index.available:
        return base.filter(_all_words_q(words))
    if narrow:
        return base.filter(_sort_key_words_q(words))
    hits = index.ids(index.all_words(words, prefix=prefix), SELECTIVE_LIMIT + 1)
    if len(hits) <= SELECTIVE_LIMIT:
        return base.filter(pk__in=hits).filter(_all_words_q(words))
    # Many rows match: walking the name order, testing the names held in the index, finds a page sooner.
    return base.filter(_sort_key_words_q(words))


FIELDS = ("pk", "name_folded", "search_text", "sort_key")


def fuzzy_candidates(base: QuerySet, words: list[str], *, narrow: bool = False) -> list[tuple]:
    """(pk, name_folded, search_text, sort_key) of rows of ``base`` that may be within one mistyped
    word of the query (tier 4 candidates, at most ``FUZZY_CANDIDATES``)."""
    index = _word_index()
    if narrow:
        # A few communes: scanning them, testing the names held in the ordering index, is cheapest.
        return list(
            base.filter(_fuzzy_q(words, field="sort_key")).order_by().values_list(*FIELDS)[:FUZZY_CANDIDATES]
        )
    hits: list[int] | None = None
    if index.available and len(words) > 1:
        hits = index.ids(index.all_but_one(words), FUZZY_CANDIDATES + 1)
    elif _uses_fts():
        expression = _grams_expression(words[0])
        hits = _fts_ids("people_person_fts", expression, FUZZY_CANDIDATES + 1) if expression else []
    if hits is not None:
        rows = list(base.filter(pk__in=hits[:FUZZY_CANDIDATES]).order_by().values_list(*FIELDS))
        if len(hits) <= FUZZY_CANDIDATES or len(rows) >= FUZZY_CANDIDATES // 10:
            return rows
        # Many hits across the country, few in the actor's areas: scan the areas instead.
    return list(base.filter(_fuzzy_q(words)).order_by().values_list(*FIELDS)[:FUZZY_CANDIDATES])


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

    take(lambda: ordered.filter(name_canonical=query.canonical))
    take(lambda: ordered.filter(name_folded=query.folded))
    take(lambda: given_name_matches(ordered, query.words))
    take(lambda: word_matches(ordered, query.words, prefix=not found, narrow=narrow))
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
