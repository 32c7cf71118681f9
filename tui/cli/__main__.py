"""``python -m tui.cli``: the command without tui.launch's check (serve's tabs run it)."""

from tui.cli import main

raise SystemExit(main())
