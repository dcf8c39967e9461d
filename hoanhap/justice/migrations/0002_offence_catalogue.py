"""Seed the offence catalogue: common articles of the Criminal Code 2015 (amended 2017).

A realistic subset, not the whole special part. Each row: article, official heading, chapter, the
severity class of the basic crime (the bracket of clause 1 under Art. 9: up to 3 years less serious,
up to 7 serious, up to 15 very serious, beyond particularly serious) and the usual intent. The class a
court's clause gives is recorded on the judgment line. Headings to be checked against the official
text (vbpl.vn) before production; administrators may add articles later.
"""

from django.db import migrations

LS, S, VS, PS = "less_serious", "serious", "very_serious", "particularly_serious"
I, N = "intentional", "negligent"

OFFENCES = [
    # Chapter XIII — crimes against national security
    (108, "Tội phản bội Tổ quốc", 13, PS, I),
    (109, "Tội hoạt động nhằm lật đổ chính quyền nhân dân", 13, PS, I),
    (110, "Tội gián điệp", 13, PS, I),
    (112, "Tội bạo loạn", 13, PS, I),
    (113, "Tội khủng bố nhằm chống chính quyền nhân dân", 13, PS, I),
    (
        117,
        "Tội làm, tàng trữ, phát tán hoặc tuyên truyền thông tin, tài liệu, vật phẩm nhằm chống Nhà nước "
        "Cộng hòa xã hội chủ nghĩa Việt Nam",
        13,
        VS,
        I,
    ),
    (118, "Tội phá rối an ninh", 13, VS, I),
    (121, "Tội trốn đi nước ngoài hoặc trốn ở lại nước ngoài nhằm chống chính quyền nhân dân", 13, VS, I),
    # Chapter XIV — crimes against life, health, dignity and honour
    (123, "Tội giết người", 14, PS, I),
    (125, "Tội giết người trong trạng thái tinh thần bị kích động mạnh", 14, LS, I),
    (
        126,
        "Tội giết người do vượt quá giới hạn phòng vệ chính đáng hoặc do vượt quá mức cần thiết khi bắt "
        "giữ người phạm tội",
        14,
        LS,
        I,
    ),
    (128, "Tội vô ý làm chết người", 14, S, N),
    (129, "Tội vô ý làm chết người do vi phạm quy tắc nghề nghiệp hoặc quy tắc hành chính", 14, S, N),
    (130, "Tội bức tử", 14, S, I),
    (133, "Tội đe dọa giết người", 14, LS, I),
    (134, "Tội cố ý gây thương tích hoặc gây tổn hại cho sức khỏe của người khác", 14, LS, I),
    (
        135,
        "Tội cố ý gây thương tích hoặc gây tổn hại cho sức khỏe của người khác trong trạng thái tinh thần "
        "bị kích động mạnh",
        14,
        LS,
        I,
    ),
    (
        136,
        "Tội cố ý gây thương tích hoặc gây tổn hại cho sức khỏe của người khác do vượt quá giới hạn phòng "
        "vệ chính đáng hoặc do vượt quá mức cần thiết khi bắt giữ người phạm tội",
        14,
        LS,
        I,
    ),
    (138, "Tội vô ý gây thương tích hoặc gây tổn hại cho sức khỏe của người khác", 14, LS, N),
    (140, "Tội hành hạ người khác", 14, LS, I),
    (141, "Tội hiếp dâm", 14, S, I),
    (142, "Tội hiếp dâm người dưới 16 tuổi", 14, VS, I),
    (143, "Tội cưỡng dâm", 14, S, I),
    (
        145,
        "Tội giao cấu hoặc thực hiện hành vi quan hệ tình dục khác với người từ đủ 13 tuổi đến dưới 16 tuổi",
        14,
        S,
        I,
    ),
    (146, "Tội dâm ô đối với người dưới 16 tuổi", 14, LS, I),
    (150, "Tội mua bán người", 14, VS, I),
    (151, "Tội mua bán người dưới 16 tuổi", 14, VS, I),
    (155, "Tội làm nhục người khác", 14, LS, I),
    (156, "Tội vu khống", 14, LS, I),
    # Chapter XV — crimes against freedoms and democratic rights of citizens
    (157, "Tội bắt, giữ hoặc giam người trái pháp luật", 15, LS, I),
    (158, "Tội xâm phạm chỗ ở của người khác", 15, LS, I),
    # Chapter XVI — crimes against property
    (168, "Tội cướp tài sản", 16, VS, I),
    (169, "Tội bắt cóc nhằm chiếm đoạt tài sản", 16, S, I),
    (170, "Tội cưỡng đoạt tài sản", 16, S, I),
    (171, "Tội cướp giật tài sản", 16, S, I),
    (172, "Tội công nhiên chiếm đoạt tài sản", 16, LS, I),
    (173, "Tội trộm cắp tài sản", 16, LS, I),
    (174, "Tội lừa đảo chiếm đoạt tài sản", 16, LS, I),
    (175, "Tội lạm dụng tín nhiệm chiếm đoạt tài sản", 16, LS, I),
    (176, "Tội chiếm giữ trái phép tài sản", 16, LS, I),
    (177, "Tội sử dụng trái phép tài sản", 16, LS, I),
    (178, "Tội hủy hoại hoặc cố ý làm hư hỏng tài sản", 16, LS, I),
    (180, "Tội vô ý gây thiệt hại nghiêm trọng đến tài sản", 16, LS, N),
    # Chapter XVII — crimes against marriage and family
    (182, "Tội vi phạm chế độ một vợ, một chồng", 17, LS, I),
    (
        185,
        "Tội ngược đãi hoặc hành hạ ông bà, cha mẹ, vợ chồng, con, cháu hoặc người có công nuôi dưỡng mình",
        17,
        LS,
        I,
    ),
    (186, "Tội từ chối hoặc trốn tránh nghĩa vụ cấp dưỡng", 17, LS, I),
    # Chapter XVIII — crimes against the economic management order
    (188, "Tội buôn lậu", 18, LS, I),
    (190, "Tội sản xuất, buôn bán hàng cấm", 18, S, I),
    (191, "Tội tàng trữ, vận chuyển hàng cấm", 18, LS, I),
    (192, "Tội sản xuất, buôn bán hàng giả", 18, S, I),
    (200, "Tội trốn thuế", 18, LS, I),
    (201, "Tội cho vay lãi nặng trong giao dịch dân sự", 18, LS, I),
    (207, "Tội làm, tàng trữ, vận chuyển, lưu hành tiền giả", 18, S, I),
    (232, "Tội vi phạm quy định về khai thác, bảo vệ rừng và quản lý lâm sản", 18, LS, I),
    # Chapter XIX — crimes against the environment
    (235, "Tội gây ô nhiễm môi trường", 19, S, I),
    (242, "Tội hủy hoại nguồn lợi thủy sản", 19, LS, I),
    (243, "Tội hủy hoại rừng", 19, S, I),
    (244, "Tội vi phạm quy định về quản lý, bảo vệ động vật nguy cấp, quý, hiếm", 19, S, I),
    # Chapter XX — drug-related crimes
    (
        247,
        "Tội trồng cây thuốc phiện, cây côca, cây cần sa hoặc các loại cây khác có chứa chất ma túy",
        20,
        LS,
        I,
    ),
    (248, "Tội sản xuất trái phép chất ma túy", 20, S, I),
    (249, "Tội tàng trữ trái phép chất ma túy", 20, S, I),
    (250, "Tội vận chuyển trái phép chất ma túy", 20, S, I),
    (251, "Tội mua bán trái phép chất ma túy", 20, S, I),
    (252, "Tội chiếm đoạt chất ma túy", 20, S, I),
    (255, "Tội tổ chức sử dụng trái phép chất ma túy", 20, S, I),
    (256, "Tội chứa chấp việc sử dụng trái phép chất ma túy", 20, S, I),
    (257, "Tội cưỡng bức người khác sử dụng trái phép chất ma túy", 20, S, I),
    (258, "Tội lôi kéo người khác sử dụng trái phép chất ma túy", 20, S, I),
    # Chapter XXI — crimes against public safety and public order
    (260, "Tội vi phạm quy định về tham gia giao thông đường bộ", 21, S, N),
    (265, "Tội tổ chức đua xe trái phép", 21, S, I),
    (266, "Tội đua xe trái phép", 21, LS, I),
    (288, "Tội đưa hoặc sử dụng trái phép thông tin mạng máy tính, mạng viễn thông", 21, LS, I),
    (
        290,
        "Tội sử dụng mạng máy tính, mạng viễn thông, phương tiện điện tử thực hiện hành vi chiếm đoạt tài sản",
        21,
        LS,
        I,
    ),
    (299, "Tội khủng bố", 21, PS, I),
    (
        304,
        "Tội chế tạo, tàng trữ, vận chuyển, sử dụng, mua bán trái phép hoặc chiếm đoạt vũ khí quân dụng, "
        "phương tiện kỹ thuật quân sự",
        21,
        S,
        I,
    ),
    (
        305,
        "Tội chế tạo, tàng trữ, vận chuyển, sử dụng, mua bán trái phép hoặc chiếm đoạt vật liệu nổ",
        21,
        S,
        I,
    ),
    (
        306,
        "Tội chế tạo, tàng trữ, vận chuyển, sử dụng, mua bán trái phép hoặc chiếm đoạt vũ khí thô sơ, "
        "công cụ hỗ trợ",
        21,
        LS,
        I,
    ),
    (318, "Tội gây rối trật tự công cộng", 21, LS, I),
    (319, "Tội xâm phạm thi thể, mồ mả, hài cốt", 21, LS, I),
    (320, "Tội hành nghề mê tín, dị đoan", 21, LS, I),
    (321, "Tội đánh bạc", 21, LS, I),
    (322, "Tội tổ chức đánh bạc hoặc gá bạc", 21, S, I),
    (323, "Tội chứa chấp hoặc tiêu thụ tài sản do người khác phạm tội mà có", 21, LS, I),
    (324, "Tội rửa tiền", 21, S, I),
    (326, "Tội truyền bá văn hóa phẩm đồi trụy", 21, LS, I),
    (327, "Tội chứa mại dâm", 21, S, I),
    (328, "Tội môi giới mại dâm", 21, LS, I),
    (329, "Tội mua dâm người dưới 18 tuổi", 21, S, I),
    # Chapter XXII — crimes against the administrative management order
    (330, "Tội chống người thi hành công vụ", 22, LS, I),
    (
        331,
        "Tội lợi dụng các quyền tự do dân chủ xâm phạm lợi ích của Nhà nước, quyền, lợi ích hợp pháp của "
        "tổ chức, cá nhân",
        22,
        LS,
        I,
    ),
    (332, "Tội trốn tránh nghĩa vụ quân sự", 22, LS, I),
    (
        341,
        "Tội làm giả con dấu, tài liệu của cơ quan, tổ chức; tội sử dụng con dấu, tài liệu giả của cơ "
        "quan, tổ chức",
        22,
        LS,
        I,
    ),
    (347, "Tội vi phạm quy định về xuất cảnh, nhập cảnh; tội ở lại Việt Nam trái phép", 22, LS, I),
    (
        348,
        "Tội tổ chức, môi giới cho người khác xuất cảnh, nhập cảnh hoặc ở lại Việt Nam trái phép",
        22,
        S,
        I,
    ),
    (
        349,
        "Tội tổ chức, môi giới cho người khác trốn đi nước ngoài hoặc ở lại nước ngoài trái phép",
        22,
        S,
        I,
    ),
    # Chapter XXIII — duty-related crimes
    (353, "Tội tham ô tài sản", 23, S, I),
    (354, "Tội nhận hối lộ", 23, S, I),
    (355, "Tội lạm dụng chức vụ, quyền hạn chiếm đoạt tài sản", 23, S, I),
    (356, "Tội lợi dụng chức vụ, quyền hạn trong khi thi hành công vụ", 23, S, I),
    (360, "Tội thiếu trách nhiệm gây hậu quả nghiêm trọng", 23, S, N),
    (364, "Tội đưa hối lộ", 23, LS, I),
    (365, "Tội môi giới hối lộ", 23, LS, I),
    # Chapter XXIV — crimes against judicial activities
    (380, "Tội không chấp hành án", 24, LS, I),
    (386, "Tội trốn khỏi nơi giam, giữ hoặc trốn khi đang bị áp giải, đang bị xét xử", 24, LS, I),
    (389, "Tội che giấu tội phạm", 24, S, I),
    (390, "Tội không tố giác tội phạm", 24, LS, I),
    # Chapter XXV — crimes against the duties of military personnel
    (394, "Tội chống mệnh lệnh", 25, S, I),
    (402, "Tội đào ngũ", 25, LS, I),
    # Chapter XXVI — crimes against peace and humanity, and war crimes
    (421, "Tội phá hoại hòa bình, gây chiến tranh xâm lược", 26, PS, I),
    (422, "Tội chống loài người", 26, PS, I),
    (423, "Tội phạm chiến tranh", 26, PS, I),
    (424, "Tội tuyển mộ, huấn luyện hoặc sử dụng lính đánh thuê", 26, PS, I),
    (425, "Tội làm lính đánh thuê", 26, VS, I),
]


def fold(text):
    """Lower-case ASCII key, as ``hoanhap.core.text.fold`` (repeated: a migration imports no app code)."""
    import re
    import unicodedata

    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s]", " ", text.lower().replace("_", " "))
    return re.sub(r"\s+", " ", text).strip()


def seed(apps, schema_editor):
    Offence = apps.get_model("justice", "Offence")
    for article, name, chapter, severity, intent in OFFENCES:
        Offence.objects.update_or_create(
            article=article,
            clause="",
            defaults={
                "name": name,
                "name_folded": fold(name),
                "chapter": chapter,
                "severity": severity,
                "intent": intent,
                "is_active": True,
            },
        )


def unseed(apps, schema_editor):
    Offence = apps.get_model("justice", "Offence")
    Offence.objects.filter(clause="", article__in=[row[0] for row in OFFENCES]).delete()


class Migration(migrations.Migration):
    dependencies = [("justice", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
