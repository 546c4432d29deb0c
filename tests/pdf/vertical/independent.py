#!/usr/bin/python3
"""check_vertical.py, the independent reading of a vertical PDF, run on
kmbook's own vertical PDFs (issue 15).

Usage: independent.py KMBOOK WORKDIR default|book|BOOKDIR

Builds the book (`default`: the default book; `book`: tests/pdf/vertical/book,
Traditional Chinese with notes, —— and ……) with --writing vertical and a
layout dump, then runs every check of check_vertical.py
with the book's chapters as the manuscript; exits with its status (77 when
PyMuPDF is missing)."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def chapters(book):
    """The chapters book.yaml lists, in order."""
    out, inside = [], False
    for ln in open(os.path.join(book, "book.yaml"), encoding="utf-8"):
        if re.match(r"chapters\s*:", ln):
            inside = True
        elif inside and re.match(r"\s*-\s*(\S+\.md)", ln):
            out.append(os.path.join(book, re.match(r"\s*-\s*(\S+\.md)", ln).group(1)))
        elif inside and ln.strip() and not ln.startswith((" ", "-")):
            inside = False
    return out


def main(kmbook, work, which):
    os.makedirs(work, exist_ok=True)
    book = os.path.join(ROOT, {"default": "book", "book": "tests/pdf/vertical/book"}.get(which, which))
    pdf, dump = os.path.join(work, "book.pdf"), os.path.join(work, "book.dump")
    cmd = [kmbook, "-q", "--writing", "vertical", "--pdf", pdf, "--layout-dump", dump]
    if which != "default":
        cmd += ["--book", book]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print("kmbook failed (%d): %s" % (r.returncode, r.stderr))
        return 1
    srcs = chapters(book)
    if not srcs:
        print("no chapters in %s/book.yaml" % book)
        return 1
    check = os.path.join(ROOT, "tests", "pdf", "check_vertical.py")
    return subprocess.run([sys.executable, check, pdf, "--layout-dump", dump, "--source"] + srcs).returncode


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
