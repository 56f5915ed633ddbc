"""Speaker labels and their roles in transcripts (internal; used by the transcript reader).

Which words name a role, which label-shaped words are not speakers ("Note:"), and the role
guess for each speaker of a document. Usage::

    guess = RoleGuesser(is_interviewer, roles={"Interviewer2 2": "interviewer"})
    roles = guess.document(turns)      # {speaker label: "interviewer" | "participant" | ...}

How a role is guessed, first match wins (documented in :func:`read_transcripts` too):

1. ``roles=`` names the label (case and spacing ignored): that role.
2. The label, or its note as in ``Anna (moderator):``, matches ``interviewer=`` (by default
   Interviewer, Moderator, Researcher, Facilitator, Int, I, Q and their fi/sv/pl/fr/ms words,
   each with optional numbers such as ``Interviewer 1`` or ``Interviewer2 2``): interviewer.
3. A participant word (Interviewee, Participant, Respondent, Customer, A, P3, R12,
   Haastateltava, Enquêté …, with optional numbers), in the label or its note: participant.
4. A word for an unnamed voice (Unknown Speaker, Speaker 2, Inconnu, Tuntematon …): unknown.
5. Any other label (a name such as ``Anna``): participant — except that in a document with no
   interviewer after rules 1–4, a named speaker at least half of whose turns end with a
   question mark, while no other named speaker's do more than a quarter, is the interviewer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from cjm_widgets.errors import EvidenceError

__all__ = [
    "NOT_SPEAKER",
    "ROLES",
    "RoleGuesser",
    "is_participant_word",
    "is_stop_word",
    "is_unknown_word",
    "label_key",
    "looks_like_name",
]

#: The roles a turn can have, in the order of the ``role`` column's categories.
ROLES: tuple[str, ...] = ("interviewer", "participant", "unknown")
#: ``roles={"Note": NOT_SPEAKER}``: the label is not a speaker; its lines stay text.
NOT_SPEAKER = "text"

_NUM = r"(?:\s*[-_#.]?\s*\d+)*"  # "Interviewee1", "Interviewer 2", "Interviewer2 2", "P-3"
_PARTICIPANT_WORDS = (
    "interviewee",
    "participant",
    "participante",
    "respondent",
    "customer",
    "client",
    "cliente",
    "user",
    "answer",
    "vastaus",
    "réponse",
    "a",
    "p",
    "r",
    "haastateltava",
    "vastaaja",
    "osallistuja",
    "asiakas",
    "käyttäjä",
    "enquêté",
    "enquêtée",
    "interviewé",
    "interviewée",
    "répondant",
    "répondante",
    "usager",
    "intervjuperson",
    "deltagare",
    "kund",
    "uczestnik",
    "uczestniczka",
    "respondentka",
    "klient",
    "peserta",
    "responden",
    "pelanggan",
)
_UNKNOWN_WORDS = (
    "unknown speaker",
    "unknown",
    "speaker",
    "unidentified speaker",
    "inaudible speaker",
    "voice",
    "inconnu",
    "inconnue",
    "locuteur",
    "locutrice",
    "intervenant",
    "intervenante",
    "tuntematon",
    "tuntematon puhuja",
    "puhuja",
    "okänd",
    "talare",
    "nieznany",
    "mówca",
)
_PARTICIPANT_RX = re.compile(
    rf"(?:{'|'.join(re.escape(w) for w in _PARTICIPANT_WORDS)}){_NUM}", re.IGNORECASE
)
_UNKNOWN_RX = re.compile(
    rf"(?:{'|'.join(re.escape(w) for w in _UNKNOWN_WORDS)}){_NUM}", re.IGNORECASE
)

#: Words that start a line like a label ("Note: …", "Bref: …") but name no speaker. A label
#: used once in a document is read as a speaker only when it is not one of these.
_STOP_TEXT = """
    note notes nb n.b ps p.s edit update example e.g eg i.e ie tip warning caution important
    summary comment comments remark remarks observation observations context topic theme
    subject date time location place duration title page step total price reason
    problem issue result results conclusion quote source link address email phone
    yes no ok okay yeah right sure thanks thank you well so and but or then also because
    re fyi todo
    remarque exemple bref donc alors enfin mais oui non merci voilà ensuite puis sujet lieu
    heure durée résumé conclusion attention rappel d'accord ouais bon
    huom huomio esim esimerkiksi eli siis mutta joo kyllä ei niin kiitos okei selvä aihe
    paikka aika kesto yhteenveto
    obs exempel ja nej tack
    uwaga przykład tak nie dzięki
    nota contoh ya tidak terima kasih
"""
_STOP_WORDS = frozenset(_STOP_TEXT.split())


def label_key(label: str) -> str:
    """The label as compared: case-folded, inner spaces collapsed."""
    return " ".join(str(label).split()).casefold()


def is_participant_word(label: str) -> bool:
    """True for a participant word with optional numbers (Interviewee1, P3, Haastateltava)."""
    return bool(_PARTICIPANT_RX.fullmatch(label.strip()))


def is_unknown_word(label: str) -> bool:
    """True for a word for an unnamed voice (Unknown Speaker, Speaker 2, Inconnu)."""
    return bool(_UNKNOWN_RX.fullmatch(label.strip()))


def is_stop_word(label: str) -> bool:
    """True when a label-shaped word names no speaker ("Note", "Bref", "Huom", "Step 2")."""
    key = re.sub(r"[\s\d.#-]+$", "", label_key(label)) or label_key(label)
    return key in _STOP_WORDS or key.rstrip(".") in _STOP_WORDS


def looks_like_name(label: str) -> bool:
    """One to three words, each capitalised or a number, and not a stop word: "Anna",
    "Mr Smith", "Anna-Liisa K" — but not "The reason was" or "Note"."""
    words = label.split()
    if not 1 <= len(words) <= 3 or is_stop_word(label):
        return False
    return all(w[0].isupper() or w.isdigit() for w in words)


def _check_roles(roles: Mapping[str, str] | None) -> dict[str, str]:
    if roles is None:
        return {}
    if not isinstance(roles, Mapping):
        raise EvidenceError(
            f"roles= must be a dict {{speaker label: role}}, e.g. "
            f'{{"Interviewer2 2": "interviewer"}}; got {type(roles).__name__}'
        )
    allowed = (*ROLES, NOT_SPEAKER)
    out: dict[str, str] = {}
    for label, role in roles.items():
        if role not in allowed:
            raise EvidenceError(
                f"roles[{label!r}] = {role!r} is not a role; use one of "
                f"{', '.join(map(repr, allowed))} ({NOT_SPEAKER!r}: the label is no speaker, "
                "its lines stay in the turn before)"
            )
        out[label_key(label)] = role
    return out


class RoleGuesser:
    """Guess each speaker's role in a document (see the module docs for the rules).

    Usage: ``RoleGuesser(is_interviewer, roles={"Mark": "interviewer"}).document(turns)``
    """

    def __init__(
        self, is_interviewer: Callable[[str], bool], roles: Mapping[str, str] | None = None
    ) -> None:
        self.is_interviewer = is_interviewer
        self.roles = _check_roles(roles)
        self.used: set[str] = set()  # roles= keys that named a speaker somewhere

    def not_speaker(self, label: str) -> bool:
        """True when ``roles=`` says the label is no speaker."""
        return self.roles.get(label_key(label)) == NOT_SPEAKER

    def known(self, label: str) -> bool:
        """True when the label names a role by itself (rules 1–4): a speaker even when used
        once or written without a colon on its own line."""
        key = label_key(label)
        if key in self.roles:
            return self.roles[key] != NOT_SPEAKER
        return self.is_interviewer(label) or is_participant_word(label) or is_unknown_word(label)

    def one(self, label: str, note: str | None = None) -> tuple[str, bool]:
        """(role, is a name guess) of one label by rules 1–4, else ("participant", True)."""
        key = label_key(label)
        if key in self.roles and self.roles[key] != NOT_SPEAKER:
            self.used.add(key)
            return self.roles[key], False
        if self.is_interviewer(label) or (note is not None and self.is_interviewer(note)):
            return "interviewer", False
        if is_participant_word(label) or (note is not None and is_participant_word(note)):
            return "participant", False
        if is_unknown_word(label):
            return "unknown", False
        return "participant", True

    def document(self, turns: Iterable[Any]) -> dict[str | None, str]:
        """{speaker label: role} for the turns of one document (label None: "participant",
        the turns of a document without labels)."""
        guesses: dict[str | None, tuple[str, bool]] = {}
        questions: dict[str, list[int]] = {}
        for t in turns:
            if t.speaker is None:
                guesses[None] = ("participant", False)
                continue
            if t.speaker not in guesses:
                guesses[t.speaker] = self.one(t.speaker, t.note)
            q = questions.setdefault(t.speaker, [0, 0])
            q[0] += t.text.rstrip().endswith("?")
            q[1] += 1
        roles = {k: r for k, (r, _) in guesses.items()}
        if "interviewer" not in roles.values():
            named = [k for k, (_, name) in guesses.items() if name and k is not None]
            share = {k: questions[k][0] / questions[k][1] for k in named if questions[k][1]}
            asker = [k for k, s in share.items() if s >= 0.5]
            if len(named) >= 2 and len(asker) == 1:
                others = [s for k, s in share.items() if k != asker[0]]
                if max(others, default=0.0) <= 0.25:
                    roles[asker[0]] = "interviewer"
        return roles


# ------------------------------------------------------------------------------ the summary


def file_summary(
    file: str,
    turns: list[Any],
    roles: list[str],
    participants: list[str],
    labelled: bool,
    kept_as_text: list[str],
) -> dict[str, Any]:
    """What one file gave: turns, turns per role, and per speaker its role, turns and
    participant (JSON-ready; kept in ``ev.meta["transcripts"][document]``)."""
    speakers: dict[str, dict[str, Any]] = {}
    by_role = dict.fromkeys(ROLES, 0)
    for t, role, who in zip(turns, roles, participants, strict=True):
        by_role[role] += 1
        label = t.speaker if t.speaker is not None else "(no label)"
        s = speakers.setdefault(label, {"role": role, "turns": 0, "participant": who})
        s["turns"] += 1
        if role != "interviewer":
            s["participant"] = who
    return {
        "file": file,
        "labelled": labelled,
        "turns": len(turns),
        "roles": by_role,
        "speakers": speakers,
        "kept_as_text": list(kept_as_text),
    }


def _shown(text: str) -> str:
    """``text`` for a terminal: quoted with escapes when it holds control characters."""
    return text if text.isprintable() else repr(text)


def format_summary(summaries: Mapping[str, Mapping[str, Any]], *, max_files: int = 12) -> str:
    """The reader's printed summary: totals, then one line per file (files that need a look —
    unknown speakers, no interviewer, label-like words kept as text — first)."""
    total = dict.fromkeys(ROLES, 0)
    people: set[str] = set()
    for s in summaries.values():
        for role, k in s["roles"].items():
            total[role] += k
        people.update(
            v["participant"] for v in s["speakers"].values() if v["role"] != "interviewer"
        )
    n_turns = sum(total.values())
    head = (
        f"Read {len(summaries)} transcript{'s' if len(summaries) != 1 else ''}: {n_turns} turns "
        f"({total['interviewer']} interviewer, {total['participant']} participant, "
        f"{total['unknown']} unknown), {len(people)} participant{'s' if len(people) != 1 else ''}."
    )

    def check(s: Mapping[str, Any]) -> list[str]:
        notes = []
        if s["roles"]["unknown"]:
            notes.append("unknown speakers")
        if s["labelled"] and not s["roles"]["interviewer"]:
            notes.append("no interviewer")
        if not s["labelled"]:
            notes.append("no speaker labels")
        if s["kept_as_text"]:
            notes.append("kept as text: " + ", ".join(repr(k) for k in s["kept_as_text"][:3]))
        return notes

    order = sorted(summaries, key=lambda d: not check(summaries[d]))
    lines = [head]
    for doc in order[:max_files]:
        s = summaries[doc]
        who = " · ".join(
            f"{_shown(label)} ({v['role']}) {v['turns']}"
            for label, v in list(s["speakers"].items())[:6]
        )
        more = len(s["speakers"]) - 6
        notes = check(s)
        lines.append(
            f"  {_shown(doc)}: {s['turns']} turns — {who}"
            + (f" · {more} more speakers" if more > 0 else "")
            + (f"  [check: {'; '.join(notes)}]" if notes else "")
        )
    if len(order) > max_files:
        lines.append(f"  … {len(order) - max_files} more files in ev.meta['transcripts']")
    lines.append(
        'Fix roles with roles={"label": "interviewer"} (or "participant", "unknown", "text"); '
        "people are in ev.participants."
    )
    return "\n".join(lines)
