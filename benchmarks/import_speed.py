"""Import speed: preview and commit of a people file of N rows, with peak memory.

    python -m benchmarks.import_speed [--rows 10000 100000] [--row-by-row] [--undo]

Each size runs on a throwaway SQLite database, migrated with the geography loaded by one process
and measured in another (a worker never migrates), as a province officer of An Giang:
``batch_create`` + ``batch_stage`` is the preview (read, decode, try every row),
``batch_apply(commit="valid")`` the commit, ``batch_undo`` the undo (with ``--undo``). The file is a ``persons`` sheet as
officials keep it (title rows, the template's headers, one person per row with a judgment and a
release, 2 % of rows with an error, names in capitals in 10 %); peak memory is the process's
maximum resident set size (``ru_maxrss``) after each phase.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COURTS = ("TAND tỉnh An Giang", "TAND huyện Thoại Sơn", "TAND thành phố Long Xuyên", "TAND huyện Châu Thành")
OFFENCES = (
    "Trộm cắp tài sản (Điều 173 khoản 1)",
    "Trộm cắp tài sản (Điều 173 khoản 2)",
    "Tàng trữ trái phép chất ma túy (Điều 249 khoản 1)",
    "Cố ý gây thương tích (Điều 134 khoản 2)",
    "Đánh bạc (Điều 321 khoản 1)",
    "Lừa đảo chiếm đoạt tài sản (Điều 174 khoản 1)",
)
FACILITIES = ("Trại giam Định Thành", "Trại giam Cây Cày", "Trại giam Xuân Lộc")
HAMLETS = ("Ấp Đông Sơn", "Ấp Tây Bình", "Ấp Hòa Thạnh", "Khóm 3", "Ấp Phú Hữu", "Ấp Mỹ Thới")


def log(*parts) -> None:
    print(*parts, file=sys.stderr, flush=True)


def _column(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/></Relationships>'
    ),
}


def write_xlsx(path: Path, sheet_name: str, rows) -> None:
    """An .xlsx of one sheet as Excel saves one: text in the shared-strings table, numbers as numbers.

    (openpyxl's write-only mode writes every text inline: a file three times larger that takes
    calamine three times longer to parse than the files officials send, and minutes to write.)
    """
    import zipfile
    from xml.sax.saxutils import escape

    strings: dict[str, int] = {}
    out: list[str] = [""]  # the head, once the used range (``<dimension>``, as Excel writes it) is known
    number = width = 0
    for number, row in enumerate(rows, start=1):
        cells = []
        width = max(width, len(row))
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            ref = f"{_column(index)}{number}"
            if isinstance(value, int | float) and not isinstance(value, bool):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                key = strings.setdefault(str(value), len(strings))
                cells.append(f'<c r="{ref}" t="s"><v>{key}</v></c>')
        out.append(f'<row r="{number}">{"".join(cells)}</row>')
    out.append("</sheetData></worksheet>")
    out[0] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{_column(max(width, 1) - 1)}{max(number, 1)}"/><sheetData>'
    )
    shared = "".join(f'<si><t xml:space="preserve">{escape(text)}</t></si>' for text in strings)
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<sheets><sheet name="{escape(sheet_name)}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/worksheets/sheet1.xml", "".join(out))
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            f'count="{len(strings)}" uniqueCount="{len(strings)}">{shared}</sst>',
        )


def write_file(path: Path, rows: int, communes: list[str], seed: int = 2026) -> None:
    """A persons sheet of ``rows`` people (``write_xlsx``)."""
    write_xlsx(path, "persons", _sheet_rows(rows, communes, seed))


def _sheet_rows(rows: int, communes: list[str], seed: int):
    from benchmarks.person_search import make_name
    from hoanhap.imports.reading import specs

    rng = random.Random(seed)
    columns = [c for c in specs.PERSONS.columns if c.code != "record_code"]
    yield ["CÔNG AN TỈNH AN GIANG"]
    yield ["DANH SÁCH NGƯỜI CHẤP HÀNH XONG ÁN PHẠT TÙ"]
    yield []
    yield [c.header for c in columns]
    for n in range(rows):
        sex = rng.choice(("male", "female")) if rng.random() < 0.2 else "male"
        name = make_name(rng, sex)
        if rng.random() < 0.1:
            name = name.upper()
        year = rng.randint(1960, 2004)
        judged = rng.randint(2010, 2022)
        years = rng.randint(1, 6)
        values = {
            "full_name": name,
            "birth_date": f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year}",
            "sex": "Nam" if sex == "male" else "Nữ",
            "id_number": f"089{(0 if sex == 'male' else 1) + (2 if year >= 2000 else 0)}{year % 100:02d}{n:06d}",
            "ethnicity": "Kinh",
            "religion": rng.choice(("Không", "Không", "Phật giáo", "Phật giáo Hòa Hảo")),
            "address": rng.choice(HAMLETS),
            "commune": rng.choice(communes),
            "province": "An Giang",
            "court_name": rng.choice(COURTS),
            "judgment_number": f"{rng.randint(1, 300)}/{judged}/HS-ST",
            "offence_committed_on": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{judged - 1}",
            "judgment_date": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{judged}",
            "offences": rng.choice(OFFENCES),
            "main_penalty_type": "Tù có thời hạn",
            "term": f"{years} năm",
            "release_date": f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{min(judged + years, 2025)}",
            "release_kind": rng.choice(("Chấp hành xong án phạt tù",) * 4 + ("Đặc xá",)),
            "facility": rng.choice(FACILITIES),
        }
        if values["release_kind"] == "Đặc xá":
            values["amnesty_decision_number"] = f"{rng.randint(1000, 2000)}/QĐ-CTN"
            values["amnesty_decision_date"] = f"01/09/{min(judged + years, 2025)}"
        if rng.random() < 0.02:
            values["judgment_date"] = "31/02/2020"  # an error the preview names
        yield [values.get(c.code) for c in columns]
    yield []
    yield ["Người lập biểu"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_mb() -> float:
    """The resident set size now (Linux), to tell the import's growth from the set-up's."""
    try:
        with open("/proc/self/statm") as handle:
            return int(handle.read().split()[1]) * resource.getpagesize() / 2**20
    except OSError:
        return 0.0


def children_cpu_s() -> float:
    """CPU time of the child processes waited for (the reader of a big preview: ``pipeline``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pss_mb(pid: int | str) -> float:
    """A process's proportional set size (Linux): its own pages, and its share of those it shares."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children() -> list[str]:
    found = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as handle:
                found += handle.read().split()
        except OSError:
            pass
    return found


def _pss_total() -> float:
    return sum(_pss_mb(pid) for pid in _children()) + _pss_mb("self")


class PssPeak:
    """The highest sum of this process's and its children's proportional set sizes, sampled every
    100 ms while running: a forked child shares this process's pages, so adding up the two resident
    set sizes would count those twice."""

    def __init__(self) -> None:
        import threading

        self.peak = 0.0
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self.stopped.wait(0.1):
            # Two readings, the lower kept: a child forked or gone between reading it and reading
            # this process moves shared pages from one sum to the other (counted twice, once).
            self.peak = max(self.peak, min(_pss_total(), _pss_total()))

    def __enter__(self) -> PssPeak:
        if os.path.exists("/proc/self/smaps_rollup"):
            self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        if self.thread.is_alive():
            self.thread.join()


def _trace_top(label: str, limit: int = 12) -> None:
    """The lines holding the most memory still allocated since tracing started (``--trace``)."""
    import tracemalloc

    if not tracemalloc.is_tracing():
        return
    stats = tracemalloc.take_snapshot().statistics("lineno")
    log(f"-- {label}: {sum(s.size for s in stats) / 2**20:.1f} MB held, top lines:")
    for stat in stats[:limit]:
        log(f"   {stat.size / 2**20:7.1f} MB {stat.count:>8} blocks  {stat.traceback[0]}")


def _timed(module, name: str) -> dict:
    """Wrap ``module.name`` to add up the CPU time spent in it (the preview's reading, apart)."""
    spent = {"cpu": 0.0}
    original = getattr(module, name)

    def wrapper(*args, **kwargs):
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent["cpu"] += time.process_time() - started

    setattr(module, name, wrapper)
    return spent


class _Profiler:
    """cProfile around each phase when asked (``--profile PREFIX``); nothing otherwise."""

    def __init__(self, prefix: Path | None):
        self.prefix = prefix
        self.current = None

    def start(self) -> None:
        if self.prefix is not None:
            import cProfile

            self.current = cProfile.Profile()
            self.current.enable()

    def stop(self, phase: str) -> None:
        if self.current is not None:
            self.current.disable()
            self.current.dump_stats(f"{self.prefix}-{phase}.prof")
            self.current = None


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def set_up(rows: int, work: Path) -> dict:
    """Migrate a fresh database, load the geography, write the file and the officer (own process).

    Done apart from the measured process, as a worker never migrates: the peak memory of the
    measured process is then Django and the import alone.
    """
    _django()
    from django.core.management import call_command

    from hoanhap.access.roles import Role
    from hoanhap.core.testing import make_user
    from hoanhap.geo.loader import load_geo
    from hoanhap.geo.models import Commune

    call_command("migrate", verbosity=0)
    load_geo()
    communes = list(Commune.objects.filter(province_id=91).order_by("code").values_list("name", flat=True))
    path = work / f"persons-{rows}.xlsx"
    started = time.perf_counter()
    write_file(path, rows, communes)
    written = time.perf_counter() - started
    make_user(Role.PROVINCE_OFFICER, province=91, username="bench.officer")
    return {"rows": rows, "file_mb": round(path.stat().st_size / 2**20, 1), "write_s": round(written, 1)}


def run_here(
    rows: int,
    work: Path,
    row_by_row: bool = False,
    trace: bool = False,
    profile: Path | None = None,
    preview_only: bool = False,
    undo: bool = False,
    one_process: bool = False,
) -> dict:
    """Preview and commit the file ``set_up`` wrote; the figures as a dict.

    ``row_by_row``: every row through the kind's adapter (the bulk path switched off), to compare.
    ``trace``: report (on stderr) the lines holding the most memory after each phase (slower).
    ``profile``: write each phase's cProfile statistics to ``profile``-preview / -commit (slower).
    ``preview_only``: stop after the preview.
    ``undo``: then undo the import as a whole.
    ``one_process``: no reader process (``pipeline``): this one reads the file, then tries its rows.
    """
    _django()
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from hoanhap.audit import context
    from hoanhap.imports import bulk, loading, services

    if one_process:
        from django.conf import settings

        settings.HOANHAP_IMPORT_READER_PROCESS = False
    if row_by_row:
        bulk.Planner.plan = lambda self, row, values: None

    path = work / f"persons-{rows}.xlsx"
    officer = get_user_model().objects.get(username="bench.officer")
    result: dict = {}
    from hoanhap.geo.tables import get_tables

    get_tables()  # the geography in memory: built once per process, whatever it imports
    reverse("people:person-list")  # the URL patterns, loaded once per process too
    result["start_rss_mb"] = round(current_mb())
    if trace:
        import tracemalloc

        tracemalloc.start()
    profiler = _Profiler(profile)
    reading = _timed(loading, "read_rows")
    with context.acting(user=officer, source=context.SOURCE_WEB):
        started, cpu, child_cpu = time.perf_counter(), time.process_time(), children_cpu_s()
        profiler.start()
        with PssPeak() as pss:
            with path.open("rb") as handle:
                batch = services.batch_create(
                    actor=officer, file=handle, file_name=path.name, kinds=["persons"]
                )
            services.batch_stage(batch, actor=officer)
        profiler.stop("preview")
        result["preview_s"] = round(time.perf_counter() - started, 1)
        result["preview_cpu_s"] = round(time.process_time() - cpu, 1)
        result["preview_read_cpu_s"] = round(reading["cpu"], 1)
        result["preview_reader_cpu_s"] = round(children_cpu_s() - child_cpu, 1)
        result["preview_peak_mb"] = round(peak_mb())
        result["preview_pss_peak_mb"] = round(pss.peak)
        result["preview_end_rss_mb"] = round(current_mb())
        _trace_top("after the preview")
        batch.refresh_from_db()
        result["errors"] = batch.failed
        if preview_only:
            return result
        started, cpu = time.perf_counter(), time.process_time()
        profiler.start()
        counts = services.batch_apply(batch, actor=officer, commit="valid")
        profiler.stop("commit")
        result["commit_s"] = round(time.perf_counter() - started, 1)
        result["commit_cpu_s"] = round(time.process_time() - cpu, 1)
        result["commit_peak_mb"] = round(peak_mb())
        result["commit_end_rss_mb"] = round(current_mb())
        _trace_top("after the commit")
        result["created"] = counts.created
        result["skipped"] = counts.skipped
        result["failed"] = counts.failed
        if undo:
            batch.refresh_from_db()
            started, cpu = time.perf_counter(), time.process_time()
            services.batch_undo(batch, actor=officer)
            result["undo_s"] = round(time.perf_counter() - started, 1)
            result["undo_cpu_s"] = round(time.process_time() - cpu, 1)
            result["undo_peak_mb"] = round(peak_mb())
    return result


def bench_env(work: Path) -> dict:
    """The environment of a step: its own directory and SQLite database."""
    return {
        **os.environ,
        "HOANHAP_VAR_DIR": str(work),
        "HOANHAP_DATABASE_URL": f"sqlite:///{work}/bench.sqlite3",
    }


def _run(arguments: list[str], env: dict, show_stderr: bool = False) -> dict | None:
    """One step in its own process; its JSON line, or None (its stderr shown) when it failed."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_speed", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0 or show_stderr:
        log(done.stderr)
    if done.returncode != 0:
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--here", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--set-up", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--row-by-row", action="store_true", help="switch the bulk path off, to compare")
    parser.add_argument("--trace", action="store_true", help="the lines holding most memory (tracemalloc)")
    parser.add_argument("--preview-only", action="store_true", help="stop after the preview")
    parser.add_argument("--undo", action="store_true", help="then undo the import (its time and memory)")
    parser.add_argument(
        "--one-process",
        action="store_true",
        help="no reader process: read the file, then try the rows (HOANHAP_IMPORT_READER_PROCESS=false)",
    )
    parser.add_argument(
        "--profile", type=Path, help="write cProfile statistics to PROFILE-preview/-commit.prof"
    )
    args = parser.parse_args(argv)
    if args.set_up:
        print(json.dumps(set_up(args.rows[0], Path(os.environ["HOANHAP_VAR_DIR"]))))
        return 0
    if args.here:
        work = Path(os.environ["HOANHAP_VAR_DIR"])
        print(
            json.dumps(
                run_here(
                    args.rows[0],
                    work,
                    args.row_by_row,
                    args.trace,
                    args.profile,
                    args.preview_only,
                    args.undo,
                    args.one_process,
                )
            )
        )
        return 0
    results = []
    for rows in args.rows:
        with tempfile.TemporaryDirectory(prefix="hn-import-bench-") as tmp:
            env = bench_env(Path(tmp))
            log(f"== {rows:,} rows (load average {os.getloadavg()[0]:.1f})")
            prepared = _run(["--set-up", "--rows", str(rows)], env)
            measured = _run(
                [
                    "--here",
                    "--rows",
                    str(rows),
                    *(["--row-by-row"] if args.row_by_row else []),
                    *(["--trace"] if args.trace else []),
                    *(["--preview-only"] if args.preview_only else []),
                    *(["--undo"] if args.undo else []),
                    *(["--one-process"] if args.one_process else []),
                    *(["--profile", str(args.profile.resolve())] if args.profile else []),
                ],
                env,
                show_stderr=args.trace,
            )
            if prepared is None or measured is None:
                return 1
            result = {**prepared, **measured}
            result["load_average"] = round(os.getloadavg()[0], 1)
            log(json.dumps(result))
            results.append(result)
    print(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
