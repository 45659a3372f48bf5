"""A task for the killed-worker test: it records each start in a file, then waits for a go file."""

import time
from pathlib import Path

from django_tasks import task


@task(queue_name="default")
def record_and_wait(folder: str) -> str:
    folder_path = Path(folder)
    with open(folder_path / "starts.log", "a") as log:
        log.write("start\n")
    deadline = time.monotonic() + 120
    while not (folder_path / "go").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    with open(folder_path / "done.log", "a") as log:
        log.write("done\n")
    return "done"
