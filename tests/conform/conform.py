#!/usr/bin/python3
"""kmbook's own clreq conformance suite (issue 14, item 7).

    conform.py GROUP KMBOOK WORKDIR      run one group of cases (ctest)
    conform.py --table                   print the README's status table
    conform.py --check-readme README.md  check README.md holds that table

Each case builds a small manuscript of cases/ with kmbook to PDF, at one or
several measures (the paper width varies, margins are fixed at 16 mm), reads
the glyphs back (PyMuPDF, through tests/typocheck/typocheck.py) and counts
the places where one clreq rule, or one item of the public gap analysis of
Typst against clreq (typst-doc-cn/clreq), is broken.  A case passes when
the count is 0.  A case whose rule has a style switch is built again with
the rule switched off, and must then FAIL: the check is shown able to fail.

A case kmbook does not meet yet is listed in expected-failures.txt with its
issue; it is reported as XFAIL, and a listed case that passes fails the run
until its line is removed.  Exit 0 pass, 1 fail, 77 PyMuPDF missing.
"""
import os
import re
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "typocheck"))
import typocheck  # noqa: E402
from typocheck import CJK_PUNCT, OPENING, is_han, is_latin_alnum  # noqa: E402

MM = 72 / 25.4
MARGIN_MM = 16  # both sides, so every page has the same left and right edge
BODY = 10.5  # styles/default.ini [text] body_size
# the measures of the statistical cases, in em (narrow to ordinary)
MEASURES = (9, 11, 13, 14, 16, 17, 19, 22, 25)
ONE = (20,)

CLOSING = set("，。、；：？！）］｝〕〉》」』】〗〙’”・·") | set(",.;:?!)]}%")
CORNER_MARKS = set("，。、；：？！")  # sit in a corner (zh-Hans) or the centre (zh-Hant)
END_MARKS = set("，。、；：？！）》」』”")


# --- building and reading ----------------------------------------------------------
class Run:
    def __init__(self, kmbook, work):
        self.kmbook, self.work, self.cache = kmbook, work, {}
        os.makedirs(work, exist_ok=True)

    def style(self, off):
        """A style file: the default style with symmetric margins, plus the
        switches in `off` (None: the default typography)."""
        name = "style-%s.ini" % ("default" if not off else "-".join("%s_%s" % kv for kv in sorted(off.items())))
        path = os.path.join(self.work, name)
        with open(path, "w") as f:
            f.write("[page]\nmargin_inner_mm=%d\nmargin_outer_mm=%d\n" % (MARGIN_MM, MARGIN_MM))
            # a key is of [typography] unless it names its section: text.line_height
            typo = {k: v for k, v in (off or {}).items() if "." not in k}
            if typo:
                f.write("[typography]\n" + "".join("%s=%s\n" % kv for kv in sorted(typo.items())))
            for k, v in sorted((off or {}).items()):
                if "." in k:
                    f.write("[%s]\n%s=%s\n" % (k.split(".")[0], k.split(".")[1], v))
        return path

    def book(self, manuscript, measure, off=None):
        """The PDF of cases/MANUSCRIPT.md at MEASURE em, read as a typocheck.Book."""
        key = (manuscript, measure, tuple(sorted((off or {}).items())))
        if key in self.cache:
            return self.cache[key]
        width = 2 * MARGIN_MM + measure * BODY / MM + 0.01
        pdf = os.path.join(self.work, "%s-%d%s.pdf" % (manuscript.replace("/", "-"), measure,
                                                      "".join("-%s_%s" % kv for kv in key[2])))
        src = (os.path.join(HERE, "..", "corpus", manuscript[7:]) if manuscript.startswith("corpus/")
               else os.path.join(HERE, "cases", manuscript + ".md"))
        cmd = [self.kmbook, "-q", "--book", src,
               "--pdf", pdf, "--paper", "%.2fx160mm" % width, "--style", self.style(off)]
        env = dict(os.environ, SOURCE_DATE_EPOCH="0")
        r = subprocess.run(cmd, capture_output=True, text=True, env=env)
        if r.returncode != 0:
            raise RuntimeError("%s failed (%d): %s" % (" ".join(cmd), r.returncode, r.stderr.strip()))
        b = typocheck.Book(pdf)
        left = MARGIN_MM * MM
        right = b.doc[0].rect.width - left
        b.L, b.E = {0: left, 1: left}, {0: right, 1: right}
        b.measure = measure
        self.cache[key] = b
        return b


def body_lines(book):
    """The lines of the running text: chapter pages only (the front matter
    of a one-file book is cover, title, colophon and contents)."""
    return [l for l in book.lines if l.kind == "body" and l.page >= 6]


def em(book, pts):
    return pts / book.S


# --- the checks: each returns (violations, judged) for one built book --------------
def kinsoku_line_start(book, marks=CLOSING):
    """clreq §3.1.7: no closing mark, point or interpunct (·) starts a line."""
    ls = body_lines(book)
    return ["%s — starts with %s" % (l.where(), l.ink[0].c) for l in ls if l.ink[0].c in marks], len(ls)


def kinsoku_line_end(book):
    """clreq §3.1.7: no opening bracket or quotation mark ends a line."""
    ls = body_lines(book)
    return ["%s — ends with %s" % (l.where(), l.ink[-1].c) for l in ls if l.ink[-1].c in OPENING], len(ls)


def unsplit_marks(book):
    """clreq §3.1.7: a dash —— and an ellipsis …… are never split between
    two lines (one half at a line's end, the other at the next start)."""
    ls = body_lines(book)
    bad = []
    for a, b in zip(ls, ls[1:]):
        for m in "—―…":
            if a.ink[-1].c == m and b.ink[0].c == m:
                bad.append("%s — %s split" % (a.where(), m * 2))
    return bad, len(ls)


def dash_not_overhung(book):
    """Gap analysis, two-em dashes overhung: a line ending in —— ends at the
    right edge, not beyond it."""
    ls = [l for l in body_lines(book) if l.ink[-1].c == "—"]
    return ["%s — %.2f em past the edge" % (l.where(), em(book, l.x1 - book.right(l)))
            for l in ls if l.x1 > book.right(l) + 0.5], len(ls)


def lone_marks_full_width(book):
    """clreq §3.1.6: a point alone in a line (，。、；：？！ between two
    characters) keeps its whole em; a line being shrunk may take a few down
    to half an em first (at most 2 % of them, as typocheck allows)."""
    squeezed, n = [], 0
    for l in body_lines(book):
        ink = l.ink
        for i in range(1, len(ink) - 1):
            m = ink[i]
            if m.c in CORNER_MARKS and ink[i - 1].c not in CJK_PUNCT and ink[i + 1].c not in CJK_PUNCT:
                n += 1
                adv = em(book, ink[i + 1].x0 - m.x0)
                if adv < 0.85:
                    squeezed.append("%s — %s %.2f em" % (l.where(), m.c, adv))
    return squeezed, n  # the case allows 2 % over all its measures


def pairs(book, marks=CJK_PUNCT):
    """Adjacent CJK marks on one line: (a, b, line)."""
    out = []
    for l in body_lines(book):
        ink = l.ink
        for a, b in zip(ink, ink[1:]):
            if a.c in marks and b.c in CJK_PUNCT and not (a.c == b.c and a.c in "—…"):
                out.append((a, b, l))
    return out


def no_hanging(book):
    """clreq §3.1.8 (most books do not hang punctuation): a mark at a line's
    end stays inside the measure — the half of its box that holds its ink
    ends at the right edge or before it."""
    bad, n = [], 0
    for l in body_lines(book):
        last = l.ink[-1]
        if last.c in END_MARKS:
            n += 1
            over = em(book, last.x0 + 0.5 * last.size - book.right(l))
            if over > 0.1:
                bad.append("%s — %s hangs %.2f em" % (l.where(), last.c, over))
    return bad, n


def pair_compression(book, skip=""):
    """clreq §3.1.6 (zh-Hans): two adjacent marks take 1.5 em, not 2: no pair
    wider than 1.6 em, the median 1.45–1.55 em (a line being shrunk may take
    a pair down to 1 em; a pair ending a line, and dashes and ellipses, which
    are not compressed, are left out)."""
    ps = [(a, b, l) for a, b, l in pairs(book) if b is not l.ink[-1] and a.c not in "—…" and b.c not in "—…"
          and a.c not in skip]
    w = [em(book, b.x1 - a.x0) for a, b, l in ps]
    bad = ["%s — %s%s %.2f em" % (l.where(), a.c, b.c, x) for (a, b, l), x in zip(ps, w)
           if not 0.95 <= x <= 1.6]
    if ps and not 1.45 <= statistics.median(w) <= 1.55:
        bad.append("median pair %.2f em" % statistics.median(w))
    return bad, len(ps)


def line_end_compression(book):
    """clreq §3.1.6 (zh-Hans): a line of a paragraph (not its last) that ends
    in a point or closing mark ends at the right edge with the mark's whole
    box, or with its half box when the mark is compressed to fit the line;
    over the measures some marks are compressed (else the rule is not at work)."""
    bad, n, half = [], 0, 0
    for para in book.paragraphs():
        for l in para[:-1]:
            last = l.ink[-1]
            if l.page < 6 or last.c not in END_MARKS:
                continue
            n += 1
            full = em(book, book.right(l) - last.x1)
            short = em(book, book.right(l) - (last.x0 + 0.5 * last.size))
            half += abs(short) <= 0.1 and abs(full) > 0.1
            if not -0.6 <= full <= 0.1:  # the box ends at the edge, or half of it
                bad.append("%s — the mark ends %.2f em from the edge" % (l.where(), full))
    if n >= 5 and not half:
        bad.append("none of %d line-end marks set half width" % n)
    return bad, n


def centred_not_compressed(book):
    """clreq §3.1.1/3.1.6, gap analysis (compression of centred marks): a
    centred point (zh-Hant ，。、；：？！) is not compressed — it keeps blank
    on its right: at least 0.28 em between its ink and the next mark's ink
    (read from the rendered page: the glyph boxes of the TC forms do not say
    where their ink is)."""
    ps = [(a, b, l) for a, b, l in pairs(book, CORNER_MARKS)]
    bad = []
    for a, b, l in ps:
        g = ink_gap(book, a, b, l)
        if g < 0.28:
            bad.append("%s — %s%s ink %.2f em apart" % (l.where(), a.c, b.c, g))
    return bad, len(ps)


def ink_gap(book, a, b, l):
    """The blank between the ink of two neighbouring glyphs, in em (0 when
    they touch), from the page rendered at about 100 pixels per em."""
    import fitz
    page = book.doc[l.page]
    zoom = 100 / book.S
    clip = fitz.Rect(a.x0, l.y - 1.0 * book.S, b.x1, l.y + 0.4 * book.S)
    pix = page.get_pixmap(matrix=fitz.Matrix(zoom, zoom), clip=clip, colorspace=fitz.csGRAY)
    # a column has ink when any of its pixels is dark: rows thresholded to
    # 0/1 bytes and OR-ed together as big integers (fast in pure Python)
    dark = bytes(1 if v < 160 else 0 for v in range(256))
    acc, w, data = 0, pix.width, pix.samples
    for y in range(pix.height):
        acc |= int.from_bytes(data[y * pix.stride:y * pix.stride + w].translate(dark), "big")
    cols = [bool(c) for c in acc.to_bytes(w, "big")]
    if True not in cols:
        return 1.0
    first, last = cols.index(True), len(cols) - 1 - cols[::-1].index(True)
    runs, run = [], 0
    for c in cols[first:last + 1]:
        if c:
            if run:
                runs.append(run)
            run = 0
        else:
            run += 1
    return (max(runs) if runs else 0) / zoom / book.S


def ink_never_touches(book):
    """Issue 14 (regional punctuation): two neighbouring marks never touch —
    at least 0.03 em of blank between their inks."""
    ps = pairs(book)
    bad = []
    for a, b, l in ps:
        g = ink_gap(book, a, b, l)
        if g < 0.03:
            bad.append("%s — %s%s ink %.2f em apart" % (l.where(), a.c, b.c, g))
    return bad, len(ps)


# The CJK–Latin gap as the specs give it: ¼ em (clreq §3.2.2, jlreq §3.2.6);
# on a justified line reduced to ⅛ em at least (jlreq §3.8.3) and expanded to
# ½ em at most (§3.8.4 b), before the Han characters are spread (§3.8.4 c);
# past that every place opens alike (§3.8.4 d), the gap too, never the
# letters of a Latin word (clreq §3.2.4).
GAP = 0.25
GAP_MIN, GAP_MAX = 0.125, 0.5
TOL = 0.02  # positions are rounded to Pango units and read back from the PDF


def latin_side(g):
    return is_latin_alnum(g.c) or typocheck.MONO.search(g.font)


def gap_lines(book, code_only=False):
    """(line, justified, Han spread, [(a, b, gap)]) for the body lines with a
    gap between a Han character and a Latin letter, digit or inline code —
    whatever the code's first or last character is. justified: the line
    reaches the right edge (stretched or shrunk to the measure; a
    paragraph's last line and a line before a hard break end short of it,
    at their natural width); Han spread: the median extra space between two
    Han neighbours of the line (em), None without any."""
    out = []
    for l in body_lines(book):
        ink = l.ink
        han = [em(book, b.x0 - a.x1) for a, b in zip(ink, ink[1:]) if is_han(a.c) and is_han(b.c)]
        gaps = []
        for a, b in zip(ink, ink[1:]):
            mono_a, mono_b = typocheck.MONO.search(a.font), typocheck.MONO.search(b.font)
            if code_only and not (mono_a or mono_b):
                continue
            if (is_han(a.c) and latin_side(b)) or (latin_side(a) and is_han(b.c)):
                gaps.append((a, b, em(book, b.x0 - a.x1)))
        if gaps:
            short = em(book, book.right(l) - l.x1) > 0.3  # a line-end mark's box may overhang
            out.append((l, not short, statistics.median(han) if han else None, gaps))
    return out


def gap_width_bad(l, justified, spread, a, b, g):
    """Why gap g (em) between a and b breaks the rule above, or None."""
    if not justified:
        ok = GAP - 0.05 <= g <= GAP + 0.05
        want = "¼ em on a line short of the measure"
    elif g > GAP_MAX + TOL:
        # stage d: only once the Han glue is past its own first stage too
        ok = spread is None or spread >= 0.1 - TOL
        want = "at most ½ em while the Han characters are %.2f em apart" % (spread or 0)
    else:
        ok = g >= GAP_MIN - TOL
        want = "⅛–½ em on a justified line"
    return None if ok else "%s — %s|%s gap %.2f em (%s)" % (l.where(), a.c, b.c, g, want)


def cjk_latin_gaps(book, code_only=False):
    """clreq §3.2.2, jlreq §3.2.6, §3.8.3–3.8.4: between a Han character and a Latin
    letter, digit or inline code a quarter em (0.2–0.3) on a line short of
    the measure (a paragraph's last); on a line justified to the measure
    from ⅛ to ½ em, wider only where the line's Han characters are spread
    0.1 em or more too (every place opens alike)."""
    bad, n = [], 0
    for l, justified, spread, gaps in gap_lines(book, code_only):
        for a, b, g in gaps:
            n += 1
            why = gap_width_bad(l, justified, spread, a, b, g)
            if why:
                bad.append(why)
    return bad, n


def code_gaps(book):
    """Gap analysis (no CJK–Latin gap around raw): inline code beside a Han
    character gets the CJK–Latin gap (the rule of cjk_latin_gaps), also when
    the code begins or ends with punctuation — `(a, b)`, `printf()`, `{}`."""
    return cjk_latin_gaps(book, code_only=True)


def gap_opens_first(book):
    """jlreq §3.8.4: a line stretched to the measure expands its CJK–Latin
    gaps (b) before it spreads its Han characters (c): each gap opens at
    least as much as the line's Han neighbours are moved apart (median,
    within 0.02 em). Lines shrunk to the measure are §3.8.3's, not judged."""
    bad, n = [], 0
    for l, justified, spread, gaps in gap_lines(book):
        if not justified or spread is None or spread < 0.005:
            continue
        for a, b, g in gaps:
            n += 1
            if g - GAP < spread - TOL:
                bad.append("%s — %s|%s gap %.2f em, Han characters %.2f em apart" % (
                    l.where(), a.c, b.c, g, spread))
    return bad, n


def gap_dropped_at_line_edges(book):
    """Gap analysis (redundant CJK–Latin space at manual line breaks): the
    gap is dropped where a line breaks — a line that starts with a Latin
    letter or digit starts at the left edge (or the indent), and a line of a
    paragraph, not its last, that ends with one ends at the right edge."""
    with open(os.path.join(HERE, "cases", "latin.md"), encoding="utf-8") as f:
        hard = re.findall(r"(\S{3})\\\n", f.read())  # lines the author broke (a backslash)
    bad, n = [], 0
    for para in book.paragraphs():
        if para[0].page < 6:
            continue
        for i, l in enumerate(para):
            first, last = l.ink[0], l.ink[-1]
            if is_latin_alnum(first.c):
                n += 1
                x = em(book, first.x0 - book.left(l)) - (2 if i == 0 else 0)
                if not -0.05 <= x <= 0.05:
                    bad.append("%s — starts %.2f em from the edge" % (l.where(), x))
            if is_latin_alnum(last.c) and l is not para[-1]:
                n += 1
                x = em(book, book.right(l) - last.x1)
                if abs(x) > 0.05 and not any(l.text.rstrip().endswith(h) for h in hard):
                    bad.append("%s — ends %.2f em from the edge" % (l.where(), x))
    return bad, n


def gap_symmetric(book):
    """Gap analysis (CJK–Latin glue stretching only before Latin): a Latin
    word or number between two Han characters has the same gap on both
    sides (within 0.05 em), however the line is justified."""
    bad, n = [], 0
    for l in body_lines(book):
        ink = l.ink
        i = 0
        while i < len(ink) - 1:
            if is_han(ink[i].c) and is_latin_alnum(ink[i + 1].c):
                j = i + 1
                while j < len(ink) and not is_han(ink[j].c) and ink[j].c not in CJK_PUNCT:
                    j += 1
                if j < len(ink) and is_han(ink[j].c) and is_latin_alnum(ink[j - 1].c):
                    n += 1
                    g1, g2 = em(book, ink[i + 1].x0 - ink[i].x1), em(book, ink[j].x0 - ink[j - 1].x1)
                    if abs(g1 - g2) > 0.05:
                        bad.append("%s — %.2f em before %s, %.2f after" % (
                            l.where(), g1, "".join(g.c for g in ink[i + 1:j]), g2))
                i = j
            else:
                i += 1
    return bad, n


def apostrophe_narrow(book):
    """Gap analysis (quotation marks' width): ’ between two Latin letters is
    an apostrophe, set narrow (advance under 0.45 em); ‘’ “” around Chinese
    stay full-width marks (advance at least 0.5 em)."""
    bad, n = [], 0
    for l in body_lines(book):
        ink = l.ink
        for i in range(1, len(ink) - 1):
            p, m, q = ink[i - 1], ink[i], ink[i + 1]
            if m.c not in "‘’“”":
                continue
            n += 1
            w = em(book, q.x0 - m.x0)  # its advance (the box is the font's full em)
            if m.c == "’" and p.c.isalpha() and p.c.isascii() and q.c.isascii() and q.c.isalpha():
                if w > 0.45:
                    bad.append("%s — apostrophe %.2f em" % (l.where(), w))
            elif (is_han(p.c) or is_han(q.c)) and w < 0.5:
                bad.append("%s — quotation mark %s %.2f em" % (l.where(), m.c, w))
    return bad, n


def para_start_bracket(book):
    """Gap analysis (brackets at a paragraph start): an opening bracket that
    starts a paragraph gives up its blank half: its box starts half an em
    into the indent (1.5 em from the left edge, not 2), its ink at 2 em."""
    bad, n = [], 0
    for para in book.paragraphs():
        first = para[0]
        if first.page < 6 or first.ink[0].c not in OPENING or len(first.ink) < 2:
            continue
        n += 1
        x = em(book, first.ink[0].x0 - book.left(first))
        if x > 1.6:
            bad.append("%s — the bracket's box at %.2f em" % (first.where(), x))
    return bad, n


def line_grid(book):
    """Gap analysis (strict grid): every body line of a page sits on one
    grid of the line pitch — headings between paragraphs take whole grid
    lines, so the baselines after them stay on the grid (within 0.05 pitch)."""
    bad, n = [], 0
    by_page = {}
    for l in body_lines(book):
        by_page.setdefault(l.page, []).append(l)
    for ls in by_page.values():
        y0 = ls[0].y
        for l in ls[1:]:
            n += 1
            k = (l.y - y0) / book.pitch
            if abs(k - round(k)) > 0.05:
                bad.append("%s — %.2f lines below the page's first" % (l.where(), k))
    return bad, n


def line_height(book):
    """Gap analysis (default line height too tight): body lines are 1.5–2 em
    apart (clreq's leading of half to one em)."""
    p = em(book, book.pitch)
    return ([] if 1.5 <= p <= 2.0 else ["line pitch %.2f em" % p]), 1


def ruby(book):
    """clreq §3.4 (行间注): <ruby>樂<rt>yuè</rt></ruby> sets the pinyin at about
    half size above its base, centred on it, not inline after it."""
    bad, n = [], 0
    lines = body_lines(book)
    small = [g for l in book.lines if l.page >= 6 for g in l.ink if g.c.isalpha() and g.c.isascii()
             or g.c in "àáèéìíòóùúǎěǐǒǔāēīōūüǜ"]
    for l in lines:
        for g in l.ink:
            if g.c not in "樂行重":
                continue
            n += 1
            cx = (g.x0 + g.x1) / 2
            over = [s for s in small if s.size <= 0.65 * g.size and 0.5 * g.size <= g.y - s.y <= 1.6 * g.size
                    and g.x0 - g.size <= s.x0 <= g.x1 + g.size]
            if not over:
                bad.append("%s — no annotation above %s" % (l.where(), g.c))
                continue
            mid = (min(s.x0 for s in over) + max(s.x1 for s in over)) / 2
            if abs(mid - cx) > 0.15 * g.size:
                bad.append("%s — annotation of %s off centre by %.2f em" % (l.where(), g.c, em(book, mid - cx)))
    return bad, n


def is_bopomofo(c):
    return "\u3100" <= c <= "\u312f" or "\u31a0" <= c <= "\u31bf"


def zhuyin_right(book):
    """clreq §3.4 (注音符號), horizontal text: a zhuyin syllable is set in a
    column right of its base — every letter and tone mark small (at most 0.6
    of the base), level with the base (its middle inside the base's em box)
    and just right of it (0–0.7 em after the base's 1 em box); the letters
    of one base one above the other in one column (centres within 0.05 em),
    its tone marks right of that column."""
    S = BODY  # not book.S: this case has more zhuyin letters than body characters
    allg = [(l.page, g) for l in book.lines if l.page >= 6 for g in l.ink]
    bases = [(p, g) for p, g in allg if is_han(g.c) and abs(g.size - S) < 0.01]
    marks = [(p, g) for p, g in allg if is_bopomofo(g.c) or g.c in "ˊˇˋ˙"]
    bad, n, of = [], 0, {}
    for p, m in marks:
        n += 1
        cy = m.y - 0.38 * m.size  # the middle of the mark's ideographic em box
        near = [g for q, g in bases if q == p and g.y - 0.88 * S <= cy <= g.y + 0.12 * S and g.x0 < m.x0]
        if m.size > 0.6 * S or not near:
            bad.append("p%d — %s not beside a base character (%.1f pt, y %.1f)" % (p + 1, m.c, m.size, m.y))
            continue
        b = max(near, key=lambda g: g.x0)
        gap = (m.x0 - (b.x0 + S)) / S
        if not -0.02 <= gap <= 0.7:
            bad.append("p%d — %s %.2f em after %s" % (p + 1, m.c, gap, b.c))
            continue
        of.setdefault((p, b.x0, b.y), []).append(m)
    for (p, _, _), ms in of.items():
        letters = [m for m in ms if is_bopomofo(m.c)]
        if not letters:
            continue
        mids = [(m.x0 + m.x1) / 2 for m in letters]
        if max(mids) - min(mids) > 0.05 * S:
            bad.append("p%d — %s not in one column" % (p + 1, "".join(m.c for m in letters)))
        ys = sorted(m.y for m in letters)
        if any(b - a < 0.8 * letters[0].size for a, b in zip(ys, ys[1:])):
            bad.append("p%d — %s not stacked" % (p + 1, "".join(m.c for m in letters)))
        col = max(m.x1 for m in letters)
        for t in ms:
            if t.c in "ˊˇˋ" and t.x0 < col - 0.01 * S:
                bad.append("p%d — tone %s inside the column of %s" % (p + 1, t.c, "".join(m.c for m in letters)))
    return bad, n


def lonely_char(book):
    """clreq §3.3 (孤字): a paragraph's last line is not one Han character
    alone (with its closing mark)."""
    bad, n = [], 0
    for para in book.paragraphs():
        if para[0].page < 6 or len(para) < 2:
            continue
        n += 1
        t = "".join(g.c for g in para[-1].ink)
        if is_han(t[0]) and all(c in CLOSING for c in t[1:]):
            bad.append(para[-1].where())
    return bad, n


def no_letter_spacing(book):
    """Issue 14 (long words and URLs): Latin letters of one word or URL are
    not letter-spaced (at most 0.08 em between their boxes: a line that is
    all URL is justified by a few hundredths of an em, which no reader sees),
    nor Han characters beside them spread (at most 0.25 em)."""
    bad, n = [], 0
    for l in body_lines(book):
        ink = l.ink
        if not any(is_latin_alnum(g.c) for g in ink):
            continue
        for a, b in zip(ink, ink[1:]):
            g = em(book, b.x0 - a.x1)
            if a.c.isascii() and b.c.isascii() and not a.c.isspace():
                n += 1
                if g > 0.08:
                    bad.append("%s — %s%s %.2f em apart" % (l.where(), a.c, b.c, g))
            elif is_han(a.c) and is_han(b.c):
                n += 1
                if g > 0.25:
                    bad.append("%s — %s%s %.2f em apart" % (l.where(), a.c, b.c, g))
    return bad, n


def word_break_hyphen(book):
    """Issue 14: a line that ends inside a Latin word (the next line goes on
    with letters) ends with a visible hyphen; a URL breaks without one."""
    ls = body_lines(book)
    urls = []
    for name in ("url", "words"):
        with open(os.path.join(HERE, "cases", name + ".md"), encoding="utf-8") as f:
            urls += re.findall(r"https?://\S+", f.read())
    bad, n = [], 0
    for a, b in zip(ls, ls[1:]):
        tail, head = a.text.rstrip().rsplit(" ", 1)[-1], b.text.lstrip().split(" ", 1)[0]
        if any(tail + head in u for u in urls):
            continue  # a URL breaks without a hyphen
        if a.ink[-1].c.isascii() and a.ink[-1].c.isalpha() and b.ink[0].c.isascii() and b.ink[0].c.isalpha():
            n += 1
            bad.append("%s — word broken without a hyphen" % a.where())
        elif a.ink[-1].c == "-" and a.glyphs[-1].c != " ":
            n += 1
    return bad, n


_HYPHEN = []


def hyphen_points(word):
    """libhyphen's en-US points of `word` (ctypes), as break indices (a
    break before word[i]); None when libhyphen or the dictionary is missing."""
    import ctypes
    if not _HYPHEN:
        try:
            lib = ctypes.CDLL("libhyphen.so.0")
        except OSError:
            _HYPHEN.append(None)
        else:
            lib.hnj_hyphen_load.restype = ctypes.c_void_p
            d = lib.hnj_hyphen_load(b"/usr/share/hyphen/hyph_en_US.dic")
            _HYPHEN.append((lib, d) if d else None)
    if not _HYPHEN[0]:
        return None
    lib, d = _HYPHEN[0]
    w = word.lower().encode()
    buf = ctypes.create_string_buffer(len(w) + 5)
    rep, pos, cut = ctypes.c_void_p(), ctypes.c_void_p(), ctypes.c_void_p()
    lib.hnj_hyphen_hyphenate3(ctypes.c_void_p(d), w, len(w), buf, None, ctypes.byref(rep),
                              ctypes.byref(pos), ctypes.byref(cut), 2, 3, 2, 3)
    return {i + 1 for i in range(len(w) - 1) if buf.raw[i] & 1}


def pattern_hyphenation(book):
    """Issue 14 (long words): an English word that fits the line (at most
    2 letters an em of the measure, less 2) broken at a line end is broken at one
    of its hyphenation points (libhyphen's en-US patterns, read here through
    ctypes), not at an arbitrary letter; and at a narrow measure (13 em or
    less) some word is hyphenated: the case's text cannot be set there
    without spreading lines otherwise."""
    with open(os.path.join(HERE, "cases", "hyphenate.md"), encoding="utf-8") as f:
        words = set(re.findall(r"[A-Za-z]{5,}", f.read()))
    ls = body_lines(book)
    width = em(book, max(g.x1 for l in ls for g in l.ink) - min(g.x0 for l in ls for g in l.ink))
    bad, n, hyphenated = [], 0, 0
    for a, b in zip(ls, ls[1:]):
        tail = re.search(r"([A-Za-z]+)-?$", a.text.rstrip())
        head = re.match(r"[A-Za-z]+", b.text.lstrip())
        if not tail or not head:
            continue
        frag = tail.group(1) + head.group(0)
        # the word the two fragments belong to, and where the line breaks it
        hits = [(w, w.find(frag) + len(tail.group(1))) for w in words if frag in w]
        if len(hits) != 1 or len(hits[0][0]) > 2 * width - 2:
            continue
        word, at = hits[0]
        pts = hyphen_points(word)
        if pts is None:
            raise SystemExit(77)
        n += 1
        if at not in pts:
            bad.append("%s — %s-%s" % (a.where(), word[:at], word[at:]))
        else:
            hyphenated += 1
    if width < 13.5:
        n += 1
        if not hyphenated:
            bad.append("%.0f em — no word hyphenated at a pattern point" % width)
    return bad, n


def url_no_added_hyphen(book):
    """Issue 14: a URL broken at a line end gets no hyphen (a hyphen there
    would be read as part of the address)."""
    urls = []
    with open(os.path.join(HERE, "cases", "url.md"), encoding="utf-8") as f:
        urls += re.findall(r"https?://\S+", f.read())
    ls = body_lines(book)
    bad, n = [], 0
    for a, b in zip(ls, ls[1:]):
        tail, head = a.text.rstrip().rsplit(" ", 1)[-1], b.text.lstrip().split(" ", 1)[0]
        if any(tail + head[:3] in u for u in urls):
            n += 1
        elif tail.endswith("-") and any(tail[:-1] + head[:3] in u for u in urls):
            n += 1
            bad.append("%s — hyphen added" % a.where())
    return bad, n


QUOTES = "“”‘’"


def quote_marks(book):
    """(glyph, encloses Latin?) for every quotation mark of the body that is
    not an apostrophe: an opening mark followed by a Latin letter or digit,
    a closing one preceded by one, encloses Latin; by a Han character,
    Chinese."""
    out = []
    for l in body_lines(book):
        ink = l.ink
        for i, g in enumerate(ink):
            if g.c not in QUOTES:
                continue
            prev = ink[i - 1].c if i > 0 else ""
            nxt = ink[i + 1].c if i + 1 < len(ink) else ""
            if g.c == "’" and prev.isalpha() and prev.isascii() and nxt.isalpha() and nxt.isascii():
                continue  # an apostrophe (don’t)
            side = nxt if g.c in "“‘" else prev
            if not side:
                continue
            if is_latin_alnum(side):
                out.append((g, True, l))
            elif is_han(side):
                out.append((g, False, l))
    return out


def quotes_cjk(book):
    """Issue 14 (apostrophe vs quotation mark), latin_quotes=cjk: every
    quotation mark — around Chinese and around a Latin-only phrase — is the
    full-width Chinese mark (its glyph at least 0.9 em wide)."""
    bad, n = [], 0
    for g, latin, l in quote_marks(book):
        n += 1
        w = em(book, g.x1 - g.x0)
        if w < 0.9:
            bad.append("%s — %s %.2f em around %s" % (l.where(), g.c, w, "Latin" if latin else "Chinese"))
    return bad, n


def quotes_latin(book):
    """Issue 14, latin_quotes=latin: a quotation mark around a Latin-only
    phrase is a proportional Latin quote (its glyph under 0.5 em); around
    Chinese it stays full width (0.9 em or more)."""
    bad, n = [], 0
    for g, latin, l in quote_marks(book):
        n += 1
        w = em(book, g.x1 - g.x0)
        if (latin and w >= 0.5) or (not latin and w < 0.9):
            bad.append("%s — %s %.2f em around %s" % (l.where(), g.c, w, "Latin" if latin else "Chinese"))
    return bad, n


def number_with_unit(book):
    """clreq §3.1.7 (不可分割): a number is not separated from the measure
    word or unit after it (…25 | 千克)."""
    ls = body_lines(book)
    bad, n = [], 0
    for a, b in zip(ls, ls[1:]):
        n += 1
        if a.ink[-1].c.isdigit() and is_han(b.ink[0].c):
            bad.append("%s — %s | %s" % (a.where(), a.ink[-1].c, b.ink[0].c))
    return bad, n


def emphasis_dots(book):
    """clreq §3.2.5 (着重号): a dot under every Han character of *emphasis*
    (the manuscript's 认真思考 死记硬背 融会贯通), centred on it, and none
    under punctuation or any other character."""
    want = set("认真思考死记硬背融会贯通")
    dots = dots_of(book)
    bad, n = [], 0
    for l in body_lines(book):
        for g in l.ink:
            if not (is_han(g.c) or g.c in CJK_PUNCT):
                continue
            n += 1
            cx = (g.x0 + g.x1) / 2
            has = any(p == l.page and abs(x - cx) < 0.15 * g.size and 0 < y - l.y < 0.6 * g.size
                      for p, x, y in dots)
            if has != (g.c in want):
                bad.append("%s — %s %s" % (l.where(), g.c, "has a dot" if has else "has no dot"))
    return bad, n


def latin_emphasis_italic(book):
    """Issue 14: *emphasis* on Latin words is set in an italic or oblique face."""
    words = set("reallyimportantmust")
    bad, n = [], 0
    for l in body_lines(book):
        if "really" not in l.text and "must" not in l.text and "important" not in l.text:
            continue
        for g in l.ink:
            if g.c in words:
                n += 1
                if not any(s in g.font.lower() for s in ("italic", "oblique")):
                    bad.append("%s — %s in %s" % (l.where(), g.c, g.font))
    return bad[:3], n


def strike_ends_at_text(book):
    """Gap analysis (decorations run into the CJK–Latin gap): a strike-through
    ends at its text's last glyph (within 0.05 em), not in the gap after it."""
    bad, n = [], 0
    for page in book.doc:
        if page.number < 6:
            continue
        glyphs = [g for l in body_lines(book) if l.page == page.number for g in l.ink]
        for d in page.get_drawings():
            r = d["rect"]
            if r.width < 2 or r.height > 1.5 or not d.get("color"):
                continue
            if not any(g.x0 <= r.x0 + 0.5 and abs(g.y - r.y0) < 0.6 * g.size for g in glyphs):
                continue  # not over text (a rule)
            on = [g for g in glyphs if abs(g.y - r.y0) < 0.6 * g.size and g.x0 < r.x1 - 0.5 and g.x1 > r.x0 + 0.5]
            if not on:
                continue
            n += 1
            over = em(book, r.x1 - max(g.x1 for g in on))
            if over > 0.05:
                bad.append("p%d — strike runs %.2f em past %s" % (page.number + 1, over, "".join(g.c for g in on)))
    return bad, n


# --- Japanese (jlreq) ------------------------------------------------------------------
SMALL_KANA = set("ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ")
JA_NO_START = CLOSING | SMALL_KANA | set("ー々〻ゝゞヽヾ・：；゠〜")
MIDDLE_DOTS = set("・：；")


def kinsoku_line_start_ja(book):
    """jlreq §3.1.7 (strict, as books are set): no closing bracket, point,
    middle dot (cl-05), iteration mark (cl-09), prolonged sound mark ー
    (cl-10) or small kana (cl-11) starts a line."""
    return kinsoku_line_start(book, JA_NO_START)


def ink_runs(book, l, x0, x1):
    """The ink of line l between x0 and x1 as runs [(start, end)] in points,
    from the page rendered at about 100 pixels per em."""
    import fitz
    zoom = 100 / book.S
    clip = fitz.Rect(x0, l.y - 1.0 * book.S, x1, l.y + 0.4 * book.S)
    pix = book.doc[l.page].get_pixmap(matrix=fitz.Matrix(zoom, zoom), clip=clip, colorspace=fitz.csGRAY)
    dark = bytes(1 if v < 160 else 0 for v in range(256))
    acc, w, data = 0, pix.width, pix.samples
    for y in range(pix.height):
        acc |= int.from_bytes(data[y * pix.stride:y * pix.stride + w].translate(dark), "big")
    cols = [bool(c) for c in acc.to_bytes(w, "big")]
    runs, start = [], None
    for i, c in enumerate(cols + [False]):
        if c and start is None:
            start = i
        elif not c and start is not None:
            runs.append((x0 + start / zoom, x0 + i / zoom))
            start = None
    return runs


def middle_dots(book):
    """jlreq §3.1.4 (middle dots, cl-05): a ・：； between two characters
    keeps its quarter em of blank on each side.  Its ink is centred in its
    box, so its centre is measured: from a character's box at least 0.45 em
    (half the dot's em; the same on both sides, within 0.05 em, when both
    neighbours are characters), from a bracket's or point's ink at least
    0.4 em — next to a bracket it is the bracket that gives up its blank
    half (「ハム」・「チーズ」), not the dot."""
    bad, n = [], 0
    for l in body_lines(book):
        ink = l.ink
        for i in range(1, len(ink) - 1):
            p, m, q = ink[i - 1], ink[i], ink[i + 1]
            if m.c not in MIDDLE_DOTS:
                continue
            n += 1
            mid = m.x0 + 0.5 * m.size
            runs = None
            if p.c in CJK_PUNCT or q.c in CJK_PUNCT:
                runs = ink_runs(book, l, p.x0, q.x1)
            if p.c in CJK_PUNCT:
                left = em(book, mid - max([b for a, b in runs if b < mid - 0.15 * m.size] or [p.x0]))
            else:
                left = em(book, mid - p.x1)
            if q.c in CJK_PUNCT:
                right = em(book, min([a for a, b in runs if a > mid + 0.15 * m.size] or [q.x1]) - mid)
            else:
                right = em(book, q.x0 - mid)
            if os.environ.get("CONFORM_DEBUG"):
                print(l.where(), p.c, m.c, q.c, "%.2f %.2f" % (left, right))
            ok_l = 0.3 <= left <= 0.7 if p.c in CJK_PUNCT else left >= 0.2
            ok_r = 0.3 <= right <= 0.7 if q.c in CJK_PUNCT else right >= 0.2
            sym = p.c in CJK_PUNCT or q.c in CJK_PUNCT or abs(left - right) <= 0.05
            if not (ok_l and ok_r and sym):
                bad.append("%s — %s%s%s %.2f em before the dot's centre, %.2f after" % (
                    l.where(), p.c, m.c, q.c, left, right))
    return bad, n


def pair_compression_ja(book):
    """jlreq §3.1.6 and appendix B: as pair_compression, two adjacent
    brackets, points or middle dots take 1.5 em; ？！ (cl-04) are not
    compressed — ？」 keeps 2 em (at least 1.9)."""
    bad, n = pair_compression(book, skip="？！")
    for a, b, l in pairs(book, set("？！")):
        if b.c in "」』）" and b is not l.ink[-1]:
            n += 1
            w = em(book, b.x1 - a.x0)
            if w < 1.9:
                bad.append("%s — %s%s %.2f em" % (l.where(), a.c, b.c, w))
    return bad, n


def line_head_bracket(book):
    """jlreq §3.1.5 (Figure 71 ①, JIS X 4051) and appendix B.2 note 17: an
    opening bracket that starts a line of a paragraph other than its first
    is set flush with the margin — its box (a full em) starts half an em
    left of the line (its blank half dropped), within 0.05 em."""
    bad, n = [], 0
    for para in book.paragraphs():
        for l in para[1:]:
            if l.page < 6 or l.ink[0].c not in OPENING:
                continue
            n += 1
            x = em(book, l.ink[0].x0 - book.left(l))
            if abs(x + 0.5) > 0.05:
                bad.append("%s — the bracket's box at %.2f em" % (l.where(), x))
    return bad, n


def para_start_ja(book):
    """jlreq §3.1.5 (Figure 71 ①, JIS X 4051): an opening bracket starting
    a paragraph is set half width after the indent — its ink where the
    indent puts a character's, its box half an em before (within 0.05 em)."""
    bad, n = [], 0
    for para in book.paragraphs():
        first = para[0]
        if first.page < 6 or first.ink[0].c not in OPENING or len(para) < 2:
            continue
        n += 1
        x = em(book, first.ink[0].x0 - book.left(first))
        # the indent is the text's: where the paragraph's second line would put it
        ind = round(em(book, first.ink[0].x0 - book.left(first)) + 0.5)
        if abs(x - (ind - 0.5)) > 0.05 or ind < 1:
            bad.append("%s — the bracket's box at %.2f em" % (first.where(), x))
    return bad, n


def indent_ja(book):
    """jlreq §3.1.5 (its figures assume it) and Japanese books: a paragraph's
    first line is indented one em (a Chinese book's two) — a first line
    that starts with a kana or kanji starts 1 em in (within 0.05 em)."""
    bad, n = [], 0
    for para in book.paragraphs():
        first = para[0]
        if first.page < 6 or len(para) < 2 or first.ink[0].c in CJK_PUNCT:
            continue
        n += 1
        x = em(book, first.ink[0].x0 - book.left(first))
        if abs(x - 1) > 0.05:
            bad.append("%s — indented %.2f em" % (first.where(), x))
    return bad, n


def is_kana(c):
    return ("\u3041" <= c <= "\u309f" or "\u30a0" <= c <= "\u30ff") and c != "・"


def ruby_groups(book):
    """(line, annotation glyphs, base glyphs) for every annotation over a
    body line: small glyphs 0.5–1.6 em above its baseline, contiguous ones
    one group (mono ruby of neighbouring bases merges: its union is centred
    over theirs too); the bases are the line's glyphs centred under it."""
    S = book.S
    small = {}
    for l in book.lines:
        if l.page >= 6:
            for g in l.ink:
                if g.size <= 0.65 * S:
                    small.setdefault(l.page, []).append(g)
    out = []
    for l in body_lines(book):
        over = sorted((g for g in small.get(l.page, []) if 0.5 * S <= l.y - g.y <= 1.6 * S
                       and l.ink[0].x0 - S <= g.x0 <= l.x1 + S), key=lambda g: g.x0)
        groups = []
        for g in over:
            if groups and g.x0 - groups[-1][-1].x1 < 0.02 * S:
                groups[-1].append(g)
            else:
                groups.append([g])
        for grp in groups:
            x0, x1 = grp[0].x0, grp[-1].x1
            bases = [g for g in l.ink if min(x1, g.x1) - max(x0, g.x0) > 0.3 * S and g.size > 0.65 * S
                     and g.c not in CJK_PUNCT]
            if bases:
                out.append((l, grp, bases))
    return out


def ruby_ja(book):
    """jlreq §3.3 (ruby), mono and group ruby in a Japanese text: each
    annotation at half its base's size (0.45–0.55), centred over its base
    (within 0.1 em) unless moved in to stay inside the line, which it never
    passes; it never reaches over a kanji beside its base (0.02 em), over a
    kana by at most half its own size (jlreq §3.3.6), over a mark by at most
    its blank half."""
    bad, n = [], 0
    for l, grp, bases in ruby_groups(book):
        n += 1
        S = bases[0].size
        x0, x1 = grp[0].x0, grp[-1].x1
        text = "".join(g.c for g in grp) + "/" + "".join(g.c for g in bases)
        r = grp[0].size / S
        if not 0.45 <= r <= 0.55:
            bad.append("%s — %s at %.2f of the base" % (l.where(), text, r))
        left, right = book.left(l), book.right(l)
        if x0 < left - 0.02 * S or x1 > right + 0.02 * S:
            bad.append("%s — %s past the line's end" % (l.where(), text))
        at_edge = x0 < left + 0.02 * S or x1 > right - 0.02 * S
        mid = (min(g.x0 for g in bases) + max(g.x1 for g in bases)) / 2
        # merged mono ruby (東京 とう|きょう) is centred segment by segment, each
        # over its base's spaced cell: then its ends are near the bases' ends
        ends = len(bases) > 1 and abs(x0 - bases[0].x0) <= 0.3 * S and abs(x1 - bases[-1].x1) <= 0.3 * S
        if not at_edge and not ends and abs((x0 + x1) / 2 - mid) > 0.1 * S:
            bad.append("%s — %s off centre by %.2f em" % (l.where(), text, ((x0 + x1) / 2 - mid) / S))
        i, j = l.ink.index(bases[0]), l.ink.index(bases[-1])
        for nb, over in ((l.ink[i - 1] if i > 0 else None, lambda g: g.x1 - x0),
                         (l.ink[j + 1] if j + 1 < len(l.ink) else None, lambda g: x1 - g.x0)):
            if nb is None:
                continue
            o = over(nb) / S
            # a kana: half the annotation's size; a mark: its blank half; a kanji: nothing
            limit = 0.5 * grp[0].size / S if is_kana(nb.c) else 0.5 if nb.c in CJK_PUNCT else 0
            if o > limit + 0.05:  # a line shrunk to fit may take a little more
                bad.append("%s — %s over %s by %.2f em" % (l.where(), text, nb.c, o))
    return bad, n


def ruby_overhang_ja(book):
    """jlreq §3.3.6: an annotation wider than its one-character base, with
    kana on both sides, overhangs them by up to half its size before the
    base is spaced out — the blank each side of the base (between the
    neighbours' boxes and its own) is at most 0.4 em (0.25 and what
    justification adds), not the 0.5 em of a base spaced out alone (梟 with
    ふくろう between の and は)."""
    bad, n = [], 0
    for l, grp, bases in ruby_groups(book):
        if len(bases) != 1 or grp[-1].x1 - grp[0].x0 <= bases[0].size * 1.02:
            continue
        i = l.ink.index(bases[0])
        if i == 0 or i + 1 >= len(l.ink) or not (is_kana(l.ink[i - 1].c) and is_kana(l.ink[i + 1].c)):
            continue
        n += 1
        b = bases[0]
        gaps = ((b.x0 - l.ink[i - 1].x1) / b.size, (l.ink[i + 1].x0 - b.x1) / b.size)
        if max(gaps) > 0.4:
            bad.append("%s — %s spaced %.2f/%.2f em" % (l.where(), b.c, gaps[0], gaps[1]))
    return bad, n


def dots_of(book):
    """Filled round dots drawn on the pages: (page, x, y) of each centre."""
    dots = []
    for page in book.doc:
        for d in page.get_drawings():
            if d.get("fill") is None or d["rect"].height > 0.4 * book.S:
                continue
            pts = sorted((p for it in d["items"] if it[0] == "c" for p in it[1:]), key=lambda p: p.x)
            groups = []
            for p in pts:
                if groups and p.x - groups[-1][-1].x < 0.2 * book.S:
                    groups[-1].append(p)
                else:
                    groups.append([p])
            for g in groups:
                dots.append((page.number, (min(p.x for p in g) + max(p.x for p in g)) / 2,
                             (min(p.y for p in g) + max(p.y for p in g)) / 2))
    return dots


def emphasised_chars(manuscript):
    """[(char, emphasised)] of the manuscript's body text, in order, without
    spaces, markup and the heading and comment."""
    with open(os.path.join(HERE, "cases", manuscript + ".md"), encoding="utf-8") as f:
        text = f.read()
    text = re.sub(r"(?s)^---.*?---", "", text)
    text = re.sub(r"(?s)<!--.*?-->", "", text)
    text = "\n".join(l for l in text.splitlines() if not l.startswith("#"))
    out, emph = [], False
    for c in text:
        if c == "*":
            emph = not emph
        elif not c.isspace():
            out.append((c, emph))
    return out


def bouten_ja(book):
    """jlreq §3.2.4 (傍点): a dot over every kanji and kana of *emphasis*
    (in horizontal text above the character, centred on it), none over or
    under punctuation or any character not emphasised."""
    want = emphasised_chars("emphasis-ja")
    dots = dots_of(book)
    glyphs = [(l, g) for l in body_lines(book) for g in l.ink]
    bad, n = [], 0
    if [g.c for l, g in glyphs] != [c for c, e in want]:
        return ["the PDF's text differs from the manuscript's"], 1
    for (l, g), (c, e) in zip(glyphs, want):
        n += 1
        cx = (g.x0 + g.x1) / 2
        above = any(p == l.page and abs(x - cx) < 0.15 * g.size and 0.9 * g.size < l.y - y < 1.3 * g.size
                    for p, x, y in dots)
        other = any(p == l.page and abs(x - cx) < 0.3 * g.size and -0.6 * g.size < l.y - y <= 0.9 * g.size
                    for p, x, y in dots)
        should = e and c not in CJK_PUNCT and c not in "「」"
        if above != should or other:
            bad.append("%s — %s %s" % (l.where(), c, "has a dot below or beside it" if other else
                                       "has a dot above" if above else "has no dot above"))
    return bad, n


FW_DIGITS = set("０１２３４５６７８９")


def numerals_ja(book):
    """jlreq §3.1.7 (grouped numerals, cl-24): a full-width number — its
    digits and a ， or ． between them — is never split between two lines
    (the case's numbers are at most 10 digits, its measures 11 em or more)."""
    ls = body_lines(book)
    bad = []
    for a, b in zip(ls, ls[1:]):
        end, start = a.ink[-1].c, b.ink[0].c
        before = a.ink[-2].c if len(a.ink) > 1 else ""
        if start in FW_DIGITS and (end in FW_DIGITS or (end in "，．" and before in FW_DIGITS)):
            bad.append("%s — %s | %s" % (a.where(), a.text[-4:], b.text[:4]))
    return bad, len(ls)


def ideographic_space(book):
    """jlreq §3.1.10: a ？ or ！ that the manuscript follows with an
    ideographic space (U+3000) keeps that full em of blank inside a line
    (0.9–1.3 em from its box to the next character); at the end of a line
    the space is dropped — the mark ends at the right edge, no hole."""
    bad, n = [], 0
    for para in book.paragraphs():
        for l in para:
            if l.page < 6:
                continue
            ink = l.ink
            for a, b in zip(ink, ink[1:]):
                if a.c in "？！" and b.c not in CJK_PUNCT:
                    n += 1
                    gap = em(book, b.x0 - (a.x0 + a.size))
                    if not 0.9 <= gap <= 1.3:
                        bad.append("%s — %s then %.2f em of blank" % (l.where(), a.c, gap))
            if ink[-1].c in "？！" and l is not para[-1]:
                n += 1
                x = em(book, book.right(l) - ink[-1].x1)
                if abs(x) > 0.05:
                    bad.append("%s — ends with %s %.2f em from the edge" % (l.where(), ink[-1].c, x))
    return bad, n


# --- the cases ------------------------------------------------------------------------
class Case:
    def __init__(self, name, rule, manuscript, check, measures=MEASURES, off=None, allow=0.0, on=None):
        self.name, self.rule, self.manuscript, self.check = name, rule, manuscript, check
        self.measures, self.off = measures, off
        self.on = on  # style keys of the case's own run (None: the default style)
        self.allow = allow  # the share of judged places that may break the rule


GROUPS = {
    "kinsoku": [
        Case("kinsoku-start-hans", "clreq §3.1.7 no closing mark or · at line start (zh-Hans)",
             "punct-hans", kinsoku_line_start, off={"kinsoku": "false"}),
        Case("kinsoku-end-hans", "clreq §3.1.7 no opening mark at line end (zh-Hans)",
             "punct-hans", kinsoku_line_end, off={"kinsoku": "false"}),
        Case("kinsoku-start-hant", "clreq §3.1.7 no closing mark at line start (zh-Hant)",
             "punct-hant", kinsoku_line_start, off={"kinsoku": "false"}),
        Case("kinsoku-end-hant", "clreq §3.1.7 no opening mark at line end (zh-Hant)",
             "punct-hant", kinsoku_line_end, off={"kinsoku": "false"}),
    ],
    "compress": [
        Case("pairs-hans", "clreq §3.1.6 punctuation pairs 1.5 em (zh-Hans)",
             "punct-hans", pair_compression, off={"punct_compress": "false"}),
        Case("line-end-hans", "clreq §3.1.6 line-end mark set half width (zh-Hans)",
             "punct-hans", line_end_compression, off={"punct_compress": "false"}),
        Case("no-hanging-hans", "clreq §3.1.8 marks do not hang past the line end (zh-Hans)",
             "punct-hans", no_hanging, off={"hanging_punct": "true"}),
        Case("lone-marks-hans", "clreq §3.1.6 a lone mark keeps its em (≤ 2 % squeezed) (zh-Hans)",
             "punct-hans", lone_marks_full_width, allow=0.02),
        Case("pairs-spans", "gap analysis: pairs compressed across emphasis, strong, links",
             "spans", pair_compression, off={"punct_compress": "false"}),
        Case("pairs-hans-long", "clreq §3.1.6 punctuation pairs 1.5 em, a book (zh-Hans)",
             "corpus/luxun-essays", pair_compression, measures=(25,), off={"punct_compress": "false"}),
        Case("ink-hans-long", "issue 14: marks' ink never touches, a book (zh-Hans)",
             "corpus/luxun-essays", ink_never_touches, measures=(25,)),
        Case("ink-hans", "issue 14: neighbouring marks' ink never touches (zh-Hans)",
             "punct-hans", ink_never_touches, measures=(13, 20)),
    ],
    "hant": [
        Case("centred-hant", "clreq §3.1.1 centred marks keep their em (zh-Hant)",
             "punct-hant", centred_not_compressed, measures=(13, 20), off={"punct_style": "corner"}),
        Case("lone-marks-hant", "clreq §3.1.6 a lone mark keeps its em (≤ 2 % squeezed) (zh-Hant)",
             "punct-hant", lone_marks_full_width, allow=0.02),
        Case("ink-hant", "issue 14: neighbouring marks' ink never touches (zh-Hant)",
             "punct-hant", ink_never_touches, measures=(13, 20)),
        # a long Traditional text: tests/corpus/three-kingdoms (public domain), 43 pages at 25 em
        Case("centred-hant-long", "clreq §3.1.1 centred marks keep their em, 43 pages (zh-Hant)",
             "corpus/three-kingdoms", centred_not_compressed, measures=(25,), off={"punct_style": "corner"}),
        Case("ink-hant-long", "issue 14: marks' ink never touches, 43 pages (zh-Hant)",
             "corpus/three-kingdoms", ink_never_touches, measures=(25,)),
    ],
    "latin": [
        Case("cjk-latin-gap", "clreq §3.2.2, jlreq §3.2.6, §3.8.3–4: Han–Latin gap ¼ em, ⅛–½ em on justified lines",
             "latin", cjk_latin_gaps, off={"cjk_latin_space": "false"}),
        Case("gap-first", "jlreq §3.8.4: a justified line opens its Han–Latin gaps before spreading Han",
             "latin", gap_opens_first, off={"pdf.glue_cjk_latin_stretch": "0.01"}),
        Case("code-gap", "gap analysis: the Han–Latin gap around inline code starting/ending with punctuation",
             "latin", code_gaps, off={"cjk_latin_space": "false"}),
        Case("gap-line-edges", "gap analysis: no CJK–Latin gap at a line's start or end",
             "latin", gap_dropped_at_line_edges),
        Case("gap-symmetric", "gap analysis: the gap is the same before and after a Latin run",
             "latin", gap_symmetric),
        Case("apostrophe", "gap analysis: apostrophe narrow, CJK quotes full width",
             "latin", apostrophe_narrow),
        Case("quotes-cjk", "issue 14: quotes around a Latin phrase full width (latin_quotes=cjk, default)",
             "quotes", quotes_cjk, measures=(9, 13, 17, 22), off={"latin_quotes": "latin"}),
        Case("quotes-latin", "issue 14: quotes around a Latin phrase proportional (latin_quotes=latin)",
             "quotes", quotes_latin, measures=(9, 13, 17, 22), on={"latin_quotes": "latin"},
             off={"latin_quotes": "cjk"}),
    ],
    "paragraph": [
        Case("para-start", "gap analysis: opening bracket at a paragraph start trimmed",
             "para-start", para_start_bracket, off={"para_start_trim": "false"}),
        Case("line-grid", "gap analysis: body lines on one grid across headings",
             "grid", line_grid, measures=(12, 20)),  # line_grid=false changes nothing today
        Case("line-height", "gap analysis: line pitch 1.5–2 em",
             "punct-hans", line_height, measures=ONE, off={"text.line_height": "1.2"}),
        Case("lonely", "clreq §3.3 no lonely last-line character (孤字)",
             "lonely", lonely_char, off={"no_lonely_char": "false"}),
    ],
    "breaking": [
        Case("dash-ellipsis", "clreq §3.1.7 —— and …… never split across lines",
             "breaking", unsplit_marks, off={"kinsoku": "false"}),
        Case("dash-overhang", "gap analysis: two-em dash not overhung",
             "breaking", dash_not_overhung),
        Case("number-unit", "clreq §3.1.7 number kept with its unit or measure word",
             "breaking", number_with_unit, off={"kinsoku": "false"}),
        Case("url-spacing", "issue 14: URLs break after / . - without letter-spacing",
             "url", no_letter_spacing),
        Case("word-spacing", "issue 14: long words break without letter-spacing",
             "words", no_letter_spacing, off={"pdf.glue_cjk_latin_stretch": "0.01"}),
        Case("hyphen", "issue 14: a word broken at a line end shows a hyphen",
             "words", word_break_hyphen),
        Case("hyphenate", "issue 14: English words broken at their hyphenation points",
             "hyphenate", pattern_hyphenation, measures=(9, 11, 13, 16, 19, 25),
             off={"hyphenate": "false"}),
        Case("url-hyphen", "issue 14: a URL broken at a line end gets no hyphen",
             "url", url_no_added_hyphen),
    ],
    "ruby": [
        Case("ruby", "clreq §3.4 pinyin ruby above its base, half size",
             "ruby", ruby, measures=ONE),
        Case("zhuyin", "clreq §3.4 zhuyin in a column right of its base, tone beside it",
             "zhuyin", zhuyin_right, measures=(11, 20, 25), off={"zhuyin_right": "false"}),
    ],
    "emphasis": [
        Case("emphasis-dots", "clreq §3.2.5 emphasis dots under Han only",
             "emphasis", emphasis_dots, measures=ONE),
        Case("latin-italic", "issue 14: Latin emphasis in italic",
             "emphasis", latin_emphasis_italic, measures=ONE, off={"latin_italic": "false"}),
        Case("strike-gap", "gap analysis: strike-through ends at the text",
             "emphasis", strike_ends_at_text, measures=ONE),
    ],
    "ja": [
        Case("kinsoku-start-ja", "jlreq §3.1.7 no small kana, ー, 々, ・ or closing mark at line start (ja)",
             "punct-ja", kinsoku_line_start_ja, off={"line_break": "normal"}),
        Case("kinsoku-end-ja", "jlreq §3.1.7 no opening bracket at line end (ja)",
             "punct-ja", kinsoku_line_end, off={"kinsoku": "false"}),
        Case("dash-ellipsis-ja", "jlreq §3.1.7 ―― and …… never split across lines (ja)",
             "punct-ja", unsplit_marks, off={"kinsoku": "false"}),
        Case("pairs-ja", "jlreq §3.1.6 adjacent brackets and points 1.5 em (ja)",
             "punct-ja", pair_compression_ja, off={"punct_compress": "false"}),
        Case("line-end-ja", "jlreq §3.1.6 line-end point or bracket set half width (ja)",
             "punct-ja", line_end_compression, off={"punct_compress": "false"}),
        Case("lone-marks-ja", "jlreq §3.1.6 a lone mark keeps its em (≤ 2 % squeezed) (ja)",
             "punct-ja", lone_marks_full_width, allow=0.02),
        Case("no-hanging-ja", "jlreq §3.8 marks do not hang past the line end (ja)",
             "punct-ja", no_hanging, off={"hanging_punct": "true"}),
        Case("ink-ja", "issue 14: neighbouring marks' ink never touches (ja)",
             "punct-ja", ink_never_touches, measures=(13, 20)),
        Case("middle-dots-ja", "jlreq §3.1.4 middle dots ・：； keep ¼ em each side (ja)",
             "punct-ja", middle_dots, allow=0.02),
        Case("line-head-bracket-ja", "jlreq §3.1.5 opening bracket at a wrapped line's head flush (ja)",
             "punct-ja", line_head_bracket, off={"line_start_trim": "false"}),
        Case("para-start-ja", "jlreq §3.1.5 opening bracket at a paragraph start half width (ja)",
             "punct-ja", para_start_ja, off={"para_start_trim": "false"}),
        Case("indent-ja", "jlreq §3.1.5 a paragraph's first line indented 1 em (ja)",
             "punct-ja", indent_ja, off={"text.indent_em": "2"}),
        # a Japanese text: tests/corpus/kaki-no-tane-ja (寺田寅彦, Aozora Bunko), 9 pages at 25 em
        Case("kinsoku-start-ja-long", "jlreq §3.1.7 line-start rules, 寺田寅彦『柿の種』 (ja)",
             "corpus/kaki-no-tane-ja/vertical_writing.md", kinsoku_line_start_ja, measures=(13, 19, 25),
             off={"line_break": "normal"}),
        Case("ink-ja-long", "issue 14: marks' ink never touches, 寺田寅彦『柿の種』 (ja)",
             "corpus/kaki-no-tane-ja/vertical_writing.md", ink_never_touches, measures=(13, 25)),
        Case("ruby-ja", "jlreq §3.3 ruby half size, centred, inside the line, not over kanji (ja)",
             "ruby-ja", ruby_ja, off={"pdf.ruby_scale": "0.6"}),
        Case("ruby-overhang-ja", "jlreq §3.3.6 ruby overhangs kana by up to half its size (ja)",
             "ruby-ja", ruby_overhang_ja, off={"ruby_overhang": "false"}),
        Case("bouten-ja", "jlreq §3.2.4 emphasis dots over every kanji and kana, not punctuation (ja)",
             "emphasis-ja", bouten_ja),
        Case("numerals-ja", "jlreq §3.1.7 a full-width number never split across lines (ja)",
             "numerals-ja", numerals_ja, measures=(11, 12, 13, 14, 16, 17, 19, 22, 25),
             off={"kinsoku": "false"}),
        Case("question-space-ja", "jlreq §3.1.10 ？！ keep their em of space, none at a line end (ja)",
             "punct-ja", ideographic_space),
    ],
}


def expected_failures():
    """{case name: reason} from expected-failures.txt ("name: what (issue N)")."""
    out = {}
    with open(os.path.join(HERE, "expected-failures.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                name, _, why = line.partition(":")
                out[name.strip()] = why.strip()
    return out


def measure(run, case, off=None):
    """(violations, judged) summed over the case's measures; the case's own
    run with its `on` keys, the switched-off run with `off` over them."""
    bad, n = [], 0
    keys = dict(case.on or {}, **(off or {})) or None
    for m in case.measures:
        b, k = case.check(run.book(case.manuscript, m, keys))
        bad += ["%dem %s" % (m, x) for x in b]
        n += k
    if bad and len(bad) <= case.allow * n:
        print("      %-18s %d of %d allowed (%s)" % (case.name, len(bad), n, bad[0]))
        return [], n
    return bad, n


def run_group(group, kmbook, work):
    run, xfail, failures = Run(kmbook, work), expected_failures(), 0
    for case in GROUPS[group]:
        bad, n = measure(run, case)
        head = "%-18s %s" % (case.name, case.rule)
        if n == 0:
            print("FAIL  %s: nothing judged (the case text no longer exercises the rule)" % head)
            failures += 1
            continue
        if case.name in xfail:
            if bad:
                print("XFAIL %s: %d of %d — %s; e.g. %s" % (head, len(bad), n, xfail[case.name], bad[0]))
            else:
                print("FAIL  %s: listed in expected-failures.txt but passes (%d judged) — remove its line"
                      % (head, n))
                failures += 1
            continue
        if bad:
            print("FAIL  %s: %d of %d — %s" % (head, len(bad), n, "; ".join(bad[:4])))
            failures += 1
            continue
        if not case.off:
            print("ok    %s: 0 of %d (no style switch: not shown failing)" % (head, n))
            continue
        off_bad, off_n = measure(run, case, case.off)
        switch = ",".join("%s=%s" % kv for kv in case.off.items())
        if off_bad:
            print("ok    %s: 0 of %d; with %s %d of %d (e.g. %s)" % (head, n, switch, len(off_bad), off_n,
                                                                    off_bad[0]))
        else:
            print("FAIL  %s: 0 of %d, and still 0 of %d with %s — the check cannot fail" % (head, n, off_n,
                                                                                          switch))
            failures += 1
    return failures


def table():
    """The README's table: rule → status, from the cases and expected-failures.txt."""
    xfail = expected_failures()
    lines = ["| Test: case | Rule | Seen failing with | Status |\n|---|---|---|---|"]
    for group in GROUPS:
        for c in GROUPS[group]:
            why = xfail.get(c.name)
            status = "not yet (%s)" % why[why.rfind("issue"):].rstrip(")") if why else "met"
            off = ", ".join("`%s=%s`" % kv for kv in c.off.items()) if c.off else "no switch"
            lines.append("| conform.%s: %s | %s | %s | %s |" % (group, c.name, c.rule, off, status))
    return "\n".join(lines) + "\n"


def check_readme(path):
    """0 when README.md holds the table conform.py --table prints."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    want = table()
    if want in text:
        print("ok    README.md's clreq conformance table matches the suite")
        return 0
    print("FAIL  README.md's clreq conformance table differs from the suite — paste the output of\n"
          "      tests/conform/conform.py --table between the conform-table comments:\n" + want)
    return 1


def main(argv):
    if argv[:1] == ["--table"]:
        sys.stdout.write(table())
        return 0
    if argv[:1] == ["--check-readme"] and len(argv) == 2:
        return check_readme(argv[1])
    if len(argv) != 3 or argv[0] not in GROUPS:
        print(__doc__ + "\ngroups: " + " ".join(GROUPS))
        return 2
    if not typocheck.have_fitz():
        return 77
    return 1 if run_group(*argv) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
