"""Tier 4 of the name search: one word mistyped ("ngyen van hoa"), found by trigram similarity.

Runs only when no tier before it matched. Candidates are the people in scope holding a known word
close to the mistyped one in its place and every other word: first those whose folded name is the
corrected one (the folded-name index: a common name, "Nguyễn Văn Hòa", 5,000 people at a million,
has token lists too long to read), then, while those are fewer than a page, the role tokens' hits
(other names, other orders); then (a second statement, only when
those are too few for a page) anyone holding every word but one, and the people whose name begins
with every word but the last (the given name mistyped beyond recognition). At most
``FUZZY_CANDIDATES`` of each statement are scored: those of the closest words first, then the most
similar names (see ``FUZZY_HITS``).

Statements: the close known words of every typed word (one), the candidates with their names (one,
sometimes two; on SQLite the corrected names and the token hits are read apart, the second only if
need be), and a scan of the actor's areas only when the word list cannot answer (a word too short
to stand for few known words) or its hits lie mostly outside the areas.
"""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from django.db import connection

from hoanhap.people import search_tokens as tok
from hoanhap.people.search_sql import (
    FALSE,
    Cond,
    People,
    all_of,
    any_of,
    column,
    fetch,
    in_range,
    like,
)

SIMILARITY_THRESHOLD = 0.3
# Hits read per variant (country-wide), and rows of the people in scope scored per statement: those
# of the closest words first, then the most similar names (PostgreSQL: pg_trgm's similarity(), the
# score itself; SQLite: the length closest to the query's, a rougher guide, so more rows), then in
# name order.
FUZZY_HITS = 300
FUZZY_CANDIDATES = {"postgresql": 100, "sqlite": 300}
NEAR_WORDS = 3

Row = tuple[int, str, str, str]  # (pk, name_folded, search_text, sort_key)
ROW_COLUMNS = ", ".join(column(c) for c in ("id", "name_folded", "search_text", "sort_key"))


# -- similarity (as pg_trgm computes it) --------------------------------------------------------


def trigrams(text: str) -> frozenset[str]:
    """pg_trgm's trigrams: of each word padded with two spaces before and one after.

    Worked out on the words joined by three spaces, in one pass (twice as fast as word by word: an
    import compares each row's name with every person of its year and commune), less the trigrams
    only the joins make: three spaces, and a word's last letter followed by two.
    """
    words = text.split()
    joined = "  " + "   ".join(words) + " "
    grams = {joined[i : i + 3] for i in range(len(joined) - 2)}
    grams.discard("   ")
    for word in words:
        grams.discard(word[-1] + "  ")
    return frozenset(grams)


# ≈ 2 KB each: a bound on memory, enough for a search. An import, which compares thousands of names
# once or twice each, keeps its own sets a chunk at a time (``imports.bulk.planning``).
trigram_set = lru_cache(maxsize=16384)(trigrams)


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of two folded texts (0–1), like pg_trgm's similarity()."""
    return set_similarity(trigram_set(a), trigram_set(b))


def set_similarity(left: frozenset[str], right: Collection[str]) -> float:
    """``similarity`` of two texts' ``trigram_set``s (a caller comparing one name with many keeps
    their sets: an import compares each row with every person of its year and commune; it may keep
    the others' as tuples of distinct trigrams, smaller)."""
    if not left or not right:
        return 0.0
    shared = len(left.intersection(right))
    return shared / (len(left) + len(right) - shared)


def _trigrams(word: str) -> list[str]:
    return [word[i : i + 3] for i in range(len(word) - 2)]


# -- candidates ----------------------------------------------------------------------------------


def similar_words(words: list[str], limit: int = NEAR_WORDS) -> dict[str, list[str]]:
    """For each word, the known words closest to it (trigram similarity at least the threshold),
    best first: one query for all the words."""
    parts, params = [], []
    for word in dict.fromkeys(words):
        likes = [f"{word[:1]}%"] + [f"%{g}%" for g in _trigrams(word)]
        parts.append(
            "SELECT %s, word FROM people_name_word WHERE length(word) BETWEEN %s AND %s AND ("
            + " OR ".join(["word LIKE %s"] * len(likes))
            + ")"
        )
        params += [word, max(1, len(word) - 2), len(word) + 2, *likes]
    known: dict[str, list[str]] = {w: [] for w in words}
    for word, candidate in fetch(" UNION ALL ".join(parts), params) if parts else []:
        known[word].append(candidate)
    nears = {}
    for word, candidates in known.items():
        scored = sorted(
            (-similarity(word, w), w)
            for w in candidates
            if tok.TOKEN_WORD.match(w) and similarity(word, w) >= SIMILARITY_THRESHOLD
        )
        nears[word] = [w for _s, w in scored[:limit]]
    return nears


def _cap() -> int:
    return FUZZY_CANDIDATES.get(connection.vendor, max(FUZZY_CANDIDATES.values()))


def _closest(folded: str) -> Cond:
    """An ORDER BY term putting the names most similar to ``folded`` first (see ``FUZZY_HITS``)."""
    name = column("name_folded")
    if connection.vendor == "postgresql":
        return Cond(f"similarity({name}, %s) DESC", (folded,))
    return Cond(f"abs(length({name}) - {len(folded)})")


def _candidates(
    people: People, variants: list[tuple[list[str], str]], begins: Cond, folded: str, want: int = 0
) -> tuple[list[Row], bool]:
    """Rows of the people in scope holding a variant of the query — the people whose folded name is
    the variant's (an index range: how the common names, whose token lists are too long to read,
    are found), and the hits of its token expressions, read only while the names give fewer than
    ``want`` people in scope — the best variant first; and of those meeting ``begins``: at most
    ``_cap()`` of each (see ``FUZZY_HITS``). Also whether a part had more hits (country-wide) than
    were read."""
    index = tok.tokens()
    cap, id_ = _cap(), column("id")
    names, probes = [], []
    for v, (expressions, name) in enumerate(variants):
        if name:
            names.append(
                (v, f"SELECT id FROM people_person WHERE name_folded = %s LIMIT {FUZZY_HITS + 1}", [name])
            )
        probes += [(v, *index.hits_sql(expression, FUZZY_HITS + 1)) for expression in expressions]
    ctes: list[tuple[str, list]] = []
    # PostgreSQL reads a GIN list whole: skipped when the names suffice. (SQLite's FTS5 probes cost a
    # millisecond, and given the same constant test it took 0.7 s.)
    gated = bool(names and probes and want) and connection.vendor == "postgresql"
    if names:
        ctes.append(
            (
                "names AS ("
                + " UNION ALL ".join(_part(n, v, sql) for n, (v, sql, _p) in enumerate(names))
                + ")",
                [p for _v, _sql, ps in names for p in ps],
            )
        )
    if gated:
        sql, p = people.select(
            "count(*) AS k", Cond(f"names.id = {id_}"), from_=f"names CROSS JOIN {people.from_}"
        )
        ctes.append((f"gate AS ({sql})", list(p)))
    if names or probes:
        gate = f" WHERE (SELECT k FROM gate) < {int(want)}" if gated else ""
        selects_c = ["SELECT * FROM names"] if names else []
        selects_c += [_part(len(names) + n, v, sql) + gate for n, (v, sql, _p) in enumerate(probes)]
        ctes.append((f"c AS ({' UNION ALL '.join(selects_c)})", [p for _v, _sql, ps in probes for p in ps]))
    selects: list[tuple[str, tuple]] = []
    if names or probes:
        closest = _closest(folded)
        page_sql, page_params = people.select(
            f"min(c.v), {ROW_COLUMNS}",
            Cond(f"c.id = {id_}"),
            from_=f"c CROSS JOIN {people.from_}",  # the few hits first (SQLite keeps this order)
            group=id_,  # the other columns depend on the id
            order=f"1, {closest.sql}, lower({column('sort_key')}), {id_}",
            limit=cap,
        )
        selects.append((f"SELECT * FROM ({page_sql}) AS r", (*page_params, *closest.params)))
    if begins is not FALSE:
        sql, p = people.select(f"{len(variants)}, {ROW_COLUMNS}", begins, limit=cap)
        selects.append((f"SELECT * FROM ({sql}) AS b", p))
    if names or probes:
        # Hits read per part, tagged -1 - n (the count in the id column: both integers). Last:
        # SQLite, given it first, once took 0.7 s over the same plan.
        selects.append(("SELECT -1 - n, count(*), NULL, NULL, NULL FROM c GROUP BY n", ()))
    if not selects:
        return [], False
    sql = " UNION ALL ".join(s for s, _p in selects)
    if ctes:
        sql = "WITH " + ", ".join(c for c, _p in ctes) + " " + sql
    rows = fetch(sql, [*(p for _c, ps in ctes for p in ps), *(p for _s, ps in selects for p in ps)])
    saturated = any(r[0] < 0 and r[1] > FUZZY_HITS for r in rows)
    return [tuple(r[1:]) for r in rows if r[0] >= 0], saturated


def _part(n: int, v: int, sql: str) -> str:
    return f"SELECT {v} AS v, {n} AS n, id FROM ({sql}) AS c{n}"


def _scan_q(words: list[str], field: str) -> Cond:
    """All words but one start a word of ``field``; the remaining one shares a trigram (or is any
    word if short): the candidates of a scan of the actor's areas."""

    def has(text: str) -> Cond:
        return like(field, "contains", text)

    def starts(word: str) -> Cond:
        return has(" " + word) | (like(field, "startswith", word) if field == "sort_key" else FALSE)

    if len(words) == 1:
        return any_of(has(g) for g in _trigrams(words[0]) or [words[0]])
    branches = []
    for i, word in enumerate(words):
        others = all_of(starts(o) for o in words[:i] + words[i + 1 :])
        grams = _trigrams(word)
        branches.append(others & any_of(has(g) for g in grams) if grams else others)
    return any_of(branches)


def fuzzy_candidates(
    people: People, words: list[str], spelled: tok.Spelled, *, folded: str, want: int, narrow: bool = False
) -> list[Row]:
    """Rows of the people in scope that may be within one mistyped word of the query (see the
    module docstring); ``spelled``: the known words each typed word starts (from the first
    statement of the search)."""
    cap = _cap()
    if tok.tokens().available and tok.plain(words):
        nears = similar_words(words)
        # A close word stands for itself: a whole known word, not a prefix.
        spelled = {**{n: [n] for near in nears.values() for n in near}, **spelled}
        variants = [
            [*words[:i], near, *words[i + 1 :]]
            for i, word in enumerate(words)
            for near in nears[word]
            if near != word  # the words as typed matched nobody (tier 3)
        ]
        probes = [tok.holding_all(v, spelled) for v in variants]
        broad = any(p is None for p in probes)
        names = [([], " ".join(v)) for v in variants]
        if connection.vendor == "postgresql":  # the tokens read in the same statement, if need be
            sources = [(p or [], name) for p, (_e, name) in zip(probes, names, strict=True)]
            rows, saturated = _candidates(people, sources, FALSE, folded, want)
        else:  # the same order in two statements (see ``_candidates``)
            rows, saturated = _candidates(people, names, FALSE, folded)
            if not _scored(rows, folded, want):
                more, more_saturated = _candidates(people, [(p or [], "") for p in probes], FALSE, folded)
                rows, saturated = rows + more, saturated or more_saturated
        if not broad and len({r[0] for r in rows}) >= want and _scored(rows, folded, want):
            return rows
        if len(words) > 1:
            drops = [words[:i] + words[i + 1 :] for i in range(len(words))]
            drops = [list(v) for v in dict.fromkeys(tuple(v) for v in drops)]
            more = [tok.holding_all(v, spelled) for v in drops]
            broad |= any(p is None for p in more)
            start = " ".join(words[:-1]) + " "  # the given name mistyped beyond recognition
            extra, saturated_more = _candidates(
                people, [(p, "") for p in more if p], in_range("name_folded", start, tok.upper(start)), folded
            )
            rows, saturated = rows + extra, saturated or saturated_more
        enough = not broad or saturated
        if enough and (not saturated or len(rows) >= cap // 10):
            return rows
        # A word too short for the word list, or many hits across the country and few in the
        # actor's areas: scan the areas instead.
    cond = _scan_q(words, "sort_key" if narrow else "search_text")
    if cond is FALSE:
        return []
    return fetch(*people.select(ROW_COLUMNS, cond, limit=cap))


def _scored(rows: list[Row], folded: str, want: int) -> bool:
    """Whether ``rows`` hold at least ``want`` people similar enough to ``folded``."""
    return sum(1 for row in rows if score(folded, row) >= SIMILARITY_THRESHOLD) >= want


@lru_cache(maxsize=4096)
def score(folded: str, row: Row) -> float:
    """The similarity of the query to the full name or, if closer, the other names."""
    _pk, name, text, _key = row
    others = text[len(name) + 1 :].strip()
    return max(similarity(folded, name), similarity(folded, others) if others else 0.0)


def ranked(rows: list[Row], folded: str, seen: set[int]) -> list[int]:
    """The ids of the similar rows, best first, then in name order."""
    scored, done = [], set(seen)
    for row in rows:
        if row[0] in done:
            continue
        done.add(row[0])
        value = score(folded, row)
        if value >= SIMILARITY_THRESHOLD:
            scored.append((-value, row[3], row[0]))
    scored.sort()
    return [pk for _s, _k, pk in scored]
