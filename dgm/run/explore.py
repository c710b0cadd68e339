"""`dgm explore`'s server: Voilà on 127.0.0.1 serving the explorer's notebook
(dgm.present.explorer.app_notebook) from a temporary directory, started and stopped here."""

from dgm.present.explorer import app_notebook

STARTUP_S = 180  # how long `dgm explore` waits for Voilà to listen (a loaded machine is slow)


def _listening(port: int) -> bool:
    """Whether something accepts TCP connections on 127.0.0.1:port."""
    import socket

    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


def serve(port: int, lang: str = "both"):
    """Start Voilà on 127.0.0.1:port serving the explorer (port 0: a free one, see the URL);
    returns (process, url, tmp dir).

    The caller stops it (`stop`). Raises RuntimeError when the port is taken or Voilà does not
    listen within STARTUP_S seconds.
    """
    import subprocess
    import sys
    import tempfile
    import time
    from pathlib import Path

    import nbformat

    from dgm.run.browser import free_port

    port = port or free_port()
    if _listening(port):
        raise RuntimeError(
            f"port {port} on 127.0.0.1 is already in use; choose another with --port"
        )
    tmp = tempfile.TemporaryDirectory(prefix="dgm-explore-")
    path = Path(tmp.name) / "scenario_explorer.ipynb"
    nbformat.write(app_notebook(lang), path)
    cmd = [
        sys.executable,
        "-m",
        "voila",
        str(path),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--Voila.port_retries=0",
        "--no-browser",
        "--show_tracebacks=False",
    ]
    proc = subprocess.Popen(cmd, cwd=tmp.name, stdin=subprocess.DEVNULL)
    deadline = time.monotonic() + STARTUP_S
    while not _listening(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            stop(proc, tmp)
            raise RuntimeError(f"Voilà did not start on 127.0.0.1:{port} (exit {proc.returncode})")
        time.sleep(0.3)
    return proc, f"http://127.0.0.1:{port}/", tmp


def stop(proc, tmp=None) -> None:
    """Stop a Voilà process started by `serve` (terminate, then kill) and remove its notebook."""
    import subprocess

    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if tmp is not None:
        tmp.cleanup()
