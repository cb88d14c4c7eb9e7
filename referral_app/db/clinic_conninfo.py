"""Checking a clinic database address before anything is sent to it.

An address is what PostgreSQL users already write: a libpq connection string
(``host=db.clinic.lan dbname=referrals user=referral_app sslmode=verify-full``), a URL
(``postgresql://referral_app@db.clinic.lan/referrals?sslmode=verify-full``) or a service name from
``pg_service.conf`` (``service=clinic``). The password never belongs in it: libpq reads it from
``~/.pgpass`` (or ``PGPASSFILE``), or the app asks at start and keeps it in memory only.
"""

from __future__ import annotations

import configparser
import os
from pathlib import Path

LOCAL_HOSTS = ("", "localhost", "127.0.0.1", "::1")
SYSCONF_DEFAULT = "/etc/postgresql-common"  # Debian's libpq looks here for pg_service.conf


NO_LIBPQ = (
    "the shared clinic database needs PostgreSQL's client library, libpq, on this computer "
    "(Debian/Ubuntu: sudo apt-get install libpq5; Fedora: sudo dnf install libpq)"
)


class ConninfoError(ValueError):
    """The address cannot be used; the message is one line for the user."""


def parse(conninfo: str) -> dict[str, str]:
    try:
        from psycopg.conninfo import conninfo_to_dict
    except ImportError as exc:  # on Linux: no libpq5 (psycopg loads the system's libpq)
        raise ConninfoError(NO_LIBPQ) from exc
    try:
        params = {k: str(v) for k, v in conninfo_to_dict(conninfo).items()}
    except Exception as exc:  # psycopg.ProgrammingError: libpq's own words
        raise ConninfoError(f"not a PostgreSQL connection string: {exc}") from exc
    return params


def _service(name: str) -> dict[str, str]:
    sysconf = Path(os.environ.get("PGSYSCONFDIR", SYSCONF_DEFAULT))
    files = [
        os.environ.get("PGSERVICEFILE") or str(Path.home() / ".pg_service.conf"),
        str(sysconf / "pg_service.conf"),
    ]
    for file in files:
        parser = configparser.ConfigParser(interpolation=None)
        if parser.read(file) and parser.has_section(name):
            return dict(parser[name])
    raise ConninfoError(f"service '{name}' is in no pg_service.conf ({', '.join(files)})")


def effective(conninfo: str) -> dict[str, str]:
    """What libpq will use: the string, then its service's entries, then PG* variables."""
    given = parse(conninfo)
    values = {
        "host": os.environ.get("PGHOST", ""),
        "hostaddr": os.environ.get("PGHOSTADDR", ""),
        "sslmode": os.environ.get("PGSSLMODE", ""),
    }
    if given.get("service") or os.environ.get("PGSERVICE"):
        values |= _service(given.get("service") or os.environ["PGSERVICE"])
    return values | given


def is_local(params: dict[str, str]) -> bool:
    hosts = (params.get("hostaddr") or params.get("host") or "").split(",")
    return all(h.strip() in LOCAL_HOSTS or h.strip().startswith(("/", "@")) for h in hosts)


def validate(conninfo: str) -> dict[str, str]:
    """Refuse a password in the address, and any server not on this computer without
    ``sslmode=verify-full`` (encrypted, and the server's certificate checked against its name)."""
    if not conninfo.strip():
        raise ConninfoError("give a connection string, a URL or service=NAME")
    params = effective(conninfo)
    if "password" in parse(conninfo):
        raise ConninfoError(
            "leave the password out of the address: put it in ~/.pgpass, or type it when asked"
        )
    if "sslpassword" in parse(conninfo):  # the client key's passphrase: a secret too
        raise ConninfoError(
            "leave sslpassword out of the address: it would be stored with it; use a client key "
            "without a passphrase readable only by this user, or let libpq ask for it"
        )
    if not is_local(params) and params.get("sslmode") != "verify-full":
        host = params.get("hostaddr") or params.get("host")
        raise ConninfoError(
            f"{host} is not on this computer: add sslmode=verify-full (with sslrootcert= the "
            "clinic's CA certificate) so the connection is encrypted and the server verified"
        )
    return params


def display_name(conninfo: str) -> str:
    """Server and database, for the status bar (never a password)."""
    try:
        params = effective(conninfo)
    except ConninfoError:
        return "not configured"
    host = params.get("hostaddr") or params.get("host") or "local socket"
    if host.startswith("/"):
        host = "local socket"
    return f"{params.get('dbname') or params.get('user') or 'default'} on {host}"
