"""Shared fixtures.

A missing external tool (Chromium, Graphviz, xmllint) skips a test on a developer's machine
but fails it in CI (CI=true), where .ci/run installs everything.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
BUNDLED = ROOT / "data"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
# In CI the property tests draw the same examples every run (a failure there is reproducible, never a
# flake); on a developer's machine they draw new ones each time, to keep finding cases.
settings.register_profile("ci", derandomize=True, database=None)
if IN_CI:
    settings.load_profile("ci")
# The GraphML, GEXF and BODS schemas: the shared copy beside the repository where there is one,
# else the copy kept in tests/schemas (same files, with their licences).
SCHEMAS = next((p for p in (ROOT.parent / "shared" / "schemas", Path(__file__).resolve().parent / "schemas")
                if (p / "graphml" / "graphml.xsd").is_file()), ROOT.parent / "shared" / "schemas")
# The 19 examples published with BODS 0.4: the shared copy where there is one, else tests/fixtures' copy.
BODS_EXAMPLES = next((p for p in (ROOT.parent / "shared" / "fixtures" / "bods-0.4-examples",
                                  FIXTURES / "bods-0.4-examples") if (p / "levent.json").is_file()),
                     FIXTURES / "bods-0.4-examples")


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own loader cache, so no test sees another's cached data."""
    monkeypatch.setenv("ECOSYSTEM_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("ECOSYSTEM_DATA", raising=False)


def need(condition: bool, what: str, install: str) -> None:
    """Skip locally, fail in CI, when an external dependency is missing."""
    if condition:
        return
    message = f"{what} is not available ({install})"
    if IN_CI:
        pytest.fail(message + " — CI must install it (.ci/run)")
    pytest.skip(message)


def need_binary(name: str, install: str) -> str:
    path = shutil.which(name)
    need(path is not None, f"`{name}`", install)
    return path


@pytest.fixture(scope="session")
def valid_dir() -> Path:
    return FIXTURES / "valid"


@pytest.fixture(scope="session")
def valid_graph(valid_dir):
    from ecosystem.graph import load_graph

    return load_graph(valid_dir, use_cache=False)


@pytest.fixture(scope="session")
def bundled_dataset():
    from ecosystem.loader import load

    return load(BUNDLED, use_cache=False)


@pytest.fixture(scope="session")
def bundled_graph(bundled_dataset):
    from ecosystem.graph import build_graph

    return build_graph(bundled_dataset)


@pytest.fixture
def runner():
    from typer.testing import CliRunner

    return CliRunner()


@pytest.fixture
def invoke(runner):
    """Run the CLI in-process: ``invoke("show", "holdco", "--json")``."""
    from ecosystem.cli import app

    def run(*args, input=None):
        return runner.invoke(app, [str(arg) for arg in args], input=input)

    return run


@pytest.fixture(scope="session")
def spark():
    """One Spark session for every test that needs one: local[2], bound to 127.0.0.1, the settings
    for small data. Without pyspark or Java: skipped on a developer's machine, failed in CI."""
    try:
        import pyspark
    except ImportError:
        need(False, "pyspark", "./setup.sh --test, or pip install 'ecosystem[spark]'")
    need(shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME")), "a Java runtime",
         "./setup.sh --test, or apt-get install default-jre-headless")
    from ecosystem import spark_engine

    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    config = {}
    if list((Path(pyspark.__file__).parent / "jars").glob("spark-connect_*.jar")):
        # the same JVM serves Spark Connect on a free local port (see spark_connect_url)
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        config = {"spark.plugins": "org.apache.spark.sql.connect.SparkConnectPlugin",
                  "spark.connect.grpc.binding.address": "127.0.0.1", "spark.connect.grpc.binding.port": str(port)}
    session = spark_engine.session("local[2]", partitions=1, small=True, config=config)
    yield session
    session.stop()


@pytest.fixture(scope="session")
def spark_connect_url(spark):
    """``sc://127.0.0.1:PORT``: the shared session's Spark Connect server (pyspark 4 ships it)."""
    port = spark.conf.get("spark.connect.grpc.binding.port", None)
    need(port is not None, "a Spark Connect server in pyspark", "./setup.sh --test (pyspark 4 or later)")
    try:
        import grpc  # noqa: F401  (a Connect client needs pyspark[connect])
    except ImportError:
        need(False, "the Spark Connect client", "./setup.sh --test, or pip install 'pyspark[connect]'")
    return f"sc://127.0.0.1:{port}"
