#!/usr/bin/env python3
"""Open the built book in headless Chromium and check that a chapter's
results render: the results table is there and every SVG plot has a
non-zero size. Saves a screenshot. Python's standard library only: the book
is served on 127.0.0.1 by http.server, and Chromium is driven over the
DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages, NUL
terminated, on file descriptors 3 and 4).

    python3 book/check_in_browser.py [--site book/book] [--page duplicates.html]
                                     [--screenshot target/book-duplicates.png]

Exit 0: checked and fine, or skipped because no Chromium is installed (it
says so). Exit 1: the page does not render its results.
"""

import argparse
import base64
import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Without these, Chromium tries to reach the network at start (updates,
# sync, field trials), which a closed machine refuses, many times over.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--remote-debugging-pipe", "--window-size=1280,2000",
]
TIMEOUT_S = 60


class Browser:
    """Chromium on a DevTools pipe; every call bounded by TIMEOUT_S."""

    def __init__(self, exe, profile):
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def fds():
            # Move both ends above 4 first, so neither dup2 clobbers the other.
            r = fcntl.fcntl(to_chrome_r, fcntl.F_DUPFD, 10)
            w = fcntl.fcntl(from_chrome_w, fcntl.F_DUPFD, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        # subprocess closes every fd not in pass_fds after preexec_fn runs.
        self.proc = subprocess.Popen(
            [exe, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=fds, pass_fds=(3, 4),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        self.buffer = b""
        self.next_id = 0
        self.events = []

    def close(self):
        self.proc.kill()
        self.proc.wait(timeout=TIMEOUT_S)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method, session):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, e in enumerate(self.events):
                if e.get("method") == method and e.get("sessionId") == session:
                    return self.events.pop(i)
            self.events.append(self._read_message(deadline))


def serve(site):
    handler = functools.partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# What the page shows, measured in the page itself.
PROBE = """(() => {
  const tables = [...document.querySelectorAll('main table')];
  const results = tables.filter(t => /x vs baseline/.test(t.innerText));
  const plots = [...document.querySelectorAll('main img')]
    .filter(i => i.getAttribute('src').endsWith('.svg'))
    .map(i => ({src: i.getAttribute('src'), complete: i.complete,
                natural: [i.naturalWidth, i.naturalHeight],
                shown: [Math.round(i.getBoundingClientRect().width),
                        Math.round(i.getBoundingClientRect().height)]}));
  return JSON.stringify({title: document.title, results_tables: results.length,
                         result_rows: results.reduce((n, t) => n + t.rows.length - 1, 0), plots});
})()"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default="book/book")
    parser.add_argument("--page", default="duplicates.html")
    parser.add_argument("--screenshot", default="target/book-duplicates.png")
    args = parser.parse_args()

    exe = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
    if exe is None:
        print("browser check skipped: no Chromium found (install Debian's `chromium` package)")
        return 0
    if not os.path.isfile(os.path.join(args.site, args.page)):
        print(f"error: {args.site}/{args.page} not found: run `mdbook build book` first", file=sys.stderr)
        return 1

    server = serve(args.site)
    url = f"http://127.0.0.1:{server.server_address[1]}/{args.page}"
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(exe, profile)
        try:
            target = browser.call("Target.createTarget", url="about:blank")["targetId"]
            session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
            browser.call("Page.enable", session)
            browser.call("Page.navigate", session, url=url)
            browser.wait_event("Page.loadEventFired", session)
            probe = json.loads(browser.call("Runtime.evaluate", session, expression=PROBE,
                                            returnByValue=True)["result"]["value"])
            shot = browser.call("Page.captureScreenshot", session, format="png", captureBeyondViewport=True)
        finally:
            browser.close()
            server.shutdown()

    os.makedirs(os.path.dirname(args.screenshot) or ".", exist_ok=True)
    with open(args.screenshot, "wb") as f:
        f.write(base64.b64decode(shot["data"]))

    problems = []
    if probe["results_tables"] == 0 or probe["result_rows"] == 0:
        problems.append("no results table (a table with an 'x vs baseline' column) with rows")
    if not probe["plots"]:
        problems.append("no SVG plot on the page")
    # mdBook 0.5 renders each image twice (the page's and a hidden zoom
    # copy): every plot must be loaded and shown with a size at least once.
    shown = {}
    for plot in probe["plots"]:
        visible = plot["complete"] and min(plot["natural"]) > 0 and min(plot["shown"]) > 0
        if visible or plot["src"] not in shown:
            shown[plot["src"]] = plot["shown"] if visible else None
    for src, size in shown.items():
        if size is None:
            problems.append(f"plot {src} did not render (loaded and shown with a non-zero size)")
    sizes = ", ".join(f"{src} {'x'.join(map(str, size))} px" for src, size in shown.items() if size)
    print(f"{url}: '{probe['title']}': {probe['results_tables']} results tables, "
          f"{probe['result_rows']} rows; plots: {sizes or 'none shown'}; screenshot {args.screenshot}")
    for p in problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
