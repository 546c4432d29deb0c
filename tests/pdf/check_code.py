#!/usr/bin/python3
"""Code, tables and unmapped characters in the PDF (issue 13 items 3b, 6, 7),
counted on the PDF (PyMuPDF) and the page model (--layout-dump), not on what
the layout code says it did.

Usage: check_code.py KMBOOK WORKDIR BOOK...   (BOOK: a folder or a .md file)

For each book, builds the PDF with --layout-dump and counts:

  code broken after a hyphen   a line of running text ending with a hyphen set
                               in the code face whose next line goes on in
                               the code face (`some-|dir`, `diff -|r`)
  letter-spaced by code        a line of running text whose characters stand
                               more than 0.1 em apart (median over adjacent
                               Han pairs and adjacent Latin letters of one
                               font; spaces, punctuation and the CJK–Latin
                               gap aside) and that ends in code or is followed
                               by a line starting in code (the issue's "up to
                               +0.46 em" beside an unbreakable span); such
                               lines for any other reason are printed, not
                               failed
  wrapped code without a mark  a code block's line that does not end its
                               source line (the dump's pieces against the
                               manuscript's code lines) but whose PDF line
                               does not end with the continuation mark ⤵ (and
                               marks on lines that do not wrap)
  code pitch                   the median distance between a code block's
                               lines must be below the body's pitch
  off-grid body lines          a body line (p) whose baseline is not on the
                               page's grid of body rows (after code blocks)
  identifiers broken in a run  a table cell line ending inside a Latin token
                               with / _ . - : (libXrende|r.so.1) between two
                               letters or digits, not at a camel-case hump
  missing-glyph warnings       (books with U+F020) exactly one warning per
                               character, with its count

Prints the counts per book; fails if any is not 0. Exit 77 without PyMuPDF
or the fonts.
"""
import glob
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "typocheck"))
SKIP = 77
LIMIT_EM = 0.1
MARK = "\u2935"
BOX = re.compile(r'^  (\S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+w=\s*(-?[\d.]+)\s+"((?:[^"\\]|\\.)*)"')


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


def pdf_counts(pdf):
    import fitz
    from typocheck import group_lines, read_glyphs
    doc = fitz.open(pdf)
    hyph, spaced, other, all_lines = [], [], [], []
    for pno, page in enumerate(doc):
        lines = group_lines(pno, read_glyphs(page, fitz))
        all_lines += lines
        for k, ln in enumerate(lines):
            ink = ln.ink
            if not any(not mono(g) for g in ink):
                continue  # a code block's line (or a heading in the code face)
            nxt = lines[k + 1].ink if k + 1 < len(lines) else []
            last = ink[-1] if ink[-1].c != MARK or len(ink) < 2 else ink[-2]
            if last.c == "-" and mono(last) and nxt and mono(nxt[0]):
                hyph.append("p%d: %s|%s" % (pno + 1, ln.text.strip()[-24:],
                                             "".join(g.c for g in nxt[:8])))
            s = spacing(ln)
            if s > LIMIT_EM:
                w = "p%d: +%.2f em %s" % (pno + 1, s, ln.text.strip()[:40])
                (spaced if mono(ink[-1]) or (nxt and mono(nxt[0])) else other).append(w)
    return hyph, spaced, other, all_lines


def unescape(t):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), t)


def parse_dump(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    m = re.search(r"pitch ([\d.]+) .* top ([\d.]+)", lines[0])
    pitch, top = float(m.group(1)), float(m.group(2))
    pages = []
    for ln in lines[1:]:
        if ln.startswith("page "):
            pages.append([])
        elif pages:
            b = BOX.match(ln)
            if b:
                pages[-1].append((b.group(1), float(b.group(2)), float(b.group(3)),
                                  unescape(b.group(5))))
    return pitch, top, pages


def manuscript_code_lines(book):
    files = [book] if book.endswith(".md") else sorted(glob.glob(os.path.join(book, "**", "*.md"),
                                                                 recursive=True))
    out = set()
    for f in files:
        inside = False
        with open(f, encoding="utf-8") as fh:
            for raw in fh:
                s = raw.rstrip("\n")
                if re.match(r"^\s*(```|~~~)", s):
                    inside = not inside
                    continue
                if inside:
                    out.add(s.expandtabs(4).strip())
    return out


def wrapped_pieces(pages, src_lines):
    """For each dump code line in order: True if it is not the last piece of
    its source line (the line wraps after it)."""
    flags, acc = [], ""
    for page in pages:
        for what, _, _, t in page:
            if what != "code":
                continue
            acc += t
            if not acc.strip():  # an empty line: no ink in the PDF
                acc = ""
                continue
            done = acc.strip() in src_lines
            flags.append((t, not done))
            if done:
                acc = ""
    return flags


def dump_counts(dump, book):
    pitch, top, pages = parse_dump(dump)
    # code pitch and the grid
    diffs, off_grid = [], []
    for pno, page in enumerate(pages):
        code_y = [y for what, _, y, _ in page if what == "code"]
        diffs += [b - a for a, b in zip(code_y, code_y[1:]) if 0 < b - a < 2 * pitch]
        ps = [y for what, _, y, _ in page if what == "p"]
        if ps:
            ref = (ps[0] - top) % pitch
            off_grid += ["p%d y=%.2f" % (pno + 1, y) for y in ps
                         if min(abs((y - top) % pitch - ref), pitch - abs((y - top) % pitch - ref)) > 0.05]
    code_pitch = statistics.median(diffs) if diffs else 0.0
    # identifiers in table cells
    ident = []
    for pno, page in enumerate(pages):
        cells = [(x, y, t) for what, x, y, t in page if what in ("td", "th")]
        for (x, y, t), (x2, y2, t2) in zip(cells, cells[1:]):
            if abs(x - x2) > 0.01 or not (0 < y2 - y <= pitch + 0.01) or not t or not t2:
                continue
            a, b = t[-1], t2[0]
            if not (latin(a) and latin(b)) or (a.islower() and b.isupper()):
                continue
            token = t.split()[-1] + t2.split()[0]
            if any(ch in token for ch in "/_.-:"):
                ident.append("p%d: %s|%s" % (pno + 1, t.split()[-1], t2.split()[0]))
    flags = wrapped_pieces(pages, manuscript_code_lines(book))
    return pitch, code_pitch, off_grid, ident, flags


def main(argv):
    try:
        import fitz  # noqa: F401
    except ImportError:
        print("SKIP: PyMuPDF (python3-fitz) is not installed for /usr/bin/python3")
        return SKIP
    kmbook, work, books = argv[1], argv[2], argv[3:]
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704153600", LC_ALL="C.UTF-8")
    bad = 0
    for book in books:
        name = os.path.basename(book.rstrip("/")).replace(".md", "")
        pdf, dump = os.path.join(work, name + ".pdf"), os.path.join(work, name + ".txt")
        r = subprocess.run([kmbook, "--book", book, "--pdf", pdf, "--layout-dump", dump], env=env,
                           capture_output=True, text=True)
        if r.returncode != 0:
            if "font" in r.stderr.lower():
                print("SKIP: " + r.stderr.strip()[:200])
                return SKIP
            print("FAIL: %s: %s" % (book, r.stderr.strip()[-400:]))
            return 1
        hyph, spaced, other, all_lines = pdf_counts(pdf)
        pitch, code_pitch, off_grid, ident, flags = dump_counts(dump, book)
        # the dump's code pieces found in the PDF's lines (by their text, spaces
        # and the mark aside): wrapped pieces must end with the mark, others not
        key = lambda t: "".join(t.replace(MARK, "").split())
        want = {}
        for t, f in flags:
            want.setdefault(key(t), set()).add(f)
        unmarked = wrong = found = 0
        for ln in all_lines:
            k = key(ln.text)
            if not ln.ink or k not in want or len(want[k]) != 1:
                continue
            found += 1
            f, m = next(iter(want[k])), ln.ink[-1].c == MARK
            unmarked += f and not m
            wrong += m and not f
        flags = [f for _, f in flags]
        warn = [l for l in r.stderr.splitlines() if "no glyph for" in l]
        pua = 0
        if "\uf020" in open(os.path.join(book, "code.md") if os.path.isdir(book) and
                            os.path.exists(os.path.join(book, "code.md")) else
                            (book if book.endswith(".md") else os.devnull), encoding="utf-8").read():
            ok = len([l for l in warn if "U+F020" in l]) == 1 and "3 times" in "".join(warn)
            pua = 0 if ok else 1
            print("  U+F020 warnings: %d (%s)" % (len(warn), warn[0][-120:] if warn else ""))
        pitch_bad = 1 if code_pitch and code_pitch >= pitch - 0.01 else 0
        print("%s: code broken after a hyphen %d, letter-spaced by code %d (other loose lines %d), "
              "wrapped code lines %d (%d of %d code lines found in the PDF) without a mark %d "
              "(marks on unwrapped lines %d), "
              "code pitch %.2f (body %.2f), off-grid body lines %d, identifiers broken in a run %d"
              % (name, len(hyph), len(spaced), len(other), sum(flags), found, len(flags), unmarked, wrong,
                 code_pitch, pitch, len(off_grid), len(ident)))
        for w in (hyph + spaced + off_grid + ident)[:12]:
            print("  " + w)
        for w in other[:6]:
            print("  (loose, not by code) " + w)
        bad += len(hyph) + len(spaced) + unmarked + wrong + len(off_grid) + len(ident) + pua + pitch_bad
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
