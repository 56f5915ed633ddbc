"""Finding evidence: case- and accent-insensitive text search, and evidence-id lookup.

Both indexes are built lazily, once, from the raw columns (which never change):

- :class:`TextIndex` folds each *unique* text once (Unicode NFKD, accents and case removed,
  whitespace collapsed) and answers a query with ``pyarrow.compute.match_substring`` over the
  folded unique texts, so a search over 1.5M rows touches only the distinct texts.
- :class:`IdIndex` maps evidence ids to store rows through sorted 64-bit hashes of the ids
  (12 bytes a row, far less than a dict of 1.5M strings); every hit is verified against the id
  itself, so a hash collision can never return the wrong row.

Usage::

    fold("Café CRÈME")          # 'cafe creme'
    index = TextIndex(texts)    # a pyarrow string array
    index.search("cafe")        # boolean mask over the rows
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["IdIndex", "TextIndex", "fold", "query_terms"]

# letters NFKD does not decompose but that readers of Polish, Nordic and other languages
# expect to match their plain form
_EXTRA = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "ı": "i"}
)
_TERMS = re.compile(r'"([^"]*)"|(\S+)')


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` (also collapses whitespace).

    Usage: ``fold("Łódź  CAFÉ") == "lodz cafe"``
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.translate(_EXTRA).casefold().split())


def query_terms(query: str) -> list[str]:
    """The folded terms of a search query: words, or phrases in double quotes.

    Usage: ``query_terms('late "lost bag"') == ["late", "lost bag"]``
    """
    terms = []
    for phrase, word in _TERMS.findall(query):
        term = fold(phrase if phrase else word)
        if term:
            terms.append(term)
    return terms


def _as_string_array(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if pa.types.is_string_view(values.type) or pa.types.is_dictionary(values.type):
        values = values.cast(pa.large_string())
    return values


class TextIndex:
    """Accent/case-insensitive substring search over a text column (built once).

    Usage::

        index = TextIndex(pa.array(["Café", "cafe au lait", "tea"]))
        index.search("CAFE")   # array([ True,  True, False])
    """

    def __init__(self, texts: pa.Array | pa.ChunkedArray) -> None:
        encoded = pc.dictionary_encode(pc.fill_null(_as_string_array(texts), ""))
        self._indices = encoded.indices.to_numpy(zero_copy_only=False)
        uniques = encoded.dictionary.to_pylist()
        self._folded = pa.array([fold(t) for t in uniques], type=pa.large_string())

    def __len__(self) -> int:
        return len(self._indices)

    def search(self, query: str) -> np.ndarray:
        """Boolean mask of the rows whose text contains every term of ``query``.

        An empty query matches every row.
        """
        terms = query_terms(query)
        hit = np.ones(len(self._folded), dtype=bool)
        for term in terms:
            found = pc.match_substring(self._folded, term)
            hit &= found.to_numpy(zero_copy_only=False)
            if not hit.any():
                break
        return hit[self._indices] if len(self._indices) else np.zeros(0, dtype=bool)

    @property
    def nbytes(self) -> int:
        """Memory held by the index (bytes)."""
        return int(self._indices.nbytes + self._folded.nbytes)


# ----------------------------------------------------------------------------- id lookup

_M1 = 0x9E3779B97F4A7C15  # mixing constants (golden ratio; murmur3 fmix64)
_F1 = 0xFF51AFD7ED558CCD
_F2 = 0xC4CEB9FE1A85EC53
_MASK = (1 << 64) - 1


def _words(data: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The 8 bytes starting at each position (little endian), zero past the data's end."""
    size = len(data)
    out = np.zeros(len(positions), dtype=np.uint64)
    if size >= 8:
        view = np.ndarray(shape=(size - 7,), dtype="<u8", buffer=data, strides=(1,))
        safe = positions <= size - 8
        out[safe] = view[positions[safe]]
    else:
        safe = np.zeros(len(positions), dtype=bool)
    if not safe.all():
        start = max(0, size - 8)
        tail = np.zeros(16, dtype=np.uint8)
        tail[: size - start] = data[start:]
        tail_view = np.ndarray(shape=(9,), dtype="<u8", buffer=tail, strides=(1,))
        out[~safe] = tail_view[positions[~safe] - start]
    return out


def hash_strings(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A 64-bit hash of each string (vectorised over the Arrow buffers; no Python strings).

    Equal strings hash equal; :func:`hash_one` gives the same value for one Python string.
    """
    arr = _as_string_array(values)
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.uint64)
    if arr.null_count:
        raise ValueError("cannot hash missing values")
    large = pa.types.is_large_string(arr.type)
    if not (large or pa.types.is_string(arr.type)):
        raise TypeError(f"expected strings, got {arr.type}")
    bufs = arr.buffers()
    otype = np.int64 if large else np.int32
    offsets = np.frombuffer(
        bufs[1], dtype=otype, count=n + 1, offset=arr.offset * np.dtype(otype).itemsize
    ).astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    starts = offsets[:-1]
    lens = np.diff(offsets)
    nwords = (lens + 7) // 8
    with np.errstate(over="ignore"):
        h = lens.astype(np.uint64) * np.uint64(_M1)
        for w in range(int(nwords.max()) if n else 0):
            idx = None if nwords.min() > w else np.flatnonzero(nwords > w)
            pos = starts + 8 * w if idx is None else starts[idx] + 8 * w
            rem = lens - 8 * w if idx is None else lens[idx] - 8 * w
            word = _words(data, pos)
            short = rem < 8
            if short.any():
                bits = (8 * rem[short]).astype(np.uint64)
                word[short] &= (np.uint64(1) << bits) - np.uint64(1)
            cur = h if idx is None else h[idx]
            cur = (cur ^ word) * np.uint64(_M1)
            cur ^= cur >> np.uint64(29)
            if idx is None:
                h = cur
            else:
                h[idx] = cur
        h ^= h >> np.uint64(33)
        h *= np.uint64(_F1)
        h ^= h >> np.uint64(33)
        h *= np.uint64(_F2)
        h ^= h >> np.uint64(33)
    return h


def hash_one(text: str) -> int:
    """:func:`hash_strings` of one string, in plain Python (fast for a single lookup)."""
    raw = text.encode("utf-8")
    n = len(raw)
    h = (n * _M1) & _MASK
    for start in range(0, n, 8):
        word = int.from_bytes(raw[start : start + 8], "little")
        h = ((h ^ word) * _M1) & _MASK
        h ^= h >> 29
    h ^= h >> 33
    h = (h * _F1) & _MASK
    h ^= h >> 33
    h = (h * _F2) & _MASK
    h ^= h >> 33
    return h


class IdIndex:
    """Evidence id → store row, built once from the id column.

    Usage::

        index = IdIndex(pa.array(["a", "b"]))
        index.rows(["b", "zz"])   # array([ 1, -1])
        index.row("a")            # 0
    """

    def __init__(self, ids: pa.Array | pa.ChunkedArray) -> None:
        self._ids = _as_string_array(ids)
        hashes = hash_strings(self._ids)
        order = np.argsort(hashes, kind="stable")
        self._sorted = hashes[order]
        itype = np.int32 if len(order) < 2**31 else np.int64
        self._order = order.astype(itype)

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def nbytes(self) -> int:
        """Memory held by the index (bytes; the ids themselves belong to the frame)."""
        return int(self._sorted.nbytes + self._order.nbytes)

    def row(self, evidence_id: str) -> int:
        """The row of one id, or -1."""
        h = np.uint64(hash_one(evidence_id))
        left = int(np.searchsorted(self._sorted, h, "left"))
        size = len(self._sorted)
        while left < size and self._sorted[left] == h:
            row = int(self._order[left])
            if self._ids[row].as_py() == evidence_id:
                return row
            left += 1
        return -1

    def rows(self, evidence_ids: Sequence[str] | pa.Array) -> np.ndarray:
        """The rows of many ids (int64, -1 where an id does not exist)."""
        needles = (
            evidence_ids
            if isinstance(evidence_ids, pa.Array)
            else pa.array(list(evidence_ids), type=pa.large_string())
        )
        if len(needles) <= 4:
            return np.array([self.row(s) for s in needles.to_pylist()], dtype=np.int64)
        hashes = hash_strings(needles)
        left = np.searchsorted(self._sorted, hashes, "left")
        right = np.searchsorted(self._sorted, hashes, "right")
        out = np.full(len(needles), -1, dtype=np.int64)
        single = (right - left) == 1
        if single.any():
            cand = self._order[left[single]].astype(np.int64)
            same = pc.equal(
                self._ids.take(pa.array(cand)), needles.filter(pa.array(single))
            ).to_numpy(zero_copy_only=False)
            out[np.flatnonzero(single)[same]] = cand[same]
        for i in np.flatnonzero((right - left) > 1):  # hash collisions: check each
            needle = needles[int(i)].as_py()
            for k in range(int(left[i]), int(right[i])):
                row = int(self._order[k])
                if self._ids[row].as_py() == needle:
                    out[i] = row
                    break
        return out

    def duplicates(self) -> list[str]:
        """Ids that occur more than once (empty when the ids are unique)."""
        same = np.flatnonzero(self._sorted[1:] == self._sorted[:-1])
        found: list[str] = []
        for k in same:
            a, b = int(self._order[k]), int(self._order[k + 1])
            value = self._ids[a].as_py()
            if value == self._ids[b].as_py() and value not in found:
                found.append(value)
        return found
