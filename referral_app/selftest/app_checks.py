"""Checks of the app's own path through a referral: the signed reference DB, a typo search, the
user data folder, one recommendation, one center match, a sheet to PDF and the main window."""

from __future__ import annotations

from referral_app import paths
from referral_app.selftest.context import Context

SAMPLE_CONDITION = "chronic low back pain"
SAMPLE_ZIP = "94143"  # San Francisco: near a bundled center
SAMPLE_TYPO = ("fibromialgia", "fibromyalgia")  # found only through rapidfuzz


def check_reference_db(ctx: Context) -> str:
    from referral_app.services.reference_data import content_of, open_reference_store

    store = open_reference_store()  # the signature (or an installed pack's) is checked here
    ctx.found["store"] = store
    ctx.versions["data"] = store.meta.get("data_version", "?")
    content = content_of(store)
    ctx.versions["content"] = content.label
    count, centers = len(store.condition_ids()), len(store.all_centers())
    if not count:
        raise ValueError("the reference DB has no conditions")
    return f"{content.path} read-only, signed: {count} conditions, {centers} centers"


def check_search(ctx: Context) -> str:
    from rapidfuzz import fuzz, process

    typo, wanted = SAMPLE_TYPO
    hits = ctx.need("store").search(typo, limit=3)
    if wanted not in [hit.id for hit in hits]:
        raise LookupError(f"searching {typo!r} did not find {wanted} (got {[h.id for h in hits]})")
    modules = [fuzz.ratio.__module__, process.extract.__module__]
    if any(module.endswith("_py") for module in modules):
        raise ImportError(f"rapidfuzz fell back to pure Python ({', '.join(modules)})")
    return f"{typo!r} -> {wanted} (rapidfuzz {', '.join(modules)})"


def check_user_data(ctx: Context) -> str:
    from referral_app.db.user import UserStore

    where = paths.user_data_dir().resolve()
    if paths.FROZEN and where.is_relative_to(paths.BUNDLE_DIR.resolve()):
        raise ValueError(f"the user data folder {where} is inside the bundle")
    paths.set_data_dir_override(ctx.workdir / "userdata")  # from here on, a scratch folder
    ctx.found["user"] = UserStore.open(paths.user_db())
    inside = " (outside the bundle)" if paths.FROZEN else ""
    return f"user data folder {where}{inside}; the checks use a scratch one"


def check_recommend(ctx: Context) -> str:
    from referral_app.domain.recommend import Screen
    from referral_app.services.recommendation import make_recommendation

    store = ctx.need("store")
    condition = store.resolve(SAMPLE_CONDITION)
    if condition is None:
        raise LookupError(f"{SAMPLE_CONDITION!r} not found")
    screen = Screen.none_found(store.flags())
    rec = make_recommendation(store, condition, screen)
    ctx.found.update(condition=condition, screen=screen)
    return f"{condition.id}: {rec.level} ({rec.label}), {len(rec.reasons)} reasons"


def check_center_match(ctx: Context) -> str:
    from referral_app.services.destinations import locate, match_centers

    store, condition = ctx.need("store"), ctx.need("condition")
    where = locate(SAMPLE_ZIP, store)
    matches = match_centers(store, [], condition, [], where, limit=3)
    if not matches:
        raise LookupError(f"no center matched near {where.label}")
    ctx.found["center"] = matches[0].center
    return f"near {where.label}: {', '.join(m.center.id for m in matches)}"


def check_sheet_pdf(ctx: Context) -> str:
    from PySide6.QtPrintSupport import QPrinter

    from referral_app.domain.referral import Patient
    from referral_app.printing.output import new_printer, paint_parts
    from referral_app.services.referrals import build_referral, footer

    store, user = ctx.need("store"), ctx.need("user")
    sheet = build_referral(
        store, user, ctx.need("condition"), ctx.need("center"), ctx.need("screen"), Patient()
    )
    out = ctx.workdir / "self-test-sheet.pdf"
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    pages = paint_parts(printer, sheet.html, sheet.css, footer(store))
    del printer  # closes the file
    head = out.read_bytes()[:5] if out.is_file() else b""
    if head != b"%PDF-" or pages < 1:
        raise ValueError(f"no valid PDF written ({pages} pages, starts with {head!r})")
    return f"{pages} pages, {out.stat().st_size} bytes through QtPrintSupport"


def check_main_window(ctx: Context) -> str:
    from referral_app.ui.app_setup import build_main_window

    app = ctx.need("app")
    window = build_main_window(ctx.need("store"), ctx.need("user"))
    window.show()
    for _ in range(5):
        app.processEvents()
    title = window.windowTitle()
    closed = window.close()
    window.deleteLater()
    app.processEvents()
    return f"{type(window).__name__} {title!r} shown and closed (accepted: {closed})"
