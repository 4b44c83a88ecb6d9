"""What the assigner remembers of one story, and its versioned byte format.

A ``StoryState`` is a profile (how many members carry each key), the mean of its members'
document and title vectors (float16), the document vectors of its most recent members (int8),
its span in stream time and bookkeeping (ingest sequence numbers, index slot, storyline). The
in-memory values are exactly what ``encode`` writes, so a run restored from saved states decides
exactly as the run that saved them.

Format ``SLA1`` (little-endian): header ``<4sHHIIqqqqI`` (magic, version, dim, n, n_keys,
first_seq, last_seq, first_us, last_us, slot), then the storyline snapshot ``<qqqqq`` (n_articles,
first_us, last_us, version, first_seq), then strings (story id, founder article id, storyline id,
label, storyline label, then the count and the recent member ids; each length-prefixed UTF-8),
then arrays: keys int64, counts int32, centroid float16[dim], title float16[dim], ``n_members``
then members int8[n_members, dim], then ``n_cohesion`` (uint32) and the cohesion sums float32[3].
A time of ``NO_TIME`` means unknown.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from storyline.stories.assign._keys import Keys

__all__ = ["FORMAT_VERSION", "NO_TIME", "LineSnapshot", "StoryState", "decode_state", "encode_state"]

MAGIC = b"SLA1"
FORMAT_VERSION = 1
NO_TIME = -(2**62)
_HEAD = struct.Struct("<4sHHIIqqqqI")
_LINE = struct.Struct("<qqqqq")
_MEMBER_SCALE = 127.0
#: Running sums of the join features of members (see ``assign_model.COHESION``).
N_COHESION = 3
#: The cohesion sums of every story that has none yet: one shared, read-only array (a change
#: replaces a story's sums, never edits them).
NO_COHESION = np.zeros(N_COHESION, dtype=np.float32)
NO_COHESION.flags.writeable = False


@dataclass(slots=True)
class LineSnapshot:
    """A storyline's running totals as of ``version`` (the ingest sequence of its last change)."""

    n_articles: int = 0
    first_us: int = NO_TIME
    last_us: int = NO_TIME
    version: int = 0
    first_seq: int = 0
    label: str = ""


@dataclass(slots=True, eq=False)
class StoryState:
    """One live story as the assigner holds it (mutable; owned by the assigner)."""

    id: str
    founder: str
    label: str
    n: int
    keys: Keys
    counts: npt.NDArray[np.int32]
    centroid: npt.NDArray[np.float16]
    title: npt.NDArray[np.float16]
    members: npt.NDArray[np.int8]
    first_seq: int
    last_seq: int
    first_us: int = NO_TIME
    last_us: int = NO_TIME
    slot: int = -1
    storyline_id: str = ""
    line: LineSnapshot = field(default_factory=LineSnapshot)
    recent_ids: tuple[str, ...] = ()
    cohesion: npt.NDArray[np.float32] = field(default_factory=lambda: NO_COHESION)
    n_cohesion: int = 0
    languages: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def unit_centroid(self) -> npt.NDArray[np.float32]:
        """The centroid scaled to unit length (float32)."""
        return _unit(self.centroid)

    def unit_title(self) -> npt.NDArray[np.float32]:
        return _unit(self.title)

    def member_rows(self) -> npt.NDArray[np.float32]:
        """The recent members' document vectors (float32, about unit length)."""
        return self.members.astype(np.float32) / _MEMBER_SCALE


def _unit(vector: npt.NDArray[np.float16]) -> npt.NDArray[np.float32]:
    out = vector.astype(np.float32)
    norm = float(np.linalg.norm(out))
    return out / norm if norm > 0 else out


def quantise_member(vector: npt.NDArray[np.float32]) -> npt.NDArray[np.int8]:
    """A unit vector as int8 (what a story keeps of a recent member)."""
    out: npt.NDArray[np.int8] = np.clip(np.rint(vector * _MEMBER_SCALE), -127, 127).astype(np.int8)
    return out


def _pack_str(value: str) -> bytes:
    raw = value.encode("utf-8", "surrogatepass")
    return struct.pack("<I", len(raw)) + raw


def encode_state(state: StoryState) -> bytes:
    """The state as bytes (format ``SLA1``)."""
    dim = len(state.centroid)
    parts = [
        _HEAD.pack(
            MAGIC,
            FORMAT_VERSION,
            dim,
            state.n,
            len(state.keys),
            state.first_seq,
            state.last_seq,
            state.first_us,
            state.last_us,
            state.slot,
        ),
        _LINE.pack(
            state.line.n_articles,
            state.line.first_us,
            state.line.last_us,
            state.line.version,
            state.line.first_seq,
        ),
        _pack_str(state.id),
        _pack_str(state.founder),
        _pack_str(state.storyline_id),
        _pack_str(state.label),
        _pack_str(state.line.label),
        struct.pack("<I", len(state.recent_ids)),
        *(_pack_str(i) for i in state.recent_ids),
        state.keys.astype("<i8").tobytes(),
        state.counts.astype("<i4").tobytes(),
        state.centroid.astype("<f2").tobytes(),
        state.title.astype("<f2").tobytes(),
        struct.pack("<I", len(state.members)),
        state.members.tobytes(),
        struct.pack("<I", state.n_cohesion),
        state.cohesion.astype("<f4").tobytes(),
    ]
    return b"".join(parts)


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = memoryview(data), 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise ValueError("story state is truncated")
        out = bytes(self.data[self.at : self.at + n])
        self.at += n
        return out

    def unpack(self, fmt: struct.Struct) -> tuple[Any, ...]:
        return fmt.unpack(self.take(fmt.size))

    def string(self) -> str:
        (n,) = struct.unpack("<I", self.take(4))
        return self.take(n).decode("utf-8", "surrogatepass")

    def array(self, dtype: str, count: int) -> npt.NDArray[Any]:
        size = np.dtype(dtype).itemsize * count
        return np.frombuffer(self.take(size), dtype=dtype).copy()


def decode_state(data: bytes) -> StoryState:
    """The ``StoryState`` saved by ``encode_state``; ``ValueError`` for another format or version."""
    reader = _Reader(data)
    magic, version, dim, n, n_keys, first_seq, last_seq, first_us, last_us, slot = reader.unpack(_HEAD)
    if magic != MAGIC or version != FORMAT_VERSION:
        raise ValueError(f"not a story state of format {MAGIC.decode()} v{FORMAT_VERSION}")
    n_articles, line_first_us, line_last_us, line_version, line_first_seq = (
        int(x) for x in reader.unpack(_LINE)
    )
    line = LineSnapshot(n_articles, line_first_us, line_last_us, line_version, line_first_seq)
    story_id, founder, storyline_id, label, line.label = (reader.string() for _ in range(5))
    (n_recent,) = struct.unpack("<I", reader.take(4))
    recent = tuple(reader.string() for _ in range(n_recent))
    keys = reader.array("<i8", int(n_keys)).astype(np.int64)
    counts = reader.array("<i4", int(n_keys)).astype(np.int32)
    centroid = reader.array("<f2", int(dim)).astype(np.float16)
    title = reader.array("<f2", int(dim)).astype(np.float16)
    (n_members,) = struct.unpack("<I", reader.take(4))
    members = reader.array("i1", n_members * int(dim)).reshape(n_members, int(dim))
    (n_cohesion,) = struct.unpack("<I", reader.take(4))
    cohesion = reader.array("<f4", N_COHESION).astype(np.float32)
    if n_cohesion == 0 and not cohesion.any():
        cohesion = NO_COHESION
    return StoryState(
        id=story_id,
        founder=founder,
        label=label,
        n=int(n),
        keys=keys,
        counts=counts,
        centroid=centroid,
        title=title,
        members=members.astype(np.int8),
        first_seq=int(first_seq),
        last_seq=int(last_seq),
        first_us=int(first_us),
        last_us=int(last_us),
        slot=int(slot),
        storyline_id=storyline_id,
        line=line,
        recent_ids=recent,
        cohesion=cohesion,
        n_cohesion=int(n_cohesion),
    )
