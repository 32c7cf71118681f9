"""What a Python user sees of the package before running it: the licence, the metadata, the
README's install section, and a clean folder after trying the examples.

Installing the built wheel with pip into a fresh environment (and classic micrograd over it)
needs the package index, so ``.ci/run`` does that; these checks need nothing."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
README = (REPO / "README.md").read_text()


def test_the_licence_text_ships_with_the_package() -> None:
    licence = (REPO / "LICENSE").read_text()
    assert licence.startswith("MIT License\n") and "WITHOUT WARRANTY OF ANY KIND" in licence
    assert PROJECT["license"] == "MIT" and PROJECT["license-files"] == ["LICENSE"]


def test_classifiers_name_every_python_the_ci_runs() -> None:
    classifiers = PROJECT["classifiers"]
    lowest = re.fullmatch(r">=3\.(\d+)", PROJECT["requires-python"])[1]
    for minor in range(int(lowest), 14):
        assert f"Programming Language :: Python :: 3.{minor}" in classifiers
    assert "Intended Audience :: Education" in classifiers
    assert not [c for c in classifiers if c.startswith("License ::")]  # the SPDX field says it


def test_keywords_and_urls() -> None:
    assert {"autograd", "backpropagation", "micrograd", "tui"} <= set(PROJECT["keywords"])
    assert PROJECT["urls"] and all(url.startswith("https://")
                                   for url in PROJECT["urls"].values())


def test_every_dependency_has_a_lowest_version() -> None:
    names = {re.match(r"[\w-]+", spec)[0]: spec for spec in PROJECT["dependencies"]}
    assert set(names) == {"textual", "rich", "networkx", "textual-serve", "platformdirs"}
    assert all(">=" in spec for spec in names.values())
    assert names["textual"] == "textual>=3.7"  # 3.6 has no TextArea(show_cursor=)


def test_the_install_section_says_pip_and_uv_tool() -> None:
    section = README.split("## Install", 1)[1].split("\n## ", 1)[0]
    for command in ("pip install micrograd-tui", "uv tool install micrograd-tui",
                    "uvx micrograd-tui", "python -m tui", "micrograd-tui --version",
                    "pip uninstall micrograd micrograd-tui"):
        assert command in section, command


def test_the_readmes_images_are_in_the_repository() -> None:
    """Relative image paths show on a forge and in a clone; the package index needs
    absolute URLs, which need a public repository (there is none yet)."""
    images = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert images
    for image in images:
        assert (REPO / image).is_file(), image


@pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                    reason="not a git checkout")
@pytest.mark.parametrize("path", [
    "classic-neuron.txt", "classic-neuron.graphml", "mg-classic-neuron-20261206-2301.svg",
    "neuron.dot", "neuron.json", "mlp.json", "run.csv", "L.svg", "check_neuron.py",
])
def test_files_the_examples_write_are_ignored(path: str) -> None:
    done = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO,
                          timeout=30)
    assert done.returncode == 0, f"{path} is not in .gitignore"


def test_no_example_output_is_committed() -> None:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("not a git checkout")
    tracked = subprocess.run(["git", "ls-files", "-ci", "--exclude-standard"], cwd=REPO,
                             capture_output=True, text=True, timeout=30).stdout.split()
    assert tracked == []


def test_the_readmes_speed_claims_are_measured_figures() -> None:
    """Each ratio the README quotes against classic micrograd is one bench/RESULTS.md
    records as measured (it once said 0.35 with the collector off, which no run gave)."""
    results = (REPO / "bench" / "RESULTS.md").read_text()
    measured = {float(x) for x in re.findall(r"\b(0\.\d+)x\b", results)}
    claim = re.search(r"takes ([\d.]+) to ([\d.]+) of classic micrograd\s+0\.1\.0's time "
                      r"\(([\d.]+) to ([\d.]+) with the cycle collector off", README)
    assert claim, "the README's speed sentence changed: update this test with it"
    on_low, on_high, off_low, off_high = map(float, claim.groups())
    for quoted in (off_low, off_high):
        assert quoted in measured, f"{quoted} is not a ratio bench/RESULTS.md records"
    assert any(on_low <= x <= on_high + 0.005 for x in measured)
