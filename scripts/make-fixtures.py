"""Generates the image fixtures in __tests__/fixtures/images (committed; rerun to regenerate).

    .venv/bin/python scripts/make-fixtures.py

Pillow (pinned in requirements-test.txt) writes the real JPEGs and PNGs; the few files
Pillow cannot write (an Adam7-interlaced PNG, a PNG header claiming absurd dimensions)
are assembled from PNG chunks here.
"""
import io
import struct
import zlib
from pathlib import Path

from PIL import Image

OUT = Path(__file__).resolve().parent.parent / "__tests__" / "fixtures" / "images"


def gradient(width, height):
    image = Image.new("RGB", (width, height))
    image.putdata([((x * 255) // width, (y * 255) // height, 128) for y in range(height) for x in range(width)])
    return image


def jpeg(image, **options):
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, **options)
    return buffer.getvalue()


def exif(description):
    data = Image.Exif()
    data[0x010E] = description  # ImageDescription
    data[0x0112] = 1  # Orientation
    return data.tobytes()


def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_from_rows(width, height, rows, interlace):
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, interlace)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def adam7_png(width, height):
    """An interlaced (Adam7) RGB PNG: each pass's rows, filter type 0."""
    passes = [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)]
    data = b""
    for x0, y0, dx, dy in passes:
        for y in range(y0, height, dy):
            xs = range(x0, width, dx)
            if len(xs) == 0:
                continue
            data += b"\x00" + b"".join(bytes(((x * 255) // width, (y * 255) // height, 64)) for x in xs)
    return png_from_rows(width, height, data, interlace=1)


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    files = {
        "baseline-exif.jpg": jpeg(gradient(64, 48), exif=exif("fixture: baseline with EXIF")),
        "progressive.jpg": jpeg(gradient(40, 30), progressive=True),
        "plain.png": _png(gradient(32, 20)),
        "interlaced.png": adam7_png(24, 16),
        # A 100 KiB ICC profile (APP2 segments) puts the size marker (SOF) past the first 64 KiB window.
        "late-sof.jpg": jpeg(gradient(20, 10), icc_profile=bytes(range(256)) * 400),
        # 200 KiB of ICC profile: past two windows, where the processor gives up.
        "very-late-sof.jpg": jpeg(gradient(20, 10), icc_profile=bytes(range(256)) * 800),
        "gif-named.png": _gif(gradient(8, 8)),
        "text-named.jpg": b"This is not an image, whatever its name says.\n" * 4,
        "truncated-header.png": _png(gradient(32, 20))[:20],
        "empty.png": b"",
        # A valid PNG header claiming 100000 x 100000 pixels: far over any sane limit.
        "absurd-dimensions.png": png_from_rows(100_000, 100_000, b"\x00", interlace=0),
    }
    for name, data in files.items():
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes")


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _gif(image):
    buffer = io.BytesIO()
    image.save(buffer, "GIF")
    return buffer.getvalue()


if __name__ == "__main__":
    main()
