#!/usr/bin/python3
"""spacing-stats -- how evenly a PDF's justified Chinese lines are spaced.

Usage: spacing-stats.py BOOK.pdf [BOOK2.pdf ...]

cjk-pdf-check scores what is wrong (kinsoku, ragged lines, 孤字 ...); it does
not see how *evenly* the slack of justified lines is spread, which is what a
total-fit breaker improves over first-fit.  For every line holding at least
10 Han characters of the body size, this takes the extra space between
consecutive Han characters (next.x0 - x0 - 1 em, in em) and prints, over the
lines: the median and 90th percentile of each line's mean extra space, the
loosest line, how many lines are loose (mean > 0.05 em, i.e. more than half a
point at 10.5 pt between every two characters) and the mean difference between
consecutive lines (what "adjacent lines' spacing similar" means).
"""
import statistics
import sys
from collections import Counter

import fitz  # PyMuPDF


def is_han(c):
    o = ord(c)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


def lines_of(doc):
    for page in doc:
        rd = page.get_text("rawdict", flags=fitz.TEXT_PRESERVE_WHITESPACE)
        for b in rd["blocks"]:
            for l in b.get("lines", []):
                chars = [c for s in l["spans"] for c in s["chars"]]
                sizes = [s["size"] for s in l["spans"] for _ in s["chars"]]
                if chars:
                    yield page.number, chars, sizes


def stats(path):
    doc = fitz.open(path)
    sizes = Counter()
    for _, chars, sz in lines_of(doc):
        for c, s in zip(chars, sz):
            if is_han(c["c"]):
                sizes[round(s, 1)] += 1
    body = sizes.most_common(1)[0][0]
    per_line = []
    for pno, chars, sz in lines_of(doc):
        ext = []
        for k in range(len(chars) - 1):
            a, b = chars[k], chars[k + 1]
            if is_han(a["c"]) and is_han(b["c"]) and abs(sz[k] - body) < 0.05:
                ext.append((b["origin"][0] - a["origin"][0]) / body - 1.0)
        if len(ext) >= 9:
            per_line.append((pno, statistics.mean(ext), "".join(c["c"] for c in chars)))
    means = [m for _, m, _ in per_line]
    diffs = [abs(per_line[k + 1][1] - per_line[k][1]) for k in range(len(per_line) - 1)
             if per_line[k + 1][0] == per_line[k][0]]
    loosest = max(per_line, key=lambda t: t[1])
    means_sorted = sorted(means)
    print("%s: %d lines; extra space per Han gap (em): median %.4f, p90 %.4f, max %.4f; "
          "loose lines (> 0.05 em) %d; mean |difference| between consecutive lines %.4f"
          % (path, len(means), statistics.median(means),
             means_sorted[int(0.9 * (len(means_sorted) - 1))], loosest[1],
             sum(1 for m in means if m > 0.05), statistics.mean(diffs) if diffs else 0))
    print("    loosest: p%d %s" % (loosest[0] + 1, loosest[2][:40]))


for p in sys.argv[1:]:
    stats(p)
