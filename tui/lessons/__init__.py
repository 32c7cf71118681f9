"""The lessons: the bundled lesson files (``*.toml``) and the modules that read them
(``lesson``), check their numbers (``numbers``), their goals (``goals``), the learner's
progress (``progress``) and the first-run tour (``tour``)."""
