"""A local Wayback Machine for tests and benchmarks: pywb 2.10 serving given WARC files on 127.0.0.1.

pywb lives in its own virtual environment (`.pywb-venv/` at the repository root) because in the
main one its brotlipy breaks Scrapy. This module only starts it as a separate process:

    with PywbServer([Path("archive/demo/demo.warc.gz")]) as pywb:
        httpx.get(pywb.cdx_url, params={"url": "www.ice.gov/pi/nr/*", "output": "json"})
        httpx.get(pywb.capture_url("20100428120109", "http://www.ice.gov/pi/nr/1004/100422richmond.htm"))

Each server gets a fresh temporary directory holding one collection (`wb-manager init` and
`wb-manager add`, which copies the WARCs and indexes them), a free port, and its own process
group, which `stop()` ends. On Linux the server also gets SIGTERM if the thread that started it
dies (a test run killed with SIGKILL leaves no server behind), so start it from a thread that
outlives it, e.g. the main thread.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYWB_VENV = ROOT / ".pywb-venv"
INSTALL_HINT = (
    'run `make test` or `make install-pywb` (python3 -m venv .pywb-venv && .pywb-venv/bin/pip install "pywb==2.10.0")'
)

# Variables of the calling interpreter that must not leak into pywb's own Python.
_SCRUBBED_ENV = ("PYTHONPATH", "PYTHONHOME", "PYTHONWARNINGS", "VIRTUAL_ENV", "PYTHONSTARTUP")


class PywbError(RuntimeError):
    """pywb is missing, or its collection or server could not be set up."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PywbServer:
    """pywb's `wayback` server over `warcs`, in one collection named `collection`.

    `redirect_to_exact=False` is pywb's default: a request for a timestamp without an exact
    capture is answered with the nearest capture directly (200, its real time in
    `Memento-Datetime`). `True` makes pywb answer with a 307 to the exact timestamp instead,
    as the Internet Archive does (with a 302).
    """

    def __init__(
        self,
        warcs: list[Path],
        collection: str = "demo",
        *,
        redirect_to_exact: bool = False,
        venv: Path = PYWB_VENV,
        startup_timeout: float = 30.0,
    ):
        self.warcs = [Path(warc).resolve() for warc in warcs]
        self.collection = collection
        self.redirect_to_exact = redirect_to_exact
        self.venv = Path(venv)
        self.startup_timeout = startup_timeout
        self.port: int | None = None
        self.workdir: Path | None = None
        self._tmp: tempfile.TemporaryDirectory | None = None
        self._proc: subprocess.Popen | None = None
        self._log = None

    # -- addresses -------------------------------------------------------------------------------
    @property
    def base(self) -> str:
        if self.port is None:
            raise PywbError("the pywb server is not running")
        return f"http://127.0.0.1:{self.port}"

    @property
    def cdx_url(self) -> str:
        return f"{self.base}/{self.collection}/cdx"

    @property
    def replay_prefix(self) -> str:
        return f"{self.base}/{self.collection}/"

    def capture_url(self, timestamp: str, url: str, modifier: str = "id_") -> str:
        """The replay address of a capture; `id_` gives the archived body without rewriting."""
        return f"{self.replay_prefix}{timestamp}{modifier}/{url}"

    # -- life cycle ------------------------------------------------------------------------------
    def __enter__(self) -> PywbServer:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        if self._proc is not None:
            raise PywbError("this pywb server is already running")
        self._check_install()
        self._tmp = tempfile.TemporaryDirectory(prefix="pywb-")
        self.workdir = Path(self._tmp.name)
        try:
            self._make_collection()
            self._launch()
        except BaseException:
            self.stop()
            raise

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None:
            _end_process_group(proc)
        if self._log is not None:
            self._log.close()
            self._log = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
        self.port = None

    # -- internals -------------------------------------------------------------------------------
    def _bin(self, name: str) -> Path:
        return self.venv / "bin" / name

    def _check_install(self) -> None:
        missing = [name for name in ("wayback", "wb-manager") if not os.access(self._bin(name), os.X_OK)]
        if missing:
            raise PywbError(f"pywb is not installed in {self.venv} (no {', '.join(missing)}): {INSTALL_HINT}")
        absent = [str(warc) for warc in self.warcs if not warc.is_file()]
        if absent or not self.warcs:
            raise PywbError(f"PywbServer needs existing WARC files; missing: {absent or 'none given'}")

    def _env(self) -> dict[str, str]:
        return {key: value for key, value in os.environ.items() if key not in _SCRUBBED_ENV}

    def _manager(self, *args: str) -> None:
        result = subprocess.run(
            [str(self._bin("wb-manager")), *args],
            cwd=self.workdir,
            env=self._env(),
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise PywbError(f"wb-manager {' '.join(args)} exited {result.returncode}:\n{result.stderr[-3000:]}")

    def _make_collection(self) -> None:
        self._manager("init", self.collection)
        self._manager("add", self.collection, *map(str, self.warcs))
        # pywb reads ./config.yaml over its defaults (and complains on stderr when it is absent).
        config = f"redirect_to_exact: {'true' if self.redirect_to_exact else 'false'}\n"
        (self.workdir / "config.yaml").write_text(config, encoding="utf-8")

    def _launch(self) -> None:
        self._log = (self.workdir / "wayback.log").open("w+b")
        for _attempt in range(3):  # another process may take the free port before pywb binds it
            self.port = _free_port()
            self._proc = subprocess.Popen(
                [str(self._bin("wayback")), "--bind", "127.0.0.1", "--port", str(self.port)],
                cwd=self.workdir,
                env=self._env(),
                stdin=subprocess.DEVNULL,
                stdout=self._log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
            if self._wait_ready():
                return
            if self._proc.poll() is None:  # alive but silent: give up rather than retry
                break
            self._proc.wait()
            self._proc = None
        raise PywbError(f"pywb did not answer on 127.0.0.1 within {self.startup_timeout:.0f} s:\n{self._log_tail()}")

    def _wait_ready(self) -> bool:
        deadline = time.monotonic() + self.startup_timeout
        with httpx.Client(trust_env=False, timeout=2) as client:
            while time.monotonic() < deadline:
                if self._proc.poll() is not None:
                    return False
                try:
                    # the collection's page answers 200 only once the collection is known (404 otherwise;
                    # its CDX endpoint would answer 200 for any collection name)
                    if client.get(self.replay_prefix).status_code == 200:
                        return True
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        return False

    def _log_tail(self) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-3000:]


def _die_with_parent() -> None:
    """In the child before exec (Linux): SIGTERM it if the process that started it dies, so a killed
    test run leaves no server behind."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG


def _end_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM the server's process group, SIGKILL whatever is left of it, and reap the server."""
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=5)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the group, or a server that ignored SIGTERM
    proc.wait()
