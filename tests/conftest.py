"""Shared test settings: no animations in Textual, modest hypothesis budgets, and a config
folder of the tests' own.

The colour and terminal settings of the machine (``NO_COLOR``, ``FORCE_COLOR``, ``TERM``)
are left as they are: learners run the app under them, so the tests do too
(``tests/tui/test_environments.py`` sets each of them on purpose). Only the SVG snapshots
set their own, in ``tests/tui/conftest.py``."""

import os
import tempfile

from hypothesis import settings

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
# The app remembers a theme and the lessons' progress in the config folder: the tests write
# theirs in a folder of their own, never in the learner's.
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="micrograd-tui-tests-config-")

settings.register_profile("default", max_examples=60, deadline=None)
settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci" if os.environ.get("CI") else "default")
