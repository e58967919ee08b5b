"""docs/QUESTIONS.md: each of the case's twelve discussion questions (§5) has commands, every
command runs on the bundled data, and the facts the page quotes under a command are what it
prints (drift fails). A quoted line may be shortened with "..." and may quote table cells
separated by "│": each piece must appear in the output."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

PAGE = (Path(__file__).parent.parent / "docs" / "QUESTIONS.md").read_text(encoding="utf-8")

# the case's §5: three questions for law, four for policy, five for business school audiences
EXPECTED = [f"5.1.{i}" for i in (1, 2, 3)] + [f"5.2.{i}" for i in (1, 2, 3, 4)] + [f"5.3.{i}" for i in (1, 2, 3, 4, 5)]


def questions():
    """{question number: [(command words, quoted lines)]} in page order."""
    found = {}
    for number, body in re.findall(r"^### (5\.\d\.\d)[^\n]*\n(.*?)(?=^### |^## |\Z)", PAGE, re.S | re.M):
        steps = found.setdefault(number, [])
        for block in re.findall(r"```console\n(.*?)```", body, re.S):
            for line in block.splitlines():
                if line.startswith("$ ecosystem "):
                    steps.append((shlex.split(line[2:].split("  #")[0])[1:], []))
                elif steps and line.strip():
                    steps[-1][1].append(line)
    return found


QUESTIONS = questions()
STEPS = [(number, words, quoted) for number, steps in QUESTIONS.items() for words, quoted in steps]


def test_every_discussion_question_has_commands():
    assert list(QUESTIONS) == EXPECTED
    for number, steps in QUESTIONS.items():
        assert steps, f"question {number} has no command"
        assert any(quoted for _, quoted in steps), f"question {number} quotes no fact"


@pytest.mark.parametrize("number, words, quoted", STEPS, ids=[f"{n} {' '.join(w)}" for n, w, _ in STEPS])
def test_command_runs_and_prints_the_quoted_facts(invoke, monkeypatch, number, words, quoted):
    monkeypatch.setenv("COLUMNS", "300")
    result = invoke(*words)
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())
    for line in quoted:
        for piece in re.split(r"\.\.\.|│", line):
            piece = " ".join(piece.split())
            if piece:
                assert piece in printed, f"{number}: QUESTIONS.md quotes {piece!r}, `ecosystem {' '.join(words)}` prints:\n{result.stdout}"


def test_path_taobao_mybank_prints_the_trust_score_path_first(invoke, monkeypatch):
    """The README and this page quote the first path `path taobao mybank` prints."""
    monkeypatch.setenv("COLUMNS", "300")
    lines = [line.strip() for line in invoke("path", "taobao", "mybank").stdout.splitlines() if line.strip()]
    assert lines[0] == "path 1 (2 steps)"
    assert lines[1].startswith("Taobao —uses→ Trust score (Sesame Credit Score)")
    assert lines[2].startswith("MyBank —uses→ Trust score (Sesame Credit Score)")
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    tour = readme[readme.index("$ ecosystem path taobao mybank"):].splitlines()[1:4]
    assert [" ".join(line.split()) for line in tour] == [" ".join(line.split()) for line in lines[:3]]
