"""Explorer speed in JupyterLab: median milliseconds from a key press on the growth slider to the
redrawn chart painted in the browser (goal ≤ 150 ms). Measured, never asserted.

Runs notebook 06 with `interactive = True` (papermill --prepare-only, then JupyterLab's "Run All
Cells") in a JupyterLab on a free 127.0.0.1 port, opened in headless system Chromium via
Playwright; presses ArrowRight STEPS times and times keydown → new image loaded → next frame.
`tests/test_explorer_client.py` measures the same in `dgm explore` (Voilà).

Run: `PYTHONPATH=$PWD .venv/bin/python benchmarks/bench_explorer_jupyterlab.py [--json]`
(writes .cache/benchmarks/explorer_jupyterlab.json too).
"""

from __future__ import annotations

import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from dgm.run.browser import TIMER_JS, free_port, launch, stop_server

GOAL_MS = 150.0
STEPS = 15
STARTUP_S = 240


def _lab(root: str, port: int) -> subprocess.Popen:
    """JupyterLab on 127.0.0.1:port serving root, without token (loopback only, this run only)."""
    args = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        "--IdentityProvider.token=",
        f"--ServerApp.root_dir={root}",
    ]
    return subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )


def measure() -> dict:
    """Start JupyterLab, run notebook 06 with sliders, time STEPS slider steps in Chromium."""
    from playwright.sync_api import sync_playwright

    from dgm import paths

    with tempfile.TemporaryDirectory(prefix="dgm-lab-") as root:
        nb = Path(root) / "06.ipynb"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "papermill",
                str(paths.NOTEBOOKS / "06_scenario_explorer.ipynb"),
                str(nb),
                "-p",
                "interactive",
                "True",
                "--prepare-only",
            ],
            check=True,
            capture_output=True,
        )
        port = free_port()
        proc = _lab(root, port)
        try:
            deadline = time.monotonic() + STARTUP_S
            while socket.socket().connect_ex(("127.0.0.1", port)) != 0:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise RuntimeError("JupyterLab did not start")
                time.sleep(0.5)
            with sync_playwright() as p:
                browser = launch(p)
                try:
                    page = browser.new_page(viewport={"width": 1300, "height": 1400})
                    page.goto(
                        f"http://127.0.0.1:{port}/lab/tree/06.ipynb", timeout=STARTUP_S * 1000
                    )
                    page.wait_for_selector(".jp-Notebook", timeout=STARTUP_S * 1000)
                    page.get_by_text("| Idle").wait_for(timeout=STARTUP_S * 1000)  # kernel up
                    page.locator(".jp-Notebook").click()
                    page.keyboard.press("Control+Shift+c")  # command palette
                    page.locator(".lm-CommandPalette-input").fill("Run All Cells")
                    page.keyboard.press("Enter")
                    img = page.locator(".widget-image img, img.widget-image").first
                    try:
                        img.wait_for(timeout=STARTUP_S * 1000)
                    except Exception:
                        page.screenshot(
                            path=str(paths.ROOT / ".cache" / "benchmarks" / "lab_failed.png")
                        )
                        raise
                    img.scroll_into_view_if_needed()
                    page.locator(".widget-slider", has_text="growth").locator(
                        ".noUi-handle"
                    ).focus()
                    page.evaluate(TIMER_JS)
                    for step in range(STEPS):
                        src = img.get_attribute("src")
                        page.keyboard.press("ArrowRight")
                        page.wait_for_function(
                            "([el, src]) => el.src !== src && el.complete",
                            arg=[img.element_handle(), src],
                        )
                        page.wait_for_function(f"window.__steps.length > {step}")
                    steps = page.evaluate("window.__steps")
                finally:
                    browser.close()
        finally:
            stop_server(proc)
    return {
        "explorer_jupyterlab_step_ms_median": round(statistics.median(steps), 1),
        "explorer_jupyterlab_step_ms": [round(s, 1) for s in steps],
        "goal_ms": GOAL_MS,
        "measured": "keydown on the growth slider to the new chart image loaded and painted",
        "client": "JupyterLab, notebook 06 with interactive = True, headless Chromium",
    }


def main(argv: list[str]) -> int:
    """Measure, write .cache/benchmarks/explorer_jupyterlab.json, print."""
    from dgm import paths

    result = measure()
    out = paths.ROOT / ".cache" / "benchmarks" / "explorer_jupyterlab.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    if "--json" in argv:
        print(json.dumps(result, indent=1))
    else:
        median = result["explorer_jupyterlab_step_ms_median"]
        verdict = "met" if median <= GOAL_MS else "NOT met"
        print(f"explorer_jupyterlab_step_ms_median {median:.1f}  (goal ≤ {GOAL_MS:g}: {verdict})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
