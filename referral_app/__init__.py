"""Massage Referral Guide."""

__version__ = "0.2.0"
