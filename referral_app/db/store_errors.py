"""The one set of errors both homes of the clinic's data raise (the SQLite file and the shared
PostgreSQL database), so each face handles a refusal in one place: the command line prints one
line (exit 2), the GUI shows one dialog; nothing reaches "internal error" or the crash box.

Every message is one plain line that says what happened and that nothing was changed or lost.
"""

from __future__ import annotations


class StoreError(Exception):
    """The clinic's data could not be read or written as asked; nothing was changed."""


class StoreBusyError(StoreError):
    """Another program holds the data (another copy of the app, a backup): try again."""


class StoreUnavailableError(StoreError):
    """The data cannot be reached now (the shared database is away, or not at this version)."""


class StoreConflictError(StoreError):
    """The write clashes with what is there (changed elsewhere since it was read, a duplicate)."""


class StorePermissionError(StoreError):
    """The database account may not do this (a role without a right): IT can grant it."""


class StoreDamagedError(StoreError):
    """The data is damaged or not what this app reads."""


def from_postgres(exc: BaseException) -> StoreError:
    """A PostgreSQL refusal as one of the store errors (psycopg is imported by the caller)."""
    state = getattr(exc, "sqlstate", None) or ""
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    if state == "42501":
        return StorePermissionError(
            f"the clinic database refused: {first} (the app's database role lacks a right: "
            "docs/CLINIC_DATABASE.md, step 3); nothing was changed"
        )
    if state.startswith("23") or state == "40001":
        return StoreConflictError(f"the clinic database refused a conflicting change: {first}")
    if state.startswith(("53", "55P03", "40P01")):
        return StoreBusyError(f"the clinic database is busy ({first}): try again in a moment")
    if state.startswith("XX"):
        return StoreDamagedError(f"the clinic database reported damage: {first}")
    return StoreError(f"the clinic database refused the request: {first}")


def _sqlite_error() -> type[Exception]:
    import sqlite3

    return sqlite3.Error


# What a face catches at a store call: the store errors, and SQLite's own (the local file's
# reads raise them as they are; PostgreSQL's never leave the shared store untranslated).
STORE_ERRORS: tuple[type[Exception], ...] = (StoreError, _sqlite_error())


def refused_by(*others: type[BaseException]) -> tuple[type[BaseException], ...]:
    """STORE_ERRORS and ``others``, for an ``except`` that also handles, say, bad input."""
    return (*others, *STORE_ERRORS)
