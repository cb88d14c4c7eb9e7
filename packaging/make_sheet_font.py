"""Make resources/fonts/: the two small faces the referral sheets are printed with.

Qt embeds a subset of every font face a PDF uses, and building each subset reads the whole face:
with the system's DejaVu Sans and DejaVu Sans Bold (~750 kB each) the bold headings cost a second
full read per sheet (benchmarks/sheet_render.py). These are the same DejaVu Sans 2.37 designs cut
down to what a sheet prints (Latin, Latin-1, Latin Extended A and B, punctuation, arrows, check
boxes, a few symbols), without hinting, under their own family name
"Referral Sheet Sans" so Qt never mixes them with the system's faces. A character outside them
(a patient's name in another script) still prints: Qt falls back to a system font for it.

DejaVu's licence (resources/fonts/LICENSE) allows modified copies under a name without
"Bitstream" or "Vera". Maintainer tool, run by hand when the set changes; needs fontTools:

    pip install fonttools
    python packaging/make_sheet_font.py [--from /usr/share/fonts/truetype/dejavu]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "fonts"
FAMILY = "Referral Sheet Sans"
FACES = {"DejaVuSans.ttf": ("Book", "ReferralSheetSans"),
         "DejaVuSans-Bold.ttf": ("Bold", "ReferralSheetSans-Bold")}  # fmt: skip
RANGES = [
    (0x0020, 0x007E), (0x00A0, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x2000, 0x206F),                    # general punctuation, spaces, direction marks
    (0x2070, 0x2079), (0x20AC, 0x20AC),  # superscript digits, euro
    (0x2116, 0x2116), (0x2122, 0x2122),  # numero, trade mark
    (0x2190, 0x2195), (0x2212, 0x2212),  # arrows, minus
    (0x2264, 0x2265), (0x25A0, 0x25A1),  # less/greater or equal, squares
    (0x25CF, 0x25CF), (0x2610, 0x2612),  # black circle, ballot boxes
    (0x2713, 0x2718),                    # check marks
]  # fmt: skip


def make_face(source: Path, style: str, postscript: str) -> Path:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(source)
    options = subset.Options()
    options.layout_features = ["kern", "ccmp", "locl", "mark", "mkmk"]
    options.hinting = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[c for lo, hi in RANGES for c in range(lo, hi + 1)])
    subsetter.subset(font)
    full = FAMILY if style == "Book" else f"{FAMILY} {style}"
    names = {1: FAMILY, 2: style, 3: f"{full}: subset of DejaVu Sans", 4: full, 6: postscript,
             16: FAMILY, 17: style}  # fmt: skip
    for record in font["name"].names:
        if record.nameID in names:
            record.string = names[record.nameID]
    out = OUT / f"{postscript}.ttf"
    font.save(out)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", type=Path,
                        default=Path("/usr/share/fonts/truetype/dejavu"))  # fmt: skip
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (style, postscript) in FACES.items():
        out = make_face(args.source / name, style, postscript)
        print(f"wrote {out} ({out.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
