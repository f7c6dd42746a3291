from django.db import migrations, models


class Migration(migrations.Migration):
    """The link of a task to the PAR criteria it serves, declared on the par side in state only:
    the table plans 0001 made (``plans_task_criteria``: ``task_id``, ``criterion_id``) and its rows
    are kept as they are."""

    dependencies = [
        ("par", "0002_alter_criterion_measure"),
        ("plans", "0003_task_criteria_owned_by_par"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="criterion",
                    name="tasks",
                    field=models.ManyToManyField(
                        blank=True,
                        db_table="plans_task_criteria",
                        related_name="criteria",
                        to="plans.task",
                        verbose_name="reform tasks",
                    ),
                )
            ],
            database_operations=[],
        )
    ]
