"""A real PostgreSQL server for the store contract suites (started once per test session).

Debian's ``postgresql`` package (``/usr/lib/postgresql/<major>/bin``) gives ``initdb`` and ``pg_ctl``,
which refuse to run as root: as root the server runs as the ``postgres`` user (``runuser``) in a
temporary data directory that user owns. It listens on a unix socket in that directory only
(``listen_addresses=''``), with durability off (a test server holds nothing worth an fsync). Each
test gets a fresh database copied from a migrated template (``CREATE DATABASE ... TEMPLATE``), so
tests never see each other's rows and never pay for the migrations.

``PgServer.find()`` says why no server can be started (binaries, psycopg, a user to run as), so the
``postgres`` parameters skip with that reason instead of failing.
"""

from __future__ import annotations

import contextlib
import glob
import importlib.util
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

BIN_GLOB = "/usr/lib/postgresql/*/bin"
PORT = 5432
TEMPLATE = "storyline_template"


def find_bin() -> Path | None:
    """The newest installed PostgreSQL bin directory with ``initdb`` and ``pg_ctl``."""
    found = [Path(p) for p in glob.glob(BIN_GLOB) if (Path(p) / "initdb").exists()]
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        found.append(Path(str(shutil.which("initdb"))).parent)
    found.sort(key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")])
    return found[-1] if found else None


def unavailable() -> str | None:
    """Why a server cannot be started here, or None when it can."""
    if importlib.util.find_spec("psycopg") is None:
        return "psycopg is not installed (pip install -e '.[scale]')"
    if find_bin() is None:
        return "PostgreSQL is not installed (scripts/install_system_deps.sh installs Debian's postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run the server as"
        if shutil.which("runuser") is None:
            return "running as root and runuser is missing"
    return None


@dataclass
class PgServer:
    """A running throwaway server; ``url(db)`` names one of its databases."""

    bin: Path
    directory: Path
    user: str
    _names: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    @classmethod
    def start(cls) -> PgServer:
        bin_dir = find_bin()
        assert bin_dir is not None
        directory = Path(tempfile.mkdtemp(prefix="slpg"))  # short: a socket path has ~100 bytes
        as_root = os.geteuid() == 0
        user = "postgres" if as_root else pwd.getpwuid(os.geteuid()).pw_name
        if as_root:
            shutil.chown(directory, "postgres", "postgres")
        server = cls(bin_dir, directory, user)
        data = directory / "data"
        server._run(
            "initdb",
            "-D",
            str(data),
            "-U",
            user,
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "-A",
            "trust",
            "--no-sync",
        )
        options = (
            f"-c listen_addresses='' -c unix_socket_directories={directory} -c port={PORT}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        server._run("pg_ctl", "-D", str(data), "-o", options, "-l", str(directory / "log"), "-w", "start")
        return server

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, cwd=self.directory, check=False)
        if done.returncode != 0:
            log = self.directory / "log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed ({done.returncode}): {done.stderr.strip()}\n{tail}")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql://{self.user}@/{db}?host={self.directory}&port={PORT}"

    def admin(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(sql)

    def fresh_database(self) -> str:
        """A new database copied from the migrated template; returns its URL."""
        name = f"t{next(self._names)}_{os.getpid()}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE {TEMPLATE}')
        return self.url(name)

    def empty_database(self) -> str:
        """A new database with no schema at all (for migration and migrate-store tests)."""
        name = f"e{next(self._names)}_{os.getpid()}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.split("/")[-1].split("?")[0]
        with contextlib.suppress(Exception):
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run("pg_ctl", "-D", str(self.directory / "data"), "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)

    def prepare_template(self) -> None:
        """Create the template database and migrate it once through the store itself."""
        from storyline.store.postgres import PostgresStore

        self.admin(f"CREATE DATABASE {TEMPLATE} TEMPLATE template0")
        PostgresStore(self.url(TEMPLATE)).close()
