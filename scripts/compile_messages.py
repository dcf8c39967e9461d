"""Compile locale/*/LC_MESSAGES/*.po into .mo with Babel, so `make run` needs no gettext tools.

`make test` also runs Django's `compilemessages` (GNU msgfmt), which checks the catalogues strictly.
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent

for po_path in sorted((ROOT / "locale").glob("*/LC_MESSAGES/*.po")):
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        continue
    with po_path.open("rb") as f:
        catalog = read_po(f)
    with mo_path.open("wb") as f:
        write_mo(f, catalog)
