"""Shared test settings: no animations in Textual, and modest hypothesis budgets."""

import os

from hypothesis import settings

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
