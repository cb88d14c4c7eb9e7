"""Errors a use case reports to either face: one plain line (CLI exit 2, a GUI dialog)."""

from __future__ import annotations


class InputError(Exception):
    """Bad input for a use case: the message is one plain line that says what to fix."""
