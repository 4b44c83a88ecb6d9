"""Webhook signing secrets, kept out of the store: the store holds only where to find each one.

A watchlist's ``webhook_secret`` is a reference, read at each delivery:

- ``env:NAME``: the environment variable ``NAME`` of the process that delivers;
- ``file:/absolute/path``: a file's content (trailing newline dropped): the operator's own file
  (``watch add --secret-file``), or a key file Storyline wrote beside the store for a secret given
  by ``--secret-prompt`` or ``--secret``: ``<db>.secrets/<watchlist id>.key``, mode 0600 in a
  0700 directory;
- anything else is an older store's secret in plain text: it still signs, with a warning to add
  the watchlist again.

Why references and not encryption inside the store: an encryption key would have to live beside
the store anyway (so one more file to protect, and one more dependency: ``cryptography`` is not
installed here), while a reference keeps the secret where the operator already protects secrets
(environment, a 0600 file, a secret manager mounting files). Copying, backing up or sharing the
SQLite file then never copies a secret, and the API has nothing to leak.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from pathlib import Path

from storyline.errors import StorylineError

__all__ = [
    "SecretUnavailable",
    "env_reference",
    "file_reference",
    "key_file_reference",
    "resolve_secret",
    "secrets_dir",
]

LOGGER = logging.getLogger(__name__)

ENV = "env:"
FILE = "file:"
_ENV_NAME = re.compile(r"\A[A-Za-z_][A-Za-z0-9_]*\Z")
_warned_plain = [False]  # once per process


class SecretUnavailable(StorylineError):
    """A secret's reference cannot be read now (variable unset, file missing or empty)."""


def env_reference(name: str) -> str:
    """``env:NAME`` (``NAME`` must be a plain variable name)."""
    if not _ENV_NAME.match(name):
        raise SecretUnavailable(f"{name!r} is not an environment variable name")
    return ENV + name


def file_reference(path: Path) -> str:
    """``file:<absolute path>`` of a file that can be read now and is not empty."""
    absolute = path.expanduser().resolve()
    _read_file(absolute)
    return FILE + str(absolute)


def secrets_dir(db: str | Path) -> Path:
    """The directory beside the store ``db`` that holds its key files."""
    db = Path(db).expanduser().resolve()
    return db.with_name(db.name + ".secrets")


def key_file_reference(db: str | Path, watchlist_id: str, secret: str) -> str:
    """Write ``secret`` to the watchlist's key file (0600, in a 0700 directory); its reference."""
    if not secret:
        raise SecretUnavailable("an empty secret signs nothing")
    folder = secrets_dir(db)
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    path = folder / f"{watchlist_id}.key"
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.fchmod(fd, 0o600)  # an existing file keeps its old mode on open: set it
        os.write(fd, secret.encode("utf-8"))
    finally:
        os.close(fd)
    return FILE + str(path)


def resolve_secret(reference: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The secret a reference points at (None when there is none); ``SecretUnavailable`` if unreadable."""
    if not reference:
        return None
    if reference.startswith(ENV):
        name = reference[len(ENV) :]
        value = (os.environ if env is None else env).get(name, "")
        if not value:
            raise SecretUnavailable(f"environment variable {name} is not set (the webhook secret)")
        return value
    if reference.startswith(FILE):
        return _read_file(Path(reference[len(FILE) :]))
    if not _warned_plain[0]:
        _warned_plain[0] = True
        LOGGER.warning(
            "alerts: a webhook secret is stored in plain text (an older store): add the watchlist again"
            " with --secret-file, --secret-env or --secret-prompt"
        )
    return reference


def _read_file(path: Path) -> str:
    try:
        value = path.read_text(encoding="utf-8").rstrip("\r\n")
    except (OSError, UnicodeError) as e:
        raise SecretUnavailable(f"cannot read the webhook secret file {path}: {e}") from e
    if not value:
        raise SecretUnavailable(f"the webhook secret file {path} is empty")
    return value
