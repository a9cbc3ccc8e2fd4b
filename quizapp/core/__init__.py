"""Headless core of quizapp. Nothing under this package may import textual (a test enforces it)."""
