"""Scratch folders of processes that are gone are swept; live ones are kept."""

from __future__ import annotations

import os
import subprocess

from wenku.conversion.procs import sweep_scratch


def test_sweep_removes_only_folders_of_dead_processes(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    mine = tmp_path / f"wenku-job-{os.getpid()}-abc"
    gone_job = tmp_path / f"wenku-job-{dead.pid}-abc"
    gone_profile = tmp_path / f"wenku-lo-{dead.pid}-xyz"
    other = tmp_path / f"unrelated-{dead.pid}-x"
    for folder in (mine, gone_job, gone_profile, other):
        (folder / "inner").mkdir(parents=True)
        (folder / "inner" / "file").write_bytes(b"x" * 100)
    removed = sweep_scratch(tmp_path)
    assert sorted(path.name for path in removed) == sorted(
        [gone_job.name, gone_profile.name]
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [mine.name, other.name]
    )
