"""Stored bases: one object per Word render, and bases stored part by part before 0.2 still read."""

from __future__ import annotations

import json
import zlib

from artifactgen.store import Objects
from artifactgen.wordml import write_package

PARTS = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}


def test_a_word_base_is_one_object_holding_every_part(tmp_path):
    objects = Objects(tmp_path)
    key = objects.put(write_package(PARTS))
    assert [path.name for path in objects.folder.iterdir()] == [key]
    assert objects.get_tree(key) == PARTS


def test_a_base_stored_part_by_part_is_still_read_and_kept(tmp_path):
    objects = Objects(tmp_path)
    listing = {name: objects.put(data) for name, data in PARTS.items()}
    key = objects.put(json.dumps({"tree": listing}).encode("utf-8"))
    assert objects.get_tree(key) == PARTS
    objects.put(b"something no base needs")
    objects.keep_only({key})
    assert sorted(path.name for path in objects.folder.iterdir()) == sorted(
        [key, *listing.values()]
    )


def test_a_damaged_base_reads_as_missing(tmp_path):
    objects = Objects(tmp_path)
    key = objects.put(write_package(PARTS))
    stored = objects.folder / key
    data = zlib.decompress(stored.read_bytes())
    stored.write_bytes(zlib.compress(data[: len(data) // 2]))
    assert objects.get_tree(key) is None
