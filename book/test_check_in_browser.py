#!/usr/bin/env python3
"""Tests of check_in_browser.py: it reports each kind of failure planted in a
tiny fake site, passes a clean page, and fails when a page SUMMARY.md lists
was not built. Standard library only; the tests that need a browser are
skipped when no Chromium is installed.

    python3 book/test_check_in_browser.py
"""

import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True  # no book/__pycache__ left behind
import check_in_browser  # noqa: E402

CHECKER = os.path.join(HERE, "check_in_browser.py")
HAVE_CHROMIUM = any(shutil.which(n) for n in check_in_browser.CHROMIUM_NAMES)

# Two labels 4 px apart at 20 px: they overlap. Two far apart: they do not.
OVERLAPPING_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
<text x="10" y="50" font-family="sans-serif" font-size="20">90</text>
<text x="14" y="52" font-family="sans-serif" font-size="20">100</text>
</svg>"""
CLEAN_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
<text x="10" y="30" font-family="sans-serif" font-size="12">10</text>
<text x="120" y="80" font-family="sans-serif" font-size="12">100</text>
<text x="100" y="10" font-family="sans-serif" font-size="12"> </text>
</svg>"""

PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>{title}</title></head>
<body style="margin: 0"><main style="width: 800px">
{body}
</main></body></html>
"""

CLEAN_BODY = """<h1>Clean</h1>
<table><thead><tr><th>variant</th><th>x vs baseline</th></tr></thead>
<tbody><tr><td>fast</td><td>2.00x</td></tr></tbody></table>
<p><img src="clean.svg" alt="a plot"></p>
<details><summary>more</summary><p><img src="clean.svg" alt="the plot again, folded"></p></details>
"""

BAD_BODY = """<h1>Bad</h1>
<p><img src="missing.png" alt="not there"></p>
<h2>Wide</h2>
<table style="width: 3000px"><tr><th>a</th><th>b</th></tr><tr><td>1</td><td>2</td></tr></table>
<p><img src="overlap.svg" alt="crowded labels"></p>
<script>console.error('x')</script>
<script>throw new Error('boom')</script>
"""


def make_site(root, summary, pages, sources):
    """root/src/SUMMARY.md and sources, root/site/ with the pages and SVGs."""
    os.makedirs(os.path.join(root, "src"))
    os.makedirs(os.path.join(root, "site"))
    with open(os.path.join(root, "src", "SUMMARY.md"), "w") as f:
        f.write(textwrap.dedent(summary))
    for name, text in sources.items():
        with open(os.path.join(root, "src", name), "w") as f:
            f.write(text)
    files = {"clean.svg": CLEAN_SVG, "overlap.svg": OVERLAPPING_SVG}
    files.update({name: PAGE.format(title=name, body=body) for name, body in pages.items()})
    for name, text in files.items():
        with open(os.path.join(root, "site", name), "w") as f:
            f.write(text)


def run_checker(root, *extra, env=None, cwd=None):
    return subprocess.run(
        [sys.executable, CHECKER, "--site", os.path.join(root, "site"),
         "--summary", os.path.join(root, "src", "SUMMARY.md"), *extra],
        capture_output=True, text=True, timeout=300, env=env, cwd=cwd)


class SummaryTest(unittest.TestCase):
    def test_every_linked_page_once_in_order(self):
        summary = """# Summary

        [Introduction](introduction.md)

        # A part

        - [One](one.md)
            - [Nested](sub/nested.md)
            - [Draft]()
        - [Two](./two.md)
        <!-- - [Hidden](hidden.md) -->

        ---

        - [Claims](results/claims.md)
        - [One again](one.md)
        [Readme](guide/README.md)
        """
        self.assertEqual(check_in_browser.summary_pages(textwrap.dedent(summary)), [
            ("introduction.md", "introduction.html"), ("one.md", "one.html"),
            ("sub/nested.md", "sub/nested.html"), ("two.md", "two.html"),
            ("results/claims.md", "results/claims.html"), ("guide/README.md", "guide/index.html"),
        ])

    def test_lesson_is_a_page_including_its_results(self):
        with tempfile.TemporaryDirectory() as root:
            lesson, other = os.path.join(root, "lesson.md"), os.path.join(root, "other.md")
            with open(lesson, "w") as f:
                f.write("# L\n\n{{#include results/lesson.md}}\n")
            with open(other, "w") as f:
                f.write("# O\n\n{{#include ../src/lib.rs:setup}}\n\\{{#include results/x.md}}\n")
            self.assertTrue(check_in_browser.is_lesson(lesson))
            self.assertFalse(check_in_browser.is_lesson(other))
            self.assertFalse(check_in_browser.is_lesson(os.path.join(root, "absent.md")))


class NoChromiumTest(unittest.TestCase):
    def test_skips_or_fails_as_asked(self):
        with tempfile.TemporaryDirectory() as root:
            make_site(root, "[Clean](clean.md)\n", {"clean.html": CLEAN_BODY}, {})
            env = dict(os.environ, PATH=root)  # no Chromium on this PATH
            skipped = run_checker(root, env=env, cwd=root)
            self.assertEqual(skipped.returncode, 0, skipped.stderr)
            self.assertIn("skipped", skipped.stdout)
            required = run_checker(root, "--require-chromium", env=env, cwd=root)
            self.assertEqual(required.returncode, 1)
            self.assertIn("install Debian's `chromium` package", required.stderr)
            self.assertEqual(len(required.stderr.strip().splitlines()), 1, required.stderr)


@unittest.skipUnless(HAVE_CHROMIUM, "no Chromium installed")
class BrowserTest(unittest.TestCase):
    def test_planted_failures_are_reported_and_the_clean_page_passes(self):
        with tempfile.TemporaryDirectory() as root:
            make_site(
                root,
                """# Summary

                [Clean](clean.md)

                ---

                - [Bad](bad.md)
                """,
                {"clean.html": CLEAN_BODY, "bad.html": BAD_BODY},
                {"clean.md": "# Clean\n\n{{#include results/clean.md}}\n",
                 "bad.md": "# Bad\n\n{{#include results/bad.md}}\n"},
            )
            shots = os.path.join(root, "shots")
            run = run_checker(root, "--screenshots", shots)
            out, err = run.stdout, run.stderr
            self.assertEqual(run.returncode, 1, out + err)
            self.assertIn("clean.html: 1 tables, 1 images, 1 plots (lesson): ok", out)
            self.assertIn("bad.html: 1 tables, 2 images, 1 plots (lesson): ", out)
            self.assertIn("checked 2 of 2 pages listed in SUMMARY.md", out)
            self.assertNotIn("clean.html", err)
            for planted in [
                "bad.html: image missing.png did not load",
                "bad.html: failed to load /missing.png",
                "bad.html: table 1 (under 'Wide') is 3000 px wide in a 800 px column",
                "bad.html: SVG overlap.svg: labels '90' and '100' overlap",
                "bad.html: console.error: x",
                "bad.html: uncaught exception: Error: boom",
                "bad.html: lesson chapter without a results table",
            ]:
                self.assertIn(planted, err)
            self.assertEqual(len(err.strip().splitlines()), 7, err)
            self.assertEqual(sorted(os.listdir(shots)), ["bad.png", "clean.png"])
            with open(os.path.join(shots, "clean.png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")

    def test_a_page_not_built_or_empty_fails(self):
        with tempfile.TemporaryDirectory() as root:
            make_site(root, "[Clean](clean.md)\n- [Empty](empty.md)\n- [Gone](gone.md)\n",
                      {"clean.html": CLEAN_BODY, "empty.html": ""}, {})
            run = run_checker(root)
            self.assertEqual(run.returncode, 1, run.stdout + run.stderr)
            self.assertIn("clean.html: 1 tables, 1 images, 1 plots: ok", run.stdout)
            self.assertIn("gone.html: not checked: 1 problem", run.stdout)
            self.assertIn("error: empty.html: <main> is empty", run.stderr)
            self.assertIn("error: gone.html: HTTP 404", run.stderr)
            self.assertIn("error: checked 2 of 3 pages listed in SUMMARY.md", run.stderr)

            one = run_checker(root, "--page", "clean.html")
            self.assertEqual(one.returncode, 0, one.stdout + one.stderr)
            self.assertIn("checked 1 page (--page: the count of pages in SUMMARY.md is not asserted)",
                          one.stdout)


if __name__ == "__main__":
    unittest.main(verbosity=2)
