"""Level badges: text first, color second (never color alone); colours in ui/level_colors.py."""

from __future__ import annotations


def badge(text: str, color: str) -> str:
    from html import escape  # not on the first paint's path (only the colours are)

    return (
        f'<span style="background-color:{color}; color:#000000; font-weight:bold;">'
        f"&nbsp;{escape(text)}&nbsp;</span>"
    )
