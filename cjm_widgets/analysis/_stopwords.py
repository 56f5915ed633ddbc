"""Short lists of function words for the five template languages (en, fi, sv, pl, ms).

Used by :func:`cjm_widgets.analysis.themes.themes` so that a theme's top terms are content
words. The lists are deliberately short (pronouns, articles, auxiliaries, conjunctions and
prepositions); the vectoriser's ``max_df`` removes any other word found in most quotes.
Nothing is downloaded.

Usage: ``words = stop_words("fi")`` (``None``: the union of all five lists).
"""

from __future__ import annotations

from cjm_widgets.errors import EvidenceError

__all__ = ["STOP_WORDS", "stop_words"]

_EN = """a about after all also am an and any are as at be because been before but by can
could did do does doing don didn for from had has have he her here him his how i if in into
is it its just me more most my no not now of on once only or other our out over own same she
so some such than that the their them then there these they this those through to too under
until up very was we were what when where which while who why will with would you your
really get got one even"""
_FI = """ja on ei se että oli ole olla olen olin mutta kun niin kuin myös tai jos vain sen
sitä siitä siinä minä sinä hän me te he minun meidän mitä mikä joka jotka ovat oli olivat
nyt vielä jo sitten kanssa koska vaan tämä tämän tätä tuo nämä ne niitä mukaan yli ennen
jälkeen aina ihan kyllä"""
_SV = """och att det som en ett är var på i av för med till den de om har inte men så jag
vi du han hon man sig sin sitt sina vår er de dem deras kan skulle ska har hade blev bli
från eller när då här där nu också bara mycket efter innan under över vid alla något"""
_PL = """i w na z że nie to się jest do jak o po a ale co ten ta te tego tej tym ja ty on
ona my wy oni one jego jej ich mnie mi był była było byli być są od przez dla za czy tak już
tylko też jeszcze bardzo może lub albo gdy kiedy który która które bo więc przy pod nad"""
_MS = """dan yang di ke dari untuk dengan ini itu adalah tidak ada saya kami kita anda dia
mereka akan telah sudah pada dalam atau juga tetapi jika kerana oleh sangat lebih boleh
bagi seperti semua hanya masih belum lagi apa bila mana"""

STOP_WORDS: dict[str, frozenset[str]] = {
    lang: frozenset(text.split())
    for lang, text in (("en", _EN), ("fi", _FI), ("sv", _SV), ("pl", _PL), ("ms", _MS))
}


def stop_words(language: str | None) -> list[str]:
    """The function words of ``language`` (None: all five languages together), sorted.

    Usage: ``stop_words("sv")``
    """
    if language is None:
        return sorted(frozenset().union(*STOP_WORDS.values()))
    if language not in STOP_WORDS:
        raise EvidenceError(
            f"Unknown language {language!r}; themes() knows {', '.join(sorted(STOP_WORDS))} "
            "(or language=None for all of them)."
        )
    return sorted(STOP_WORDS[language])
