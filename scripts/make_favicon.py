"""Write ``dashboard/web/assets/favicon.ico``: the site's mark, 32 px (a white ring on the
header's blue).

Pure Python (zlib): a PNG image inside an ICO container. Run once; the output is committed.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 32
BLUE = (0, 0, 145, 255)
WHITE = (255, 255, 255, 255)


def pixel(x: int, y: int) -> tuple[int, int, int, int]:
    """The mark: a white ring, radius 7.5 to 11.5 px, on blue."""
    r = ((x - 15.5) ** 2 + (y - 15.5) ** 2) ** 0.5
    return WHITE if 7.5 <= r <= 11.5 else BLUE


def png(size: int) -> bytes:
    """An RGBA PNG of the mark."""
    raw = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(size))
                   for y in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def ico(image: bytes, size: int) -> bytes:
    """One PNG image in an ICO container."""
    directory = struct.pack("<HHH", 0, 1, 1)
    entry = struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), 6 + 16)
    return directory + entry + image


if __name__ == "__main__":
    out = Path(__file__).resolve().parents[1] / "dashboard" / "web" / "assets" / "favicon.ico"
    out.write_bytes(ico(png(SIZE), SIZE))
    print(f"wrote {out} ({out.stat().st_size} bytes)")
