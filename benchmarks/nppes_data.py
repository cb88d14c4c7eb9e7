"""A generated NPPES data file in the real layout: the 330 column names, in order, of the NPPES
Data Dissemination Readme (CMS, "Exhibit 2-1 Data File Layout"), every value quoted as CMS
writes it, rows of seeded random values. Used by the tests (small files) and by
benchmarks/nppes_import.py (a full-size file of 8 million rows).

Rows are realistic where the import looks (entity type, names, practice address, phone, fax,
deactivation dates, the 15 taxonomy slots with their license numbers) and sparse elsewhere (the
200 "Other Provider Identifier" columns are mostly empty, as in most real rows), so the file has
the real number of rows and columns in fewer bytes than the 9 GB CMS file.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

MASSAGE = "225700000X"
OTHER_TAXONOMIES = (
    "207Q00000X",
    "363LF0000X",
    "225100000X",
    "122300000X",
    "1223G0001X",
    "261QM1300X",
    "208D00000X",
    "332B00000X",
    "225X00000X",
    "171M00000X",
)


def header() -> list[str]:
    """The data file's 330 column names, in the order CMS writes them."""
    names = [
        "NPI",
        "Entity Type Code",
        "Replacement NPI",
        "Employer Identification Number (EIN)",
        "Provider Organization Name (Legal Business Name)",
        "Provider Last Name (Legal Name)",
        "Provider First Name",
        "Provider Middle Name",
        "Provider Name Prefix Text",
        "Provider Name Suffix Text",
        "Provider Credential Text",
        "Provider Other Organization Name",
        "Provider Other Organization Name Type Code",
        "Provider Other Last Name",
        "Provider Other First Name",
        "Provider Other Middle Name",
        "Provider Other Name Prefix Text",
        "Provider Other Name Suffix Text",
        "Provider Other Credential Text",
        "Provider Other Last Name Type Code",
    ]
    for kind in ("Mailing", "Practice Location"):
        line = "Business Mailing" if kind == "Mailing" else "Business Practice Location"
        names += [f"Provider First Line {line} Address", f"Provider Second Line {line} Address"]
        names += [
            f"Provider {line} Address {part}"
            for part in (
                "City Name",
                "State Name",
                "Postal Code",
                "Country Code (If outside U.S.)",
                "Telephone Number",
                "Fax Number",
            )
        ]
    names += [
        "Provider Enumeration Date",
        "Last Update Date",
        "NPI Deactivation Reason Code",
        "NPI Deactivation Date",
        "NPI Reactivation Date",
        "Provider Sex Code",
        "Authorized Official Last Name",
        "Authorized Official First Name",
        "Authorized Official Middle Name",
        "Authorized Official Title or Position",
        "Authorized Official Telephone Number",
    ]
    for n in range(1, 16):
        names += [
            f"Healthcare Provider Taxonomy Code_{n}",
            f"Provider License Number_{n}",
            f"Provider License Number State Code_{n}",
            f"Healthcare Provider Primary Taxonomy Switch_{n}",
        ]
    for n in range(1, 51):
        names += [
            f"Other Provider Identifier_{n}",
            f"Other Provider Identifier Type Code_{n}",
            f"Other Provider Identifier State_{n}",
            f"Other Provider Identifier Issuer_{n}",
        ]
    names += [
        "Is Sole Proprietor",
        "Is Organization Subpart",
        "Parent Organization LBN",
        "Parent Organization TIN",
        "Authorized Official Name Prefix Text",
        "Authorized Official Name Suffix Text",
        "Authorized Official Credential Text",
    ]
    names += [f"Healthcare Provider Taxonomy Group_{n}" for n in range(1, 16)]
    names.append("Certification Date")
    assert len(names) == 330
    return names


COLUMNS = header()
AT = {name: i for i, name in enumerate(COLUMNS)}
FIRST = ("MARIA", "JAMES", "ANA", "ROBERT", "LINDA", "DAVID", "SOFIA", "KEVIN", "EMILY", "JOSE")
LAST = ("GARCIA", "SMITH", "NGUYEN", "JOHNSON", "O'BRIEN", "LOPEZ", "KIM", "BROWN", "DAVIS")
STREETS = ("MAIN ST", "OAK AVE", "FANNIN ST", "HOLCOMBE BLVD", "BROADWAY", "ELM ST", "PARK RD")
# (state, city, ZIP) of real US ZIP codes, so the import places entries as it would real ones.
PLACES = (
    ("TX", "HOUSTON", "77030"),
    ("TX", "AUSTIN", "78701"),
    ("LA", "NEW ORLEANS", "70112"),
    ("MA", "BOSTON", "02215"),
    ("MT", "MISSOULA", "59801"),
    ("NY", "NEW YORK", "10016"),
    ("CA", "SAN FRANCISCO", "94115"),
    ("PR", "SAN JUAN", "00901"),
    ("FL", "MIAMI", "33136"),
    ("GA", "ATLANTA", "30322"),
)


def npi_number(serial: int) -> str:
    """A valid NPI (Luhn check digit over 80840 + the first nine digits)."""
    base = f"{100000000 + serial % 900000000:09d}"
    digits = "80840" + base
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 0:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return base + str((10 - total % 10) % 10)


@dataclass(frozen=True, slots=True)
class Spec:
    """One row the tests ask for by name (the rest are random)."""

    npi_serial: int
    entity: str = "1"  # 1 individual, 2 organization
    state: str = "TX"
    city: str = "HOUSTON"
    postal: str = "770301234"
    taxonomy_slot: int = 1  # where 225700000X sits (0: not a massage therapist)
    deactivated: str = ""
    reactivated: str = ""
    first: str = "ANA"
    last: str = "RUIZ"
    credential: str = "LMT"
    org: str = "LAKESIDE MASSAGE THERAPY LLC"
    phone: str = "7135550100"
    fax: str = "7135550101"
    country: str = ""


def spec_row(spec: Spec) -> list[str]:
    row = [""] * len(COLUMNS)

    def put(name: str, value: str) -> None:
        row[AT[name]] = value

    put("NPI", npi_number(spec.npi_serial))
    put("Entity Type Code", spec.entity)
    if spec.entity == "1":
        put("Provider Last Name (Legal Name)", spec.last)
        put("Provider First Name", spec.first)
        put("Provider Credential Text", spec.credential)
    else:
        put("Provider Organization Name (Legal Business Name)", spec.org)
    put("Provider First Line Business Practice Location Address", "6565 FANNIN ST")
    put("Provider Second Line Business Practice Location Address", "SUITE 200")
    put("Provider Business Practice Location Address City Name", spec.city)
    put("Provider Business Practice Location Address State Name", spec.state)
    put("Provider Business Practice Location Address Postal Code", spec.postal)
    put("Provider Business Practice Location Address Country Code (If outside U.S.)", spec.country)
    put("Provider Business Practice Location Address Telephone Number", spec.phone)
    put("Provider Business Practice Location Address Fax Number", spec.fax)
    put("Provider Enumeration Date", "05/23/2008")
    put("Last Update Date", "01/02/2025")
    put("NPI Deactivation Date", spec.deactivated)
    put("NPI Reactivation Date", spec.reactivated)
    put("Healthcare Provider Taxonomy Code_1", "122300000X")
    if spec.taxonomy_slot:
        put(f"Healthcare Provider Taxonomy Code_{spec.taxonomy_slot}", MASSAGE)
        put(f"Provider License Number_{spec.taxonomy_slot}", "MT012345")
        put(f"Provider License Number State Code_{spec.taxonomy_slot}", spec.state)
    return row


def random_rows(rng: random.Random, n: int, start: int = 0, massage_share: float = 0.01):
    """``n`` rows: about ``massage_share`` massage therapists, 3 % deactivated (blank but for
    the NPI and dates, as CMS writes them), the rest other providers."""
    for i in range(start, start + n):
        row = [""] * len(COLUMNS)
        row[0] = npi_number(i)
        roll = rng.random()
        if roll < 0.03:
            row[AT["NPI Deactivation Reason Code"]] = ""
            row[AT["NPI Deactivation Date"]] = "06/14/2019"
            yield row
            continue
        person = rng.random() < 0.8
        row[1] = "1" if person else "2"
        state, city, postal = rng.choice(PLACES)
        if person:
            row[AT["Provider Last Name (Legal Name)"]] = rng.choice(LAST)
            row[AT["Provider First Name"]] = rng.choice(FIRST)
            row[AT["Provider Credential Text"]] = rng.choice(("LMT", "MD", "PT", "RN", ""))
            row[AT["Provider Sex Code"]] = rng.choice("MF")
        else:
            row[AT["Provider Organization Name (Legal Business Name)"]] = (
                f"{rng.choice(LAST)} {rng.choice(('WELLNESS', 'CLINIC', 'HEALTH'))} LLC"
            )
            row[AT["Authorized Official Last Name"]] = rng.choice(LAST)
            row[AT["Authorized Official First Name"]] = rng.choice(FIRST)
        street = f"{rng.randint(1, 9999)} {rng.choice(STREETS)}"
        phone = f"{rng.randint(200, 989)}555{rng.randint(0, 9999):04d}"
        for prefix in ("Business Mailing", "Business Practice Location"):
            row[AT[f"Provider First Line {prefix} Address"]] = street
            row[AT[f"Provider {prefix} Address City Name"]] = city
            row[AT[f"Provider {prefix} Address State Name"]] = state
            row[AT[f"Provider {prefix} Address Postal Code"]] = (
                postal + f"{rng.randint(0, 9999):04d}"
            )
            row[AT[f"Provider {prefix} Address Telephone Number"]] = phone
        row[AT["Provider Enumeration Date"]] = "05/23/2008"
        row[AT["Last Update Date"]] = "01/02/2025"
        slots = rng.randint(1, 3)
        codes = [rng.choice(OTHER_TAXONOMIES) for _ in range(slots)]
        if roll < 0.03 + massage_share:
            codes[rng.randrange(slots)] = MASSAGE
        for n_, code in enumerate(codes, 1):
            row[AT[f"Healthcare Provider Taxonomy Code_{n_}"]] = code
            row[AT[f"Provider License Number_{n_}"]] = f"L{rng.randint(10000, 99999)}"
            row[AT[f"Provider License Number State Code_{n_}"]] = state
            row[AT[f"Healthcare Provider Primary Taxonomy Switch_{n_}"]] = "Y" if n_ == 1 else "N"
        if rng.random() < 0.2:
            row[AT["Other Provider Identifier_1"]] = f"{rng.randint(100000, 999999)}"
            row[AT["Other Provider Identifier Type Code_1"]] = "05"
            row[AT["Other Provider Identifier State_1"]] = state
            row[AT["Other Provider Identifier Issuer_1"]] = "MEDICAID"
        yield row


def write_file(path: Path, rows: Iterator[list[str]] | list[list[str]]) -> Path:
    """Every value quoted, CRLF-free lines, as CMS writes the file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(COLUMNS)
        out.writerows(rows)
    return path


FILE_NAME = "npidata_pfile_20050523-20250112.csv"  # the January 2025 file's name
