"""Reading programs, run by hand: ``uv run python bench/expr.py``.

Seconds to read (parse and build) programs near the size limit (1 MB), median of 3, with
the cycle collector on as the command line runs it:
  - chain: ``x = 1.0`` / ``y = x+1+1+...``, one statement, about 1,000,000 nodes
  - statements: 40,000 lines ``aK = a(K-1) * 1.0001``, each a new name
  - rebound: ``c = Value(1.0)`` then ``c += 1`` on 140,000 lines (each binds c again)
  - display: 140,000 lines ``1 - c.data**2`` that are read and skipped

``PYTHONPATH=OTHER_CHECKOUT uv run python bench/expr.py`` times another version of
``micrograd`` (an older one refuses the last two). Figures go to bench/RESULTS.md by hand.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

if "PYTHONPATH" not in os.environ:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from micrograd.expr import ExprError, evaluate  # noqa: E402


def programs() -> dict[str, str]:
    return {
        "chain": "x = 1.0\ny = x" + "+1" * 499_990 + "\n",
        "statements": "a0 = 1.0\n" + "".join(f"a{k} = a{k - 1} * 1.0001\n"
                                             for k in range(1, 40_000)),
        "rebound": "c = Value(1.0)\n" + "c += 1\n" * 140_000,
        "display": "c = Value(1.0)\n" + "1 - c.data**2\n" * 70_000,
    }


def main() -> None:
    import micrograd

    print(f"micrograd from {Path(micrograd.__file__).parent}")
    for name, source in programs().items():
        times = []
        for _ in range(3):
            start = time.perf_counter()
            try:
                program = evaluate(source)
            except ExprError as error:
                print(f"{name:11} {len(source):>9,} bytes  refused: {str(error)[:60]}")
                break
            times.append(time.perf_counter() - start)
            del program
        else:
            print(f"{name:11} {len(source):>9,} bytes  {statistics.median(times):6.2f} s")


if __name__ == "__main__":
    main()
