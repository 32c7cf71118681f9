"""``python -m tui``: the same as the ``micrograd-tui`` command."""

from tui.launch import main

raise SystemExit(main())
