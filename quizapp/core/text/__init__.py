"""Text helpers: terminal-safe text, number and time formatting, lenient text comparison, LaTeX maths
as readable Unicode (latex.py) and maths in card Markdown (maths_markdown.py)."""
