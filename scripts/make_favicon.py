"""Write static/favicon.ico from the drawing of static/favicon.svg (three linked cities on the
site's dark blue), at 16, 32 and 48 pixels, without an image library: each size is drawn by
supersampling and stored as a PNG inside the ICO (read by every current browser).

    .venv/bin/python scripts/make_favicon.py
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ICO = Path(__file__).resolve().parent.parent / "static" / "favicon.ico"
SIZES = (16, 32, 48)
SUPERSAMPLE = 4
# The drawing of favicon.svg, on a 32 × 32 canvas.
BACKGROUND = (0x08, 0x3F, 0x77)
LINK = (0xFF, 0xD5, 0x4A)
CITY = (0xFF, 0xFF, 0xFF)
CORNER = 6
CITIES = ((16, 9), (9, 23), (23, 23))
LINKS = ((0, 1), (0, 2), (1, 2))
CITY_RADIUS = 4
LINK_WIDTH = 2


def _segment_distance(px, py, ax, ay, bx, by):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _inside_rounded_square(x, y):
    cx = min(max(x, CORNER), 32 - CORNER)
    cy = min(max(y, CORNER), 32 - CORNER)
    return 0 <= x <= 32 and 0 <= y <= 32 and math.hypot(x - cx, y - cy) <= CORNER


def _colour(x, y):
    """The drawing's colour at (x, y) of the 32 × 32 canvas, or None outside it."""
    if not _inside_rounded_square(x, y):
        return None
    if any(math.hypot(x - cx, y - cy) <= CITY_RADIUS for cx, cy in CITIES):
        return CITY
    for a, b in LINKS:
        if _segment_distance(x, y, *CITIES[a], *CITIES[b]) <= LINK_WIDTH / 2:
            return LINK
    return BACKGROUND


def _pixels(size: int) -> bytes:
    rows = []
    step = 32 / (size * SUPERSAMPLE)
    for row in range(size):
        line = bytearray([0])  # PNG filter type: none
        for column in range(size):
            red = green = blue = alpha = 0
            for sy in range(SUPERSAMPLE):
                for sx in range(SUPERSAMPLE):
                    x = (column * SUPERSAMPLE + sx + 0.5) * step
                    y = (row * SUPERSAMPLE + sy + 0.5) * step
                    colour = _colour(x, y)
                    if colour:
                        red, green, blue, alpha = red + colour[0], green + colour[1], blue + colour[2], alpha + 1
            samples = SUPERSAMPLE * SUPERSAMPLE
            if alpha:
                line += bytes([red // alpha, green // alpha, blue // alpha, 255 * alpha // samples])
            else:
                line += bytes(4)
        rows.append(bytes(line))
    return b"".join(rows)


def _png(size: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(_pixels(size), 9))
        + chunk(b"IEND", b"")
    )


def ico() -> bytes:
    images = [_png(size) for size in SIZES]
    directory = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries = b""
    for size, image in zip(SIZES, images, strict=True):
        entries += struct.pack("<BBBBHHII", size % 256, size % 256, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return directory + entries + b"".join(images)


if __name__ == "__main__":
    ICO.write_bytes(ico())
    print(f"Wrote {ICO} ({ICO.stat().st_size} bytes)")
