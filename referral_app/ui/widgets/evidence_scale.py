"""Rich-text rendering of the evidence scale, recommendation levels and cross-cutting facts."""

from __future__ import annotations

from html import escape

from referral_app.domain.entities import Claim, RecommendationLevel, Statement
from referral_app.domain.listing import EvidenceLevel
from referral_app.domain.scale import CLAIM_VERDICTS, GRADING_SYSTEMS
from referral_app.printing.statements import statement_html


def _cited(statement: Statement) -> str:
    return f"<li>{statement_html(statement)}</li>"


def scale_html(
    evidence: list[EvidenceLevel],
    recommendations: list[RecommendationLevel],
    cross_cutting: list[Statement],
    data_version: str,
) -> str:
    parts = ["<h2>Evidence scale</h2>"]
    for level in evidence:
        parts.append(f"<h3>{escape(level.label)}</h3><p>{escape(level.definition)}</p><ul>")
        for system, wording in level.maps_from:
            name = GRADING_SYSTEMS.get(system, system)
            parts.append(f"<li><b>{escape(name)}:</b> {escape(wording)}</li>")
        parts.append(f"</ul><p><small>Sources: {escape('; '.join(level.sources))}</small></p>")
    parts.append("<h2>Recommendation levels</h2><dl>")
    for rec in recommendations:
        parts.append(f"<dt><b>{escape(rec.label)}</b></dt><dd>{escape(rec.definition)}</dd>")
    parts.append("</dl><h2>What applies to almost every condition</h2><ul>")
    parts += [_cited(s) for s in cross_cutting]
    parts.append(f"</ul><p>Data version {escape(data_version)}</p>")
    return "\n".join(parts)


def claims_html(claims: list[Claim]) -> str:
    """Popular claims about massage and what the sources say (data/claims.toml)."""
    parts = [
        "<h2>Popular claims checked against the sources</h2>",
        "<p>Claims often heard about massage, with a verdict and what the evidence says.</p>",
    ]
    for claim in claims:
        verdict = CLAIM_VERDICTS.get(claim.verdict, claim.verdict)
        parts.append(
            f"<h3>“{escape(claim.claim)}”</h3><p><b>Verdict: {escape(verdict)}.</b> "
            f"{statement_html(claim.finding)}</p>"
        )
    return "\n".join(parts)
