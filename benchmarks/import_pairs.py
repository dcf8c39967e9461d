"""Import speed of this code against another revision, both measured at the same time.

    python -m benchmarks.import_pairs --against REV [--rows 20000] [--times 3] [--preview-only]

On a shared machine one run varies by ± 20 % from one minute to the next, CPU time included:
runs one after the other cannot show a change of a few per cent. Here the other revision is
checked out beside this one (a git worktree), each sets up its own database with its own
migrations (``import_speed --set-up``), both read the same file, and the two measured processes
(``import_speed --here``) run together, one per core (each reads, then tries, in its one process),
``--times`` times: each pair meets the same machine. Two processes share the processor's cache and memory bandwidth, so a pair's times are
higher than a run alone; the difference between the two is what they measure.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.import_speed import ROOT, bench_env, log

FIGURES = ("preview_s", "preview_cpu_s", "preview_peak_mb", "commit_s", "commit_cpu_s", "commit_peak_mb")


def _step(tree: Path, work: Path, arguments: list[str]) -> subprocess.Popen:
    """``import_speed`` run from ``tree``'s code (its own ``hoanhap`` comes first on the path)."""
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.import_speed", *arguments],
        cwd=tree,
        # One process each (no reader process, ``imports.pipeline``): the two share the two cores.
        env={**bench_env(work), "PYTHONPATH": str(tree), "HOANHAP_IMPORT_READER_PROCESS": "false"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _result(process: subprocess.Popen) -> dict:
    out, err = process.communicate()
    if process.returncode != 0:
        raise RuntimeError(err.strip().splitlines()[-1] if err.strip() else f"exit {process.returncode}")
    return json.loads(out.strip().splitlines()[-1])


def pairs(against: str, rows: int, times: int, preview_only: bool) -> dict[str, list[dict]]:
    """``times`` runs of each code, side by side; the figures of each run by code."""
    found: dict[str, list[dict]] = {"this": [], against: []}
    with tempfile.TemporaryDirectory(prefix="hn-import-pairs-") as tmp:
        base = Path(tmp)
        trees = {"this": ROOT, against: base / "other"}
        labels = {"this": "this", against: "other"}  # directory names (a revision may hold a "/")
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(trees[against]), against],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        try:
            ready = {}
            for code, tree in trees.items():
                ready[code] = base / f"{labels[code]}-ready"
                ready[code].mkdir()
                _result(_step(tree, ready[code], ["--set-up", "--rows", str(rows)]))
            name = f"persons-{rows}.xlsx"  # both read the file this code wrote
            shutil.copy(ready["this"] / name, ready[against] / name)
            for turn in range(times):
                running = {}
                for code, tree in trees.items():
                    work = base / f"run-{turn}-{labels[code]}"
                    shutil.copytree(ready[code], work)
                    arguments = ["--here", "--rows", str(rows), *(["--preview-only"] if preview_only else [])]
                    running[code] = (_step(tree, work, arguments), work)
                for code, (process, work) in running.items():
                    found[code].append(_result(process))
                    shutil.rmtree(work)
                log(json.dumps({code: {f: runs[-1].get(f) for f in FIGURES} for code, runs in found.items()}))
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(trees[against])],
                cwd=ROOT,
                check=False,
                capture_output=True,
            )
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", required=True, help="the other revision (a commit, a tag, a branch)")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--times", type=int, default=3)
    parser.add_argument("--preview-only", action="store_true", help="stop after the preview")
    args = parser.parse_args(argv)
    log(f"== {args.rows:,} rows, this code and {args.against}, {args.times} pairs run at the same time")
    found = pairs(args.against, args.rows, args.times, args.preview_only)
    summary = {code: {f: [r[f] for r in runs if f in r] for f in FIGURES} for code, runs in found.items()}
    lines = [f"  {json.dumps(code)}: {json.dumps(figures)}" for code, figures in summary.items()]
    print("{\n" + ",\n".join(lines) + "\n}")  # JSON, a line per code
    return 0


if __name__ == "__main__":
    sys.exit(main())
