#!/usr/bin/env python3
"""Open every page of the built book in headless Chromium and check that it
renders. Python's standard library only: the book is served on 127.0.0.1 by
http.server, and Chromium is driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: JSON messages, NUL terminated, on file
descriptors 3 and 4). One browser; each page in a fresh tab, laid out at
1280 px wide, every <details> opened.

The pages are the ones SUMMARY.md links ([title](path.md), nested entries,
prefix and suffix chapters included; draft chapters `[title]()` have no
page); path.md is checked as path.html in the site. A page fails when:

  - it does not load with HTTP 200, or its <main> is missing or empty;
  - an image in <main> did not load, or no copy of it is shown with a
    non-zero size (mdBook 0.5 renders each image twice, once hidden for the
    zoom: one good copy is enough);
  - a table in <main> reaches past <main>'s right edge by more than 1 px;
  - two non-empty <text> labels of an SVG image on the page overlap by more
    than 1 px^2 (the SVG is fetched and laid out off-screen to measure);
  - the page logs an error: console.error, an uncaught exception, a failed
    resource load (other origins included; not Chromium's own request for a
    /favicon.ico the page does not link), any other error-level log entry;
  - it is a lesson chapter (its source includes results/<lesson>.md with
    {{#include}}) without a results table (a table with an "x vs baseline"
    column and rows) or without an SVG plot that loaded.
In the end, the number of pages checked (loaded and measured) must equal the
number SUMMARY.md lists: "checked N of N pages listed in SUMMARY.md".

    python3 book/check_in_browser.py [--site book/book] [--summary book/src/SUMMARY.md]
                                     [--page duplicates.html] [--screenshots DIR]
                                     [--require-chromium]

--page checks that one page only (and so cannot compare the count with
SUMMARY.md; it says so). --screenshots saves a full-page PNG of each page,
named after it (DIR/duplicates.png, DIR/results-claims.png).

Prints one line per page (tables, images, plots, "ok" or its number of
problems), then every problem on stderr, one a line, naming page and element.

Exit 0: every page checked and fine, or skipped because no Chromium is
installed (it says so; with --require-chromium that is an error instead).
Exit 1: a problem on a page, a page missing, the count not matching, or the
browser failing (no answer within TIMEOUT_S, or gone).
Exit 2: bad arguments.
"""

import argparse
import base64
import fcntl
import functools
import http.server
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Without these, Chromium tries to reach the network at start (updates,
# sync, field trials), which a closed machine refuses, many times over.
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--remote-debugging-pipe", "--window-size=1280,2000",
]
WIDTH, HEIGHT = 1280, 2000  # the layout every page is measured at
TIMEOUT_S = 60  # for each DevTools call, and each wait for an event


class BrowserGone(RuntimeError):
    """Chromium did not answer in time or closed the pipe: stop the run."""


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
        os.close(self.to_chrome)
        os.close(self.from_chrome)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            # select, so that a Chromium that stays silent cannot block the read.
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_chrome], [], [], left)[0]:
                raise BrowserGone(f"Chromium did not answer within {TIMEOUT_S} s")
            chunk = os.read(self.from_chrome, 1 << 16)
            if not chunk:
                raise BrowserGone("Chromium closed the DevTools pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def _keep(self, message):
        # Events are kept for wait_event and take_events; a late answer to a
        # call that timed out would only pile up.
        if "method" in message:
            self.events.append(message)

    def call(self, method, session=None, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        try:
            os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        except OSError as e:
            raise BrowserGone(f"cannot write to Chromium: {e}") from e
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})
            self._keep(reply)

    def wait_event(self, session, method, test=lambda params: True):
        deadline = time.monotonic() + TIMEOUT_S
        while True:
            for i, e in enumerate(self.events):
                if (e.get("method") == method and e.get("sessionId") == session
                        and test(e.get("params", {}))):
                    return self.events.pop(i)
            self._keep(self._read_message(deadline))

    def take_events(self, session):
        """The session's events so far; the browser's own are dropped too."""
        mine = [e for e in self.events if e.get("sessionId") == session]
        self.events = [e for e in self.events if e.get("sessionId") not in (session, None)]
        return mine


def serve(site):
    handler = functools.partial(QuietHandler, directory=site)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


LINK = re.compile(r"\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]*)>?\s*\)")
INCLUDE = re.compile(r"(?<!\\)\{\{\s*#include\s+([^}\s]+)")
RESULTS_INCLUDE = re.compile(r"(?:^|/)results/[^/]+\.md$")


def summary_pages(summary_text):
    """The pages SUMMARY.md links, in order, once each: [(source .md, .html)]."""
    text = re.sub(r"<!--.*?-->", "", summary_text, flags=re.S)
    pages = []
    for target in LINK.findall(text):
        path = urllib.parse.unquote(target.split("#", 1)[0])
        if not path.endswith(".md") or "://" in path:
            continue  # a draft chapter `[title]()` is not rendered
        path = os.path.normpath(path).replace(os.sep, "/")
        # mdBook's default `index` preprocessor renders README.md as index.html.
        stem = path[:-len("README.md")] + "index" if os.path.basename(path) == "README.md" else path[:-3]
        if (path, stem + ".html") not in pages:
            pages.append((path, stem + ".html"))
    return pages


def is_lesson(source):
    """A lesson chapter includes its measured results (results/<lesson>.md)."""
    try:
        with open(source, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return False
    return any(RESULTS_INCLUDE.search(inc.split(":", 1)[0]) for inc in INCLUDE.findall(text))


# What the page shows, measured in the page itself, after opening every
# <details> (so what is inside has a size too).
PROBE = r"""(async () => {
  const within = (promise, ms, what) => Promise.race([promise, new Promise((_, fail) =>
    setTimeout(() => fail(new Error(what + ' took over ' + ms + ' ms')), ms))]);
  const nav = performance.getEntriesByType('navigation')[0];
  const out = {title: document.title, status: nav ? nav.responseStatus : null,
               main: false, main_empty: true, main_width: 0, main_right: 0,
               tables: [], images: [], svgs: []};
  const main = document.querySelector('main');
  if (!main) return JSON.stringify(out);
  out.main = true;
  for (const d of document.querySelectorAll('details')) d.open = true;
  if (document.fonts) await within(document.fonts.ready, 10000, 'fonts').catch(() => {});
  out.main_empty = !main.innerText.trim() && !main.querySelector('img,svg,table,video,canvas,iframe');
  const column = main.getBoundingClientRect();
  out.main_width = column.width;
  out.main_right = column.right;

  const headings = [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')];
  const headingBefore = el => {
    let h = '';
    for (const x of headings) {
      if (!(x.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
      h = x.innerText.trim();
    }
    return h;
  };
  out.tables = [...main.querySelectorAll('table')].map(t => {
    const r = t.getBoundingClientRect();
    const width = Math.max(r.width, t.scrollWidth);
    const header = t.tHead ? t.tHead.innerText : (t.rows.length ? t.rows[0].innerText : '');
    const rows = t.tHead ? t.rows.length - t.tHead.rows.length : Math.max(t.rows.length - 1, 0);
    return {width, right: r.left + width, heading: headingBefore(t),
            results: /x vs baseline/.test(header), rows};
  });

  const imgs = [...main.querySelectorAll('img')];
  for (const i of imgs) if (i.loading === 'lazy') i.loading = 'eager';
  const decoded = await Promise.all(imgs.map(i =>
    within(i.decode(), 20000, 'decoding').then(() => true, () => false)));
  out.images = imgs.map((i, k) => {
    const r = i.getBoundingClientRect();
    return {src: i.getAttribute('src') || '', url: i.src, complete: i.complete, decoded: decoded[k],
            natural: [i.naturalWidth, i.naturalHeight], shown: [r.width, r.height],
            closed: !!i.closest('details:not([open])')};
  });

  // An SVG shown by <img> keeps its text out of the page: fetch each one,
  // lay a copy out off-screen, measure its labels, remove it.
  const svgs = new Map();
  for (const i of out.images) {
    let u;
    try { u = new URL(i.url); } catch (e) { continue; }
    if (u.origin === location.origin && u.pathname.toLowerCase().endsWith('.svg') && !svgs.has(i.url))
      svgs.set(i.url, i.src);
  }
  for (const [url, src] of svgs) {
    const rec = {src, texts: 0, overlaps: [], error: null};
    const box = document.createElement('div');
    box.setAttribute('style', 'all: initial; display: block; position: absolute; left: -100000px; top: 0;');
    try {
      const stop = new AbortController();
      const timer = setTimeout(() => stop.abort(), 15000);
      const response = await fetch(url, {signal: stop.signal});
      const text = await response.text();
      clearTimeout(timer);
      if (!response.ok) throw new Error('HTTP ' + response.status);
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      const bad = doc.querySelector('parsererror');
      if (bad) throw new Error('not well-formed: ' + bad.textContent.trim().split('\n')[0]);
      const svg = document.importNode(doc.documentElement, true);
      if (svg.localName !== 'svg') throw new Error('the root element is <' + svg.localName + '>');
      for (const s of svg.querySelectorAll('script')) s.remove();
      const vb = svg.viewBox && svg.viewBox.baseVal;
      if (!svg.getAttribute('width') && vb && vb.width) {
        svg.setAttribute('width', vb.width);
        svg.setAttribute('height', vb.height);
      }
      box.appendChild(svg);
      document.body.appendChild(box);
      const labels = [...svg.querySelectorAll('text')]
        .map(t => ({text: t.textContent.replace(/\s+/g, ' ').trim(), r: t.getBoundingClientRect()}))
        .filter(l => l.text && l.r.width > 0 && l.r.height > 0);
      rec.texts = labels.length;
      for (let a = 0; a < labels.length; a++) {
        for (let b = a + 1; b < labels.length; b++) {
          const p = labels[a].r, q = labels[b].r;
          const w = Math.min(p.right, q.right) - Math.max(p.left, q.left);
          const h = Math.min(p.bottom, q.bottom) - Math.max(p.top, q.top);
          if (!(w > 0 && h > 0 && w * h > 1)) continue;
          const twice = labels[a].text === labels[b].text && Math.abs(p.left - q.left) < 0.5
            && Math.abs(p.top - q.top) < 0.5 && Math.abs(p.width - q.width) < 0.5;
          rec.overlaps.push([labels[a].text, labels[b].text, w, h, twice]);
        }
      }
    } catch (e) {
      rec.error = String(e && e.message || e);
    } finally {
      box.remove();
    }
    out.svgs.push(rec);
  }
  return JSON.stringify(out);
})()"""


def short(text, n=60):
    text = " ".join(str(text).split())
    return text if len(text) <= n else text[:n - 1] + "…"


def console_problems(events, origin):
    """Errors the page logged, from its Runtime and Log events."""
    def local(url):
        return url[len(origin):] if url.startswith(origin) else url

    found = []
    for e in events:
        method, p = e.get("method"), e.get("params", {})
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", a.get("unserializableValue", ""))))
                            for a in p.get("args", []))
            found.append(f"console.{p['type']}: {short(args, 200)}")
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            what = d.get("exception", {}).get("description") or d.get("text", "")
            where = f" ({local(d['url'])}:{d.get('lineNumber', 0) + 1})" if d.get("url") else ""
            found.append(f"uncaught exception: {short(what.splitlines()[0] if what else '', 200)}{where}")
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            entry = p["entry"]
            # Chromium asks for /favicon.ico by itself when a page links no
            # icon, and logs the 404 here (checked with Chromium 156): not the
            # page's fault, so not counted. mdBook links its own favicon
            # (favicon-*.svg and .png), so on the book this does not happen,
            # and a linked icon that is missing is still reported.
            if entry.get("source") == "network" and entry.get("url") == origin + "/favicon.ico":
                continue
            if entry.get("source") == "network":
                found.append(f"failed to load {local(entry.get('url', '?'))}: {short(entry.get('text', ''), 200)}")
            else:
                found.append(f"{entry.get('source', 'log')} error: {short(entry.get('text', ''), 200)}")
    return found


def check_page(browser, origin, page, lesson):
    """Load one page in a new tab and measure it: (probe or None, problems, png bytes)."""
    url = f"{origin}/{urllib.parse.quote(page)}"
    target = browser.call("Target.createTarget", url="about:blank")["targetId"]
    session = browser.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
    problems, probe, png = [], None, None
    try:
        for domain in ("Page", "Runtime", "Log"):
            browser.call(f"{domain}.enable", session)
        browser.call("Page.setLifecycleEventsEnabled", session, enabled=True)
        browser.call("Emulation.setDeviceMetricsOverride", session, width=WIDTH, height=HEIGHT,
                     deviceScaleFactor=1, mobile=False)
        nav = browser.call("Page.navigate", session, url=url)
        if nav.get("errorText"):
            return None, [f"did not load: {nav['errorText']}"], None
        # The load of this navigation, not a late one of about:blank.
        browser.wait_event(session, "Page.lifecycleEvent", lambda p: p.get("name") == "load"
                           and p.get("frameId") == nav["frameId"] and p.get("loaderId") == nav.get("loaderId"))
        answer = browser.call("Runtime.evaluate", session, expression=PROBE, awaitPromise=True,
                              returnByValue=True)
        if "exceptionDetails" in answer:
            d = answer["exceptionDetails"]
            return None, [f"could not be measured: {d.get('exception', {}).get('description') or d.get('text')}"], None
        probe = json.loads(answer["result"]["value"])
        if probe["status"] not in (None, 0, 200):
            return None, [f"HTTP {probe['status']} (is it built?)"], None
        metrics = browser.call("Page.getLayoutMetrics", session)
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        shot = browser.call("Page.captureScreenshot", session, format="png", captureBeyondViewport=True,
                            clip={"x": 0, "y": 0, "width": max(WIDTH, size["width"]),
                                  "height": size["height"], "scale": 1})
        png = base64.b64decode(shot["data"])
    except RuntimeError as e:
        if isinstance(e, BrowserGone):
            raise
        problems.append(f"DevTools: {e}")
    finally:
        try:
            browser.call("Target.closeTarget", targetId=target)
        except RuntimeError as e:
            if isinstance(e, BrowserGone):
                raise
            problems.append(f"DevTools: {e}")
        finally:
            events = browser.take_events(session)
    problems += console_problems(events, origin)
    if probe is not None:
        problems = page_problems(probe, lesson) + problems
    return probe, problems, png


def page_problems(probe, lesson):
    if not probe["main"]:
        return ["no <main> element"]
    problems = []
    if probe["main_empty"]:
        problems.append("<main> is empty")
    for n, t in enumerate(probe["tables"], 1):
        if t["right"] > probe["main_right"] + 1:
            under = f" (under '{short(t['heading'])}')" if t["heading"] else ""
            problems.append(f"table {n}{under} is {round(t['width'])} px wide in a "
                            f"{round(probe['main_width'])} px column")
    for src, fine in image_status(probe).items():
        if fine is None:
            problems.append(f"image {src} did not load")
        elif not fine:
            problems.append(f"image {src} loaded but no copy of it is shown with a non-zero size")
    for svg in probe["svgs"]:
        if svg["error"]:
            problems.append(f"SVG {svg['src']}: could not measure its labels: {svg['error']}")
        said = {}
        for a, b, w, h, twice in svg["overlaps"]:
            if twice:
                what = f"SVG {svg['src']}: label '{short(a)}' is drawn twice, one on the other"
            else:
                what = f"SVG {svg['src']}: labels '{short(a)}' and '{short(b)}' overlap ({w:.1f} x {h:.1f} px)"
            said[what] = said.get(what, 0) + 1
        problems += [what + (f" ({n} pairs)" if n > 1 else "") for what, n in said.items()]
    if lesson:
        if not any(t["results"] and t["rows"] > 0 for t in probe["tables"]):
            problems.append("lesson chapter without a results table (a table with an "
                            "'x vs baseline' column, and rows)")
        if not plots(probe, shown_only=True):
            problems.append("lesson chapter without an SVG plot that loaded")
    return problems


def image_status(probe):
    """src -> True (a copy loaded and shows), False (loaded, none shows), None (none loaded)."""
    status = {}
    for img in probe["images"]:
        src = img["src"] or "(no src)"
        loaded = img["complete"] and img["decoded"] and min(img["natural"]) > 0
        # mdBook 0.5 renders each image twice, the second hidden until it is
        # clicked to zoom: one copy loaded and shown is enough. An image in a
        # closed <details> has no size (all are opened first: in case).
        shown = loaded and (img["closed"] or min(img["shown"]) > 0)
        if shown:
            status[src] = True
        elif loaded and not status.get(src):
            status[src] = False
        else:
            status.setdefault(src, None)
    return status


def plots(probe, shown_only=False):
    status = image_status(probe)
    return {i["src"] for i in probe["images"]
            if urllib.parse.urlsplit(i["url"]).path.lower().endswith(".svg")
            and (not shown_only or status.get(i["src"] or "(no src)"))}


def shot_name(page):
    return page[:-len(".html")].replace("/", "-") + ".png" if page.endswith(".html") else page.replace("/", "-") + ".png"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], allow_abbrev=False)
    parser.add_argument("--site", default="book/book", help="the built book (default book/book)")
    parser.add_argument("--summary", default="book/src/SUMMARY.md",
                        help="the pages to check (default book/src/SUMMARY.md)")
    parser.add_argument("--page", help="check this page only (a path in the site, e.g. duplicates.html)")
    parser.add_argument("--screenshots", metavar="DIR", help="save a full-page PNG of each page here")
    parser.add_argument("--require-chromium", action="store_true",
                        help="no Chromium is an error (exit 1), not a skip")
    args = parser.parse_args()

    exe = next((shutil.which(n) for n in CHROMIUM_NAMES if shutil.which(n)), None)
    if exe is None:
        if args.require_chromium:
            print("error: no Chromium found: install Debian's `chromium` package", file=sys.stderr)
            return 1
        print("browser check skipped: no Chromium found (install Debian's `chromium` package)")
        return 0
    if not os.path.isdir(args.site):
        print(f"error: {args.site} not found: run `mdbook build book` first", file=sys.stderr)
        return 1

    src_dir = os.path.dirname(args.summary)
    try:
        with open(args.summary, encoding="utf-8") as f:
            listed = summary_pages(f.read())
    except OSError as e:
        if args.page is None:
            print(f"error: cannot read {args.summary}: {e.strerror}", file=sys.stderr)
            return 1
        listed = []
    if args.page is not None:
        page = args.page.lstrip("/")
        source = next((md for md, html in listed if html == page), page[:-len(".html")] + ".md")
        todo = [(source, page)]
    else:
        todo = listed
        if not todo:
            print(f"error: {args.summary} links no page", file=sys.stderr)
            return 1
    if args.screenshots:
        os.makedirs(args.screenshots, exist_ok=True)

    started = time.monotonic()
    server = serve(os.path.abspath(args.site))
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    all_problems, checked = [], 0
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(exe, profile)
        try:
            for source, page in todo:
                lesson = is_lesson(os.path.join(src_dir, source))
                probe, problems, png = check_page(browser, origin, page, lesson)
                if probe is not None:
                    checked += 1
                    if png and args.screenshots:
                        with open(os.path.join(args.screenshots, shot_name(page)), "wb") as f:
                            f.write(png)
                    images = len({i["src"] for i in probe["images"]})
                    counts = (f"{len(probe['tables'])} tables, {images} images, "
                              f"{len(plots(probe))} plots")
                else:
                    counts = "not checked"
                verdict = "ok" if not problems else f"{len(problems)} problem{'s' * (len(problems) != 1)}"
                print(f"{page}: {counts}{' (lesson)' if lesson else ''}: {verdict}", flush=True)
                all_problems += [f"{page}: {p}" for p in problems]
        except BrowserGone as e:
            all_problems.append(f"browser: {e}; the check stopped")
        finally:
            browser.close()
            server.shutdown()
            server.server_close()

    seconds = time.monotonic() - started
    if args.page is not None:
        print(f"checked {checked} page (--page: the count of pages in SUMMARY.md is not asserted) "
              f"({seconds:.1f} s)")
    else:
        count = f"checked {checked} of {len(todo)} pages listed in SUMMARY.md"
        if checked == len(todo):
            print(f"{count} ({seconds:.1f} s)")
        else:
            all_problems.append(count)
    if args.screenshots:
        print(f"screenshots in {args.screenshots}")
    for p in all_problems:
        print(f"error: {p}", file=sys.stderr)
    return 1 if all_problems else 0


if __name__ == "__main__":
    sys.exit(main())
