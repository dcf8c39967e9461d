"""The columns of the care kinds: ``helpers``, ``children`` and ``support`` (see ``specs.py``).

Same rules as ``specs.py``: Vietnamese headers as the template writes them, synonyms officials
use, matched through ``header_key``. The person a row is about is named like on the ``judgments``
sheet (record code, identification number, name and date of birth); in ``children`` and in
``support`` to a child, that person is the parent. Group headers over two lines ("Người giúp đỡ"
above "Họ và tên") are matched through synonyms that join both lines.

Support kinds and funding sources come from the support app's catalogues (rows of the database):
their columns are ``CatalogueColumn``s, read as text and matched by the adapter to a catalogue
code or name; the template lists the catalogue's names.
"""

from __future__ import annotations

from dataclasses import dataclass

from hoanhap.imports.reading.specs import (
    ADDRESS_COLUMNS,
    BIRTH_DATE,
    CHOICE,
    DATE,
    FULL_NAME,
    ID_NUMBER_COLUMN,
    INTEGER,
    MONEY,
    NAME,
    NOTE,
    PARTIAL_DATE,
    PHONE,
    RECORD_CODE,
    SEX,
    SEX_CHOICES,
    SEX_COLUMN,
    TEXT,
    Choice,
    ColumnSpec,
    KindSpec,
)

CATALOGUE = "catalogue"  # text matched to a catalogue row (code, Vietnamese or English name)


@dataclass(frozen=True)
class CatalogueColumn(ColumnSpec):
    """A column whose values are rows of a catalogue model (``app_label.Model``, with ``code``)."""

    catalogue: str = ""


def grouped(group: str, *names: str) -> tuple[str, ...]:
    """Synonyms of a column under a group header on the line above ("Người giúp đỡ" / "Họ tên")."""
    return tuple(f"{group} {name}" for name in names)


ORGANISATION_KIND_CHOICES = (
    Choice("province_police", "Công an tỉnh", ("Công an tỉnh, thành phố",)),
    Choice("commune_police", "Công an xã", ("Công an xã, phường", "Công an phường")),
    Choice("commune_committee", "UBND xã", ("Ủy ban nhân dân xã", "UBND xã, phường", "UBND phường")),
    Choice("province_committee", "UBND tỉnh", ("Ủy ban nhân dân tỉnh",)),
    Choice("fatherland_front", "Mặt trận Tổ quốc", ("MTTQ", "Ủy ban MTTQ", "Mặt trận")),
    Choice("womens_union", "Hội Liên hiệp Phụ nữ", ("Hội Phụ nữ", "Phụ nữ", "Hội LHPN")),
    Choice("youth_union", "Đoàn Thanh niên", ("Đoàn TNCS Hồ Chí Minh", "Đoàn thanh niên", "Thanh niên")),
    Choice("veterans", "Hội Cựu chiến binh", ("Cựu chiến binh", "CCB")),
    Choice("farmers_union", "Hội Nông dân", ("Nông dân",)),
    Choice("religious_partner", "Tổ chức tôn giáo", ("Tôn giáo", "Cơ sở tôn giáo")),
    Choice("loan_fund", "Quỹ cho vay quay vòng", ("Quỹ quay vòng", "Quỹ")),
    Choice("detention_facility", "Trại giam", ("Cơ sở giam giữ",)),
    Choice("employer", "Doanh nghiệp, cơ sở sử dụng lao động", ("Doanh nghiệp", "Công ty", "Cơ sở sản xuất")),
    Choice("training_institution", "Cơ sở đào tạo nghề", ("Trường nghề", "Trung tâm dạy nghề")),
    Choice("other", "Khác", ("Tổ chức khác",)),
)
YES_NO_CHOICES = (
    Choice("yes", "Có", ("Còn", "Còn làm", "Đúng", "x", "1")),
    Choice("no", "Không", ("Nghỉ", "Không còn", "Đã nghỉ", "0")),
)
RELATION_CHOICES = (  # no "Ba" for a father here: it folds like "Bà" (grandmother)
    Choice("father", "Cha", ("Bố",)),
    Choice("mother", "Mẹ", ("Má",)),
    Choice("spouse", "Vợ, chồng", ("Vợ", "Chồng")),
    Choice("child", "Con", ("Con ruột",)),
    Choice("sibling", "Anh, chị, em", ("Anh", "Chị", "Em", "Anh chị em ruột")),
    Choice("grandparent", "Ông, bà", ("Ông", "Bà", "Ông bà")),
    Choice("guardian", "Người giám hộ", ("Giám hộ",)),
    Choice("other", "Khác", ()),
)
PARENT_RELATION_CHOICES = (
    Choice("father", "Cha", ("Bố", "Ba")),
    Choice("mother", "Mẹ", ("Má",)),
    Choice("other", "Khác", ()),
)
VALUE_BASIS_CHOICES = (
    Choice("cash", "Tiền mặt", ("Tiền", "Bằng tiền", "TM")),
    Choice("estimate", "Hiện vật (quy ra tiền)", ("Hiện vật", "Ước tính", "Bằng hiện vật", "Quy ra tiền")),
)

# --- The person (or parent) a row is about -----------------------------------------------------------

PERSON_GROUP = ("record_code", "id_number", "full_name")


def person_name(*synonyms: str, header: str = FULL_NAME.header, hint: str = "") -> ColumnSpec:
    """The person's name column, not required (the record code or number may name the person)."""
    return ColumnSpec(FULL_NAME.code, header, NAME, (*synonyms,), hint=hint, example=FULL_NAME.example)


def unit_column(code: str) -> ColumnSpec:
    return ColumnSpec(
        code,
        "Mã đơn vị tổ chức",
        INTEGER,
        ("Mã đơn vị", "Mã xã tổ chức", "Mã đơn vị của tổ chức"),
        hint="Mã tỉnh (2 số) hoặc mã xã của tổ chức; tổ chức chưa có trong hệ thống được thêm khi nhập.",
    )


def organisation_kind(code: str) -> ColumnSpec:
    return ColumnSpec(
        code,
        "Loại tổ chức",
        CHOICE,
        ("Loại đơn vị", "Loại cơ quan, tổ chức"),
        choices=ORGANISATION_KIND_CHOICES,
        hint="Dùng khi tổ chức chưa có trong hệ thống.",
    )


# --- helpers ----------------------------------------------------------------------------------------

HELPERS = KindSpec(
    "helpers",
    "Danh sách phân công người giúp đỡ",
    (
        RECORD_CODE,
        person_name(
            *FULL_NAME.synonyms,
            "Người được giúp đỡ",
            "Họ tên người được giúp đỡ",
            "Họ và tên người được giúp đỡ",
            *grouped("Người được giúp đỡ", "Họ và tên", "Họ tên"),
        ),
        BIRTH_DATE,
        ID_NUMBER_COLUMN,
        ColumnSpec(
            "helper_name",
            "Người giúp đỡ",
            NAME,
            (
                "Họ tên người giúp đỡ",
                "Họ và tên người giúp đỡ",
                "Người được phân công giúp đỡ",
                "Người được giao giúp đỡ",
                "Cá nhân giúp đỡ",
                *grouped("Người giúp đỡ", "Họ và tên", "Họ tên"),
            ),
            hint="Cá nhân giúp đỡ; để trống khi giao cho cả tổ chức.",
            example="Trần Thị Hoa",
        ),
        ColumnSpec(
            "helper_role",
            "Vai trò người giúp đỡ",
            TEXT,
            (
                "Chức vụ người giúp đỡ",
                "Chức vụ",
                "Vai trò",
                "Quan hệ với người được giúp đỡ",
                *grouped("Người giúp đỡ", "Chức vụ", "Vai trò"),
            ),
            hint="Ví dụ: hội viên Hội Phụ nữ, trưởng ấp, anh ruột.",
            example="Chi hội trưởng phụ nữ ấp",
        ),
        ColumnSpec(
            "helper_phone",
            "Điện thoại người giúp đỡ",
            PHONE,
            (
                "SĐT người giúp đỡ",
                "Số điện thoại người giúp đỡ",
                *grouped("Người giúp đỡ", "Điện thoại", "Số điện thoại", "SĐT"),
            ),
            example="0912345678",
        ),
        ColumnSpec(
            "helper_account",
            "Tài khoản người giúp đỡ",
            TEXT,
            ("Tài khoản", "Tên đăng nhập"),
            hint="Tên đăng nhập của người giúp đỡ trong hệ thống, nếu có.",
        ),
        ColumnSpec(
            "organisation",
            "Tổ chức giúp đỡ",
            TEXT,
            (
                "Tổ chức",
                "Cơ quan, tổ chức",
                "Đoàn thể",
                "Tổ chức, đoàn thể",
                "Đơn vị giúp đỡ",
                "Tổ chức được phân công",
                *grouped("Người giúp đỡ", "Tổ chức", "Đơn vị"),
            ),
            hint="Tên tổ chức; có thể ghi cùng người giúp đỡ.",
            example="Hội Liên hiệp Phụ nữ xã Thoại Sơn",
        ),
        organisation_kind("organisation_kind"),
        unit_column("organisation_unit"),
        ColumnSpec(
            "start_date",
            "Ngày bắt đầu giúp đỡ",
            DATE,
            (
                "Từ ngày",
                "Ngày phân công",
                "Ngày giao",
                "Bắt đầu",
                "Ngày bắt đầu",
                *grouped("Thời gian giúp đỡ", "Từ ngày", "Từ"),
            ),
            required=True,
            example="01/04/2024",
        ),
        ColumnSpec(
            "end_date",
            "Ngày kết thúc giúp đỡ",
            DATE,
            ("Đến ngày", "Kết thúc", "Ngày kết thúc", *grouped("Thời gian giúp đỡ", "Đến ngày", "Đến")),
            hint="Để trống khi còn giúp đỡ.",
        ),
        NOTE,
    ),
    required_groups=(PERSON_GROUP, ("helper_name", "organisation", "helper_account")),
)

# --- children ---------------------------------------------------------------------------------------

_PARENT = ("Cha/mẹ", "Cha mẹ", "Bố/mẹ", "Bố mẹ", "Cha/mẹ đang chấp hành án")
_CHILD = ("Con", "Trẻ", "Cháu")

CHILDREN = KindSpec(
    "children",
    "Danh sách con của người đang chấp hành án phạt tù",
    (
        ColumnSpec(
            RECORD_CODE.code,
            "Mã hồ sơ cha/mẹ",
            TEXT,
            ("Mã hồ sơ", "Mã HS", "Mã hồ sơ của cha/mẹ", *[f"{p} Mã hồ sơ" for p in _PARENT]),
            hint="Mã hồ sơ của cha hoặc mẹ (người đang hoặc đã chấp hành án).",
        ),
        person_name(
            "Họ tên cha/mẹ",
            "Họ và tên bố/mẹ",
            "Họ tên bố/mẹ",
            "Tên cha/mẹ",
            "Cha/mẹ",
            "Bố/mẹ",
            "Cha/mẹ đang chấp hành án",
            "Họ tên người đang chấp hành án",
            "Phạm nhân",
            *[f"{p} {n}" for p in _PARENT for n in ("Họ và tên", "Họ tên")],
            header="Họ và tên cha/mẹ",
        ),
        ColumnSpec(
            BIRTH_DATE.code,
            "Ngày sinh cha/mẹ",
            PARTIAL_DATE,
            (
                "Năm sinh cha/mẹ",
                "Năm sinh của cha/mẹ",
                "Ngày sinh của cha/mẹ",
                *[f"{p} {n}" for p in _PARENT for n in ("Năm sinh", "Ngày sinh")],
            ),
            example="1985",
        ),
        ColumnSpec(
            ID_NUMBER_COLUMN.code,
            "Số định danh cha/mẹ",
            ID_NUMBER_COLUMN.type,
            (
                "CCCD cha/mẹ",
                "Số CCCD của cha/mẹ",
                "Số định danh của cha/mẹ",
                *[f"{p} {n}" for p in _PARENT for n in ("CCCD", "Số định danh", "Số CCCD")],
            ),
            hint=ID_NUMBER_COLUMN.hint,
        ),
        ColumnSpec(
            "parent_relation",
            "Cha hay mẹ",
            CHOICE,
            ("Cha/mẹ là", "Quan hệ cha/mẹ", "Là cha hay mẹ"),
            choices=PARENT_RELATION_CHOICES,
            example="Cha",
        ),
        ColumnSpec(
            "child_name",
            "Họ và tên con",
            NAME,
            (
                "Họ tên con",
                "Tên con",
                "Họ và tên trẻ",
                "Họ tên trẻ",
                "Họ tên cháu",
                "Tên trẻ",
                "Họ và tên",
                "Họ tên",
                *[f"{c} {n}" for c in _CHILD for n in ("Họ và tên", "Họ tên")],
            ),
            required=True,
            example="Nguyễn Thị Bé",
        ),
        ColumnSpec(
            "child_birth_date",
            "Ngày sinh",
            PARTIAL_DATE,
            (
                "Năm sinh",
                "Ngày sinh của con",
                "Ngày sinh con",
                "Ngày, tháng, năm sinh",
                "Sinh ngày",
                "NS",
                *[f"{c} {n}" for c in _CHILD for n in ("Ngày sinh", "Năm sinh")],
            ),
            hint="Ngày sinh đầy đủ (dd/mm/yyyy) của con; chỉ biết năm thì ngày sinh để trống.",
            example="05/09/2014",
        ),
        ColumnSpec(
            "child_sex",
            SEX_COLUMN.header,
            SEX,
            (*SEX_COLUMN.synonyms, *[f"{c} Giới tính" for c in _CHILD]),
            choices=SEX_CHOICES,
            example="Nữ",
        ),
        ColumnSpec(
            "school",
            "Trường",
            TEXT,
            ("Trường học", "Đang học tại trường", "Nơi học"),
            example="Trường Tiểu học Thoại Sơn",
        ),
        ColumnSpec("grade", "Lớp", TEXT, ("Đang học lớp", "Học lớp"), example="5"),
        ColumnSpec(
            "guardian_name",
            "Người giám hộ",
            NAME,
            ("Họ tên người giám hộ", "Người nuôi dưỡng", "Người chăm sóc", "Người trực tiếp nuôi dưỡng"),
            example="Trần Thị Mẹ",
        ),
        ColumnSpec(
            "guardian_relation",
            "Quan hệ người giám hộ với trẻ",
            TEXT,
            ("Quan hệ của người giám hộ", "Người giám hộ là", "Quan hệ với trẻ"),
            hint="Ví dụ: mẹ, bà nội.",
            example="Mẹ",
        ),
        ColumnSpec(
            "guardian_phone",
            "Điện thoại người giám hộ",
            PHONE,
            ("SĐT người giám hộ", "Số điện thoại người giám hộ", "Điện thoại", "SĐT", "Số điện thoại"),
        ),
        *ADDRESS_COLUMNS,
        NOTE,
    ),
    required_groups=(PERSON_GROUP,),
)

# --- support ----------------------------------------------------------------------------------------

SUPPORT = KindSpec(
    "support",
    "Danh sách hỗ trợ",
    (
        ColumnSpec(
            RECORD_CODE.code,
            RECORD_CODE.header,
            TEXT,
            RECORD_CODE.synonyms,
            hint="Mã hồ sơ của người được hỗ trợ (hỗ trợ cho người thân hay cho con: của người đó, của cha/mẹ).",
        ),
        person_name(
            *FULL_NAME.synonyms,
            "Người được hỗ trợ",
            "Họ tên người được hỗ trợ",
            "Họ và tên người được hỗ trợ",
            *grouped("Người được hỗ trợ", "Họ và tên", "Họ tên"),
        ),
        BIRTH_DATE,
        ID_NUMBER_COLUMN,
        ColumnSpec(
            "relative_name",
            "Người thân được hỗ trợ",
            NAME,
            ("Họ tên người thân", "Họ và tên người thân", "Người thân", "Người thân nhận hỗ trợ"),
            hint="Khi hỗ trợ cho người thân của người trên (cha mẹ, vợ chồng…).",
        ),
        ColumnSpec(
            "relative_relation",
            "Quan hệ của người thân",
            CHOICE,
            ("Quan hệ với người được hỗ trợ", "Quan hệ người thân", "Quan hệ"),
            choices=RELATION_CHOICES,
        ),
        ColumnSpec(
            "child_name",
            "Con được hỗ trợ",
            NAME,
            ("Họ tên con", "Họ và tên con", "Tên con", "Con được hỗ trợ Họ tên"),
            hint="Khi hỗ trợ cho con của người trên (đã có trong danh sách con).",
        ),
        ColumnSpec(
            "child_birth_date",
            "Năm sinh của con",
            PARTIAL_DATE,
            ("Ngày sinh của con", "Năm sinh con", "Ngày sinh con"),
        ),
        CatalogueColumn(
            "kind",
            "Loại hỗ trợ",
            CATALOGUE,
            ("Hình thức hỗ trợ", "Dạng hỗ trợ", "Loại"),
            required=True,
            hint="Mã hoặc tên trong danh mục loại hỗ trợ (trang “Danh mục”).",
            example="Đào tạo nghề",
            catalogue="support.SupportKind",
        ),
        ColumnSpec(
            "given_on",
            "Ngày hỗ trợ",
            DATE,
            ("Ngày", "Thời gian hỗ trợ", "Ngày nhận hỗ trợ", "Ngày thực hiện", "Thời gian"),
            required=True,
            example="15/06/2024",
        ),
        ColumnSpec(
            "value",
            "Giá trị (đồng)",
            MONEY,
            (
                "Số tiền",
                "Giá trị hỗ trợ",
                "Thành tiền",
                "Kinh phí",
                "Trị giá",
                "Số tiền hỗ trợ",
                "Giá trị đồng",
                "Số tiền đồng",
            ),
            hint="Đồng; 1.500.000 hoặc 1,5 triệu.",
            example=2_000_000,
        ),
        ColumnSpec(
            "value_basis",
            "Tiền mặt hay hiện vật",
            CHOICE,
            ("Hình thức giá trị", "Loại giá trị", "Tiền/hiện vật"),
            choices=VALUE_BASIS_CHOICES,
            example="Tiền mặt",
        ),
        ColumnSpec("quantity", "Số lượng", INTEGER, ("SL",), hint="Mặc định 1."),
        ColumnSpec(
            "item",
            "Vật phẩm",
            TEXT,
            ("Tên hiện vật", "Hiện vật", "Quà tặng", "Vật dụng", "Tên quà"),
            hint="Với quà, hiện vật: xe đạp, tập vở…",
        ),
        CatalogueColumn(
            "funding_source",
            "Nguồn kinh phí",
            CATALOGUE,
            ("Nguồn", "Nguồn hỗ trợ", "Nguồn vốn", "Kinh phí từ", "Nguồn tiền"),
            hint="Mã hoặc tên trong danh mục nguồn kinh phí.",
            example="Ngân sách nhà nước",
            catalogue="support.FundingSource",
        ),
        ColumnSpec(
            "provider",
            "Tổ chức hỗ trợ",
            TEXT,
            (
                "Đơn vị hỗ trợ",
                "Cơ quan, tổ chức hỗ trợ",
                "Tổ chức",
                "Đơn vị thực hiện",
                "Nhà tài trợ",
                "Đơn vị",
            ),
            example="Trung tâm Dịch vụ việc làm An Giang",
        ),
        organisation_kind("provider_kind"),
        unit_column("provider_unit"),
        ColumnSpec(
            "community_model",
            "Mô hình",
            TEXT,
            ("Mô hình cộng đồng", "Qua mô hình", "Mô hình hỗ trợ", "Mô hình tự quản"),
        ),
        ColumnSpec("description", "Nội dung", TEXT, ("Nội dung hỗ trợ", "Mô tả", "Diễn giải", "Chi tiết")),
        ColumnSpec("outcome", "Kết quả", TEXT, ("Kết quả hỗ trợ", "Hiệu quả")),
        ColumnSpec(
            "employer",
            "Nơi làm việc",
            TEXT,
            (
                "Cơ sở tiếp nhận",
                "Doanh nghiệp tiếp nhận",
                "Chủ sử dụng lao động",
                "Nơi làm",
                "Đơn vị tuyển dụng",
            ),
        ),
        ColumnSpec(
            "job_start_on",
            "Ngày bắt đầu làm việc",
            DATE,
            ("Ngày vào làm", "Ngày bắt đầu làm", "Ngày nhận việc"),
            hint="Với giới thiệu, tạo việc làm.",
        ),
        *(
            ColumnSpec(
                f"employed_{months}m",
                f"Còn làm việc sau {months} tháng",
                CHOICE,
                (f"Sau {months} tháng", f"Còn làm sau {months} tháng"),
                choices=YES_NO_CHOICES,
            )
            for months in (3, 6, 12)
        ),
    ),
    required_groups=(PERSON_GROUP,),
)

CARE_KINDS = (HELPERS, CHILDREN, SUPPORT)
