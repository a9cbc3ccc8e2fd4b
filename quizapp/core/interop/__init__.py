"""Import and export: raw interview notes and Anki text exports → decks; decks → Anki packages.

No textual import here (the core never imports the UI); genanki is imported by apkg_export only.
"""
