"""The role tokens and word list of migration 0005: which people a few words can only be.

Per person the index holds every folded word, ``g_<given name>``, ``r_<word>`` for each other word
(family, middle, other names) and ``rg_<word>_<given name>`` pairs (PostgreSQL also ``rr_<a>_<b>``
for every two other words). An AND of tokens is answered by seeking through the shortest list
(FTS5 doclist seeks, GIN "fast scan"); pairs and ``r_`` tokens are short lists even when every word
is common ("le" and "phong" are; "le as another name of a Phong" is not).

The functions here write the token **expressions** (``Probe``: an expression and the most hits
worth reading); ``search`` runs them inside the statement that also filters, orders and limits the
people (``hits_sql``), so a probe costs no statement of its own. ``people_name_word`` turns a typed
prefix into whole words (``spelling``, read in the first statement of a search).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection

# Above this many token hits, the words are common enough to be found faster by walking the name order:
# every hit is a table row read (SQLite 1M: 700 hits 4-10 ms, a walk of the same people 0.2 ms).
CANDIDATE_CAPS = {"sqlite": 300, "postgresql": 200}
# A few communes: walking them beats reading (a table row per id) many ids of the country.
NARROW_CAPS = {"sqlite": 100, "postgresql": 100}
# A typed prefix standing for more known words than this (one or two letters) is walked, not expanded.
VOCABULARY_CAP = 40
MAX_TERMS = 120
MAX_BRANCHES = 12
# PostgreSQL, similar names: a candidate list whose shortest list holds more people than this is skipped.
DRIVER_ROWS = 5000
STATISTICS_SECONDS = 600
TOKEN_WORD = re.compile(r"^[a-z0-9]+$")

Spelled = dict[str, "list[str] | None"]


@dataclass(frozen=True)
class Probe:
    """A token expression and the most hits worth reading (more: walk the name order instead).
    An empty expression: nobody can match."""

    expression: str
    cap: int


class _Tokens:
    """SQL of the token index: SQLite FTS5 ``people_person_tokens`` / PostgreSQL GIN."""

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

    def hits_sql(self, expression: str, limit: int) -> tuple[str, list]:
        """``SELECT id`` of at most ``limit`` people matching ``expression``, in no particular order."""
        if self.vendor == "sqlite":
            sql = "SELECT rowid AS id FROM people_person_tokens WHERE people_person_tokens MATCH %s"
        else:
            sql = "SELECT id FROM people_person WHERE people_search_tokens(name_folded, search_text) @@ %s::tsquery"
        return f"{sql} LIMIT {int(limit)}", [expression]

    def ids(self, expression: str, limit: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(*self.hits_sql(expression, limit))
            return [row[0] for row in cursor.fetchall()]

    def words_sql(
        self, prefixes: Iterable[str], cap: int = VOCABULARY_CAP, columns: str = "%s, word"
    ) -> list[tuple[str, list]]:
        """Per prefix, ``SELECT columns`` (the prefix as the one parameter, ``word``) of the first
        ``cap + 1`` known words starting with it."""
        where = "FROM people_name_word WHERE word >= %s AND word < %s ORDER BY word"
        return [
            (f"SELECT {columns} {where} LIMIT {cap + 1}", [p, p, upper(p)]) for p in dict.fromkeys(prefixes)
        ]


def tokens() -> _Tokens:
    return _Tokens(connection.vendor)


def spelled_from(
    prefixes: Iterable[str], rows: Iterable[tuple[str, str]], cap: int = VOCABULARY_CAP
) -> Spelled:
    """For each prefix, its known words from ``(prefix, word)`` rows (None: more than ``cap`` or not
    all plain letters and digits)."""
    found: dict[str, list[str]] = {p: [] for p in prefixes}
    for prefix, word in rows:
        found[prefix].append(word)
    return {p: (None if len(ws) > cap or not plain(ws) else sorted(ws)) for p, ws in found.items()}


def spelling(words: list[str]) -> Spelled:
    """The known whole words each typed word may stand for (one query; empty without the tokens)."""
    index = tokens()
    if not index.available or not plain(words) or not words:
        return {}
    parts = index.words_sql(words)
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) AS w{i}" for i, (part, _p) in enumerate(parts))
    with connection.cursor() as cursor:
        cursor.execute(sql, [p for _part, params in parts for p in params])
        return spelled_from(dict.fromkeys(words), cursor.fetchall())


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


def upper(prefix: str) -> str:
    """The smallest string above every string starting with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1) if prefix else "\U0010ffff"


def plain(words: Iterable[str]) -> bool:
    return all(TOKEN_WORD.match(w) for w in words)


def _cap(index: _Tokens, narrow: bool) -> int:
    cap = CANDIDATE_CAPS.get(index.vendor, 200)
    return NARROW_CAPS.get(index.vendor, cap) if narrow else cap


def _capped(index: _Tokens, branches: list[list[list[str]]], *, narrow: bool = False) -> Probe | None:
    """The probe of the people holding every part of any branch (a branch: an AND of parts, a part:
    an OR of terms), or None when the statistics say they are surely too many to beat the walk."""
    cap = _cap(index, narrow)
    estimates = [index.combined_rows(parts) for parts in branches]
    if all(e is not None for e in estimates) and sum(estimates) > 2 * cap:
        return None  # surely many: walking the name order finds a page at once
    return Probe(index.any_of([index.all_of([index.any_of(t) for t in parts]) for parts in branches]), cap)


def given_name_probe(words: list[str], spelled: Spelled, *, narrow: bool = False) -> Probe | None:
    """The people whose given name starts with the last word and whose names hold (words starting
    with) every other word: a superset of tier 3's first part. None when the words are too common or
    too short for the tokens to beat walking the name order."""
    index = tokens()
    if len(words) < 2 or not index.available or not plain(words):
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
            return Probe("", 0)
        if len(terms) > MAX_TERMS:
            return None
        parts.append(terms)
    return _capped(index, [parts], narrow=narrow)


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


def elsewhere_probe(
    words: list[str], spelled: Spelled, *, prefix: bool, narrow: bool = False
) -> Probe | None:
    """The people holding every word whose last word (or a word it starts, with ``prefix``) is not
    their given name: a superset of what tier 3 adds after the given-name matches. None when too
    many (then walking the name order finds a page sooner)."""
    index = tokens()
    if not index.available or not plain(words):
        return None
    last = words[-1]
    lasts = spelled.get(last) if prefix else [last]
    if lasts is None:
        return None
    if not lasts:
        return Probe("", 0)
    branches = _elsewhere_branches(index, lasts, [[w] for w in dict.fromkeys(words[:-1])])
    return None if branches is None else _capped(index, branches, narrow=narrow)


def holding_all(words: list[str], spelled: Spelled) -> list[str] | None:
    """Expressions for the people whose names hold a word starting with each of ``words`` (None: a
    word stands for too many known words; empty: nobody). PostgreSQL: one expression (one GIN scan,
    each branch driven by its shortest list); SQLite: one per branch (FTS5 seeks best through one
    AND at a time).

    Split on the last word: as the given name (then the pairs, short lists) or elsewhere (``r_``).
    Branches whose shortest list is long (PostgreSQL statistics) are skipped: candidates only.
    """
    index = tokens()
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
    short = [branch for branch in [as_given, *elsewhere] if (index.driver_rows(branch) or 0) <= DRIVER_ROWS]
    expressions = [index.all_of([index.any_of(t) for t in parts]) for parts in short]
    if index.vendor == "postgresql" and expressions:
        return [index.any_of(expressions)]
    return expressions


# -- the probes run on their own (tests, tools) ---------------------------------------------------


def _run(probe: Probe | None) -> list[int] | None:
    if probe is None:
        return None
    if not probe.expression:
        return []
    hits = tokens().ids(probe.expression, probe.cap + 1)
    return hits if len(hits) <= probe.cap else None


def given_name_hits(words: list[str], spelled: Spelled, *, narrow: bool = False) -> list[int] | None:
    """Ids of ``given_name_probe`` (any area), or None when too many."""
    return _run(given_name_probe(words, spelled, narrow=narrow))


def elsewhere_hits(
    words: list[str], spelled: Spelled, *, prefix: bool, narrow: bool = False
) -> list[int] | None:
    """Ids of ``elsewhere_probe`` (any area), or None when too many."""
    return _run(elsewhere_probe(words, spelled, prefix=prefix, narrow=narrow))
