"""How wide characters are in DejaVu Sans, the widest sans-serif a reader may fall back to.

Advance widths in thousandths of an em, rounded up, read from the hmtx tables of DejaVu Sans
and DejaVu Sans Bold 2.37 (Bitstream Vera licence; only these numbers are used). LibreOffice
shows Calibri as DejaVu Sans where neither Calibri nor Carlito is installed, and Calibri,
Carlito, Arial and Liberation Sans are all narrower, so text measured here fits in any of them.
"""

from __future__ import annotations

import unicodedata

FIRST = 32  # the tables run from U+0020 to U+007E, then U+00A0 to U+00FF
MONO = 603  # DejaVu Sans Mono, which stands in for Courier New: every character alike
WIDE = 1000  # a full-width (East Asian) character, and anything else not listed
_REGULAR = (
    "318 401 460 838 637 951 780 275 391 391 500 838 318 361 318 337 637 637 637 637 637 637 "
    "637 637 637 637 337 337 838 838 838 531 1000 685 687 699 771 632 576 775 752 295 295 656 "
    "558 863 749 788 604 788 695 635 611 732 685 989 686 611 686 391 337 391 838 500 500 613 "
    "635 550 635 616 353 635 634 278 278 580 278 975 634 612 635 635 412 521 393 634 592 818 "
    "592 592 525 637 337 637 838 318 401 637 637 637 637 337 500 500 1000 472 612 838 361 "
    "1000 500 500 838 401 401 500 637 637 318 500 401 472 612 970 970 970 531 685 685 685 685 "
    "685 685 975 699 632 632 632 632 295 295 295 295 775 749 788 788 788 788 788 838 788 732 "
    "732 732 732 611 605 630 613 613 613 613 613 613 982 550 616 616 616 616 278 278 278 278 "
    "612 634 612 612 612 612 612 838 612 634 634 634 634 592 635 592 "
)
_REGULAR_MORE = {
    0x2013: 500,
    0x2014: 1000,
    0x2018: 318,
    0x2019: 318,
    0x201C: 519,
    0x201D: 519,
    0x2022: 590,
    0x2026: 1000,
    0x20AC: 637,
    0x2190: 838,
    0x2191: 838,
    0x2192: 838,
    0x2193: 838,
    0x2610: 897,
    0x2611: 897,
    0x2612: 897,
    0x2713: 838,
    0x2714: 838,
    0x2717: 838,
}
_BOLD = (
    "349 457 521 838 696 1002 873 307 458 458 523 838 380 416 380 366 696 696 696 696 696 696 "
    "696 696 696 696 400 400 838 838 838 581 1000 774 763 734 831 684 684 821 837 373 373 775 "
    "638 996 837 851 733 851 771 721 683 813 774 1104 771 725 726 458 366 458 838 500 500 675 "
    "716 593 716 679 436 716 712 343 343 666 343 1042 712 688 716 716 494 596 479 712 652 924 "
    "646 652 583 712 366 712 838 349 457 696 696 637 696 366 500 500 1000 564 646 838 416 "
    "1000 500 500 838 438 438 500 736 637 380 500 438 564 646 1036 1036 1036 581 774 774 774 "
    "774 774 774 1085 734 684 684 684 684 373 373 373 373 838 837 851 851 851 851 851 838 851 "
    "813 813 813 813 725 738 720 675 675 675 675 675 675 1048 593 679 679 679 679 343 343 343 "
    "343 688 712 688 688 688 688 688 838 688 712 712 712 712 652 716 652 "
)
_BOLD_MORE = {
    0x2013: 500,
    0x2014: 1000,
    0x2018: 380,
    0x2019: 380,
    0x201C: 658,
    0x201D: 658,
    0x2022: 640,
    0x2026: 1000,
    0x20AC: 696,
    0x2190: 838,
    0x2191: 838,
    0x2192: 838,
    0x2193: 838,
    0x2610: 897,
    0x2611: 897,
    0x2612: 897,
    0x2713: 838,
    0x2714: 838,
    0x2717: 838,
}
_FACES = {
    "regular": (tuple(map(int, _REGULAR.split())), _REGULAR_MORE),
    "bold": (tuple(map(int, _BOLD.split())), _BOLD_MORE),
}


def advance(character: str, face: str) -> int:
    """The width of `character` in thousandths of an em, in face "regular", "bold" or "mono"."""
    if face == "mono":
        return MONO
    table, more = _FACES[face]
    code = ord(character)
    if 0x20 <= code <= 0x7E:
        return table[code - FIRST]
    if 0xA0 <= code <= 0xFF:
        return table[code - 0xA0 + 0x7F - FIRST]
    if code in more:
        return more[code]
    base = unicodedata.normalize("NFD", character)[:1]
    if base != character and base:
        return advance(base, face)  # an accented letter is as wide as its letter
    if unicodedata.category(character) in ("Mn", "Me", "Cf"):
        return 0
    return WIDE
