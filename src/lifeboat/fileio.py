"""File input and output that never hangs, never reads without bound and never leaves
half-written files behind.

Reading: :func:`read_text` accepts only regular files (a FIFO, a device such as ``/dev/zero``, a
directory, a symlink loop or an unreadable file is one clear :class:`InputError`), reads at most
``max_bytes``, and decodes UTF-8 with or without a byte-order mark. :func:`read_toml` adds a
nesting-depth bound. Writing: :func:`write_atomic` writes through a temporary file and a rename,
and sweeps the temporary files a killed run left behind.
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
import tomllib
from pathlib import Path
from typing import Any

from lifeboat.errors import InputError

MAX_INPUT_BYTES = 64 * 1024 * 1024  # no input file of Lifeboat comes near this
MAX_TOML_BYTES = 8 * 1024 * 1024
MAX_NESTING = 32  # tables and arrays inside each other; the deepest shipped file uses 4


def read_bytes(path: str | os.PathLike, *, max_bytes: int = MAX_INPUT_BYTES,
               what: str = "input") -> bytes:
    """The bytes of a regular file, at most ``max_bytes``; anything else is an InputError."""
    p = Path(path)
    source = str(p)
    try:
        info = os.stat(p)  # follows symlinks; a loop raises ELOOP
    except FileNotFoundError:
        raise InputError("file not found", source=source) from None
    except OSError as exc:
        raise InputError(_os_message(exc, what), source=source) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError(f"expected a {what} file, got a directory", source=source)
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO (named pipe)" if stat.S_ISFIFO(info.st_mode) else \
            "a device" if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else \
            "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file"
        raise InputError(f"expected a regular {what} file, got {kind}", source=source)
    if info.st_size > max_bytes:
        raise InputError(f"file too large ({info.st_size:,} bytes; at most {max_bytes:,} for a "
                         f"{what} file)", source=source)
    try:
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, open does not block.
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        raise InputError(_os_message(exc, what), source=source) from None
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputError(f"file too large (more than {max_bytes:,} bytes for a {what} file)",
                         source=source)
    return data


def _os_message(exc: OSError, what: str) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return f"permission denied: cannot read this {what} file"
    return f"cannot read this {what} file ({exc.strerror or exc})"


def decode_text(data: bytes, source: str, what: str = "input") -> str:
    """UTF-8 text with or without a byte-order mark; other encodings name the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = " (this looks like UTF-16; save it as UTF-8)"
        else:
            hint = ""
        raise InputError(f"expected UTF-8 text for a {what} file; byte {exc.start} is not "
                         f"UTF-8{hint}", source=source, where=f"line {line}") from None


def read_text(path: str | os.PathLike, *, max_bytes: int = MAX_INPUT_BYTES,
              what: str = "input") -> str:
    """The text of a regular UTF-8 file (BOM allowed), at most ``max_bytes``."""
    return decode_text(read_bytes(path, max_bytes=max_bytes, what=what), str(path), what)


def nesting_depth(value: Any) -> int:
    """How deeply tables and arrays nest in parsed TOML/JSON data (a scalar is 0)."""
    depth, level = 0, [(value, 0)]
    while level:
        item, d = level.pop()
        if isinstance(item, dict):
            level.extend((v, d + 1) for v in item.values())
            depth = max(depth, d + 1)
        elif isinstance(item, list):
            level.extend((v, d + 1) for v in item)
            depth = max(depth, d + 1)
    return depth


def read_toml(path: str | os.PathLike, *, max_bytes: int = MAX_TOML_BYTES) -> dict[str, Any]:
    """Read a TOML file; every problem (missing, special file, too big, not UTF-8, syntax,
    too deeply nested) is an :class:`InputError` naming the file."""
    p = Path(path)
    text = read_text(p, max_bytes=max_bytes, what="TOML")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"malformed TOML ({exc})", source=str(p)) from None
    except RecursionError:
        raise InputError(f"nested too deeply (at most {MAX_NESTING} levels)",
                         source=str(p)) from None
    if nesting_depth(data) > MAX_NESTING:
        raise InputError(f"nested too deeply (at most {MAX_NESTING} levels)", source=str(p))
    return data


# --- writing -------------------------------------------------------------------------------------


class NotAFileError(InputError, IsADirectoryError):
    """An output path that is a directory: an :class:`InputError` (one line, exit 2) and an
    ``IsADirectoryError``, so a caller that reports write failures against its option still can."""

    def __init__(self, path: str):
        message = "is a directory; expected the path of a file to write"
        InputError.__init__(self, message, source=path)
        self.errno, self.strerror, self.filename = errno.EISDIR, message, path

_TMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[^.]+\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale_temporaries(folder: str | os.PathLike, name: str | None = None) -> list[Path]:
    """Delete the temporary files of :func:`write_atomic` whose writing process is gone (a run
    killed with ``kill -9`` cannot clean up); only files of ``name`` if given. Returns them."""
    removed = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        match = _TMP.match(entry.name)
        if not match or (name is not None and match["name"] != name):
            continue
        if not _alive(int(match["pid"])) and entry.is_file(follow_symlinks=False):
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename.

    The temporary file is ``.<name>.<pid>.<random>.tmp``; one left by a process that no longer
    exists is deleted on the next write of the same file. A directory as ``path`` raises
    :class:`NotAFileError`; a folder that cannot be created or written raises ``OSError``.
    """
    target = Path(path)
    if target.is_dir():
        raise NotAFileError(str(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    sweep_stale_temporaries(target.parent, target.name)
    mode = "wb" if isinstance(data, bytes) else "w"
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                               dir=target.parent)
    try:
        with os.fdopen(fd, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
            handle.write(data)
        # mkstemp creates 0600; give the file the permissions a plain open() would.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
