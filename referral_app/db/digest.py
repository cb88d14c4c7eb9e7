"""Search-ranking figures the build and the reader share (no sqlite-utils import: fast start)."""

from __future__ import annotations

WHOLE_WORD_BONUS = 10
PREFIX_TOP = 100  # ranked hits kept per one-character prefix (and per longer busy prefix)
BUSY_PREFIX_MAX = 8  # longer prefixes matching PREFIX_TOP or more conditions are kept up to this
