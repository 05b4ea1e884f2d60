"""The share poster (一键发圈): a phone-sized PNG with a product card, the price and a QR code to the product.

There are no product photos yet, so the picture area is a coloured card with the category and the name.
Chinese text needs a CJK font: WenQuanYi Micro Hei when installed (.ci/run installs it), else Pillow's own."""

from __future__ import annotations

import io
import zlib
from functools import lru_cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 750, 1200  # the size WeChat Moments shows well
CJK_FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
# Calm card colours; one is picked from the category name so a category keeps its colour.
PALETTE = [(46, 125, 50), (21, 101, 192), (173, 20, 87), (230, 81, 0), (0, 121, 107), (94, 53, 177)]
Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=8)
def font(size: int) -> Font:
    if CJK_FONT.exists():
        return ImageFont.truetype(str(CJK_FONT), size)
    return ImageFont.load_default(size)


def _wrap(draw: ImageDraw.ImageDraw, text: str, f: Font, width: int, lines: int) -> list[str]:
    """Break Chinese text by characters (it has no spaces) into at most `lines` lines."""
    out, line = [], ""
    for ch in text:
        if draw.textlength(line + ch, font=f) > width:
            out.append(line)
            line = ch
            if len(out) == lines:
                out[-1] = out[-1][:-1] + "…"
                return out
        else:
            line += ch
    return [*out, line] if line else out


def qr_image(url: str, size: int) -> Image.Image:
    code = qrcode.QRCode(border=2, box_size=10, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(url)
    code.make(fit=True)
    return code.make_image(fill_color="black", back_color="white").get_image().convert("RGB").resize(
        (size, size), Image.Resampling.NEAREST)


def render(name: str, category: str, price: str, unit: str, url: str, brand: str = "邻里团购") -> bytes:
    """The poster as PNG bytes. `price` is already in yuan (e.g. "12.80")."""
    colour = PALETTE[zlib.crc32(category.encode()) % len(PALETTE)]
    img = Image.new("RGB", (WIDTH, HEIGHT), (250, 248, 243))
    draw = ImageDraw.Draw(img)
    # The picture area: a rounded coloured card with the category and the product name.
    draw.rounded_rectangle((40, 40, WIDTH - 40, 640), radius=36, fill=colour)
    draw.ellipse((WIDTH - 300, 80, WIDTH - 80, 300), fill=tuple(min(255, c + 40) for c in colour))
    draw.text((90, 100), category or "好物", font=font(40), fill=(255, 255, 255))
    for i, line in enumerate(_wrap(draw, name, font(72), WIDTH - 180, 3)):
        draw.text((90, 330 + i * 90), line, font=font(72), fill=(255, 255, 255))
    # The price, then the QR code to the product page.
    draw.text((60, 690), "团购价", font=font(36), fill=(120, 120, 120))
    draw.text((60, 740), f"¥{price}", font=font(96), fill=(214, 48, 49))
    if unit:
        draw.text((60, 860), f"/ {unit}", font=font(36), fill=(120, 120, 120))
    img.paste(qr_image(url, 260), (WIDTH - 320, 690))
    draw.text((WIDTH - 320, 960), "长按识别 · 邻居一起买", font=font(26), fill=(90, 90, 90))
    draw.text((60, HEIGHT - 120), brand, font=font(44), fill=colour)
    draw.text((60, HEIGHT - 64), "小区里的好物，团长帮你挑", font=font(28), fill=(120, 120, 120))
    buffer = io.BytesIO()
    img.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
