"""quizapp: study machine-learning interview topics in the terminal."""

__version__ = "0.1.0"
