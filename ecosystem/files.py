"""Which files a data folder holds: the data files the commands read, and what is not read, with why.

Only data is walked: files ending in .yaml, .yml, .json or .jsonl, in the folder and its
sub-folders (a symlinked sub-folder too). Hidden files and folders, ``node_modules`` and
``__pycache__`` are not entered; other files are not looked at. A path that looks like data but is
not read (a FIFO, a device, a folder named ``x.yaml``, a link to nothing, a folder that cannot be
listed, a second way into a folder already read) is listed in :attr:`DataFiles.skipped` with the
reason; one that cannot be read for lack of permission is also a problem.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, Problem

DATA_SUFFIXES = (".yaml", ".yml", ".json", ".jsonl")
# top-level files that are not records: the vocabulary, the views, the stories
VOCABULARY_NAMES = ("vocabulary.yaml", "vocabulary.yml")
VIEWS_NAMES = ("views.yaml", "views.yml")
STORIES_NAMES = ("stories.yaml", "stories.yml")
RESERVED_FILES = frozenset(VOCABULARY_NAMES + VIEWS_NAMES + STORIES_NAMES)
NOT_WALKED = frozenset({"node_modules", "__pycache__"})  # and every name that starts with "."


@dataclass(frozen=True)
class Skipped:
    """A path that looks like data (or is a folder) but is not read, and why."""

    path: str  # relative to the data folder, with "/"
    reason: str
    problem: bool = False  # True when it is also an error (a file or folder that cannot be read)

    def to_dict(self) -> dict:
        return {"path": self.path, "reason": self.reason}


@dataclass(frozen=True)
class DataFiles:
    """Every file the commands read in one data folder, and the paths skipped."""

    folder: Path
    vocabulary: Path  # the folder's own, else the bundled one
    views: Path | None
    stories: Path | None
    records: tuple[Path, ...]
    skipped: tuple[Skipped, ...] = ()

    @property
    def all(self) -> list[Path]:
        """The files read, in a fixed order: vocabulary, views, stories, records (by relative path)."""
        return [self.vocabulary, *(f for f in (self.views, self.stories) if f is not None), *self.records]

    def problems(self) -> list[Problem]:
        """The skipped paths that are errors (unreadable), as problems."""
        return [Problem(s.path, None, None, s.reason, _fix_for(s.reason)) for s in self.skipped if s.problem]


def bundled_data_dir() -> Path:
    """The dataset shipped with the package (installed) or beside it (a checkout)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_data", here.parent / "data"):
        if (candidate / "vocabulary.yaml").is_file():
            return candidate
    return here.parent / "data"


def data_files(data_dir: str | os.PathLike) -> DataFiles:
    """The files of ``data_dir`` that the commands read, and the paths skipped with why.

    Raises :class:`DataError` when the folder does not exist, is not a folder, or holds no record
    file (said at once, without reading anything).
    """
    folder = Path(data_dir)
    if not folder.exists():
        raise DataError([Problem(str(folder), None, None, "no such folder", "give --data an existing folder")])
    if not folder.is_dir():
        raise DataError([Problem(str(folder), None, None, "not a folder",
                                 "give --data the folder that holds the YAML files")])
    walk = _Walk(folder)
    walk.run()
    top = {path.name: path for path in walk.top_files}
    vocabulary = next((top[name] for name in VOCABULARY_NAMES if name in top), None)
    files = DataFiles(
        folder=folder,
        vocabulary=vocabulary or bundled_data_dir() / "vocabulary.yaml",
        views=next((top[name] for name in VIEWS_NAMES if name in top), None),
        stories=next((top[name] for name in STORIES_NAMES if name in top), None),
        records=tuple(sorted(walk.records, key=lambda f: _relative(f, folder))),
        skipped=tuple(sorted(walk.skipped, key=lambda s: s.path)),
    )
    if not files.records and not files.problems():
        raise DataError([Problem(str(folder), None, None, "no data files found",
                                 "put entities.yaml and relations.yaml (or any *.yaml, *.json or *.jsonl) in the "
                                 "folder; hidden folders, node_modules and other files are not read")])
    return files


class _Walk:
    def __init__(self, folder: Path):
        self.folder = folder
        self.records: list[Path] = []
        self.top_files: list[Path] = []
        self.skipped: list[Skipped] = []
        self.seen: dict[tuple[int, int], Path] = {}  # (device, inode) of each folder entered -> how

    def run(self) -> None:
        root = os.stat(self.folder)
        self.seen[(root.st_dev, root.st_ino)] = self.folder
        stack = [self.folder]
        while stack:
            folder = stack.pop()
            try:
                entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
            except PermissionError:
                self.skip(folder, "cannot be read: permission denied", problem=True)
                continue
            except OSError as error:
                self.skip(folder, f"cannot be read: {error.strerror or error}", problem=True)
                continue
            for entry in reversed(entries):
                self.entry(Path(entry.path), entry, stack, top=folder == self.folder)

    def entry(self, path: Path, entry: os.DirEntry, stack: list, top: bool) -> None:
        name = entry.name
        if name.startswith(".") or name in NOT_WALKED:
            return
        looks_like_data = name.lower().endswith(DATA_SUFFIXES)
        try:
            info = os.stat(path)  # follows links
        except PermissionError:
            if looks_like_data:
                self.skip(path, "cannot be read: permission denied", problem=True)
            return
        except OSError as error:  # a link to nothing, or links that lead round in a circle
            if entry.is_symlink():
                self.skip(path, f"a link that leads nowhere ({error.strerror or error}): not read")
            return
        mode = info.st_mode
        if stat.S_ISDIR(mode):
            if looks_like_data:
                self.skip(path, "a folder named like a data file: not read (rename it, or move its files "
                          "into a folder of another name)")
                return
            key = (info.st_dev, info.st_ino)
            if key in self.seen:
                first = self.seen[key]
                inside = path.is_relative_to(first)
                self.skip(path, ("a link back into a folder it is inside (a loop)" if inside
                                 else "the same folder as " + _relative(first, self.folder)) + ": read once")
                return
            self.seen[key] = path
            stack.append(path)
            return
        if not looks_like_data:
            return
        if not stat.S_ISREG(mode):
            self.skip(path, f"not a regular file ({_kind(mode)}): not read")
            return
        if not os.access(path, os.R_OK):
            self.skip(path, "cannot be read: permission denied", problem=True)
            return
        if top and name in RESERVED_FILES:
            self.top_files.append(path)
        else:
            self.records.append(path)

    def skip(self, path: Path, reason: str, problem: bool = False) -> None:
        self.skipped.append(Skipped(_relative(path, self.folder), reason, problem))


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a file"


def _fix_for(reason: str) -> str:
    if "permission" in reason:
        return "give the user read permission (chmod a+rX) or move it out of the data folder"
    return "fix the path or move it out of the data folder"


def _relative(path: Path, folder: Path) -> str:
    try:
        return Path(path).relative_to(folder).as_posix()
    except ValueError:
        return str(path)
