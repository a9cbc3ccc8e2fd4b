"""The app served to web browsers (`quizapp serve`): textual-serve behind a token gate."""
