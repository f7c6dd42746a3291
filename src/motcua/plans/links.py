"""What a reform task links to in other apps (the PAR criteria it serves, say). Plans knows none of
them: an app registers its kind of link from its ``AppConfig.ready()``, and the task form and page
show whatever is registered."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .models import Plan, Task


@dataclass(frozen=True)
class TaskLink:
    name: str  # the form field, and the key of the chosen ids given to ``services.add_task``
    label: object  # a lazy translation
    choices: Callable[[Plan], Sequence[tuple[int, str]]]  # (id, text) a task of the plan may link to
    save: Callable[[Task, Sequence[str]], None]  # link the task to the chosen ids
    labels: Callable[[Task], Sequence[str]]  # the task's links, as the task page shows them


_registry: dict[str, TaskLink] = {}


def register(link: TaskLink) -> None:
    _registry[link.name] = link


def registered() -> list[TaskLink]:
    return list(_registry.values())
