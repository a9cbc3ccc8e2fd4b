"""Small files that used to cost quadratic work (issue 13, items 2 and 3): a cloze sentence with
thousands of blanks (78 s / 780 MB for 64 KB), front matter with thousands of unknown keys (8000:
10.5 s, 100k: hang), and deeply nested HTML in an import (RecursionError). Each is scaled to run in a
second or two with a bound a quadratic version misses by far."""

from __future__ import annotations

import time

from quizapp.cli import main
from quizapp.core.content import cloze
from quizapp.core.content.identity import normalise
from quizapp.core.content.loader import load_library
from quizapp.core.content.parser import parse_deck
from quizapp.core.interop.anki_text import import_anki_text
from quizapp.core.interop.html_markdown import MAX_DEPTH, html_to_markdown


def run(argv, capsys):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def timed(fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return result, time.perf_counter() - start


# ---- cloze ------------------------------------------------------------------------------------

def cloze_deck(sentence: str) -> str:
    return '+++\ndeck = "c"\n+++\n\nIntro paragraph.\n\n' + sentence + "\n"


def test_8000_blanks_in_one_sentence_check_and_load_quickly_with_a_located_warning(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    deck_file = tmp_path / "c.md"
    deck_file.write_text(cloze_deck("a {{b}} " * 8000), encoding="utf-8")  # 64 KB, one paragraph

    (code, out, err), seconds = timed(run, ["check", str(deck_file)], capsys)
    assert code == 0 and "Traceback" not in err
    assert seconds < 2.0  # was 78 s
    (warning,) = [line for line in out.splitlines() if "warning:" in line]
    asked = cloze.asked_blanks(8000, len("a b " * 8000) - 1)
    # located at the first blank that is not asked: line 7, column of its "{{"
    assert warning.startswith(f"{deck_file}:7:{8 * asked + 3}: warning: cloze sentence has 8,000 blanks")
    assert f"only the first {asked} become cards" in warning and "split it" in warning
    assert f"1 deck, {asked} cards: 0 errors, 1 warning" in out

    # loading (what the app does, through the deck cache) is as quick, parsed and cached
    cache = tmp_path / "cache.json"
    library, seconds = timed(load_library, [deck_file], cache_file=cache)
    assert seconds < 2.0 and len(library.cards) == asked
    again, seconds = timed(load_library, [deck_file], cache_file=cache)
    assert seconds < 2.0 and [c.key for c in again.cards] == [c.key for c in library.cards]
    # one sentence's cards never hold more than about MAX_FRONT_CHARS of text
    assert sum(len(c.front) for c in library.cards) <= cloze.MAX_FRONT_CHARS + len(library.cards) * 8


def test_blanks_beyond_the_cap_are_filled_in_and_the_asked_cards_keep_their_keys():
    n = cloze.MAX_BLANKS + 5
    sentence = " ".join(f"w{i} {{{{a{i}}}}}" for i in range(n)) + "."
    deck = parse_deck(cloze_deck(sentence), "c.md")
    assert [c.back for c in deck.cards] == [f"a{i}" for i in range(cloze.MAX_BLANKS)]
    first = deck.cards[0]
    filled = " ".join(f"w{i} a{i}" for i in range(n)) + "."
    assert first.context == filled
    assert first.front == filled.replace("a0", "[…]", 1)  # the blanks not asked are shown filled in
    assert first.key == "c:cloze:" + normalise(first.front)  # identity: the normalised front, as before
    (warning,) = deck.warnings
    col = sentence.index(f"{{{{a{cloze.MAX_BLANKS}}}}}") + 1
    assert (warning.line, warning.col) == (7, col)
    assert f"has {n} blanks; only the first {cloze.MAX_BLANKS} become cards" in warning.message


def test_a_sentence_under_the_cap_is_unchanged():
    deck = parse_deck(cloze_deck("Dead neurons output {{0}} and {{never::when?}} recover."), "c.md")
    assert [(c.front, c.back, c.col) for c in deck.cards] == [
        ("Dead neurons output […] and never recover.", "0", 21),
        ("Dead neurons output 0 and [when?] recover.", "never", 31),
    ]
    assert deck.problems == []


def test_a_paragraph_of_many_lines_is_capped_by_its_length_and_located():
    text = "\n".join(f"  line {i} has {{{{b{i}}}}} and {{{{c{i}}}}}" for i in range(20000))  # ~0.6 MB
    deck, seconds = timed(parse_deck, cloze_deck("Start:\n" + text), "c.md")
    assert seconds < 2.0
    assert len(deck.cards) == 1  # its filled text is longer than MAX_FRONT_CHARS: one card
    (warning,) = deck.warnings
    assert (warning.line, warning.col) == (8, 25)  # the second blank, "{{c0}}", on the paragraph's 2nd line
    assert "40,000 blanks" in warning.message and "only the first 1 become" in warning.message


def test_a_list_of_many_cloze_items_loads_in_proportion_to_its_size():
    def deck_of(n):
        return cloze_deck("\n".join(f"- item {i} is {{{{v{i}}}}} <!-- id: it-{i} -->" for i in range(n)))

    parse_deck(deck_of(100), "c.md")
    small, t_small = timed(parse_deck, deck_of(1000), "c.md")
    big, t_big = timed(parse_deck, deck_of(4000), "c.md")
    assert len(big.cards) == 4000 and big.problems == [] and big.cards[-1].key == "c:it-3999"
    assert t_big < 2.0 and t_big < 12 * max(t_small, 0.01)  # 4× the items: about 4× the time


def test_anki_cloze_with_more_blanks_than_the_cap_imports(tmp_path):
    n = cloze.MAX_BLANKS + 20
    sentence = " ".join(f"x{i} {{{{c{i + 1}::v{i}}}}}" for i in range(n))
    source = "#separator:tab\n#html:true\n#notetype column:1\nCloze\t" + sentence + "\t\n"
    result = import_anki_text(source, "many.txt")
    assert len(result.deck.cards) == cloze.MAX_BLANKS and result.deck.errors == []


# ---- front matter -----------------------------------------------------------------------------

def front_matter_deck(n_keys: int) -> str:
    keys = "".join(f"k{i} = {i}\n" for i in range(n_keys))
    return f'+++\ndeck = "f"\n{keys}+++\n\n**Q: One?**\nA: Two.\n'


def test_20000_unknown_front_matter_keys_are_each_located_quickly():
    deck, seconds = timed(parse_deck, front_matter_deck(20000), "f.md")
    assert seconds < 3.0  # 8000 keys took 10.5 s, 100k never finished
    assert len(deck.cards) == 1 and deck.id == "f"
    warnings = deck.warnings
    assert len(warnings) == 20000
    assert all(w.line == i + 3 and w.col == 1 for i, w in enumerate(warnings))
    assert warnings[12345].message.startswith("unknown front-matter key 'k12345' ignored")


def test_front_matter_keys_are_located_in_every_spelling():
    text = ('+++\ndeck = "f"\n  "my key" = 1\nodd.part = 2\n\'lit\' = "x"\n[extra]\ndeck = 3\n'
            'typed = "no"\n+++\n\n**Q: One?**\nA: Two.\n')
    deck = parse_deck(text, "f.md")
    got = {(p.line, p.col) for p in deck.problems}
    # my key, odd, lit, extra: at their lines; typed is in [extra], not the top level: not located there
    assert {(3, 3), (4, 1), (5, 1), (6, 1)} <= got
    assert deck.id == "f"


# ---- nested HTML on import --------------------------------------------------------------------

DEEP_DIV = "<div>" * 500 + "deep text" + "</div>" * 500
DEEP_BOLD = "<b>" * 300 + "bold text" + "</b>" * 300


def test_anki_export_with_deeply_nested_html_imports(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    source = tmp_path / "deep.txt"
    source.write_text(f"#separator:tab\n#html:true\nWhat is deep?\t{DEEP_DIV}\nBold?\t{DEEP_BOLD}\n",
                      encoding="utf-8")
    out_file = tmp_path / "deep.md"
    code, out, err = run(["import", str(source), "--out", str(out_file)], capsys)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "A: deep text" in text and "A: **bold text**" in text  # text kept; bold in bold is bold
    assert parse_deck(text, str(out_file)).errors == []


def test_notes_with_deeply_nested_html_import(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("QUIZAPP_HOME", str(tmp_path / "home"))
    source = tmp_path / "notes.md"
    source.write_text(f"# Notes\n\n**What is deep?**\n\n{DEEP_DIV}\n\n**Bold?**\n\nIt is {DEEP_BOLD}.\n",
                      encoding="utf-8")
    out_file = tmp_path / "out.md"
    code, out, err = run(["import", str(source), "--out", str(out_file)], capsys)
    assert code == 0, err
    text = out_file.read_text(encoding="utf-8")
    assert "deep text" in text and "It is **bold text**." in text
    assert parse_deck(text, str(out_file)).errors == []


def test_any_nesting_depth_keeps_the_text_in_linear_time():
    for open_tags, close_tags in [("<div>", "</div>"), ("<b>", "</b>"), ("<blockquote>", "</blockquote>"),
                                  ("<ul><li>", "</li></ul>"), ("<table><tr><td>", "</td></tr></table>"),
                                  ("<span><i>", "</i></span>")]:
        html = open_tags * 20000 + "deep text" + close_tags * 20000 + "<p>after</p>"
        markdown, seconds = timed(html_to_markdown, html)
        assert seconds < 3.0, open_tags
        assert "deep text" in markdown and markdown.endswith("after"), (open_tags, markdown[-80:])
    # scripts below the cap are still dropped, text and all
    html = "<div>" * (MAX_DEPTH + 5) + "<script>alert(1)</script>kept" + "</div>" * (MAX_DEPTH + 5)
    assert html_to_markdown(html) == "kept"
