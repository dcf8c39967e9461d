"""HCD-02, HCD-03 and HCD-05 render as PDF and as Word documents, filled from the records."""

import io

import pytest
from django.test import override_settings
from docx import Document

from hoanhap.core.testing import AN_GIANG, THOAI_SON
from hoanhap.intake import documents
from hoanhap.intake.testing import make_notice, make_person, make_reception

pytestmark = pytest.mark.django_db


@pytest.fixture
def reception():
    person = make_person(
        (AN_GIANG, THOAI_SON), full_name="Nguyễn Thị Ánh", sex="female", personal_id="091185000777"
    )
    make_notice((AN_GIANG, THOAI_SON), person=person, sentence_summary="Chấp hành tốt.")
    return make_reception((AN_GIANG, THOAI_SON), person=person, commitment_signed=True, notes="Muốn vay vốn.")


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    parts += [p.text for s in doc.sections for p in s.footer.paragraphs]
    return "\n".join(parts)


@pytest.mark.parametrize("form", ["hcd02", "hcd05"])
def test_reception_forms_render_as_pdf_and_docx(reception, form):
    fields = documents.reception_fields(reception)
    pdf = documents.render(form, fields, "pdf", name=reception.person.record_code)
    assert pdf.content.startswith(b"%PDF")
    assert pdf.filename == f"{documents.FORMS[form]}-{reception.person.record_code}.pdf"
    word = documents.render(form, fields, "docx", name="x")
    text = docx_text(word.content)
    assert "Nguyễn Thị Ánh" in text
    assert "091185000777" in text
    assert "provisional layout" in text  # the footer says the official layout is unconfirmed


def test_hcd03_letter_carries_the_verification(reception):
    notice = reception.person.release_notices.get()
    notice.verification_result = "address_wrong"
    notice.verification_note = "Gia đình cho biết đã chuyển vào Bình Dương."
    notice.save()
    word = documents.render("hcd03", documents.notice_fields(notice), "docx", name="x")
    text = docx_text(word.content)
    assert "Gia đình cho biết đã chuyển vào Bình Dương." in text
    assert "Ấp Thử" in text  # the address the notice named
    assert documents.render("hcd03", documents.notice_fields(notice), "pdf", name="x").content.startswith(
        b"%PDF"
    )


def test_docx_uses_times_new_roman_also_for_east_asian_text(reception):
    from docx.oxml.ns import qn

    content = documents.render("hcd05", documents.reception_fields(reception), "docx", name="x").content
    doc = Document(io.BytesIO(content))
    runs = [r for p in doc.paragraphs for r in p.runs if r.text.strip()]
    assert runs
    for run in runs:
        fonts = run._element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:ascii")) == "Times New Roman"
        assert fonts.get(qn("w:eastAsia")) == "Times New Roman"


def test_pdf_names_its_fonts_explicitly():
    html = documents.render_html("hcd02", {"full_name": "X"})
    assert '"Noto Sans", "DejaVu Sans"' in html


def test_an_administrator_override_replaces_the_layout(reception, tmp_path):
    """Files in HOANHAP_INTAKE_DOCUMENT_DIR win: an HTML layout for both formats, a Word file with placeholders."""
    (tmp_path / "hcd02.html").write_text(
        "<html><body><p>Phiếu riêng: {{ f.full_name }}</p></body></html>", encoding="utf-8"
    )
    template = Document()
    paragraph = template.add_paragraph()
    paragraph.add_run("Họ tên: {{ full_")
    paragraph.add_run("name }} — {{ reported_on }}")
    buffer = io.BytesIO()
    template.save(buffer)
    (tmp_path / "hcd05.docx").write_bytes(buffer.getvalue())
    fields = documents.reception_fields(reception)
    with override_settings(HOANHAP_INTAKE_DOCUMENT_DIR=str(tmp_path)):
        assert "Phiếu riêng: Nguyễn Thị Ánh" in documents.render_html("hcd02", fields)
        assert "Phiếu riêng: Nguyễn Thị Ánh" in docx_text(
            documents.render("hcd02", fields, "docx", name="x").content
        )
        filled = docx_text(documents.render("hcd05", fields, "docx", name="x").content)
    assert "Họ tên: Nguyễn Thị Ánh — 10/01/2026" in filled
