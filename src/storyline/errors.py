"""Storyline's exceptions.

::

    StorylineError
    ├─ ConfigError          bad setting / unknown component name   (CLI exit 2)
    ├─ MissingDependency    optional extra not installed           (CLI exit 2)
    ├─ InputError           unreadable input file or line          (CLI exit 1)
    ├─ FetchError           network or HTTP failure                -> Rejection "fetch"
    └─ StoreError           schema too new/old, store cannot be written  (CLI exit 3)

    Rejected(stage, reason, detail)  control-flow signal inside stages; always becomes a
                                     stored ``Rejection``, never a crash.
"""

from __future__ import annotations


class StorylineError(Exception):
    """Base of every error Storyline raises on purpose."""

    exit_code = 1


class ConfigError(StorylineError):
    """A setting has a bad value, or a component name is unknown."""

    exit_code = 2


class MissingDependency(StorylineError):
    """An optional extra is needed but not installed."""

    exit_code = 2


class InputError(StorylineError):
    """An input file or line cannot be read."""


class FetchError(StorylineError):
    """A URL could not be fetched (network, HTTP status, size cap, timeout)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class StoreError(StorylineError):
    """The store cannot be opened or written (schema version, disk, corruption): an internal error."""

    exit_code = 3


class Rejected(Exception):
    """Raised by a stage to refuse one item; the pipeline stores it as a ``Rejection``."""

    def __init__(self, stage: str, reason: str, detail: str) -> None:
        super().__init__(f"{stage}/{reason}: {detail}")
        self.stage = stage
        self.reason = reason
        self.detail = detail
