"""The one argument parser behind every entry: the GUI, each command, ``--self-test``.

Only argparse is imported here, so parsing costs nothing at start-up.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

# What a clinic check found: the same words as domain.center.CHECK_RESULTS (a test keeps them so);
# written out here so parsing imports nothing but argparse.
CHECK_RESULTS = ("confirmed", "changed", "no-answer", "closed", "no-massage")

PROG = "referral-guide"


class CliError(Exception):
    """Bad input from the user: one line on stderr, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message} (see {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Massage Referral Guide. With no command, opens the desktop app.",
    )
    parser.add_argument("--version", action="store_true", help="show app and data versions")
    parser.add_argument(
        "--data-dir", type=_folder, metavar="DIR", help="user data folder (default: per-user)"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="check this install and write a report (--report FILE, else a temporary file)",
    )
    parser.add_argument("--report", type=Path, metavar="FILE.json", help="with --self-test")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    search = sub.add_parser("search", help="find conditions by name, synonym or ICD-10-CM code")
    search.add_argument("query")
    search.add_argument("--limit", type=int, default=20)
    search.add_argument("--json", action="store_true")

    show = sub.add_parser("show", help="show one condition with its evidence and sources")
    show.add_argument("condition", help="id, ICD-10-CM code or text")
    show.add_argument("--json", action="store_true")

    levels = sub.add_parser("levels", help="the evidence scale and how source gradings map onto it")
    levels.add_argument("--json", action="store_true")

    flags = sub.add_parser("flags", help="the screening flags (contraindications, cautions)")
    flags.add_argument("--json", action="store_true")

    rec = sub.add_parser("recommend", help="a recommendation for a condition and a screen")
    rec.add_argument("condition", help="id, ICD-10-CM code or text")
    rec.add_argument("--flag", action="append", default=[], metavar="ID", help="flag present")
    rec.add_argument(
        "--no-flags", action="store_true", help="the screen was done; nothing else was found"
    )
    rec.add_argument("--json", action="store_true")

    centers = sub.add_parser("centers", help="referral destinations; import/export the local list")
    centers.add_argument("--condition", help="condition (id, code or text) to match services to")
    centers.add_argument("--flag", action="append", default=[], metavar="ID", help="flag present")
    centers.add_argument("--near", metavar="POSTAL", help="US ZIP code, 'lat,lon' or a city")
    centers.add_argument("--limit", type=int, default=10)
    reach = centers.add_mutually_exclusive_group()
    reach.add_argument(
        "--reach-km",
        type=float,
        metavar="KM",
        help="how far the patient can travel, in km; distances are then shown in km "
        "(default: the clinic's setting, 50 mi)",
    )
    reach.add_argument(
        "--reach-mi",
        type=float,
        metavar="MILES",
        help="how far the patient can travel, in miles; distances are then shown in miles",
    )
    centers.add_argument("--json", action="store_true")
    routes_help = "with --json: the centers, whether any is within reach, routes that work anywhere"
    centers.add_argument("--routes", action="store_true", help=routes_help)
    centers_sub = centers.add_subparsers(dest="centers_command", parser_class=_Parser)
    ver = centers_sub.add_parser("verify", help="record what the clinic learned about a center")
    ver.add_argument("id", help="center id (see: centers)")
    ver.add_argument("--by", required=True, metavar="INITIALS", help="who checked")
    ver.add_argument(
        "--result",
        choices=CHECK_RESULTS,
        default="confirmed",
        help="what the check found (default: confirmed); closed and no-massage take the center "
        "out of the ranking, no-answer ranks it after the others within reach",
    )
    ver.add_argument("--date", metavar="YYYY-MM-DD", help="when (default: today)")
    ver.add_argument("--phone", default="", help="the corrected phone, if it changed")
    ver.add_argument("--note", default="", help="what was learned")
    hid = centers_sub.add_parser("hide", help="take a center out of the ranking on this clinic")
    hid.add_argument("id", help="center id (see: centers)")
    hid.add_argument("--by", required=True, metavar="INITIALS", help="who decided")
    hid.add_argument("--reason", required=True, help="why (shown in the excluded list)")
    unh = centers_sub.add_parser("unhide", help="offer a hidden center again")
    unh.add_argument("id", help="center id (see: centers)")
    unh.add_argument("--by", required=True, metavar="INITIALS", help="who decided")
    chk = centers_sub.add_parser(
        "checks",
        help="centers near the clinic first, then by the clinic's last check, oldest first",
    )
    chk.add_argument("--json", action="store_true", dest="checks_json")
    chk.add_argument(
        "--near",
        dest="checks_near",
        default="",
        metavar="POSTAL",
        help="the clinic's place (default: its ZIP code in Settings): centers within its reach "
        "first; those beyond it are not due",
    )
    centers_sub.add_parser("excluded", help="bundled centers never offered, and why")
    imp = centers_sub.add_parser("import", help="import the clinic's list from a CSV file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.add_argument("--update", action="store_true", help="update entries that already exist")
    imp.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the good rows even if some rows have a problem",
    )
    fhir = centers_sub.add_parser(
        "import-fhir",
        help="add massage services and therapists from FHIR directory files (a Bundle, NDJSON)",
    )
    fhir.add_argument("file", type=Path, nargs="+", help="a Bundle (.json) or NDJSON, one or more")
    fhir.add_argument(
        "--dry-run", action="store_true", help="show what would change; write nothing"
    )
    nppes = centers_sub.add_parser(
        "import-nppes",
        help="add massage therapists from the CMS national NPI file (NPPES)",
        description="Reads the CMS NPPES data file (npidata_pfile_YYYYMMDD-YYYYMMDD.csv, or the "
        "ZIP it comes in) and adds or updates, by NPI, every active massage therapist (NUCC "
        "225700000X) practising in the given states: all in one transaction.",
    )
    nppes.add_argument("file", type=Path)
    nppes.add_argument(
        "--state",
        action="append",
        default=[],
        metavar="XX",
        help="practice-location state, two letters; repeat for more (default: every state)",
    )
    nppes.add_argument(
        "--dry-run", action="store_true", help="read the file and report; write nothing"
    )
    exp = centers_sub.add_parser("export", help="export the clinic's list to a CSV file")
    exp.add_argument("file", type=Path)

    sheet = sub.add_parser("sheet", help="print a referral sheet and patient handout")
    sheet.add_argument("condition", help="id, ICD-10-CM code or text")
    sheet.add_argument(
        "--center",
        help="center id (see: centers); only for a referral to a massage therapist, not for "
        "self-care or massage by hospital staff",
    )
    sheet.add_argument(
        "--near",
        metavar="POSTAL",
        help="where the patient lives: when the center is not within the clinic's reach, the "
        "sheets say so and give the routes that work anywhere",
    )
    sheet.add_argument("--flag", action="append", default=[], metavar="ID", help="flag present")
    sheet.add_argument("--no-flags", action="store_true", help="screen done; nothing else found")
    sheet.add_argument("--patient", default="", metavar="NAME")
    sheet.add_argument("--dob", default="", metavar="YYYY-MM-DD")
    sheet.add_argument("--phone", default="", help="patient phone")
    sheet.add_argument("--lang", choices=("en", "es"), default="en", help="handout language")
    sheet.add_argument(
        "--parts",
        default="therapist,patient",
        help="comma-separated: therapist, patient, clinic, letter (a letter of medical necessity "
        "for a health plan or HSA/FSA; refused where the result does not recommend massage)",
    )
    # URGENCIES (domain/referral.py), written out: only argparse is imported here (tested)
    sheet.add_argument("--urgency", choices=("routine", "soon", "urgent"), default="routine")
    sheet.add_argument("--out", type=Path, metavar="FILE.pdf")
    sheet.add_argument("--printer", metavar="NAME", help="print to this system printer")
    sheet.add_argument(
        "--fhir",
        type=Path,
        metavar="FILE.json",
        help="also (or only) write the referral as a FHIR R4 Bundle",
    )
    sheet.add_argument(
        "--override-defer",
        default="",
        metavar="REASON",
        help="prepare a deferred referral anyway (for use once the patient is "
        "cleared); the reason is printed on the sheet",
    )
    sheet.add_argument(
        "--override-advice",
        default="",
        metavar="REASON",
        help="prepare a sheet where guidelines advise against massage for this "
        "purpose (level not_advised), e.g. massage of other areas for another "
        "reason; the reason is printed on the sheet and logged",
    )

    # What the therapist is asked (printed on the therapist sheet and the clinic copy, kept with
    # the referral in the log, in the FHIR file): clinical orders, never the patient's identity.
    for option, meta, text in (
        ("--medications", "TEXT", "the patient's medications (e.g. warfarin 5 mg daily)"),
        ("--note", "TEXT", "a note to the therapist"),
        ("--goals", "TEXT", "goals of the treatment"),
        ("--sessions", "N", "number of sessions authorized (a whole number, 1-100)"),
        ("--treat", "TEXT", "areas to treat"),
        ("--avoid", "TEXT", "areas to avoid"),
    ):
        sheet.add_argument(option, default="", metavar=meta, help=text)
    sheet.add_argument(
        "--peg",
        metavar="P,E,G",
        help="pain conditions: the PEG-3 at referral, three whole numbers 0-10 (average pain, "
        "interference with enjoyment of life, with general activity); printed on the therapist "
        "sheet and kept with the referral",
    )

    log = sub.add_parser("log", help="the referral log (no patient identity by default)")
    log.add_argument("--json", action="store_true")
    log.add_argument("--csv", type=Path, metavar="FILE", help="export the log as CSV")
    log.add_argument("--reprint", metavar="NUMBER", help="reprint a logged referral")
    log.add_argument(
        "--chart-note", metavar="NUMBER", help="a logged referral as a chart note (plain text)"
    )
    log.add_argument("--out", type=Path, metavar="FILE.pdf", help="where to write the reprint")
    log.add_argument(
        "--record-reply",
        metavar="NUMBER",
        help="record the therapist's reply slip for a logged referral (with --sessions, --peg)",
    )
    log.add_argument("--sessions", metavar="N", help="with --record-reply: sessions done")
    log.add_argument(
        "--peg", metavar="P,E,G", help="with --record-reply: the PEG-3 on the reply slip"
    )

    outcomes = sub.add_parser(
        "outcomes",
        help="the clinic's own outcomes per condition and per center: referrals, replies, "
        "sessions, mean PEG-3 change (counts only; observations, not evidence)",
    )
    outcomes.add_argument("--json", action="store_true")

    practice = sub.add_parser(
        "practice",
        help="the practice details printed on every sheet (shown; each option "
        "given changes that field, '' clears it)",
    )
    for field in ("name", "address", "phone", "fax", "clinician", "credentials"):
        practice.add_argument(f"--{field}", metavar="TEXT")
    practice.add_argument("--npi", metavar="NPI", help="the referring clinician's NPI")
    practice.add_argument(
        "--identifier-base",
        metavar="URL",
        help="a URL the practice controls, under which FHIR files name its referral numbers",
    )
    practice.add_argument("--json", action="store_true")

    _content_parser(sub)
    _clinic_db_parser(sub)

    build = sub.add_parser("build-data", help="validate data/ and write reference.db")
    build.add_argument("--out", type=Path, help="where to write (default: data/reference.db)")
    build.add_argument(
        "--seal",
        action="store_true",
        help="record the content hash in data/changes.toml for the current data version",
    )
    build.add_argument(
        "--strict",
        action="store_true",
        help="also fail on the known content problems listed in data/rules_backlog.toml",
    )

    changes = sub.add_parser("changes", help="what changed in the content, per data version")
    changes.add_argument(
        "--since",
        metavar="VERSION",
        help="every change newer than this data version (default: the current version's)",
    )
    changes.add_argument("--json", action="store_true")
    return parser


def _content_parser(sub) -> None:
    content = sub.add_parser("content", help="signed content packs: install, status, rollback")
    content_sub = content.add_subparsers(dest="content_command", parser_class=_Parser)
    install = content_sub.add_parser("install", help="verify and install a .rgpack content pack")
    install.add_argument("file", type=Path)
    install.add_argument(
        "--allow-older", action="store_true", help="install even if not newer than in use (logged)"
    )
    status = content_sub.add_parser("status", help="the content in use and the installed packs")
    status.add_argument("--json", action="store_true")
    content_sub.add_parser("rollback", help="back to the content used before the last install")
    pack = content_sub.add_parser("pack", help="build and sign a content pack from data/")
    pack.add_argument("--out", type=Path, default=Path("dist"), metavar="DIR")
    pack.add_argument(
        "--key",
        type=Path,
        metavar="FILE",
        help="private key file (default: $REFERRAL_CONTENT_KEY, else the development key)",
    )
    pack.add_argument("--min-app", metavar="VERSION", help="oldest app version that reads it")
    keygen = content_sub.add_parser("keygen", help="make a new signing key pair (FILE, FILE.pub)")
    keygen.add_argument("file", type=Path)
    keygen.add_argument("--label", default="release key")


def _clinic_db_parser(sub) -> None:
    clinic = sub.add_parser(
        "clinic-db", help="where the clinic's data lives: this computer, or a shared PostgreSQL"
    )
    clinic_sub = clinic.add_subparsers(dest="clinic_command", parser_class=_Parser)
    connect = clinic_sub.add_parser(
        "connect", help="use a shared clinic database (PostgreSQL) from this workstation"
    )
    connect.add_argument(
        "address", help="libpq connection string, postgresql:// URL or service=NAME (no password)"
    )
    clinic_sub.add_parser("local", help="back to this computer only (the local file)")
    status = clinic_sub.add_parser("status", help="which database is in use, and is it reachable")
    status.add_argument("--json", action="store_true")
    migrate = clinic_sub.add_parser(
        "migrate", help="(administrator) create or upgrade the shared database's tables"
    )
    migrate.add_argument("address", nargs="?", help="default: the address this workstation uses")
    clinic_sub.add_parser(
        "migrate-from-local", help="copy this computer's centers, checks and log to the shared one"
    )
    publish = clinic_sub.add_parser(
        "publish-content",
        help="(administrator) publish a signed content pack: each workstation checks and "
        "installs it at its next start",
    )
    publish.add_argument("file", type=Path, help="the .rgpack file (make content-pack)")
    publish.add_argument("address", nargs="?", help="default: the address this workstation uses")


def _folder(text: str) -> Path:
    """``--data-dir``: a folder path; an empty value would silently mean the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("--data-dir needs a folder, not an empty value")
    return Path(text)


def parse(argv: list[str]) -> argparse.Namespace:
    """Parse ``argv``; raises CliError (one line) for bad input."""
    args = build_parser().parse_args(argv)
    if args.report is not None and not args.self_test:
        raise CliError(f"--report goes with --self-test (see {PROG} --help)")
    if args.self_test and (args.command or args.version):
        raise CliError(f"--self-test takes no command (see {PROG} --help)")
    return args
