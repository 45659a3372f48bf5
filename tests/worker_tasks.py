"""Tasks for tests/test_task_worker.py: each writes its queue's name into a file."""

from pathlib import Path

from django_tasks import task


def _mark(folder: str, queue: str) -> str:
    with open(Path(folder) / f"{queue}.done", "a") as handle:
        handle.write("done\n")
    return queue


@task(queue_name="sweeps")
def mark_sweeps(folder: str) -> str:
    return _mark(folder, "sweeps")


@task(queue_name="notifications")
def mark_notifications(folder: str) -> str:
    return _mark(folder, "notifications")


@task(queue_name="default")
def mark_default(folder: str) -> str:
    return _mark(folder, "default")
