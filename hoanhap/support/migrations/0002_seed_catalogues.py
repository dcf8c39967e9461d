"""The support kinds and funding sources of the first issue (codes never change; names may)."""

from django.db import migrations

KINDS = [
    # code, Vietnamese, English, value basis, asks item, tracks employment, legal reference
    (
        "vocational_training",
        "Đào tạo nghề",
        "Vocational training",
        "cash",
        False,
        False,
        "Nghị định 49/2020/NĐ-CP Điều 11",
    ),
    (
        "job_introduction",
        "Giới thiệu việc làm",
        "Job introduction",
        "none",
        False,
        True,
        "Nghị định 49/2020/NĐ-CP Điều 11",
    ),
    ("job_placement", "Tạo việc làm, nhận vào làm việc", "Job placement", "none", False, True, ""),
    ("self_employment", "Hỗ trợ tự tạo việc làm", "Self-employment support", "cash", False, False, ""),
    (
        "policy_bank_loan",
        "Vay vốn Ngân hàng Chính sách xã hội",
        "Policy-bank loan",
        "cash",
        False,
        False,
        "Quyết định 22/2023/QĐ-TTg",
    ),
    ("fund_loan", "Vay vốn quỹ", "Fund loan", "cash", False, False, ""),
    ("health_insurance", "Thẻ bảo hiểm y tế", "Health insurance", "estimate", False, False, ""),
    ("accident_insurance", "Bảo hiểm tai nạn", "Accident insurance", "estimate", False, False, ""),
    ("house_building", "Xây nhà", "House building", "cash", False, False, ""),
    ("house_repair", "Sửa chữa nhà", "House repair", "cash", False, False, ""),
    ("hardship_cash", "Trợ cấp khó khăn", "Hardship cash", "cash", False, False, ""),
    ("gift_in_kind", "Tặng quà, hiện vật", "Gift in kind", "estimate", True, False, ""),
    ("scholarship", "Học bổng", "Scholarship", "cash", False, False, ""),
    ("legal_aid", "Trợ giúp pháp lý", "Legal aid", "none", False, False, ""),
    ("counselling", "Tư vấn tâm lý", "Counselling", "none", False, False, ""),
    (
        "papers_help",
        "Hỗ trợ giấy tờ (cư trú, căn cước)",
        "Help with papers (residence, identity card)",
        "none",
        False,
        False,
        "Thông tư 10/2024/TT-BCA Điều 9",
    ),
]

SOURCES = [
    ("state_budget", "Ngân sách nhà nước", "State budget"),
    ("prison_fund", "Quỹ hòa nhập cộng đồng của trại giam", "Detention facility's reintegration fund"),
    ("revolving_fund", "Quỹ quay vòng", "Revolving fund"),
    ("policy_bank", "Ngân hàng Chính sách xã hội", "Policy bank"),
    ("donors", "Nhà hảo tâm, doanh nghiệp", "Donors"),
    ("other", "Nguồn khác", "Other"),
]


def seed(apps, schema_editor):
    SupportKind = apps.get_model("support", "SupportKind")
    FundingSource = apps.get_model("support", "FundingSource")
    for order, (code, vi, en, basis, item, employment, reference) in enumerate(KINDS, 1):
        SupportKind.objects.update_or_create(
            code=code,
            defaults={
                "name_vi": vi,
                "name_en": en,
                "value_basis": basis,
                "asks_item": item,
                "tracks_employment": employment,
                "legal_reference": reference,
                "order": order * 10,
            },
        )
    for order, (code, vi, en) in enumerate(SOURCES, 1):
        FundingSource.objects.update_or_create(
            code=code, defaults={"name_vi": vi, "name_en": en, "order": order * 10}
        )


def unseed(apps, schema_editor):
    apps.get_model("support", "SupportKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()
    apps.get_model("support", "FundingSource").objects.filter(code__in=[s[0] for s in SOURCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("support", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
