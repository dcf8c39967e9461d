"""Person search at scale: fill a throwaway database with N people, run ~200 varied queries, report p50/p95.

    python -m benchmarks.person_search [--people 1000000] [--queries 200] [--backend sqlite|postgres|both]
                                       [--repeat N]

SQLite runs on a file under a temporary directory; PostgreSQL on a throwaway cluster started by
``scripts/with_postgres.py`` (skipped when the server binaries are missing). Nothing touches the
project's own database. People get realistic Vietnamese names (family names weighted by their
frequency, middle and given names by sex); about 90% live in province 91 (An Giang), the rest
across the country. Queries run through ``selectors.person_search`` exactly as the list page and
the command do, acting as a province officer of An Giang (and some as a commune officer).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

FAMILY = [
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Huỳnh", 30),
    ("Hoàng", 20),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 19),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Trương", 6),
    ("Đinh", 5),
    ("Lâm", 5),
    ("Mai", 4),
    ("Tô", 3),
    ("Châu", 3),
    ("Thạch", 3),
    ("Danh", 3),
    ("Lưu", 3),
    ("Quách", 2),
    ("Kim", 2),
    ("Chau", 2),
    ("Sơn", 2),
    ("La", 1),
]
MIDDLE = {
    "male": [
        "Văn",
        "Văn",
        "Văn",
        "Hữu",
        "Đức",
        "Minh",
        "Thành",
        "Quốc",
        "Công",
        "Thanh",
        "Ngọc",
        "Hoàng",
        "Tấn",
        "Chí",
    ],
    "female": ["Thị", "Thị", "Thị", "Ngọc", "Thu", "Kim", "Mỹ", "Thanh", "Bích", "Hồng", "Diễm", "Thúy"],
}
GIVEN = {
    "male": [
        "Hòa",
        "Bình",
        "Hùng",
        "Dũng",
        "Tuấn",
        "Hải",
        "Nam",
        "Phúc",
        "Tài",
        "Khánh",
        "Long",
        "Sơn",
        "Thắng",
        "Toàn",
        "Quang",
        "Huy",
        "Minh",
        "Tâm",
        "Thành",
        "Tú",
        "Trung",
        "Vinh",
        "Phong",
        "Hiếu",
        "Lộc",
        "Nghĩa",
        "Cường",
        "Đạt",
        "Quý",
        "Thủy",
        "Hoàng",
        "Khoa",
        "Lâm",
        "Tín",
        "Nhân",
        "An",
        "Út",
        "Tư",
        "Sáu",
        "Bảy",
    ],
    "female": [
        "Hoa",
        "Lan",
        "Hương",
        "Mai",
        "Hằng",
        "Linh",
        "Trang",
        "Thảo",
        "Ngọc",
        "Phương",
        "Nhung",
        "Loan",
        "Hạnh",
        "Huệ",
        "Thủy",
        "Xuân",
        "Yến",
        "Vân",
        "Tuyết",
        "Diệu",
        "Hòa",
        "Liên",
        "Nga",
        "Oanh",
        "Út",
    ],
}
SQLITE_INDEXES = ("people_person_fts", "people_person_words")  # FTS5 tables of migration people 0002
PG_TOKEN_INDEX = (  # migration people 0005
    "CREATE INDEX people_person_tokens_gin ON people_person USING gin (people_search_tokens(name_folded, search_text))"
)


def token_statements():
    """The role tokens and word list of migration people 0005 (SQLite triggers and fill)."""
    import importlib

    return importlib.import_module("hoanhap.people.migrations.0005_search_tokens")


OLD_TONES = {"Hòa": "Hoà", "Thủy": "Thuỷ", "Thúy": "Thuý", "Quý": "Quí", "Hoàng": "Hoàng"}


def log(*parts) -> None:
    print(*parts, flush=True)


# -- data -------------------------------------------------------------------------------------------


def make_name(rng: random.Random, sex: str) -> str:
    family = rng.choices([f for f, _w in FAMILY], weights=[w for _f, w in FAMILY])[0]
    words = [family, rng.choice(MIDDLE[sex])]
    if rng.random() < 0.25:
        words.append(rng.choice(MIDDLE[sex]))
    words.append(rng.choice(GIVEN[sex]))
    return " ".join(words)


def fill(n: int, seed: int = 2026) -> dict:
    """Insert ``n`` people with bulk_create (search index rebuilt once at the end)."""
    from django.db import connection, transaction

    from hoanhap.core.text import canonical, fold
    from hoanhap.geo.models import Commune
    from hoanhap.people.ethnicities import KINH
    from hoanhap.people.models import Person, RecordSequence, format_record_code, search_text_of, sort_key_of
    from hoanhap.people.rules.identity import PROVINCE_CODES, century_digit

    rng = random.Random(seed)
    communes_91 = list(Commune.objects.filter(province_id=91).values_list("code", flat=True))
    others = list(Commune.objects.exclude(province_id=91).values_list("code", "province_id"))
    birth_codes = ["089", "091", "089", "091", "092", "087", "079", *sorted(PROVINCE_CODES)]
    keys = lru_cache(maxsize=None)(
        lambda name: (fold(name), canonical(name), sort_key_of(name), search_text_of(name))
    )
    statuses = list(Person.Status.values)
    vendor = connection.vendor
    tokens = token_statements()
    if vendor == "sqlite":
        with connection.cursor() as c:
            for table in SQLITE_INDEXES:
                c.execute(f"DROP TRIGGER IF EXISTS {table}_ai")
            c.execute("DROP TRIGGER IF EXISTS people_person_tokens_ai")
            c.execute("DROP TRIGGER IF EXISTS people_name_word_ai")
    elif vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("DROP INDEX IF EXISTS people_person_search_trgm")
            c.execute("DROP INDEX IF EXISTS people_person_tokens_gin")
            c.execute("ALTER TABLE people_person DISABLE TRIGGER people_name_word_ai")
    sequences: dict[int, int] = {}
    batch: list[Person] = []
    started = time.perf_counter()
    for i in range(n):
        sex = "male" if rng.random() < 0.88 else "female"
        name = make_name(rng, sex)
        folded, canon, sort_key, text = keys(name)
        if rng.random() < 0.9:
            province, commune = 91, rng.choice(communes_91)
        else:
            commune, province = rng.choice(others)
        if rng.random() < 0.08:
            commune = None
        number = sequences.get(province, 0) + 1
        sequences[province] = number
        year = rng.randint(1955, 2006)
        serial = i  # six digits for up to a million rows
        personal_id = (
            f"{rng.choice(birth_codes)}{century_digit(sex, year)}{year % 100:02d}{serial:06d}"
            if rng.random() < 0.8
            else None
        )
        batch.append(
            Person(
                record_code=format_record_code(province, number),
                full_name=name,
                sex=sex,
                birth_year=year,
                birth_month=rng.choice([None, rng.randint(1, 12)]),
                ethnicity=KINH if rng.random() < 0.9 else rng.choice([5, 6, 14]),
                personal_id=personal_id,
                province_id=province,
                commune_id=commune,
                status=rng.choice(statuses) if commune else "in_prison",
                classification=rng.choice(["", "A", "B", "C", "D"]),
                name_folded=folded,
                name_canonical=canon,
                sort_key=sort_key,
                search_text=text,
            )
        )
        if len(batch) == 5000:
            with transaction.atomic():
                Person.objects.bulk_create(batch)
            batch = []
            if (i + 1) % 100_000 == 0:
                log(f"  {i + 1:>9,} people  {time.perf_counter() - started:6.1f} s")
    if batch:
        with transaction.atomic():
            Person.objects.bulk_create(batch)
    RecordSequence.objects.bulk_create(
        [RecordSequence(province_id=p, last_number=v) for p, v in sequences.items()]
    )
    loaded = time.perf_counter() - started
    index_started = time.perf_counter()
    with connection.cursor() as c:
        if vendor == "sqlite":
            for table in SQLITE_INDEXES:
                c.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")
                c.execute(
                    f"CREATE TRIGGER {table}_ai AFTER INSERT ON people_person BEGIN "
                    f"INSERT INTO {table}(rowid, search_text) VALUES (new.id, new.search_text); END"
                )
            for statement in tokens.SQLITE_FILL:
                c.execute(statement)
            for name in ("people_person_tokens_ai", "people_name_word_ai"):
                c.execute(f"CREATE TRIGGER {name} {tokens.SQLITE_TRIGGERS[name]}")
            c.execute("ANALYZE")
        elif vendor == "postgresql":
            c.execute(
                "CREATE INDEX people_person_search_trgm ON people_person USING gin (search_text gin_trgm_ops)"
            )
            c.execute(PG_TOKEN_INDEX)
            c.execute(tokens.POSTGRES_WORD_FILL)
            c.execute("ALTER TABLE people_person ENABLE TRIGGER people_name_word_ai")
    if vendor == "postgresql":  # as autovacuum would: statistics and the visibility map (index-only scans)
        with connection.cursor() as c:
            c.execute("VACUUM ANALYZE people_person")
    return {"load_s": round(loaded, 1), "index_s": round(time.perf_counter() - index_started, 1)}


# -- queries ----------------------------------------------------------------------------------------


def typo(rng: random.Random, name: str) -> str:
    from hoanhap.core.text import fold

    words = fold(name).split()
    i = rng.randrange(len(words))
    word = words[i]
    if len(word) > 2:
        j = rng.randrange(len(word))
        word = word[:j] + word[j + 1 :] if rng.random() < 0.5 else word[:j] + word[j] + word[j:]
    words[i] = word
    return " ".join(words)


def make_queries(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    """(kind, actor key, text) tuples: names in every spelling, partial names, typos and numbers."""
    import unicodedata

    from hoanhap.core.text import fold
    from hoanhap.people.models import Person

    rng = random.Random(seed)
    # The same people on every run over the same data (ORDER BY RANDOM() would change the mix).
    low, high = (
        Person.objects.order_by("pk").values_list("pk", flat=True).first() or 0,
        Person.objects.count(),
    )
    picked = rng.sample(range(low, low + high), min(high, 4000))
    rows = Person.objects.filter(pk__in=picked, province_id=91, commune__isnull=False).values_list(
        "pk", "full_name", "personal_id", "record_code", "commune_id"
    )
    by_pk = {pk: rest for pk, *rest in rows}
    sample = [by_pk[pk] for pk in picked if pk in by_pk][:400]
    queries: list[tuple[str, str, str]] = []
    plan = [
        ("exact", 0.25),
        ("folded", 0.15),
        ("upper_nfd_old_tone", 0.1),
        ("partial", 0.12),
        ("given_only", 0.05),
        ("typo", 0.1),
        ("personal_id", 0.1),
        ("record_code", 0.05),
        ("commune_officer", 0.08),
    ]
    for kind, share in plan:
        for _ in range(max(1, round(count * share))):
            name, pid, code, commune = rng.choice(sample)
            if kind == "exact":
                queries.append((kind, "province", name))
            elif kind == "folded":
                queries.append((kind, "province", fold(name)))
            elif kind == "upper_nfd_old_tone":
                text = name
                for new, old in OLD_TONES.items():
                    text = text.replace(new, old)
                queries.append((kind, "province", unicodedata.normalize("NFD", text.upper())))
            elif kind == "partial":
                words = fold(name).split()
                queries.append(
                    (kind, "province", " ".join([words[0], words[-1]] if rng.random() < 0.5 else words[-2:]))
                )
            elif kind == "given_only":
                queries.append((kind, "province", name.split()[-1]))
            elif kind == "typo":
                queries.append((kind, "province", typo(rng, name)))
            elif kind == "personal_id":
                queries.append((kind, "province", pid or "091085000001"))
            elif kind == "record_code":
                queries.append((kind, "province", code))
            else:
                queries.append((kind, f"commune:{commune}", fold(name)))
    rng.shuffle(queries)
    return queries[:count]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def measure(queries: list[tuple[str, str, str]], repeat: int = 1) -> dict:
    from hoanhap.access.models import User
    from hoanhap.access.roles import Role
    from hoanhap.core.testing import make_user
    from hoanhap.people import selectors

    User.objects.filter(username__startswith="bench.").delete()
    province = make_user(Role.PROVINCE_OFFICER, province=91, username="bench.province")
    officers: dict[str, object] = {}

    def actor(key: str):
        if key == "province":
            return province
        if key not in officers:
            officers[key] = make_user(
                Role.COMMUNE_OFFICER, commune=int(key.split(":")[1]), username=f"bench.{key[8:]}"
            )
        return officers[key]

    for _kind, key, text in queries[:20]:  # warm caches and the statistics
        selectors.person_search(actor=actor(key), q=text, limit=20)
    timings: dict[str, list[float]] = {}
    statements: dict[str, list[int]] = {}
    found = 0
    load_before = os.getloadavg()[0]
    for kind, key, text in queries:
        who = actor(key)
        with CountStatements() as counted:  # one run apart, so that counting costs no timed run
            selectors.person_search(actor=who, q=text, limit=20)
        statements.setdefault(kind, []).append(counted.count)
        elapsed = float("inf")
        for _ in range(repeat):  # the fastest of ``repeat`` runs: other jobs' noise filtered out
            started = time.perf_counter()
            page = selectors.person_search(actor=who, q=text, limit=20)
            elapsed = min(elapsed, (time.perf_counter() - started) * 1000)
        found += bool(page.people)
        timings.setdefault(kind, []).append(elapsed)
    every = [t for ts in timings.values() for t in ts]
    return {
        "queries": len(every),
        "with_results": found,
        "load_avg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "p50_ms": round(percentile(every, 50), 1),
        "p95_ms": round(percentile(every, 95), 1),
        "max_ms": round(max(every), 1),
        "statements_mean": round(sum(map(sum, statements.values())) / len(every), 2),
        "by_kind": {
            k: {
                "n": len(v),
                "p50_ms": round(percentile(v, 50), 1),
                "p95_ms": round(percentile(v, 95), 1),
                "statements": [min(statements[k]), max(statements[k])],
            }
            for k, v in sorted(timings.items())
        },
    }


class CountStatements:
    """Counts the SQL statements run inside the block (Django's execute wrapper)."""

    def __enter__(self):
        from django.db import connection

        self.count = 0
        self._wrapping = connection.execute_wrapper(self)
        self._wrapping.__enter__()
        return self

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __exit__(self, *exc):
        self._wrapping.__exit__(*exc)


# -- runs -------------------------------------------------------------------------------------------


def ensure_postgres_database(url: str) -> None:
    """The throwaway cluster starts with no database of the project's name: create it."""
    if not url.startswith(("postgres://", "postgresql://")):
        return
    import psycopg

    base, _slash, name = url.rpartition("/")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def run_here(people: int, queries: int, repeat: int = 1) -> dict:
    """Migrate the database named by HOANHAP_DATABASE_URL, fill it and measure (one backend)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    ensure_postgres_database(os.environ.get("HOANHAP_DATABASE_URL", ""))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from hoanhap.geo.loader import load_geo

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    load_geo()
    from hoanhap.people.models import Person

    if Person.objects.exists():  # a kept database (--backend here): measure again without refilling
        timing: dict = {"load_s": None, "index_s": None}
        people = Person.objects.count()
    else:
        ready = time.perf_counter() - started
        log(f"[{connection.vendor}] schema and geography ready in {ready:.1f} s; filling {people:,} people")
        timing = fill(people)
    result = {
        "backend": connection.vendor,
        "people": people,
        "repeat": repeat,
        **timing,
        **measure(make_queries(queries), repeat),
    }
    log(json.dumps(result, ensure_ascii=False))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both", "here"], default="both")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="time each query N times and keep the fastest (a shared machine)",
    )
    args = parser.parse_args(argv)
    if args.backend == "here":
        run_here(args.people, args.queries, args.repeat)
        return 0
    status = 0
    common = [
        sys.executable,
        "-m",
        "benchmarks.person_search",
        "--people",
        str(args.people),
        "--queries",
        str(args.queries),
        "--backend",
        "here",
        "--repeat",
        str(args.repeat),
    ]
    if args.backend in ("sqlite", "both"):
        with tempfile.TemporaryDirectory(prefix="hoanhap-bench-") as tmp:
            env = {
                **os.environ,
                "HOANHAP_DATABASE_URL": f"sqlite:///{tmp}/bench.sqlite3",
                "HOANHAP_VAR_DIR": tmp,
            }
            status |= subprocess.call(common, cwd=ROOT, env=env)
    if args.backend in ("postgres", "both"):
        with tempfile.TemporaryDirectory(prefix="hoanhap-bench-") as tmp:
            env = {**os.environ, "HOANHAP_VAR_DIR": tmp}
            status |= subprocess.call(
                [sys.executable, "scripts/with_postgres.py", "--", *common], cwd=ROOT, env=env
            )
    return status


if __name__ == "__main__":
    sys.exit(main())
