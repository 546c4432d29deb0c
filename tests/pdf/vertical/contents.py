#!/usr/bin/python3
"""A vertical book's contents: page numbers of up to 3 digits stand across
the column in one cell (tate-chu-yoko), not sideways (issue 15).

Usage: contents.py KMBOOK WORKDIR

Writes a Traditional Chinese book whose second chapter starts past page 100,
builds it with --writing vertical and reads the contents pages (the layout
dump names them) with PyMuPDF: every page number's digits are upright
(writing direction (1, 0)), on one baseline, within one em across."""
import os
import re
import subprocess
import sys

EM = 10.5  # the default style's body size


def main(kmbook, work):
    try:
        import fitz
    except ImportError:
        print("SKIPPED: PyMuPDF is not installed (Debian package python3-fitz)")
        return 77
    os.makedirs(work, exist_ok=True)
    para = "學而時習之，不亦說乎？有朋自遠方來，不亦樂乎？人不知而不慍，不亦君子乎？" * 8
    with open(os.path.join(work, "01.md"), "w", encoding="utf-8") as f:
        f.write("# 第一章\n\n" + "\n\n".join([para] * 240) + "\n")
    with open(os.path.join(work, "02.md"), "w", encoding="utf-8") as f:
        f.write("# 第二章\n\n" + para + "\n")
    with open(os.path.join(work, "book.yaml"), "w", encoding="utf-8") as f:
        f.write("title: 目錄測試\nauthor: kmbook\nlanguage: zh-Hant\nwriting: vertical\n"
                "chapters:\n  - 01.md\n  - 02.md\n")
    pdf, dump = os.path.join(work, "book.pdf"), os.path.join(work, "book.dump")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run([kmbook, "-q", "--pdf", pdf, "--layout-dump", dump, "--book", work],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print("kmbook failed (%d): %s" % (r.returncode, r.stderr))
        return 1
    text = open(dump, encoding="utf-8").read()
    contents = [int(n) - 1 for n in re.findall(r"^page (\d+) \[[^]]*\] contents", text, re.M)]
    wanted = re.findall(r'toc-page .*?"(\d+)"', text)
    doc = fitz.open(pdf)
    numbers, bad = [], []
    for pno in contents:
        for span in doc[pno].get_texttrace():
            run = []
            for ucs, _gid, origin, bbox in list(span["chars"]) + [(32, 0, (0, 0), (0, 0, 0, 0))]:
                if chr(ucs).isdigit():
                    run.append((span["dir"], origin, bbox))
                    continue
                if run:
                    numbers.append((pno, run))
                run = []
    for pno, run in numbers:
        label = "p%d: a %d-digit number" % (pno + 1, len(run))
        if any(abs(d[0] - 1) > 0.01 or abs(d[1]) > 0.01 for d, _, _ in run):
            bad.append(label + " is set sideways")
        elif max(o[1] for _, o, _ in run) - min(o[1] for _, o, _ in run) > 0.5:
            bad.append(label + " is not on one baseline")
        elif max(b[2] for _, _, b in run) - min(b[0] for _, _, b in run) > 1.1 * EM:
            bad.append(label + " is wider than a cell")
    print("contents pages %s; page numbers in the dump %s; %d numbers read"
          % ([p + 1 for p in contents], wanted, len(numbers)))
    if not any(len(n) >= 3 for n in wanted):
        bad.append("no 3-digit page number in the contents: the book is too short")
    if len(numbers) != len(wanted):
        bad.append("%d page numbers read, %d in the dump" % (len(numbers), len(wanted)))
    for b in bad:
        print("FAIL", b)
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
