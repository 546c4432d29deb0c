#!/usr/bin/env python3
"""The [pdf] design section of styles/default.ini: every key does something.

Usage: design_keys.py KMBOOK WORKDIR keys|unknown

  keys     for every key of [pdf], a style file that changes only that key
           (--style files need only the keys they change) must change the
           layout dump or the PDF of tests/pdf/book or the default book (SOURCE_DATE_EPOCH fixed,
           so the PDF changes only if the drawing does). A key that changes
           neither is parsed for nothing: fail, naming it.
  unknown  a style file with an unknown [pdf] key is refused with
           FILE:LINE:COL naming the key (so a typo cannot pass silently).
"""
import concurrent.futures
import configparser
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
# the test book, and the default book (contributors, long titles and captions)
BOOKS = [os.path.join(HERE, "book"), os.path.join(ROOT, "book"),
         os.path.join(ROOT, "tests", "epub", "callout-book.md"),  # callouts
         # prose without figures or tables: the only chapters where a paragraph
         # is set a line longer or shorter to even a spread (looseness)
         os.path.join(ROOT, "tests", "corpus", "luxun-essays")]
INI = os.path.join(ROOT, "styles", "default.ini")

# Keys whose halved value cannot show on this book (the page is far from
# the limit): set to a value that must.
SPECIAL = {
    "min_chars": "40",  # the A5 measure is 31 characters: force 40
    "min_rows": "40",   # 26 rows on A5: force 40
    "table_keep_rows": "24",  # the test book's 长表格 (21 rows) is kept whole
    "code_tab": "8",
    "code_line_numbers": "true",
    # thresholds no line, figure or note of these books comes near
    "code_hang_max": "0.01",
    "contents_page_room_em": "20",
    "figure_free_rows": "24",
    "figure_min_scale": "0.99",
    "spread_fill_max": "0",  # off: the test book's p. 12 is no longer filled to p. 13's row
    "looseness_max_badness": "0",  # off (see COMPANIONS)  # the test book's 图 6 is scaled to 0.95
    "note_max": "0.01",
    "min_measure": "0.95",  # even a first-level list stops indenting
    # glue scaled alike keeps its proportions: change it enough to move breaks
    "glue_stretch": "1.5",
    "glue_shrink": "0.3",
    "glue_cjk_latin_stretch": "1.5",
    "glue_cjk_latin_shrink": "0.3",
    "glue_space_stretch": "6",
    "glue_space_shrink": "0.9",
}


# Keys that only act together with another: changed with the companion,
# compared with the companion alone.
COMPANIONS = {
    "contents_wrap_indent_em": {"contents_page_room_em": "20"},  # titles must wrap
    # the books' spreads are even either way; pulling 12 rows onto each
    # chapter's last page shows how short a page may be run
    "spread_short_max": {"chapter_end_lines": "12"},
    # no spread of these books needs a long row; 12 rows asked of each
    # chapter's last page leave spreads of luxun-essays only a row long evens
    "spread_long_max": {"chapter_end_lines": "12"},
    # the books' spreads come out even without it: 20 rows asked of each
    # chapter's last page leave faults only a paragraph set a line longer
    # or shorter mends (looseness off, below)
    "looseness_max_badness": {"chapter_end_lines": "20"},
}


def run(kmbook, work, name, style=None):
    """(dump, PDF) of each book, or None and the error."""
    out = []
    for i, book in enumerate(BOOKS):
        pdf = os.path.join(work, "%s-%d.pdf" % (name, i))
        dump = os.path.join(work, "%s-%d.txt" % (name, i))
        cmd = [kmbook, "--quiet", "--book", book, "--pdf", pdf, "--layout-dump", dump]
        if style:
            cmd += ["--style", style]
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", LC_ALL="C.UTF-8")
        p = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if p.returncode != 0:
            return None, p.stderr
        with open(pdf, "rb") as f:
            out.append(f.read())
        with open(dump, encoding="utf-8") as f:
            out.append(f.read())
        os.unlink(pdf)
    return out, ""


def pdf_keys():
    cp = configparser.ConfigParser(interpolation=None)
    cp.optionxform = str
    cp.read(INI, encoding="utf-8")
    return dict(cp["pdf"])


def changed(key, value):
    if key in SPECIAL:
        return SPECIAL[key]
    parts = value.replace(",", " ").split()
    out = []
    for v in parts:
        x = float(v)
        out.append(repr(x / 2 if x > 0 else 1.0))
    return " ".join(out)


def check_keys(kmbook, work):
    keys = pdf_keys()
    if len(keys) < 40:
        print("FAIL: only %d keys in [pdf] of %s" % (len(keys), INI))
        return 1
    base, err = run(kmbook, work, "base")
    if base is None:
        print("FAIL: the test book does not build:", err)
        return 1

    def one(item):
        key, value = item
        ref = base
        extra = "".join("%s=%s\n" % kv for kv in COMPANIONS.get(key, {}).items())
        if extra:
            alone = os.path.join(work, "companion-%s.ini" % key)
            with open(alone, "w", encoding="utf-8") as f:
                f.write("[pdf]\n" + extra)
            ref, err = run(kmbook, work, "c-" + key, alone)
            if ref is None:
                return key, "the companion style does not build: " + err.strip()
        style = os.path.join(work, "style-%s.ini" % key)
        with open(style, "w", encoding="utf-8") as f:
            f.write("[pdf]\n%s%s=%s\n" % (extra, key, changed(key, value)))
        got, err = run(kmbook, work, "k-" + key, style)
        if got is None:
            return key, "does not build: " + err.strip()
        if got == ref:
            return key, "changing it (%s → %s) changes neither the layout dump nor the PDF" % (
                value, changed(key, value))
        return key, None

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(one, sorted(keys.items())))
    bad = [(k, why) for k, why in results if why]
    for k, why in bad:
        print("FAIL: [pdf] %s: %s" % (k, why))
    if bad:
        return 1
    print("keys: all %d [pdf] keys change the layout or the drawing" % len(keys))
    return 0


def check_unknown(kmbook, work):
    style = os.path.join(work, "unknown.ini")
    with open(style, "w", encoding="utf-8") as f:
        f.write("[pdf]\nbaseline_em=0.38\nbaseline_emm=0.4\n")
    got, err = run(kmbook, work, "unknown", style)
    want = "%s:3:1: error: unknown style key 'baseline_emm' in [pdf]" % style
    if got is not None or want not in err:
        print("FAIL: an unknown [pdf] key is not refused with its position; stderr: %r" % err)
        return 1
    print("unknown: %s" % want)
    return 0


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    kmbook, work, what = sys.argv[1:]
    os.makedirs(work, exist_ok=True)
    return check_keys(kmbook, work) if what == "keys" else check_unknown(kmbook, work)


if __name__ == "__main__":
    sys.exit(main())
