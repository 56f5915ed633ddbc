"""Text-encoding detection for the evidence readers (internal).

Detects, never guesses silently: UTF-8 (with or without BOM), UTF-16 (with a BOM, or without
one when the NUL-byte pattern says so) and cp1252. The encoding used is returned so the reader
can record it in ``meta["encodings"]``. Usage::

    text, encoding = decode_bytes(path.read_bytes(), path)
"""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

from cjm_widgets.errors import ReaderError

__all__ = ["ENCODINGS_TRIED", "decode_bytes", "read_bytes", "read_text", "sniff_encoding"]

ENCODINGS_TRIED = ("utf-8", "utf-8-sig", "utf-16", "cp1252")

_HINT = "pass encoding='...' (e.g. encoding='latin-1') if you know the file's encoding"


def read_bytes(path: Path) -> bytes:
    """Return the bytes of ``path`` (gunzipped for ``.gz``); ReaderError when empty."""
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gzip.decompress(data)
    except FileNotFoundError:
        raise ReaderError(f"{path}: file not found") from None
    except (OSError, EOFError) as err:
        raise ReaderError(f"{path}: cannot be read ({err})") from None
    if not data.strip():
        raise ReaderError(f"{path} is empty: there is no evidence to read")
    return data


def _utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' / 'utf-16-be' when every other byte is NUL (ASCII-range UTF-16)."""
    sample = head[: 4096 - (len(head[:4096]) % 2)]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    half = len(sample) // 2
    if odd.count(0) >= 0.6 * half and even.count(0) <= 0.1 * half:
        return "utf-16-le"
    if even.count(0) >= 0.6 * half and odd.count(0) <= 0.1 * half:
        return "utf-16-be"
    return None


def sniff_encoding(head: bytes) -> str | None:
    """Encoding implied by a BOM or a UTF-16 NUL pattern in the first bytes, else None."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return _utf16_without_bom(head)


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    sample = text[:8192]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f\v")
    return controls > 0.05 * len(sample)


def decode_bytes(data: bytes, path: Path | str, encoding: str | None = None) -> tuple[str, str]:
    """Decode ``data`` read from ``path``; return ``(text, encoding_used)``.

    With ``encoding`` given it is used as is. Otherwise: BOM → UTF-8-sig / UTF-16; NUL pattern →
    BOM-less UTF-16; then strict UTF-8; then strict cp1252. Binary or undecodable data raises
    :class:`~cjm_widgets.errors.ReaderError` naming the file and the encodings tried.
    """
    if encoding is not None:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError) as err:
            raise ReaderError(
                f"{path}: cannot be decoded as {encoding!r} ({err}); "
                "leave encoding=None to detect UTF-8, UTF-8-BOM, UTF-16 and cp1252"
            ) from None
        return text.lstrip("\ufeff"), encoding
    candidates: list[str] = []
    sniffed = sniff_encoding(data[:4096])
    if sniffed:
        candidates.append(sniffed)
    candidates += ["utf-8", "cp1252"]
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            continue
        return text, enc
    raise ReaderError(
        f"{path}: cannot be decoded (binary or unknown encoding); tried "
        f"{', '.join(dict.fromkeys(candidates))}; {_HINT}"
    )


def read_text(path: Path, encoding: str | None = None) -> tuple[str, str]:
    """Read and decode a text file; return ``(text, encoding_used)``."""
    data = read_bytes(path)
    text, used = decode_bytes(data, path, encoding)
    if not text.strip():
        raise ReaderError(f"{path} is empty: there is no evidence to read")
    return text, used
