#!/usr/bin/python3
"""Vertical writing in the PDF (issue 15), read back from the glyph geometry
with PyMuPDF.

Usage: vertical.py KMBOOK WORKDIR default|classical|negative

  default    the default book and tests/pdf/book (notes, tables, code, ruby)
             built with --writing vertical
  classical  two Traditional Chinese classical books (tests/corpus/tang-poems,
             poems; tests/corpus/three-kingdoms, prose with verse)
  negative   the checks must fail where they should: on the default book
             set horizontally (every geometry check), with tcy_digits=0
             (short numbers turned sideways) and against a manuscript the
             book does not contain (fidelity)

How a page is read: glyphs in content-stream order (page.get_texttrace():
the order copy and search see); dir (1, 0) is upright on the paper, (0, 1)
turned 90° clockwise. An upright glyph's cell is its advance across and the
ideographic em box (0.88 above the origin, 0.12 below) down the column. The
text block comes from kmbook's --layout-dump (its "vertical paper" line and
the vertical frame's geometry; versos move by verso_dy); glyphs inside
figures (their images' boxes in the dump) are the figure's, not the text's.

Checks:
  r2l            the catalog's /ViewerPreferences has /Direction /R2L
  block          every glyph is inside the text block, or is furniture in
                 the fore-edge margin (running head, folio)
  columns        the glyphs of each column follow one another top to bottom
  right_to_left  columns follow one another right to left on each page
  vert_forms     ，。 inked at the top right of their cell (Simplified books),
                 brackets and curly quotes turned (ink wider than tall), ——
                 and …… along the column (taller than wide)
  latin          no upright Latin letter; an upright digit only in a
                 tate-chu-yoko cell of at most 2 digits (one cell, one
                 baseline); no 1–2 digit number on its own set sideways
  kinsoku        no closing mark at the head of a column
  fidelity       the body pages' text, in stream order, contains the whole
                 manuscript in order
  navigation     outline entries lead to the page and near the column that
                 sets the heading; internal links lead to points on the page
"""
import difflib
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "typocheck"))
from typocheck import CLOSING, HANGING, OPENING, manuscript_text, normalise  # noqa: E402

ASC, DESC = 0.88, 0.12
EM = 10.5  # the default style's body size
COMMA = set("，。")
WIDE = set("「」『』“”‘’（）《》")
TALL = set("—…")
NO_HEAD = CLOSING - set("—…")


def build(kmbook, book, out, extra=()):
    dump = out + ".dump"
    cmd = [kmbook, "-q", "--pdf", out, "--layout-dump", dump] + list(extra)
    if book:
        cmd += ["--book", book]
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit("kmbook failed (%d): %s" % (r.returncode, r.stderr))
    return out, dump


class Geometry:
    """The text block of each page on the paper, and its figures' boxes."""

    def __init__(self, dump):
        self.pages = {}  # number -> (kind, recto, [image rects])
        self.vertical = False
        lines = open(dump, encoding="utf-8").read().splitlines()
        m = re.match(r"paper \S+ ([\d.]+)x([\d.]+) text ([\d.]+)x([\d.]+) .* inner ([\d.]+) "
                     r"outer [\d.]+ top ([\d.]+)", lines[0])
        fw, fh, tw, th, inner, top = map(float, m.groups())
        self.dy = 0.0
        self.paper_w = fw
        for ln in lines[1:3]:
            v = re.match(r"vertical paper ([\d.]+)x([\d.]+) verso_dy (-?[\d.]+)", ln)
            if v:
                self.vertical = True
                self.paper_w, self.dy = float(v.group(1)), float(v.group(3))
        self.tw, self.th, self.inner, self.top = tw, th, inner, top
        cur = None
        for ln in lines:
            p = re.match(r"page (\d+) \[[^]]*\] (\w+) (recto|verso)", ln)
            if p:
                cur = int(p.group(1))
                self.pages[cur] = (p.group(2), p.group(3) == "recto", [])
                continue
            i = re.match(r"\s+image\s+(-?[\d.]+)\s+(-?[\d.]+)\s+([\d.]+)x([\d.]+)", ln)
            if i and cur and self.vertical:
                x, y, w, h = map(float, i.groups())
                # the frame's box on the paper (render.c: (x, y) -> (W - y, x))
                self.pages[cur][2].append((self.paper_w - y - h, x, self.paper_w - y, x + w))

    def block(self, pno):
        """(x0, y0, x1, y1) of the text block on the paper, 1-based page."""
        recto = self.pages[pno][1]
        t = self.top + (0 if recto else self.dy)
        return (self.paper_w - t - self.th, self.inner, self.paper_w - t, self.inner + self.tw)

    def fore_edge(self, pno, x):
        """True if x lies in the fore-edge margin (left of a recto's block,
        right of a verso's)."""
        x0, _, x1, _ = self.block(pno)
        return x < x0 if self.pages[pno][1] else x > x1

    def in_figure(self, pno, x, y):
        return any(a - 1 <= x <= c + 1 and b - 1 <= y <= d + 1 for a, b, c, d in self.pages[pno][2])


class G:
    __slots__ = ("c", "x0", "x1", "y", "ox", "size", "upright", "page")

    def __init__(self, c, x0, x1, y, ox, size, upright, page):
        self.c, self.x0, self.x1, self.y, self.ox = c, x0, x1, y, ox
        self.size, self.upright, self.page = size, upright, page

    @property
    def xc(self):
        return (self.x0 + self.x1) / 2 if self.upright else self.ox

    def where(self):
        return "p%d:%s@(%.0f,%.0f)" % (self.page, self.c, self.xc, self.y)


def read(pdf, geo):
    """{page: [glyphs in stream order]} (figures' glyphs left out) and the
    glyphs left out because they are in a figure."""
    import fitz
    doc = fitz.open(pdf)
    pages = {}
    for i, page in enumerate(doc):
        pno = i + 1
        out = []
        # texttrace gives no size for turned glyphs: take it from rawdict
        sizes = {}
        for blk in page.get_text("rawdict")["blocks"]:
            for ln in blk.get("lines", []):
                for sp in ln["spans"]:
                    for ch in sp["chars"]:
                        sizes[(ch["c"], round(ch["origin"][0]), round(ch["origin"][1]))] = sp["size"]
        for sp in page.get_texttrace():
            up = abs(sp["dir"][0] - 1) < 0.01 and abs(sp["dir"][1]) < 0.01
            for ch in sp["chars"]:
                c = chr(ch[0])
                if c.isspace():
                    continue
                ox, oy = ch[2]
                bb = ch[3]
                size = sp["size"] or sizes.get((c, round(ox), round(oy)), 0)
                g = G(c, bb[0], bb[2], oy, ox, size, up, pno)
                if geo.in_figure(pno, g.xc, oy):
                    continue
                out.append(g)
        pages[pno] = out
    return doc, pages


def body(geo, pages):
    """Glyphs inside the text block of each page (not the furniture)."""
    out = {}
    for pno, gs in pages.items():
        x0, y0, x1, y1 = geo.block(pno)
        tol = 0.5 * EM
        out[pno] = [g for g in gs if x0 - tol <= g.xc <= x1 + tol and y0 - tol <= g.y <= y1 + tol]
    return out


def columns(gs):
    """Consecutive glyphs whose centre stays within half an em of the
    column's first glyph form a column."""
    cols = []
    for g in gs:
        if cols and abs(g.xc - cols[-1][0].xc) <= 0.5 * EM:
            cols[-1].append(g)
        else:
            cols.append([g])
    return cols


# --- the checks ---------------------------------------------------------------------
def check_r2l(doc, geo, pages, **_):
    cat = doc.pdf_catalog()
    vp = doc.xref_get_key(cat, "ViewerPreferences")
    text = vp[1] if vp[0] == "dict" else doc.xref_object(int(vp[1].split()[0])) if vp[0] == "xref" else ""
    return [] if "/Direction/R2L" in text.replace(" ", "") else ["catalog ViewerPreferences: %r" % text]


def check_block(doc, geo, pages, **_):
    bad = []
    for pno, gs in pages.items():
        x0, y0, x1, y1 = geo.block(pno)
        tol = 0.5
        for g in gs:
            if g.upright:
                gx0, gx1, gy0, gy1 = g.x0, g.x1, g.y - ASC * g.size, g.y + DESC * g.size
            else:
                gx0 = gx1 = g.ox
                gy0 = gy1 = g.y
            # a comma or stop may hang below the column's foot (hanging_punct);
            # an opening mark's blank half may stand above its head (para_start_trim)
            foot = y1 + (EM if g.c in HANGING else 0) + tol
            head = y0 - (EM / 2 if g.c in OPENING else 0) - tol
            inside = x0 - tol <= gx0 and gx1 <= x1 + tol and head <= gy0 and gy1 <= foot
            if not inside and not geo.fore_edge(pno, g.xc):
                bad.append(g.where())
    return bad


def check_columns(doc, geo, pages, body_pages, **_):
    bad = []
    for pno in body_pages:
        for col in columns(pages[pno]):
            for a, b in zip(col, col[1:]):
                if b.y < a.y - 0.5:
                    bad.append("%s then %s goes up" % (a.where(), b.c))
                    break
    return bad


def check_right_to_left(doc, geo, pages, body_pages, **_):
    bad = []
    for pno in body_pages:
        # ruby (half size or less) is set after its base, to its right
        cols = columns([g for g in pages[pno] if g.size > 0.6 * EM])
        for a, b in zip(cols, cols[1:]):
            if b[0].xc >= a[0].xc:
                bad.append("%s then %s is not left of it" % (a[0].where(), b[0].where()))
    return bad


def cells(col):
    """(glyph, y0, y1) down a column: each glyph's em box, cut where it meets
    its neighbours' (a compressed mark is half a cell: its box would take in
    half of the next glyph)."""
    mids = [g.y - (ASC - 0.5) * g.size for g in col]  # em box centres
    out = []
    for k, g in enumerate(col):
        y0, y1 = mids[k] - g.size / 2, mids[k] + g.size / 2
        # a sideways neighbour starts at its origin: no box of its own to share
        if k and col[k - 1].upright:
            y0 = max(y0, (mids[k - 1] + mids[k]) / 2)
        if k + 1 < len(col):
            nxt = col[k + 1]
            y1 = min(y1, (mids[k] + mids[k + 1]) / 2 if nxt.upright else nxt.y)
        out.append((g, y0, y1))
    return out


def check_vert_forms(doc, geo, pages, body_pages, simplified=True, **_):
    import fitz
    bad, seen = [], 0
    zoom = 4
    for pno in body_pages:
        todo = [(g, y0, y1) for col in columns(pages[pno]) for g, y0, y1 in cells(col)
                if g.upright and (g.c in WIDE or g.c in TALL or (simplified and g.c in COMMA))]
        if not todo:
            continue
        pix = doc[pno - 1].get_pixmap(matrix=fitz.Matrix(zoom, zoom), colorspace=fitz.csGRAY)
        for g, y0, y1 in todo[:40]:
            x0, x1 = g.x0, g.x1
            xs, ys = [], []
            for py in range(int(y0 * zoom) + 1, int(y1 * zoom)):
                for px in range(int(x0 * zoom) + 1, int(x1 * zoom)):
                    if 0 <= px < pix.width and 0 <= py < pix.height and pix.pixel(px, py)[0] < 128:
                        xs.append(px / zoom)
                        ys.append(py / zoom)
            if not xs:
                bad.append("%s: no ink in its cell" % g.where())
                continue
            seen += 1
            w, h = max(xs) - min(xs), max(ys) - min(ys)
            cx, cy = sum(xs) / len(xs), sum(ys) / len(ys)
            full = (g.y - ASC * g.size, g.y + DESC * g.size)  # the uncompressed em box
            if g.c in COMMA and not (cx > (x0 + x1) / 2 and cy < sum(full) / 2):
                bad.append("%s: not at the top right of its cell" % g.where())
            elif g.c in WIDE and not w > h * (0.85 if g.c in "『』“”" else 1):  # ﹃﹄ nearly square
                bad.append("%s: not turned (ink %.1fx%.1f)" % (g.where(), w, h))
            elif g.c in TALL and not h > w:
                bad.append("%s: not along the column (ink %.1fx%.1f)" % (g.where(), w, h))
    if not seen and not bad:
        bad.append("no punctuation found to check")
    return bad


def check_latin(doc, geo, pages, body_pages, tcy=2, **_):
    bad = []
    for pno, gs in pages.items():
        gs = [g for g in gs if not geo.fore_edge(pno, g.xc)]  # the folio is upright by choice
        i = 0
        while i < len(gs):
            g = gs[i]
            if g.c.isascii() and g.c.isalpha() and g.upright:
                bad.append("%s upright" % g.where())
            if g.c.isascii() and g.c.isdigit():
                j = i
                while j < len(gs) and gs[j].c.isascii() and gs[j].c.isdigit() and gs[j].upright == g.upright:
                    j += 1
                run = gs[i:j]
                num = "".join(r.c for r in run)
                if g.upright:
                    if len(run) > tcy or any(abs(r.y - g.y) > 0.5 for r in run) or \
                            run[-1].x1 - run[0].x0 > 1.05 * EM:
                        bad.append("%s: upright digits %s not one tate-chu-yoko cell" % (g.where(), num))
                else:
                    before = gs[i - 1] if i else None
                    after = gs[j] if j < len(gs) else None
                    alone = all(n is None or n.upright or not n.c.isascii() or n.c in "%"
                                for n in (before, after))
                    if alone and len(run) <= tcy:
                        bad.append("%s: %s set sideways, not tate-chu-yoko" % (g.where(), num))
                i = j
                continue
            i += 1
    return bad


def hard_breaks(sources):
    """(last character, next character) around each hard break (a line
    ending in a backslash) of the manuscripts: a column may start there."""
    pairs = set()
    for src in sources:
        t = open(src, encoding="utf-8-sig").read()
        for m in re.finditer(r"(\S)\\\n\s*(\S)", t):
            pairs.add((m.group(1), m.group(2)))
    return pairs


def check_kinsoku(doc, geo, pages, body_pages, sources=(), **_):
    bad = []
    breaks = hard_breaks(sources)
    for pno in body_pages:
        cols = columns(pages[pno])
        for k, col in enumerate(cols):
            after = cols[k - 1][-1].c if k else None
            # a sideways column head is code or Latin turned, not vertical text
            if col[0].upright and col[0].c in NO_HEAD and (after, col[0].c) not in breaks:
                bad.append("%s heads a column" % col[0].where())
    return bad


def check_fidelity(doc, geo, pages, body_pages, sources=(), **_):
    pdf = normalise("".join(g.c for p in body_pages for g in pages[p]))
    texts = [manuscript_text(s) for s in sources]
    flow = "".join(t for t, _ in texts)
    bad, at = [], 0
    sm = difflib.SequenceMatcher(None, flow, pdf, autojunk=False)
    for blk in sm.get_matching_blocks():
        if blk.a > at:
            bad.append("%r missing (after %r)" % (flow[at:blk.a][:20], flow[max(0, at - 12):at]))
        at = blk.a + blk.size
    for _, apart in texts:
        bad += ["caption or note %r missing" % a[:30] for a in apart if a not in pdf]
    if not flow:
        bad.append("no manuscript text")
    return bad


def check_navigation(doc, geo, pages, **_):
    """The outline leads to the page that sets each heading, close to it;
    every internal link leads to a point on its page (destinations are
    given on the paper, not in the vertical frame)."""
    bad = []
    toc = doc.get_toc(simple=False)
    if not toc:
        bad.append("no outline")
    for level, title, pno, dest in toc:
        page = doc[pno - 1]
        key = re.sub(r"\s+", "", title)[:2]
        hits = [g for g in pages.get(pno, []) if g.c == key[:1]]
        if not hits:
            bad.append("outline %r: page %d does not set it" % (title, pno))
            continue
        to = dest.get("to")
        if to is not None:
            # PyMuPDF gives the point with y from the page top
            x, y = to.x, to.y
            if not (0 <= x <= page.rect.width and 0 <= y <= page.rect.height):
                bad.append("outline %r: destination (%.0f,%.0f) off the page" % (title, x, y))
            elif min(abs(g.xc - x) for g in hits) > 3 * EM * 2:
                bad.append("outline %r: destination x %.0f far from its heading" % (title, x))
    for i, page in enumerate(doc):
        for ln in page.get_links():
            if ln.get("kind") != 1:
                continue
            to, target = ln.get("to"), ln.get("page", -1)
            if target < 0 or target >= len(doc):
                bad.append("p%d: link to no page" % (i + 1))
            elif to is not None and not (0 <= to.x <= doc[target].rect.width and
                                         0 <= to.y <= doc[target].rect.height):
                bad.append("p%d: link to (%.0f,%.0f) off page %d" % (i + 1, to.x, to.y, target + 1))
    return bad


CHECKS = [("r2l", check_r2l), ("block", check_block), ("columns", check_columns),
          ("right_to_left", check_right_to_left), ("vert_forms", check_vert_forms),
          ("latin", check_latin), ("kinsoku", check_kinsoku), ("fidelity", check_fidelity),
          ("navigation", check_navigation)]


def run_checks(pdf, dump, sources, **kw):
    geo = Geometry(dump)
    doc, pages = read(pdf, geo)
    body_pages = [p for p, (kind, _, _) in geo.pages.items() if kind == "body"]
    bpages = body(geo, pages)
    res = {}
    for name, fn in CHECKS:
        src = pages if name in ("block", "latin", "navigation") else bpages
        res[name] = fn(doc, geo, src, body_pages=body_pages, sources=sources, **kw)
    return res


def report(label, res):
    fails = 0
    for name, bad in res.items():
        if bad:
            fails += 1
            print("FAIL  %s %-14s %d: %s" % (label, name, len(bad), "; ".join(bad[:4])))
        else:
            print("ok    %s %s" % (label, name))
    return fails


def sources_of(book):
    """The chapter files book.yaml lists, in order."""
    files = []
    for ln in open(os.path.join(book, "book.yaml"), encoding="utf-8"):
        m = re.match(r"\s+-\s+(?:\{file:\s*)?([^,}\s]+)", ln)
        if m and os.path.exists(os.path.join(book, m.group(1))):
            files.append(os.path.join(book, m.group(1)))
    return files


def main(argv):
    try:
        import fitz  # noqa: F401
    except ImportError:
        print("SKIPPED: PyMuPDF is not installed for %s (python3-fitz)" % sys.executable)
        return 77
    if len(argv) != 3:
        print(__doc__)
        return 2
    kmbook, work, mode = argv
    os.makedirs(work, exist_ok=True)
    default_book = os.path.join(ROOT, "book")
    fails = 0
    if mode == "default":
        pdf, dump = build(kmbook, None, os.path.join(work, "default-v.pdf"), ["--writing", "vertical"])
        fails += report("default", run_checks(pdf, dump, sources_of(default_book)))
        # the test book: notes, tables, code, lists, quotes, ruby, figures
        book = os.path.join(HERE, "book")
        pdf, dump = build(kmbook, book, os.path.join(work, "pdf-book-v.pdf"), ["--writing", "vertical"])
        fails += report("pdf-book", run_checks(pdf, dump, sources_of(book)))
        # an apostrophe inside a Latin word turns with the word; only a
        # closing quote becomes 』 (MuPDF reads the drawn glyphs, not ActualText)
        md = os.path.join(work, "apostrophe.md")
        with open(md, "w", encoding="utf-8") as f:
            f.write("---\ntitle: 撇号\nwriting: vertical\n---\n# 一\n\n他说 don’t panic，"
                    "又说‘好’，It’s O’Brien’s.\n")
        pdf, _ = build(kmbook, md, os.path.join(work, "apostrophe.pdf"))
        import fitz
        # glyphs in stream order with their direction: (1, 0) upright, else turned
        cs = [(chr(ch[0]), tuple(round(v) for v in sp["dir"]))
              for pg in fitz.open(pdf) for sp in pg.get_texttrace() for ch in sp["chars"]]
        bad, quotes = [], 0
        for i in range(1, len(cs) - 1):
            c, d = cs[i]
            if c == "\u2019" and cs[i - 1][0].isascii() and cs[i - 1][0].isalpha():
                if d != cs[i - 1][1]:
                    bad.append("%s’%s drawn %s, its word %s" % (cs[i - 1][0], cs[i + 1][0], d, cs[i - 1][1]))
            if c in "\u2018\u2019" and "好" in (cs[i - 1][0], cs[i + 1][0]):
                quotes += 1
                if d != (1, 0):
                    bad.append("a quote beside 好 is not upright (『』)")
        if bad or quotes != 2:
            print("FAIL  apostrophe: %s (quotes around 好: %d)" % ("; ".join(bad), quotes))
            fails += 1
        else:
            print("ok    apostrophe (don’t, It’s, O’Brien’s turn with their words; ‘好’ upright)")
    elif mode == "classical":
        for name in ("tang-poems", "three-kingdoms"):
            book = os.path.join(ROOT, "tests", "corpus", name)
            pdf, dump = build(kmbook, book, os.path.join(work, name + "-v.pdf"), ["--writing", "vertical"])
            # Traditional Chinese fonts centre ，。 in their cells
            fails += report(name, run_checks(pdf, dump, sources_of(book), simplified=False))
    elif mode == "negative":
        # every check must be able to fail: each case names the checks it must trip
        style = os.path.join(work, "no-tcy.ini")
        with open(style, "w") as f:
            f.write("[page]\ntcy_digits=0\n")
        cases = [
            ("horizontal", build(kmbook, None, os.path.join(work, "default-h.pdf")),
             sources_of(default_book),
             {"r2l", "block", "columns", "right_to_left", "vert_forms", "latin", "kinsoku"}),
            ("no-tcy", build(kmbook, None, os.path.join(work, "default-notcy.pdf"),
                             ["--writing", "vertical", "--style", style]),
             sources_of(default_book), {"latin"}),
            ("other-manuscript", build(kmbook, None, os.path.join(work, "default-v2.pdf"),
                                       ["--writing", "vertical"]),
             sources_of(os.path.join(ROOT, "tests", "corpus", "tang-poems")), {"fidelity"}),
        ]
        for label, (pdf, dump), srcs, must in cases:
            res = run_checks(pdf, dump, srcs)
            failed = {k for k, v in res.items() if v}
            for k in sorted(must):
                if k in failed:
                    print("ok    %s: %s fails as it must (%s)" % (label, k, res[k][0][:70]))
                else:
                    print("FAIL  %s: %s passed on a book that breaks it" % (label, k))
                    fails += 1
    else:
        print(__doc__)
        return 2
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
