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


# Luhn over "80840" + nine digits: the digits at even positions from the right (the check digit
# would be position 0) are doubled, digits over 9 reduced; the prefix adds the same every time.
_DOUBLED = tuple(d * 2 - 9 if d > 4 else d * 2 for d in range(10))
_PREFIX_SUM = sum(
    _DOUBLED[int(c)] if position % 2 == 0 else int(c)
    for position, c in enumerate(reversed("80840"), start=9)
)


def npi_number(serial: int) -> str:
    """A valid NPI (Luhn check digit over 80840 + the first nine digits)."""
    base = f"{100000000 + serial % 900000000:09d}"
    # Nine digits: the 1st, 3rd, ... 9th are at even positions from the right.
    total = _PREFIX_SUM + sum(map(_DOUBLED.__getitem__, map(int, base[::2])))
    total += sum(map(int, base[1::2]))
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


_FIELDS = ("City Name", "State Name", "Postal Code", "Telephone Number")
_ADDRESS = tuple(  # (street, city, state, postal code, phone) of each of the two addresses
    (
        AT[f"Provider First Line {part} Address"],
        *(AT[f"Provider {part} Address {f}"] for f in _FIELDS),
    )
    for part in ("Business Mailing", "Business Practice Location")
)
_SLOTS = tuple(
    (
        AT[f"Healthcare Provider Taxonomy Code_{n}"],
        AT[f"Provider License Number_{n}"],
        AT[f"Provider License Number State Code_{n}"],
        AT[f"Healthcare Provider Primary Taxonomy Switch_{n}"],
        "Y" if n == 1 else "N",
    )
    for n in range(1, 4)
)


def random_rows(rng: random.Random, n: int, start: int = 0, massage_share: float = 0.01):
    """``n`` rows: about ``massage_share`` massage therapists, 3 % deactivated (blank but for
    the NPI and dates, as CMS writes them), the rest other providers.

    The column positions are looked up once, not per row (the benchmark's 600,000 rows)."""
    at = AT
    deactivated = at["NPI Deactivation Date"]
    last, first = at["Provider Last Name (Legal Name)"], at["Provider First Name"]
    credential, sex = at["Provider Credential Text"], at["Provider Sex Code"]
    org = at["Provider Organization Name (Legal Business Name)"]
    official_last = at["Authorized Official Last Name"]
    official_first = at["Authorized Official First Name"]
    enumerated, updated = at["Provider Enumeration Date"], at["Last Update Date"]
    other = [at[f"Other Provider Identifier{k}_1"] for k in ("", " Type Code", " State", " Issuer")]
    blank = [""] * len(COLUMNS)
    rand, choice, randint = rng.random, rng.choice, rng.randint
    for i in range(start, start + n):
        row = blank.copy()
        row[0] = npi_number(i)
        roll = rand()
        if roll < 0.03:
            row[deactivated] = "06/14/2019"  # its reason code stays blank
            yield row
            continue
        person = rand() < 0.8
        row[1] = "1" if person else "2"
        state, city, postal = choice(PLACES)
        if person:
            row[last] = choice(LAST)
            row[first] = choice(FIRST)
            row[credential] = choice(("LMT", "MD", "PT", "RN", ""))
            row[sex] = choice("MF")
        else:
            row[org] = f"{choice(LAST)} {choice(('WELLNESS', 'CLINIC', 'HEALTH'))} LLC"
            row[official_last] = choice(LAST)
            row[official_first] = choice(FIRST)
        street = f"{randint(1, 9999)} {choice(STREETS)}"
        phone = f"{randint(200, 989)}555{randint(0, 9999):04d}"
        for line, city_at, state_at, postal_at, phone_at in _ADDRESS:
            row[line] = street
            row[city_at] = city
            row[state_at] = state
            row[postal_at] = postal + f"{randint(0, 9999):04d}"
            row[phone_at] = phone
        row[enumerated] = "05/23/2008"
        row[updated] = "01/02/2025"
        slots = randint(1, 3)
        codes = [choice(OTHER_TAXONOMIES) for _ in range(slots)]
        if roll < 0.03 + massage_share:
            codes[rng.randrange(slots)] = MASSAGE
        for code, (code_at, license_at, state_code_at, switch_at, switch) in zip(
            codes, _SLOTS, strict=False
        ):
            row[code_at] = code
            row[license_at] = f"L{randint(10000, 99999)}"
            row[state_code_at] = state
            row[switch_at] = switch
        if rand() < 0.2:
            row[other[0]] = f"{randint(100000, 999999)}"
            row[other[1]] = "05"
            row[other[2]] = state
            row[other[3]] = "MEDICAID"
        yield row


def write_file(path: Path, rows: Iterator[list[str]] | list[list[str]]) -> Path:
    """Every value quoted, CRLF-free lines, as CMS writes the file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n")
        out.writerow(COLUMNS)
        out.writerows(rows)
    return path


FILE_NAME = "npidata_pfile_20050523-20250112.csv"  # the January 2025 file's name
