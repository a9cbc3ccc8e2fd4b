"""Small text helpers: terminal-safe text, number and time formatting, lenient text comparison."""
