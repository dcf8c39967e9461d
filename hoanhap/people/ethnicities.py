"""The 54 ethnic groups of Việt Nam, coded as in the official statistical list.

Codes and order follow the General Statistics Office's "Danh mục các dân tộc Việt Nam"
(Decision 1019/QĐ-TCTK of 12/11/2008, the list used by the 2009 and 2019 censuses), in which the
groups are numbered 01–54 by population. Names are the Vietnamese names of that list; they are
proper names and are not translated.
"""

from __future__ import annotations

ETHNICITIES: tuple[tuple[int, str], ...] = (
    (1, "Kinh"),
    (2, "Tày"),
    (3, "Thái"),
    (4, "Mường"),
    (5, "Khơ-me"),
    (6, "Hoa"),
    (7, "Nùng"),
    (8, "Mông"),
    (9, "Dao"),
    (10, "Gia-rai"),
    (11, "Ê-đê"),
    (12, "Ba-na"),
    (13, "Sán Chay"),
    (14, "Chăm"),
    (15, "Cơ-ho"),
    (16, "Xơ-đăng"),
    (17, "Sán Dìu"),
    (18, "Hrê"),
    (19, "Ra-glai"),
    (20, "Mnông"),
    (21, "Thổ"),
    (22, "Xtiêng"),
    (23, "Khơ-mú"),
    (24, "Bru-Vân Kiều"),
    (25, "Cơ-tu"),
    (26, "Giáy"),
    (27, "Tà-ôi"),
    (28, "Mạ"),
    (29, "Giẻ-Triêng"),
    (30, "Co"),
    (31, "Chơ-ro"),
    (32, "Xinh-mun"),
    (33, "Hà Nhì"),
    (34, "Chu-ru"),
    (35, "Lào"),
    (36, "Kháng"),
    (37, "La Chí"),
    (38, "Phù Lá"),
    (39, "La Hủ"),
    (40, "La Ha"),
    (41, "Pà Thẻn"),
    (42, "Lự"),
    (43, "Ngái"),
    (44, "Chứt"),
    (45, "Lô Lô"),
    (46, "Mảng"),
    (47, "Cơ Lao"),
    (48, "Bố Y"),
    (49, "Cống"),
    (50, "Si La"),
    (51, "Pu Péo"),
    (52, "Rơ-măm"),
    (53, "Brâu"),
    (54, "Ơ-đu"),
)

KINH = 1
ETHNICITY_CHOICES = list(ETHNICITIES)
NAMES: dict[int, str] = dict(ETHNICITIES)


def name_of(code: int | None) -> str:
    """The name of an ethnic group by code ('' when unknown)."""
    return NAMES.get(code or 0, "")
