"""The QR code of a batch's public trace page, as PNG bytes (printed on the label, 每单附赠产地二维码)."""

from __future__ import annotations

import io

import qrcode


def png(url: str, box_size: int = 8) -> bytes:
    code = qrcode.QRCode(border=2, box_size=box_size, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").get_image().save(buffer, format="PNG")
    return buffer.getvalue()
