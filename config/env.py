"""The only place that reads the process environment.

Hòa Nhập is configured from the environment alone (HOANHAP_*); every default is safe for the
embedded SQLite database under ``var/`` in the project root, whatever the current directory.
"""

import os
import secrets
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("HOANHAP_VAR_DIR", PROJECT_ROOT / "var"))
DEFAULT_SQLITE_PATH = VAR_DIR / "hoanhap.sqlite3"
DEFAULT_DATABASE_URL = f"sqlite:///{DEFAULT_SQLITE_PATH}"


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_url() -> str:
    return os.environ.get("HOANHAP_DATABASE_URL") or DEFAULT_DATABASE_URL


def uses_default_database() -> bool:
    """True when the embedded SQLite database under var/ is in use (demo data goes only there)."""
    return not os.environ.get("HOANHAP_DATABASE_URL")


def secret_key() -> str:
    """HOANHAP_SECRET_KEY, or a key generated once into var/secret_key and reused afterwards."""
    key = os.environ.get("HOANHAP_SECRET_KEY")
    if key:
        return key
    path = VAR_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key
