"""Build hook: compiles ecosystem/_speedups.c, the loader's record checks in C.

The extension is optional. Where it cannot be compiled (no C compiler), the package is built
without it and the loader uses the same checks written in Python, which are slower on large
datasets. For an editable install the module is compiled beside its source (the checkout is
what gets imported); for a wheel it is compiled aside and put into the wheel, which is then
tagged for this Python and platform.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "ecosystem/_speedups.c"


class SpeedupsBuildHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        editable = version == "editable"
        work = self._work = Path(tempfile.mkdtemp(prefix="ecosystem-build-"))
        try:
            built = _compile(Path(self.root), work, in_place=editable)
        except Exception as error:  # no compiler, no headers: the package works without it
            if os.environ.get("ECOSYSTEM_REQUIRE_SPEEDUPS"):
                raise
            print(f"ecosystem: C extension not built ({error}); the loader will use its Python checks",
                  file=sys.stderr)
            return
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
        if not editable:
            build_data["force_include"][str(built)] = f"ecosystem/{built.name}"

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)


def _compile(root: Path, work: Path, in_place: bool) -> Path:
    from setuptools import Distribution, Extension
    from setuptools.command.build_ext import build_ext

    distribution = Distribution({"name": "ecosystem", "ext_modules": [
        Extension("ecosystem._speedups", [SOURCE], extra_compile_args=[] if os.name == "nt" else ["-O2"])]})
    previous = os.getcwd()
    os.chdir(root)  # setuptools resolves the source and in-place paths against the working folder
    try:
        command = build_ext(distribution)
        command.inplace = in_place
        command.build_lib = str(work / "lib")
        command.build_temp = str(work / "temp")
        command.ensure_finalized()
        command.run()
        return (root if in_place else work / "lib") / command.get_ext_filename("ecosystem._speedups")
    finally:
        os.chdir(previous)
