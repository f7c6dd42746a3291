from django.db import migrations


def seed(apps, schema_editor):
    from motcua.plans.reference import ensure

    ensure(apps.get_model("plans", "ReformArea"), apps.get_model("plans", "RatingRule"))


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
