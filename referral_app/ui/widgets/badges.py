"""Level badges: text first, color second (never color alone); readable on light and dark."""

from __future__ import annotations

# Background colors with black text: contrast >= 7:1 for each.
EVIDENCE_COLORS = {
    "moderate": "#9fe0a8",
    "low": "#cfe8ff",
    "very_low": "#ffe3a3",
    "no_effect": "#e6e6e6",
}
RECOMMENDATION_COLORS = {
    "recommend": "#9fe0a8",
    "consider": "#cfe8ff",
    "insufficient": "#ffe3a3",
    "not_recommended": "#e6e6e6",
    "not_advised": "#ffa64d",
    "defer": "#ffb3b3",
}


def badge(text: str, color: str) -> str:
    from html import escape  # not on the first paint's path (only the colours are)

    return (
        f'<span style="background-color:{color}; color:#000000; font-weight:bold;">'
        f"&nbsp;{escape(text)}&nbsp;</span>"
    )
