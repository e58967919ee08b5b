"""The README's tour runs: every query it shows exits 0 on the bundled data, and the lines of
output it quotes are still what the command prints (drift fails)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
WRITES_FILES = {"render", "export", "import", "build", "analyse"}


def tour():
    """(command words, quoted output lines) for each `$ ecosystem ...` line of a console block."""
    steps = []
    for block in re.findall(r"```console\n(.*?)```", README, re.S):
        for line in block.splitlines():
            if line.startswith("$ ecosystem "):
                words = shlex.split(line[2:].split("  #")[0])[1:]
                steps.append([words, []])
            elif steps and line.strip():
                steps[-1][1].append(line)
    return steps


STEPS = [step for step in tour() if step[0][0] not in WRITES_FILES]


def test_the_tour_is_found():
    assert len(STEPS) >= 12


@pytest.mark.parametrize("words, quoted", STEPS, ids=[" ".join(step[0]) for step in STEPS])
def test_tour_command_runs_and_quotes_are_current(invoke, words, quoted, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    result = invoke(*words)
    assert result.exit_code == 0, result.output
    printed = " ".join(result.stdout.split())
    for line in quoted:
        # quoted lines may be shortened with "..."; each piece must appear as printed
        for piece in line.split("..."):
            piece = " ".join(piece.split())
            if piece.startswith("[{") or not piece:
                continue
            if piece.startswith("ok:"):
                piece = piece.rsplit(" in ", 1)[0]
            assert piece in printed, f"README quotes {piece!r}, `ecosystem {' '.join(words)}` prints:\n{result.stdout}"


def test_json_quote_is_current(invoke):
    import json

    result = invoke("search", "yu'eobao", "--json")
    assert json.loads(result.stdout)[0] == {"id": "yuebao", "name": "Yu'ebao", "type": "financial_product",
                                            "score": 95.0, "matched": "Yu'eobao"}
    assert '"id": "yuebao", "name": "Yu\'ebao"' in README


def python_examples() -> str:
    """The ``>>>`` examples of the README's "From Python" section."""
    section = README.split("## From Python", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    return "\n".join(blocks)


def test_the_python_section_runs_and_prints_what_it_shows(tmp_path, monkeypatch):
    import doctest

    examples = python_examples()
    assert examples.count(">>> ") >= 8
    monkeypatch.chdir(tmp_path)  # render and export write beside the reader
    test = doctest.DocTestParser().get_doctest(examples, {}, "README: From Python", "README.md", 0)
    report = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
    assert (tmp_path / "vie.html").is_file() and (tmp_path / "ecosystem.graphml").is_file()


def test_the_test_command_is_what_ci_runs_and_the_main_job_needs_no_java():
    """The README's test line is .ci/run's command; only `--test` installs Java (the main job's
    set-up, for a teacher, does not)."""
    root = Path(__file__).parent.parent
    lines = re.search(r"```bash\n(.*?)```", README, re.S).group(1).splitlines()
    main, test = (line.split("  #")[0].strip() for line in lines[:2])
    assert main == "./setup.sh && .venv/bin/ecosystem build"
    ci = [line for line in (root / ".ci" / "run").read_text().splitlines() if line.startswith("./setup.sh")]
    assert ci == [test] and "--test" in test and test.endswith(".venv/bin/python -m pytest")
    setup = (root / "setup.sh").read_text()
    java = [line for line in setup.splitlines() if "jre" in line]
    assert java and all("$tests" in line or "packages+=" in line for line in java), java
    assert re.search(r'if \[ -n "\$tests" \].*\n\s+packages\+=\(default-jre-headless\)', setup)
    # nor pyspark: the `spark` extra is added only with --test, and the test tools do not pull it in
    assert re.search(r'\[ -z "\$tests" \] \|\| extras="\$extras,spark"', setup)
    import tomllib

    extras = tomllib.loads((root / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert any(d.startswith("pyspark") for d in extras["spark"])
    assert not any(d.startswith("pyspark") for name in ("test", "static") for d in extras[name])


def test_the_views_comment_names_every_view(invoke):
    """`ecosystem views  # ...`: the names the README lists are the views the command prints."""
    import json

    comment = re.search(r"^\$ ecosystem views +# (.*)$", README, re.M).group(1)
    listed = [name.strip() for name in comment.split(",")]
    printed = [view["name"] for view in json.loads(invoke("views", "--json").stdout)]
    assert listed == printed


def test_no_cache_is_shown_where_it_goes(invoke):
    """--no-cache is an option of `ecosystem` itself (`ecosystem validate --no-cache` is refused): the
    README's example of it runs."""
    example = re.search(r"`(ecosystem --no-cache [^`]+)`", README).group(1)
    assert invoke(*shlex.split(example)[1:]).exit_code == 0
    assert invoke("validate", "--no-cache").exit_code == 2
