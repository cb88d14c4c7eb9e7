"""Checks on the contact numbers of the clinic's own therapists: phone, fax and NPI.

Pure Python. Each check returns a sentence for the user, or "" when the value is fine (or blank:
both are optional).
"""

from __future__ import annotations

import re

# The NPI check digit is the Luhn digit of the number prefixed with 80840 (the US health
# industry prefix), per CMS, "Requirements for National Provider Identifier check digit".
NPI_PREFIX = "80840"
MAX_PHONE = 40  # "+1 (555) 555-0100 ext. 12345" and some spaces
_PHONE_CHARACTERS = re.compile(r"^[0-9+()./\s-]+(\s*(x|ext\.?)\s*\d+)?$", re.IGNORECASE)


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def npi_problem(npi: str) -> str:
    """Why ``npi`` is not a valid National Provider Identifier ("" when it is, or is blank)."""
    npi = npi.strip()
    if not npi:
        return ""
    if not (len(npi) == 10 and npi.isascii() and npi.isdigit()):
        return f"the NPI '{npi}' must be exactly 10 digits"
    if not luhn_ok(NPI_PREFIX + npi):
        return f"the NPI '{npi}' is not a valid NPI (its last digit does not match): check it"
    return ""


def phone_problem(number: str, what: str = "phone number") -> str:
    """Why ``number`` is not a phone number ("" when it looks like one, or is blank): digits,
    spaces, ( ) - + . / and an extension only, 7 to 15 digits."""
    number = number.strip()
    if not number:
        return ""
    if len(number) > MAX_PHONE:  # checked first: the pattern backtracks on long input
        return (
            f"the {what} is {len(number):,} characters long; a phone number has at most {MAX_PHONE}"
        )
    digits = sum(ch.isdigit() for ch in number)
    if not _PHONE_CHARACTERS.match(number) or not 7 <= digits <= 15:
        return f"the {what} '{number}' is not a phone number (digits, spaces, ( ) - + only)"
    return ""


def fax_problem(fax: str) -> str:
    """Why ``fax`` is not a fax number ("" when it looks like one, or is blank)."""
    return phone_problem(fax, "fax number")


def identifier_base_problem(url: str) -> str:
    """Why ``url`` cannot name the practice's FHIR identifiers ("" when it can, or is blank): an
    absolute http(s) URL with a host, no spaces, query or fragment (RFC 3986), which the practice
    controls (that part cannot be checked here)."""
    from urllib.parse import urlsplit

    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return f"the identifier URL '{url}' must start with https:// and name a host"
    if any(ch.isspace() for ch in url) or parts.query or parts.fragment or not url.isascii():
        return f"the identifier URL '{url}' must have no spaces, '?', '#' or non-ASCII letters"
    return ""
