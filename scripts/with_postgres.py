"""Run a command against a throwaway PostgreSQL cluster, then remove the cluster.

    python scripts/with_postgres.py -- pytest -m "not browser"

initdb runs into a fresh temporary directory (owned by the ``postgres`` system user when this
runs as root, since PostgreSQL refuses to run as root), the server listens on a free port on
127.0.0.1 only, and ``HOANHAP_DATABASE_URL`` points the command at it. pytest-django then creates
and drops its own ``test_…`` database inside. When the PostgreSQL binaries are missing the leg is
skipped with a loud message, except with ``CI=true``, where that is a failure.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time

BANNER = "=" * 78


def find_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for base in sorted(glob_versions(), reverse=True):
        candidate = os.path.join(base, "bin", name)
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def glob_versions() -> list[str]:
    root = "/usr/lib/postgresql"
    if not os.path.isdir(root):
        return []
    return [os.path.join(root, v) for v in os.listdir(root)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv: list[str]) -> int:
    if argv and argv[0] == "--":
        argv = argv[1:]
    if not argv:
        print("usage: with_postgres.py -- COMMAND [ARGS...]", file=sys.stderr)
        return 2
    initdb, pg_ctl = find_binary("initdb"), find_binary("pg_ctl")
    if not initdb or not pg_ctl:
        print(
            f"\n{BANNER}\nPostgreSQL server binaries (initdb, pg_ctl) not found: the PostgreSQL leg is SKIPPED.\n{BANNER}\n"
        )
        return 1 if os.environ.get("CI", "").lower() == "true" else 0

    as_root = os.geteuid() == 0
    run_as = {"user": "postgres"} if as_root else {}
    tmp = tempfile.mkdtemp(prefix="hoanhap-pg-")
    os.chmod(tmp, 0o755)
    data, sockets = os.path.join(tmp, "data"), os.path.join(tmp, "run")
    os.mkdir(sockets)
    if as_root:
        pw = pwd.getpwnam("postgres")
        os.chown(tmp, pw.pw_uid, pw.pw_gid)
        os.chown(sockets, pw.pw_uid, pw.pw_gid)
    port = free_port()
    log = os.path.join(tmp, "server.log")
    started = False
    try:
        subprocess.run(
            [
                initdb,
                "-D",
                data,
                "-U",
                "postgres",
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
        options = f"-h 127.0.0.1 -p {port} -k {sockets} -F -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        subprocess.run(
            [pg_ctl, "-D", data, "-l", log, "-o", options, "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            **run_as,
        )
        started = True
        env = dict(os.environ, HOANHAP_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/hoanhap")
        print(f"PostgreSQL throwaway cluster on 127.0.0.1:{port}", flush=True)
        return subprocess.run(argv, env=env).returncode
    finally:
        if started:
            subprocess.run(
                [pg_ctl, "-D", data, "-m", "immediate", "-w", "stop"], stdout=subprocess.DEVNULL, **run_as
            )
        time.sleep(0.2)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
