"""The node fixture: the JavaScript clients of tests/node_clients (npm), run against the live
server."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
from pathlib import Path

import pytest

NODE_CLIENTS = Path(__file__).resolve().parents[1] / "node_clients"


@pytest.fixture(scope="session")
def node() -> str:
    """The node binary, with the npm clients of tests/node_clients installed from their lock
    file (``npm ci``, when node_modules is missing or older than it)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("Node.js and npm are needed for the npm clients (tests/node_clients)")
    folder = os.open(NODE_CLIENTS, os.O_RDONLY)
    try:
        fcntl.flock(folder, fcntl.LOCK_EX)  # pytest-xdist workers install once
        installed = NODE_CLIENTS / "node_modules" / ".package-lock.json"
        lock = NODE_CLIENTS / "package-lock.json"
        if not installed.is_file() or installed.stat().st_mtime < lock.stat().st_mtime:
            subprocess.run(
                [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
                cwd=NODE_CLIENTS,
                check=True,
                stdout=subprocess.DEVNULL,
                timeout=600,
            )
    finally:
        os.close(folder)
    return node
