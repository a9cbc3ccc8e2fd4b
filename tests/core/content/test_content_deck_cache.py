"""The parsed-deck cache: same decks as a fresh parse, re-parses edited files, survives damage."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

from quizapp.core.content.loader import load_library, shipped_decks_dir


def _cards(library):
    return [c.to_json() | {"explicit_id": c.explicit_id, "context": c.context} for c in library.cards]


def test_cached_library_equals_a_fresh_parse(tmp_path):
    cache = tmp_path / "decks.json"
    fresh = load_library([shipped_decks_dir()])
    first = load_library([shipped_decks_dir()], cache)
    assert cache.exists()
    second = load_library([shipped_decks_dir()], cache)
    assert _cards(second) == _cards(first) == _cards(fresh)
    assert [d.notes for d in second.decks] == [d.notes for d in fresh.decks]


def test_edited_deck_is_parsed_again(tmp_path):
    deck = tmp_path / "d.md"
    deck.write_text('+++\ndeck = "d"\n+++\n\n**Q: one?**\nA: 1\n', encoding="utf-8")
    cache = tmp_path / "decks.json"
    assert [c.back for c in load_library([deck], cache).cards] == ["1"]
    deck.write_text('+++\ndeck = "d"\n+++\n\n**Q: one?**\nA: one\n', encoding="utf-8")
    os.utime(deck, ns=(1, 10**18))  # a different mtime even on coarse file systems
    assert [c.back for c in load_library([deck], cache).cards] == ["one"]


def test_damaged_cache_is_ignored(tmp_path):
    cache = tmp_path / "decks.json"
    cache.write_bytes(b"\x00garbage{")
    assert load_library([shipped_decks_dir()], cache).cards


def test_warm_start_does_not_import_the_markdown_parser(tmp_path):
    cache = tmp_path / "decks.json"
    load_library([shipped_decks_dir()], cache)
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from quizapp.core.content.loader import load_library, shipped_decks_dir
        library = load_library([shipped_decks_dir()], Path({str(cache)!r}))
        print(len(library.cards), "markdown_it" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    count, imported = out.stdout.split()
    assert int(count) > 100 and imported == "False"
