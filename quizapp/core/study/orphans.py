"""Progress that survives editing: carrying history over to reworded cards, and listing orphans.

A card without an ``<!-- id: … -->`` is keyed by its normalised front, so rewording the front gives
it a new key. Its old key then has history but no card (an *orphan*) and the reworded card has a key
without history. :func:`carry_over` pairs them up and logs a ``rename`` event for each pair (see
``Collection.rename_keys``), so the review history continues under the new key. The rules:

* explicit ids always win: a card whose key already has history is never a target, and orphans
  keyed by an explicit id are never matched by their front (their front is not in the key);
* only within one deck and one card kind, and only orphans of decks that are loaded;
* the normalised fronts (from the orphan's key; from the card's front, or a reverse glossary
  card's term) must be at least :data:`THRESHOLD` similar: the larger of difflib's ratio and the
  Jaccard index of their words;
* one-to-one, best match first (ties: the card earlier in the deck, then the key).

A removed card's history stays an orphan, never deleted; :func:`find_orphans` lists them.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from quizapp.core.clock import Clock, utcnow
from quizapp.core.content.library import Library
from quizapp.core.content.model import Card, CardKind
from quizapp.core.srs.store import Collection

THRESHOLD = 0.8
_KINDS = frozenset(str(k) for k in CardKind)
_FRONTED = frozenset({CardKind.GLOSSARY, CardKind.GLOSSARY_REVERSE, CardKind.COMPARISON, CardKind.QA,
                      CardKind.MCQ, CardKind.CLOZE})  # drill and gradient cards always have ids


class Rename(NamedTuple):
    """``card`` (key ``new_key``) continues the history of ``old_key``."""

    old_key: str
    new_key: str
    card: Card
    old_front: str  # the normalised front in the old key (the original wording is not stored)
    score: float

    def note(self) -> str:
        """The line ``quizapp check`` prints: ``file:line:col: note: card '…' continues …``."""
        c = self.card
        return (f"{c.file}:{c.line}:{c.col}: note: card '{_short(c.front)}' continues the history "
                f"of '{_short(self.old_front)}'")

    def to_json(self) -> dict:
        c = self.card
        return {"old_key": self.old_key, "new_key": self.new_key, "file": c.file, "line": c.line,
                "col": c.col, "front": c.front, "old_front": self.old_front, "score": round(self.score, 3)}


class Orphan(NamedTuple):
    """History whose card is in no loaded deck (kept, never deleted)."""

    key: str
    deck: str
    reviews: int  # reviews in effect (undone ones excluded), its renamed-from keys' included
    last_review: datetime | None
    events: int  # every log row of its history (reviews, suspends, quiz answers …)

    def to_json(self) -> dict:
        return {"key": self.key, "deck": self.deck, "reviews": self.reviews, "events": self.events,
                "last_review": self.last_review.isoformat() if self.last_review else None}


def _short(text: str, width: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def implicit_parts(key: str) -> tuple[str, str, str] | None:
    """(deck, kind, normalised front) of an implicit key ``<deck>:<kind>:<front>``, else None.
    (A duplicate front's ``:2`` suffix stays part of the front.)"""
    parts = key.split(":", 2)
    if len(parts) == 3 and parts[1] in _KINDS and parts[2]:
        return parts[0], parts[1], parts[2]
    return None


def identity_front(card: Card) -> str:
    """What the card's implicit key would be made of (a reverse glossary card is named by its term)."""
    from quizapp.core.content.identity import normalise

    return normalise(card.back if card.kind is CardKind.GLOSSARY_REVERSE else card.front)


def similarity(a: str, b: str) -> float:
    """The larger of the words' Jaccard index and difflib's ratio of two normalised fronts."""
    if a == b:
        return 1.0
    wa, wb = set(a.split()), set(b.split())
    jaccard = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    if jaccard >= THRESHOLD:
        return jaccard
    from difflib import SequenceMatcher

    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.real_quick_ratio() < THRESHOLD or m.quick_ratio() < THRESHOLD:
        return jaccard
    return max(jaccard, m.ratio())


def match_renames(known: set[str], library: Library) -> list[Rename]:
    """The renames :func:`carry_over` would log, given the keys with history (pure: no writes)."""
    cards = library.cards
    current = {c.key for c in cards}
    orphans: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for key in sorted(known - current):
        parts = implicit_parts(key)
        if parts is not None and library.deck(parts[0]) is not None:
            orphans[parts[0], parts[1]].append((key, parts[2]))
    if not orphans:
        return []
    pairs: list[tuple[float, int, str, str, Card]] = []
    for position, card in enumerate(cards):
        group = orphans.get((card.deck, str(card.kind)))
        if not group or card.key in known or card.kind not in _FRONTED:
            continue
        front = identity_front(card)
        for key, old_front in group:
            score = similarity(front, old_front)
            if score >= THRESHOLD:
                pairs.append((-score, position, key, old_front, card))
    pairs.sort(key=lambda p: p[:3])
    taken_old: set[str] = set()
    taken_new: set[str] = set()
    renames = []
    for neg, _position, key, old_front, card in pairs:
        if key in taken_old or card.key in taken_new:
            continue
        taken_old.add(key)
        taken_new.add(card.key)
        renames.append(Rename(key, card.key, card, old_front, -neg))
    return sorted(renames, key=lambda r: (r.card.file, r.card.line, r.card.col))


def find_renames(collection: Collection, library: Library) -> list[Rename]:
    """The renames :func:`carry_over` would log now (one query: the keys with history)."""
    return match_renames(collection.known_keys(), library)


def carry_over(collection: Collection, library: Library) -> list[Rename]:
    """Log a ``rename`` for every reworded card matched to its orphaned history; returns them.

    Cheap when the decks did not change: orphans only appear when cards leave the decks, so the
    keys of the decks last reconciled are remembered as a digest (the collection's ``meta``) and,
    while it matches, nothing is queried. Otherwise one query reads the keys with history. A pair
    that became invalid meanwhile (another process renamed first) is skipped."""
    digest = _keys_digest(library)
    if collection.meta(DIGEST_META) == digest:
        return []
    known = collection.known_keys()
    renames = match_renames(known, library)
    done: set[str] = set()
    if renames:
        entries = collection.rename_keys({r.old_key: r.new_key for r in renames}, skip_invalid=True)
        done = {e.card_key for e in entries}
    if known:  # (an empty log is cheap to ask again; a new collection is not written at start-up)
        collection.set_meta(DIGEST_META, digest)
    return [r for r in renames if r.new_key in done]


DIGEST_META = "carry_over_keys"


def _keys_digest(library: Library) -> str:
    """A digest of the loaded decks' ids and card keys (a few ms for 50 000 cards)."""
    text = "\1".join(f"{d.id}\0" + "\0".join([c.key for c in d.cards]) for d in library.decks if not d.failed)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def find_orphans(collection: Collection, library: Library, decks: set[str] | None = None) -> list[Orphan]:
    """Keys with history that no loaded card has, sorted by key; only those of ``decks`` if given."""
    current = {c.key for c in library.cards}
    out = []
    for key in sorted(collection.known_keys() - current):
        deck = key.split(":", 1)[0]
        if decks is not None and deck not in decks:
            continue
        history = collection.history(key)
        undone = {e.undoes for e in history if e.kind == "undo"}
        reviews = [e for e in history if e.kind == "review" and e.id not in undone]
        last = max((e.reviewed_at for e in reviews), default=None)
        out.append(Orphan(key, deck, len(reviews), last, len(history)))
    return out


def open_read_only(path: Path, clock: Clock = utcnow) -> Collection | None:
    """The collection at ``path`` for reading only (``quizapp check``): the file itself, opened
    read-only, when it has the current schema; otherwise an in-memory copy upgraded to the current
    schema (the file is never migrated by a check). None when there is none or it cannot be read."""
    from quizapp.core.srs import migrations

    from quizapp.core.srs.readonly import connect_read_only

    path = Path(path)
    if not path.is_file():
        return None
    try:  # never creates anything beside the file (no -wal/-shm next to a damaged collection)
        source = connect_read_only(path, timeout=5, check_same_thread=False)
    except sqlite3.Error:
        return None
    copy: Collection | None = None
    try:
        if migrations.schema_version(source) == migrations.LATEST_VERSION:
            source.execute("SELECT COUNT(*) FROM sqlite_schema").fetchone()  # unreadable: raises here
            reader, source = Collection.reading(source, path, clock), None  # the reader owns the connection
            return reader
        copy = Collection(":memory:", clock, patience=5)  # an older schema: upgrade a copy, not the file
        source.backup(copy.connection)
        copy.schema_version = migrations.apply_migrations(copy.connection)
        return copy
    except (sqlite3.Error, RuntimeError):
        if copy is not None:
            copy.close()
        return None
    finally:
        if source is not None:
            source.close()


def history_report(collection_path: Path, library: Library, *, orphans: bool,
                   decks: set[str] | None = None) -> tuple[list[str], dict]:
    """What ``quizapp check`` adds from the collection (read-only): a ``note:`` line per card that
    continues an orphaned history, and with ``orphans`` the orphans of ``decks`` (all if None).
    Returns (text lines, JSON object); both empty-ish when there is no collection. A collection that
    cannot be read (damaged, …) is never "0 orphans": the JSON has ``problem`` (a
    :func:`~quizapp.core.srs.health.diagnose` code) and ``error``, the lines say what is wrong."""
    from quizapp.core.srs.health import Health, damage_in, diagnose

    health = diagnose(collection_path)  # read-only: creates nothing beside the file
    if health.problem in ("missing", "empty"):
        lines = [f"no collection at {collection_path}: no orphans"] if orphans else []
        return lines, {"collection": None}
    renames: list[Rename] = []
    found: list[Orphan] = []
    collection = open_read_only(collection_path) if health.ok else None
    if health.ok and collection is None:
        health = Health(False, "unreadable", "SQLite could not open it for reading.", collection_path)
    if collection is not None:
        try:
            renames = find_renames(collection, library)
            found = find_orphans(collection, library, decks) if orphans else []
        except sqlite3.DatabaseError as error:  # broken pages the start-up check did not read
            health = damage_in(error, collection_path) or Health(
                False, "unreadable", f"SQLite says: {error}.", collection_path)
        finally:
            collection.close()
    if not health.ok:
        message = f"cannot read the collection {collection_path}: {health.message()}"
        return ([f"error: {message}"] if orphans else []), {
            "collection": str(collection_path), "problem": health.problem, "error": message}
    lines = [r.note() for r in renames]
    data: dict = {"collection": str(collection_path), "renames": [r.to_json() for r in renames]}
    if orphans:
        data["orphans"] = [o.to_json() for o in found]
        lines.append(f"{len(found)} orphan{'s' * (len(found) != 1)} (history kept, in no loaded deck)"
                     + (":" if found else ""))
        width = max((len(o.key) for o in found), default=0)
        continued = {r.old_key: r for r in renames}
        for o in found:
            last = o.last_review.strftime("%Y-%m-%d %H:%M") if o.last_review else "never reviewed"
            line = f"  {o.key.ljust(width)}  last review {last}  {o.reviews} review{'s' * (o.reviews != 1)}"
            if o.key in continued:
                card = continued[o.key].card
                line += f"  (continued by {card.file}:{card.line} when the app next starts)"
            lines.append(line)
    return lines, data
