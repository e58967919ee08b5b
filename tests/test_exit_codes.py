"""Exit codes, as README and `--help` document them: 0 success, 1 bad data or a failed query
(an unknown id or view included), 2 bad usage (an unknown command or option, or an option value
that cannot be parsed: a bad date, an unknown export or render format). Never a traceback."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

VALID = FIXTURES / "valid"
RENDER = FIXTURES / "render"


@pytest.fixture
def broken_data(tmp_path) -> Path:
    folder = tmp_path / "broken"
    shutil.copytree(VALID, folder)
    shutil.copy(FIXTURES / "invalid" / "unknown_entity.yaml", folder / "unknown_entity.yaml")
    return folder


def check(result, code: int):
    assert result.exit_code == code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.exception


@pytest.mark.parametrize("args", [
    ["validate"],
    ["show", "holdco"],
    ["show", "holdco", "--as-of", "2010"],
    ["timeline", "--since", "2010", "--until", "2020-06-30"],
    ["diff", "--from", "2010", "--to", "2020"],
])
def test_success_exits_0(invoke, args):
    check(invoke("--data", VALID, *args), 0)


def test_bad_data_exits_1(invoke, broken_data):
    for args in (["validate"], ["validate", "--json"], ["show", "holdco"], ["stats"]):
        check(invoke("--data", broken_data, *args), 1)


@pytest.mark.parametrize("args", [
    ["show", "no_such_entity"],
    ["path", "holdco", "no_such_entity"],
    ["controllers", "no_such_entity"],
    ["render", "no-such-view", "-o", "{tmp}/x.html"],
    ["render", "--focus", "no_such_entity", "-o", "{tmp}/x.html"],
    ["export", "graphml", "--view", "no-such-view", "-o", "{tmp}/x.graphml"],
])
def test_a_failed_query_exits_1(invoke, tmp_path, args):
    result = invoke("--data", RENDER, *[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    check(result, 1)
    assert "error:" in result.output
    assert list(tmp_path.iterdir()) == []  # nothing written


@pytest.mark.parametrize("args, wording", [
    (["no-such-command"], "No such command"),
    (["show", "holdco", "--no-such-option"], "No such option"),
    (["show", "holdco", "--as-of", "2020-13"], "month 13 out of range"),
    (["show", "holdco", "--as-of", "yesterday"], "expected a date"),
    (["stats", "--as-of", "2021-02-29"], "day is out of range"),
    (["controllers", "holdco", "--as-of", "20200"], "expected a date"),
    (["timeline", "--since", "2020-00"], "month 0 out of range"),
    (["diff", "--from", "2010", "--to", "next year"], "expected a date"),
    (["control-diff", "--from", "x", "--to", "2020"], "expected a date"),
    (["export", "excel", "-o", "{tmp}/x.xlsx"], "unknown export format 'excel'"),
    (["export", "graphml", "-o", "{tmp}/x.graphml", "--as-of", "2020-13"], "--as-of"),
    (["render", "vie-structure", "-o", "{tmp}/x.jpg"], "unknown format '.jpg'"),
    (["render", "vie-structure", "-o", "{tmp}/figure"], "unknown format '(no suffix)'"),
    (["neighbours", "holdco", "--depth", "many"], "valid integer"),
])
def test_bad_usage_exits_2(invoke, tmp_path, args, wording):
    result = invoke("--data", RENDER, *[arg.replace("{tmp}", str(tmp_path)) for arg in args])
    check(result, 2)
    assert wording in " ".join(result.output.split()), result.output
    assert list(tmp_path.iterdir()) == []


def test_bad_usage_is_found_before_any_data_is_read(invoke, tmp_path):
    """A usage error does not depend on the data: even a folder that is not there gives 2."""
    check(invoke("--data", tmp_path / "missing", "show", "x", "--as-of", "2020-13"), 2)
    check(invoke("--data", tmp_path / "missing", "show", "x"), 1)


def test_help_and_readme_document_the_codes(invoke):
    text = " ".join(invoke("--help").output.split())
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    for document in (text, readme):
        assert re.search(r"0 success", document), document[:400]
        assert re.search(r"1 bad data or a failed query", document)
        assert re.search(r"2 bad usage", document)
        assert "unknown id or view" in document or "unknown id" in document


def test_the_installed_command_exits_with_the_same_codes(tmp_path):
    """The console script, not only the in-process runner, returns these codes to the shell."""
    import subprocess
    import sys

    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "cli.py"), "--data", str(VALID), *args],
                              capture_output=True, text=True, cwd=ROOT, timeout=120)

    assert run("show", "holdco").returncode == 0
    assert run("show", "no_such_entity").returncode == 1
    bad = run("show", "holdco", "--as-of", "2020-13")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "--as-of" in bad.stderr


@pytest.mark.parametrize("args, where", [
    (["validate", "--data", "x"], "--data is an option of ecosystem itself and goes before the command "
                                  "(ecosystem --data ... validate ...)"),
    (["validate", "--no-cache"], "(ecosystem --no-cache ... validate ...)"),
    (["--as-of", "2020", "controllers", "ant_group"], "--as-of goes after it (ecosystem controllers ... --as-of ...)"),
    (["--json", "search", "ant"], "--json goes after it (ecosystem search ... --json ...)"),
])
def test_an_option_on_the_wrong_side_of_the_command_says_where_it_goes(invoke, args, where):
    """`ecosystem validate --data mydata/` only said "No such option: --data"."""
    result = invoke(*args)
    check(result, 2)
    assert where in " ".join(result.stderr.split())


def test_a_misspelt_option_still_gets_its_close_match(invoke):
    result = invoke("controllers", "ant_group", "--asof", "2020")
    check(result, 2)
    assert "--asof" in result.stderr and "--as-of" in result.stderr
