"""The docs say what the code does: README's command lines name exactly each command's flags, and
every Python block in README.md and docs/*.md lints clean and runs (`make lint` runs this file)."""

import argparse
import re
import subprocess
import sys
from pathlib import Path

import pytest

from dgm.cli import COMMANDS, parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.M | re.S)


def blocks(language: str) -> list[tuple[str, str]]:
    """(`file:line`, code) of every fenced block in the docs written in `language`."""
    found = []
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            if m.group(1) == language:
                line = text.count("\n", 0, m.start()) + 2
                found.append((f"{doc.relative_to(ROOT)}:{line}", m.group(2)))
    return found


def readme_command_lines() -> dict[str, str]:
    """README's `dgm COMMAND …` lines (the command-line block), keyed by command."""
    lines = {}
    for _, code in blocks("bash"):
        for line in code.splitlines():
            m = re.match(r"dgm (\w+)(.*)", line)
            if m:
                lines[m.group(1)] = m.group(2).split("#")[0]
    return lines


def flags(command: str) -> set[str]:
    """The long flags argparse gives `dgm COMMAND` (help aside)."""
    sub = next(a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)).choices[
        command
    ]
    return {o for a in sub._actions for o in a.option_strings if o.startswith("--")} - {"--help"}


def test_readme_lists_every_command():
    assert set(readme_command_lines()) == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_readme_command_line_names_exactly_its_flags(command):
    written = set(re.findall(r"--[a-z][a-z-]*", readme_command_lines()[command]))
    assert written == flags(command), f"README's `dgm {command}` line"


def test_the_docs_have_python_blocks():
    """The checks below see the README's notebook example (so they cannot pass on nothing)."""
    assert any(where.startswith("README.md") for where, _ in blocks("python"))


@pytest.mark.parametrize("where,code", blocks("python"), ids=[w for w, _ in blocks("python")])
def test_python_block_lints_clean(where, code):
    ruff = [sys.executable, "-m", "ruff"]
    for args in (["check", "--no-cache"], ["format", "--diff", "--no-cache"]):
        done = subprocess.run(
            [*ruff, *args, "--stdin-filename", f"{where}.py", "-"],
            input=code,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert done.returncode == 0, f"{where}: ruff {args[0]}\n{done.stdout}{done.stderr}"


@pytest.mark.parametrize("where,code", blocks("python"), ids=[w for w, _ in blocks("python")])
def test_python_block_runs(where, code):
    exec(compile(code, where, "exec"), {})
