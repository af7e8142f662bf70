"""Decompression bombs made by hand (no decoder involved) and a peak-memory probe for the test process."""

import base64
import functools
import resource
import struct
import zlib
from contextlib import contextmanager


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


@functools.cache
def bomb_png(width: int = 6300, height: int = 6300) -> bytes:
    """A valid RGB PNG of one colour: 115 KB on disk for 6300 × 6300 (40 million pixels, 450 MB once decoded
    and re-encoded). Built row by row with zlib (run-length strategy: fast), so making it costs no memory."""
    row = b"\x00" + b"\x00" * (width * 3)
    compressor = zlib.compressobj(9, zlib.DEFLATED, 15, 9, zlib.Z_RLE)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def _peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def peak_memory():
    """`with peak_memory() as peak: ...; peak["mb"]` is how far the process's resident peak rose above where
    it stood (Linux resets the peak on writing 5 to /proc/self/clear_refs). Pillow allocates outside Python's
    allocator, so tracemalloc would not see a decoded image; the resident set does."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        pass  # the peak is then the process's whole life: the delta can only come out smaller
    with open("/proc/self/status") as status:
        before = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))
    result = {"mb": 0.0}
    yield result
    result["mb"] = _peak_mb() - before


def svg_embedding(png: bytes) -> str:
    """An SVG showing `png` through a base64 data URI (which the SVG sanitiser allows)."""
    data = base64.b64encode(png).decode()
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="240" '
        f'height="240"><image width="240" height="240" xlink:href="data:image/png;base64,{data}"/></svg>'
    )
