from django.db import migrations, models


class Migration(migrations.Migration):
    """A criterion the council marks as not applying to one unit: out of its points and its maximum."""

    dependencies = [
        ("par", "0003_criterion_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="score",
            name="not_applicable",
            field=models.BooleanField(default=False, verbose_name="not applicable to the unit"),
        ),
    ]
