"""How long `q` takes to end the app while a big JSON graph is loading, run by hand:
``uv run python bench/quit_loading.py``.

The file: a chain of 640,003 nodes exported as JSON (97.7 MB, just under the 100 MB JSON
limit). The app runs in a pseudo-terminal of 80x24; once its loading screen says "q
quits", it is left to load for DELAYS seconds (to catch it in each stage: the JSON decode,
the graph, the ordering), then `q` is sent and the time to the process's end measured.
Target (issue 27): within 0.5 s whatever is loading. Results go to bench/RESULTS.md.
"""

from __future__ import annotations

import fcntl
import os
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.export import iter_json  # noqa: E402
from micrograd.expr import evaluate  # noqa: E402

DELAYS = (0.5, 2.0, 4.0, 6.0, 8.0, 12.0)
COMMAND = [sys.executable, "-m", "tui"]


def big_json(folder: Path) -> Path:
    path = folder / "chain.json"
    program = evaluate("x = 1.0\ny = x" + "+1" * 320_000 + "\n")
    with path.open("w", encoding="utf-8") as handle:
        handle.writelines(iter_json(program.output))
    return path


def quit_after(path: Path, delay: float) -> float:
    """Seconds from `q` to the process's end, `delay` seconds after the loading screen."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color"}
    process = subprocess.Popen([*COMMAND, str(path)], stdin=follower, stdout=follower,
                               stderr=follower, env=env, start_new_session=True)
    os.close(follower)
    seen = b""
    while b"quits" not in seen:
        ready, _, _ = select.select([leader], [], [], 60)
        if not ready:
            raise RuntimeError("no loading screen within 60 s")
        seen = seen[-200:] + os.read(leader, 65536)
    end_of_wait = time.monotonic() + delay
    while time.monotonic() < end_of_wait:  # keep reading, as a terminal would
        if select.select([leader], [], [], 0.05)[0]:
            os.read(leader, 65536)
    os.write(leader, b"q")
    sent = time.monotonic()
    while process.poll() is None:
        if select.select([leader], [], [], 0.01)[0]:
            try:
                os.read(leader, 65536)
            except OSError:
                pass
    took = time.monotonic() - sent
    os.close(leader)
    return took


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = big_json(Path(folder))
        print(f"{path.stat().st_size / 1e6:.1f} MB; load average {os.getloadavg()[0]:.2f}")
        took = []
        for delay in DELAYS:
            took.append(quit_after(path, delay))
            print(f"q {delay:4.1f} s into the load: ended in {took[-1]:.3f} s")
        print(f"median {statistics.median(took):.3f} s, worst {max(took):.3f} s")


if __name__ == "__main__":
    main()
