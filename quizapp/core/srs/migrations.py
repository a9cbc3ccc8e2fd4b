"""Schema versions of the collection, tracked in ``PRAGMA user_version``.

``MIGRATIONS[i]`` upgrades a database from version ``i`` to ``i + 1``; each is a list of single SQL
statements (no ``executescript``: it would commit behind our back). :func:`apply_migrations` runs all
pending ones inside one ``BEGIN IMMEDIATE`` transaction together with the ``user_version`` bump, so a
crash leaves either the old schema or the new one. Never edit a released migration; append a new one.
"""

from __future__ import annotations

import sqlite3

V1 = [
    # Append-only log. Rows are never updated or deleted; an undo is a new row pointing at `undoes`.
    """CREATE TABLE reviews (
        id INTEGER PRIMARY KEY,
        card_key TEXT NOT NULL,
        kind TEXT NOT NULL,
        rating INTEGER,
        reviewed_at TEXT NOT NULL,
        duration_ms INTEGER,
        answer TEXT,
        undoes INTEGER REFERENCES reviews(id),
        state_after TEXT,
        bury_until TEXT
    )""",
    "CREATE INDEX reviews_card_key ON reviews(card_key, id)",
    "CREATE INDEX reviews_reviewed_at ON reviews(reviewed_at)",
    "CREATE INDEX reviews_undoes ON reviews(undoes) WHERE undoes IS NOT NULL",
    # Cache of each card's current state; rebuilt from `reviews` by Collection.rebuild_state().
    """CREATE TABLE card_state (
        card_key TEXT PRIMARY KEY,
        fsrs TEXT,
        due TEXT,
        state INTEGER,
        suspended INTEGER NOT NULL DEFAULT 0,
        buried_until TEXT,
        first_seen TEXT,
        lapses INTEGER NOT NULL DEFAULT 0,
        reps INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX card_state_due ON card_state(due)",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "INSERT INTO meta (key, value) VALUES ('created_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))",
]

V2 = [
    # One row per finished quiz (practice mode): the numbers shown in the quiz history. The
    # answers themselves are `quiz` rows of `reviews`; `detail` is JSON (per-kind accuracy, missed).
    """CREATE TABLE quiz_results (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        decks TEXT NOT NULL,
        kinds TEXT NOT NULL,
        total INTEGER NOT NULL,
        correct INTEGER NOT NULL,
        seconds REAL NOT NULL,
        time_limit_s REAL,
        detail TEXT NOT NULL
    )""",
    "CREATE INDEX quiz_results_finished_at ON quiz_results(finished_at)",
]

V3 = [
    # A `rename` row (card_key = the new key) carries the history of `renamed_from` over to its
    # card_key: the card's front was edited (or an id was stamped on it). Old rows stay as written.
    "ALTER TABLE reviews ADD COLUMN renamed_from TEXT",
    "CREATE INDEX reviews_renamed_from ON reviews(renamed_from, id) WHERE renamed_from IS NOT NULL",
]

MIGRATIONS: list[list[str]] = [V1, V2, V3]
LATEST_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The collection was written by a newer quizapp; refusing to touch it."""


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def apply_migrations(conn: sqlite3.Connection, migrations: list[list[str]] = MIGRATIONS) -> int:
    """Bring the schema up to date in one transaction; returns the resulting version.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Raises ``sqlite3.OperationalError``
    if the database is locked (the caller retries) and :class:`SchemaTooNew` for a future schema.
    """
    latest = len(migrations)
    if schema_version(conn) == latest:  # fast path, no write lock
        return latest
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = schema_version(conn)  # re-read under the lock: another process may have migrated
        if version > latest:
            raise SchemaTooNew(
                f"this collection has schema version {version}, but this quizapp only knows up to "
                f"{latest}; upgrade quizapp to open it"
            )
        for target in range(version + 1, latest + 1):
            for statement in migrations[target - 1]:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {int(target)}")
        conn.execute("COMMIT")
        return max(version, latest)
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
