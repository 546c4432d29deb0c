#!/usr/bin/python3
"""Code in the PDF (issue 13 item 6), counted on the PDF itself (PyMuPDF).

Usage: check_code.py KMBOOK WORKDIR BOOK...   (BOOK: a folder or a .md file)
       check_code.py --pdf FILE.pdf...         (count an existing PDF)

For each book, builds the PDF and counts, reading only the PDF's glyphs:

  code broken after a hyphen   a line of running text ending with a hyphen set
                               in the code face whose next line goes on in
                               the code face (`some-|dir`, `diff -|r`)
  letter-spaced lines          a line of running text whose characters stand
                               more than 0.1 em apart (median over adjacent
                               Han pairs and adjacent Latin letters of one
                               font; spaces, punctuation and the CJK–Latin
                               gap aside), the issue's "up to +0.46 em"

Prints the counts per book; fails if any is not 0. Exit 77 without PyMuPDF
or the fonts.
"""
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "typocheck"))
SKIP = 77
LIMIT_EM = 0.1


def mono(g):
    return "mono" in g.font.lower()


def han(c):
    o = ord(c)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3FFFF


def latin(c):
    return c.isascii() and c.isalnum()


def spacing(line):
    """Median extra space (em) between adjacent characters of one kind."""
    gl = line.glyphs
    extra = []
    for a, b in zip(gl, gl[1:]):
        same = (han(a.c) and han(b.c)) or (latin(a.c) and latin(b.c) and a.font == b.font)
        if same and abs(a.size - b.size) < 0.1:
            extra.append((b.x0 - a.x1) / a.size)
    return statistics.median(extra) if len(extra) >= 3 else 0.0


def count(pdf):
    import fitz
    from typocheck import group_lines, read_glyphs
    doc = fitz.open(pdf)
    hyph, spaced = [], []
    for pno, page in enumerate(doc):
        lines = group_lines(pno, read_glyphs(page, fitz))
        for k, ln in enumerate(lines):
            ink = ln.ink
            prose = any(not mono(g) for g in ink)
            if not prose:
                continue  # a code block's line, or a heading in the code face
            nxt = lines[k + 1].ink if k + 1 < len(lines) else []
            if ink[-1].c == "-" and mono(ink[-1]) and nxt and mono(nxt[0]):
                hyph.append("p%d: %s|%s" % (pno + 1, ln.text.strip()[-24:],
                                             "".join(g.c for g in nxt[:8])))
            s = spacing(ln)
            if s > LIMIT_EM:
                spaced.append("p%d: +%.2f em %s" % (pno + 1, s, ln.text.strip()[:40]))
    return hyph, spaced


def main(argv):
    try:
        import fitz  # noqa: F401
    except ImportError:
        print("SKIP: PyMuPDF (python3-fitz) is not installed for /usr/bin/python3")
        return SKIP
    if argv[1:2] == ["--pdf"]:
        pdfs = argv[2:]
    else:
        kmbook, work, books = argv[1], argv[2], argv[3:]
        os.makedirs(work, exist_ok=True)
        pdfs = []
        env = dict(os.environ, SOURCE_DATE_EPOCH="1704153600")
        for b in books:
            out = os.path.join(work, os.path.basename(b.rstrip("/")).replace(".md", "") + ".pdf")
            r = subprocess.run([kmbook, "--book", b, "--pdf", out], env=env,
                               capture_output=True, text=True)
            if r.returncode != 0:
                if "font" in r.stderr.lower():
                    print("SKIP: " + r.stderr.strip()[:200])
                    return SKIP
                print("FAIL: %s: %s" % (b, r.stderr.strip()[-400:]))
                return 1
            pdfs.append(out)
    bad = 0
    for pdf in pdfs:
        hyph, spaced = count(pdf)
        print("%s: code broken after a hyphen %d, letter-spaced lines %d" %
              (os.path.basename(pdf), len(hyph), len(spaced)))
        for w in (hyph + spaced)[:12]:
            print("  " + w)
        bad += len(hyph) + len(spaced)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
