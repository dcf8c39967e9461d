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
   best first (``search_typos``).

How it stays fast: the scoped queryset is compiled to SQL once (``search_sql.People``) and every
tier is a condition on it, so a search costs few, cheap statements:

* the **first statement** answers tiers 1 and 2 (B-tree indexes in name order) and reads, from
  ``people_name_word``, the known words each typed word starts. A typed word that starts no known
  word cannot match tiers 1–3: the search goes straight to tier 4;
* tier 3 asks the **role tokens** of migration 0005 (``search_tokens``: SQLite FTS5 / PostgreSQL
  GIN) for the few people a rare name can be, inside the statement that filters and orders them;
  when the tokens say the matches are many, walking the ``sort_key`` index (given name first)
  finds a page at once;
* the page rows are read with their units in one statement (``search_sql.page_rows``).

A name whose exact tiers fill the page costs two statements, a number two, a partial name three
or four, a typo three to six (``benchmarks/README.md``). The caller passes the scoped queryset
(``selectors``); this module never widens it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import QuerySet

from hoanhap.core.text import canonical, fold
from hoanhap.people import search_tokens as tok
from hoanhap.people import search_typos
from hoanhap.people.rules.identity import looks_like_old_id, looks_like_personal_id, normalise
from hoanhap.people.search_sql import (
    BY_ID_ORDER,
    NAME_ORDER,
    Cond,
    People,
    all_of,
    column,
    equals,
    fetch,
    in_range,
    like,
    page_rows,
    union,
)

# ``ranked_ids`` looks ``fuzzy_candidates`` up here (a test replaces it); ``selectors`` scores probable
# duplicates with ``similarity``.
from hoanhap.people.search_typos import (  # noqa: F401
    SIMILARITY_THRESHOLD,
    fuzzy_candidates,
    set_similarity,
    similarity,
    trigram_set,
    trigrams,
)

RECORD_CODE = re.compile(r"^\d{2,3}-\d{1,9}$")


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


def number_cond(query: ParsedQuery) -> Cond:
    name = {"personal_id": "personal_id", "old_id": "old_id_number"}.get(query.kind, "record_code")
    return equals(name, query.number)


# -- word tests on the name columns ----------------------------------------------------------------


def _starts_a_word(name: str, word: str, *, unindexed: bool = False) -> Cond:
    """``word`` starts a word of ``name`` (space-separated words)."""
    return like(name, "startswith", word, unindexed=unindexed) | like(
        name, "contains", " " + word, unindexed=unindexed
    )


def _whole_word(name: str, word: str) -> Cond:
    """``word`` is a whole word of ``name`` (space-separated words)."""
    return (
        equals(name, word)
        | like(name, "startswith", word + " ")
        | like(name, "contains", f" {word} ")
        | like(name, "endswith", " " + word)
    )


# -- the tiers -------------------------------------------------------------------------------------


def exact_and_spelling(people: People, query: ParsedQuery, want: int) -> tuple[list[int], tok.Spelled]:
    """Tiers 1 and 2 (ids in order) and the known words each typed word starts: one statement.

    The name indexes hold ``sort_key`` (and, on PostgreSQL, the id: migration 0007), so each tier
    reads a page in name order and stops. Tier 2 holds tier 1's people too (their folded name is the
    query's): of its first ``want`` rows at most as many as tier 1 found are repeats, so the page is
    complete either way.
    """
    id_, key = column("id"), column("sort_key")
    parts = [
        people.select(f"{tier}, {id_}, {key}, NULL", equals(name, value), order=NAME_ORDER, limit=want)
        for tier, name, value in ((1, "name_canonical", query.canonical), (2, "name_folded", query.folded))
    ]
    spell = tok.tokens().available and tok.plain(query.words)
    if spell:
        parts += tok.tokens().words_sql(query.words, columns="3, CAST(NULL AS BIGINT), %s, word")
    rows = fetch(*union(parts, order="1, 3, 4, 2"))
    exact = [row[1] for row in rows if row[0] < 3]
    spelled = (
        tok.spelled_from(dict.fromkeys(query.words), ((r[2], r[3]) for r in rows if r[0] == 3))
        if spell
        else {}
    )
    return exact, spelled


def _probe_ids(people: People, probe: tok.Probe, cond: Cond, *, limit: int) -> list[int] | None:
    """The people in scope among the token hits of ``probe`` meeting ``cond``, in name order (one
    statement: the hits, counted, then filtered); None when the hits exceed the probe's cap."""
    if not probe.expression:
        return []
    hits_sql, hits_params = tok.tokens().hits_sql(probe.expression, probe.cap + 1)
    id_ = column("id")
    # Too many hits: no id is looked up (a constant test on the list), the caller walks the name order.
    # PostgreSQL, estimating one hit, would walk the name index to meet them; an array is read by id.
    hits = f"SELECT id FROM hits WHERE (SELECT count(*) FROM hits) <= {int(probe.cap)}"
    among_hits = Cond(
        f"{id_} = ANY(ARRAY({hits}))" if connection.vendor == "postgresql" else f"{id_} IN ({hits})"
    )
    page_sql, page_params = people.select(
        f"1, {id_}, lower({column('sort_key')})",
        among_hits & cond,
        order=BY_ID_ORDER,
        limit=limit,
    )
    # The count last: SQLite, given it first, once took 0.7 s over the same plan.
    sql = (
        f"WITH hits AS ({hits_sql}) SELECT * FROM ({page_sql}) AS page "
        f"UNION ALL SELECT 0, count(*), NULL FROM hits ORDER BY 1, 3, 2"
    )
    rows = fetch(sql, [*hits_params, *page_params])
    if rows[0][1] > probe.cap:
        return None
    return [row[1] for row in rows[1:]]


def given_name_matches(
    people: People, words: list[str], spelled: tok.Spelled, *, limit: int, narrow: bool = False
) -> list[int]:
    """Ids of the people whose given name starts with the last word and whose names hold every
    other word, in name order.

    The last word typed is usually the given name ("nguyen hung", "van hoa", "lan"); ``sort_key``
    starts with the given name, so its index yields these people in name order by a range scan.
    When the other words make the set small, the role tokens name them (a few ids, no walk through
    every person of that given name of a province).
    """
    last = words[-1]
    # A few communes: the given name's range of their name index is short, walking it beats any probe.
    probe = None if narrow else tok.given_name_probe(words, spelled)
    if probe is not None:
        # The same test on the few hits, that no index serves: the planner then reads them by id.
        test = like("sort_key", "startswith", last, unindexed=True)
        test &= all_of(_starts_a_word("sort_key", w, unindexed=True) for w in words[:-1])
        found = _probe_ids(people, probe, test, limit=limit)
        if found is not None:
            return found
    others = all_of(_starts_a_word("sort_key", w) for w in words[:-1])
    return people.ids(in_range("sort_key", last, tok.upper(last)) & others, limit=limit)


def word_matches(
    people: People,
    words: list[str],
    spelled: tok.Spelled,
    *,
    limit: int,
    prefix: bool = True,
    narrow: bool = False,
) -> list[int]:
    """Ids of the people in whom every word is a word of the names (tier 3), once the given-name
    matches (``given_name_matches``) have all been taken.

    With ``prefix`` the last word may be unfinished ("nguyen van ho" finds Hoàng); without, it must
    be whole. What is left after the given-name matches holds the last word elsewhere than as the
    given name, which the ``r_`` tokens answer in a few ids; when that is not selective, walking
    the name order (testing the names held in the index) finds a page sooner.
    """
    probe = tok.elsewhere_probe(words, spelled, prefix=prefix, narrow=narrow)
    if probe is not None:
        every = all_of(like("search_text", "contains", " " + w, unindexed=True) for w in words)
        found = _probe_ids(people, probe, every, limit=limit)
        if found is not None:
            return found
    # Walking: the other words whole, the last one too unless it may be unfinished (as the tokens).
    last = _starts_a_word("sort_key", words[-1]) if prefix else _whole_word("sort_key", words[-1])
    return people.ids(all_of(_whole_word("sort_key", w) for w in words[:-1]) & last, limit=limit)


def ranked_ids(
    base: QuerySet, text: str, *, limit: int, offset: int = 0, narrow: bool = False
) -> tuple[list[int], bool]:
    """The ids of ``base`` matching ``text``, best first: (ids of the page, whether more follow).

    ``base`` is already scoped and filtered; an empty ``text`` lists it in name order. ``narrow``
    says that ``base`` holds a few communes only: scanning it beats the country-wide indexes.
    """
    query = parse(text)
    people = People(base)
    if people.empty:
        return [], False
    want = offset + limit + 1
    if query.kind == "empty":
        ids = people.ids(limit=limit + 1, offset=offset)
        return ids[:limit], len(ids) > limit
    if query.kind != "name":
        ids = people.ids(number_cond(query), limit=want)
        return ids[offset : offset + limit], len(ids) > offset + limit

    found: list[int] = []
    seen: set[int] = set()

    def take(ids: list[int]) -> None:
        for pk in ids:
            if len(found) >= want:
                return
            if pk not in seen:
                seen.add(pk)
                found.append(pk)

    words = query.words
    exact, spelled = exact_and_spelling(people, query, want)
    take(exact)
    # A word that starts no known word matches nobody in tiers 1-3 (every word of every name is known).
    possible = not any(spelled.get(w) == [] for w in words)
    if len(found) < want and possible:
        take(given_name_matches(people, words, spelled, limit=want + len(seen), narrow=narrow))
    if len(found) < want and possible:
        take(word_matches(people, words, spelled, limit=want + len(seen), prefix=not found, narrow=narrow))
    if not found:
        rows = fuzzy_candidates(people, words, spelled, folded=query.folded, want=want, narrow=narrow)
        take(search_typos.ranked(rows, query.folded, seen))
    return found[offset : offset + limit], len(found) > offset + limit


__all__ = [
    "ParsedQuery",
    "page_rows",
    "parse",
    "ranked_ids",
    "set_similarity",
    "similarity",
    "trigram_set",
    "trigrams",
]
