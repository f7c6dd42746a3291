"""A few news articles and answered feedback, so that the demo portal reads like a real one."""

from datetime import datetime, timedelta

from motcua.people.models import User
from motcua.portal import services as portal
from motcua.portal.models import Article, Feedback
from motcua.units.services import unit_on

ARTICLES = [
    (
        "mot-cua-cap-xa-sau-sap-xep",
        "Bộ phận một cửa cấp xã vận hành ổn định sau sắp xếp đơn vị hành chính",
        "Các Trung tâm Phục vụ hành chính công cấp xã tiếp nhận hồ sơ đúng quy trình, "
        "tỷ lệ giải quyết đúng hạn duy trì ở mức cao.",
        "Sau khi sắp xếp đơn vị hành chính, mỗi xã, phường đều bố trí Trung tâm Phục vụ hành chính công "
        "để tiếp nhận và trả kết quả thủ tục hành chính.\n\n"
        "Người dân có thể nộp hồ sơ trực tuyến, tra cứu tiến độ bằng mã hồ sơ và mã bí mật in trên giấy "
        "tiếp nhận, hoặc quét mã QR bằng điện thoại.\n\n"
        "Cán bộ một cửa được hướng dẫn số hóa giấy tờ ngay khi tiếp nhận để kết quả được cấp bản điện tử.",
    ),
    (
        "nop-ho-so-truc-tuyen-khai-sinh",
        "Hướng dẫn đăng ký khai sinh trực tuyến toàn trình",
        "Cha mẹ có thể đăng ký khai sinh cho con tại nhà: chuẩn bị tờ khai và giấy chứng sinh bản quét.",
        "Bước 1: đăng ký tài khoản trên Cổng bằng thư điện tử hoặc số điện thoại.\n\n"
        "Bước 2: tìm thủ tục “Đăng ký khai sinh”, bấm “Nộp hồ sơ trực tuyến”, chọn nơi tiếp nhận và đính "
        "kèm bản quét giấy tờ.\n\n"
        "Bước 3: theo dõi hồ sơ tại mục “Hồ sơ của tôi”; khi có kết quả, tải bản điện tử hoặc nhận tại "
        "bộ phận một cửa.",
    ),
    (
        "ket-qua-chi-so-phuc-vu",
        "Công khai chỉ số phục vụ người dân, doanh nghiệp hằng tháng",
        "Chỉ số được tính tự động từ dữ liệu hồ sơ và công khai tại mục “Kết quả” của Cổng.",
        "Chỉ số gồm các nhóm: công khai, minh bạch; tiến độ giải quyết; dịch vụ trực tuyến; mức độ hài "
        "lòng; số hóa hồ sơ.\n\n"
        "Mỗi đơn vị xem được điểm của mình, thứ hạng so với các đơn vị cùng cấp và những chỉ tiêu "
        "làm giảm điểm để khắc phục kịp thời.",
    ),
]


def ensure_portal_content(now: datetime) -> int:
    """Create the demo news and feedback once; returns how many things were made."""
    made = 0
    for n, (slug, title, lead, body) in enumerate(ARTICLES):
        _, created = Article.objects.get_or_create(
            slug=slug,
            defaults={"title": title, "lead": lead, "body": body, "published_at": now - timedelta(days=3 * n + 1)},
        )
        made += created
    if not Feedback.objects.exists():
        commune = unit_on("04105", now.date())
        if commune is not None:
            sent = portal.send_feedback(
                portal.FeedbackInput(
                    unit=commune,
                    name="Nguyễn Văn An",
                    contact="0912345678",
                    title="Đề nghị niêm yết thêm mẫu tờ khai hộ tịch",
                    content="Bộ phận một cửa xã nên có sẵn mẫu tờ khai để người dân điền tại chỗ.",
                ),
                at=now - timedelta(days=5),
            )
            leader = User.objects.filter(username="lanhdao.maison").first()
            if leader is not None:
                answer = "Trung tâm đã bổ sung mẫu tờ khai tại quầy và trên Cổng. Cảm ơn ông đã phản ánh."
                portal.answer_feedback(leader, sent, answer, publish=True, at=now - timedelta(days=4))
            made += 1
    return made
