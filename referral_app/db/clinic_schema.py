"""One migration history for the clinic's data, in both homes (SQLite and PostgreSQL).

Each step has a name (the same names, in the same order, in the SQLite file's history and in the
PostgreSQL ``schema_migrations`` table) and plain SQL for each dialect where they differ. On
SQLite the steps run through sqlite-utils' ``Migrations`` (``migrations.py``, which keeps the
record every existing user.db has); on PostgreSQL through ``clinic_pg.migrate``. A step that
concerns only the workstation (recent conditions, the outbox, the last copy read) has no
PostgreSQL statements, and a PostgreSQL-only step (sequences, published packs) no SQLite ones;
both are still recorded, so the two histories stay the same list.

Steps m001-m008 were first written for SQLite with sqlite-utils' table API; their SQLite SQL
here makes the same tables, columns, types, defaults and indexes (tests/test_migration_history.py
migrates files made by that code at every version and compares the schema).

On PostgreSQL only an administrator runs them (``referral-guide clinic-db migrate``): the app's
role needs no DDL right (docs/CLINIC_DATABASE.md).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Step:
    name: str
    postgres: tuple[str, ...]
    sqlite: tuple[str, ...]


def _same(name: str, *statements: str) -> Step:
    """A step whose SQL is the same in both dialects."""
    return Step(name, statements, sqlite=statements)


_CENTER_COLUMNS = """
    name TEXT, parent_system TEXT, street TEXT, city TEXT, region TEXT, postal_code TEXT,
    country TEXT, latitude {real}, longitude {real}, phone TEXT, website TEXT,
    services TEXT, populations TEXT, self_referral TEXT, physician_order TEXT, referral_notes TEXT,
    insurance_notes TEXT, languages TEXT, hours TEXT, source_url TEXT, last_verified TEXT,
    verified INTEGER DEFAULT 0, status TEXT, status_note TEXT, confidence_note TEXT, kind TEXT,
    notes TEXT, accepted_insurances TEXT, typical_wait TEXT, preferred INTEGER DEFAULT 0,
    retired INTEGER DEFAULT 0, created_at TEXT, updated_at TEXT"""
_CENTERS_BY_NAME = (
    "CREATE INDEX idx_local_centers_name_postal_code ON local_centers (name, postal_code)"
)
_REFERRAL_COLUMNS = (
    "number TEXT, created_at TEXT, condition_id TEXT, condition_name TEXT, level TEXT, "
    "answers TEXT, center_id TEXT, center_name TEXT, center_origin TEXT, clinician TEXT, "
    "lang TEXT, parts TEXT, urgency TEXT, patient_name TEXT, patient_dob TEXT"
)
_CHECK_COLUMNS = (
    "center_id TEXT, checked_on TEXT, by_initials TEXT, method TEXT, note TEXT, phone TEXT, "
    "street TEXT, city TEXT, region TEXT, postal_code TEXT, website TEXT, recorded_at TEXT"
)
_CHECKS_BY_CENTER = (
    "CREATE INDEX idx_center_checks_center_id_checked_on ON center_checks (center_id, checked_on)"
)

_VERIFIED_INDEX = "CREATE INDEX idx_local_centers_verified ON local_centers (verified)"
_POSITION_INDEXES = (
    "CREATE INDEX idx_local_centers_position ON local_centers (latitude, longitude)",
    "CREATE INDEX idx_local_centers_preferred ON local_centers (preferred)",
)
# An entry's profile: what decides whether it fits a patient (what it offers, who it is for, its
# status). Ranking reads the few distinct profiles, then only the entries of the fitting ones near
# the patient (db/local_box.py); queries must spell the expression exactly so.
PROFILE = (
    "COALESCE(services, '') || '|' || COALESCE(populations, '') || '|' || COALESCE(status, '')"
)
# Name and id close it: where many entries share a place (a ZIP code centre), the first by name
# are read in index order (PostgreSQL: byte order, as Python compares text).
_PROFILE_INDEX = (
    f"CREATE INDEX idx_local_centers_profile ON local_centers (({PROFILE}), latitude, longitude, "
    "name, id) WHERE retired = 0",
)
_PROFILE_INDEX_PG = (
    f"CREATE INDEX idx_local_centers_profile ON local_centers (({PROFILE}), latitude, longitude, "
    'name COLLATE "C", id COLLATE "C") WHERE retired = 0',
)

ORDER_COLUMNS = (
    "medications",
    "orders_note",
    "goals",
    "sessions_authorised",
    "treat_areas",
    "avoid_areas",
)
_ORDER_COLUMNS = tuple(f"ALTER TABLE referrals ADD COLUMN {c} TEXT" for c in ORDER_COLUMNS)

# The PEG-3 (0-10 each: average pain, interference with enjoyment of life, with general activity)
# at referral, and the therapist's reply: sessions done, the PEG-3 again, when it was recorded.
PEG_COLUMNS = ("peg_pain", "peg_enjoyment", "peg_activity")
REPLY_COLUMNS = ("reply_sessions", "reply_peg_pain", "reply_peg_enjoyment", "reply_peg_activity")
_OUTCOME_COLUMNS = tuple(
    f"ALTER TABLE referrals ADD COLUMN {c} INTEGER" for c in PEG_COLUMNS + REPLY_COLUMNS
) + ("ALTER TABLE referrals ADD COLUMN reply_at TEXT",)

STEPS: tuple[Step, ...] = (
    Step(
        "m001_initial",
        ("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)",),
        sqlite=(
            "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT)",
            # The conditions opened last on this workstation.
            "CREATE TABLE recent_conditions (condition_id TEXT PRIMARY KEY, opened_at TEXT)",
        ),
    ),
    Step(
        "m002_local_centers",
        (
            "CREATE TABLE local_centers (id TEXT PRIMARY KEY, "
            + _CENTER_COLUMNS.format(real="DOUBLE PRECISION")
            + ")",
            _CENTERS_BY_NAME,
        ),
        sqlite=(
            "CREATE TABLE local_centers (id TEXT PRIMARY KEY, "
            + _CENTER_COLUMNS.format(real="REAL")
            + ")",
            _CENTERS_BY_NAME,
        ),
    ),
    Step(
        "m003_referral_log",
        (f"CREATE TABLE referrals (id BIGINT PRIMARY KEY, {_REFERRAL_COLUMNS})",),
        # INTEGER PRIMARY KEY: the row id, numbered by SQLite.
        sqlite=(f"CREATE TABLE referrals (id INTEGER PRIMARY KEY, {_REFERRAL_COLUMNS})",),
    ),
    _same("m004_defer_override", "ALTER TABLE referrals ADD COLUMN override_defer TEXT"),
    Step(
        "m005_center_checks",
        (
            "ALTER TABLE local_centers ADD COLUMN location_basis TEXT",
            "CREATE TABLE center_checks (id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, "
            f"{_CHECK_COLUMNS})",
            _CHECKS_BY_CENTER,
        ),
        sqlite=(
            "ALTER TABLE local_centers ADD COLUMN location_basis TEXT",
            f"CREATE TABLE center_checks (id INTEGER PRIMARY KEY, {_CHECK_COLUMNS})",
            _CHECKS_BY_CENTER,
        ),
    ),
    Step(
        "m006_referral_numbers_unique",
        (
            "ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'printed'",
            "CREATE UNIQUE INDEX referrals_number ON referrals (number)",
        ),
        # Each number once. Logs written before this version may hold the same number twice
        # (two instances printing at once); the later rows keep their number with
        # '-dup-<id>' appended, so nothing is lost. (The shared database began after this.)
        sqlite=(
            "ALTER TABLE referrals ADD COLUMN status TEXT NOT NULL DEFAULT 'printed'",
            "UPDATE referrals SET number = number || '-dup-' || id WHERE id NOT IN "
            "(SELECT min(id) FROM referrals GROUP BY number)",
            "CREATE UNIQUE INDEX referrals_number ON referrals (number)",
        ),
    ),
    # What each printed sheet was made from (data version; the recommendation and destination
    # as printed, as JSON), so a reprint is a true copy. Older rows keep NULL here.
    _same(
        "m007_referral_snapshot",
        "ALTER TABLE referrals ADD COLUMN data_version TEXT",
        "ALTER TABLE referrals ADD COLUMN snapshot TEXT",
    ),
    # Where each referral stands, set from the log: sent, scheduled, seen, reply received.
    _same("m008_referral_follow_up", "ALTER TABLE referrals ADD COLUMN follow_up TEXT"),
    Step(
        "m009_row_versions_and_client_ids",
        (
            "ALTER TABLE local_centers ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE referrals ADD COLUMN client_id TEXT",
            "CREATE UNIQUE INDEX referrals_client_id ON referrals (client_id)",
            # Numbers unique across workstations: a sequence, never max + 1.
            "CREATE SEQUENCE referral_serial",
            "CREATE SEQUENCE center_serial",
        ),
        sqlite=(
            "ALTER TABLE local_centers ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE referrals ADD COLUMN client_id TEXT",
            "CREATE UNIQUE INDEX referrals_client_id ON referrals (client_id)",
        ),
    ),
    Step(
        "m010_workstation_outbox",
        (),
        sqlite=(
            # Referrals logged while the shared database was away, written there exactly once.
            "CREATE TABLE clinic_outbox (client_id TEXT PRIMARY KEY, row TEXT NOT NULL, "
            "queued_at TEXT NOT NULL)",
            # The last copy read from the shared database (shown, read-only, while it is away).
            "CREATE TABLE clinic_cache (key TEXT PRIMARY KEY, value TEXT NOT NULL, "
            "read_at TEXT NOT NULL)",
        ),
    ),
    Step(
        # The clinic's own therapists: a fax for referral forms and an NPI (both optional).
        "m011_center_fax_npi",
        (
            "ALTER TABLE local_centers ADD COLUMN fax TEXT",
            "ALTER TABLE local_centers ADD COLUMN npi TEXT",
        ),
        sqlite=(
            "ALTER TABLE local_centers ADD COLUMN fax TEXT",
            "ALTER TABLE local_centers ADD COLUMN npi TEXT",
        ),
    ),
    Step(
        # An NPPES import finds the clinic's entries by NPI (a re-import updates, never doubles).
        "m012_center_npi_index",
        ("CREATE INDEX idx_local_centers_npi ON local_centers (npi)",),
        sqlite=("CREATE INDEX idx_local_centers_npi ON local_centers (npi)",),
    ),
    Step(
        # A referral numbered while the server was away whose number another workstation's row
        # already holds (a cloned data folder) gets the server's next number when it is written
        # there; the number printed on its sheet is kept here, and finds it in the log.
        "m013_referral_away_number",
        ("ALTER TABLE referrals ADD COLUMN away_number TEXT",),
        sqlite=("ALTER TABLE referrals ADD COLUMN away_number TEXT",),
    ),
    Step(
        # Content packs published to every workstation (clinic-db publish-content), and which
        # content each workstation runs. The pack is trusted for its signature, never for being
        # here: each workstation checks it as a pack from a file.
        "m014_published_content",
        (
            "CREATE TABLE content_packs (data_version TEXT PRIMARY KEY, pack BYTEA NOT NULL, "
            "sha256 TEXT NOT NULL, size BIGINT NOT NULL, "
            "published_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
            "published_by TEXT NOT NULL DEFAULT current_user)",
            "CREATE TABLE workstation_content (workstation_id TEXT PRIMARY KEY, "
            "content TEXT NOT NULL, note TEXT NOT NULL DEFAULT '', "
            "reported_at TIMESTAMPTZ NOT NULL DEFAULT now())",
        ),
        sqlite=(),
    ),
    Step(
        # Ranking a long list (an all-states NPPES import) reads only the entries near the
        # patient, and the preferred ones, not the whole table.
        "m015_center_position_index",
        _POSITION_INDEXES,
        sqlite=_POSITION_INDEXES,
    ),
    Step(
        # What the clinician asked of the therapist (medications, note, goals, sessions
        # authorised, areas to treat / avoid) is clinical, not identity: kept with the referral,
        # so a reprint, the clinic copy and the FHIR file carry it. Older rows read as empty.
        "m016_referral_orders",
        _ORDER_COLUMNS,
        sqlite=_ORDER_COLUMNS,
    ),
    Step(
        # What a check found: confirmed, changed, no-answer, closed, no-massage (or hidden /
        # shown by the clinic); older checks (NULL) were confirmations.
        "m017_check_results",
        ("ALTER TABLE center_checks ADD COLUMN result TEXT",),
        sqlite=("ALTER TABLE center_checks ADD COLUMN result TEXT",),
    ),
    Step(
        # The loop closed for pain conditions: the PEG-3 at referral and the reply slip's
        # sessions and PEG-3 (clinical, never identity). Older rows read as not recorded.
        "m018_referral_outcomes",
        _OUTCOME_COLUMNS,
        sqlite=_OUTCOME_COLUMNS,
    ),
    Step(
        # Ranking a long list by fit class and place (db/local_box.py): the entries of the
        # fitting profiles nearest the patient, without reading every entry within reach.
        "m019_center_profile_index",
        _PROFILE_INDEX_PG,
        sqlite=_PROFILE_INDEX,
    ),
    Step(
        # Ranking a long list scores the entries the clinic marked verified whole (their date
        # last verified is the clinic's check, provenance.own_check): found without a scan.
        "m020_center_verified_index",
        (_VERIFIED_INDEX,),
        sqlite=(_VERIFIED_INDEX,),
    ),
)

# Tables that hold the clinic's data in both homes (the rest of user.db is the workstation's).
CLINIC_TABLES = ("settings", "local_centers", "center_checks", "referrals")
