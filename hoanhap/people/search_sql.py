"""The scoped people of a search as SQL text, and the page rows read in one statement.

Every tier of ``search`` is a condition added to the same scoped, filtered people. Compiling that
queryset through the ORM again for each tier cost as much as running the tier (about a millisecond
a statement; the profile of the 1M benchmark showed it as a third of a search), so ``People``
compiles it **once per search** and the tiers are written as SQL conditions (``Cond``) on it, with
the same lookups the ORM would emit (``LIKE`` through ``connection.operators``, so the plans are
unchanged). Several tiers can then share one statement (``UNION ALL`` of ordered, limited parts).

``page_rows`` reads the people of a page with their province and commune in one statement built
once per process. On PostgreSQL the units are joined ``LATERAL`` (one index probe each): with a
plain join the planner hashed all 3,321 communes for 20 people, 2–3 ms of every search.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import QuerySet

from hoanhap.geo.models import Commune, Province
from hoanhap.people.models import Person


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def column(name: str) -> str:
    """A column of the people table, qualified (the scoped SQL may join other tables)."""
    return f"{_quote(Person._meta.db_table)}.{_quote(name)}"


@dataclass(frozen=True)
class Cond:
    """A SQL condition and its parameters; ``TRUE`` (no condition) and ``FALSE`` combine as expected."""

    sql: str
    params: tuple = ()

    def __and__(self, other: Cond) -> Cond:
        if self is FALSE or other is FALSE:
            return FALSE
        if not self.sql or not other.sql:
            return other if not self.sql else self
        return Cond(f"{self.sql} AND {other.sql}", self.params + other.params)

    def __or__(self, other: Cond) -> Cond:
        if not self.sql or not other.sql:
            return TRUE
        if self is FALSE or other is FALSE:
            return other if self is FALSE else self
        return Cond(f"({self.sql} OR {other.sql})", self.params + other.params)


TRUE = Cond("")
FALSE = Cond("1 = 0")


def all_of(conds: Iterable[Cond]) -> Cond:
    result = TRUE
    for cond in conds:
        result &= cond
    return result


def any_of(conds: Iterable[Cond]) -> Cond:
    result = FALSE
    for cond in conds:
        result |= cond
    return result


def equals(name: str, value) -> Cond:
    return Cond(f"{column(name)} = %s", (value,))


def in_range(name: str, low: str, high: str) -> Cond:
    """``low <= name < high`` (a prefix as a range: an index range scan)."""
    return Cond(f"{column(name)} >= %s AND {column(name)} < %s", (low, high))


_PATTERNS = {"startswith": "%s%%", "contains": "%%%s%%", "endswith": "%%%s"}


def like(name: str, lookup: str, text: str, *, unindexed: bool = False) -> Cond:
    """``name__<lookup>=text`` exactly as the ORM writes it (cast, operator, escaping).

    ``unindexed``: the same test on ``lower(name)`` (the name columns are lower case already), which
    no index serves, for a test on a few known ids: the planner then reads them by id instead of
    walking a name index (PostgreSQL estimates a prefix of the names as one row).
    """
    target = f"lower({column(name)})" if unindexed else column(name)
    lhs = connection.ops.lookup_cast(lookup, "CharField") % target
    rhs = connection.operators[lookup] % "%s"
    return Cond(f"{lhs} {rhs}", (_PATTERNS[lookup] % connection.ops.prep_for_like_query(text),))


NAME_ORDER = f"{column('sort_key')}, {column('id')}"
# The same order (sort_key is lower case already) that no index gives: a few known ids are then read
# by id, instead of the planner walking a province's name index to meet them.
BY_ID_ORDER = f"lower({column('sort_key')}), {column('id')}"


def _PREFIXES() -> tuple[str, ...]:  # noqa: N802
    """How the ORM begins ``values_list("pk")`` of the people (with or without the alias)."""
    return (f"SELECT {column('id')} AS {_quote('pk')} FROM ", f"SELECT {column('id')} FROM ")


class People:
    """The people of ``base`` (scoped and filtered) as ``FROM … WHERE …`` SQL, compiled once.

    ``select`` adds a condition, an order and a limit. An empty ``base`` (no grant) is ``empty``;
    a ``base`` whose SQL is not a plain filter of the people table (grouped, distinct…) is used as
    a subquery of ids, slower but right.
    """

    def __init__(self, base: QuerySet) -> None:
        self.empty = False
        query = base.order_by().values_list("pk").query
        try:
            sql, params = query.get_compiler(using=base.db).as_sql()
        except EmptyResultSet:
            self.empty, sql, params = True, "", ()
        head, has_where, where = sql.partition(" WHERE ")
        prefix = next((p for p in _PREFIXES() if head.startswith(p)), None)
        plain = not (query.distinct or query.group_by or query.combinator or query.is_sliced)
        if self.empty or (plain and prefix):
            self.from_ = head[len(prefix or "") :]
            self.scope = Cond(f"({where})" if has_where else "", tuple(params))
        else:
            self.from_ = _quote(Person._meta.db_table)
            self.scope = Cond(f"{column('id')} IN ({sql})", tuple(params))

    def select(
        self,
        columns: str,
        cond: Cond = TRUE,
        *,
        order: str = "",
        limit: int | None = None,
        offset: int = 0,
        from_: str | None = None,
        group: str = "",
    ) -> tuple[str, tuple]:
        """The SQL of ``SELECT columns`` from the people in scope meeting ``cond``."""
        where = self.scope & cond
        sql = f"SELECT {columns} FROM {from_ or self.from_}"
        if where.sql:
            sql += f" WHERE {where.sql}"
        if group:
            sql += f" GROUP BY {group}"
        if order:
            sql += f" ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return sql, where.params

    def ids(self, cond: Cond = TRUE, *, order: str = NAME_ORDER, limit: int, offset: int = 0) -> list[int]:
        if self.empty or cond is FALSE:
            return []
        return [
            row[0] for row in fetch(*self.select(column("id"), cond, order=order, limit=limit, offset=offset))
        ]


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def union(parts: Sequence[tuple[str, Sequence]], order: str = "") -> tuple[str, tuple]:
    """``UNION ALL`` of ``parts`` (each wrapped, so it may keep its own ORDER BY and LIMIT)."""
    sql = " UNION ALL ".join(f"SELECT * FROM ({part}) AS u{i}" for i, (part, _p) in enumerate(parts))
    if order:
        sql += f" ORDER BY {order}"
    return sql, tuple(p for _sql, params in parts for p in params)


# -- the page rows -------------------------------------------------------------------------------


class _Reader:
    """Every concrete column of a model, and the converters the ORM would apply to each."""

    def __init__(self, model, alias: str, db) -> None:
        self.model = model
        fields = model._meta.concrete_fields
        self.columns = [f"{alias}.{_quote(f.column)}" for f in fields]
        self.converters = []
        for i, field in enumerate(fields):
            col = field.get_col(alias)
            found = db.ops.get_db_converters(col) + col.get_db_converters(db)
            if found:
                self.converters.append((i, col, found))

    def build(self, values: Sequence, db):
        if self.converters:
            values = list(values)
            for i, col, converters in self.converters:
                for converter in converters:
                    values[i] = converter(values[i], col, db)
        return self.model.from_db(db.alias, None, values)


@cache
def _page_reader(vendor: str, alias: str) -> tuple[str, _Reader, _Reader, _Reader]:
    db = connections[alias]
    person, province, commune = (
        _Reader(Person, "p", db),
        _Reader(Province, "pr", db),
        _Reader(Commune, "c", db),
    )
    table = _quote(Person._meta.db_table)
    pk = _quote(Person._meta.pk.column)
    province_fk = _quote(Person._meta.get_field("province").column)
    commune_fk = _quote(Person._meta.get_field("commune").column)
    units = {
        "pr": (_quote(Province._meta.db_table), _quote(Province._meta.pk.column), province_fk, province),
        "c": (_quote(Commune._meta.db_table), _quote(Commune._meta.pk.column), commune_fk, commune),
    }
    joins = []
    for alias_, (unit_table, unit_pk, fk, reader) in units.items():
        if vendor == "postgresql":  # one index probe per row, never a hash of the whole table
            inner = ", ".join(f"{_quote(f.column)}" for f in reader.model._meta.concrete_fields)
            joins.append(
                f"LEFT JOIN LATERAL (SELECT {inner} FROM {unit_table} WHERE {unit_pk} = p.{fk} LIMIT 1) "
                f"AS {alias_} ON TRUE"
            )
        else:
            joins.append(f"LEFT JOIN {unit_table} AS {alias_} ON {alias_}.{unit_pk} = p.{fk}")
    columns = ", ".join(person.columns + province.columns + commune.columns)
    sql = f"SELECT {columns} FROM {table} AS p {' '.join(joins)} WHERE p.{pk} "
    return sql, person, province, commune


def page_rows(ids: Sequence[int]) -> list[Person]:
    """The people of ``ids``, in that order, with ``province`` and ``commune`` loaded (one query; on
    SQLite one per 999 ids).

    The units of a page are shared by the people holding them (built once each).
    """
    if not ids:
        return []
    db = connections[DEFAULT_DB_ALIAS]
    head, person, province, commune = _page_reader(db.vendor, db.alias)
    if db.vendor == "postgresql":
        statements = [(head + "= ANY(%s)", [list(ids)])]
    else:  # a list of parameters, in batches the database accepts (an export holds thousands)
        size = db.features.max_query_params or len(ids)
        batches = [list(ids[i : i + size]) for i in range(0, len(ids), size)]
        statements = [(head + f"IN ({', '.join(['%s'] * len(batch))})", batch) for batch in batches]
    n_person, n_province = len(person.columns), len(province.columns)
    province_field = Person._meta.get_field("province")
    commune_field = Person._meta.get_field("commune")
    found, units = {}, {}

    def unit(reader: _Reader, values: Sequence):
        if values[0] is None:
            return None
        key = (reader.model, values[0])
        if key not in units:
            units[key] = reader.build(values, db)
        return units[key]

    for row in (row for sql, params in statements for row in fetch(sql, params)):
        obj = person.build(row[:n_person], db)
        province_field.set_cached_value(obj, unit(province, row[n_person : n_person + n_province]))
        commune_field.set_cached_value(obj, unit(commune, row[n_person + n_province :]))
        found[obj.pk] = obj
    return [found[pk] for pk in ids if pk in found]
