"""An Anki package (.apkg) → one Markdown deck per top-level Anki deck, plus its media.

* Subdecks become sections (``## Child — Grandchild``); notes are grouped by deck, in note order.
* Note types: Basic and custom types (field 1 → question, field 2 → answer, the rest → the card's
  note); Basic (and reversed card): a second Q&A card per reverse card the note has in Anki (its
  front is the field the template shows first, id ``anki-<guid>_rv``); other templates whose front
  cannot be told → the first card only, with a notice; Cloze (``{{c1::x::hint}}`` → ``{{x::hint}}``, Back Extra kept under the sentence);
  types whose template asks ``{{type:…}}`` → the deck gets ``typed = true`` (when all its Q&A notes
  are type-in; a mixed deck is not typed, with a notice).
* HTML → Markdown with :mod:`html_markdown`; MathJax ``\\(…\\)`` / ``\\[…\\]`` is kept as LaTeX.
* Media: ``<img src>`` → ``[Image](<deck>.media/<name>)``, ``[sound:x]`` → ``[Sound: x](<deck>.media/x)``;
  the files are extracted into ``<deck>.media/`` beside the deck, names sanitised (no folders, no
  ``..``, no control characters).
* Each card's id is ``anki-<guid>`` (see :func:`anki_text.guid_to_id`), so importing an updated
  package again rewrites the same cards (same keys: their history stays).

:func:`plan_apkg` reads and converts everything (each deck checked by our own parser) before
:func:`write_plan` writes anything.
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from quizapp.core.content.identity import VALID_ID, slug
from quizapp.core.content.loader import MAX_DECK_BYTES
from quizapp.core.interop.anki_text import cloze_to_ours, guid_to_id
from quizapp.core.interop.apkg_package import ApkgError, Collection, Note, NoteType, Package
from quizapp.core.interop.deckwriter import DeckWriter, ImportResult
from quizapp.core.interop.html_markdown import html_to_markdown

_CLOZE = re.compile(r"\{\{c\d+::")
_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.DOTALL)
_IMG_SRC = re.compile(r"""(<img\b[^>]*?\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
_SOUND = re.compile(r"\[sound:([^\]\n]+)\]")
_UNSAFE = re.compile(r"[^A-Za-z0-9._ ()+-]")
_PLACEHOLDER = "QZMATHX{}X"


class _Writer(DeckWriter):
    typed = False

    def text(self) -> str:
        out = super().text()
        if self.typed:
            out = out.replace("\n# imported from", "\ntyped = true\n# imported from", 1)
        return out


@dataclass(slots=True)
class DeckPlan:
    deck_id: str
    path: Path
    result: ImportResult
    media_dir: Path
    media: dict[str, str] = field(default_factory=dict)  # zip member → sanitised file name
    card_keys: dict[int, str] = field(default_factory=dict)  # Anki card id → our card key
    reverse_ids: dict[int, str] = field(default_factory=dict)  # Anki card id of a reverse card → our id


@dataclass(slots=True)
class Plan:
    decks: list[DeckPlan]
    notes: int
    cards: int
    notices: list[str]
    suspended: set[int] = field(default_factory=set)  # Anki card ids with queue −1
    buried: set[int] = field(default_factory=set)  # Anki card ids with queue −2/−3 (buried)


def safe_media_name(name: str) -> str:
    """A media name as a plain file name: no folders, no leading dots, only safe characters."""
    base = name.replace("\\", "/").split("/")[-1]
    base = _UNSAFE.sub("_", base).strip(" ").lstrip(".")
    if len(base) > 120:
        stem, dot, ext = base.rpartition(".")
        base = (stem[:100] + dot + ext[:16]) if dot else base[:120]
    return base or "media"


def _deck_slug(name: str) -> str:
    s = slug(name)[:60].strip("-")
    return s if s and VALID_ID.match(s) else "anki-deck"


def plan_apkg(package: Package, col: Collection, out_dir: Path, *, deck_id: str | None = None,
              title: str | None = None) -> Plan:
    media_names = package.media_names()  # member → name used in the notes
    by_name = {name: member for member, name in media_names.items()}
    first_card: dict[int, int] = {}
    for c in col.cards:
        first_card.setdefault(c.nid, c.did)
    groups: dict[str, list[tuple[str, Note]]] = {}
    for note in col.notes:
        name = col.decks.get(first_card.get(note.id, -1), "Default")
        top, _, rest = name.partition("::")
        groups.setdefault(top, []).append((rest, note))
    if (deck_id or title) and len(groups) > 1:
        raise ApkgError(f"the package holds {len(groups)} decks; --deck and --title need a package with one")
    cards_of: dict[int, list] = {}
    for c in col.cards:
        cards_of.setdefault(c.nid, []).append(c)
    plans, notices, used = [], [], set()
    for top in sorted(groups):
        did = deck_id or _deck_slug(top)
        base, n = did, 2
        while did in used:
            did, n = f"{base}-{n}", n + 1
        used.add(did)
        notes = sorted(groups[top], key=lambda x: (x[0], x[1].id))
        plans.append(_plan_deck(did, title or top, package.path.name, notes, col.notetypes, cards_of,
                                out_dir, by_name, notices))
    suspended = {c.id for c in col.cards if c.queue == -1}
    buried = {c.id for c in col.cards if c.queue in (-2, -3)}
    return Plan(plans, len(col.notes), sum(len(p.result.deck.cards) for p in plans), notices, suspended, buried)


def _plan_deck(did: str, title: str, source: str, notes: list[tuple[str, Note]],
               types: dict[int, NoteType], cards_of: dict[int, list], out_dir: Path,
               by_name: dict[str, str], notices: list[str]) -> DeckPlan:
    w = _Writer(did, title, source)
    plan = DeckPlan(did, out_dir / f"{did}.md", None, out_dir / f"{did}.media")  # type: ignore[arg-type]
    folder = plan.media_dir.name
    missing: set[str] = set()
    typed = plain = reversed_ = 0
    ids: dict[str, tuple[Note, bool]] = {}
    size = counted = 0
    for section, note in notes:
        nt = types.get(note.mid, NoteType("", [], False))
        if section:  # notes in the top deck itself come first, under no heading
            w.heading(section.replace("::", " — "))
        fields = [_field(f, folder, by_name, plan.media, missing) for f in note.fields]
        card_id = guid_to_id(note.guid) if note.guid else None
        if card_id and card_id in w.ids:
            w.notices.append(f"note {note.id}: GUID {note.guid!r} used twice; the second note gets a new id")
            card_id = None
        is_cloze = nt.cloze or (not nt.name and bool(_CLOZE.search(note.fields[0] if note.fields else "")))
        if is_cloze:
            if not fields or not _CLOZE.search(fields[0].replace("{\\{", "{{")):
                w.skip(0, 0, f"cloze note {note.id} without {{{{c1::…}}}} blanks", fields[0] if fields else "")
                continue
            sentence, _ = cloze_to_ours(fields[0])
            extra = "\n\n".join(x for x in fields[1:] if x.strip())
            if not w.cloze(sentence, 0, card_id=card_id, after=extra):
                w.skip(0, 0, f"cloze note {note.id}: blanks only inside code", fields[0])
                continue
        else:
            if len(fields) < 2 or not fields[0].strip() or not fields[1].strip():
                w.skip(0, 0, f"note {note.id} without a question or answer", fields[0] if fields else "")
                continue
            if nt.typed:
                typed += 1
            else:
                plain += 1
            w.qa(fields[0], fields[1], 0, card_id=card_id,
                 note="\n\n".join(x for x in fields[2:] if x.strip()))
            if nt.templates > 1 or "reverse" in nt.name.lower():
                if not _reverse_cards(w, plan, nt, note, fields, card_id, cards_of.get(note.id, [])):
                    reversed_ += 1
        if card_id:
            ids[card_id] = (note, is_cloze)
        if len(w.parts) > counted:  # stop early: a deck past the size limit is refused anyway
            size += sum(len(p) + 2 for p in w.parts[counted:])
            counted = len(w.parts)
            if size > MAX_DECK_BYTES:
                _too_big(title)
    w.typed = typed > 0 and plain == 0
    if typed and plain:
        w.notices.append(f"{typed} type-in note(s) mixed with {plain} other Q&A note(s): the deck is not typed")
    if reversed_:
        w.notices.append(f"{reversed_} note(s) with several card templates imported as their first card only "
                         "(the other templates' fronts could not be told)")
    if missing:
        w.notices.append(f"{len(missing)} media file(s) referred to but not in the package: "
                         + ", ".join(sorted(missing)[:5]))
    if len(w.text().encode("utf-8")) > MAX_DECK_BYTES:
        _too_big(title)
    plan.result = w.finish(plan.path.name)
    notices += [f"{did}: {n}" for n in w.notices]
    _map_cards(plan, ids, cards_of)
    return plan


def _reverse_cards(w: _Writer, plan: DeckPlan, nt: NoteType, note: Note, fields: list[str],
                   card_id: str | None, anki_cards: list) -> bool:
    """A second Q&A card for each of the note's Anki cards past the first whose template shows another
    field first (Basic (and reversed card): Back → Front). False when some card's front cannot be told."""
    told = True
    front0 = nt.fronts[0] if nt.fronts and nt.fronts[0] is not None else 0
    for c in sorted(anki_cards, key=lambda c: c.ord):
        if c.ord == 0:
            continue
        k = nt.fronts[c.ord] if c.ord < len(nt.fronts) else None
        if k is None or k == front0 or k >= len(fields) or not fields[k].strip():
            told = False
            continue
        rid = f"{card_id}_rv{'' if c.ord == 1 else c.ord}" if card_id else None
        rid = w.qa(fields[k], fields[front0], 0, card_id=rid)
        plan.reverse_ids[c.id] = rid
    return told


def _too_big(title: str) -> None:
    raise ApkgError(f"the Anki deck {title!r} would make a deck file over {MAX_DECK_BYTES >> 20} MB, more than "
                    "quizapp reads; split it into smaller decks in Anki; nothing written")


def _map_cards(plan: DeckPlan, ids: dict[str, tuple[Note, bool]], cards_of: dict[int, list]) -> None:
    """Anki card → our key: a Q&A note's first card; a cloze note's card ``ord`` → its blank cN."""
    keys: dict[str, list[str]] = {}
    for card in plan.result.deck.cards:
        head = card.key.split(":")
        if len(head) >= 2:
            keys.setdefault(head[1], []).append(card.key)
    for anki_id, our_id in plan.reverse_ids.items():
        if our_id in keys:
            plan.card_keys[anki_id] = keys[our_id][0]
    for cid, (note, is_cloze) in ids.items():
        ours = keys.get(cid, [])
        anki = sorted(cards_of.get(note.id, []), key=lambda c: c.ord)
        if not is_cloze:
            if ours and anki:
                plan.card_keys[anki[0].id] = ours[0]
            continue
        order = []  # cN in the order our blanks appear
        for m in re.finditer(r"\{\{c(\d+)::", note.fields[0] if note.fields else ""):
            order.append(int(m.group(1)))
        for c in anki:
            if c.ord + 1 in order and order.index(c.ord + 1) < len(ours):
                plan.card_keys[c.id] = ours[order.index(c.ord + 1)]


def _field(raw: str, folder: str, by_name: dict[str, str], media: dict[str, str], missing: set[str]) -> str:
    """One Anki field (HTML) as Markdown: maths kept, media pointed at the deck's media folder."""
    maths: list[str] = []

    def keep(m: re.Match) -> str:
        inline = m.group(1) is not None
        body = html.unescape(m.group(1) if inline else m.group(2)).replace("\n", " ")
        maths.append(f"\\({body}\\)" if inline else f"\\[{body}\\]")
        return _PLACEHOLDER.format(len(maths) - 1)

    def ref(name: str) -> str | None:
        name = html.unescape(name)
        member = by_name.get(name)
        if member is None:
            missing.add(name)
            return None
        if member not in media:
            safe, n = safe_media_name(name), 2
            stem, dot, ext = safe.rpartition(".")
            taken = {v.lower() for v in media.values()}
            while safe.lower() in taken:
                safe = f"{stem}-{n}{dot}{ext}" if dot else f"{safe}-{n}"
                n += 1
            media[member] = safe
        return f"{folder}/{media[member]}"

    def img(m: re.Match) -> str:
        target = ref(m.group(2) or m.group(3) or m.group(4) or "")
        return m.group(0) if target is None else f'{m.group(1)}"{html.escape(target)}"'

    def sound(m: re.Match) -> str:
        target = ref(m.group(1))
        label = html.escape(m.group(1))
        return f"(sound: {label})" if target is None else f'<a href="{html.escape(target)}">Sound: {label}</a>'

    text = _MATH.sub(keep, raw)
    text = _SOUND.sub(sound, _IMG_SRC.sub(img, text))
    md = html_to_markdown(text)
    return re.sub(r"QZMATHX(\d+)X", lambda m: maths[int(m.group(1))], md)


def existing_is_ours(path: Path) -> bool:
    """True when ``path`` is a deck this importer wrote from a package (re-import may replace it)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8", "replace")
    except OSError:
        return False
    return bool(re.search(r"^# imported from .*\.apkg by `quizapp import`$", head, re.MULTILINE | re.IGNORECASE))


def write_plan(package: Package, plan: Plan, out_dir: Path) -> int:
    """Media first, unpacked into a hidden staging folder in ``out_dir`` (a failure there — a zip
    bomb found while unpacking, a full disk — removes it and writes nothing), then moved into each
    deck's media folder, then the decks (each whole or not at all). Returns media files written."""
    import shutil
    import tempfile

    from quizapp.core.user_files import UserFileError, user_file_writer, write_user_file

    zstd = package.kind == "collection.anki21b"
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".quizapp-import-", dir=out_dir))
    except OSError as error:
        raise UserFileError(out_dir, f"cannot create the folder: {error.strerror or error}") from None
    written = 0
    try:
        for k, deck in enumerate(plan.decks):
            for member, name in deck.media.items():
                with user_file_writer(staging / str(k) / name, make_parents=True) as out:
                    for chunk in package.member_chunks(member, zstd=zstd):
                        out.write(chunk)
        for k, deck in enumerate(plan.decks):
            if deck.media:
                deck.media_dir.mkdir(parents=True, exist_ok=True)
            for name in deck.media.values():
                os.replace(staging / str(k) / name, deck.media_dir / name)
                written += 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    for deck in plan.decks:
        write_user_file(deck.path, deck.result.text.encode("utf-8"), make_parents=True)
    return written
