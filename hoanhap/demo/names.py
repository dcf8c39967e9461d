"""Invented but believable people of old An Giang: names, faith, identity numbers (pure, seeded).

The demo province mixes four communities, each with its own way of naming:

* **Kinh** (most people): family name, middle name (``Văn`` for men and ``Thị`` for women in the
  countryside), given name; southern nicknames by birth rank (``Tư Hùng``, ``Út Tâm``) as other
  names; many are Hòa Hảo Buddhists. Given names that differ only by their marks (Hòa, Hoa, Hóa;
  Hùng, Hưng) are frequent on purpose, to exercise the search;
* **Khmer** (Tri Tôn, Tịnh Biên): men ``Chau …``, women ``Néang …`` (Chau Sóc Kha, Néang Sa Ry),
  and families named Thạch, Danh, Kim or Sơn; Theravada Buddhists;
* **Cham** (Tân Châu, An Phú, Châu Phú): Muslim names written in Vietnamese syllables (Mohamad Ysa,
  Sa Ri Da, Ha Sanh);
* **Hoa** (Long Xuyên, Châu Đốc): Chinese family names Lâm, Quách, Lý, Trịnh… (Lâm Quốc Cường).

Nothing here touches the database; every function takes the ``random.Random`` of one person.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from hoanhap.people.rules import identity

KINH, KHMER, HOA, CHAM = 1, 5, 6, 14  # codes of hoanhap.people.ethnicities
MALE, FEMALE = "male", "female"

Weighted = list[tuple[str, float]]


class Table:
    """Weighted options with cumulative weights computed once (drawn hundreds of thousands of times)."""

    def __init__(self, options) -> None:
        self.items = [item for item, _weight in options]
        self.cum = list(itertools.accumulate(weight for _item, weight in options))

    def draw(self, rng: random.Random):
        return rng.choices(self.items, cum_weights=self.cum)[0]


_tables: dict[int, tuple[object, Table]] = {}


def weighted(rng: random.Random, options):
    """One of ``options`` ((item, weight) pairs in a list or tuple that does not change) by weight."""
    cached = _tables.get(id(options))
    if cached is None or cached[0] is not options:
        cached = _tables[id(options)] = (options, Table(options))
    return cached[1].draw(rng)


def pick(rng: random.Random, options: Weighted) -> str:
    return weighted(rng, options)


KINH_FAMILY: Weighted = [
    ("Nguyễn", 31), ("Trần", 11), ("Lê", 9), ("Huỳnh", 6), ("Phạm", 5), ("Võ", 5), ("Phan", 4),
    ("Trương", 2), ("Đặng", 2), ("Bùi", 2), ("Ngô", 2), ("Hồ", 2), ("Đỗ", 1), ("Dương", 1), ("Lý", 1),
    ("Đinh", 1), ("Lâm", 1), ("Châu", 1), ("Tô", 1), ("Mai", 1), ("Cao", 1), ("Đoàn", 1), ("Lưu", 1),
]  # fmt: skip
KINH_MIDDLE = {
    MALE: [("Văn", 60), ("Minh", 6), ("Thanh", 6), ("Quốc", 4), ("Hữu", 4), ("Hoàng", 3), ("Công", 3),
           ("Tấn", 3), ("Thành", 3), ("Ngọc", 3), ("Chí", 2), ("Trung", 2), ("Đức", 2), ("Phước", 1)],
    FEMALE: [("Thị", 70), ("Ngọc", 8), ("Kim", 6), ("Thanh", 5), ("Mỹ", 5), ("Thu", 3), ("Bích", 2), ("Hồng", 2)],
}  # fmt: skip
KINH_GIVEN = {
    MALE: [("Hòa", 6), ("Hóa", 4), ("Hùng", 4), ("Hưng", 3), ("Dũng", 3), ("Tâm", 3), ("Phúc", 2), ("Tài", 2),
           ("Lộc", 2), ("Hải", 2), ("Sơn", 2), ("Tuấn", 2), ("Khang", 1), ("Vinh", 2), ("Hiếu", 2), ("Nghĩa", 2),
           ("Thắng", 2), ("Toàn", 1), ("Tú", 1), ("Bình", 2), ("Cường", 2), ("Đạt", 1), ("Hậu", 2), ("Kha", 1),
           ("Khánh", 1), ("Luân", 1), ("Nam", 2), ("Nhân", 1), ("Nhựt", 1), ("Phong", 1), ("Quang", 1),
           ("Sang", 2), ("Thanh", 2), ("Thiện", 1), ("Trí", 1), ("Trọng", 1), ("Tùng", 1), ("Vũ", 1),
           ("Bảo", 1), ("Duy", 1), ("Em", 1), ("Kiệt", 1), ("Long", 2), ("Phát", 1), ("Tiến", 1), ("Tín", 1),
           ("Út", 1), ("Xuân", 1), ("Lực", 1), ("Mến", 1), ("Thông", 1), ("Triều", 1)],
    FEMALE: [("Hoa", 6), ("Hòa", 4), ("Lan", 2), ("Hương", 2), ("Mai", 2), ("Linh", 2), ("Ngân", 1), ("Nhung", 1),
             ("Loan", 2), ("Thảo", 2), ("Trang", 2), ("Tuyết", 1), ("Vân", 1), ("Yến", 2), ("Phượng", 1),
             ("Diễm", 1), ("Hạnh", 1), ("Kiều", 1), ("Liên", 1), ("Nga", 1), ("Nhi", 1), ("Thủy", 2), ("Trinh", 1),
             ("Xuân", 1), ("Hằng", 1), ("Hồng", 1), ("Lệ", 1), ("My", 1)],
}  # fmt: skip
BIRTH_RANKS = ["Hai", "Ba", "Tư", "Năm", "Sáu", "Bảy", "Tám", "Chín", "Mười", "Út"]
NICKNAMES = ["Tèo", "Bé", "Tí", "Cu", "Đen", "Lì", "Mập", "Nhỏ"]

KHMER_MALE_GIVEN = ["Sóc Kha", "Phi Rum", "Sang", "Ty", "Thol", "Sóc Khăm", "Sa Rinh", "Kim Sơn", "Sóc Thy",
                    "Pho", "Na", "Sóc Phép", "Đa Ra", "Ni", "Sóc Rây", "Vi Sal", "Chanh Thi", "Sa Rương", "Hiền",
                    "Sóc Hên", "Sen", "Kol", "Thươne", "Sô Phal"]  # fmt: skip
KHMER_FEMALE_GIVEN = ["Sa Ry", "Sô Phi", "Sa Vươl", "Chanh Thu", "Sa Rết", "Sóc Mây", "Thi", "Ni", "Sa Phon",
                      "Kim Hoa", "Sóc Ry", "Sa Ma Ly", "Sa Mây", "Rươne", "Chanh Đa"]  # fmt: skip
KHMER_FAMILIES = ["Thạch", "Danh", "Kim", "Sơn", "Lâm"]

CHAM_MALE = ["Mohamad", "Ysa", "Ha Sanh", "Mu Ha Mách", "Sô Lây Man", "Ab Đul Ha Lim", "Ka Ri", "Sa Lêh",
             "Ha Mít", "Y Sác", "Ha Ri", "Mah Mút", "Su Ma Ly", "Ro Sắc", "Ys Mai", "Sa Mách", "Ly"]  # fmt: skip
CHAM_FEMALE = ["Sa Ri Da", "Ma Ry Am", "Ha Wa", "Sa Pi Dah", "Ro Ky Dah", "Fa Ti Mah", "Ai Sah", "Ka Ri Mah",
               "Ha Li Mah", "Sa Phi Ah", "Sa Ly"]  # fmt: skip

HOA_FAMILY: Weighted = [
    ("Lâm", 4), ("Quách", 3), ("Lý", 3), ("Trịnh", 2), ("Trương", 2), ("Lưu", 2), ("Tạ", 1), ("Mã", 1),
    ("Hứa", 2), ("Diệp", 1), ("Châu", 1), ("Tăng", 1), ("Vương", 1), ("Khưu", 1), ("Thái", 1),
]  # fmt: skip
HOA_MIDDLE = {MALE: ["Quốc", "Gia", "Kiến", "Vĩnh", "Tuấn", "Chí", "Hữu", "Minh"],
              FEMALE: ["Huệ", "Mỹ", "Tú", "Ngọc", "Lệ", "Bội"]}  # fmt: skip
HOA_GIVEN = {MALE: ["Cường", "Huy", "Phát", "Tài", "Hưng", "Kiệt", "Hào", "Vinh", "Minh", "Khải", "Thành", "Đạt"],
             FEMALE: ["Trân", "Linh", "Anh", "Quyên", "Phương", "Hà", "Mai", "Nghi"]}  # fmt: skip

# Faith by community (Person.Religion codes); Hòa Hảo Buddhism is strong in old An Giang.
RELIGIONS: dict[int, Weighted] = {
    KINH: [
        ("hoa_hao", 30),
        ("buddhism", 25),
        ("none", 35),
        ("catholic", 5),
        ("cao_dai", 4),
        ("protestant", 1),
    ],
    KHMER: [("buddhism", 95), ("none", 5)],
    CHAM: [("islam", 100)],
    HOA: [("buddhism", 50), ("none", 45), ("other", 5)],
}

# Province of birth registration (first three digits of the personal identification number).
BIRTH_PROVINCES: dict[int, Weighted] = {
    KINH: [("089", 82), ("091", 5), ("087", 4), ("092", 3), ("079", 3), ("086", 1), ("093", 1), ("096", 1)],
    KHMER: [("089", 85), ("094", 6), ("084", 5), ("091", 4)],
    CHAM: [("089", 97), ("072", 3)],
    HOA: [("089", 80), ("079", 10), ("092", 5), ("091", 5)],
}

# Names the demo shows on purpose (the brief's examples), given to the first people of the plan.
FEATURED: list[tuple[str, str, int]] = [
    ("Chau Sóc Kha", MALE, KHMER),
    ("Néang Sa Ry", FEMALE, KHMER),
    ("Thạch Văn Sang", MALE, KHMER),
    ("Mohamad Ysa", MALE, CHAM),
    ("Sa Ri Da", FEMALE, CHAM),
    ("Lâm Quốc Cường", MALE, HOA),
    ("Quách Gia Huy", MALE, HOA),
    ("Nguyễn Văn Hòa", MALE, KINH),
    ("Nguyễn Văn Hóa", MALE, KINH),
    ("Nguyễn Thị Hoa", FEMALE, KINH),
    ("Nguyễn Thị Hòa", FEMALE, KINH),
    ("Trần Văn Hùng", MALE, KINH),
    ("Trần Văn Hưng", MALE, KINH),
]


@dataclass(frozen=True)
class Identity:
    full_name: str
    other_names: str
    sex: str
    ethnicity: int
    religion: str


def full_name(rng: random.Random, sex: str, ethnicity: int) -> str:
    if ethnicity == KHMER:
        style = rng.random()
        if style < 0.65:
            return ("Chau " if sex == MALE else "Néang ") + rng.choice(
                KHMER_MALE_GIVEN if sex == MALE else KHMER_FEMALE_GIVEN
            )
        family = "Thạch" if style < 0.85 else rng.choice(KHMER_FAMILIES)
        middle = ("Văn " if rng.random() < 0.4 else "") if sex == MALE else "Thị "
        return f"{family} {middle}{rng.choice(KHMER_MALE_GIVEN if sex == MALE else KHMER_FEMALE_GIVEN)}"
    if ethnicity == CHAM:
        if sex == FEMALE:
            return rng.choice(CHAM_FEMALE)
        first, second = rng.sample(CHAM_MALE, 2)
        return f"{first} {second}" if rng.random() < 0.7 else first
    if ethnicity == HOA:
        return f"{pick(rng, HOA_FAMILY)} {rng.choice(HOA_MIDDLE[sex])} {rng.choice(HOA_GIVEN[sex])}"
    return f"{pick(rng, KINH_FAMILY)} {pick(rng, KINH_MIDDLE[sex])} {pick(rng, KINH_GIVEN[sex])}"


def other_names(rng: random.Random, name: str, ethnicity: int) -> str:
    """A nickname in about one case in five: the birth rank with the given name, or a pet name."""
    if ethnicity != KINH or rng.random() > 0.2:
        return ""
    given = name.split()[-1]
    if rng.random() < 0.7:
        return f"{rng.choice(BIRTH_RANKS)} {given}"
    return rng.choice(NICKNAMES)


def identity_of(rng: random.Random, *, ethnicity: int, sex: str, featured: str = "") -> Identity:
    name = featured or full_name(rng, sex, ethnicity)
    return Identity(
        full_name=name,
        other_names=other_names(rng, name, ethnicity),
        sex=sex,
        ethnicity=ethnicity,
        religion=pick(rng, RELIGIONS[ethnicity]),
    )


def personal_id(rng: random.Random, *, sex: str, birth_year: int, ethnicity: int, taken: set[str]) -> str:
    """A 12-digit number that passes ``people.rules.identity`` (and no one else's in ``taken``)."""
    province = pick(rng, BIRTH_PROVINCES[ethnicity])
    digit = identity.century_digit(sex, birth_year)
    serial = rng.randrange(1_000_000)
    while True:
        number = f"{province}{digit}{birth_year % 100:02d}{serial:06d}"
        if number not in taken:
            taken.add(number)
            return number
        serial = (serial + 1) % 1_000_000


def old_id_number(rng: random.Random) -> str:
    """A 9-digit identity card (CMND) number of old An Giang (they began with 35)."""
    return f"35{rng.randrange(10_000_000):07d}"
