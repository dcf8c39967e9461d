"""The printed Form 01 list (Decision 22/2023/QĐ-TTg): PDF through WeasyPrint, .docx through python-docx.

The official layout of Form No. 01 (the Decision's appendix) was not available: this layout is
PROVISIONAL, built from what Art. 3(2)(a) says the list is (people who completed a prison sentence,
residing in the commune, complying with the law, prepared by commune police, certified by the commune
People's Committee), and both formats say so in a footnote. Fonts are named explicitly ("Noto Sans",
"DejaVu Sans" for the PDF; Times New Roman in every font slot of the .docx).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.support.models import Form01List

PDF = "pdf"
DOCX = "docx"
FORMATS = (PDF, DOCX)
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
DOCX_FONT = "Times New Roman"


@dataclass(frozen=True)
class Rendered:
    content: bytes
    content_type: str
    filename: str


def _d(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def context(listing: Form01List) -> dict[str, Any]:
    entries = list(listing.entries.filter(included=True).order_by("position", "pk"))
    return {
        "listing": listing,
        "entries": entries,
        "printed_at": timezone.now(),
        "columns": columns(),
        "rows": [row(number, e) for number, e in enumerate(entries, 1)],
        "header_lines": header_lines(listing),
        "title": title(),
        "subtitle": subtitle(listing),
        "signature_lines": signature_lines(listing),
        "provisional_note": provisional_note(),
    }


def columns() -> list[str]:
    return [
        _("No."),
        _("Full name"),
        _("Born"),
        _("Address"),
        _("Certificate (number, date)"),
        _("Sentence completed on"),
        _("Note"),
    ]


def row(number: int, entry) -> list[str]:
    certificate = entry.certificate_number + (
        f", {_d(entry.certificate_date)}" if entry.certificate_date else ""
    )
    return [str(number), entry.full_name, entry.birth, entry.address, certificate, _d(entry.completed_on), ""]


def render_pdf(listing: Form01List) -> bytes:
    from weasyprint import HTML

    html = render_to_string("support/documents/form01.html", context(listing))
    return HTML(string=html, base_url="/").write_pdf()


def _font(run: Any) -> None:
    from docx.oxml.ns import qn

    run.font.name = DOCX_FONT
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), DOCX_FONT)


def render_docx(listing: Form01List) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    data = context(listing)
    document = Document()
    document.styles["Normal"].font.name = DOCX_FONT
    document.styles["Normal"].font.size = Pt(12)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    section.left_margin = section.right_margin = Cm(1.5)

    def paragraph(
        text: str, *, bold: bool = False, center: bool = False, size: int | None = None, italic=False
    ):
        p = document.add_paragraph()
        run = p.add_run(text)
        run.bold, run.italic = bold, italic
        if size:
            run.font.size = Pt(size)
        _font(run)
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return p

    for text, bold in header_lines(listing):
        paragraph(text, bold=bold, center=True)
    paragraph(title(), bold=True, center=True, size=14)
    paragraph(subtitle(listing), center=True, italic=True)
    table = document.add_table(rows=1, cols=len(data["columns"]))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, data["columns"], strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        _font(run)
    for values in data["rows"]:
        cells = table.add_row().cells
        for cell, text in zip(cells, values, strict=True):
            cell.text = ""
            _font(cell.paragraphs[0].add_run(text))
    for text, bold in signature_lines(listing):
        paragraph(text, bold=bold)
    paragraph(provisional_note(), italic=True, size=9)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def header_lines(listing: Form01List) -> list[tuple[str, bool]]:
    return [
        (_("SOCIALIST REPUBLIC OF VIETNAM"), True),
        (_("Independence – Freedom – Happiness"), True),
        (listing.commune.name, False),
    ]


def title() -> str:
    return _("LIST OF PEOPLE WHO COMPLETED A PRISON SENTENCE, RESIDING IN THE COMMUNE, ELIGIBLE TO BORROW")


def subtitle(listing: Form01List) -> str:
    return _("(Decision 22/2023/QĐ-TTg, Form No. 01) — prepared on {date}").format(
        date=_d(listing.prepared_on)
    )


def signature_lines(listing: Form01List) -> list[tuple[str, bool]]:
    lines = [(_("Prepared by the commune police"), True)]
    if listing.is_certified:
        lines.append(
            (
                _("Certified by the commune People's Committee on {date} ({reference})").format(
                    date=_d(listing.certified_on), reference=listing.certificate_reference or "—"
                ),
                True,
            )
        )
    else:
        lines.append((_("DRAFT — not certified by the commune People's Committee yet"), True))
    return lines


def provisional_note() -> str:
    return _(
        "Provisional layout: the official Form No. 01 of Decision 22/2023/QĐ-TTg was not available; "
        "the content follows Art. 3(2)(a)."
    )


def render(listing: Form01List, fmt: str) -> Rendered:
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    content = render_pdf(listing) if fmt == PDF else render_docx(listing)
    name = f"form01-{listing.commune_id}-{listing.prepared_on:%Y%m%d}.{fmt}"
    return Rendered(content, CONTENT_TYPES[fmt], name)
