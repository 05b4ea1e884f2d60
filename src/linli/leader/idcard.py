"""Mainland resident ID numbers (GB 11643-1999): 18 characters, a birth date and a checksum."""

from __future__ import annotations

from datetime import date

from linli.core import clock
from linli.core.errors import Invalid

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def validate(raw: str) -> str:
    """The normalised number (upper-case X) or Invalid `invalid_id_number`."""
    number = raw.strip().upper()
    bad = Invalid("id_number: not a valid resident ID number", code="invalid_id_number")
    # isascii: '²', full-width and Arabic-Indic digits pass isdigit() (int() then fails or they are stored as-is)
    if (len(number) != 18 or not number.isascii() or not number[:17].isdigit()
            or not (number[17].isdigit() or number[17] == "X")):
        raise bad
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise bad from None
    if born.year < 1900 or born > clock.now().date() or check_char(number[:17]) != number[17]:
        raise bad
    return number


def mask(number: str) -> str:
    """3301**********123X: the region prefix and the last four only."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]
