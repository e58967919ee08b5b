"""`pip install` of the built wheel gives a working `ecosystem` command with the bundled data,
run from a folder that is not the checkout."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"), str(ROOT)],
                   check=True, capture_output=True, text=True)
    wheels = list((work / "dist").glob("ecosystem-*.whl"))
    assert len(wheels) == 1, wheels
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    # the new environment sees this one's dependencies, but not the checkout
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"], *site.getsitepackages()}
    Path(purelib, "outer.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q", str(wheels[0])], check=True,
                   capture_output=True, text=True)
    return venv, wheels[0]


def run(venv: Path, cwd: Path, *args: str):
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "ECOSYSTEM_DATA")}
    return subprocess.run([str(venv / "bin" / "ecosystem"), *args], cwd=cwd, capture_output=True, text=True, env=env)


def test_wheel_carries_the_bundled_data(installed):
    import zipfile

    _, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for name in ("vocabulary.yaml", "entities.yaml", "relations.yaml", "sources.yaml"):
        assert f"ecosystem/_data/{name}" in names
    assert not any(name.startswith("tests/") for name in names)


def test_installed_command_runs_outside_the_checkout(installed, tmp_path):
    venv, _ = installed
    result = run(venv, tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.startswith("ecosystem ")
    result = run(venv, tmp_path, "validate", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["entities"] > 0
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import ecosystem.loader as l; print(l.bundled_data_dir())"],
                           cwd=tmp_path, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(venv), where
    assert list(tmp_path.iterdir()) == []  # nothing written into the working folder


def test_installed_command_reads_another_folder(installed, tmp_path):
    venv, _ = installed
    result = run(venv, tmp_path, "--data", str(ROOT / "tests" / "fixtures" / "valid"), "show", "holdco", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["name"] == "Example Holding Limited"


def test_checkout_entry_point(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), "--data", str(ROOT / "tests" / "fixtures" / "valid"),
                             "search", "示例", "--json"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["id"] in {"holdco", "vie"}


def test_the_wheel_is_pure_python(installed):
    """No compiled code of our own: the wheel is tagged for any platform and holds only Python and data."""
    import zipfile

    _, wheel = installed
    assert wheel.name.endswith("-py3-none-any.whl"), wheel.name
    names = zipfile.ZipFile(wheel).namelist()
    compiled = [name for name in names if name.endswith((".so", ".pyd", ".dylib", ".c"))]
    assert compiled == [], compiled
    assert "ecosystem/loader.py" in names or "ecosystem/loader/__init__.py" in names
