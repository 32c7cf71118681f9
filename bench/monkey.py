"""The long chaos run: many seeded monkey sessions (tests/tui/test_monkey.py's actions: keys,
typing, resizes, SGR clicks single and double on the palette and on notifications,
bracketed paste, garbage bytes) against every graph, the training screen and a lesson.

Run by hand (results in bench/RESULTS.md):

    uv run python bench/monkey.py --actions 20000            # ~75 min on one core
    uv run python bench/monkey.py --actions 20000 --minutes 25 --seed 5000

Sessions of ``--per-session`` actions go round the apps with seeds from ``--seed`` up, until
``--actions`` are done or ``--minutes`` have passed. A crash, an exception or an exit no key
asked for is counted (with its seed and last actions, to replay it with MONKEY_SEED), and the
run goes on. Exit status 1 if any session failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "tui")]
os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

import test_monkey  # noqa: E402  (tests/tui/test_monkey.py)

from tui.app import ExplorerApp  # noqa: E402


def app_for(name: str) -> ExplorerApp:
    if name in test_monkey.APPS:
        return test_monkey.APPS[name]()
    return ExplorerApp(test_monkey.GRAPHS[name]())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--actions", type=int, default=20_000)
    parser.add_argument("--per-session", type=int, default=250)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--seed", type=int, default=20_000)
    args = parser.parse_args()
    names = [*test_monkey.GRAPHS, *test_monkey.APPS]
    folder = tempfile.mkdtemp(prefix="micrograd-monkey-")
    os.chdir(folder)  # screenshots and exports land here
    os.environ["XDG_CONFIG_HOME"] = os.path.join(folder, "config")
    start = time.perf_counter()
    done = sessions = 0
    failures: list[str] = []
    while done < args.actions:
        if args.minutes is not None and time.perf_counter() - start > args.minutes * 60:
            break
        name = names[sessions % len(names)]
        seed = args.seed + sessions
        count = min(args.per_session, args.actions - done)
        try:
            asyncio.run(test_monkey.monkey(app_for(name), name, seed, count))
        except AssertionError as failure:
            failures.append(str(failure).splitlines()[0])
            print("FAIL", failures[-1], flush=True)
        done += count
        sessions += 1
        if sessions % len(names) == 0:
            print(f"{done:,} actions, {sessions} sessions, {len(failures)} failures, "
                  f"{time.perf_counter() - start:.0f} s", flush=True)
    seconds = time.perf_counter() - start
    silent = sum("exited after" in failure for failure in failures)
    print(f"{done:,} actions in {sessions} sessions ({len(names)} apps) in {seconds / 60:.1f} "
          f"min: {len(failures) - silent} crashes, {silent} silent exits")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
