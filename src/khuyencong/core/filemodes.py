"""Files only the app's own user may read (mode 0600): the SQLite database with its ``-wal``,
``-shm`` and ``-journal`` companions, and backup archives. Both hold password hashes, TOTP
secrets and personal data; the process umask (often 022) would make them world-readable.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Any, BinaryIO

PRIVATE = 0o600
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")

log = logging.getLogger(__name__)


def open_private(path: str | Path) -> BinaryIO:
    """``path`` opened for writing, created (or emptied) with mode 0600 whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE)
    try:
        os.fchmod(fd, PRIVATE)  # a file that already existed keeps its mode through O_CREAT
    except BaseException:
        os.close(fd)
        raise
    return os.fdopen(fd, "wb")


def make_private(path: str | Path) -> None:
    """Take the group's and others' permissions off ``path`` (missing files are skipped)."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            os.chmod(path, mode & 0o700)
    except FileNotFoundError:
        return
    except PermissionError:  # not ours (e.g. created by root): say so, do not stop the app
        log.warning("Cannot restrict the permissions of %s to its owner", path)


def private_sqlite_files(sender: Any, connection: Any, **kwargs: Any) -> None:
    """On ``connection_created``: the SQLite database file just opened (or created) and its
    companions become 0600. SQLite gives the -wal, -shm and -journal files it creates later
    the database file's mode, so they stay private; an existing 0644 database is fixed on
    the first connection after an upgrade."""
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        return
    name = str(connection.settings_dict["NAME"])
    for suffix in SQLITE_COMPANIONS:
        make_private(name + suffix)
