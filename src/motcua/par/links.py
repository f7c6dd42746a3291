"""The PAR criteria a reform task serves, offered to the plans app as a kind of task link."""

from __future__ import annotations

from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from motcua.plans.links import TaskLink, register

from .models import Criterion


def _choices(plan) -> list[tuple[int, str]]:
    """The leaf criteria of the frameworks of the plan's year."""
    found = Criterion.objects.filter(framework__year=plan.year, children__isnull=True).select_related("framework")
    return [(c.pk, f"{c.framework.code} {c.code} {Truncator(c.title).chars(40)}") for c in found[:300]]


def _save(task, ids) -> None:
    task.criteria.set(Criterion.objects.filter(pk__in=ids))


def _labels(task) -> list[str]:
    return [f"{c.framework.code} {c.code}" for c in task.criteria.select_related("framework")]


def register_task_links() -> None:
    register(TaskLink("criteria", gettext_lazy("PAR criteria served"), _choices, _save, _labels))
