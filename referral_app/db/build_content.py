"""The cited content around conditions into the reference database: flags, levels, wording,
notes, centers, claims, guidance, links and the change record."""

from __future__ import annotations

import json
from dataclasses import asdict

from sqlite_utils import Database

from referral_app.content.model import Content
from referral_app.db.center_rows import reference_row


def write_flags_and_levels(db: Database, content: Content) -> None:
    db.table("flags").insert_all(
        {
            "id": f.id,
            "position": i,
            "label": f.label,
            "question": f.question,
            "kind": f.kind,
            "reason": f.reason,
            "instruction": f.instruction,
            "confirmed": int(f.confirmed),
            "needs_service": f.needs_service,
            "patient_first": json.dumps(f.patient_first),
        }
        for i, f in enumerate(content.flags)
    )
    db.table("flag_overrides").insert_all(
        {
            "flag_id": f.id,
            "condition_id": o.condition,
            "kind": o.kind,
            "reason": o.reason,
            "instruction": o.instruction,
            "confirmed": int(o.confirmed),
            "sources": json.dumps(list(o.sources)),
            "patient_first": json.dumps(o.patient_first),
        }
        for f in content.flags
        for o in f.overrides
    )
    db.table("flag_aliases").insert_all(
        {
            "old": a.old,
            "position": i,
            "new": json.dumps(list(a.new)),
            "yes": json.dumps(list(a.yes)),
            "why": a.why,
        }
        for i, a in enumerate(content.aliases)
    )
    db.table("clinician_notes").insert_all(
        {
            "key": n.key,
            "title": n.title,
            "text": n.text,
            "confirmed": int(n.confirmed),
            "sources": json.dumps(list(n.sources)),
            "conditions": json.dumps(list(n.conditions)),
        }
        for n in content.notes
    )
    db.table("wording").insert_all(
        {"level": level, "key": key, "text": text}
        for level, texts in content.wording.items()
        for key, text in texts.items()
    )
    db.table("flag_sources").insert_all(
        {"flag_id": f.id, "citation_key": key, "position": i}
        for f in content.flags
        for i, key in enumerate(f.sources)
    )
    db.table("evidence_levels").insert_all(
        {
            **e._asdict(),
            "position": i,
            "sources": json.dumps(list(e.sources)),
            "maps_from": json.dumps(dict(e.maps_from)),
        }
        for i, e in enumerate(content.evidence_levels)
    )
    db.table("recommendation_levels").insert_all(
        {**asdict(r), "position": i} for i, r in enumerate(content.recommendation_levels)
    )
    db.table("cross_cutting").insert_all(
        {
            "position": i,
            "text": s.text,
            "confirmed": int(s.confirmed),
            "sources": json.dumps(list(s.sources)),
        }
        for i, s in enumerate(content.cross_cutting)
    )


def write_centers(db: Database, content: Content) -> None:
    db.table("centers").insert_all(map(reference_row, content.centers), batch_size=1000)
    db.table("center_services").insert_all(
        ({"center_id": c.id, "service": s} for c in content.centers for s in c.services),
        batch_size=2000,
    )
    db.table("centers").create_index(["latitude"])
    db.execute(
        "CREATE VIRTUAL TABLE centers_rtree USING rtree(rid, min_lat, max_lat, min_lon, max_lon)"
    )
    db.execute(
        "INSERT INTO centers_rtree SELECT rowid, latitude, latitude, longitude, longitude "
        "FROM centers WHERE latitude IS NOT NULL AND longitude IS NOT NULL"
    )


def write_claims_and_guidance(db: Database, content: Content) -> None:
    db.table("claims").insert_all(
        {
            "id": c.id,
            "position": i,
            "claim": c.claim,
            "verdict": c.verdict,
            "text": c.finding.text,
            "confirmed": int(c.finding.confirmed),
        }
        for i, c in enumerate(content.claims)
    )
    db.table("claim_sources").insert_all(
        {"claim_id": c.id, "citation_key": key, "position": i}
        for c in content.claims
        for i, key in enumerate(c.finding.sources)
    )
    rows: list[dict[str, object]] = []
    sources: list[dict[str, object]] = []
    for section, entries in content.guidance.items():
        for position, entry in enumerate(entries):
            gid = len(rows) + 1
            rows.append(
                {
                    "id": gid,
                    "section": section,
                    "position": position,
                    "en": entry.text.get("en", ""),
                    "es": entry.text.get("es", ""),
                    "confirmed": int(entry.confirmed),
                    "flags": ",".join(entry.flags),
                }
            )
            sources += [
                {"guidance_id": gid, "citation_key": key, "position": i}
                for i, key in enumerate(entry.sources)
            ]
    db.table("guidance").insert_all(rows)
    db.table("guidance_sources").insert_all(sources)
    db.table("warning_signs").insert_all(
        {
            "id": w.id,
            "position": i,
            "flags": json.dumps(list(w.flags)),
            "conditions": json.dumps(list(w.conditions)),
            "replaces_general": int(w.replaces_general),
            "en": json.dumps(list(w.text.get("en", ()))),
            "es": json.dumps(list(w.text.get("es", ()))),
            "sources": json.dumps(list(w.sources)),
            "confirmed": int(w.confirmed),
        }
        for i, w in enumerate(content.warning_sets)
    )
    db.table("links").insert_all(
        {"position": i, "lang": link.lang, "label": link.label, "url": link.url}
        for i, link in enumerate(content.links)
    )


def write_releases(db: Database, content: Content) -> None:
    """The change record per content version (data/changes.toml)."""
    changes: list[dict[str, object]] = []
    sources: list[dict[str, object]] = []
    for release in content.releases:
        for position, change in enumerate(release.changes):
            cid = len(changes) + 1
            changes.append(
                {
                    "id": cid,
                    "version": release.version,
                    "position": position,
                    "kind": change.kind,
                    "target": change.target,
                    "field": change.field,
                    "old": change.old,
                    "new": change.new,
                    "why": change.why,
                }
            )
            sources += [
                {"change_id": cid, "citation_key": key, "position": i}
                for i, key in enumerate(change.sources)
            ]
    db.table("releases").insert_all(
        {
            "version": r.version,
            "position": i,
            "date": r.date.isoformat(),
            "summary": r.summary,
            "content_hash": r.content_hash,
        }
        for i, r in enumerate(content.releases)
    )
    db.table("changes").insert_all(changes)
    db.table("change_sources").insert_all(sources)


def write_routes(db: Database, content: Content) -> None:
    """The state massage-therapy boards and the national locators (data/licensing_boards.toml)."""
    db.table("licensing_boards").insert_all(asdict(b) for b in content.boards)
    db.table("locators").insert_all(
        asdict(loc) | {"position": i, "confirmed": int(loc.confirmed)}
        for i, loc in enumerate(content.locators)
    )
