"""The direct zip writer: the archive zipfile would write, read back unchanged, cache bounded."""

from __future__ import annotations

import io
import zipfile

from artifactgen.wordml import read_package, write_package
from artifactgen.zip_writer import _DeflateCache

EPOCH = (1980, 1, 1, 0, 0, 0)


def zipfile_archive(files: dict[str, bytes]) -> bytes:
    """What docx_package.normalise_zip wrote before the direct writer, through zipfile."""
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            target.writestr(info, data)
    return output.getvalue()


FILES = {
    "[Content_Types].xml": b"<Types/>",
    "word/document.xml": b"<w:document>" + b"<w:p/>" * 5000 + b"</w:document>",
    "empty.xml": b"",
    "word/m\u00e9dia/caf\u00e9.bin": bytes(range(256)) * 40,
}


def test_same_bytes_as_zipfile_and_read_back_in_order():
    data = write_package(FILES)
    assert data == zipfile_archive(FILES)
    assert list(read_package(data).items()) == list(FILES.items())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        assert {info.date_time for info in archive.infolist()} == {EPOCH}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o644}


def test_repeated_parts_come_from_the_cache_and_stay_identical():
    assert write_package(FILES) == write_package(dict(FILES)) == zipfile_archive(FILES)
    assert write_package({}) == zipfile_archive({})


def test_cache_stays_within_its_budget():
    cache = _DeflateCache(budget=4000)
    for number in range(50):
        _crc, packed = cache.get(str(number).encode() * 100)
        assert packed
    assert cache.size <= 4000
    assert 0 < len(cache.entries) < 50
    cache.get(b"x" * 5000)  # larger than a quarter of the budget: compressed, never kept
    assert b"x" * 5000 not in cache.entries
