"""Text at the boundary: what the model refuses, and what every output makes of user text.

Two rules, one place:

- **The model refuses** control characters in the names and texts a researcher types (stage,
  touchpoint, lane, persona and opportunity names, descriptions, notes): C0 controls except tab,
  line feed and carriage return, DEL, C1 controls (U+0080–U+009F), lone surrogates and the
  non-characters U+FFFE/U+FFFF. :func:`check_text` raises naming the field, the character
  (``U+0000``) and its position. Nothing can show them, and the SVG renderer (vl-convert)
  aborts the whole Python process on the ones XML cannot hold.
- **Every output cleans** (:func:`safe_text`): evidence keeps the researcher's text as read,
  so anything shown — chart titles, axis labels, series values and tooltips (Vega, SVG), the
  HTML report, Markdown, Mermaid, Excel — goes through :func:`safe_text` first: the refused
  characters and the byte order mark U+FEFF are removed, NEL, VT, FF, U+2028 and U+2029 become
  line feeds, and with ``one_line=True`` every line break and tab becomes one space (a line
  break or U+2028 inside a Vega expression string is a parse error). A surrogate pair that
  arrived as two code points is joined into its character.
  :func:`safe_tree` applies it to every string (keys too) of a JSON-like chart spec.

Usage::

    from cjm_widgets._text import check_text, safe_text
    name = check_text(name, "The touchpoint name")   # JourneyError on "Pay\\x00"
    label = safe_text(series, one_line=True)         # "A\\u2028B" -> "A B"
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from cjm_widgets.errors import JourneyError

__all__ = ["char_label", "check_text", "find_control", "safe_text", "safe_tree"]

# What the model refuses (also with line breaks allowed): C0 but tab/LF/CR, DEL, C1, lone
# surrogates, U+FFFE/U+FFFF.
_REFUSED = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
_REFUSED_RE = re.compile(f"[{_REFUSED}]")

_SURROGATE = re.compile("[\ud800-\udfff]")
# Output: dropped (the refused ones but the line-like VT, FF, NEL; and the BOM) ...
_DROP = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff\ufeff]+")
# ... line breaks a Vega expression, a Markdown table or a Mermaid line cannot hold ...
_BREAKS = re.compile("\r\n|[\r\n\x0b\x0c\x85\u2028\u2029]")
_ONE_LINE = re.compile("(?:\r\n|[\t\r\n\x0b\x0c\x85\u2028\u2029])+")
# ... and a quick test whether anything needs doing at all (most text is clean).
_ANY = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ufeff\u2028\u2029]"
)
_ANY_ONE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\ufeff\u2028\u2029]")


# unicodedata has no names for control characters; the common ones, for clearer errors
_CONTROL_NAMES = {
    0x00: "NULL",
    0x07: "BELL",
    0x08: "BACKSPACE",
    0x09: "TAB",
    0x0A: "LINE FEED",
    0x0B: "VERTICAL TAB",
    0x0C: "FORM FEED",
    0x0D: "CARRIAGE RETURN",
    0x1B: "ESCAPE",
    0x7F: "DELETE",
    0x85: "NEXT LINE",
}


def char_label(char: str) -> str:
    """``U+0000 (NULL)``: a character's code point and, when it has one, its Unicode name.

    Usage: ``char_label("\\x1b")  # 'U+001B (ESCAPE)'``
    """
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(ord(char), "")
    return f"{code} ({name})" if name else code


def find_control(text: str) -> int:
    """Index of the first character the model refuses in ``text``, or -1 if there is none
    (tab, line feed and carriage return are allowed).

    Usage: ``find_control("Pay\\x00")  # 3``
    """
    match = _REFUSED_RE.search(text)
    return -1 if match is None else match.start()


def check_text(
    value: str,
    what: str,
    *,
    error: type[Exception] = JourneyError,
) -> str:
    """``value`` unchanged when it holds no refused character, else ``error`` naming ``what``,
    the character and its position, and the way out.

    Usage: ``check_text(name, "The touchpoint name")``
    """
    at = find_control(value)
    if at < 0:
        return value
    char = value[at]
    kind = (
        "a lone surrogate"
        if 0xD800 <= ord(char) <= 0xDFFF
        else "a non-character"
        if ord(char) >= 0xFFFE
        else "a control character"
    )
    shown = value[max(0, at - 20) : at + 20].encode("unicode_escape").decode("ascii")
    raise error(
        f"{what} contains {char_label(char)}, {kind}, at position {at} "
        f"(near {shown!r}); it cannot be shown, printed or saved. Remove it, e.g. "
        f"text.replace({char!r}, ''), or clean it with cjm_widgets.safe_text(text)."
    )


def safe_text(value: Any, *, one_line: bool = False) -> str:
    """``value`` as text every output can hold: control characters, lone surrogates,
    U+FFFE/U+FFFF and the BOM removed, other line breaks (NEL, VT, FF, U+2028, U+2029) made
    line feeds; ``one_line=True`` turns every run of line breaks and tabs into one space (for
    chart labels, titles, Markdown cells and Mermaid lines). None becomes "".

    Usage: ``safe_text("Pay\\x00ment\\u2028fee", one_line=True)  # 'Payment fee'``
    """
    text = "" if value is None else value if isinstance(value, str) else str(value)
    if (_ANY_ONE if one_line else _ANY).search(text) is None:
        return text
    if _SURROGATE.search(text):
        # a pair that came as two code points becomes its character; lone halves go
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "ignore")
    text = _DROP.sub("", text)
    if one_line:
        return _ONE_LINE.sub(" ", text)
    return _BREAKS.sub(lambda m: m.group(0) if m.group(0) in ("\n", "\r\n", "\r") else "\n", text)


def safe_tree(value: Any, *, one_line: bool = True) -> Any:
    """A copy of a JSON-like value (dicts, lists, strings, numbers) with every string — keys
    included — passed through :func:`safe_text`. Used on chart specs before rendering.

    Usage: ``spec = safe_tree(chart.to_dict())``
    """
    if isinstance(value, str):
        return safe_text(value, one_line=one_line)
    if isinstance(value, dict):
        return {
            (safe_text(k, one_line=one_line) if isinstance(k, str) else k): safe_tree(
                v, one_line=one_line
            )
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [safe_tree(v, one_line=one_line) for v in value]
    return value
