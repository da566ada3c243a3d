"""The development server behind ``./build.sh serve``: serves dist/ on
127.0.0.1, watches py/, web/, crate/ and docs/ with watchfiles, runs
``./build.sh build`` (which rebuilds only the stages whose inputs changed)
after each change, and tells open pages through server-sent events: reload
after a good build, show the error after a failed one (the last good build
stays in dist/ and keeps being served). Only this server adds the reload
script, as one more same-origin script, so dist/ carries none and the
pages' Content-Security-Policy is the one they ship with.

    python web/tools/dev_server.py ROOT PORT [--no-watch]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import watchfiles

RELOAD_SCRIPT = b'<script type="module" src="/__dev__/reload.js"></script>'
WATCHED = ("py", "web", "crate", "docs")
# Written by tools, not by people: changes there start no build.
IGNORED_DIRS = ("node_modules", "target", "__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache")
IGNORED_FILES = ("Cargo.lock",)


class Clients:
    """The open pages' event streams, and the last build's outcome, sent to
    a page as soon as it connects (so a page opened after a failed build
    shows the error too)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: list[queue.Queue[bytes]] = []
        self.failure: str | None = None

    def connect(self) -> queue.Queue[bytes]:
        stream: queue.Queue[bytes] = queue.Queue()
        with self._lock:
            self._queues.append(stream)
            if self.failure is not None:
                stream.put(event("failed", self.failure))
        return stream

    def disconnect(self, stream: queue.Queue[bytes]) -> None:
        with self._lock:
            self._queues.remove(stream)

    def settle(self, failure: str | None) -> None:
        """Records a build's outcome and tells every page: reload, or show
        `failure`."""
        with self._lock:
            self.failure = failure
            message = event("reload") if failure is None else event("failed", failure)
            for stream in self._queues:
                stream.put(message)


def event(name: str, data: str = "") -> bytes:
    lines = "".join(f"data: {line}\n" for line in data.splitlines() or [""])
    return f"event: {name}\n{lines}\n".encode()


class Handler(http.server.SimpleHTTPRequestHandler):
    clients: Clients
    reload_script: bytes
    watching: bool

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        # Revalidate every file, so that a reload gets what was just built.
        self.send_header("Cache-Control", "no-cache")
        # Cross-origin isolation: wasmcanvas.load(threads=N) may then share
        # the module's memory with Web Workers (docs/handbook/threads.md).
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if self.watching and path == "/__dev__/events":
            self.stream_events()
        elif self.watching and path == "/__dev__/reload.js":
            self.send_bytes(self.reload_script, "text/javascript")
        elif self.watching and (path.endswith(".html") or path.endswith("/")):
            self.send_page()
        else:
            super().do_GET()

    def send_bytes(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_page(self) -> None:
        """A page with the reload script added before ``</head>``."""
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        try:
            body = path.read_bytes()
        except OSError:
            self.send_error(404, "File not found")
            return
        body = body.replace(b"</head>", RELOAD_SCRIPT + b"\n  </head>", 1)
        self.send_bytes(body, "text/html; charset=utf-8")

    def stream_events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        stream = self.clients.connect()
        try:
            while True:
                try:
                    message = stream.get(timeout=15)
                except queue.Empty:
                    message = b": still here\n\n"
                self.wfile.write(message)
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.clients.disconnect(stream)


class Builder:
    """Runs ``./build.sh build`` after changes, one build at a time; changes
    made during a build start another when it ends."""

    def __init__(self, root: Path, clients: Clients) -> None:
        self.root = root
        self.clients = clients
        self.process: subprocess.Popen[str] | None = None

    def build(self, changed: list[str] | None = None) -> bool:
        """Runs the build; None for the first, which checks everything."""
        if changed is None:
            print("dev server: building what changed since the last build", flush=True)
        else:
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            print(f"dev server: {shown} changed; rebuilding", flush=True)
        started = time.monotonic()
        self.process = subprocess.Popen(
            [str(self.root / "build.sh"), "build"],
            cwd=self.root,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        error = ""
        assert self.process.stdout is not None
        for line in self.process.stdout:
            print(f"  {line}", end="", flush=True)
            if line.startswith("build.sh: error: "):
                error = line.removeprefix("build.sh: error: ").strip()
        code = self.process.wait()
        self.process = None
        seconds = time.monotonic() - started
        if code == 0:
            self.clients.settle(None)
            print(f"dev server: built in {seconds:.1f} s; open pages reload", flush=True)
            return True
        failure = error or f"./build.sh build exited with {code}"
        self.clients.settle(failure)
        print(f"dev server: build failed: {failure}", flush=True)
        print("dev server: the pages keep the last good build", flush=True)
        return False

    def stop(self) -> None:
        process = self.process
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


def relevant(root: Path, change: watchfiles.Change, path: str) -> bool:
    parts = Path(path).relative_to(root).parts
    if any(part in IGNORED_DIRS for part in parts) or parts[-1] in IGNORED_FILES:
        return False
    return not path.endswith(("~", ".swp", ".pyc"))


def interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def watch(root: Path, builder: Builder, stop: threading.Event) -> None:
    folders = [root / folder for folder in WATCHED]
    for changes in watchfiles.watch(
        *folders, watch_filter=functools.partial(relevant, root), stop_event=stop, raise_interrupt=False
    ):
        changed = sorted({str(Path(path).relative_to(root)) for _, path in changes})
        builder.build(changed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("port", type=int)
    parser.add_argument("--no-watch", action="store_true", help="serve dist/ as it is, without watching")
    arguments = parser.parse_args()
    root = arguments.root.resolve()
    clients = Clients()
    handler = functools.partial(Handler, directory=str(root / "dist"))
    Handler.clients = clients
    Handler.reload_script = (root / "web" / "tools" / "dev_reload.js").read_bytes()
    Handler.watching = not arguments.no_watch
    stop = threading.Event()
    builder = Builder(root, clients)
    # Ctrl-C and a TERM from a supervisor end the server the same way. Set
    # explicitly: a shell that starts a job in the background hands it
    # SIGINT ignored, and Python keeps an ignored SIGINT ignored.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        built = builder.build()
    except KeyboardInterrupt:
        builder.stop()
        return 130
    if not built:
        if not (root / "dist" / "index.html").exists():
            return 1
        print("dev server: serving the last good build, with the error on its pages", flush=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", arguments.port), handler)
    server.daemon_threads = True
    watcher = None
    if not arguments.no_watch:
        watcher = threading.Thread(target=watch, args=(root, builder, stop), daemon=True)
        watcher.start()
    mode = "watching py/, web/, crate/ and docs/" if watcher else "not watching"
    print(f"Serving dist/ at http://127.0.0.1:{arguments.port}/ ({mode}; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        builder.stop()
        server.server_close()
        if watcher is not None:
            watcher.join(timeout=5)
        print("dev server: stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
