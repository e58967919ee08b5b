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
    """Every file the commands read in one data folder (or several, read as one dataset), and the
    paths skipped.

    ``folder`` is what file names are given relative to: the folder, or for several folders the
    current one (``Path("")``), so that each file is named as the user reaches it (``gb/records.jsonl``).
    ``folders`` lists the folders in the order given.
    """

    folder: Path
    vocabulary: Path  # the folder's own, else the bundled one
    views: Path | None
    stories: Path | None
    records: tuple[Path, ...]
    skipped: tuple[Skipped, ...] = ()
    folders: tuple[Path, ...] = ()

    def __post_init__(self):
        if not self.folders:
            object.__setattr__(self, "folders", (self.folder,))

    @property
    def several(self) -> bool:
        return len(self.folders) > 1

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


def data_folders(data) -> tuple[Path, ...]:
    """``--data`` as a tuple of folders: one path, or several (a list or tuple); None: the bundled data."""
    if data is None:
        return (bundled_data_dir(),)
    if isinstance(data, (list, tuple)):
        folders = tuple(Path(folder) for folder in data)
        return folders or (bundled_data_dir(),)
    return (Path(data),)


def naming_folder(data) -> Path:
    """The folder a dataset's problems name its files relative to (``--data`` as :func:`data_folders`
    takes it): the one data folder; with several, none (each file as given), as :func:`several_folders`."""
    folders = data_folders(data)
    return folders[0] if len(folders) == 1 else Path("")


def data_files(data_dir) -> DataFiles:
    """The files of ``data_dir`` that the commands read, and the paths skipped with why.

    ``data_dir``: one folder, or a list of folders read as one dataset (:func:`several_folders`).
    Raises :class:`DataError` when the folder does not exist, is not a folder, or holds no record
    file (said at once, without reading anything).
    """
    if isinstance(data_dir, (list, tuple)):
        folders = data_folders(data_dir)
        return data_files(folders[0]) if len(folders) == 1 else several_folders(folders)
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


def several_folders(folders: tuple[Path, ...]) -> DataFiles:
    """The files of several data folders, read as one dataset (``--data A --data B``).

    Records come from every folder, in the order the folders are given. The vocabulary, views and
    stories are the first folder's that has them (the vocabulary: else the bundled one); another
    folder holding a different one is an error, as is a folder given twice or a folder inside
    another (its files would be read twice). Skipped paths are named with their folder.
    """
    each = [data_files(folder) for folder in folders]
    problems: list[Problem] = []
    seen: dict[Path, Path] = {}
    for folder in folders:
        resolved = folder.resolve()
        for earlier_resolved, earlier in seen.items():
            if resolved == earlier_resolved:
                again = "" if str(earlier) == str(folder) else f" (also as {earlier})"
                problems.append(Problem(str(folder), None, None, f"--data names this folder twice{again}",
                                        "give each folder once"))
            elif resolved.is_relative_to(earlier_resolved) or earlier_resolved.is_relative_to(resolved):
                inner, outer = (folder, earlier) if resolved.is_relative_to(earlier_resolved) else (earlier, folder)
                problems.append(Problem(str(inner), None, None, f"this folder is inside {outer}, also given to --data: "
                                        "its files would be read twice", f"give --data {outer} or {inner}, not both"))
        seen.setdefault(resolved, folder)
    chosen: dict[str, Path | None] = {}
    for kind, names in (("vocabulary", VOCABULARY_NAMES), ("views", VIEWS_NAMES), ("stories", STORIES_NAMES)):
        found = [getattr(files, kind) for files in each
                 if getattr(files, kind) is not None and getattr(files, kind).name in names
                 and getattr(files, kind).parent == files.folder]
        chosen[kind] = found[0] if found else None
        for other in found[1:]:
            if _content(other) != _content(found[0]):
                problems.append(Problem(str(other), None, None,
                                        f"a second {kind} file, which differs from {found[0]}: the folders given "
                                        f"to --data are one dataset, with one {kind}",
                                        f"keep one {other.name} (in the first folder), or make them the same"))
    if problems:
        raise DataError(problems)
    return DataFiles(
        folder=Path(""),
        vocabulary=chosen["vocabulary"] or bundled_data_dir() / "vocabulary.yaml",
        views=chosen["views"],
        stories=chosen["stories"],
        records=tuple(record for files in each for record in files.records),
        skipped=tuple(Skipped((files.folder / skipped.path).as_posix(), skipped.reason, skipped.problem)
                      for files in each for skipped in files.skipped),
        folders=tuple(folders),
    )


def folder_of(file: Path, folders: tuple[Path, ...]) -> Path | None:
    """The folder of ``folders`` that ``file`` was read from (None when none holds it)."""
    for folder in folders:
        if Path(file).is_relative_to(folder):
            return folder
    return None


def _content(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


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
