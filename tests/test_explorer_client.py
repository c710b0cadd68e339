"""The explorer in the clients economists use: notebook 06 run by papermill with sliders, and
`dgm explore` (Voilà) in headless Chromium driven by Playwright: a growth step redraws, a goal
chosen after a start-year step is drawn at its own defaults, and at 400 px the narrow chart and
stacked sliders show.

All are slow (a kernel, a server, a browser). The browser test also records how long a slider
step takes to reach the screen (median over BROWSER_STEPS key presses) in
.cache/benchmarks/explorer_browser.json: a benchmark figure, never an assertion.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import statistics
import subprocess
import sys

import pytest

from dgm import paths
from dgm.engine import scenario
from dgm.run.browser import CHROMIUM, TIMER_JS, launch, stop_server

STARTUP_S = 240  # Voilà, its kernel and the first chart on a loaded two-core machine
BROWSER_STEPS = 15  # ArrowRight presses timed in the browser
BENCH_JSON = paths.ROOT / ".cache" / "benchmarks" / "explorer_browser.json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _env() -> dict:
    """The environment for subprocesses: this checkout's dgm first on the path, Agg backend."""
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(paths.ROOT), os.environ.get("PYTHONPATH", "")) if p
    )
    return env


@pytest.mark.slow
def test_notebook_06_with_sliders_runs_under_papermill_and_shows_every_goal(tmp_path):
    """`papermill 06 out.ipynb -p interactive True` exits 0; its output holds the widget view,
    and the stored widget state offers every goal with a judged series and holds a chart."""
    import dgm

    out = tmp_path / "out.ipynb"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(paths.NOTEBOOKS / "06_scenario_explorer.ipynb"),
            str(out),
            "-p",
            "interactive",
            "True",
            "-p",
            "lang",
            "en",
            "--cwd",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=900,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    nb = json.loads(out.read_text())
    views = [
        o["data"][WIDGET_VIEW]["model_id"]
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if WIDGET_VIEW in o.get("data", {})
    ]
    assert len(views) == 1, "the interactive cell displays the explorer"
    state = nb["metadata"]["widgets"][WIDGET_STATE]["state"]
    assert views[0] in state
    models = list(state.values())
    dropdowns = [m["state"] for m in models if m["model_name"] == "DropdownModel"]
    labels = dropdowns[0]["_options_labels"]
    targets = dgm.load_targets().set_index("id")
    expected = [targets.loc[t, "label_en"] for t in scenario.explorable()]
    assert labels == expected, "one entry per goal with a judged series"
    assert targets.loc["technical_renovation_investment_growth_2015_2025", "label_en"] in labels
    images = [m for m in models if m["model_name"] == "ImageModel"]
    assert len(images) == 2, "the wide and the narrow chart"
    for image in images:
        png = base64.b64decode(image["buffers"][0]["data"])
        assert png.startswith(b"\x89PNG"), "the chart was drawn into the widget"


@pytest.fixture
def served():
    """`dgm explore --port 0 --lang en`: Voilà on a free loopback port it picks and prints; yields
    the printed URL once something listens there."""
    import re
    import socket

    proc = subprocess.Popen(
        [sys.executable, "-m", "dgm", "explore", "--port", "0", "--lang", "en"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=_env(),
        start_new_session=True,
    )
    try:
        line = proc.stdout.readline()  # printed once Voilà listens
        found = re.search(r"the scenario explorer is at (http://127\.0\.0\.1:(\d+)/) ", line)
        assert found and int(found[2]) > 0, line
        with socket.create_connection(("127.0.0.1", int(found[2])), timeout=5):
            pass  # listening on the printed port
        yield found[1]
    finally:
        stop_server(proc)


@pytest.mark.slow
def test_dgm_explore_in_chromium_redraws_on_arrow_right(served, tmp_path):
    """Voilà shows the explorer without code; ArrowRight on the growth slider changes the chart."""
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (CI installs Debian's chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 1100})
            page.goto(served, timeout=STARTUP_S * 1000)
            img = page.locator(".widget-image img, img.widget-image").first
            img.wait_for(timeout=STARTUP_S * 1000)
            page.wait_for_function(
                "el => el.complete && el.naturalWidth > 0", arg=img.element_handle()
            )
            text = page.locator("body").inner_text()
            assert "explorer.app(" not in text and "import" not in text, "no code is shown"
            assert "scenario explorer" in text
            options = [
                o.replace("\xa0", " ") for o in page.locator("select option").all_inner_texts()
            ]
            assert len(options) == len(scenario.explorable()), options
            assert options[0] == "Gross industrial output reaches 2 trillion yuan"
            page.screenshot(path=str(tmp_path / "explorer.png"), full_page=True)
            handle = page.locator(".widget-slider", has_text="growth").locator(".noUi-handle")
            handle.focus()
            page.evaluate(TIMER_JS)
            for step in range(BROWSER_STEPS):
                before_src, before_png = img.get_attribute("src"), img.screenshot()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "([el, src]) => el.src !== src && el.complete",
                    arg=[img.element_handle(), before_src],
                )
                page.wait_for_function(f"window.__steps.length > {step}")
                assert img.screenshot() != before_png, "the chart image changed"
            steps = page.evaluate("window.__steps")
        finally:
            browser.close()
    median = statistics.median(steps)
    BENCH_JSON.parent.mkdir(parents=True, exist_ok=True)
    BENCH_JSON.write_text(
        json.dumps(
            {
                "explorer_browser_step_ms_median": round(median, 1),
                "explorer_browser_step_ms": [round(s, 1) for s in steps],
                "goal_ms": 150,
                "measured": "keydown on the growth slider to the new chart image loaded and painted",
                "client": "dgm explore (Voilà) in headless Chromium",
            },
            indent=1,
        )
    )
    print(f"explorer_browser_step_ms_median {median:.1f} (goal ≤ 150)")
    shutil.copy(tmp_path / "explorer.png", BENCH_JSON.parent / "explorer_browser.png")


# Reads the bytes of an <img>'s blob URL as base64 (what the page shows, to compare with Python's).
IMAGE_BYTES_JS = """
async (el) => {
  const bytes = new Uint8Array(await (await fetch(el.src)).arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  }
  return btoa(s);
}
"""
VISIBLE_IMAGE = "img.widget-image:visible"


def _open(page, url):
    """Load the explorer and wait for its (visible) chart."""
    page.goto(url, timeout=STARTUP_S * 1000)
    img = page.locator(VISIBLE_IMAGE).first
    img.wait_for(timeout=STARTUP_S * 1000)
    page.wait_for_function("el => el.complete && el.naturalWidth > 0", arg=img.element_handle())
    return img


def _after(page, img, action):
    """Do `action`, then wait until the chart image is replaced and loaded."""
    src = img.get_attribute("src")
    action()
    page.wait_for_function(
        "([el, src]) => el.src !== src && el.complete && el.naturalWidth > 0",
        arg=[img.element_handle(), src],
        timeout=60_000,
    )


@pytest.mark.slow
def test_dgm_explore_draws_the_new_goal_after_a_start_year_step(served, tmp_path):
    """The issue's case in the browser: R&D, start year 2021 → 2020 by key, then the headline
    output goal: it is drawn at its own defaults (the same PNG and caption Python draws for them),
    with its own start year on the slider. At 400 px the narrow chart shows 1:1 and the sliders
    keep usable tracks."""
    if not CHROMIUM.exists():
        pytest.skip(f"no browser: {CHROMIUM} is missing (CI installs Debian's chromium)")
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    from dgm.present import explorer

    expected = explorer.Explorer(scenario.explorable(), lang="en")
    expected.select("industrial_output_2025")
    png = expected.draw()["wide"]
    with sync_api.sync_playwright() as p:
        browser = launch(p)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1100})
            img = _open(page, served)
            select = page.locator("select").first
            _after(
                page, img, lambda: select.select_option(label="R&D expenditure above 4 % of GDP")
            )
            start = page.locator(".widget-slider", has_text="start year")
            assert start.locator(".widget-readout").inner_text() == "2021"
            start.locator(".noUi-handle").focus()
            _after(page, img, lambda: page.keyboard.press("ArrowLeft"))
            assert start.locator(".widget-readout").inner_text() == "2020"
            page.get_by_text("from 2020", exact=False).first.wait_for(timeout=30_000)
            label = "Gross industrial output reaches 2 trillion yuan"
            _after(page, img, lambda: select.select_option(label=label))
            page.screenshot(path=str(tmp_path / "switched.png"), full_page=True)
            caption = expected.caption()
            page.wait_for_function(
                "c => document.body.innerText.replace(/\\u00a0/g, ' ').includes(c)", arg=caption
            )
            assert "Cannot draw" not in page.locator("body").inner_text()
            assert start.locator(".widget-readout").inner_text() == "2025"
            shown = base64.b64decode(img.evaluate(IMAGE_BYTES_JS))
            assert shown == png, "the browser shows the output goal at its defaults"
            page.close()

            page = browser.new_page(viewport={"width": 400, "height": 900})
            img = _open(page, served)
            size = img.evaluate("el => [el.naturalWidth, el.getBoundingClientRect().width]")
            assert size == [360, 360], "the narrow chart, drawn 1:1"
            tracks = page.evaluate(
                "() => [...document.querySelectorAll('.widget-slider .noUi-target')]"
                ".map(e => e.getBoundingClientRect().width)"
            )
            assert len(tracks) == 3 and min(tracks) >= 250, tracks  # each under its name
            page.screenshot(path=str(tmp_path / "narrow.png"), full_page=True)
        finally:
            browser.close()
