"""Back up and restore the whole database while Pathways is serving (`manage.py backup` / `restore`).

SQLite: SQLite's online backup API copies the live database page by page inside one read transaction,
so the copy is one consistent moment even while others write (WAL readers never block writers).
PostgreSQL: `pg_dump --format=custom` (one repeatable-read snapshot) and `pg_restore` in one transaction.

A backup is written to a temporary file beside its destination and renamed into place only when
complete and checked, so a crash never leaves half a backup under the chosen name. Backups hold every
piece of health data Pathways keeps: they are created readable by their owner only (mode 600).
"""
import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.db import connections

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"


class BackupError(Exception):
    """Something the operator can fix; the message says what."""


@dataclass(frozen=True)
class Summary:
    engine: str
    size: int
    tables: int


@dataclass(frozen=True)
class MigrationState:
    missing: list[str]  # migrations in the code the database has not had
    unknown: list[str]  # migrations the database had that this code does not know

    @property
    def matches(self) -> bool:
        return not self.missing and not self.unknown


def engine_of(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"Backups are supported for SQLite and PostgreSQL, not {vendor}.")
    return vendor


def human_size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    value = size / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


# --- writing a file safely -----------------------------------------------------------------------

def _temp_beside(path: Path) -> Path:
    parent = path.parent
    if not parent.is_dir():
        raise BackupError(f"Cannot write {path}: the folder {parent} does not exist.")
    try:
        handle, name = tempfile.mkstemp(dir=parent, prefix=f".{path.name}.", suffix=".partial")  # mode 600
    except OSError as error:
        raise BackupError(f"Cannot write in {parent}: {error.strerror or error}.") from None
    os.close(handle)
    return Path(name)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _move_into_place(temp: Path, path: Path, *, force: bool) -> None:
    """Rename the finished temporary file to `path`; without `force`, never replace a file that appeared meanwhile."""
    _fsync(temp)
    try:
        if force:
            os.replace(temp, path)
        else:
            try:
                os.link(temp, path)  # fails if path exists: no race between checking and renaming
            except FileExistsError:
                raise BackupError(f"{path} already exists; choose another name or pass --force to replace it.") from None
            except OSError:  # a file system without hard links
                if path.exists():
                    raise BackupError(f"{path} already exists; choose another name or pass --force to replace it.") \
                        from None
                os.replace(temp, path)
    except OSError as error:
        raise BackupError(f"Cannot write {path}: {error.strerror or error}.") from None
    finally:
        temp.unlink(missing_ok=True)
    try:  # make the rename itself durable
        directory = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except OSError:
        pass


def backup(path: Path, *, force: bool = False, alias: str = "default") -> Summary:
    path = Path(path)
    engine = engine_of(alias)
    if path.is_dir():
        raise BackupError(f"{path} is a folder; give the name of the backup file to write.")
    if path.exists() and not force:
        raise BackupError(f"{path} already exists; choose another name or pass --force to replace it.")
    temp = _temp_beside(path)
    try:
        tables = _sqlite_backup(temp, alias) if engine == "sqlite" else _pg_backup(temp, alias)
        size = temp.stat().st_size
        _move_into_place(temp, path, force=force)
    finally:
        temp.unlink(missing_ok=True)
    return Summary(engine=engine, size=size, tables=tables)


# --- SQLite --------------------------------------------------------------------------------------

def _sqlite_live_path(alias: str) -> str:
    settings_dict = connections[alias].settings_dict
    name = str(settings_dict["NAME"])
    if connections[alias].is_in_memory_db():
        raise BackupError("The configured SQLite database is in memory; there is no file to back up or restore.")
    return name


def _sqlite_connect(name: str, alias: str) -> sqlite3.Connection:
    timeout = connections[alias].settings_dict.get("OPTIONS", {}).get("timeout", 20)
    uri = name if name.startswith("file:") else None
    try:
        if uri:
            return sqlite3.connect(uri, uri=True, timeout=timeout)
        return sqlite3.connect(name, timeout=timeout)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open the SQLite database {name}: {error}.") from None


def _sqlite_check(db: sqlite3.Connection, what: str) -> int:
    """Integrity check; return how many tables the database holds."""
    try:
        result = [row[0] for row in db.execute("PRAGMA integrity_check")]
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{what} is not a readable SQLite database ({error}).") from None
    if result != ["ok"]:
        raise BackupError(f"{what} failed SQLite's integrity check: {'; '.join(result[:5])}.")
    if "django_migrations" not in tables:
        raise BackupError(f"{what} is a SQLite database but not a Pathways one (it has no django_migrations table).")
    return len([name for name in tables if not name.startswith("sqlite_")])


def _sqlite_backup(temp: Path, alias: str) -> int:
    live = _sqlite_live_path(alias)
    if not live.startswith("file:") and not Path(live).is_file():
        raise BackupError(f"The configured SQLite database {live} does not exist.")
    source = _sqlite_connect(live, alias)
    try:
        dest = sqlite3.connect(temp)
        try:
            # pages=-1: the whole database in one step, i.e. inside one read transaction on the source,
            # so writers carry on (WAL) and the copy is one consistent moment.
            source.backup(dest, pages=-1)
            # The copied header says WAL like the source; a backup is better as one self-contained file.
            dest.execute("PRAGMA journal_mode=DELETE")
            return _sqlite_check(dest, "The new backup")
        finally:
            dest.close()
    except sqlite3.Error as error:
        raise BackupError(f"The SQLite backup failed: {error}.") from None
    finally:
        source.close()


def _sqlite_restore(path: Path, alias: str) -> None:
    live = _sqlite_live_path(alias)
    try:
        backup_db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise BackupError(f"Cannot open {path}: {error}.") from None
    try:
        _sqlite_check(backup_db, str(path))
        dest = _sqlite_connect(live, alias)
        try:
            # Into the live database through SQLite itself, in one write transaction: connections that
            # have it open (and its WAL) see the old data or the new, never a mixture or a torn file.
            backup_db.backup(dest, pages=-1)
        except sqlite3.Error as error:
            raise BackupError(f"Restoring into {live} failed, and it was left as it was: {error}.") from None
        finally:
            dest.close()
    finally:
        backup_db.close()


# --- PostgreSQL ----------------------------------------------------------------------------------

PG_OPTION_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "connect_timeout": "PGCONNECT_TIMEOUT", "passfile": "PGPASSFILE",
                 "service": "PGSERVICE", "options": "PGOPTIONS"}


def pg_environment(alias: str = "default") -> dict[str, str]:
    """Connection settings for pg_dump/pg_restore as libpq environment variables, never on the command line."""
    settings_dict = connections[alias].settings_dict
    env = dict(os.environ)
    values = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
              "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
              "PGDATABASE": settings_dict.get("NAME")}
    for option, variable in PG_OPTION_ENV.items():
        if settings_dict.get("OPTIONS", {}).get(option) not in (None, ""):
            values[variable] = settings_dict["OPTIONS"][option]
    for variable, value in values.items():
        if value in (None, ""):
            env.pop(variable, None)
        else:
            env[variable] = str(value)
    return env


def _pg_tool(name: str) -> str:
    tool = shutil.which(name)
    if tool is None:
        raise BackupError(f"{name} is not installed or not on PATH; install the PostgreSQL client tools "
                          f"(e.g. apt-get install postgresql-client) matching the server's version.")
    return tool


def _pg_tool_major(tool: str) -> int:
    output = subprocess.run([tool, "--version"], capture_output=True, text=True, check=False).stdout
    match = re.search(r"(\d+)(?:\.(\d+))?", output)
    if not match:
        raise BackupError(f"Could not tell the version of {tool} from {output.strip()!r}.")
    return int(match.group(1))


def _pg_server_major(alias: str) -> int:
    connection = connections[alias]
    connection.ensure_connection()
    version = connection.pg_version  # e.g. 150020
    return version // 10000


def _pg_run(arguments: list[str], alias: str, what: str) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run(arguments, env=pg_environment(alias), capture_output=True, text=True, check=False,
                                stdin=subprocess.DEVNULL)
    except OSError as error:
        raise BackupError(f"Could not run {arguments[0]}: {error.strerror or error}.") from None
    if result.returncode != 0:
        message = result.stderr.strip() or f"exit status {result.returncode}"
        raise BackupError(f"{what} failed: {message}")
    return result


def _pg_listing(path: Path, alias: str) -> list[str]:
    result = _pg_run([_pg_tool("pg_restore"), "--list", str(path)], alias, f"Reading {path}")
    return result.stdout.splitlines()


def _pg_table_count(listing: list[str]) -> int:
    return sum(1 for line in listing if re.search(r"\bTABLE DATA\b", line))


def _pg_backup(temp: Path, alias: str) -> int:
    pg_dump = _pg_tool("pg_dump")
    client, server = _pg_tool_major(pg_dump), _pg_server_major(alias)
    if client < server:
        raise BackupError(f"pg_dump is version {client} but the server is version {server}; "
                          f"install the PostgreSQL {server} client tools.")
    _pg_run([pg_dump, "--format=custom", "--no-password", f"--file={temp}"], alias, "pg_dump")
    listing = _pg_listing(temp, alias)
    if not any("django_migrations" in line for line in listing):
        raise BackupError("pg_dump wrote a file without the django_migrations table; is DATABASE_URL right?")
    return _pg_table_count(listing)


def _pg_restore(path: Path, alias: str) -> None:
    pg_restore = _pg_tool("pg_restore")
    try:
        listing = _pg_listing(path, alias)
    except BackupError:
        raise BackupError(f"{path} is not a PostgreSQL backup made by `manage.py backup` (pg_restore cannot "
                          f"read it).") from None
    if not any(re.search(r"\bTABLE DATA \S+ django_migrations\b", line) for line in listing):
        raise BackupError(f"{path} is a PostgreSQL dump but not of a Pathways database (no django_migrations).")
    client, server = _pg_tool_major(pg_restore), _pg_server_major(alias)
    if client < server:
        raise BackupError(f"pg_restore is version {client} but the server is version {server}; "
                          f"install the PostgreSQL {server} client tools.")
    connections[alias].close()  # our own idle connection must not hold locks the restore needs
    # --dbname= (empty) makes pg_restore connect, to the database libpq takes from PGDATABASE.
    _pg_run([pg_restore, "--clean", "--if-exists", "--no-owner", "--single-transaction", "--no-password",
             "--dbname=", str(path)], alias, "pg_restore (nothing was changed)")


# --- restore -------------------------------------------------------------------------------------

def kind_of_file(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
    except FileNotFoundError:
        raise BackupError(f"{path} does not exist.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} is a folder, not a backup file.") from None
    except OSError as error:
        raise BackupError(f"Cannot read {path}: {error.strerror or error}.") from None
    if head.startswith(PG_MAGIC):
        return "postgresql"
    if head == SQLITE_MAGIC:
        return "sqlite"
    return "unknown"


def check_restorable(path: Path, alias: str = "default") -> str:
    """Refuse anything that is not a backup for the configured database, before touching any data."""
    path = Path(path)
    engine = engine_of(alias)
    kind = kind_of_file(path)
    if kind == "unknown":
        raise BackupError(f"{path} is not a Pathways backup (neither a SQLite database nor a pg_dump custom-format "
                          f"file).")
    if kind != engine:
        raise BackupError(f"{path} is a {kind} backup but the configured database is {engine}; "
                          f"restore it into a {kind} database.")
    if engine == "sqlite":
        try:
            db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        except sqlite3.Error as error:
            raise BackupError(f"Cannot open {path}: {error}.") from None
        try:
            _sqlite_check(db, str(path))
        finally:
            db.close()
    return engine


def restore(path: Path, alias: str = "default") -> str:
    path = Path(path)
    engine = check_restorable(path, alias)
    if engine == "sqlite":
        _sqlite_restore(path, alias)
    else:
        _pg_restore(path, alias)
    connections[alias].close()
    return engine


def migration_state(alias: str = "default") -> MigrationState:
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[alias]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    missing = [f"{migration.app_label}.{migration.name}" for migration, _ in executor.migration_plan(targets)]
    unknown = sorted(f"{app}.{name}" for app, name in executor.loader.applied_migrations
                     if (app, name) not in executor.loader.graph.nodes)
    return MigrationState(missing=missing, unknown=unknown)
