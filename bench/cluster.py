"""A private PostgreSQL server on loopback for the fault runs: its own data directory and port, so
it can be restarted or killed without touching the machine's server."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path("/usr/lib/postgresql")


def bin_dir() -> Path:
    versions = sorted(os.listdir(ROOT)) if ROOT.exists() else []
    if not versions:
        raise RuntimeError("PostgreSQL server binaries are not installed")
    return ROOT / versions[-1] / "bin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*args, check=True):
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *map(str, args)], check=check, capture_output=True, text=True)


class Cluster:
    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
        if os.geteuid() == 0:
            shutil.chown(self.base, "postgres")
        self.data, self.port = self.base / "data", free_port()
        self.options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.base} "
            "-c max_connections=200"
        )

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/motcua"

    def start(self) -> "Cluster":
        if not self.data.exists():
            as_postgres(bin_dir() / "initdb", "-D", self.data, "--auth=trust", "-U", "postgres", "-E", "UTF8",
                        "--locale=C.UTF-8")  # fmt: skip
        as_postgres(bin_dir() / "pg_ctl", "-D", self.data, "-o", self.options, "-l", self.base / "log", "-w", "start")
        self.wait()
        as_postgres(bin_dir() / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "postgres", "motcua", check=False)
        return self

    def restart(self, mode: str = "immediate") -> None:
        """Stop at once (connections cut, as in a crash), then start again."""
        as_postgres(bin_dir() / "pg_ctl", "-D", self.data, "-m", mode, "-o", self.options, "-l", self.base / "log",
                    "-w", "restart")  # fmt: skip
        self.wait()

    def wait(self) -> None:
        for _ in range(150):
            ready = subprocess.run([bin_dir() / "pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)])
            if ready.returncode == 0:
                return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL on {self.port} did not start")

    def stop(self) -> None:
        as_postgres(bin_dir() / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.base, ignore_errors=True)
