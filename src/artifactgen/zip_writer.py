"""Deterministic zips written directly, each distinct part compressed once and then copied."""

from __future__ import annotations

import struct
import zlib
from collections import OrderedDict

# The bytes zipfile.ZipFile writes for ZipInfo(name, (1980, 1, 1, 0, 0, 0)) deflated, mode 0o644,
# create_system 0: the same archive, without compressing styles.xml again for every document.
_VERSION = 20  # deflate
_DEFLATED = 8
_UTF8_NAME = 0x800
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01
_DOS_TIME = 0
_MODE = 0o644 << 16
_LOCAL = struct.Struct("<4s2B4HL2L2H")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4s4H2LH")
_ZIP64_LIMIT = (1 << 31) - 1

# What the cache may hold, keys and compressed data together: the reference's parts, shared by
# every document, and the latest documents' own parts, zipped again once stamped.
_CACHE_BYTES = 8 * 1024 * 1024


class _DeflateCache:
    """Part bytes -> (CRC-32, raw deflate), least recently used dropped past a size budget."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self.entries: OrderedDict[bytes, tuple[int, bytes]] = OrderedDict()

    def get(self, data: bytes) -> tuple[int, bytes]:
        found = self.entries.get(data)
        if found is not None:
            self.entries.move_to_end(data)
            return found
        compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        found = (zlib.crc32(data), compressor.compress(data) + compressor.flush())
        cost = len(data) + len(found[1])
        if cost <= self.budget // 4:
            self.entries[data] = found
            self.size += cost
            while self.size > self.budget:
                old, (_, packed) = self.entries.popitem(last=False)
                self.size -= len(old) + len(packed)
        return found


_CACHE = _DeflateCache(_CACHE_BYTES)


def write_zip(files: dict[str, bytes]) -> bytes:
    """A zip of `files` in the given order with fixed timestamps: same files, same bytes."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = 0
    for name, data in files.items():
        crc, packed = _CACHE.get(data)
        if len(data) * 1.05 > _ZIP64_LIMIT:
            raise ValueError(f"{name} is too large for a DOCX part")
        try:
            encoded, flags = name.encode("ascii"), 0
        except UnicodeEncodeError:
            encoded, flags = name.encode("utf-8"), _UTF8_NAME
        sizes = (crc, len(packed), len(data), len(encoded))
        chunks += [_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, _DOS_TIME,
                               _DOS_DATE, *sizes, 0), encoded, packed]  # fmt: skip
        central += [_CENTRAL.pack(b"PK\x01\x02", _VERSION, 0, _VERSION, 0, flags, _DEFLATED,
                                  _DOS_TIME, _DOS_DATE, *sizes, 0, 0, 0, 0, _MODE, offset),
                    encoded]  # fmt: skip
        offset += _LOCAL.size + len(encoded) + len(packed)
    directory = b"".join(central)
    count = len(files)
    if count > 0xFFFF or offset + len(directory) > _ZIP64_LIMIT:
        raise ValueError("too many or too large parts for a DOCX")
    end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
    return b"".join(chunks) + directory + end
