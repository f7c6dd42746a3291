"""The PAR criteria a reform task serves: chosen on the plan's task form, shown on the task's page,
read from the par side, and kept through the migrations that moved the link from plans to par."""

from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from motcua.par import services as par
from motcua.par.models import Criterion
from motcua.plans.models import Task
from tests.par.conftest import make_framework

from .test_plans import moc_chau  # noqa: F401 (a fixture)


@pytest.mark.django_db
def test_the_task_form_links_criteria_the_task_page_and_par_read_back(client, moc_chau, tmp_path):  # noqa: F811
    framework = make_framework(tmp_path, "MC-2018", 2018, units=["123"])
    wanted = list(par.leaves(framework)[:2])
    client.force_login(moc_chau["staff"])
    plan = moc_chau["plan"]
    form = client.get(f"/cai-cach/ke-hoach/{plan.pk}/").content.decode()
    assert 'name="criteria" multiple' in form
    assert f'<option value="{wanted[0].pk}">MC-2018 1.1 Kế hoạch cải cách hành chính năm</option>' in form
    client.post(
        f"/cai-cach/ke-hoach/{plan.pk}/",
        {
            "step": "task",
            "area": moc_chau["tasks"][0].area_id,
            "title": "Nhiệm vụ gắn tiêu chí",
            "lead_unit": moc_chau["district"].pk,
            "deadline": "2018-09-30",
            "criteria": [c.pk for c in wanted],
        },
    )
    task = Task.objects.get(title="Nhiệm vụ gắn tiêu chí")
    assert sorted(task.criteria.values_list("code", flat=True)) == ["1.1", "1.2"]
    assert list(wanted[0].tasks.all()) == [task]
    page = client.get(f"/cai-cach/nhiem-vu/{task.pk}/").content.decode()
    assert "<dd>MC-2018 1.1; MC-2018 1.2</dd>" in page
    other = client.get(f"/cai-cach/nhiem-vu/{moc_chau['tasks'][0].pk}/").content.decode()
    assert "MC-2018" not in other  # a task serving no criterion lists none


@pytest.mark.django_db(transaction=True)
def test_links_made_before_the_move_to_par_survive_it(demo):
    """Rows of ``plans_task_criteria`` written while plans declared the link read back from both
    sides once par declares it."""
    before = [("plans", "0002_reform_areas_and_rating_rule"), ("par", "0002_alter_criterion_measure")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    unit = old.get_model("units", "Unit").objects.filter(code="123").order_by("-valid_from").first()
    framework = old.get_model("par", "Framework").objects.create(code="OLD", name="x", year=2018, owner_id=unit.pk)
    criterion = old.get_model("par", "Criterion").objects.create(
        framework=framework, code="1", title="Tiêu chí", max_points=10
    )
    plan = old.get_model("plans", "Plan").objects.create(unit_id=unit.pk, year=2018, title="Kế hoạch")
    area = old.get_model("plans", "ReformArea").objects.first()
    task = old.get_model("plans", "Task").objects.create(
        plan=plan, area=area, title="Nhiệm vụ", lead_unit_id=unit.pk, deadline=date(2018, 6, 30)
    )
    task.criteria.set([criterion])

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert list(Task.objects.get(pk=task.pk).criteria.values_list("code", flat=True)) == ["1"]
    assert list(Criterion.objects.get(pk=criterion.pk).tasks.values_list("title", flat=True)) == ["Nhiệm vụ"]
