"""Studying the collection: counts and review sessions, quiz, browse, orphans, statistics."""
