#!/usr/bin/python3
"""An independent check of a vertically set PDF (竖排/直排; issue 15), read
from the glyph geometry with PyMuPDF (python3-fitz).

    check_vertical.py PDF [--source MANUSCRIPT.md ...] [--tcy N]
                          [--corner-quotes] [--only CHECK,...]
                          [--layout-dump DUMP]

Prints one line per check ("ok" or "FAIL" with the first offending places as
page:text) and exits 0 when every check holds, 1 when one does not, 2 when
the PDF cannot be read, 77 when PyMuPDF is missing.  It does not use kmbook's
code, only the PDF, so kmbook's vertical PDF and a hand-made one are judged
alike (tests/pdf/vertical/selftest.py shows each check failing on a flawed
page and passing on a good one).

How the page is read:
- glyphs come from page.get_texttrace() in content-stream order (the order a
  viewer copies and searches); a glyph whose writing direction is (1, 0) is
  upright on the page, (0, 1) is turned 90° clockwise (rotated Latin);
- an upright glyph's cell is its advance across and the ideographic em box
  (0.88 em above the baseline, 0.12 below: the CJK fonts' em box) down;
- upright Latin letters and digits that follow each other on one baseline
  form one cell (tate-chu-yoko candidates);
- cells follow each other in a column while the cell's centre stays within
  half an em of the column's centre; a jump starts a new column;
- the body size S is the most common size of upright glyphs; a column of
  three or more cells is a text column, of size S a body column; the text
  block's top T and bottom B are the highest top and the lowest bottom
  shared by two body columns (rounded to 0.25 em; odd and even pages apart),
  its sides the outermost body columns; columns smaller than S (notes, running heads) or outside the
  block (folios) are not judged for block, order and kinsoku.

With --layout-dump (kmbook's --layout-dump of the same build) what the
glyphs alone cannot tell is taken from it: glyphs inside a figure's box (an
image's own text, drawn level) are left out.  The checks still read only
the PDF.

Checks (each function below is named for it):
columns_run_top_to_bottom, columns_inside_text_block, columns_ordered_right_to_left,
ideographs_upright, punctuation_vertical_forms, no_upright_latin_outside_tcy,
two_digit_numbers_tate_chu_yoko, kinsoku_no_closing_mark_at_column_head,
viewer_direction_r2l, text_fidelity (only with --source).
"""
import difflib
import os
import re
import sys
from collections import Counter

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "typocheck"))
from typocheck import CLOSING, is_han, manuscript_text, normalise, report  # noqa: E402

ASC, DESC = 0.88, 0.12  # the ideographic em box of CJK fonts (Noto/Source Han)
COMMA_LIKE = set("，。、．")          # vert form: top right (SC, JP) or centred (TC, HK)
TURNED_WIDE = set("「」『』（）《》〈〉【】〔〕")  # turned: wider than tall in its half
OPENING_WIDE = set("「『（《〈【〔")  # turned, they stand in the lower half of the cell
TURNED_TALL = set("—―…‥～")          # turned: taller than wide
# may not begin a column; —— and …… may (clreq: they only may not be split)
NO_HEAD = CLOSING - set("—―…‥")
# what is set sideways in a column: ASCII but the space, Latin, Greek and
# Cyrillic letters; a run goes on over spaces
SIDEWAYS_RUN = re.compile(r"[\x21-\x7e\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+"
                          r"(?: +[\x21-\x7e\u00c0-\u024f\u0370-\u03ff\u0400-\u04ff]+)*")
LATIN = re.compile(r"[A-Za-z0-9\u00C0-\u024F]")


class Cell:
    """One cell of a column: an upright glyph, a tate-chu-yoko group (upright
    Latin side by side) or a turned glyph."""
    __slots__ = ("text", "x0", "x1", "y0", "y1", "size", "upright", "page", "seq")

    def __init__(self, text, x0, x1, y0, y1, size, upright, page, seq):
        self.text, self.x0, self.x1, self.y0, self.y1 = text, x0, x1, y0, y1
        self.size, self.upright, self.page, self.seq = size, upright, page, seq

    @property
    def xc(self):
        return (self.x0 + self.x1) / 2

    def where(self):
        return "p%d:%s" % (self.page + 1, self.text)


class Column:
    def __init__(self, cell):
        self.cells = [cell]

    @property
    def xc(self):
        return sum(c.xc for c in self.cells) / len(self.cells)

    @property
    def size(self):
        return Counter(round(c.size, 1) for c in self.cells).most_common(1)[0][0]

    @property
    def top(self):
        return self.cells[0].y0

    @property
    def bottom(self):
        return self.cells[-1].y1

    def text(self):
        return "".join(c.text for c in self.cells)

    def where(self):
        return "p%d:%s" % (self.cells[0].page + 1, self.text()[:12])


def read_cells(page, pno, body_size):
    """The page's cells in content-stream order."""
    cells, seq = [], 0
    for span in page.get_texttrace():
        dx, dy = span["dir"]
        upright = abs(dx - 1) < 0.01 and abs(dy) < 0.01
        turned = abs(dx) < 0.01 and abs(dy - 1) < 0.01
        size = span["size"] or body_size  # MuPDF 1.21 reports 0 for turned spans
        for ucs, _gid, origin, bbox in span["chars"]:
            ch = chr(ucs) if ucs > 0 else "\ufffd"
            if ch.isspace():
                continue
            seq += 1
            x, y = origin
            prev = cells[-1] if cells else None
            # one glyph for several characters (a ligature: Noto's vertical
            # —— is one glyph two ems long): the later ones have no advance
            if (prev and upright and prev.upright and bbox[2] - x < 0.01 * size
                    and abs(prev.x0 - x) < 0.01 * size and abs(prev.y1 - (y + DESC * size)) < 0.01 * size):
                prev.text += ch
                continue
            if (prev and turned and prev.upright is False and abs(prev.y0 - y) < 0.01 * size
                    and abs(prev.x0 - (x - DESC * size)) < 0.01 * size):  # a turned fi, ff
                prev.text += ch
                continue
            if upright:
                if (prev and prev.upright and LATIN.match(ch) and LATIN.match(prev.text[-1])
                        and abs(prev.y1 - (y + DESC * size)) < 0.1 * size
                        and abs(prev.x1 - x) < 0.15 * size):
                    prev.text += ch
                    prev.x1 = bbox[2]
                    continue
                cells.append(Cell(ch, x, bbox[2], y - ASC * size, y + DESC * size, size,
                                  True, pno, seq))
            elif turned:
                # baseline at x, the glyph's top towards +x; advance along y
                cells.append(Cell(ch, x - DESC * size, x + ASC * size, y, y + 0.5 * size,
                                  size, False, pno, seq))
            else:  # turned the wrong way or slanted: a cell that fits no column
                cells.append(Cell(ch, x, x, y, y, size, None, pno, seq))
    # a turned glyph's advance is the distance to the next glyph of its run
    for a, b in zip(cells, cells[1:]):
        if a.upright is False and b.upright is False and 0 < b.y0 - a.y0 < 2 * a.size:
            a.y1 = b.y0
    return cells


class Dump:
    """What kmbook's layout dump says of each page: its figures' boxes on
    the paper (the vertical frame's (x, y) is the paper's
    (W - y, x): render.c turns the frame a quarter clockwise)."""

    def __init__(self, path):
        self.figures = {}
        paper_w, vertical, cur = None, False, None
        for ln in open(path, encoding="utf-8"):
            v = re.match(r"vertical paper ([\d.]+)x", ln)
            if v:
                paper_w, vertical = float(v.group(1)), True
                continue
            p = re.match(r"page (\d+) \[[^]]*\] (\w+)", ln)
            if p:
                cur = int(p.group(1)) - 1
                self.figures[cur] = []
                continue
            i = re.match(r"\s+image\s+(-?[\d.]+)\s+(-?[\d.]+)\s+([\d.]+)x([\d.]+)", ln)
            if i and cur is not None and vertical:
                x, y, w, h = map(float, i.groups())
                self.figures[cur].append((paper_w - y - h, x, paper_w - y, x + w))

    def in_figure(self, pno, x, y):
        return any(a - 1 <= x <= c + 1 and b - 1 <= y <= d + 1 for a, b, c, d in self.figures.get(pno, ()))


def group_columns(cells):
    cols = []
    for c in cells:
        col = cols[-1] if cols else None
        if col and abs(c.xc - col.cells[-1].xc) <= 0.5 * col.size and c.upright is not None:
            col.cells.append(c)
        else:
            cols.append(Column(c))
    return cols


def mode(values, step):
    return Counter(round(v / step) * step for v in values).most_common(1)[0][0]


class Book:
    def __init__(self, path, tcy=2, dump=None):
        import fitz

        self.doc = fitz.open(path)
        self.path = path
        self.tcy = tcy
        sizes = Counter()
        for page in self.doc:
            for span in page.get_texttrace():
                if span["dir"] == (1.0, 0.0) and span["size"]:
                    sizes[round(span["size"], 1)] += len(span["chars"])
        self.S = sizes.most_common(1)[0][0] if sizes else 10.0
        self.pages = []  # per page: (columns, cells)
        for pno, page in enumerate(self.doc):
            cells = read_cells(page, pno, self.S)
            if dump:
                cells = [c for c in cells if not dump.in_figure(pno, c.xc, (c.y0 + c.y1) / 2)]
            cols = group_columns(cells)
            self.pages.append((cols, cells))
        # a column of three or more cells with CJK in it: upright Latin
        # side by side (a figure's labels, drawn level) is no column
        text = [c for cols, _ in self.pages for c in cols
                if len(c.cells) >= 3 and any(is_cjk(ch) for ch in c.text())]
        self.text_columns = text
        self.sources = ()
        S = self.S
        # the block is found from body-size columns: running heads and notes
        # are smaller, headings bigger
        text = [c for c in text if abs(c.size - S) <= 0.1 * S] or text
        self.body_columns = text
        # rectos and versos apart: a book may set them at different heights
        self.block = {}
        for parity in (0, 1):
            cs = [c for c in text if c.cells[0].page % 2 == parity] or text
            if not cs:
                continue
            # the highest top and the lowest bottom that two columns share:
            # one column out of line must not set them, nor the indented
            # first columns and short last columns of paragraphs
            tops = Counter(round(c.top / (0.25 * S)) * 0.25 * S for c in cs)
            ends = Counter(round(c.bottom / (0.25 * S)) * 0.25 * S for c in cs)
            self.block[parity] = (min([t for t, k in tops.items() if k >= 2] or tops),
                                  max([b for b, k in ends.items() if k >= 2] or ends))

    def edges(self, pno):
        """(top, bottom) of the text block on page pno, or (None, None)."""
        return self.block.get(pno % 2, (None, None))

    def in_block(self, col, pno):
        """Running text, not furniture or notes: the column is of body size
        or bigger, overlaps the block's band, and lies between (or a
        heading's width beside) the outermost body columns."""
        S = self.S
        T, B = self.edges(pno)
        if T is None or col.size < 0.9 * S:
            return False
        if col.bottom < T - 0.3 * S or col.top > B + 1.2 * S:
            return False
        xs = [c.xc for c in self.body_columns if c.cells[0].page == pno]
        return bool(xs) and min(xs) - 1.5 * S <= col.xc <= max(xs) + 1.5 * S

    def block_columns(self):
        """Per page, the columns of running text (with CJK in them: a
        figure's level labels are not set vertically)."""
        for pno, (cols, _) in enumerate(self.pages):
            yield pno, [c for c in cols if self.in_block(c, pno)
                        and any(is_cjk(ch) for ch in c.text())]


def is_cjk(ch):
    """Han, kana, bopomofo and CJK (full-width) punctuation."""
    cp = ord(ch)
    return (is_han(ch) or 0x3000 <= cp <= 0x312F or 0xFE30 <= cp <= 0xFE4F
            or 0xFF00 <= cp <= 0xFFEF)


def _need_columns(book):
    return [] if book.text_columns else ["no column of three or more cells anywhere: not set vertically"]


# --- checks ------------------------------------------------------------------------
def columns_run_top_to_bottom(book):
    """In every column each cell comes below the one before it (by at least
    a fifth of an em: compressed punctuation takes half a cell)."""
    bad = _need_columns(book)
    for col in book.text_columns:
        for a, b in zip(col.cells, col.cells[1:]):
            if b.y0 < a.y0 + 0.2 * min(a.size, b.size):
                bad.append("%s: %r then %r goes up" % (col.where(), a.text, b.text))
                break
    return bad, "%d text columns, body %.1f pt" % (len(book.text_columns), book.S)


def columns_inside_text_block(book):
    """Every text column starts at or below the block's top and ends at its
    bottom or above (one hanging mark may stand below the bottom)."""
    bad = _need_columns(book)
    if not book.block:
        return bad, ""
    S = book.S
    for col in (c for c in book.text_columns if book.in_block(c, c.cells[0].page)):
        T, B = book.edges(col.cells[0].page)
        # an opening bracket at the head may stand its blank half above
        if col.top < T - (0.55 * S if col.cells[0].text[0] in OPENING_WIDE else 0.15 * S):
            bad.append("%s starts %.1f pt above the block" % (col.where(), T - col.top))
        last = col.cells[-1]
        limit = B + (1.05 * S if last.text[-1] in CLOSING else 0.15 * S)
        if col.bottom > limit:
            bad.append("%s ends %.1f pt below the block" % (col.where(), col.bottom - B))
    return bad, "block top-bottom %s" % ", ".join(
        "%s %.1f-%.1f" % ("odd pages" if k == 0 else "even pages", t, b)
        for k, (t, b) in sorted(book.block.items()))


def columns_ordered_right_to_left(book):
    """On each page the columns of the text block come in the content stream
    (the order of copying and searching) from right to left."""
    bad = _need_columns(book)
    n = 0
    for pno, cols in book.block_columns():
        for a, b in zip(cols, cols[1:]):
            n += 1
            if b.xc > a.xc - 0.5 * book.S:
                bad.append("%s then %s is not to its left" % (a.where(), b.where()))
    return bad, "%d column steps" % n


def ideographs_upright(book):
    """Han characters stand upright (not turned with a horizontal line)."""
    bad = ["%s is turned" % c.where() for _, cells in book.pages for c in cells
           if c.upright is not True and any(is_han(ch) for ch in c.text)]
    return bad, ""


def ink_box(pix, zoom, cell, y0, y1):
    """The ink of a cell between y0 and y1 (page units): (x0, y0, x1, y1,
    cx, cy) as fractions of the cell's em box, or None when there is none."""
    w, s, n = pix.width, pix.samples, pix.n
    X0, X1 = int(cell.x0 * zoom), int(cell.x1 * zoom)
    top = int(cell.y0 * zoom)
    xs, ys, sx, sy, k = [], [], 0, 0, 0
    for y in range(max(int(y0 * zoom), 0), min(int(y1 * zoom), pix.height)):
        row = y * w * n
        for x in range(max(X0, 0), min(X1, w)):
            if s[row + x * n] < 128:
                xs.append(x)
                ys.append(y)
                sx += x
                sy += y
                k += 1
    if not k:
        return None
    W, H = max(X1 - X0, 1), max(int(cell.size * zoom), 1)
    return ((min(xs) - X0) / W, (min(ys) - top) / H, (max(xs) + 1 - X0) / W,
            (max(ys) + 1 - top) / H, (sx / k - X0) / W, (sy / k - top) / H)


def punctuation_vertical_forms(book):
    """Punctuation takes its vertical form, judged from the ink in its cell
    (glyph ids of a subset font say nothing portable): ，。、 not in the
    left or bottom part of the cell (the vert form sits top right in SC and
    JP fonts, centred in TC and HK fonts, whose horizontal form is centred
    too); brackets turned (wider than tall, in the half of the cell
    towards the text they enclose); —— …… turned (taller than wide).  A horizontal SC ， sits bottom left, one merely rotated (Pango's
    fallback) top left — both fail."""
    import fitz

    bad, n, zoom = [], 0, 4
    # a turned ，。、 has no vert form at all (Pango's NATURAL hint turns
    # brackets and colons, which then look right, but never these)
    bad += ["%s: turned, not its vert form" % c.where() for _, cells in book.pages for c in cells
            if c.upright is not True and c.text in COMMA_LIKE]
    for pno, (cols, _) in enumerate(book.pages):
        todo = [(col, i) for col in cols if len(col.cells) >= 2 for i, c in enumerate(col.cells)
                if c.upright and c.text in COMMA_LIKE | TURNED_WIDE | TURNED_TALL]
        if not todo:
            continue
        pix = book.doc[pno].get_pixmap(matrix=fitz.Matrix(zoom, zoom), colorspace=fitz.csGRAY)
        for col, i in todo:
            c = col.cells[i]
            # a compressed mark's neighbours may stand inside its em box: the
            # next one from below (cut off); for brackets only the half their
            # vertical form inks is looked at (a neighbour stands only in the
            # blank half)
            nxt = col.cells[i + 1].y0 if i + 1 < len(col.cells) else c.y1
            y0, y1 = c.y0, min(c.y1, max(nxt, c.y0 + 0.45 * c.size))
            if c.text in OPENING_WIDE:  # what stands there is its own ink
                y0, y1 = c.y0 + 0.5 * c.size, c.y1
            elif c.text in TURNED_WIDE:
                y0, y1 = c.y0, c.y0 + 0.5 * c.size
            box = ink_box(pix, zoom, c, y0, y1)
            n += 1
            if box is None:
                bad.append("%s: no ink in its cell" % c.where())
                continue
            x0, y0, x1, y1, cx, cy = box
            if c.text in COMMA_LIKE and not (cx > 0.4 and cy < 0.6):
                bad.append("%s: ink centre at (%.2f, %.2f) of the cell: left or low"
                           % (c.where(), cx, cy))
            elif c.text in TURNED_WIDE and not (x1 - x0 > y1 - y0):
                bad.append("%s: not turned (ink %.2f wide, %.2f tall)" % (c.where(), x1 - x0, y1 - y0))
            elif c.text in TURNED_TALL and not (y1 - y0 > x1 - x0):
                bad.append("%s: not turned (ink %.2f wide, %.2f tall)" % (c.where(), x1 - x0, y1 - y0))
    if not n and not bad:
        bad.append("no ，。、「」 or —… in any column to judge")
    return bad, "%d marks judged" % n


def no_upright_latin_outside_tcy(book):
    """Latin letters and digits in the text block are turned 90° clockwise,
    unless they are tate-chu-yoko: one upright cell of at most N (--tcy,
    default 2) digits, no wider than an em."""
    bad = []
    for pno, cols in book.block_columns():
        for col in cols:
            for c in col.cells:
                if not LATIN.search(c.text):
                    continue
                if c.upright is None:
                    bad.append("%s turned the wrong way" % c.where())
                elif c.upright and not (c.text.isdigit() and len(c.text) <= book.tcy
                                        and c.x1 - c.x0 <= 1.1 * c.size):
                    bad.append("%s upright" % c.where())
    return bad, "tate-chu-yoko up to %d digits" % book.tcy


def two_digit_numbers_tate_chu_yoko(book):
    """A number of exactly two digits standing alone (not in a run of
    Latin, digits and ASCII punctuation joined by spaces: 3.14, 2023-10-01
    and "Page 20" are turned whole; 95% counts) is set upright in one cell."""
    bad, n = [], 0
    for _, cells in book.pages:
        text = "".join(c.text for c in cells)
        owner = [c for c in cells for _ in c.text]
        for m in SIDEWAYS_RUN.finditer(text):
            if not re.fullmatch(r"[0-9]{2}%?", m.group()):
                continue
            n += 1
            c = owner[m.start()]
            if not (c is owner[m.start() + 1] and c.upright):
                bad.append("%s%s not in one upright cell" % (c.where(), text[m.start() + 1]))
    return bad, "%d two-digit numbers" % n


def kinsoku_no_closing_mark_at_column_head(book):
    """No column of the text block begins with a closing mark (，。」』！？ …),
    unless the manuscript (--source) begins a line with it (a hard break)."""
    heads = set()
    for src in book.sources:
        for line in open(src, encoding="utf-8-sig"):
            line = line.strip().rstrip("\\").strip()
            if line and line[0] in NO_HEAD:
                heads.add(normalise(re.sub(r"\s+", "", line))[:4])
    bad, excused = [], 0
    for _, cols in book.block_columns():
        for col in cols:
            if col.cells[0].text[0] not in NO_HEAD:
                continue
            if any(normalise(col.text()).startswith(h) for h in heads):
                excused += 1
            else:
                bad.append(col.where())
    return bad, "%d after a hard break in the manuscript" % excused if excused else ""


def viewer_direction_r2l(book):
    """The catalog says pages progress right to left:
    /ViewerPreferences << /Direction /R2L >>."""
    doc = book.doc
    kind, val = doc.xref_get_key(doc.pdf_catalog(), "ViewerPreferences/Direction")
    if val != "/R2L":
        return ["/ViewerPreferences /Direction is %s" % (val if kind != "null" else "missing")], ""
    return [], "/R2L"


CORNER = str.maketrans("“”‘’", "「」『』")


def text_fidelity(book, sources, corner=False):
    """Every character of the manuscript is in the text layer, in order
    (content-stream order: the right-hand column first).  The text is what
    poppler copies (pdftotext -raw: stream order, /ActualText honoured — a
    glyph drawn for another character, as 「 for “, carries the character
    that way; MuPDF 1.21 ignores it), else MuPDF's.  --corner-quotes: the
    book's text turns “” into 「」 and ‘’ into 『』."""
    import shutil
    import subprocess

    pdf = None
    if shutil.which("pdftotext"):
        r = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", book.path, "-"],
                           capture_output=True, text=True)
        if r.returncode == 0:
            pdf = re.sub(r"\s+", "", r.stdout)
    how = "pdftotext -raw" if pdf is not None else "MuPDF"
    if pdf is None:
        pdf = "".join(c.text for _, cells in book.pages for c in cells)
    if corner:
        pdf = pdf.translate(CORNER)
    pdf = normalise(pdf)
    texts = []
    for src in sources:
        flow, apart = manuscript_text(src)
        if corner:  # normalise() has made “” into "
            flow = _corner(flow)
            apart = [_corner(a) for a in apart]
        texts.append((src, flow, apart))
    flow = "".join(t for _, t, _ in texts)
    bad, at, found = [], 0, 0
    sm = difflib.SequenceMatcher(None, flow, pdf, autojunk=False)
    for block in sm.get_matching_blocks():
        if block.a > at:
            bad.append("%r missing (after %r)" % (flow[at:block.a][:20], flow[max(0, at - 12):at]))
        at = block.a + block.size
        found += block.size
    for src, _, apart in texts:
        bad += ["%s: note %r missing" % (src, a[:30]) for a in apart if a not in pdf]
    return bad, "%.1f%% of %d characters in order (%s)" % (100.0 * found / max(len(flow), 1),
                                                          len(flow), how)


def _corner(t):
    """The manuscript's quotes (made " and ' by normalise) as corner brackets,
    opening and closing in turn."""
    out, open_ = [], {'"': False, "'": False}
    for ch in t:
        if ch in open_:
            out.append({'"': "」", "'": "』"}[ch] if open_[ch] else {'"': "「", "'": "『"}[ch])
            open_[ch] = not open_[ch]
        else:
            out.append(ch)
    return "".join(out)


CHECKS = [columns_run_top_to_bottom, columns_inside_text_block, columns_ordered_right_to_left,
          ideographs_upright, punctuation_vertical_forms, no_upright_latin_outside_tcy,
          two_digit_numbers_tate_chu_yoko, kinsoku_no_closing_mark_at_column_head,
          viewer_direction_r2l, text_fidelity]


def check(pdf, sources=(), only=None, tcy=2, corner=False, dump=None):
    book = Book(pdf, tcy, Dump(dump) if dump else None)
    book.sources = tuple(sources)
    results = {}
    for rule in CHECKS:
        name = rule.__name__
        if only and name not in only:
            continue
        if rule is text_fidelity:
            if sources:
                results[name] = rule(book, sources, corner)
        else:
            results[name] = rule(book)
    return results


def main(argv):
    try:
        import fitz  # noqa: F401
    except ImportError:
        print("SKIPPED: PyMuPDF is not installed for %s (Debian package python3-fitz)" % sys.executable)
        return 77
    args, sources, only, tcy, corner, dump = list(argv), [], None, 2, False, None
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    pdf = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--source":
            while args and not args[0].startswith("--"):
                sources.append(args.pop(0))
        elif a == "--only" and args:
            only = set(args.pop(0).split(","))
        elif a == "--tcy" and args:
            tcy = int(args.pop(0))
        elif a == "--layout-dump" and args:
            dump = args.pop(0)
        elif a == "--corner-quotes":
            corner = True
        else:
            print("check_vertical: unknown argument %r" % a)
            return 2
    try:
        results = check(pdf, sources, only, tcy, corner, dump)
    except RuntimeError as e:
        print("check_vertical: cannot read %s: %s" % (pdf, e))
        return 2
    return 1 if report(results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
