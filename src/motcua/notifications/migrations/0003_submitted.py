"""The notice an online applicant gets at once: the dossier's code, and that the desk will check it."""

from django.db import migrations, models

VI_SIGN = "\n\nTrân trọng.\n{unit}\n\nThư này được gửi tự động, xin Ông/Bà vui lòng không trả lời thư này."
EN_SIGN = "\n\nYours faithfully,\n{unit}\n\nThis message was sent automatically; please do not reply to it."

# (language, e-mail subject, e-mail body, SMS)
SUBMITTED = [
    (
        "vi",
        "Đã nộp hồ sơ {code}",
        "Kính gửi Ông/Bà {applicant},\n\nHồ sơ trực tuyến của Ông/Bà đã được gửi đến {unit}:\n"
        "- Mã số hồ sơ: {code}\n- Thủ tục: {procedure}\n\n"
        "Bộ phận một cửa sẽ kiểm tra hồ sơ và gửi Giấy tiếp nhận hồ sơ và hẹn trả kết quả khi tiếp nhận. "
        "Ông/Bà có thể tra cứu tình trạng hồ sơ tại: {lookup_url}" + VI_SIGN,
        "Hồ sơ {code} đã được nộp trực tuyến, chờ {unit} kiểm tra, tiếp nhận. Tra cứu: {lookup_url}",
    ),
    (
        "en",
        "Dossier {code} submitted",
        "Dear {applicant},\n\nYour online application has been sent to {unit}:\n"
        "- Dossier code: {code}\n- Procedure: {procedure}\n\n"
        "The one-stop desk will check it and send you the receipt and appointment slip when it accepts it. "
        "You can follow your dossier at: {lookup_url}" + EN_SIGN,
        "Dossier {code} was submitted online and awaits acceptance by {unit}. Follow it: {lookup_url}",
    ),
]


def publish(apps, schema_editor):
    Template = apps.get_model("notifications", "Template")
    for language, subject, body, sms in SUBMITTED:
        Template.objects.get_or_create(
            event="submitted", channel="email", language=language, defaults={"subject": subject, "body": body}
        )
        Template.objects.get_or_create(
            event="submitted", channel="sms", language=language, defaults={"subject": "", "body": sms}
        )


def withdraw(apps, schema_editor):
    apps.get_model("notifications", "Template").objects.filter(event="submitted").delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0002_templates")]

    operations = [
        migrations.AlterField(
            model_name='delivery',
            name='event',
            field=models.CharField(choices=[('submitted', 'Submitted online'), ('receipt', 'Dossier received'), ('supplement', 'Supplement requested'), ('transfer', 'Transferred, appointment moved'), ('apology', 'Apology and new date'), ('result', 'Result ready'), ('returned', 'Result handed over'), ('feedback', 'Feedback answered')], max_length=12, verbose_name='event'),
        ),
        migrations.AlterField(
            model_name='template',
            name='event',
            field=models.CharField(choices=[('submitted', 'Submitted online'), ('receipt', 'Dossier received'), ('supplement', 'Supplement requested'), ('transfer', 'Transferred, appointment moved'), ('apology', 'Apology and new date'), ('result', 'Result ready'), ('returned', 'Result handed over'), ('feedback', 'Feedback answered')], max_length=12, verbose_name='event'),
        ),
        migrations.RunPython(publish, withdraw),
    ]
