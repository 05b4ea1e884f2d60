"""Money is integer fen (分). Never float."""

from __future__ import annotations


def yuan(fen: int) -> str:
    """Display form, e.g. 1234 -> '12.34'."""
    sign = "-" if fen < 0 else ""
    fen = abs(fen)
    return f"{sign}{fen // 100}.{fen % 100:02d}"
