"""The columns of each import kind: template header, the other names officials give them, type.

A kind is one sheet of the template, named with its code (``persons``, ``judgments``, ``notices``;
``support``, ``helpers`` and ``children`` follow when those apps settle). Headers are Vietnamese as
written in the template; they and the choice labels are the file format, not interface text, so
they are not translated. A header in a file matches a column when ``header_key`` of the two is the
same: case, diacritics, đ/d, tone placement, "(*)" and text in brackets, a leading number and
punctuation do not matter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from hoanhap.core.text import fold
from hoanhap.people.ethnicities import ETHNICITIES

# Column types (see values.py and docs/import.md).
TEXT = "text"
NAME = "name"
DATE = "date"
PARTIAL_DATE = "partial_date"  # a date of birth: day, month/year or year
ID_NUMBER = "id_number"
PHONE = "phone"  # text; a leading zero a spreadsheet dropped is put back (``values.parse_phone``)
INTEGER = "integer"
MONEY = "money"
CHOICE = "choice"
SEX = "sex"
TERM = "term"
OFFENCES = "offences"
ADDRESS = "address"  # free text: house, hamlet, and possibly the commune, district, province
COMMUNE = "commune"  # these three are joined to the address and resolved once per row
DISTRICT = "district"
PROVINCE = "province"
ADDRESS_TYPES = (ADDRESS, COMMUNE, DISTRICT, PROVINCE)


def header_key(text: object) -> str:
    """The matching key of a header: folded, without brackets, stars, a leading number or spaces."""
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]|\*", " ", str(text or ""))
    key = fold(text)
    key = re.sub(r"^(\d+|[ivx]+)\s+", "", key)  # "1. Họ và tên", "II. Bản án"
    return key.replace(" ", "")


def choice_key(text: object) -> str:
    return fold(str(text or "")).replace(" ", "")


@dataclass(frozen=True)
class Choice:
    code: str
    label: str  # Vietnamese, as the template's drop-down shows it
    synonyms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ColumnSpec:
    code: str
    header: str
    type: str
    synonyms: tuple[str, ...] = ()
    required: bool = False
    choices: tuple[Choice, ...] = ()
    hint: str = ""  # one line for the template's instruction sheet (Vietnamese)
    example: object = None
    in_template: bool = True

    @property
    def keys(self) -> frozenset[str]:
        return frozenset(header_key(h) for h in (self.header, *self.synonyms))

    @property
    def options(self) -> dict[str, str]:
        """Every folded spelling of a choice (code, label, synonyms) → code."""
        found: dict[str, str] = {}
        for choice in self.choices:
            for spelling in (choice.code, choice.label, *choice.synonyms):
                found.setdefault(choice_key(spelling), choice.code)
        return found

    @property
    def labels(self) -> dict[str, str]:
        return {c.code: c.label for c in self.choices}


@dataclass(frozen=True)
class KindSpec:
    code: str
    title: str  # Vietnamese title of the template sheet
    columns: tuple[ColumnSpec, ...]
    # Each group needs a value in at least one of its columns in every row.
    required_groups: tuple[tuple[str, ...], ...] = field(default=())

    def column(self, code: str) -> ColumnSpec:
        return next(c for c in self.columns if c.code == code)

    @property
    def by_key(self) -> dict[str, ColumnSpec]:
        found: dict[str, ColumnSpec] = {}
        for column in self.columns:
            for key in column.keys:
                found.setdefault(key, column)
        return found

    @property
    def groups(self) -> tuple[tuple[str, ...], ...]:
        """Required columns as one-column groups, then the declared groups."""
        return tuple((c.code,) for c in self.columns if c.required) + self.required_groups


# Headers that carry no data (row numbers).
IGNORED_HEADERS = frozenset(header_key(h) for h in ("STT", "TT", "Số TT", "Số thứ tự", "Thứ tự"))

# --- Shared columns ---------------------------------------------------------------------------------

SEX_CHOICES = (Choice("male", "Nam", ("m", "trai")), Choice("female", "Nữ", ("f", "gái")))
RELIGION_CHOICES = (
    Choice("none", "Không", ("Không theo tôn giáo", "Không tôn giáo", "Không có")),
    Choice("buddhism", "Phật giáo", ("Đạo Phật", "Phật")),
    Choice("hoa_hao", "Phật giáo Hòa Hảo", ("Hòa Hảo",)),
    Choice("cao_dai", "Cao Đài", ("Đạo Cao Đài",)),
    Choice("catholic", "Công giáo", ("Thiên Chúa giáo", "Thiên Chúa", "Đạo Thiên Chúa")),
    Choice("protestant", "Tin Lành", ("Đạo Tin Lành",)),
    Choice("islam", "Hồi giáo", ("Đạo Hồi",)),
    Choice("other", "Khác", ("Tôn giáo khác",)),
)
_ETHNICITY_SYNONYMS = {5: ("Khmer", "Khơ me"), 8: ("H'Mông", "Hmông", "Mèo"), 11: ("Êđê", "Ê Đê", "Ede")}
ETHNICITY_CHOICES = tuple(
    Choice(str(code), name, _ETHNICITY_SYNONYMS.get(code, ())) for code, name in ETHNICITIES
)
PENALTY_CHOICES = (
    Choice("warning", "Cảnh cáo"),
    Choice("fine", "Phạt tiền"),
    Choice("non_custodial_reform", "Cải tạo không giam giữ", ("Cải tạo không giam giữ", "CTKGG")),
    Choice("suspended_imprisonment", "Tù cho hưởng án treo", ("Án treo", "Tù treo", "Tù án treo")),
    Choice("imprisonment", "Tù có thời hạn", ("Tù", "Phạt tù", "Tù giam")),
    Choice("life_imprisonment", "Tù chung thân", ("Chung thân",)),
    Choice(
        "death_commuted",
        "Tử hình được giảm",
        ("Tử hình được ân giảm", "Tử hình chuyển chung thân", "Tử hình giảm xuống chung thân"),
    ),
)
RELEASE_KIND_CHOICES = (
    Choice(
        "completed_term",
        "Chấp hành xong án phạt tù",
        ("Chấp hành xong", "Hết án", "Mãn hạn", "Mãn hạn tù", "CHX", "Ra trại hết án"),
    ),
    Choice("amnesty", "Đặc xá", ("Được đặc xá", "Tha đặc xá", "Ân xá")),
    Choice(
        "conditional_release",
        "Tha tù trước thời hạn có điều kiện",
        ("Tha tù trước thời hạn", "Tha trước thời hạn", "Tha tù trước hạn"),
    ),
)

RECORD_CODE = ColumnSpec(
    "record_code", "Mã hồ sơ", TEXT, ("Mã HS", "Mã số hồ sơ"), hint="Để trống khi thêm người mới."
)
FULL_NAME = ColumnSpec(
    "full_name",
    "Họ và tên",
    NAME,
    (
        "Họ tên",
        "Tên đối tượng",
        "Họ và tên đối tượng",
        "Họ tên đối tượng",
        "Họ và tên người chấp hành xong án phạt tù",
        "Họ tên người được đặc xá",
        "Tên",
    ),
    required=True,
    hint="Viết hoa hay thường đều được.",
    example="Nguyễn Văn An",
)
OTHER_NAMES = ColumnSpec("other_names", "Tên gọi khác", TEXT, ("Tên khác", "Bí danh"))
BIRTH_DATE = ColumnSpec(
    "birth_date",
    "Ngày sinh",
    PARTIAL_DATE,
    ("Năm sinh", "NS", "Ngày tháng năm sinh", "Sinh ngày", "Ngày, tháng, năm sinh"),
    hint="dd/mm/yyyy; chỉ biết năm thì ghi năm (1985).",
    example="15/03/1985",
)
SEX_COLUMN = ColumnSpec(
    "sex", "Giới tính", SEX, ("Giới", "Nam/Nữ", "GT", "Nam, nữ"), choices=SEX_CHOICES, example="Nam"
)
ID_NUMBER_COLUMN = ColumnSpec(
    "id_number",
    "Số định danh cá nhân",
    ID_NUMBER,
    (
        "Số CCCD",
        "CCCD",
        "CCCD/CMND",
        "CMND/CCCD",
        "Số CMND/CCCD",
        "Số CCCD/CMND",
        "Số CMND",
        "CMND",
        "Số căn cước",
        "Số căn cước công dân",
        "Căn cước công dân",
        "Số định danh",
        "Số ĐDCN",
    ),
    hint="12 số (hoặc 9 số CMND cũ); nên định dạng ô là văn bản để giữ số 0 đầu.",
    example="089085001234",
)
ADDRESS_COLUMN = ColumnSpec(
    "address",
    "Nơi cư trú",
    ADDRESS,
    (
        "Địa chỉ",
        "Nơi ở hiện nay",
        "Nơi cư trú hiện nay",
        "Địa chỉ cư trú",
        "Nơi ở",
        "Trú quán",
        "Thường trú",
        "Nơi thường trú",
        "HKTT",
        "Hộ khẩu thường trú",
        "Chỗ ở hiện nay",
    ),
    hint="Số nhà, ấp/thôn, xã/phường, tỉnh; địa chỉ cũ (có huyện) vẫn được.",
    example="Ấp Đông Sơn, xã Vọng Đông, huyện Thoại Sơn, tỉnh An Giang",
)
COMMUNE_COLUMN = ColumnSpec(
    "commune",
    "Xã, phường",
    COMMUNE,
    ("Xã", "Phường", "Xã/Phường", "Phường/Xã", "Xã, phường, thị trấn", "Đơn vị cấp xã"),
)
DISTRICT_COLUMN = ColumnSpec(
    "district",
    "Huyện (cũ)",
    DISTRICT,
    ("Huyện", "Huyện cũ", "Quận/Huyện", "Huyện/Thị xã", "Quận, huyện"),
    in_template=False,
)
PROVINCE_COLUMN = ColumnSpec(
    "province", "Tỉnh, thành phố", PROVINCE, ("Tỉnh", "Tỉnh/TP", "Tỉnh/Thành phố", "Thành phố")
)
ADDRESS_COLUMNS = (ADDRESS_COLUMN, COMMUNE_COLUMN, DISTRICT_COLUMN, PROVINCE_COLUMN)
ADDRESS_GROUP = ("address", "commune")
NOTE = ColumnSpec("note", "Ghi chú", TEXT, ("Ghi chú khác",))

COURT = ColumnSpec(
    "court_name",
    "Tòa án xét xử",
    TEXT,
    ("Tòa án", "Tòa xử", "Cơ quan xét xử", "TAND xét xử"),
    example="TAND tỉnh An Giang",
)
JUDGMENT_NUMBER = ColumnSpec(
    "judgment_number",
    "Số bản án",
    TEXT,
    ("Bản án số", "Số BA", "Bản án / Số", "Bản án Số"),
    example="25/2020/HS-ST",
)
JUDGMENT_DATE = ColumnSpec(
    "judgment_date",
    "Ngày tuyên án",
    DATE,
    ("Ngày bản án", "Ngày xét xử", "Ngày án", "Ngày tuyên", "Bản án / Ngày", "Bản án Ngày"),
    example="20/05/2020",
)
OFFENCE_DATE = ColumnSpec(
    "offence_committed_on", "Ngày phạm tội", DATE, ("Ngày thực hiện tội phạm",), example="10/01/2020"
)
OFFENCES_COLUMN = ColumnSpec(
    "offences",
    "Tội danh",
    OFFENCES,
    ("Tội", "Phạm tội", "Tội phạm", "Về tội"),
    hint="Tên tội và điều luật, ví dụ: Trộm cắp tài sản (Điều 173).",
    example="Trộm cắp tài sản (Điều 173)",
)
PENALTY = ColumnSpec(
    "main_penalty_type",
    "Hình phạt chính",
    CHOICE,
    ("Loại hình phạt", "Hình phạt", "Loại án"),
    choices=PENALTY_CHOICES,
    example="Tù có thời hạn",
)
TERM_COLUMN = ColumnSpec(
    "term",
    "Mức án",
    TERM,
    ("Mức hình phạt", "Thời hạn tù", "Án phạt", "Thời hạn"),
    hint="Ví dụ: 3 năm 6 tháng.",
    example="3 năm 6 tháng",
)
RELEASE_DATE = ColumnSpec(
    "release_date",
    "Ngày ra trại",
    DATE,
    (
        "Ngày chấp hành xong án phạt tù",
        "Ngày chấp hành xong",
        "Ngày được tha",
        "Ngày tha",
        "Ngày ra tù",
        "Ngày CHX",
        "Ngày chấp hành xong án",  # on a persons list; see PERSON_JUDGMENT_EXTRAS
    ),
    example="15/03/2023",
)
RELEASE_KIND = ColumnSpec(
    "release_kind",
    "Hình thức ra trại",
    CHOICE,
    ("Diện ra trại", "Lý do ra trại", "Hình thức", "Diện"),
    choices=RELEASE_KIND_CHOICES,
    example="Chấp hành xong án phạt tù",
)
FACILITY = ColumnSpec(
    "facility",
    "Trại giam",
    TEXT,
    ("Nơi chấp hành án", "Cơ sở giam giữ", "Trại", "Nơi chấp hành án phạt tù"),
    example="Trại giam Định Thành",
)

FINE_COLUMN = ColumnSpec(
    "fine_amount", "Số tiền phạt", MONEY, ("Tiền phạt", "Phạt tiền"), hint="Đồng; 1.500.000 hoặc 1,5 triệu."
)
PROBATION_COLUMN = ColumnSpec(
    "probation", "Thời gian thử thách", TERM, ("Thử thách",), hint="Với án treo, ví dụ: 2 năm."
)
FACILITY_UNIT = ColumnSpec(
    "facility_unit",
    "Mã đơn vị trại giam",
    INTEGER,
    ("Mã tỉnh trại giam", "Mã đơn vị trại", "Mã đơn vị nơi chấp hành án"),
    hint="Mã tỉnh (2 số) hoặc mã xã nơi đặt trại; trại chưa có trong hệ thống được thêm khi nhập.",
)
AMNESTY_NUMBER = ColumnSpec(
    "amnesty_decision_number", "Số quyết định đặc xá", TEXT, ("Quyết định đặc xá số", "Số QĐ đặc xá")
)
AMNESTY_DATE = ColumnSpec(
    "amnesty_decision_date", "Ngày quyết định đặc xá", DATE, ("Ngày QĐ đặc xá", "Ngày đặc xá")
)
PROBATION_END = ColumnSpec(
    "probation_ends_on",
    "Ngày hết thời gian thử thách",
    DATE,
    ("Ngày hết thử thách", "Hết thời gian thử thách"),
    hint="Với tha tù trước thời hạn có điều kiện.",
)

SERVING_STARTED = ColumnSpec(
    "main_penalty_started_on",
    "Ngày bắt đầu chấp hành án",
    DATE,
    ("Ngày bắt đầu thi hành án", "Ngày bắt đầu chấp hành", "Ngày bắt"),
)
SERVING_COMPLETED = ColumnSpec(
    "main_penalty_completed_on",
    "Ngày chấp hành xong hình phạt chính",
    DATE,
    ("Ngày chấp hành xong hình phạt", "Ngày chấp hành xong án"),
)
# The judgment values real lists of people carry besides the basic ones (the judgments sheet has
# them too). "Ngày chấp hành xong án" on a persons list is the release: RELEASE_DATE reads it there.
PERSON_JUDGMENT_EXTRAS = (
    FINE_COLUMN,
    PROBATION_COLUMN,
    SERVING_STARTED,
    replace(SERVING_COMPLETED, synonyms=("Ngày chấp hành xong hình phạt",)),
)

PERSONS = KindSpec(
    "persons",
    "Danh sách người chấp hành xong án phạt tù",
    (
        RECORD_CODE,
        FULL_NAME,
        OTHER_NAMES,
        BIRTH_DATE,
        SEX_COLUMN,
        ID_NUMBER_COLUMN,
        ColumnSpec("ethnicity", "Dân tộc", CHOICE, (), choices=ETHNICITY_CHOICES, example="Kinh"),
        ColumnSpec("religion", "Tôn giáo", CHOICE, ("TG",), choices=RELIGION_CHOICES, example="Không"),
        ColumnSpec("phone", "Số điện thoại", PHONE, ("Điện thoại", "SĐT")),
        *ADDRESS_COLUMNS,
        COURT,
        JUDGMENT_NUMBER,
        JUDGMENT_DATE,
        OFFENCE_DATE,
        OFFENCES_COLUMN,
        PENALTY,
        TERM_COLUMN,
        *PERSON_JUDGMENT_EXTRAS,
        RELEASE_DATE,
        RELEASE_KIND,
        FACILITY,
        FACILITY_UNIT,
        AMNESTY_NUMBER,
        AMNESTY_DATE,
        PROBATION_END,
        ColumnSpec(
            "certificate_number", "Số giấy chứng nhận", TEXT, ("Số GCN", "Giấy chứng nhận số", "GCN số")
        ),
        ColumnSpec("certificate_date", "Ngày cấp giấy chứng nhận", DATE, ("Ngày cấp GCN", "Ngày GCN")),
        NOTE,
    ),
    required_groups=(ADDRESS_GROUP,),
)

JUDGMENTS = KindSpec(
    "judgments",
    "Danh sách bản án",
    (
        RECORD_CODE,
        ColumnSpec(FULL_NAME.code, FULL_NAME.header, NAME, FULL_NAME.synonyms, example=FULL_NAME.example),
        BIRTH_DATE,
        ID_NUMBER_COLUMN,
        ColumnSpec(COURT.code, COURT.header, TEXT, COURT.synonyms, required=True, example=COURT.example),
        ColumnSpec(
            JUDGMENT_NUMBER.code,
            JUDGMENT_NUMBER.header,
            TEXT,
            JUDGMENT_NUMBER.synonyms,
            required=True,
            example=JUDGMENT_NUMBER.example,
        ),
        ColumnSpec(
            JUDGMENT_DATE.code,
            JUDGMENT_DATE.header,
            DATE,
            JUDGMENT_DATE.synonyms,
            required=True,
            example=JUDGMENT_DATE.example,
        ),
        ColumnSpec(
            OFFENCE_DATE.code,
            OFFENCE_DATE.header,
            DATE,
            OFFENCE_DATE.synonyms,
            required=True,
            example=OFFENCE_DATE.example,
        ),
        OFFENCES_COLUMN,
        ColumnSpec(
            PENALTY.code,
            PENALTY.header,
            CHOICE,
            PENALTY.synonyms,
            required=True,
            choices=PENALTY_CHOICES,
            example=PENALTY.example,
        ),
        TERM_COLUMN,
        FINE_COLUMN,
        PROBATION_COLUMN,
        SERVING_STARTED,
        SERVING_COMPLETED,
        NOTE,
    ),
    required_groups=(("record_code", "id_number", "full_name"),),
)

NOTICES = KindSpec(
    "notices",
    "Danh sách thông báo người sắp chấp hành xong án phạt tù",
    (
        RECORD_CODE,
        ColumnSpec(
            FULL_NAME.code,
            FULL_NAME.header,
            NAME,
            FULL_NAME.synonyms,
            required=True,
            example=FULL_NAME.example,
        ),
        BIRTH_DATE,
        SEX_COLUMN,
        ID_NUMBER_COLUMN,
        ColumnSpec(
            "facility",
            "Trại giam gửi thông báo",
            TEXT,
            ("Trại giam", "Cơ quan gửi", "Nơi gửi", "Đơn vị gửi"),
            example="Trại giam Định Thành",
        ),
        FACILITY_UNIT,
        ColumnSpec(
            "reference", "Số thông báo", TEXT, ("Thông báo số", "Số TB", "Số văn bản"), example="125/TB-TGĐT"
        ),
        ColumnSpec(
            "expected_release_date",
            "Ngày dự kiến ra trại",
            DATE,
            ("Ngày ra trại dự kiến", "Ngày hết án", "Dự kiến ra trại", "Ngày ra trại"),
            required=True,
            example="15/03/2026",
        ),
        ColumnSpec(
            RELEASE_KIND.code,
            RELEASE_KIND.header,
            CHOICE,
            RELEASE_KIND.synonyms,
            required=True,
            choices=RELEASE_KIND_CHOICES,
            example=RELEASE_KIND.example,
        ),
        ColumnSpec(
            "address",
            "Nơi về cư trú",
            ADDRESS,
            (
                "Nơi cư trú sau khi ra trại",
                "Nơi về",
                "Địa chỉ về",
                *ADDRESS_COLUMN.synonyms,
                ADDRESS_COLUMN.header,
            ),
            hint=ADDRESS_COLUMN.hint,
            example=ADDRESS_COLUMN.example,
        ),
        COMMUNE_COLUMN,
        DISTRICT_COLUMN,
        PROVINCE_COLUMN,
        ColumnSpec(
            "sentence_summary",
            "Kết quả chấp hành án",
            TEXT,
            ("Kết quả chấp hành án phạt tù", "Quá trình chấp hành án"),
        ),
        ColumnSpec(
            "additional_penalties", "Hình phạt bổ sung", TEXT, ("Hình phạt bổ sung còn phải chấp hành",)
        ),
        ColumnSpec(
            "received_on",
            "Ngày nhận thông báo",
            DATE,
            ("Ngày nhận", "Ngày nhận TB", "Ngày đến"),
            required=True,
            example="10/01/2026",
        ),
        NOTE,
    ),
    required_groups=(ADDRESS_GROUP,),
)

# The care kinds (helpers, children, support) reuse the columns above: imported last, on purpose.
from hoanhap.imports.reading.specs_care import CARE_KINDS  # noqa: E402

KINDS: dict[str, KindSpec] = {k.code: k for k in (PERSONS, JUDGMENTS, NOTICES, *CARE_KINDS)}
# Kinds of the issue whose columns wait for their apps (none left).
PLANNED_KINDS: tuple[str, ...] = ()


def get_kind(code: str) -> KindSpec | None:
    return KINDS.get(code)
