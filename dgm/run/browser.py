"""The system Chromium that the browser tests, benchmarks and gallery screenshots drive (Playwright),
and the loopback servers (JupyterLab, `dgm explore`) they start for it.

Playwright cannot download its own browser here; Debian's `chromium` is used through
`executable_path`, with the flags a closed, headless machine needs (no background networking).
"""

import os
import signal
import socket
import subprocess
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)

# Installed in the page before a key press: times each key press to the next load of the widget's
# chart image plus one animation frame (what a user sees), into window.__steps (ms).
TIMER_JS = """
() => {
  const img = document.querySelector('.widget-image img, img.widget-image');
  window.__steps = [];
  document.addEventListener('keydown', () => { window.__t0 = performance.now(); }, true);
  img.addEventListener('load', () => {
    requestAnimationFrame(() => window.__steps.push(performance.now() - window.__t0));
  });
}
"""


def launch(playwright):
    """A headless system Chromium from a `sync_playwright()` context."""
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop_server(proc: subprocess.Popen) -> None:
    """Stop a server started with `start_new_session=True`, then anything left in its process
    group (a group started for this run only)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()
