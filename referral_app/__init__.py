"""Massage Referral Guide."""

__version__ = "0.1.0"
