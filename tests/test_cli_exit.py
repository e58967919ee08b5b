"""The console script leaves right after printing: output flushed, exit code kept, no interpreter
teardown (atexit handlers and the freeing of every object are skipped), no traceback on a closed pipe."""

from __future__ import annotations

import json
import subprocess
import sys

RUN = "import atexit; atexit.register(print, 'teardown ran'); from ecosystem.cli import main; main()"


def run(*args, **kwargs):
    return subprocess.run([sys.executable, "-c", RUN, *args], capture_output=True, text=True, **kwargs)


def test_output_is_complete_and_no_teardown_runs():
    result = run("search", "ant", "--json")
    assert result.returncode == 0, result.stderr
    assert "ant_group" in [hit["id"] for hit in json.loads(result.stdout)]  # the whole document arrived
    assert "teardown ran" not in result.stdout + result.stderr


def test_exit_codes_are_kept():
    failed = run("controllers", "no_such_entity")
    assert failed.returncode == 1 and "no_such_entity" in failed.stderr and "Traceback" not in failed.stderr
    usage = run("controllers")
    assert usage.returncode == 2 and "Traceback" not in usage.stderr
    assert run("--version").returncode == 0


def test_a_closed_pipe_is_not_a_traceback():
    process = subprocess.Popen([sys.executable, "-c", RUN, "timeline", "--json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.read(10)
    process.stdout.close()  # like `| head -c 10`
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


def test_leave_flushes_and_ends_with_the_code(monkeypatch, capsys):
    import ecosystem.cli as cli

    ended = []

    class Ended(Exception):
        pass

    def fake_exit(code):
        ended.append(code)
        raise Ended

    monkeypatch.setattr(cli.os, "_exit", fake_exit)
    monkeypatch.setattr(sys, "argv", ["ecosystem", "show", "no_such_entity"])
    try:
        cli.main()
    except Ended:
        pass
    assert ended == [1]
    assert "no_such_entity" in capsys.readouterr().err
    for code, expected in ((None, 0), ("a message", 1), (2, 2)):
        try:
            cli.leave(code)
        except Ended:
            pass
        assert ended[-1] == expected
