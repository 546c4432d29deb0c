#!/usr/bin/env python3
"""Page-building faults of issue 13, counted on the page model (--layout-dump).

Usage: check_pages.py KMBOOK WORKDIR BOOK...   (BOOK: a folder or a .md file)

For each book, builds the PDF with --layout-dump and counts, reading only the
dump (not what the layout code thinks it did):

  figures past their section  an image (or a short table, which floats like a
                              figure: its top rule) whose source heading
                              (under=hN:dest) is followed, before it, by a
                              heading of level <= N (or it is in another
                              chapter)
  half-empty pages            a body page that is not its chapter's last page,
                              filled less than half (text, figures, tables;
                              not notes), unless the next page opens with a
                              figure (under at most a few rows kept with it)
                              taller than half a page and than the room left,
                              and that figure does not open the page with
                              text after it before any heading (a figure
                              that floats leaves its room to that text)
  stranded headings           a heading that is the last text on its page
                              (notes at the foot aside)
  empty headings              a heading with nothing under it before the next
                              heading of its level or the chapter's end
  headings split in a phrase  a heading line ending inside a phrase (三結|義)
                              where a space or punctuation offered a break
  table faults                a page opening inside a table without its header
                              row repeated; a table starting at a page foot
                              with fewer than two body rows
  short chapter ends          a chapter's last page (not also its first)
                              reaching fewer than 5 rows down the grid
  holes                       a blank run of more than 4 grid rows between
                              the body's ink on a page (chapter openings
                              aside): the space before a heading (1 row)
                              and the upper row of a two-row heading block
                              (1), or a figure's air, with the most
                              spread_fill_max (2) adds to fill a page to its
                              facing page's row
  long pages alone            a page whose body reaches past the grid's
                              last row (a spread run long, spread_long_max)
                              facing a page that does not end on that row
  uneven spreads              a verso and the recto after it (both in one
                              chapter, the recto not its last page) whose
                              bodies (footnotes included) end on different
                              grid rows; "forced" when they differ by one row
                              and the line after the shorter page could not
                              have joined it without a widow or an orphan;
                              "forced by a figure" when the page after the
                              shorter one opens with an image taller than
                              the room left on it even scaled to
                              figure_min_scale and with the spread run long
                              (reported, not held to the per cent below)

BOOK may be prefixed: prose:BOOK (proseN:BOOK) also fails if more than 1 %
(N %) of its spreads, rounded down, are uneven (the issue's target, for every
book: a page a block kept whole leaves short is filled in whole rows, or the
page it faces run short); unevenK:BOOK fails if more than K are (a book where
that is known not to be reached: K spreads neither fix evens, each listed, so
that no new one passes); spreads:BOOK asserts only the spreads and chapter
ends (item 5), reporting the other counts (a fault of another item). A
heading's parallel title (a "parallel-title" line, read/parallel.c) counts as
a line of its heading, not as its body. A book without a
prefix is reported, not held to a spread count. novel:FOLDER builds a 30-chapter book from the
paragraphs of a corpus book's .txt chapters, a novel's length (about 960 pages).
vertical:BOOK builds it with --writing vertical (the dump is in the vertical
frame: rows are columns), landscape:BOOK on A5 turned (210x148mm): both give a
short measure, where a one-line paragraph under a heading can meet a figure.

Prints the counts; fails if any is not 0. Exit 77 if the fonts are missing.
"""
import math
import os
import re
import subprocess
import sys

BOX = re.compile(r"^  (\S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(.*)$")
HEAD = re.compile(r"^(h[1-6]|chapter-title)$")
NOT_BODY = {"note", "note-rule", "head", "folio", "head-rule"}


def grid(dump):
    """(rows, pitch, top) of the body grid, from the dump's first line."""
    m = re.search(r" rows (\d+) pitch ([\d.]+) .* top ([\d.]+)", dump.split("\n", 1)[0])
    return int(m.group(1)), float(m.group(2)), float(m.group(3))


def parse(dump):
    """(text block top, height, pages: [(chapter, opening, [(what, x, y, rest)])])"""
    lines = dump.splitlines()
    m = re.search(r"text ([\d.]+)x([\d.]+) .* top ([\d.]+)", lines[0])
    text_h, top = float(m.group(2)), float(m.group(3))
    pages = []
    for ln in lines[1:]:
        if ln.startswith("page "):
            f = ln.split()
            chapter = f[5] if f[3] == "body" and len(f) > 5 else None
            pages.append([chapter, "opening" in f[5:], []])
        elif pages and ln.startswith("  "):
            b = BOX.match(ln)
            if b:
                pages[-1][2].append((b.group(1), float(b.group(2)), float(b.group(3)), b.group(4)))
    return top, text_h, pages


def level_of(what):
    return 1 if what == "chapter-title" else int(what[1])


def count(dump):
    top, text_h, pages = parse(dump)
    past, half, stranded = [], [], []
    seen = []  # (chapter, level, dest) of headings in page order
    for pi, (chapter, opening, boxes) in enumerate(pages):
        if chapter is None:
            continue
        for what, x, y, rest in boxes:
            if HEAD.match(what):
                d = re.search(r" dest=(\S+)", rest)
                if d:
                    seen.append((chapter, level_of(what), d.group(1)))
            elif what in ("image", "rule"):  # a figure, or the top rule of a floating table
                u = re.search(r" under=h(\d):(\S*)", rest)
                if not u:
                    continue
                name = rest.split()[1] if what == "image" else f"table at y={y:.0f}"
                lvl, dest = int(u.group(1)), u.group(2)
                idx = [k for k, h in enumerate(seen) if h[2] == dest]
                if not idx:
                    past.append(f"page {pi + 1}: {name} before its heading {dest}")
                    continue
                own = seen[idx[-1]]
                later = [h for h in seen[idx[-1] + 1:] if h[1] <= lvl or h[0] != own[0]]
                if own[0] != chapter or later:
                    past.append(f"page {pi + 1}: {name} (under {dest}) after "
                                f"{later[0][2] if later else 'its chapter'}")
        body = [b for b in boxes if b[0] not in NOT_BODY]
        # stranded: the last text line of the page is a heading
        texts = [b for b in body if b[0] not in ("image", "rule", "code-bg", "quote-bar", "rect")]
        while texts and texts[-1][0] == "parallel-title":  # a heading's other-language line
            texts.pop()
        if texts and HEAD.match(texts[-1][0]) and texts[-1][0] != "chapter-title":
            if pi + 1 < len(pages) and pages[pi + 1][0] == chapter:
                stranded.append(f"page {pi + 1}: {texts[-1][3][:40]}")
        nxt = pages[pi + 1] if pi + 1 < len(pages) else None
        if not nxt or nxt[0] != chapter:
            continue
        bottom = top
        for what, x, y, rest in body:
            h = 0
            m = re.match(r"([\d.]+)x([\d.]+)", rest)
            if what in ("image", "code-bg", "rect") and m:
                h = float(m.group(2))
            bottom = max(bottom, y + h)
        filled = bottom - top
        if filled >= text_h / 2:
            continue
        # the next page opens with a figure (at most a heading or two and a
        # line before it, kept with it) taller than the room left here
        # — unless text follows that figure there with no heading between
        # (a figure that floats leaves its room to that text: the page was
        # not forced to end short)
        forced = False
        nbody = [b for b in nxt[2] if b[0] not in NOT_BODY]
        for k, (what, x, y, rest) in enumerate(nbody):
            if what == "image":
                m = re.match(r"([\d.]+)x([\d.]+)", rest)
                forced = bool(m) and float(m.group(2)) > max(text_h / 2, text_h - filled - 4 * 18)
                after = [b[0] for b in nbody[k + 1:] if b[0] not in ("image", "caption")]
                if not after and pi + 2 < len(pages) and pages[pi + 2][0] == chapter:
                    after = [b[0] for b in pages[pi + 2][2] if b[0] not in NOT_BODY]
                if forced and after and not HEAD.match(after[0]) and (k == 0 or nbody[k - 1][0] == "image"):
                    forced = False
                break
            if y - top > 4 * text_h / 26:  # more than about four rows of text first
                break
        if forced:
            continue
        half.append(f"page {pi + 1}: {filled / text_h:.0%} full")
    return past, half, stranded, empty_headings(pages), split_headings(pages), tables(pages)


TEXT = re.compile(r'^w=\s*[\d.]+ "((?:[^"\\]|\\.)*)"')
PHRASE_END = re.compile(r"[\s\u3000，、。：；！？,.;:!?）」』】》〉”’\)\]]$")


def split_headings(pages):
    """Headings broken inside a phrase (三結｜義) although the heading has a
    space or punctuation it could have broken at."""
    out = []
    for pi, (chapter, opening, boxes) in enumerate(pages):
        heads = []  # lines of each heading: a line with dest= starts one
        for what, x, y, rest in boxes:
            if not HEAD.match(what):
                continue
            m = TEXT.match(rest)
            t = m.group(1) if m else ""
            if " dest=" in rest or not heads:
                heads.append([t])
            else:
                heads[-1].append(t)
        for lines in heads:
            whole = "".join(lines)
            if len(lines) < 2 or not re.search(r"[\s\u3000，、：；！？,;:!?]", whole.strip()):
                continue
            for a, b in zip(lines, lines[1:]):
                if not PHRASE_END.search(a) and not b[:1].isspace():
                    out.append(f"page {pi + 1}: {a}|{b}")
    return out


def tables(pages):
    """Tables across pages: a page that opens inside a table (a body row, td,
    first) must repeat the header row (th marked furniture); a table that
    starts on a page and runs on leaves at least two body rows there."""
    out = []
    for pi, (chapter, opening, boxes) in enumerate(pages):
        if chapter is None:
            continue
        own = [b for b in boxes if b[0] not in NOT_BODY and " furniture" not in b[3]]
        if own and own[0][0] == "td" and not any(b[0] == "th" and " furniture" in b[3] for b in boxes):
            out.append(f"page {pi + 1}: a table runs on without its header row")
        nxt = pages[pi + 1] if pi + 1 < len(pages) else None
        if not own or own[-1][0] != "td" or not nxt:
            continue
        nown = [b for b in nxt[2] if b[0] not in NOT_BODY and " furniture" not in b[3]]
        if not nown or nown[0][0] != "td":
            continue  # the table ends on this page
        heads = [k for k, b in enumerate(own) if b[0] == "th"]
        if heads:  # the table starts here
            rows = {round(b[2], 1) for b in own[heads[-1] + 1:] if b[0] == "td"}
            if len(rows) < 2:
                out.append(f"page {pi + 1}: a table starts with {len(rows)} body row(s) at the foot")
    return out


def empty_headings(pages):
    """Headings with nothing of their own under them: the next body box in
    page order is a heading of the same or a higher level, or the chapter
    ends (page-foot notes and furniture do not count as the section's body)."""
    seq = []
    for pi, (chapter, opening, boxes) in enumerate(pages):
        if chapter is None:
            continue
        for b in boxes:
            if b[0] not in NOT_BODY:
                seq.append((chapter, pi, b))
    out = []
    for k, (chapter, pi, (what, x, y, rest)) in enumerate(seq):
        if not HEAD.match(what) or " dest=" not in rest:
            continue
        lvl = level_of(what)
        j = k + 1
        while j < len(seq) and ((HEAD.match(seq[j][2][0]) and " dest=" not in seq[j][2][3])
                                or seq[j][2][0] == "parallel-title"):
            j += 1  # the heading's own further lines, its parallel title
        nxt = seq[j] if j < len(seq) else None
        if nxt is None or nxt[0] != chapter or (HEAD.match(nxt[2][0]) and level_of(nxt[2][0]) <= lvl):
            out.append(f"page {pi + 1}: {rest[:50]}")
    return out


SIZED = re.compile(r"^([\d.]+)x([\d.]+)")


STROKE = re.compile(r"^w=\s*[\d.]+(?: h=\s*([\d.]+))? lw=")


def depth(boxes, rows, pitch, top):
    """How many grid rows from the text block's top the page's body reaches,
    as a reader sees it: a text line fills the row its baseline is in, a
    figure or shaded block the rows it reaches into, a rule (a table's
    bottom rule, on the foot of its last row) the row it closes; footnotes
    count as lines (they sit at the foot of the page's own block). Running
    heads and folios do not count."""
    d = 0
    for what, x, y, rest in boxes:
        if (what in NOT_BODY and what != "note") or " furniture" in rest:
            continue
        m = SIZED.match(rest)
        stroke = STROKE.match(rest)
        if what in ("image", "code-bg", "rect", "cover") and m:
            d = max(d, math.ceil((y + float(m.group(2)) - top) / pitch - 0.05))
        elif stroke:
            h = float(stroke.group(1) or 0)
            d = max(d, math.ceil((y + h - top) / pitch - 0.05))
        elif rest.startswith("w="):
            d = max(d, int((y - top) / pitch) + 1)
    return d


def body_lines(boxes):
    """The text lines of a page's body, in order (running heads, folios and
    notes aside)."""
    return [b for b in boxes if b[0] not in NOT_BODY and " furniture" not in b[3]
            and b[3].startswith("w=")]


def starts_paragraph(line):
    return " in=" in line[3] or line[0] != "p"


def bad_cut(last, first, second):
    """A page break between lines `last` and `first` (`second` follows, or
    None) leaves an orphan (a paragraph's first line alone at the foot) or a
    widow (its last line alone at the head)."""
    if first is None or first[0] != "p" or starts_paragraph(first):
        return False  # a new paragraph (or not text) starts after the break
    if last is None or last[0] != "p":
        return False
    orphan = starts_paragraph(last)
    widow = second is None or starts_paragraph(second)
    return orphan or widow


def spreads(dump):
    """Facing pages inside a chapter (a verso and the recto after it, neither
    the chapter's last page) whose bottoms are on different rows of the grid:
    (spreads counted, [(verso page, its depth, the recto's depth, forced)]),
    forced when the two differ by one row and neither break can move by that
    row: the line after the shorter page could not join it, nor the longer
    page's last line leave it, without a widow or an orphan."""
    rows, pitch, top = grid(dump)
    _, _, pages = parse(dump)
    versos = {int(m.group(1)) for m in re.finditer(r"^page (\d+) .* verso", dump, re.M)}
    uneven, n = [], 0
    for pi in range(len(pages) - 2):
        (ca, _, a), (cb, _, b), (cc, _, _) = pages[pi], pages[pi + 1], pages[pi + 2]
        if ca is None or ca != cb or cb != cc or pi + 1 not in versos:
            continue
        n += 1
        da, db = depth(a, rows, pitch, top), depth(b, rows, pitch, top)
        if da == db:
            continue
        short, long = (pi, pi + 1) if da < db else (pi + 1, pi)  # pi + 2 is in the chapter
        after_s = body_lines(pages[short + 1][2]) + [None, None]
        own_l, after_l = body_lines(pages[long][2]), body_lines(pages[long + 1][2]) + [None]
        forced = (abs(da - db) == 1 and bad_cut(*after_s[:3]) and len(own_l) >= 2 and
                  bad_cut(own_l[-2], own_l[-1], after_l[0]))
        if not forced and figure_forced(pages[short + 1][2], rows + LONG_ROWS - min(da, db), pitch, top):
            forced = "figure"
        uneven.append((pi + 1, da, db, forced))
    return n, uneven


LONG_ROWS = 1  # [pdf] spread_long_max of styles/default.ini
FIGURE_MIN_SCALE = 0.6  # [pdf] figure_min_scale


def figure_forced(nxt, room, pitch, top):
    """The page after a spread's shorter page opens with an image taller
    than the `room` rows left there even scaled down to figure_min_scale
    (with the spread run long): no pagination could have put it there, and
    the text after it could not come before it without leaving its section
    (a figure waits for the next page, blocks.c/paginate.c)."""
    body = [b for b in nxt if b[0] not in NOT_BODY and " furniture" not in b[3]]
    if not body or body[0][0] != "image" or body[0][2] - top > pitch:
        return False
    m = SIZED.match(body[0][3])
    return bool(m) and float(m.group(2)) * FIGURE_MIN_SCALE > room * pitch


def long_pages(dump):
    """Pages whose body reaches past the grid's last row (spread_long_max):
    (spreads run long, [(page, its depth, its facing page's depth)] of those
    long alone). A long page must face one ending on its row, in the same
    chapter (a compositor runs both pages of a spread long, never one)."""
    rows, pitch, top = grid(dump)
    _, _, pages = parse(dump)
    versos = {int(m.group(1)) for m in re.finditer(r"^page (\d+) .* verso", dump, re.M)}
    d = [depth(b, rows, pitch, top) if ch is not None else 0 for ch, _, b in pages]
    n, alone = 0, []
    for pi, (ch, _, _) in enumerate(pages):
        if ch is None or d[pi] <= rows:
            continue
        other = pi + 1 if pi + 1 in versos else pi - 1
        ok = 0 <= other < len(pages) and pages[other][0] == ch and d[other] == d[pi]
        if not ok:
            alone.append((pi + 1, d[pi], d[other] if 0 <= other < len(pages) else None))
        elif pi + 1 in versos:
            n += 1
    return n, alone


END_ROWS = 5  # [pdf] chapter_end_lines of styles/default.ini
HOLE_ROWS = 4  # heading_space_rows + a two-row heading's upper row + spread_fill_max (default.ini)


def holes(dump, most=HOLE_ROWS):
    """Pages (chapter openings aside) with a blank run of more than `most`
    grid rows between their body's ink: (page, rows)."""
    rows, pitch, top = grid(dump)
    _, _, pages = parse(dump)
    out = []
    for pi, (chapter, opening, boxes) in enumerate(pages):
        if chapter is None or opening:
            continue
        ink = set()
        for what, x, y, rest in boxes:
            if what in NOT_BODY or " furniture" in rest:
                continue
            m = SIZED.match(rest)
            if m and not rest.startswith("w="):  # images, shaded blocks, bands
                a = int((y - top) / pitch)
                ink.update(range(a, max(a + 1, math.ceil((y + float(m.group(2)) - top) / pitch - 0.05))))
            elif rest.startswith("w="):
                ink.add(int((y - top) / pitch))
        run = worst = 0
        for r in range(min(ink, default=0), max(ink, default=-1) + 1):
            run = run + 1 if r not in ink else 0
            worst = max(worst, run)
        if worst > most:
            out.append((pi + 1, worst))
    return out


def short_ends(dump, least=END_ROWS):
    """Chapters whose last page (not also its first) carries fewer than
    `least` rows of body."""
    rows, pitch, top = grid(dump)
    _, _, pages = parse(dump)
    out = []
    for pi, (chapter, opening, boxes) in enumerate(pages):
        if chapter is None or opening:
            continue
        nxt = pages[pi + 1][0] if pi + 1 < len(pages) else None
        if nxt == chapter:
            continue
        d = depth([b for b in boxes if b[0] != "note"], rows, pitch, top)
        if d < least:
            out.append((pi + 1, chapter, d))
    return out


def main():
    if len(sys.argv) < 4:
        print(__doc__)
        return 2
    kmbook, work, books = sys.argv[1], sys.argv[2], sys.argv[3:]
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    bad = 0
    for i, book in enumerate(books):
        pct = cap = None  # uneven spreads allowed: per cent, or a count
        only5 = False
        while True:
            m = re.match(r"(?:prose(\d*)|uneven(\d+)|(spreads)):", book)
            if not m:
                break
            if m.group(2) is not None:
                cap = int(m.group(2))
            elif m.group(3):
                only5 = True
            else:
                pct = int(m.group(1) or 1)
            book = book[m.end():]
        extra = []
        if book.startswith("vertical:"):
            book, extra = book[len("vertical:"):], ["--writing", "vertical"]
        elif book.startswith("landscape:"):
            book, extra = book[len("landscape:"):], ["--paper", "210x148mm"]
        if book.startswith("novel:"):
            book = make_novel(book[len("novel:"):], os.path.join(work, "novel"))
        pdf, dump = os.path.join(work, f"{i}.pdf"), os.path.join(work, f"{i}.txt")
        args = [kmbook, "-q", "--pdf", pdf, "--layout-dump", dump] + extra
        if book != "-":
            args[1:1] = ["--book", book]
        r = subprocess.run(args, env=env, capture_output=True, text=True)
        if r.returncode == 5:
            print(f"skip: {r.stderr.strip()}")
            return 77
        if r.returncode != 0:
            print(f"FAIL: kmbook on {book}: {r.stderr.strip()}")
            return 1
        with open(dump, encoding="utf-8") as f:
            text = f.read()
        past, half, stranded, empty, split, tab = count(text)
        n_spreads, uneven = spreads(text)
        ends = short_ends(text)
        gaps = holes(text)
        n_long, lone = long_pages(text)
        forced = [u for u in uneven if u[3] is True]
        by_figure = [u for u in uneven if u[3] == "figure"]
        held = len(uneven) - len(by_figure)  # what the per cent and ceilings hold
        name = os.path.basename(book.rstrip("/")) if book != "-" else "default book"
        name += f" ({' '.join(extra)})" if extra else ""
        print(f"{name}: figures past their section {len(past)}, half-empty pages {len(half)}, "
              f"stranded headings {len(stranded)}, empty headings {len(empty)}, "
              f"headings split inside a phrase {len(split)}, table faults {len(tab)}, "
              f"chapter-final pages under {END_ROWS} rows {len(ends)}, holes {len(gaps)}, uneven spreads "
              f"{len(uneven)} of {n_spreads} ({len(forced)} by one row at a widow or orphan, "
              f"{len(by_figure)} forced by a figure taller than the room), "
              f"spreads run a row long {n_long}, pages long alone {len(lone)}"
              f"{'' if pct or cap is not None else ' [not asserted]'}"
              f"{' [only spreads and chapter ends asserted]' if only5 else ''}")
        for what, lst in (("past its section", past), ("half-empty", half),
                          ("stranded heading", stranded), ("empty heading", empty),
                          ("heading split", split), ("table", tab)):
            for x in lst:
                print(f"  {what}: {x}")
        for p, ch, d in ends:
            print(f"  short chapter end: page {p} ({ch}) carries {d} rows")
        for p, r in gaps:
            print(f"  hole: page {p} has {r} blank rows between its lines")
        for p, d, o in lone:
            print(f"  long page alone: page {p} ends on row {d}, its facing page on {o}")
        for p, da, db, f in uneven:
            print(f"  uneven spread: pages {p}-{p + 1} end on rows {da} and {db}"
                  f"{' (widow/orphan)' if f is True else ' (forced by a figure)' if f else ''}")
        if not only5:
            bad += len(past) + len(half) + len(stranded) + len(empty) + len(split) + len(tab)
        bad += len(ends) + len(gaps) + len(lone)
        # prose: at most pct % of the spreads (rounded down) uneven
        if pct and held > n_spreads * pct // 100:
            print(f"FAIL: {name}: {held} uneven spreads of {n_spreads} (at most "
                  f"{n_spreads * pct // 100}, {pct} %)")
            bad += 1
        if cap is not None and held > cap:
            print(f"FAIL: {name}: {held} uneven spreads of {n_spreads} (at most {cap})")
            bad += 1
    return 1 if bad else 0


def make_novel(corpus, out):
    """A long prose book (for the spread counts of a novel, issue 13): the
    paragraphs of the corpus book's chapters dealt into 30 chapters of
    different lengths, so that chapters end at every depth of a page."""
    import glob
    paras = []
    for f in sorted(glob.glob(os.path.join(corpus, "*.txt"))):
        with open(f, encoding="utf-8") as fh:
            paras += [p for p in fh.read().split("\n\n") if p.strip()]
    os.makedirs(out, exist_ok=True)
    lang = re.search(r"^language:.*$", open(os.path.join(corpus, "book.yaml"), encoding="utf-8").read(), re.M)
    chapters = []
    for k in range(30):
        n, start = 60 + (k * 37) % 90, (k * 53) % len(paras)
        with open(os.path.join(out, f"ch{k + 1:02d}.txt"), "w", encoding="utf-8") as fh:
            fh.write("\n\n".join(paras[(start + j) % len(paras)] for j in range(n)) + "\n")
        chapters.append(f"  - {{file: ch{k + 1:02d}.txt, title: 第{k + 1}回}}")
    with open(os.path.join(out, "book.yaml"), "w", encoding="utf-8") as fh:
        fh.write("title: 長篇\nauthor: 測試\n" + (lang.group(0) + "\n" if lang else "") +
                 "chapters:\n" + "\n".join(chapters) + "\n")
    return out


if __name__ == "__main__":
    sys.exit(main())
