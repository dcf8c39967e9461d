"""The seeded offence catalogue (data migration 0002): a realistic subset of the Criminal Code 2015."""

import pytest

from hoanhap.justice.models import Offence
from hoanhap.justice.selectors import offence_search

pytestmark = pytest.mark.django_db


def test_catalogue_covers_every_chapter_including_xiii_and_xxvi():
    """At least 60 articles, every chapter XIII–XXVI present; XIII and XXVI go to the court route."""
    assert Offence.objects.count() >= 60
    assert set(Offence.objects.values_list("chapter", flat=True)) == set(range(13, 27))
    assert Offence.objects.get(article=109).name == "Tội hoạt động nhằm lật đổ chính quyền nhân dân"
    assert Offence.objects.get(article=421).chapter == 26


@pytest.mark.parametrize(
    ("article", "name", "chapter", "severity", "intent"),
    [
        (123, "Tội giết người", 14, "particularly_serious", "intentional"),
        (
            134,
            "Tội cố ý gây thương tích hoặc gây tổn hại cho sức khỏe của người khác",
            14,
            "less_serious",
            "intentional",
        ),
        (168, "Tội cướp tài sản", 16, "very_serious", "intentional"),
        (171, "Tội cướp giật tài sản", 16, "serious", "intentional"),
        (173, "Tội trộm cắp tài sản", 16, "less_serious", "intentional"),
        (249, "Tội tàng trữ trái phép chất ma túy", 20, "serious", "intentional"),
        (251, "Tội mua bán trái phép chất ma túy", 20, "serious", "intentional"),
        (260, "Tội vi phạm quy định về tham gia giao thông đường bộ", 21, "serious", "negligent"),
        (321, "Tội đánh bạc", 21, "less_serious", "intentional"),
        (330, "Tội chống người thi hành công vụ", 22, "less_serious", "intentional"),
    ],
)
def test_common_articles_have_their_name_chapter_class_and_intent(article, name, chapter, severity, intent):
    offence = Offence.objects.get(article=article, clause="")
    assert (offence.name, offence.chapter, offence.severity, offence.intent) == (
        name,
        chapter,
        severity,
        intent,
    )
    assert offence.name_folded  # searchable without tone marks


def test_search_by_number_and_by_words_without_tone_marks():
    assert [o.article for o in offence_search(query="Đ.173")] == [173]
    assert 174 in [o.article for o in offence_search(query="lua dao")]
    assert list(offence_search(query="khong co toi nay")) == []
