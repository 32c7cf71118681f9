"""Shared test settings: no animations in Textual, and modest hypothesis budgets."""

import os

from hypothesis import settings

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
# Colour settings of the machine running the tests must not change the SVG snapshots.
for variable in ("NO_COLOR", "FORCE_COLOR", "TEXTUAL_THEME"):
    os.environ.pop(variable, None)

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
