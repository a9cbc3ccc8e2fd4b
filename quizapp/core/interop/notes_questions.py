"""Recognising questions in notes: bold question lines, question headings, difficulty marks.

Used by notes_import.py; kept apart so the heuristics can be read (and tested) on their own.
"""

from __future__ import annotations

import re

from quizapp.core.content.identity import strip_ids

DIFFICULTY = {"🟢": "easy", "🟩": "easy", "💚": "easy", "🟡": "medium", "🟨": "medium", "🟠": "medium",
              "🟧": "medium", "🔴": "hard", "🟥": "hard", "❤️": "hard"}
_LEVEL_WORDS = {"easy": "easy", "beginner": "easy", "basic": "easy", "medium": "medium",
                "intermediate": "medium", "moderate": "medium", "hard": "hard", "advanced": "hard",
                "expert": "hard", "difficult": "hard"}
_EMOJI = re.compile("[\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\u2600-\u26ff\U0001f000-\U0001faff\ufe0f\u200d]+")
_LEVEL = re.compile(r"[\[(]\s*(easy|beginner|basic|medium|intermediate|moderate|hard|advanced|expert|difficult)"
                    r"\s*[\])]|^(easy|medium|hard)\s*[:\-–—]\s*", re.IGNORECASE)
_QNUM = re.compile(r"^(?:Q(?:uestion)?\s*#?\s*\d+\s*[:.)\-–—]?|\d{1,3}\s*[.):]|Q\s*[.:])\s*", re.IGNORECASE)
_QLABEL = re.compile(r"^(?:Q(?:uestion)?\s*#?\s*\d*\s*[:.)\-–—]?)$", re.IGNORECASE)
_BOLD_LINE = re.compile(r"^\s*(?P<pre>[^*_]{0,16}?)\s*(?P<m>\*\*|__)(?P<q>.+?)(?P=m)(?P<post>.*)$")
_QPREFIX = re.compile(r"^Q(?:uestion)?\s*#?\s*\d+\s*[:.)\-–—]", re.IGNORECASE)
_QWORDS = frozenset(
    ["what", "why", "how", "when", "which", "who", "whom", "whose", "where", "explain", "describe", "define", "compare", "contrast", "differentiate", "distinguish", "name", "list", "give", "write", "implement", "derive", "state", "is", "are", "does", "do", "did", "can", "could", "should", "would", "will", "what's", "how's", "whats"]
)


def strip_marks(text: str) -> tuple[str, str]:
    """``text`` without difficulty emoji, ⭐ runs and "(Easy)" labels; returns (text, difficulty)."""
    level = ""
    for mark, name in DIFFICULTY.items():
        if mark in text:
            level = name
    stars = text.count("⭐") + text.count("🌟") + text.count("★")
    if stars and not level:
        level = "easy" if stars == 1 else "medium" if stars == 2 else "hard"
    m = _LEVEL.search(text)
    if m and not level:
        level = _LEVEL_WORDS[(m.group(1) or m.group(2)).lower()]
    text = _LEVEL.sub("", text)
    text = _EMOJI.sub(" ", text).replace("★", " ")
    return " ".join(text.split()), level


def clean_question(text: str) -> str:
    text = strip_ids(text).strip()
    for _ in range(2):
        text = _QNUM.sub("", text, count=1).strip()
        if text.startswith(("**", "__")) and text.endswith(text[:2]) and len(text) > 4:
            text = text[2:-2].strip()
    return text


def question_like(text: str, strict: bool) -> bool:
    text = text.strip()
    if not text or text.endswith(":"):
        return False
    if text.endswith("?"):
        return True
    word = re.split(r"[\s,]", text.lower(), maxsplit=1)[0]
    return not strict and word in _QWORDS


def _is_question(question: str, numbered: bool, level: str, strict: bool) -> bool:
    """Is a bold line / heading a question? ``strict`` inside an answer, where bold lines are often
    mere labels ("**Why it matters**"): then it must end with "?" or carry a number or difficulty
    and read like a question."""
    if not question or question.endswith(":"):
        return False
    if question.endswith("?"):
        return True
    first = re.split(r"[\s,]", question.lower(), maxsplit=1)[0]
    if first in _LEVEL_WORDS:  # "🟢 Easy questions" is a section, not a question
        return False
    if strict:
        return (numbered or bool(level)) and question_like(question, False)
    return question_like(question, False) or numbered or bool(level)


def bold_question(line: str, strict: bool) -> tuple[str, str, str] | None:
    """A bold question line → (question, answer text on the same line, difficulty), else None."""
    m = _BOLD_LINE.match(line)
    if m is None:
        return None
    pre_text, level1 = strip_marks(m.group("pre"))
    if pre_text and not _QNUM.fullmatch(pre_text + " "):
        return None  # text before the bold: a sentence that merely starts in bold
    core_text, level2 = strip_marks(m.group("q"))
    post_text, level3 = strip_marks(m.group("post"))
    level = level1 or level2 or level3
    numbered = bool(pre_text) or _QNUM.match(core_text) is not None
    if _QLABEL.match(core_text) and post_text:  # **Question:** What is X?  /  **Q1.** What is X?
        question = clean_question(post_text)
        return (question, "", level) if question else None
    question = clean_question(core_text)
    if post_text:  # **What is X?** X is … — only a real question may carry its answer on the line
        if not question.endswith("?") or strict:
            return None
        return question, re.sub(r"^\s*[-–—:]\s*", "", post_text), level
    return (question, "", level) if _is_question(question, numbered, level, strict) else None


def heading_question(text: str) -> tuple[str, str] | None:
    """A heading that asks a question: "Q1: …", "Question 3. …", "… ?", or a difficulty mark on a
    question ("🟡 Explain dropout"); "## 1. Introduction" and "## 🟢 Easy" are sections."""
    text, level = strip_marks(strip_ids(text))
    prefixed = _QPREFIX.match(text) is not None
    question = clean_question(text)
    if not question or question.endswith(":"):
        return None
    if question.endswith("?") or prefixed or (level and _is_question(question, False, level, True)):
        return question, level
    return None
