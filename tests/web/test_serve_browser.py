"""`quizapp serve` in a real headless Chromium: the page opens with the printed token link, the app's
first screen appears at a phone's size, keys typed into the page reveal and grade cards, and the
grades are in the collection; two tabs grading at once lose nothing; without the token HTTP and the
websocket get 403; Ctrl-C stops the server and every app it started (checked in /proc).

Chromium comes from Debian (`apt-get install chromium`); without it the test is skipped. The
screenshots (home.png, review.png) and the measured times (timings.json) are kept in the test's
tmp dir.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from pathlib import Path

import aiohttp
import pytest

from devtools import Chromium, Tab, chromium_path
from serve_process import Served, zombie_children

pytestmark = [
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process table from /proc"),
    pytest.mark.skipif(chromium_path() is None, reason="chromium is not installed; on Debian/Ubuntu: "
                       "apt-get install chromium (the test drives a real headless Chromium)"),
]

PHONE = (360, 364)  # CSS pixels: 40×20 cells in Chromium's monospace font at textual-serve's 16px
WINDOW = (900, 600)  # the browser window; each tab sets its own page size


def reviews(collection: Path) -> list[tuple[str, str, int]]:
    with sqlite3.connect(f"{collection.as_uri()}?mode=ro", uri=True) as db:
        return db.execute("SELECT card_key, kind, rating FROM reviews ORDER BY id").fetchall()


async def grade(tab: Tab, done: int) -> None:
    """Reveal the card, grade it Good (3), and wait until the screen counts it."""
    await tab.press("space")
    await tab.wait_for("Good")
    await tab.press("3")
    await tab.wait_for(f"{done} done")


async def refused(base: str, token: str) -> dict[str, int]:
    """Status of each kind of request without the right token (a fresh client: no cookie)."""
    statuses = {}
    async with aiohttp.ClientSession() as http:
        for name, url in (("page", base + "/"), ("page, wrong token", f"{base}/?token={token[:-2]}xx"),
                          ("static file", base + "/static/js/textual.js")):
            async with http.get(url) as response:
                statuses[name] = response.status
        for name, query in (("websocket", ""), ("websocket, wrong token", "?token=" + "x" * len(token))):
            try:
                socket = await http.ws_connect(base.replace("http:", "ws:") + "/ws" + query)
            except aiohttp.WSServerHandshakeError as error:
                statuses[name] = error.status
            else:
                await socket.close()
                statuses[name] = 101
    return statuses


async def test_served_app_in_headless_chromium(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    timings: dict[str, float] = {}
    started = time.monotonic()
    served = Served(data, "--require-token")  # a token on loopback too: the gate a phone goes through
    timings["server listening (s)"] = time.monotonic() - started
    browser = None
    try:
        started = time.monotonic()
        browser = await Chromium.start(tmp_path / "profile", width=WINDOW[0], height=WINDOW[1])
        timings["chromium ready (s)"] = time.monotonic() - started

        assert served.token and served.output().count(served.token) == 1  # printed once
        assert set((await refused(served.base, served.token)).values()) == {403}

        # A phone-sized tab: first screen, then reveal and grade one card.
        phone = await browser.open(served.url, PHONE)
        timings["page opened → Home drawn (s)"] = await phone.wait_for("Today:", timeout=20)
        size = await phone.evaluate("window.__served.url")
        assert "width=40&" in size and "height=20" in size, size
        await phone.wait_for("to study now")  # the counts line, drawn with the table (14 decks scroll at 40×20)
        await asyncio.sleep(0.3)  # the browser paints what it received
        await phone.screenshot(tmp_path / "home.png")
        await phone.press("a")  # review all due
        await phone.wait_for("show the answer")
        started = time.monotonic()
        await phone.press("space")
        await phone.wait_for("Good")
        await asyncio.sleep(0.3)
        await phone.screenshot(tmp_path / "review.png")  # the card and all four grade buttons
        await phone.press("3")
        await phone.wait_for("1 done")
        timings["space → 3 → graded on screen (s)"] = time.monotonic() - started
        first = reviews(data / "collection.sqlite3")
        assert [(kind, rating) for _key, kind, rating in first] == [("review", 3)]

        # A second tab: both grade at the same time; every grade lands.
        second = await browser.open(served.url, PHONE)
        await second.wait_for("Today:", timeout=20)
        await second.press("a")
        await second.wait_for("show the answer")
        assert len(served.app_pids()) == 2

        async def grade_three(tab: Tab, already: int) -> None:
            for n in range(already + 1, already + 4):
                await grade(tab, n)

        started = time.monotonic()
        await asyncio.gather(grade_three(phone, 1), grade_three(second, 0))
        timings["two tabs × 3 grades at once (s)"] = time.monotonic() - started
        rows = reviews(data / "collection.sqlite3")
        assert len(rows) == 7 and all(r[1:] == ("review", 3) for r in rows), rows
        assert rows[0] == first[0]

        # Closing a tab ends its app; Ctrl-C ends the server and the other app.
        await second.close()
        deadline = time.monotonic() + 10
        while len(served.app_pids()) != 1 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert len(served.app_pids()) == 1, "closing the tab left its app running"
        assert zombie_children(served.proc.pid) == []
        started = time.monotonic()
        served.interrupt()
        assert await asyncio.to_thread(served.wait, 15) == 0, served.output()
        timings["Ctrl-C → server exited (s)"] = time.monotonic() - started
        assert served.app_pids() == [], "app processes outlived the server"
        assert "Traceback" not in served.output(), served.output()
        assert served.output().count(served.token) == 1  # still once: nothing logged it
        assert await phone.evaluate("window.__served.closed") is True  # the page shows the session ended
        with sqlite3.connect(data / "collection.sqlite3") as db:
            assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert db.execute("SELECT COUNT(*) FROM reviews").fetchone() == (7,)
    finally:
        if browser is not None:
            await browser.close()
        served.kill()
        (tmp_path / "timings.json").write_text(json.dumps(timings, indent=2))
        print(f"\nartefacts: {tmp_path}/home.png, review.png, timings.json\n{json.dumps(timings, indent=2)}")
    assert (tmp_path / "review.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
