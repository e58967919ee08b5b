"""Benchmark: time to "layout done" of a large HTML figure in headless Chromium, and its size.

A synthetic view of 1,500 entities and 3,000 relations is rendered twice into the same template:
once with our vis-network settings (straight edges, no improvedLayout, bounded stabilisation,
physics off afterwards) and once with pyvis's default options (``Network().options``). Both pages
are timed in the same run with the system Chromium, from navigation start to the page's
``layoutdone`` event (vis-network's ``stabilizationIterationsDone``). Prints seconds and ratios.

    python benchmarks/bench_render.py [--nodes 1500] [--edges 3000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def synthetic_graph(nodes: int, edges: int, seed: int = 7) -> nx.MultiDiGraph:
    from ecosystem.loader import load

    dataset = load(Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "valid", use_cache=False)
    rng = random.Random(seed)
    graph = nx.MultiDiGraph()
    graph.graph.update(name="synthetic", vocabulary=dataset.vocabulary, sources=dataset.sources, views={},
                       latest_date=None)
    kinds = ["company"] * 6 + ["person", "platform", "user_group", "state_body"]
    for index in range(nodes):
        graph.add_node(f"n{index:05d}", id=f"n{index:05d}", name=f"Entity {index}", type=rng.choice(kinds),
                       sources=[{"source": "case", "locator": f"§{index}"}])
    relations = [("owns", "ownership"), ("controls", "control"), ("operates", "corporate"), ("serves", "market")]
    for index in range(edges):
        u, v = rng.randrange(nodes), rng.randrange(nodes)
        if u == v:
            v = (v + 1) % nodes
        kind, category = rng.choice(relations)
        data = {"id": f"e{index:05d}", "type": kind, "category": category,
                "sources": [{"source": "case", "locator": "§1"}]}
        if kind == "owns":
            data["equity"] = {"value": rng.randrange(1, 100)}
        graph.add_edge(f"n{u:05d}", f"n{v:05d}", key=f"e{index:05d}", **data)
    return graph


def pages(graph, folder: Path) -> dict[str, Path]:
    from pyvis.network import Network

    from ecosystem.render.html import page_data, render_page
    from ecosystem.views import View, build_view

    view = View(name="synthetic", title="Synthetic benchmark view", include=[{"types": ["company", "person", "platform",
                                                                                       "user_group", "state_body"]}],
                layout="force", connected_only=False)
    view_graph = build_view(graph, view)
    ours = page_data(view_graph)
    theirs = json.loads(json.dumps(ours))
    # the same styling (vis groups), pyvis's default layout and physics
    theirs["options"] = {**json.loads(Network(directed=True).options.to_json()), "groups": ours["options"]["groups"]}
    result = {}
    for name, document in (("ours", ours), ("pyvis-defaults", theirs)):
        path = folder / f"{name}.html"
        path.write_text(render_page(document), encoding="utf-8")
        result[name] = path
    return result


def time_layout(context, path: Path, timeout_s: float) -> float:
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-layout=done]", state="attached", timeout=timeout_s * 1000)
        if errors:
            raise RuntimeError(errors[0])
        return page.evaluate("window.ecosystemLayoutMs") / 1000
    except Exception as error:  # a timeout counts as "did not settle"
        if "Timeout" in type(error).__name__ or "Timeout" in str(error):
            return float("inf")
        raise
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1500)
    parser.add_argument("--edges", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=180, help="seconds before a page counts as never settling")
    options = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    graph = synthetic_graph(options.nodes, options.edges)
    with tempfile.TemporaryDirectory() as folder:
        files = pages(graph, Path(folder))
        build_s = time.perf_counter() - started
        sizes = {name: path.stat().st_size for name, path in files.items()}
        times: dict[str, list[float]] = {name: [] for name in files}
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                tempfile.mkdtemp(), executable_path=executable, args=ARGS, headless=True,
                viewport={"width": 1600, "height": 1000})
            for _ in range(options.runs):
                for name, path in files.items():
                    times[name].append(time_layout(context, path, options.timeout))
            context.close()
    print(f"synthetic view: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges "
          f"(pages built in {build_s:.2f} s)")
    for name in files:
        median = statistics.median(times[name])
        print(f"  {name:15} layout done in {median:7.2f} s (median of {options.runs}: "
              f"{', '.join(f'{t:.2f}' for t in times[name])}); file {sizes[name] / 1e6:.2f} MB")
    ours, theirs = statistics.median(times["ours"]), statistics.median(times["pyvis-defaults"])
    print(f"ratio pyvis defaults / ours: {theirs / ours:.1f}x slower" if theirs != float("inf")
          else f"pyvis defaults did not settle within {options.timeout:g} s; ours: {ours:.2f} s")
    print(f"file size: {sizes['ours'] / 1e6:.2f} MB ({'under' if sizes['ours'] < 2e6 else 'OVER'} the 2 MB budget)")


if __name__ == "__main__":
    main()
