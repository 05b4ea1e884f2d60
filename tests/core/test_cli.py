"""The command line: migrate, create-tenant and run-due against a real database file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def _linli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LINLI_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}",
           "LINLI_VAR_DIR": str(tmp_path), "LINLI_LOG_JSON": "false"}
    return subprocess.run([sys.executable, "-m", "linli.cli", *args], env=env, capture_output=True,
                          text=True, timeout=120)


def test_migrate_create_tenant_and_run_due(tmp_path):
    assert _linli(tmp_path, "migrate").returncode == 0
    made = _linli(tmp_path, "create-tenant", "--slug", "acme", "--name", "Acme",
                  "--admin-username", "admin", "--admin-password", "password-1")
    assert made.returncode == 0, made.stderr
    again = _linli(tmp_path, "create-tenant", "--slug", "acme", "--name", "Acme",
                   "--admin-username", "admin", "--admin-password", "password-1")
    assert again.returncode != 0 and "tenant_exists" in again.stderr
    due = _linli(tmp_path, "run-due", "--at", "2026-12-01T08:00:00+08:00")
    assert due.returncode == 0, due.stderr
    assert "order.expire_unpaid: 0" in due.stdout and "outbox: 0" in due.stdout
    bad = _linli(tmp_path, "run-due", "--at", "yesterday")
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
