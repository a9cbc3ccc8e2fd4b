"""A cache of parsed decks, so the app starts without parsing (or even importing) Markdown.

Entries are keyed by the deck file's path, size and modification time, and the whole cache by a
fingerprint of the parser's own source files: editing a deck or upgrading quizapp re-parses. The
cache is plain JSON in the data directory, written atomically; a missing, stale or damaged cache
is ignored (never an error), so it can always be deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

from quizapp.core.content.model import Card, CardKind, Choice, Deck, Problem, Severity

_CARD_FIELDS = list(Card._fields)


def parser_fingerprint() -> str:
    """Changes whenever any module of the content package changes."""
    digest = hashlib.blake2b(digest_size=12)
    for source in sorted(Path(__file__).parent.glob("*.py")):
        try:
            st = source.stat()
        except OSError:
            continue
        digest.update(f"{source.name}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()


def _stamp(path: Path) -> list | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns]


class DeckCache:
    def __init__(self, file: Path) -> None:
        self.file = Path(file)
        self.fingerprint = parser_fingerprint()
        self._entries: dict[str, dict] = {}
        self._dirty = False
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if data.get("fingerprint") == self.fingerprint and isinstance(data.get("decks"), dict):
                self._entries = data["decks"]
        except (OSError, ValueError, AttributeError):
            pass

    def get(self, path: Path) -> Deck | None:
        entry = self._entries.get(str(path))
        if entry is None or entry.get("stamp") != _stamp(path):
            return None
        try:
            return deck_from_json(entry["deck"])
        except (KeyError, TypeError, ValueError):
            return None

    def put(self, path: Path, deck: Deck) -> None:
        stamp = _stamp(path)
        if stamp is not None:
            self._entries[str(path)] = {"stamp": stamp, "deck": deck_to_json(deck)}
            self._dirty = True

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".deck-cache-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump({"fingerprint": self.fingerprint, "decks": self._entries}, out, ensure_ascii=False)
            os.replace(tmp, self.file)
            self._dirty = False
        except OSError:
            pass  # a cache that cannot be written only costs start-up time


def deck_to_json(deck: Deck) -> dict:
    return {
        "id": deck.id, "title": deck.title, "path": str(deck.path), "tags": list(deck.tags),
        "notes": deck.notes, "options": deck.options, "failed": deck.failed, "sources": list(deck.sources),
        "problems": [p.to_json() for p in deck.problems],
        "cards": [_card_to_json(c) for c in deck.cards],
    }


def _card_to_json(card: Card) -> dict:
    out = {name: getattr(card, name) for name in _CARD_FIELDS}
    out["kind"] = str(card.kind)
    out["tags"] = list(card.tags)
    out["choices"] = [[c.text, c.correct] for c in card.choices]
    out["sources"] = list(card.sources)
    return out


def deck_from_json(data: dict) -> Deck:
    cards = []
    for raw in data["cards"]:
        values = dict(raw)
        values["kind"] = CardKind(values["kind"])
        values["tags"] = tuple(values["tags"])
        values["choices"] = tuple(Choice(text, bool(correct)) for text, correct in values["choices"])
        values["sources"] = tuple(values.get("sources", ()))
        cards.append(Card(**values))
    problems = [Problem(p["file"], p["line"], p["col"], Severity(p["severity"]), p["message"])
                for p in data["problems"]]
    return Deck(id=data["id"], title=data["title"], path=Path(data["path"]), tags=tuple(data["tags"]),
                cards=cards, notes=data["notes"], problems=problems, options=data["options"],
                failed=data["failed"], sources=tuple(data.get("sources", ())))
