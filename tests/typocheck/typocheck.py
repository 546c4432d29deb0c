#!/usr/bin/python3
"""The project's own check of a PDF's CJK typography (PyMuPDF: python3-fitz).

    typocheck.py PDF [--source MANUSCRIPT.md ...] [--only RULE,...] [--json]

Reads the glyphs of a PDF (a kmbook book, or any single-column horizontal
PDF) and checks one rule per function below.  Prints one line per rule
("ok" or "FAIL" with the first offending places as page:text) and exits 0
when every rule holds, 1 when one does not, 2 when the PDF cannot be read,
77 when PyMuPDF is missing.

How the page is read (deliberately simple, for books set by one program):
- glyphs come from page.get_text("rawdict") with MuPDF's invented spaces
  off; x0..x1 is a glyph's advance box;
- glyphs sharing a baseline (within 0.3 of their size) form a line; a small
  glyph raised a little above a bigger line's baseline (a footnote mark)
  joins that line;
- the body size S is the most common glyph size; a line whose glyphs are
  mostly size S is a body line, a bigger one a heading, a smaller one a note,
  caption or colophon line; a line set in a monospace font is code;
- lines in the top or bottom 8 % of a page are running heads and folios;
- the text block's left edge L and right edge E are the most common line
  start and the rightmost common line end of the body lines, separately on
  odd and even pages (mirrored margins);
- a body line ends its paragraph when the next line of the flow (body lines,
  headings and code in reading order; notes and captions stand apart) is not
  a body line, is indented, or follows after a gap bigger than the line pitch.

Rules (each function is named for the rule; see its docstring):
kinsoku_no_closing_mark_at_line_start, kinsoku_no_opening_mark_at_line_end,
cjk_latin_gap_is_quarter_em, punctuation_is_full_width_mid_line,
punctuation_pairs_are_compressed, no_overfull_lines, no_underfull_lines,
no_lonely_character_last_line, no_widows, no_orphans,
no_heading_at_page_foot, fonts_embedded_and_subset, outline_present,
internal_links_resolve, no_compatibility_ideographs, text_fidelity
(text_fidelity only with --source).
"""
import difflib
import json
import re
import statistics
import sys
from collections import Counter

# --- character classes -------------------------------------------------------
CLOSING = set("，。、；：？！）］｝〕〉》」』】〗〙’”…‥・·ー々〜～—") | set(",.;:?!)]}%")
OPENING = set("（［｛〔〈《「『【〖〘‘“") | set("([{")
CJK_PUNCT = set("，。、；：？！（）［］｛｝〔〕〈〉《》「」『』【】〖〗〘〙‘’“”…‥—～・·")
MID_LINE_MARKS = set("，、。；：？！")
DOUBLE_MARKS = set("…‥—―～")  # set as pairs on purpose (……, ——): not compressed
HANGING = set("，。、．,.：；！？）」』》”’")  # may protrude past the right edge
MONO = re.compile(r"mono|courier|consol|menlo|typewriter|code", re.I)


def is_han(ch):
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F
            or 0xF900 <= cp <= 0xFAFF or cp == 0x3007)


def is_latin_alnum(ch):
    return (ch.isascii() and ch.isalnum()) or (0xC0 <= ord(ch) <= 0x24F and ch.isalpha())


def is_compatibility(ch):
    """Kangxi radicals and CJK compatibility ideographs: what a poor ToUnicode
    map gives instead of the unified ideograph (几 → U+2F0F, 不 → U+F967)."""
    cp = ord(ch)
    return 0x2E80 <= cp <= 0x2FDF or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F


# --- reading the PDF ---------------------------------------------------------
class Glyph:
    __slots__ = ("c", "x0", "x1", "y", "size", "font")

    def __init__(self, c, x0, x1, y, size, font):
        self.c, self.x0, self.x1, self.y, self.size, self.font = c, x0, x1, y, size, font


class Line:
    def __init__(self, page, glyphs):
        self.page = page  # 0-based page index
        self.glyphs = sorted(glyphs, key=lambda g: g.x0)
        self.y = statistics.median(g.y for g in glyphs)
        self.kind = "body"  # body, heading, small, code, running, toc, table

    @property
    def text(self):
        return "".join(g.c for g in self.glyphs)

    @property
    def ink(self):  # glyphs without spaces
        return [g for g in self.glyphs if not g.c.isspace()]

    @property
    def x0(self):
        return self.ink[0].x0

    @property
    def x1(self):
        return self.ink[-1].x1

    @property
    def size(self):
        return Counter(round(g.size, 1) for g in self.ink).most_common(1)[0][0]

    def where(self):
        return "p%d:%s" % (self.page + 1, self.text.strip()[:40])


def read_glyphs(page, fitz):
    flags = fitz.TEXT_PRESERVE_WHITESPACE | fitz.TEXT_INHIBIT_SPACES | fitz.TEXT_MEDIABOX_CLIP
    out = []
    for block in page.get_text("rawdict", flags=flags)["blocks"]:
        for line in block.get("lines", []):
            if line["dir"][1] != 0:  # horizontal text only
                continue
            for span in line["spans"]:
                for ch in span["chars"]:
                    out.append(Glyph(ch["c"], ch["bbox"][0], ch["bbox"][2], ch["origin"][1],
                                     span["size"], span["font"]))
    return out


def group_lines(pno, glyphs):
    """Glyphs on one baseline form a line; a small raised glyph (a note mark)
    joins the bigger line it sits on."""
    lines = []
    for g in sorted(glyphs, key=lambda g: (g.y, g.x0)):
        if lines and abs(lines[-1][-1].y - g.y) <= 0.3 * g.size:
            lines[-1].append(g)
        else:
            lines.append([g])
    lines = [Line(pno, gs) for gs in lines if any(not g.c.isspace() for g in gs)]
    merged = []
    for ln in lines:
        host = next((m for m in merged if ln.size <= 0.85 * m.size and len(ln.ink) <= 3
                     and -0.7 * m.size <= ln.y - m.y <= 0.4 * m.size
                     and m.x0 - m.size <= ln.x0 <= m.x1 + m.size), None)
        if host:
            host.glyphs = sorted(host.glyphs + ln.glyphs, key=lambda g: g.x0)
        else:
            merged.append(ln)
    return merged


class Book:
    """The lines of a PDF, classified, with the text block's edges."""

    def __init__(self, path):
        import fitz

        self.fitz = fitz
        self.doc = fitz.open(path)
        self.lines = []
        for page in self.doc:
            self.lines += group_lines(page.number, read_glyphs(page, fitz))
        self.lines.sort(key=lambda l: (l.page, l.y, l.x0))
        sizes = Counter(round(g.size, 1) for l in self.lines for g in l.ink)
        self.S = sizes.most_common(1)[0][0] if sizes else 10.0
        self._classify()
        self._edges()
        self.flow = [l for l in self.lines if l.kind in ("body", "heading", "code")]
        gaps = Counter(round(b.y - a.y, 1) for a, b in zip(self.flow, self.flow[1:])
                       if a.page == b.page and a.kind == b.kind == "body")
        self.pitch = gaps.most_common(1)[0][0] if gaps else 1.5 * self.S

    def _classify(self):
        S = self.S
        for l in self.lines:
            h = self.doc[l.page].rect.height
            body_sized = sum(abs(g.size - S) <= 0.05 * S for g in l.ink)
            if l.y < 0.08 * h or l.y > 0.92 * h:
                l.kind = "running"
            elif all(MONO.search(g.font) for g in l.ink):
                l.kind = "code"
            elif l.size >= 1.1 * S:
                l.kind = "heading"
            elif body_sized * 2 < len(l.ink):
                l.kind = "small"
            elif re.search(r"\s{2,}\d+$|\S\s*[.·…]{3,}\s*\d+$", l.text) or self._gap_before_number(l):
                l.kind = "toc"
            elif self._cell_gaps(l):
                l.kind = "table"

    def _gap_before_number(self, l):
        """A contents entry: a page number set off by a wide gap (leaders are drawn)."""
        ink = l.ink
        k = len(ink)
        while k > 0 and (ink[k - 1].c.isdigit() or ink[k - 1].c in "ivxlc"):
            k -= 1
        return 0 < k < len(ink) and ink[k].x0 - ink[k - 1].x1 > 3 * self.S

    def _cell_gaps(self, l):
        ink = l.ink
        return any(b.x0 - a.x1 > 1.5 * self.S for a, b in zip(ink, ink[1:]))

    def _edges(self):
        """L and E of the body text, for odd and even pages apart."""
        self.L, self.E = {}, {}
        for parity in (0, 1):
            body = [l for l in self.lines if l.kind == "body" and l.page % 2 == parity]
            if not body:
                continue
            # the leftmost start shared by a few lines: quotes and lists are
            # indented from it, a line opening with a bracket may hang left
            starts = Counter(round(l.x0 * 2) / 2 for l in body if l.ink[0].c not in OPENING)
            # a line ending in a mark ends inside the mark's box: not counted
            ends = Counter(round(l.x1 * 2) / 2 for l in body if l.ink[-1].c not in CJK_PUNCT)
            if not ends:
                ends = Counter(round(self.end_of(l) * 2) / 2 for l in body)
            common = [x for x, n in starts.items() if n >= max(2, 0.03 * len(body))]
            self.L[parity] = min(common) if common else min(l.x0 for l in body)
            common = [e for e, n in ends.items() if n >= max(3, 0.03 * len(body))]
            self.E[parity] = max(common) if common else max(ends, key=ends.get)

    def left(self, l):
        return self.L.get(l.page % 2, l.x0)

    def right(self, l):
        return self.E.get(l.page % 2, l.x1)

    def end_of(self, l):
        """Where a line visibly ends: a closing mark whose ink sits in the left
        half of its em box ends half an em into its box (a compressed mark)."""
        last = l.ink[-1]
        if last.c in HANGING and last.c in CJK_PUNCT:
            return min(last.x1, last.x0 + 0.5 * last.size)
        return last.x1

    def is_indented(self, l):
        first = l.ink[0]
        x = (first.x0 + first.x1) / 2 if first.c in OPENING else first.x0
        return x >= self.left(l) + 0.8 * self.S

    # paragraphs: lists of body lines in reading order
    def paragraphs(self):
        paras, cur = [], []
        for a, b in zip(self.flow, self.flow[1:] + [None]):
            if a.kind != "body":
                if cur:
                    paras.append(cur)
                cur = []
                continue
            cur.append(a)
            if self._ends_paragraph(a, b):
                paras.append(cur)
                cur = []
        if cur:
            paras.append(cur)
        return paras

    def _ends_paragraph(self, a, b):
        if b is None or b.kind != "body" or self.is_indented(b):
            return True
        if b.page == a.page:
            return b.y - a.y > self.pitch + max(0.25 * self.S, 2)
        # across a page break: the paragraph goes on unless the next page's
        # first line starts lower than the usual first line (a gap swallowed)
        return False

    def ordinary(self, para):
        """A paragraph of the running text: two lines or more, every line
        after the first at the left edge (not a quote, list or indent)."""
        return len(para) >= 2 and all(abs(l.x0 - self.left(l)) <= 1.0 for l in para[1:])


# --- the rules -----------------------------------------------------------------
# Each returns (violations, note): violations are "page:text — what" strings.
def kinsoku_no_closing_mark_at_line_start(book):
    """No line starts with a closing mark (，。、」） …): 行首禁则."""
    bad = [l.where() for l in book.lines if l.kind not in ("running", "code")
           and l.ink[0].c in CLOSING]
    return bad, "%d lines" % len(book.lines)


def kinsoku_no_opening_mark_at_line_end(book):
    """No line ends with an opening mark (「（《 …): 行尾禁则."""
    bad = [l.where() for l in book.lines if l.kind not in ("running", "code")
           and l.ink[-1].c in OPENING]
    return bad, "%d lines" % len(book.lines)


def cjk_latin_gaps(book):
    gaps = []
    for l in book.lines:
        if l.kind not in ("body", "heading", "small"):
            continue
        ink = l.ink
        for a, b in zip(ink, ink[1:]):
            if (is_han(a.c) and is_latin_alnum(b.c)) or (is_latin_alnum(a.c) and is_han(b.c)):
                gap = (b.x0 - a.x1) / book.S
                if gap <= 1.5:  # wider: not neighbours (a table cell, a gap)
                    gaps.append((gap, l))
    return gaps


def cjk_latin_gap_is_quarter_em(book):
    """Between a Han character and a Latin letter or digit there is a gap of
    a quarter em: median 0.25 ± 0.03 em, and at least 99 % of gaps ≥ 0.15 em."""
    gaps = cjk_latin_gaps(book)
    if not gaps:
        return [], "no CJK–Latin neighbours"
    med = statistics.median(g for g, _ in gaps)
    tight = [(g, l) for g, l in gaps if g < 0.15]
    bad = []
    if abs(med - 0.25) > 0.03:
        bad.append("median gap %.3f em (want 0.25 ± 0.03)" % med)
    if len(tight) > 0.01 * len(gaps):
        bad += ["%s — gap %.2f em" % (l.where(), g) for g, l in tight]
    return bad, "%d gaps, median %.3f em, %d under 0.15 em" % (len(gaps), med, len(tight))


def punctuation_is_full_width_mid_line(book):
    """A lone ，、。；：？！ inside a line keeps its full em (≥ 0.85 em advance):
    justification must not squeeze marks unevenly.  At most 2 % may be."""
    marks, squeezed = 0, []
    for l in book.lines:
        if l.kind not in ("body", "small"):
            continue
        ink = l.ink
        for i in range(1, len(ink) - 1):
            m = ink[i]
            if m.c in MID_LINE_MARKS and ink[i - 1].c not in CJK_PUNCT and ink[i + 1].c not in CJK_PUNCT:
                marks += 1
                adv = (ink[i + 1].x0 - m.x0) / m.size
                if adv < 0.85:
                    squeezed.append("%s — %s %.2f em" % (l.where(), m.c, adv))
    bad = squeezed if len(squeezed) > 0.02 * marks else []
    return bad, "%d of %d mid-line marks squeezed" % (len(squeezed), marks)


def punctuation_pairs_are_compressed(book):
    """Two adjacent CJK marks (。」 ，「 ）。) take about 1.5 em, not 2: the
    median advance of such pairs is at most 1.55 em."""
    pairs = []
    for l in book.lines:
        if l.kind not in ("body", "small", "heading"):
            continue
        ink = l.ink
        for a, b in zip(ink, ink[1:]):
            if (a.c in CJK_PUNCT and b.c in CJK_PUNCT and not (a.c == b.c and a.c in DOUBLE_MARKS)
                    and b.x0 - a.x1 <= a.size):
                pairs.append(((b.x1 - a.x0) / a.size, l, a.c + b.c))
    if not pairs:
        return [], "no punctuation pairs"
    med = statistics.median(p for p, _, _ in pairs)
    bad = []
    if med > 1.55:
        bad = ["%s — %s %.2f em" % (l.where(), s, p) for p, l, s in pairs if p > 1.55]
    return bad, "%d pairs, median %.2f em" % (len(pairs), med)


def no_overfull_lines(book):
    """No line runs past the right edge of the text block by more than 1 pt
    (a closing mark hanging into the margin by at most its own width aside)."""
    bad = []
    for l in book.lines:
        if l.kind in ("running", "toc"):
            continue
        over = book.end_of(l) - book.right(l)
        last = l.ink[-1]
        if over > 1.0 and not (last.c in HANGING and last.x0 <= book.right(l) + 1.0):
            bad.append("%s — %.1f pt past the edge" % (l.where(), over))
    return bad, "right edge odd %s, even %s" % (book.E.get(0), book.E.get(1))


def no_underfull_lines(book):
    """Every line of a running paragraph but its last reaches the right edge
    (within 1 pt).  A hard line break — the next line's first character (with
    1 em to spare) would have fitted — is the author's, not a short line."""
    bad, judged = [], 0
    for para in book.paragraphs():
        if not book.ordinary(para):
            continue
        for a, b in zip(para, para[1:]):
            judged += 1
            short = book.right(a) - a.x1  # a mark at the end may be full width
            if short <= 1.0:
                continue
            first = b.ink[0]
            if short >= (first.x1 - first.x0) + book.S:
                continue  # a hard break
            bad.append("%s — %.1f pt short" % (a.where(), short))
    return bad, "%d lines judged" % judged


def no_lonely_character_last_line(book):
    """A paragraph's last line is not one lone Han character (with at most
    its punctuation): 孤字."""
    bad = []
    for para in book.paragraphs():
        if len(para) < 2:
            continue
        t = "".join(g.c for g in para[-1].ink)
        if t and is_han(t[0]) and all(c in CLOSING for c in t[1:]):
            bad.append(para[-1].where())
    return bad, ""


def no_widows(book):
    """A paragraph's last line does not stand alone at the top of a page."""
    paras = book.paragraphs()
    bad = [p[-1].where() for p in paras if len(p) >= 2 and p[-1].page != p[-2].page]
    across = sum(p[0].page != p[-1].page for p in paras)
    return bad, "%d paragraphs, %d across a page break" % (len(paras), across)


def no_orphans(book):
    """A paragraph's first line does not stand alone at the foot of a page."""
    paras = book.paragraphs()
    bad = [p[0].where() for p in paras if len(p) >= 2 and p[0].page != p[1].page]
    return bad, "%d paragraphs" % len(paras)


def no_heading_at_page_foot(book):
    """A heading is never the last line of the text on a page (the text it
    heads is on the next page).  The last page, and pages holding no body
    text above the heading (title and part pages), are exempt."""
    bad = []
    last_page = len(book.doc) - 1
    by_page = {}
    for l in book.flow:
        by_page.setdefault(l.page, []).append(l)
    for pno, ls in by_page.items():
        if pno == last_page or ls[-1].kind != "heading":
            continue
        if any(l.kind == "body" for l in ls[:-1]):
            bad.append(ls[-1].where())
    return bad, ""


def fonts_embedded_and_subset(book):
    """Every font is embedded and subset (a 6-letter tag before its name)."""
    bad, seen = [], {}
    for pno in range(len(book.doc)):
        for xref, ext, ftype, base, _name, _enc in book.doc.get_page_fonts(pno):
            seen[xref] = (ext, ftype, base)
    for xref, (ext, ftype, base) in sorted(seen.items()):
        if ftype == "Type3":
            continue  # glyphs drawn in the file itself
        if ext == "n/a":
            bad.append("%s (%s) is not embedded" % (base, ftype))
        elif not re.match(r"^[A-Z]{6}\+", base):
            bad.append("%s (%s) is embedded whole, not subset" % (base, ftype))
    if not seen:
        bad.append("no fonts at all")
    return bad, "%d fonts" % len(seen)


def outline_present(book, chapters=0):
    """The PDF has an outline (bookmarks), at least one entry per chapter,
    and every entry points at a page of the document."""
    toc = book.doc.get_toc()
    bad = []
    if not toc:
        bad.append("no outline")
    elif len(toc) < chapters:
        bad.append("outline has %d entries for %d chapters" % (len(toc), chapters))
    bad += ["outline entry %r points to page %d" % (t[1], t[2]) for t in toc
            if not 1 <= t[2] <= len(book.doc)]
    return bad, "%d entries" % len(toc)


def link_annotations(doc, page):
    """The page's link annotations that point inside the document (/Dest or
    a GoTo action), read from the file: MuPDF leaves out a link it cannot
    resolve, so its list alone never shows a broken one."""
    kind, value = doc.xref_get_key(page.xref, "Annots")
    if kind == "xref":
        value = doc.xref_object(int(value.split()[0]))
    out = []
    for x in re.findall(r"(\d+) 0 R", value if kind in ("array", "xref") else ""):
        obj = doc.xref_object(int(x))
        if "/Link" in obj and ("/Dest" in obj or "/GoTo" in obj) and "/GoToR" not in obj:
            out.append(int(x))
    return out


def internal_links_resolve(book):
    """Every link inside the document goes to an existing page."""
    fitz, bad, n = book.fitz, [], 0
    for page in book.doc:
        raw = link_annotations(book.doc, page)
        resolved = [l for l in page.get_links() if l["kind"] in (fitz.LINK_GOTO, fitz.LINK_NAMED)
                    and 0 <= l.get("page", -1) < len(book.doc)]
        n += len(raw)
        if len(resolved) < len(raw):
            lost = [x for x in raw if x not in {l.get("xref") for l in resolved}]
            bad += ["p%d: link %s goes nowhere" % (page.number + 1, book.doc.xref_object(x).replace("\n", " ")[:80])
                    for x in lost] or ["p%d: %d of %d links go nowhere" % (page.number + 1,
                                                                           len(raw) - len(resolved), len(raw))]
    return bad, "%d internal links" % n


def no_compatibility_ideographs(book):
    """The text layer has no Kangxi radicals or compatibility ideographs."""
    bad = ["%s — U+%04X" % (l.where(), ord(g.c)) for l in book.lines for g in l.ink
           if is_compatibility(g.c)]
    return bad, ""


# --- text fidelity ---------------------------------------------------------------
def normalise(t):
    t = t.replace("...", "…").replace("---", "—").replace("--", "–")
    return re.sub(r"[\"“”]", '"', re.sub(r"['‘’]", "'", t))


def manuscript_text(path):
    """(running text, [notes and captions]) of a Markdown file: the
    characters a reader sees, without Markdown syntax and whitespace.
    Footnotes sit at a page foot and figures float, so they are apart."""
    t = open(path, encoding="utf-8-sig").read()
    t = re.sub(r"\A---\n.*?\n---\n", "", t, flags=re.S)  # front matter
    t = re.sub(r"<!--.*?-->", "", t, flags=re.S)
    apart = re.findall(r"^\[\^[^\]]+\]:\s*(.*)$", t, flags=re.M)
    t = re.sub(r"^\[\^[^\]]+\]:.*$", "", t, flags=re.M)
    t = re.sub(r"\[\^[^\]]+\]", "", t)
    apart += re.findall(r"!\[([^\]]*)\]\([^)]*\)", t)
    t = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", t)
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)  # a link keeps its text
    t = re.sub(r"\{#[^}]*\}", "", t)  # heading ids
    # ruby: the text layer has the base in line, the annotations after it
    t = re.sub(r"<(rt|rp)>.*?</\1>", "", t)
    t = re.sub(r"\{([^{}|\n]+)(\|[^{}|\n]+)+\}", r"\1", t)
    t = re.sub(r"<[^>\n]+>", "", t)  # HTML tags
    t = re.sub(r"^```.*$", "", t, flags=re.M)
    t = re.sub(r"^\s*(#+|>+|[-*+]|\d+[.)])\s", "", t, flags=re.M)
    t = re.sub(r"^\s*>+", "", t, flags=re.M)
    t = re.sub(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$", "", t, flags=re.M)  # table rules
    t = re.sub(r"^\s*([-*_]\s*){3,}$", "", t, flags=re.M)  # thematic breaks
    t = re.sub(r"\\(.)", r"\1", t, flags=re.S)  # escapes and hard breaks
    t = t.replace("|", "").replace("**", "").replace("~~", "").replace("`", "")
    t = re.sub(r"(?<![A-Za-z0-9*_])[*_]([^*_\s][^*_]*)[*_]", r"\1", t)
    squash = lambda s: normalise(re.sub(r"\s+", "", s))  # noqa: E731
    return squash(t), [squash(a) for a in apart if a.strip()]


def text_fidelity(book, sources):
    """Every character of the manuscript (Markdown removed) is in the PDF's
    text, in order; each footnote and caption is there whole.  The texts are
    aligned (difflib, no junk heuristic), so one lost character is found even
    where the same character comes again later — a greedy search would skip
    ahead to it and miss the loss."""
    pdf = normalise("".join(g.c for l in book.lines if l.kind != "running"
                            for g in l.glyphs if not g.c.isspace()))
    texts = [(src,) + manuscript_text(src) for src in sources]
    flow = "".join(t for _, t, _ in texts)
    bad = []
    sm = difflib.SequenceMatcher(None, flow, pdf, autojunk=False)
    at = 0
    for block in sm.get_matching_blocks():
        if block.a > at:  # flow[at:block.a] is not in the PDF
            bad.append("%r missing (after %r)" % (flow[at:block.a][:20], flow[max(0, at - 12):at]))
        at = block.a + block.size
    for src, _, apart in texts:
        bad += ["%s: note or caption %r missing" % (src, a[:30]) for a in apart if a not in pdf]
    total = len(flow) + sum(len(a) for _, _, ap in texts for a in ap)
    return bad, "%d manuscript characters" % total


# --- running the rules -------------------------------------------------------------
RULES = [kinsoku_no_closing_mark_at_line_start, kinsoku_no_opening_mark_at_line_end,
         cjk_latin_gap_is_quarter_em, punctuation_is_full_width_mid_line,
         punctuation_pairs_are_compressed, no_overfull_lines, no_underfull_lines,
         no_lonely_character_last_line, no_widows, no_orphans, no_heading_at_page_foot,
         fonts_embedded_and_subset, outline_present, internal_links_resolve,
         no_compatibility_ideographs, text_fidelity]


def check(pdf, sources=(), only=None, chapters=None):
    """{rule name: (violations, note)} for the rules asked (all by default)."""
    book = Book(pdf)
    results = {}
    for rule in RULES:
        name = rule.__name__
        if only and name not in only:
            continue
        if rule is text_fidelity:
            if not sources:
                continue
            results[name] = rule(book, sources)
        elif rule is outline_present:
            results[name] = rule(book, len(sources) if chapters is None else chapters)
        else:
            results[name] = rule(book)
    return results


def report(results, expected=()):
    """Prints a line per rule; returns the number of unexpected failures.
    expected: violations known and reported (rule, substring) — they are
    shown as XFAIL and must still occur (a fixed flaw must leave the list)."""
    failures = 0
    for name, (bad, note) in results.items():
        known = [(r, s) for r, s in expected if r == name]
        rest = [b for b in bad if not any(s in b for _, s in known)]
        for r, s in known:
            hit = [b for b in bad if s in b]
            print("XFAIL %-40s %s" % (name, hit[0] if hit else "(no longer occurs: %s)" % s))
            if not hit:
                failures += 1
        if rest:
            failures += 1
            print("FAIL  %-40s %d: %s" % (name, len(rest), "; ".join(rest[:5])))
        elif not known:
            print("ok    %-40s %s" % (name, note))
    return failures


def have_fitz():
    """True when PyMuPDF can be imported; otherwise prints the skip reason."""
    try:
        import fitz  # noqa: F401
    except ImportError:
        print("SKIPPED: PyMuPDF is not installed for %s (Debian package python3-fitz)" % sys.executable)
        return False
    return True


def main(argv):
    if not have_fitz():
        return 77
    args, sources, only, as_json = list(argv), [], None, False
    if not args or args[0] in ("-h", "--help"):
        print(__doc__)
        return 2
    pdf = args.pop(0)
    while args:
        a = args.pop(0)
        if a == "--source":
            while args and not args[0].startswith("--"):
                sources.append(args.pop(0))
        elif a == "--only":
            only = set(args.pop(0).split(","))
        elif a == "--json":
            as_json = True
        else:
            print("typocheck: unknown argument %r" % a)
            return 2
    try:
        results = check(pdf, sources, only)
    except RuntimeError as e:
        print("typocheck: cannot read %s: %s" % (pdf, e))
        return 2
    if as_json:
        print(json.dumps({k: {"violations": v, "note": n} for k, (v, n) in results.items()},
                         ensure_ascii=False, indent=1))
        return 1 if any(v for v, _ in results.values()) else 0
    return 1 if report(results) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
