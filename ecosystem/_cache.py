"""The cache of validated datasets: marshalled records in the user's cache directory, keyed by a
hash of every input byte, the cache format and the package version (a stop-gap until the SQLite
index replaces it)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from . import __version__
from .dataset import SECTIONS, Dataset, Locations, origins
from .vocabulary import Vocabulary

_CACHE_FORMAT = 3


def cached(data_dir: Path, contents: dict[Path, bytes], read) -> Dataset:
    """The dataset of these inputs from the cache, else ``read()``'s, then cached."""
    entry = _cache_entry(data_dir, contents)
    found = _read_cache(entry)
    if found is not None:
        return _dataset_from_cache(data_dir, found)
    shutil.rmtree(entry, ignore_errors=True)  # a damaged entry (or none): made again below
    staging = _staging(entry)
    try:
        dataset = read()
        if staging is not None:
            _write_cache(entry, staging, dataset)
        return dataset
    finally:
        if staging is not None and staging.exists():
            shutil.rmtree(staging, ignore_errors=True)




def cache_dir() -> Path:
    override = os.environ.get("ECOSYSTEM_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":  # pragma: no cover
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    elif sys.platform == "darwin":  # pragma: no cover
        base = Path.home() / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "ecosystem"


def _cache_entry(data_dir: Path, contents: dict[Path, bytes]) -> Path:
    """The cache entry (a folder) for these inputs: named by a hash of every byte and path."""
    digest = hashlib.sha256(f"{_CACHE_FORMAT}:{__version__}".encode())
    for file in sorted(contents, key=str):
        digest.update(str(file.resolve()).encode() + b"\0")
        digest.update(hashlib.sha256(contents[file]).digest())
    return cache_dir() / digest.hexdigest()


_STALE_SECONDS = 24 * 3600  # a folder still being made after this long was left by a process that died


def _staging(entry: Path) -> Path | None:
    """A new empty folder beside ``entry`` to make it in, or None when the cache cannot be written.

    Folders other processes left half-made a day ago or more are removed on the way.
    """
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        for leftover in entry.parent.glob("*.tmp"):
            with contextlib.suppress(OSError):
                if time.time() - leftover.stat().st_mtime > _STALE_SECONDS:
                    shutil.rmtree(leftover, ignore_errors=True)
        # a name of its own, even for two loads of the same data at once in one process
        return Path(tempfile.mkdtemp(prefix=f"{entry.name}.", suffix=".tmp", dir=entry.parent))
    except OSError:
        return None


def _read_cache(entry: Path):
    """The cached payload (see _write_cache) with its records put together, or None."""
    try:
        payload = marshal.loads((entry / "header").read_bytes())
        sections: dict[str, dict] = {section: {} for section in SECTIONS}
        for name in payload["parts"]:
            with open(entry / name, "rb") as handle:  # marshal.load(handle) reads in small pieces: slower
                for section, records in marshal.loads(handle.read()):
                    sections[section].update(records)
        payload.update(sections)
    except (OSError, EOFError, ValueError, TypeError, KeyError):
        return None
    with contextlib.suppress(OSError):
        os.utime(entry)  # used now: kept by _prune for another UNUSED_DAYS
    return payload


def _write_cache(entry: Path, staging: Path, dataset: Dataset) -> None:
    """Make the cache entry for ``dataset`` in ``staging`` and put it in place whole.

    The entry is a folder: ``header`` (vocabulary, views, where records were read, the record
    files in order) and ``records``, a marshalled [(section, records)] list. A half-made entry is
    never read: only the finished folder is renamed into place.
    """
    try:
        parts = ["records"]
        with open(staging / "records", "wb") as handle:
            marshal.dump([(section, getattr(dataset, section)) for section in SECTIONS], handle)
        header = {
            "vocabulary": dataset.vocabulary.model_dump(mode="json", by_alias=True),
            "views": json.loads(json.dumps(dataset.views, default=str)),
            "origins": origins(dataset.locations),
            "parts": parts,
            "data": str(dataset.path.resolve()),
        }
        with open(staging / "header", "wb") as handle:
            marshal.dump(header, handle)
        os.rename(staging, entry)
    except (OSError, ValueError):
        return  # written by another process meanwhile, or not writable: a cache only saves time
    _prune(entry, header["data"])


UNUSED_DAYS = 30  # a cache entry not read for this long is removed when another is made


def _prune(kept: Path, data: str) -> None:
    """Remove the entries ``kept`` supersedes (earlier contents of the same data folder) and the
    entries nobody has read for UNUSED_DAYS, so the cache does not grow with every edit."""
    for entry in kept.parent.iterdir():
        if entry == kept or entry.name.endswith(".tmp") or not entry.is_dir():
            continue
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError):
            unused = time.time() - entry.stat().st_mtime > UNUSED_DAYS * 24 * 3600
            if unused or marshal.loads((entry / "header").read_bytes()).get("data") == data:
                shutil.rmtree(entry, ignore_errors=True)


def _dataset_from_cache(data_dir: Path, payload: dict) -> Dataset:
    vocabulary = Vocabulary.model_validate(payload["vocabulary"])
    sections = {section: payload[section] for section in SECTIONS}
    return Dataset(
        path=data_dir,
        vocabulary=vocabulary,
        sources=sections["sources"],
        entities=sections["entities"],
        relations=sections["relations"],
        views=payload["views"],
        locations=Locations(sections, [tuple(origin) for origin in payload["origins"]]),
    )
