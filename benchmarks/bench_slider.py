"""Benchmark: the date slider of a large page in headless Chromium (a benchmark, not a test).

A synthetic dataset (``benchmarks/synthetic.py``: N entities, 3N relations with partial dates) is
drawn as one view of about 1,500 entities with its date slider, exactly as ``ecosystem render``
writes it (``ecosystem.render.render_view``: the view resolved at each change date, the control
verdicts of each date embedded). The bundled ``ecosystem`` view (Figure 1.1.2) is the baseline,
measured in the same run, in the same browser, interleaved.

For each page and run: the time to open it (navigation start to the page's ``layoutdone``), then
the slider moved one date at a time through its dates, as a reader drags it (the range input's
value set and its ``input`` event fired in the page). A step is timed from the event to the end of
the next animation frame, so the redraw that vis-network schedules for the frame after a data
change is counted too. Prints medians, the slowest step, the page size, and the ratios against
the baseline. Targets (issue 15): a step under 300 ms; the page under 3 MB.

    python benchmarks/bench_slider.py [--n 1750] [--runs 3] [--steps 60] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_render import ARGS  # noqa: E402  (the same Chromium flags)
from benchmarks.synthetic import write_dataset  # noqa: E402

TARGET_MS = 300
BUDGET_BYTES = 3_000_000
# every entity type the synthetic data has, but the jurisdictions and laws (context, not actors)
TYPES = ["company", "person", "platform", "partnership", "state_body", "organization", "financial_product"]

# Move the slider through its dates, one step at a time, as an `input` event on the range input;
# each step timed until the frame after it is done (vis-network redraws data changes there).
STEP_THROUGH = """async (limit) => {
    const slider = document.getElementById('date');
    const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
    const dates = ecosystem.dates();
    let draws = 0;
    ecosystem.network.on('afterDrawing', () => { draws++; });
    slider.value = '0';
    slider.dispatchEvent(new Event('input'));
    await frame();
    const steps = [];
    for (let i = 1; i < dates.length && steps.length < limit; i++) {
        draws = 0;
        const started = performance.now();
        slider.value = String(i);
        slider.dispatchEvent(new Event('input'));
        const handled = performance.now();
        await frame();
        steps.push({ms: performance.now() - started, sync: handled - started, draws: draws,
                    visible: ecosystem.visibleNodes().length});
    }
    return steps;
}"""


def build_pages(folder: Path, n: int) -> dict[str, dict]:
    """The synthetic page and the baseline page; with what each draws."""
    from ecosystem.graph import load_graph
    from ecosystem.render import render_view
    from ecosystem.views import View

    pages = {}
    started = time.perf_counter()
    graph = load_graph(ROOT / "data", use_cache=False)
    path = render_view(graph, "ecosystem", folder / "baseline-ecosystem.html")
    pages["bundled ecosystem"] = {"path": path, "build_s": time.perf_counter() - started, "bytes": path.stat().st_size}

    started = time.perf_counter()
    data = write_dataset(folder / f"synthetic-{n}", n, fmt="json")
    graph = load_graph(data, use_cache=False)
    view = View(name="synthetic", title=f"Synthetic view of {n} entities", include=[{"types": TYPES}])
    path = render_view(graph, view, folder / "synthetic.html")
    pages["synthetic"] = {"path": path, "build_s": time.perf_counter() - started, "bytes": path.stat().st_size}
    return pages


def measure(context, path: Path, steps: int) -> dict:
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
    try:
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-layout=done]", state="attached", timeout=600_000)
        opened = page.evaluate("window.ecosystemLayoutMs")
        shape = page.evaluate("({nodes: ecosystem.data.nodes.length, edges: ecosystem.data.edges.length, "
                              "dates: ecosystem.dates().length, graphviz: ecosystem.data.graphviz !== null})")
        timed = page.evaluate(STEP_THROUGH, steps)
        if errors:
            raise RuntimeError(f"{path.name}: {errors[0]}")
        return {"open_ms": opened, "steps": timed, **shape}
    finally:
        page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1750, help="synthetic entities (the view draws about 85%% of them)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=60, help="slider steps timed per run (at most the dates)")
    parser.add_argument("--keep", type=Path, help="write the pages and the data here and keep them")
    options = parser.parse_args()
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        sys.exit("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-slider-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        pages = build_pages(folder, options.n)
        results: dict[str, list[dict]] = {name: [] for name in pages}
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                str(folder / "profile"), executable_path=executable, args=ARGS, headless=True,
                viewport={"width": 1366, "height": 768})
            try:
                for _ in range(options.runs):  # interleaved: the machine's load falls on both alike
                    for name, page in pages.items():
                        results[name].append(measure(context, page["path"], options.steps))
            finally:
                context.close()
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)

    load = os.getloadavg()
    print(f"headless Chromium at 1366x768; {options.runs} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    summary = {}
    for name, runs in results.items():
        first = runs[0]
        steps = [step for run in runs for step in run["steps"]]
        ms = sorted(step["ms"] for step in steps)
        summary[name] = {
            "open": statistics.median(run["open_ms"] for run in runs),
            "step": statistics.median(ms),
            "p95": ms[min(len(ms) - 1, int(0.95 * len(ms)))],
            "max": ms[-1],
            "sync": statistics.median(step["sync"] for step in steps),
            "draws": statistics.median(step["draws"] for step in steps),
        }
        line = summary[name]
        print(f"{name}: {first['nodes']} entities, {first['edges']} relations, {first['dates']} dates, "
              f"{'Graphviz' if first['graphviz'] else 'force'} layout; page {pages[name]['bytes'] / 1e6:.2f} MB, "
              f"built in {pages[name]['build_s']:.1f} s")
        opens = ", ".join(f"{run['open_ms']:.0f}" for run in runs)
        print(f"  open (navigation to layout done): {line['open']:8.0f} ms (median; runs: {opens})")
        print(f"  slider step: median {line['step']:6.1f} ms, 95th percentile {line['p95']:6.1f} ms, slowest "
              f"{line['max']:6.1f} ms over {len(ms)} steps (handler alone {line['sync']:.1f} ms; "
              f"{line['draws']:g} draws per step)")
    synthetic, baseline = summary["synthetic"], summary["bundled ecosystem"]
    print(f"ratios synthetic / bundled ecosystem: open {synthetic['open'] / baseline['open']:.1f}x, "
          f"slider step {synthetic['step'] / baseline['step']:.1f}x (median), "
          f"{synthetic['max'] / baseline['max']:.1f}x (slowest)")
    verdict = "under" if synthetic["max"] < TARGET_MS else "OVER"
    print(f"target: every slider step under {TARGET_MS} ms: slowest {synthetic['max']:.0f} ms, {verdict}")
    size = pages["synthetic"]["bytes"]
    print(f"target: the page under {BUDGET_BYTES / 1e6:g} MB: {size / 1e6:.2f} MB, "
          f"{'under' if size < BUDGET_BYTES else 'OVER'} ({size / pages['bundled ecosystem']['bytes']:.1f}x the baseline page)")


if __name__ == "__main__":
    main()
