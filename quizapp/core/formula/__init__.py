"""The safe formula language: lexer, parser, nodes, evaluate, functions; equivalence grading and drills."""
