"""The notices' words as first published, in Vietnamese and English (editable in the admin)."""

from django.db import migrations

VI_SIGN = "\n\nTrân trọng.\n{unit}\n\nThư này được gửi tự động, xin Ông/Bà vui lòng không trả lời thư này."
EN_SIGN = "\n\nYours faithfully,\n{unit}\n\nThis message was sent automatically; please do not reply to it."

# (event, language, e-mail subject, e-mail body, SMS)
TEMPLATES = [
    (
        "receipt",
        "vi",
        "Tiếp nhận hồ sơ {code}",
        "Kính gửi Ông/Bà {applicant},\n\n{unit} thông báo đã tiếp nhận hồ sơ của Ông/Bà:\n"
        "- Mã số hồ sơ: {code}\n- Thủ tục: {procedure}\n- Thời gian hẹn trả kết quả: {appointment}\n\n"
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được gửi kèm thư này. Ông/Bà có thể tra cứu tình trạng "
        "giải quyết hồ sơ tại: {lookup_url}" + VI_SIGN,
        "{unit} đã tiếp nhận hồ sơ {code}, hẹn trả kết quả lúc {appointment}. Tra cứu: {lookup_url}",
    ),
    (
        "receipt",
        "en",
        "Dossier {code} received",
        "Dear {applicant},\n\n{unit} has received your application:\n"
        "- Dossier code: {code}\n- Procedure: {procedure}\n- Appointment for the result: {appointment}\n\n"
        "The receipt and appointment slip is attached. You can follow your dossier at: {lookup_url}" + EN_SIGN,
        "{unit} has received dossier {code}; the result is due at {appointment}. Follow it: {lookup_url}",
    ),
    (
        "supplement",
        "vi",
        "Yêu cầu bổ sung, hoàn thiện hồ sơ {code}",
        "Kính gửi Ông/Bà {applicant},\n\n{unit} đề nghị Ông/Bà bổ sung, hoàn thiện hồ sơ {code} "
        "(thủ tục {procedure}) với các nội dung sau:\n{reasons}\n\n"
        "Ông/Bà có thể xem chi tiết và theo dõi hồ sơ tại: {lookup_url}" + VI_SIGN,
        "Hồ sơ {code} cần bổ sung, hoàn thiện: {reasons}. Chi tiết: {lookup_url}",
    ),
    (
        "supplement",
        "en",
        "Dossier {code}: documents to supplement",
        "Dear {applicant},\n\n{unit} asks you to supplement and complete dossier {code} "
        "(procedure: {procedure}) as follows:\n{reasons}\n\n"
        "You can see the details and follow your dossier at: {lookup_url}" + EN_SIGN,
        "Dossier {code} needs more documents: {reasons}. Details: {lookup_url}",
    ),
    (
        "transfer",
        "vi",
        "Thay đổi thời gian hẹn trả kết quả hồ sơ {code}",
        "Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} (thủ tục {procedure}) của Ông/Bà đã được chuyển đến "
        "{processing_unit} để tiếp tục giải quyết. Thời gian hẹn trả kết quả mới: {appointment}.\n\n"
        "Ông/Bà có thể tra cứu tình trạng giải quyết hồ sơ tại: {lookup_url}" + VI_SIGN,
        "Hồ sơ {code} đã được chuyển đến {processing_unit}; hẹn trả kết quả mới lúc {appointment}. "
        "Tra cứu: {lookup_url}",
    ),
    (
        "transfer",
        "en",
        "Dossier {code}: new appointment",
        "Dear {applicant},\n\nYour dossier {code} (procedure: {procedure}) has been transferred to "
        "{processing_unit}, which will continue processing it. The new appointment for the result is "
        "{appointment}.\n\nYou can follow your dossier at: {lookup_url}" + EN_SIGN,
        "Dossier {code} went to {processing_unit}; the result is now due at {appointment}. Follow it: {lookup_url}",
    ),
    (
        "apology",
        "vi",
        "Thư xin lỗi và hẹn lại ngày trả kết quả hồ sơ {code}",
        "Kính gửi Ông/Bà {applicant},\n\n{processing_unit} thành thật xin lỗi Ông/Bà vì hồ sơ {code} "
        "(thủ tục {procedure}) chưa được giải quyết đúng thời hạn đã hẹn.\nLý do: {reasons}\n"
        "Thời gian hẹn trả kết quả mới: {appointment}.\n\nRất mong Ông/Bà thông cảm. Ông/Bà có thể tra cứu "
        "tình trạng giải quyết hồ sơ tại: {lookup_url}" + VI_SIGN,
        "{processing_unit} xin lỗi Ông/Bà vì hồ sơ {code} chậm so với hẹn; hẹn trả kết quả mới lúc "
        "{appointment}. Tra cứu: {lookup_url}",
    ),
    (
        "apology",
        "en",
        "Apology and new date for dossier {code}",
        "Dear {applicant},\n\n{processing_unit} sincerely apologises that your dossier {code} "
        "(procedure: {procedure}) could not be settled by the date we gave you.\nReason: {reasons}\n"
        "The new appointment for the result is {appointment}.\n\nThank you for your understanding. You can "
        "follow your dossier at: {lookup_url}" + EN_SIGN,
        "{processing_unit} apologises: dossier {code} is late; the result is now due at {appointment}. "
        "Follow it: {lookup_url}",
    ),
    (
        "result",
        "vi",
        "Hồ sơ {code} đã có kết quả giải quyết",
        "Kính gửi Ông/Bà {applicant},\n\nHồ sơ {code} (thủ tục {procedure}) của Ông/Bà đã có kết quả giải "
        "quyết. Mời Ông/Bà đến {unit} nhận kết quả, mang theo Giấy tiếp nhận hồ sơ và hẹn trả kết quả.\n\n"
        "Ông/Bà có thể tra cứu kết quả tại: {lookup_url}" + VI_SIGN,
        "Hồ sơ {code} đã có kết quả. Mời Ông/Bà đến {unit} nhận kết quả. Tra cứu: {lookup_url}",
    ),
    (
        "result",
        "en",
        "Dossier {code}: the result is ready",
        "Dear {applicant},\n\nThe result of your dossier {code} (procedure: {procedure}) is ready. Please "
        "collect it at {unit}, bringing the receipt and appointment slip.\n\n"
        "You can see the result at: {lookup_url}" + EN_SIGN,
        "The result of dossier {code} is ready; collect it at {unit}. Follow it: {lookup_url}",
    ),
    (
        "returned",
        "vi",
        "Đã trả kết quả hồ sơ {code}",
        "Kính gửi Ông/Bà {applicant},\n\n{unit} đã trả kết quả giải quyết hồ sơ {code} (thủ tục {procedure}) "
        "cho Ông/Bà.\n\nMời Ông/Bà đánh giá mức độ hài lòng về việc giải quyết hồ sơ tại: {lookup_url}" + VI_SIGN,
        "Hồ sơ {code} đã được trả kết quả. Mời Ông/Bà đánh giá mức độ hài lòng tại: {lookup_url}",
    ),
    (
        "returned",
        "en",
        "Dossier {code}: result handed over",
        "Dear {applicant},\n\n{unit} has handed over the result of your dossier {code} (procedure: "
        "{procedure}).\n\nPlease tell us how satisfied you are with the handling at: {lookup_url}" + EN_SIGN,
        "The result of dossier {code} has been handed over. Please rate the service: {lookup_url}",
    ),
    (
        "feedback",
        "vi",
        "Trả lời phản ánh, kiến nghị {feedback_code}",
        "Kính gửi Ông/Bà,\n\n{unit} trả lời phản ánh, kiến nghị số {feedback_code} “{title}” của Ông/Bà "
        "như sau:\n\n{answer}" + VI_SIGN,
        "{unit} trả lời phản ánh, kiến nghị {feedback_code}: {answer}",
    ),
    (
        "feedback",
        "en",
        "Answer to your feedback {feedback_code}",
        "Dear Sir or Madam,\n\n{unit} answers your feedback {feedback_code} “{title}” as follows:\n\n{answer}"
        + EN_SIGN,
        "{unit} answers your feedback {feedback_code}: {answer}",
    ),
]


def publish(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    rows = []
    for event, language, subject, body, sms in TEMPLATES:
        rows.append(Template(event=event, channel="email", language=language, subject=subject, body=body))
        rows.append(Template(event=event, channel="sms", language=language, subject="", body=sms))
    Template.objects.bulk_create(rows)


def withdraw(apps, schema_editor):
    apps.get_model("notifications", "Template").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(publish, withdraw)]
