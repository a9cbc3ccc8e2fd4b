"""Decks → an Anki package (.apkg) with genanki.

Every note's GUID comes from our card key (``genanki.guid_for(key)``; for ids imported from Anki,
``anki-…``, the original GUID), the note types are genanki's built-in ones (fixed model ids) and each
deck's Anki id is a hash of our deck id — so exporting again and importing into Anki updates the notes
instead of adding copies.

* glossary → "Basic (and reversed card)" (one note for the row; its reverse card is Anki's card 2);
* Q&A, comparison cells → Basic; multiple choice → Basic with the options on the front and the
  correct ones on the back; drill and gradient cards → Basic with the prompt and the answer formula
  (graded by quizapp only: Anki just shows the back);
* cloze → Cloze, one note per sentence: blanks ``{{x}}`` become ``{{c1::x}}``, ``{{c2::…}}`` ….

Card notes go under the back; tags are the deck's tags plus the card's section as a slug.
genanki is imported inside :func:`build_package`, so importing this module stays cheap.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.core.content.identity import slug
from quizapp.core.content.model import Card, CardKind, Deck
from quizapp.core.interop.anki_text import id_to_guid
from quizapp.core.interop.markdown_html import markdown_to_html, text_to_html

BASIC = "Basic"
REVERSED = "Basic (and reversed card)"
CLOZE = "Cloze"


@dataclass(slots=True)
class ExportNote:
    model: str  # BASIC, REVERSED or CLOZE
    fields: list[str]
    guid: str
    tags: list[str]
    key: str  # the card key the GUID was made from


@dataclass(slots=True)
class ExportSummary:
    decks: list[tuple[str, str, int]] = field(default_factory=list)  # (deck id, Anki name, notes)
    notes: list[ExportNote] = field(default_factory=list)

    def by_model(self) -> dict[str, int]:
        return dict(Counter(n.model for n in self.notes))

    def text(self) -> str:
        models = ", ".join(f"{m} {n}" for m, n in self.by_model().items())
        return f"{len(self.decks)} deck(s), {len(self.notes)} notes ({models or 'none'})"


def anki_deck_id(deck_id: str) -> int:
    """A stable Anki deck id for one of our decks (genanki's recommended range, 2^30 … 2^31)."""
    digest = int(hashlib.sha1(f"quizapp-deck:{deck_id}".encode()).hexdigest()[:8], 16)
    return (1 << 30) + digest % (1 << 30)


def note_guid(key: str, explicit_id: str | None) -> str:
    import genanki

    original = id_to_guid(explicit_id) if explicit_id else None
    return original or genanki.guid_for(key)


def _tags(deck: Deck, card: Card) -> list[str]:
    tags = ["_".join(t.split()) for t in deck.tags if t.strip()]
    section = slug(card.section)
    if section and section not in tags:
        tags.append(section)
    return tags


def _with_note(back_html: str, note: str) -> str:
    return back_html + (f'<br><br><div class="note">{markdown_to_html(note)}</div>' if note.strip() else "")


def _spec(card: Card) -> dict:
    try:
        return tomllib.loads(card.spec) if card.spec else {}
    except tomllib.TOMLDecodeError:
        return {}


def cloze_text(cards: list[Card]) -> str:
    """The sentence of a cloze group with its blanks as ``{{c1::…}}``, ``{{c2::…}}`` … (Markdown)."""
    context = cards[0].context
    spans = []
    for n, card in enumerate(cards, 1):
        span = _blank_span(card, context)
        if span is None:
            return ""
        spans.append((span[0], span[1], n, card.back, span[2]))
    out, pos = [], 0
    for start, end, n, answer, hint in sorted(spans):
        if start < pos:
            return ""
        out.append(context[pos:start])
        out.append(f"{{{{c{n}::{answer}{'::' + hint if hint else ''}}}}}")
        pos = end
    out.append(context[pos:])
    return "".join(out)


def _blank_span(card: Card, context: str) -> tuple[int, int, str] | None:
    """Where ``card``'s blank sits in the filled sentence: (start, end, hint). The front is the
    sentence with this blank shown as ``[…]``/``[hint]`` and the others filled, so exactly one
    bracket of the front, replaced by the answer, gives the context back.

    Linear: front and context must share the text before the bracket and after it, so the bracket's
    end follows from its start, and the common prefix and suffix are measured once."""
    front, answer = card.front, card.back
    extra = len(front) - len(context) + len(answer)  # length of the bracket, "[" and "]" included
    if extra < 2:
        return None
    prefix = _common_prefix(front, context)
    suffix = _common_prefix(front[::-1], context[::-1])
    i = front.find("[")
    while 0 <= i <= prefix:
        j = i + extra - 1
        if (j < len(front) and front[j] == "]" and len(front) - j - 1 <= suffix
                and context.startswith(answer, i)):
            hint = front[i + 1 : j]
            return i, i + len(answer), "" if hint == "…" else hint
        i = front.find("[", i + 1)
    return None


def _common_prefix(a: str, b: str) -> int:
    """Length of the longest common prefix of ``a`` and ``b`` (by halving: C-speed comparisons)."""
    lo, hi = 0, min(len(a), len(b))
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def deck_notes(deck: Deck) -> list[ExportNote]:
    notes: list[ExportNote] = []
    forward = {(c.file, c.line) for c in deck.cards if c.kind is CardKind.GLOSSARY}
    cards = deck.cards
    k = 0
    while k < len(cards):
        card = cards[k]
        tags = _tags(deck, card)
        guid = note_guid(card.key, card.explicit_id)
        kind = card.kind
        if kind is CardKind.CLOZE:
            group = [card]
            while (k + 1 < len(cards) and cards[k + 1].kind is CardKind.CLOZE
                   and cards[k + 1].context == card.context and cards[k + 1].file == card.file
                   and _same_sentence(card, cards[k + 1])):
                k += 1
                group.append(cards[k])
            text = cloze_text(group)
            if text:
                notes.append(ExportNote(CLOZE, [markdown_to_html(text), ""], guid, tags, card.key))
            else:  # a sentence whose blanks cannot be placed: one Basic note per blank
                for c in group:
                    notes.append(ExportNote(BASIC, [markdown_to_html(c.front), markdown_to_html(c.back)],
                                            note_guid(c.key, c.explicit_id), _tags(deck, c), c.key))
        elif kind is CardKind.GLOSSARY:
            notes.append(ExportNote(REVERSED, [markdown_to_html(card.front), markdown_to_html(card.back)],
                                    guid, tags, card.key))
        elif kind is CardKind.GLOSSARY_REVERSE and (card.file, card.line) in forward:
            pass  # Anki's card 2 of the row's note
        elif kind is CardKind.MCQ:
            options = "".join(f"<li>{markdown_to_html(c.text)}</li>" for c in card.choices)
            right = "".join(f"<li>{chr(65 + i)}. {markdown_to_html(card.choices[i].text)}</li>"
                            for i in card.correct_choices)
            front = f'{markdown_to_html(card.front)}<ol type="A">{options}</ol>'
            notes.append(ExportNote(BASIC, [front, _with_note(f"<ul>{right}</ul>", card.note)], guid, tags, card.key))
        elif kind in (CardKind.DRILL, CardKind.GRADIENT):
            spec = _spec(card)
            if kind is CardKind.DRILL:
                back = f"<code>{text_to_html(card.back)}</code>"
                extra = spec.get("explanation") if isinstance(spec.get("explanation"), str) else ""
            else:
                back = text_to_html(card.back)
                extra = ""
            back += "<br><small>(graded by quizapp; here you grade yourself)</small>"
            notes.append(ExportNote(BASIC, [markdown_to_html(card.front), _with_note(back, extra or card.note)],
                                    guid, tags, card.key))
        else:  # Q&A, comparison cells, a lone reverse glossary card
            notes.append(ExportNote(BASIC, [markdown_to_html(card.front), _with_note(markdown_to_html(card.back), card.note)],
                                    guid, tags, card.key))
        k += 1
    return notes


def _same_sentence(a: Card, b: Card) -> bool:
    """Blanks 2, 3 … of ``a``'s sentence: same id (``<id>:2``), or both without one on the same line span."""
    if a.explicit_id is not None or b.explicit_id is not None:
        return a.explicit_id is not None and b.key.startswith(a.key + ":")
    return b.line >= a.line


def build_package(decks: list[Deck]):
    """(genanki.Package, ExportSummary) for ``decks`` (failed decks are left out)."""
    import genanki

    models = {BASIC: genanki.BASIC_MODEL, REVERSED: genanki.BASIC_AND_REVERSED_CARD_MODEL, CLOZE: genanki.CLOZE_MODEL}
    summary = ExportSummary()
    out = []
    for deck in decks:
        if deck.failed:
            continue
        name = deck.title or deck.id
        gdeck = genanki.Deck(anki_deck_id(deck.id), name, description=f"quizapp deck {deck.id}")
        notes = deck_notes(deck)
        for n in notes:
            gdeck.add_note(genanki.Note(model=models[n.model], fields=n.fields, guid=n.guid, tags=n.tags))
        summary.decks.append((deck.id, name, len(notes)))
        summary.notes += notes
        out.append(gdeck)
    return genanki.Package(out), summary


def write_apkg(decks: list[Deck], path: Path) -> ExportSummary:
    """Write the package to ``path`` atomically (:func:`quizapp.core.user_files.user_file_writer`:
    a temporary file in the same folder, fsync, rename); raises UserFileError when it cannot."""
    from quizapp.core.user_files import user_file_writer

    package, summary = build_package(decks)
    with user_file_writer(Path(path), make_parents=True) as out:
        package.write_to_file(out)
    return summary
