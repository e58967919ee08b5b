"""Writing files and folders so that an interrupt never leaves half of one.

Everything the package writes for a user goes through here:

* :func:`atomic_file` opens a temporary file beside the target and renames it over the target
  when the block ends without an error (on an error the target is left as it was);
  :func:`atomic_output` does the same for a program that writes a file by name (Graphviz);
  :func:`write_text` and :func:`write_bytes` are the one-call forms.
* :func:`replaced_folder` builds a whole folder beside the target and puts it in place as one
  step: on Linux (``renameat2(RENAME_EXCHANGE)``) and macOS (``renamex_np(RENAME_SWAP)``) the
  two folders are exchanged atomically, so the target always holds the old folder or the new
  one, whole. Where the system has no exchange, the old folder is renamed aside and the new
  one renamed in; a run killed between those two renames leaves the old folder aside, and the
  next run puts it back before doing anything else.

Leftovers of a killed run (``.NAME.new-PID-*`` and ``.NAME.old-PID-*`` beside the target, and
``.FILE.*.tmp`` files) carry the id of the process that made them and are removed by the next
run once that process is gone.
"""

from __future__ import annotations

import ctypes
import errno
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

from .errors import ExportError

__all__ = ["atomic_file", "atomic_output", "write_text", "write_bytes", "replaced_folder", "exchange",
           "remove_leftovers", "link_copy"]

# folders beside a target: being built (new) or retired (old); the pid says whose they are
_FOLDER_LEFTOVER = re.compile(r"^\.(?P<name>.+)\.(?P<kind>new|old)-(?P<pid>\d+)-[A-Za-z0-9_]+$")
# a file being written: .NAME.PID-RANDOM.tmp (older versions wrote .NAME.RANDOM.tmp)
_FILE_LEFTOVER = re.compile(r"^\.(?P<name>.+?)\.(?:(?P<pid>\d+)-)?[A-Za-z0-9_]+\.tmp$")
_active: set[str] = set()  # names of leftover-looking paths this process is using right now


# ---------------------------------------------------------------------------------------------
# files


def _file_mode() -> int:
    """The mode a plain ``open()`` would give a new file (mkstemp makes it private)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _prepare_parent(target: Path) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create folder {target.parent}: {error.strerror or error}") from None
    if target.is_dir():
        raise ExportError(f"{target} is a folder; give a file name")


@contextmanager
def atomic_output(path: str | os.PathLike):
    """A temporary path beside ``path`` for a program to write; renamed over ``path`` on success.

    On an error (or when nothing was written there) ``path`` is left as it was and the
    temporary file is removed.
    """
    target = Path(path)
    _prepare_parent(target)
    remove_leftovers(target)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}-", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise ExportError(f"cannot write in {target.parent}: {error.strerror or error}") from None
    os.close(handle)
    temporary = Path(name)
    _active.add(temporary.name)
    try:
        yield temporary
        os.chmod(temporary, _file_mode())
        os.replace(temporary, target)
    except OSError as error:
        raise ExportError(f"cannot write {target}: {error.strerror or error}") from None
    finally:
        _active.discard(temporary.name)
        try:
            os.unlink(temporary)
        except OSError:
            pass


@contextmanager
def atomic_file(path: str | os.PathLike, mode: str = "w", encoding: str | None = "utf-8", newline: str | None = None):
    """Open a temporary file beside ``path``; on success it replaces ``path``, on error ``path`` is left alone."""
    with atomic_output(path) as temporary:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with open(temporary, mode, **kwargs) as stream:
            yield stream


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8, newlines as given) to ``path`` atomically; returns the path."""
    with atomic_file(path, newline="") as stream:
        stream.write(text)
    return Path(path)


def write_bytes(path: str | os.PathLike, content: bytes) -> Path:
    """Write ``content`` to ``path`` atomically; returns the path."""
    with atomic_file(path, "wb") as stream:
        stream.write(content)
    return Path(path)


# ---------------------------------------------------------------------------------------------
# folders


def exchange(first: str | os.PathLike, second: str | os.PathLike) -> bool:
    """Swap two existing paths in one atomic step; False where the system or file system has no such call.

    Raises OSError for any other failure (a missing path, no permission).
    """
    first_name, second_name = os.fsencode(os.fspath(first)), os.fsencode(os.fspath(second))
    call = _exchange_call()
    if call is None:
        return False
    if call(first_name, second_name) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), os.fspath(first), None, os.fspath(second))


_EXCHANGE: list = []  # the exchange call, looked up once ([None] where there is none)


def _exchange_call():
    if not _EXCHANGE:
        _EXCHANGE.append(_find_exchange_call())
    return _EXCHANGE[0]


def _find_exchange_call():
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:  # pragma: no cover - no C library to be had
        return None
    if sys.platform.startswith("linux") and hasattr(libc, "renameat2"):
        function = libc.renameat2
        function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        at_fdcwd, rename_exchange = -100, 2
        return lambda first, second: function(at_fdcwd, first, at_fdcwd, second, rename_exchange)
    if sys.platform == "darwin" and hasattr(libc, "renamex_np"):  # pragma: no cover - macOS
        function = libc.renamex_np
        function.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_uint]
        function.restype = ctypes.c_int
        rename_swap = 2
        return lambda first, second: function(first, second, rename_swap)
    return None  # pragma: no cover - another system


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    except OSError:  # pragma: no cover - a pid the system will not look at
        return False
    return True


def _stale(path: Path, pid: str | None) -> bool:
    """A leftover no live run is using: its process is gone (or it is ours, and we are done with it)."""
    if path.name in _active:
        return False
    if pid is None:
        return True  # an older version's temporary file, named without a pid
    return int(pid) == os.getpid() or not _process_alive(int(pid))


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        try:
            path.unlink()
        except OSError:
            pass


def remove_leftovers(target: str | os.PathLike) -> list[Path]:
    """Tidy up after killed runs that wrote ``target``; the paths removed (or put back).

    When ``target`` is missing and an old copy of it was left aside (a run killed between the two
    renames of the fallback), that copy is put back first, so the target is whole again.
    """
    target = Path(target)
    parent = target.parent
    if not parent.is_dir():
        return []
    folders: list[tuple[Path, str, str]] = []
    files: list[Path] = []
    try:
        entries = list(parent.iterdir())
    except OSError:
        return []
    for entry in entries:
        match = _FOLDER_LEFTOVER.match(entry.name)
        if match and match["name"] == target.name and _stale(entry, match["pid"]):
            folders.append((entry, match["kind"], match["pid"]))
            continue
        match = _FILE_LEFTOVER.match(entry.name)
        if match and match["name"] == target.name and entry.is_file() and _stale(entry, match["pid"]):
            files.append(entry)
    touched = []
    if not os.path.lexists(target):
        retired = sorted((entry for entry, kind, _ in folders if kind == "old"),
                         key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
        if retired:
            os.rename(retired[0], target)
            touched.append(retired[0])
            folders = [item for item in folders if item[0] != retired[0]]
    for entry, _, _ in folders:
        _remove(entry)
        touched.append(entry)
    for entry in files:
        _remove(entry)
        touched.append(entry)
    return sorted(touched)


@contextmanager
def replaced_folder(path: str | os.PathLike, *, expected: Callable[[str], bool] | None = None,
                    what: str = "this command"):
    """Build a folder beside ``path`` and, when the block ends without an error, put it in place whole.

    Yields the empty new folder to fill. ``expected(name)`` says whether an entry at the top of an
    existing ``path`` is one this command writes (without it: one the new folder also has, checked
    when it is made): the folder is replaced whole, so one holding anything else is refused (an
    :class:`ExportError`) rather than losing it (a partial rebuild
    copies what it keeps with :func:`link_copy`). Leftovers of killed runs are removed first (see
    :func:`remove_leftovers`).
    """
    target = Path(path)
    if target.is_symlink() and target.resolve().is_dir():
        target = target.resolve()  # replace the folder the link points at, not the link
    target = Path(os.path.abspath(target))
    if target.exists() and not target.is_dir():
        raise ExportError(f"{target} is a file; give a folder")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"cannot create folder {target.parent}: {error.strerror or error}") from None
    remove_leftovers(target)
    if target.is_dir() and expected is not None:
        _refuse_foreign(target, expected, what)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.new-{os.getpid()}-", dir=target.parent))
    except OSError as error:
        raise ExportError(f"cannot write beside {target} (in {target.parent}): {error.strerror or error}") from None
    _active.add(staging.name)
    try:
        os.chmod(staging, 0o777 & ~_umask())
        yield staging
        if target.is_dir() and expected is None:
            _refuse_foreign(target, lambda name: os.path.lexists(staging / name), what)
        _put_in_place(staging, target)
    finally:
        _active.discard(staging.name)
        _remove(staging)  # after a swap it holds the old folder


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_foreign(target: Path, expected, what: str) -> None:
    foreign = []
    for entry in sorted(target.iterdir()):
        name = entry.name
        if expected(name) or _FILE_LEFTOVER.match(name) or _FOLDER_LEFTOVER.match(name):
            continue
        foreign.append(name + ("/" if entry.is_dir() else ""))
    if foreign:
        shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
        raise ExportError(f"{target} holds {shown}, which {what} does not write; it replaces the folder whole, so "
                          "give it a new or empty folder (or one it wrote before), or move those away")


def link_copy(source: str | os.PathLike, destination: str | os.PathLike) -> None:
    """Copy a file or folder tree, hard-linking files where the file system allows (no bytes copied)."""

    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    if os.path.isdir(source):
        shutil.copytree(source, destination, copy_function=link_or_copy, symlinks=True)
    else:
        link_or_copy(source, destination)


def _put_in_place(staging: Path, target: Path) -> None:
    """``staging`` becomes ``target``; the old folder is removed (after an exchange, ``staging`` holds it)."""
    try:
        if not os.path.lexists(target):
            os.rename(staging, target)
            return
        if exchange(staging, target):
            return
        retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-{os.getpid()}-", dir=target.parent))
        _active.add(retired.name)
        try:
            # rename() replaces an empty folder: the old folder takes the name just reserved
            os.rename(target, retired)
            try:
                os.rename(staging, target)
            except BaseException:
                os.rename(retired, target)  # put the old one back: the target is never left missing
                raise
        finally:
            _active.discard(retired.name)
            if os.path.lexists(target):  # the old folder, or the empty name reserved for it
                _remove(retired)
    except OSError as error:
        raise ExportError(f"cannot put the new {target.name} in place: {error.strerror or error}") from None
