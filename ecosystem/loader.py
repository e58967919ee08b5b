"""Load a dataset folder: find its files, read and validate every record, cross-check, and
report every problem at once.

* :func:`data_files` — which files the commands read, and what is skipped with why (``files``);
* :func:`read_dataset` — read + validate + cross-check, no cache (``reading``, ``checks``);
* :func:`load` — the public entry point: :func:`read_dataset`, or the same read in bulk from the
  SQLite index of the folder (:mod:`ecosystem.index`).

The result is a :class:`Dataset` of plain JSON-ready dictionaries (``dataset``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from .dataset import PLURAL, SECTIONS, SINGULAR, Dataset, Locations  # noqa: F401 - the loader's public names
from .errors import DataError, Problem, _problem_order  # noqa: F401
from .files import DataFiles, Skipped, bundled_data_dir, data_files, data_folders  # noqa: F401

# progress(stage, done, total): called while a dataset is read (the CLI shows it after a second)
Progress = Callable[[str, int, int], None]


def load(path=None, *, use_cache: bool = True, progress: Progress | None = None) -> Dataset:
    """Load and validate the dataset in ``path`` (default: the bundled one; a list of folders: read
    as one dataset).

    With ``use_cache`` the dataset is read in bulk from its SQLite index (:mod:`ecosystem.index`),
    built first when the data changed; without, every file is read and validated.
    Raises :class:`DataError` listing every problem found.
    """
    folders = data_folders(path)
    files = data_files(folders)
    if not use_cache or files.problems():
        return _read(files, None, progress)
    from .index import open_index

    return open_index(folders, progress=progress, files=files).dataset()


def read_dataset(data_dir, *, progress: Progress | None = None) -> Dataset:
    """Read, validate and cross-check the dataset in ``data_dir`` (a folder, or a list of folders), using no cache.

    Raises :class:`DataError` listing every problem found (its ``skipped`` names the paths not read).
    """
    return _read(data_files(data_dir), None, progress)


def _read(files: DataFiles, contents, progress) -> Dataset:
    from .collector import paused

    with paused():
        return _read_files(files, contents, progress)


def _read_files(files: DataFiles, contents: dict[Path, bytes] | None, progress: Progress | None) -> Dataset:
    from . import checks, reading

    contents = contents or {}
    report = reading.Report(files.folder, files.folders)
    for skipped in files.skipped:
        if skipped.problem:
            report.add(files.folder / skipped.path, (), None, skipped.reason,
                       "give the user read permission (chmod a+rX) or move it out of the data folder")
    tick = _ticker(progress, sum(_size(file, contents) for file in files.records))
    vocabulary = reading.read_vocabulary(report, files.vocabulary, contents.get(files.vocabulary))
    views = reading.read_views(report, files.views, contents.get(files.views)) if files.views else {}
    raw: dict[str, list] = {section: [] for section in SECTIONS}
    for file in files.records:
        for section, path, item in reading.read_records(report, file, contents.get(file)):
            raw[section].append((file, path, item))
        tick("reading", _size(file, contents))
    validated = {}
    for section in SECTIONS:
        validated[section] = reading.validate(report, section, raw[section])
        tick("validating", 0)
    try:
        dataset = checks.cross_check(report, vocabulary, views, validated)
    finally:
        reading.forget_suggestions()
    checks.check_views_and_stories(report, files.views, views, files.stories, contents.get(files.stories), dataset)
    dataset.skipped = files.skipped
    dataset.folders = files.folders
    if report:
        raise DataError(report.located(), skipped=files.skipped, warnings=report.located_warnings())
    dataset.warnings = sorted(report.located_warnings(), key=_problem_order)
    return dataset


def _size(file: Path, contents: dict) -> int:
    data = contents.get(file)
    if data is not None:
        return len(data)
    try:
        return file.stat().st_size
    except OSError:
        return 0


def _ticker(progress: Progress | None, total: int):
    if progress is None:
        return lambda stage, amount: None
    done = 0

    def tick(stage: str, amount: int) -> None:
        nonlocal done
        done += amount
        progress(stage, done, total)

    return tick


def cache_dir() -> Path:
    """Where the indexes live (``ECOSYSTEM_CACHE_DIR`` overrides): :func:`ecosystem.index.cache_dir`."""
    from .index import cache_dir as index_cache_dir

    return index_cache_dir()
