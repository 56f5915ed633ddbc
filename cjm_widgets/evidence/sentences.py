"""Sentence and paragraph spans of a text, for English, Finnish, Swedish, Polish and Malay.

A small rule set, no model and nothing downloaded (pySBD covers English and Polish but not
Finnish, Swedish or Malay, and is slower by an order of magnitude; the others need models).
How a text is cut, in order:

1. **Paragraphs** end at a blank line (a line break, optional spaces, a line break). A text
   without any blank line but with line breaks has one paragraph per line.
2. **Sentences** end after ``.``, ``!``, ``?`` or ``…`` (runs such as ``?!`` or ``...`` are
   one end), followed by white space and then a character that is not a lower-case letter.
   Closing quotes and brackets (``" ” ’ » ) ]``) and emoticons or emoji right after the end
   (``:)``, ``:-(``, ``;D``, ``😀``) belong to the sentence they close.
3. An end is **not** a sentence end when the word before a single ``.`` is an abbreviation of
   the language (``e.g.``, ``Dr.``, ``esim.``, ``mm.``, ``t.ex.``, ``bl.a.``, ``np.``,
   ``m.in.``, ``cth.``, ``dll.`` …: :data:`ABBREVIATIONS`), a single capital letter (an
   initial: ``J. Smith``; but ``etc.``, ``jne.``, ``osv.``, ``itd.``, ``dll.`` … before a
   capital letter do end one: :data:`FINAL`), or when the next word starts in lower case
   (``I waited... and waited``, ``"Why?" she asked``). Decimals and dates (``3.5``,
   ``5.12.2026``) have no space after the point and never end a sentence.

Spans are ``(start, end)`` offsets into the text (Python ``str`` indices, end exclusive) with
white space trimmed at both ends; empty pieces are left out.

Usage::

    from cjm_widgets.evidence.sentences import sentence_spans
    [text[a:b] for a, b in sentence_spans(text, language="fi")]
"""

from __future__ import annotations

import re

__all__ = ["ABBREVIATIONS", "LANGUAGES", "paragraph_spans", "sentence_spans", "split_spans"]

LANGUAGES: tuple[str, ...] = ("en", "fi", "sv", "pl", "ms")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_COMMON = _words("dr prof nr no tel vs ca etc")
#: Words that end with a point without ending a sentence, per language (lower case, the
#: final point left out; inner points kept: ``t.ex``).
ABBREVIATIONS: dict[str, frozenset[str]] = {
    "en": _COMMON
    | _words(
        "mr mrs ms mx st jr sr e.g i.e eg ie approx appt dept est fig inc ltd co corp mt "
        "min max incl excl avg jan feb mar apr jun jul aug sep sept oct nov dec mon tue wed "
        "thu fri sat sun a.m p.m am pm u.k u.s u.s.a cf al hrs"
    ),
    "fi": _COMMON
    | _words(
        "esim mm ns jne yms tms ym ks vrt klo n noin ko em ed huom kpl tri ts v s os "
        "puh ao eaa jaa ma ti ke to pe la su tammik helmik maalisk huhtik toukok kesäk "
        "heinäk elok syysk lokak marrask jouluk yo ry oy"
    ),
    "sv": _COMMON
    | _words(
        "t.ex bl.a m.m o.s.v osv dvs d.v.s s.k resp kl st t.o.m fr.o.m m.fl p.g.a pga "
        "jfr ev obs mfl f.d f.ö o.d e.d sek min tim ang enl inkl exkl jan febr mars apr "
        "aug sept okt nov dec"
    ),
    "pl": _COMMON
    | _words(
        "np tzn tj itd itp m.in tys ok ul al pl mgr inż godz min r w wg ww zob por ds "
        "ang cdn jw pt im tzw ust art wyd gr zł tel mln mld sz ks p płn płd wsch zach "
        "stycz lut mar kwiet maj czerw lip sierp wrz paźdz listop grudz"
    ),
    "ms": _COMMON
    | _words(
        "cth dll spt dsb sdn bhd tn pn en hj hjh jln kpd sbg mis bil tkh bln thn dgn "
        "utk yg sbb drp ptg pg kg rm"
    ),
}
#: Abbreviations that may also end a sentence ("… and so on. Next"): they end one when the
#: next word starts with a capital letter.
FINAL: frozenset[str] = _words("etc jne yms tms ym osv m.m m.fl mfl itd itp cdn dll dsb")

_END = re.compile(
    r"(?P<end>[.!?…]+)"
    r"(?P<close>[\"'”’»)\]]*)"
    # emoticons and emoji after the end: possessive, never split off
    r"(?P<emo>(?:[ \t]*(?:[:;=8][-'^]?[)(\]\[DPpOo3|/\\*]+"
    r"|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B50\u2B55\uFE0F\u200D]+))*+)"
    r"(?P<gap>\s+)(?=(?P<next>\S))"
)
_BLANK_LINE = re.compile(r"\r?\n[ \t\f\v]*\r?\n\s*")
_LINE = re.compile(r"\r?\n\s*")
_OPENING = "\"'“‘«([¿¡"


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs of ``text`` as (start, end) offsets (see the module)."""
    breaker = _BLANK_LINE if _BLANK_LINE.search(text) else _LINE
    spans: list[tuple[int, int]] = []
    start = 0
    for m in breaker.finditer(text):
        got = _trimmed(text, start, m.start())
        if got:
            spans.append(got)
        start = m.end()
    got = _trimmed(text, start, len(text))
    if got:
        spans.append(got)
    return spans


def _word_before(text: str, at: int) -> str:
    """The word (with inner points) ending at ``at``, lower case, opening quotes dropped."""
    begin = at
    while begin > 0 and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:at].lstrip(_OPENING).lower()


def _sentences(text: str, lo: int, hi: int, abbreviations: frozenset[str]) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = lo
    for m in _END.finditer(text, lo, hi):
        if m.group("next").islower():
            continue  # "I waited... and waited", "e.g. this", '"Why?" she asked'
        if m.group("end") == ".":
            word = _word_before(text, m.start())
            if word in FINAL and m.group("next").isupper():
                pass  # "… and so on. Next sentence"
            elif word in abbreviations or (len(word) == 1 and word.isalpha()):
                continue  # "t.ex. Stockholm", "J. Smith"
        got = _trimmed(text, start, m.start("gap"))
        if got:
            spans.append(got)
        start = m.end("gap")
    got = _trimmed(text, start, hi)
    if got:
        spans.append(got)
    return spans


def sentence_spans(text: str, *, language: str = "en") -> list[tuple[int, int]]:
    """Sentences of ``text`` as (start, end) offsets, within its paragraphs (see the module).

    Usage: ``sentence_spans("Hyvä lento, esim. ruoka oli hyvää. Kiitos!", language="fi")``
    """
    abbreviations = ABBREVIATIONS[check_language(language)]
    spans: list[tuple[int, int]] = []
    for lo, hi in paragraph_spans(text):
        spans.extend(_sentences(text, lo, hi, abbreviations))
    return spans


def split_spans(text: str, split: str, *, language: str = "en") -> list[tuple[int, int]]:
    """``sentence_spans`` or ``paragraph_spans`` by name (``split="sentence" | "paragraph"``)."""
    if split == "sentence":
        return sentence_spans(text, language=language)
    if split == "paragraph":
        return paragraph_spans(text)
    raise ValueError(f'split must be "sentence", "paragraph" or None, got {split!r}.')


def check_language(language: str) -> str:
    """``language`` when the splitter knows it, else a ValueError listing the known ones."""
    if language not in ABBREVIATIONS:
        raise ValueError(
            f"No sentence rules for language {language!r}; known: {', '.join(LANGUAGES)}."
        )
    return language
