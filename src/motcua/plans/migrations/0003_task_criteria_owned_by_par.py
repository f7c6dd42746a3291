from django.db import migrations


class Migration(migrations.Migration):
    """The link of a task to the PAR criteria it serves is declared on the par side now
    (``par.Criterion.tasks``, par 0003): the field leaves plans' state; its table and rows stay."""

    dependencies = [("plans", "0002_reform_areas_and_rating_rule")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.RemoveField(model_name="task", name="criteria")],
            database_operations=[],
        )
    ]
