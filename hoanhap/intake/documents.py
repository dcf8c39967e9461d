"""Printable intake forms filled from the records: HCD-02, HCD-03 and HCD-05 (Circular 10/2024).

The official layouts (the Circular's appendix) were not available: these are PROVISIONAL layouts
built from the fields the Circular names, and every page says so in its footer.

One template per form, ``intake/documents/hcd02.html`` (…``hcd03``, ``hcd05``), written in a small
HTML subset, gives both formats:

* PDF through WeasyPrint, with the fonts named explicitly ("Noto Sans", "DejaVu Sans");
* .docx through python-docx, by walking the same HTML (headings, paragraphs, bold/italic, tables,
  line breaks, lists), in Times New Roman — also for the East Asian font slot, which Word uses for
  some Vietnamese characters.

An administrator replaces a layout without touching the code: a file of the same name in the
directory named by ``HOANHAP_INTAKE_DOCUMENT_DIR`` wins (``hcd02.html`` for both formats; or a
``hcd02.docx`` Word file whose ``{{ name }}`` placeholders are filled from the same fields). The
fields of each form are the flat dict ``f`` built below; docs/intake.md lists them.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

from django.template import engines
from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import gettext as _

from hoanhap.intake import policy_settings, releases
from hoanhap.intake.models import Reception, ReleaseKind, ReleaseNotice

PDF = "pdf"
DOCX = "docx"
CONTENT_TYPES = {
    PDF: "application/pdf",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FORMS = {"hcd02": "HCD-02", "hcd03": "HCD-03", "hcd05": "HCD-05"}
DOCX_FONT = "Times New Roman"


@dataclass
class Rendered:
    content: bytes
    content_type: str
    filename: str


# -- the fields of each form -----------------------------------------------------------------------


def _d(value: Any) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _person_fields(person: Any) -> dict[str, str]:
    return {
        "record_code": person.record_code,
        "full_name": person.full_name,
        "other_names": person.other_names,
        "birth_date": person.birth_date_display,
        "sex": person.get_sex_display() if person.sex else "",
        "ethnicity": person.get_ethnicity_display() if person.ethnicity else "",
        "religion": person.get_religion_display() if person.religion else "",
        "nationality": person.nationality or "",
        "personal_id": person.personal_id or person.old_id_number or person.document_number or "",
        "phone": person.phone,
        "address": person.address,
        "commune": person.commune.name if person.commune_id else "",
        "province": person.province.name if person.province_id else "",
        "residence": ", ".join(x for x in (person.address, person.unit_display) if x),
    }


def _notice_fields(notice: ReleaseNotice | None) -> dict[str, str]:
    if notice is None:
        return dict.fromkeys(
            (
                "notice_sender",
                "notice_reference",
                "notice_received_on",
                "expected_release_date",
                "notice_release_kind",
                "sentence_summary",
                "additional_penalties",
                "expected_residence",
            ),
            "",
        )
    return {
        "notice_sender": notice.sender_display,
        "notice_reference": notice.reference,
        "notice_received_on": _d(notice.received_on),
        "expected_release_date": _d(notice.expected_release_date),
        "notice_release_kind": notice.get_release_kind_display(),
        "sentence_summary": notice.sentence_summary,
        "additional_penalties": notice.additional_penalties,
        "expected_residence": ", ".join(
            x for x in (notice.address, notice.commune.name, notice.province.name) if x
        ),
    }


def _release_fields(person: Any) -> dict[str, str]:
    facts = releases.release_facts(person)
    if facts is None:
        return {"release_date": "", "release_kind": "", "certificate": "", "probation_ends_on": ""}
    kind = dict(ReleaseKind.choices).get(facts.kind, facts.kind)
    return {
        "release_date": _d(facts.release_date),
        "release_kind": str(kind),
        "certificate": facts.certificate,
        "probation_ends_on": _d(facts.probation_ends_on),
    }


def _relatives(person: Any) -> str:
    rows = person.relatives.order_by("relation", "full_name")
    return "; ".join(
        f"{r.full_name} ({r.get_relation_display()}{', ' + r.phone if r.phone else ''})" for r in rows
    )


def _common(commune: Any, province: Any) -> dict[str, str]:
    today = timezone.localdate()
    return {
        "commune_name": commune.name if commune else "",
        "province_name": province.name if province else "",
        "today": _d(today),
        "day": f"{today.day:02d}",
        "month": f"{today.month:02d}",
        "year": str(today.year),
    }


def reception_fields(reception: Reception) -> dict[str, str]:
    """Fields of HCD-02 (information sheet) and HCD-05 (reception record with commitment)."""
    person = reception.person
    notice = (
        person.release_notices.select_related("commune", "province", "facility")
        .order_by("-received_on")
        .first()
    )
    officer = reception.officer
    return {
        **_common(reception.commune, reception.province),
        **_person_fields(person),
        **_notice_fields(notice),
        **_release_fields(person),
        "reported_on": _d(reception.reported_on),
        "officer_name": (officer.full_name or officer.username) if officer else "",
        "commitment_signed": _yes(reception.commitment_signed),
        "residence_registration_done": _yes(reception.residence_registration_done),
        "identity_card_done": _yes(reception.identity_card_done),
        "wants_job_info": _yes(reception.wants_job_info),
        "wants_loan_info": _yes(reception.wants_loan_info),
        "notes": reception.notes,
        "relatives": _relatives(person),
        "classification": person.classification,
    }


def notice_fields(notice: ReleaseNotice) -> dict[str, str]:
    """Fields of HCD-03 (letter asking the sender to verify the place of residence)."""
    return {
        **_common(notice.commune, notice.province),
        **_person_fields(notice.person),
        **_notice_fields(notice),
        "verification_result": notice.get_verification_result_display() if notice.verification_result else "",
        "verification_note": notice.verification_note,
        "verified_on": _d(notice.verified_on),
    }


# -- templates -------------------------------------------------------------------------------------


def _override(name: str) -> Any:
    directory = policy_settings.document_override_dir()
    if directory is None:
        return None
    path = directory / name
    return path if path.is_file() else None


def render_html(form: str, fields: dict[str, str]) -> str:
    """The filled HTML of ``form`` (the administrator's override when there is one)."""
    context = {"f": fields, "form_code": FORMS[form]}
    override = _override(f"{form}.html")
    if override is not None:
        return engines["django"].from_string(override.read_text(encoding="utf-8")).render(context)
    return get_template(f"intake/documents/{form}.html").render(context)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def render(form: str, fields: dict[str, str], fmt: str, *, name: str) -> Rendered:
    """``form`` ("hcd02"…) filled with ``fields`` as ``fmt`` ("pdf" or "docx")."""
    filename = f"{FORMS[form]}-{name}.{fmt}"
    if fmt == PDF:
        content = render_pdf(render_html(form, fields))
    else:
        word = _override(f"{form}.docx")
        content = (
            fill_docx(word.read_bytes(), fields)
            if word is not None
            else html_to_docx(render_html(form, fields))
        )
    return Rendered(content=content, content_type=CONTENT_TYPES[fmt], filename=filename)


# -- .docx -----------------------------------------------------------------------------------------


def _set_font(run: Any) -> None:
    from docx.oxml.ns import qn

    run.font.name = DOCX_FONT
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), DOCX_FONT)


def _new_document() -> Any:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(13)
    fonts = style.element.get_or_add_rPr().find(qn("w:rFonts"))
    if fonts is not None:
        for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(slot), DOCX_FONT)
    section = document.sections[0]
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    return document


class _DocxBuilder(HTMLParser):
    """Turns the small HTML subset of the document templates into a python-docx document.

    Outside tables each ``h1``–``h3``/``p``/``li`` is a paragraph; inside a table cell the text is
    collected as runs and block boundaries become new paragraphs of the cell. An element with the
    class ``footer`` becomes the page footer; ``center``/``right`` align; ``grid`` draws table borders.
    """

    HEADINGS = frozenset({"h1", "h2", "h3"})
    BLOCKS = frozenset({"h1", "h2", "h3", "p", "li"})
    SKIPPED = frozenset({"head", "style", "title", "script"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        from docx.shared import Pt

        self.pt = Pt
        self.document = _new_document()
        self.paragraph: Any = None
        self.block_tag = "p"
        self.bold = self.italic = 0
        self.tables: list[dict[str, Any]] = []
        self.footer_text: list[str] = []
        self.footer_depth = 0
        self.skip = 0

    # -- outside tables
    def _paragraph(self, tag: str, attrs: dict[str, str]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        self.paragraph = self.document.add_paragraph()
        classes = set((attrs.get("class") or "").split())
        if tag in {"h1", "h2"} or "center" in classes:
            self.paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif "right" in classes:
            self.paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        self.paragraph.paragraph_format.space_after = self.pt(4)
        self.block_tag = tag
        if tag == "li":
            self._run("– ")

    def _run(self, text: str) -> None:
        if self.paragraph is None:
            self._paragraph("p", {})
        run = self.paragraph.add_run(text)
        _set_font(run)
        run.bold = bool(self.bold) or self.block_tag in self.HEADINGS
        run.italic = bool(self.italic)
        if self.block_tag == "h1":
            run.font.size = self.pt(14)

    # -- inside tables
    def _cell(self) -> dict[str, Any] | None:
        rows = self.tables[-1]["rows"] if self.tables else []
        return rows[-1][-1] if rows and rows[-1] else None

    def _cell_add(self, text: str, *, bold: bool = False, italic: bool = False) -> None:
        cell = self._cell()
        if cell is not None:
            cell["runs"].append((text, bold, italic))

    # -- parser callbacks
    def handle_starttag(self, tag: str, attrs_list: list) -> None:
        attrs = {k: v or "" for k, v in attrs_list}
        if tag in self.SKIPPED:
            self.skip += 1
            return
        if self.footer_depth or "footer" in (attrs.get("class") or "").split():
            self.footer_depth += tag != "br"
            return
        if tag == "table":
            self.tables.append({"rows": [], "class": attrs.get("class", "")})
        elif tag == "tr" and self.tables:
            self.tables[-1]["rows"].append([])
        elif tag in {"td", "th"} and self.tables and self.tables[-1]["rows"]:
            self.tables[-1]["rows"][-1].append({"tag": tag, "runs": [], "attrs": attrs})
            self.block_tag = tag
        elif tag in self.BLOCKS:
            if self.tables:
                cell = self._cell()
                if cell is not None and cell["runs"]:
                    self._cell_add("\n")
                self.block_tag = tag
                if tag == "li":
                    self._cell_add("– ")
            else:
                self._paragraph(tag, attrs)
        elif tag in {"strong", "b"}:
            self.bold += 1
        elif tag in {"em", "i"}:
            self.italic += 1
        elif tag == "br":
            if self.tables:
                self._cell_add("\n")
            elif self.paragraph is not None:
                self.paragraph.add_run().add_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIPPED:
            self.skip = max(0, self.skip - 1)
            return
        if self.footer_depth:
            self.footer_depth -= 1
            return
        if tag in {"strong", "b"}:
            self.bold = max(0, self.bold - 1)
        elif tag in {"em", "i"}:
            self.italic = max(0, self.italic - 1)
        elif tag == "table" and self.tables:
            self._flush_table(self.tables.pop())
        elif tag in self.BLOCKS:
            self.block_tag = "td" if self.tables else "p"
            if not self.tables:
                self.paragraph = None

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        text = re.sub(r"\s+", " ", data)
        if self.footer_depth:
            self.footer_text.append(text)
            return
        if self.tables:
            cell = self._cell()
            if cell is not None and (text.strip() or cell["runs"]):
                bold = bool(self.bold) or self.block_tag in self.HEADINGS or self.block_tag == "th"
                self._cell_add(text, bold=bold, italic=bool(self.italic))
            return
        if not text.strip() and (self.paragraph is None or not self.paragraph.text):
            return
        self._run(text)

    def _flush_table(self, spec: dict[str, Any]) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH

        rows = [r for r in spec["rows"] if r]
        if not rows:
            return
        table = self.document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        if "grid" in spec["class"].split():
            table.style = "Table Grid"
        for i, row in enumerate(rows):
            for j, cell_spec in enumerate(row):
                cell = table.cell(i, j)
                centred = "center" in (cell_spec["attrs"].get("class") or "").split()
                paragraph = cell.paragraphs[0]
                if centred:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                runs = list(cell_spec["runs"])
                while runs and runs[-1][0] != "\n" and not runs[-1][0].strip():
                    runs.pop()
                if runs and runs[-1][0] != "\n":
                    runs[-1] = (runs[-1][0].rstrip(), *runs[-1][1:])
                for text, bold, italic in runs:
                    if text == "\n":
                        paragraph = cell.add_paragraph()
                        if centred:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                        continue
                    if not paragraph.text:
                        text = text.lstrip()
                        if not text:
                            continue
                    run = paragraph.add_run(text)
                    _set_font(run)
                    run.bold = bold
                    run.italic = italic
        self.paragraph = None

    def result(self) -> bytes:
        if self.footer_text:
            footer = self.document.sections[0].footer.paragraphs[0]
            run = footer.add_run(" ".join("".join(self.footer_text).split()))
            _set_font(run)
            run.italic = True
            run.font.size = self.pt(9)
        buffer = io.BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()


def html_to_docx(html: str) -> bytes:
    """The .docx version of a filled document template (see the HTML subset in the module docstring)."""
    builder = _DocxBuilder()
    builder.feed(html)
    builder.close()
    return builder.result()


PLACEHOLDER = re.compile(r"\{\{\s*([a-z0-9_]+)\s*\}\}")


def _fill_paragraph(paragraph: Any, fields: dict[str, str]) -> None:
    text = "".join(run.text for run in paragraph.runs)
    if "{{" not in text:
        return
    filled = PLACEHOLDER.sub(lambda m: str(fields.get(m.group(1), "")), text)
    runs = paragraph.runs
    runs[0].text = filled
    for run in runs[1:]:
        run.text = ""


def fill_docx(template: bytes, fields: dict[str, str]) -> bytes:
    """An administrator's Word layout with its ``{{ name }}`` placeholders filled (body, tables, footers)."""
    from docx import Document

    document = Document(io.BytesIO(template))
    paragraphs = list(document.paragraphs)
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                paragraphs.extend(cell.paragraphs)
    for section in document.sections:
        paragraphs.extend(section.header.paragraphs)
        paragraphs.extend(section.footer.paragraphs)
    for paragraph in paragraphs:
        _fill_paragraph(paragraph, fields)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
