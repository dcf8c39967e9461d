"""The ``hoanhap`` console script: every Django management command plus the domain commands.

Two conventions hold for every command:

* ``--user USERNAME`` (anywhere on the line) makes the command act as that user, with that user's
  areas; without it the command acts as the system actor, which sees every area. Either way its
  reads and writes are audited under that actor.
* Command names may be written with hyphens (``load-geo``) or underscores (``load_geo``).
"""

import os
import sys


def _split_actor(argv: list[str]) -> tuple[list[str], str | None]:
    """Remove ``--user NAME`` / ``--user=NAME`` from argv and return the username."""
    rest: list[str] = []
    username = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--user" and i + 1 < len(argv):
            username = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--user="):
            username = arg.split("=", 1)[1]
            i += 1
            continue
        rest.append(arg)
        i += 1
    return rest, username


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    argv, username = _split_actor(argv)
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")

    from hoanhap.audit import context

    context.start_cli(username)

    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)
    return 0
