"""Run every benchmark: ``python -m benchmarks [--people N]`` (see benchmarks/README.md)."""

from __future__ import annotations

import sys

from benchmarks import person_search


def main(argv: list[str]) -> int:
    return person_search.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
