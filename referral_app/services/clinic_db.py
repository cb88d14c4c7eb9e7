"""Where the clinic's data lives, for both faces: "This computer only" (the default: the SQLite
user.db, no server, no network) or "Shared clinic database" (PostgreSQL).

The choice and the server's address are this workstation's settings (in its user.db); the
password never is: libpq reads ~/.pgpass, or the face asks and passes it in for this session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from referral_app.db.clinic_conninfo import NO_LIBPQ, ConninfoError, validate
from referral_app.db.clinic_store import ClinicStore
from referral_app.db.store_errors import StoreError
from referral_app.db.user import UserDbError, UserStore

MODE_KEY, CONNINFO_KEY = "clinic_db_mode", "clinic_db_conninfo"
LOCAL, SHARED = "local", "shared"
PASSWORD_WORDS = ("no password supplied", "password authentication failed")


class ClinicConnectError(UserDbError):
    """The shared database could not be used; one line for the user (exit 1 on the CLI)."""


class PasswordNeededError(ClinicConnectError):
    """The server asked for a password and none was found (no .pgpass entry): ask, retry."""

    def __init__(self, detail: str) -> None:
        super().__init__(f"the clinic database asks for a password ({detail})")
        self.detail = detail  # the server's words


@dataclass(frozen=True, slots=True)
class ClinicStatus:
    mode: str
    description: str
    reachable: bool
    detail: str
    migrations: tuple[str, ...]
    waiting: int  # referrals in this workstation's outbox


def need_driver() -> None:
    """psycopg, loaded only now; on Linux it finds the system's libpq (ctypes), which may be
    missing on a computer that never needed it: one line saying what to install."""
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ClinicConnectError(NO_LIBPQ) from exc


def mode(local: UserStore) -> str:
    return SHARED if local.get_setting(MODE_KEY) == SHARED else LOCAL


def open_store(user_db: Path, password: str | None = None) -> ClinicStore:
    """The store the faces use. In shared mode an unreachable server is not an error (the store
    works from its last copy and outbox); a refused password or an unmigrated schema is."""
    local = UserStore.open(user_db)
    if mode(local) == LOCAL:
        return local
    try:
        need_driver()
    except ClinicConnectError:
        local.close()
        raise
    from referral_app.db.shared_store import SharedStore

    shared = SharedStore(local, local.get_setting(CONNINFO_KEY), password)
    try:
        _first_contact(shared)
    except BaseException:
        local.close()
        raise
    return shared


def _first_contact(shared) -> None:
    from referral_app.db.clinic_pg import ClinicDbError

    try:
        shared.connect_now()
    except ClinicDbError as exc:
        raise ClinicConnectError(str(exc)) from exc
    if any(w in shared.last_error for w in PASSWORD_WORDS):
        raise PasswordNeededError(shared.last_error)
    from referral_app.services.content_publish import sync

    try:
        done = shared.on_server(lambda conn: sync(conn, shared.workstation_id()))
    except StoreError as exc:  # published content is never a reason not to open
        shared.notices.append(f"Published content was not checked: {exc}.")
        return
    if done and done.installed:
        shared.notices.append(
            f"Content {done.installed} from the clinic database was installed: it is used from "
            "the next start."
        )
    if done and done.note:
        shared.notices.append(f"The {done.note}.")


def connect(local: UserStore, conninfo: str, password: str | None = None) -> str:
    """Check the address, try it (the schema must be migrated), then remember it."""
    need_driver()
    import psycopg

    from referral_app.db import clinic_pg

    try:
        validate(conninfo)
        with clinic_pg.connect(conninfo, password) as conn:
            clinic_pg.check_schema(conn)
    except ConninfoError as exc:
        raise ClinicConnectError(str(exc)) from exc
    except psycopg.OperationalError as exc:
        raise _unreachable(exc, password) from exc
    except clinic_pg.ClinicDbError as exc:
        raise ClinicConnectError(str(exc)) from exc
    local.set_setting(CONNINFO_KEY, conninfo.strip())
    local.set_setting(MODE_KEY, SHARED)
    from referral_app.db.clinic_conninfo import display_name

    return display_name(conninfo)


def use_local(local: UserStore) -> None:
    local.set_setting(MODE_KEY, LOCAL)


def migrate(conninfo: str, password: str | None = None) -> list[str]:
    """The administrator's command: bring the server's schema to this version."""
    need_driver()
    import psycopg

    from referral_app.db import clinic_pg

    try:
        validate(conninfo)
        with clinic_pg.connect(conninfo, password) as conn:
            return clinic_pg.migrate(conn)
    except ConninfoError as exc:
        raise ClinicConnectError(str(exc)) from exc
    except psycopg.OperationalError as exc:
        raise _unreachable(exc, password) from exc
    except (psycopg.errors.InsufficientPrivilege, clinic_pg.ClinicDbError) as exc:
        raise ClinicConnectError(f"migration refused: {_first_line(exc)}") from exc


def publish_content(conninfo: str, path: Path, password: str | None = None) -> str:
    """The administrator's command: check a signed pack as a workstation would, then publish it
    on the server, where each workstation installs it at its next start. Its version."""
    need_driver()
    import psycopg

    from referral_app.db import clinic_pg
    from referral_app.services.content_publish import publish

    try:
        validate(conninfo)
        with clinic_pg.connect(conninfo, password) as conn:
            clinic_pg.check_schema(conn)
            return publish(conn, path)
    except ConninfoError as exc:
        raise ClinicConnectError(str(exc)) from exc
    except psycopg.OperationalError as exc:
        raise _unreachable(exc, password) from exc
    except (psycopg.errors.InsufficientPrivilege, clinic_pg.ClinicDbError) as exc:
        raise ClinicConnectError(f"publishing refused: {_first_line(exc)}") from exc


def workstation_content(store: ClinicStore) -> list:
    """Which content each workstation runs, as they last reported it ([] while away)."""
    from referral_app.db.clinic_pg_content import workstations

    on_server = getattr(store, "on_server", None)
    return (on_server(workstations) or []) if on_server else []


def status(store: ClinicStore) -> ClinicStatus:
    from referral_app.db import clinic_outbox

    shared = getattr(store, "local", None)
    local: UserStore = shared if shared is not None else store  # type: ignore[assignment]
    reachable = store.reachable()
    if shared is None:
        return ClinicStatus(LOCAL, store.describe(), True, "", tuple(local.applied_migrations()), 0)
    applied: tuple[str, ...] = ()
    if reachable:
        from referral_app.db.clinic_pg import applied as pg_applied

        applied = tuple(store.on_server(pg_applied) or ())  # type: ignore[attr-defined]
    waiting = sum(1 for r in clinic_outbox.queued(local.db) if r["status"] == "printed")
    detail = "" if reachable else store.last_error  # type: ignore[attr-defined]
    return ClinicStatus(SHARED, store.describe(), reachable, detail, applied, waiting)


def _unreachable(exc: BaseException, password: str | None) -> ClinicConnectError:
    """The error for a server that refused or could not be reached: a password to ask for, or
    one plain line."""
    message = _first_line(exc)
    if any(w in message for w in PASSWORD_WORDS) and not password:
        return PasswordNeededError(message)
    return ClinicConnectError(f"cannot reach the clinic database: {message}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def migrate_from_local(store: ClinicStore):
    """Copy this workstation's user.db (centers, checks, log, practice) into the shared database
    it is connected to. Returns the counts copied (a second run copies nothing)."""
    from referral_app.db.clinic_pg_import import copy_local

    local = getattr(store, "local", None)
    if local is None or not store.reachable():
        raise ClinicConnectError(
            "connect this workstation to a reachable shared clinic database first "
            "(referral-guide clinic-db connect ...)"
        )
    workstation = store.workstation_id()  # type: ignore[attr-defined]
    copied = store.on_server(  # type: ignore[attr-defined]
        lambda conn: copy_local(local.db, conn, workstation)
    )
    if copied is None:
        raise ClinicConnectError(
            "the clinic database went away during the copy: run it again when it is back (a "
            "second run copies only what is missing)"
        )
    return copied
