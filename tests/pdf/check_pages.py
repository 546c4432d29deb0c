#!/usr/bin/env python3
"""Page-building faults of issue 13, counted on the page model (--layout-dump).

Usage: check_pages.py KMBOOK WORKDIR BOOK...   (BOOK: a folder or a .md file)

For each book, builds the PDF with --layout-dump and counts, reading only the
dump (not what the layout code thinks it did):

  figures past their section  an image whose source heading (under=hN:dest) is
                              followed, before the image, by a heading of
                              level <= N (or the image is in another chapter)
  half-empty pages            a body page that is not its chapter's last page,
                              filled less than half (text, figures, tables;
                              not notes), unless the next page opens with a
                              figure (under at most a few rows kept with it)
                              taller than half a page and than the room left
  stranded headings           a heading that is the last text on its page
                              (notes at the foot aside)
  empty headings              a heading with nothing under it before the next
                              heading of its level or the chapter's end
  headings split in a phrase  a heading line ending inside a phrase (三結|義)
                              where a space or punctuation offered a break
  table faults                a page opening inside a table without its header
                              row repeated; a table starting at a page foot
                              with fewer than two body rows

Prints the counts; fails if any is not 0. Exit 77 if the fonts are missing.
"""
import os
import re
import subprocess
import sys

BOX = re.compile(r"^  (\S+)\s+(-?[\d.]+)\s+(-?[\d.]+)\s+(.*)$")
HEAD = re.compile(r"^(h[1-6]|chapter-title)$")
NOT_BODY = {"note", "note-rule", "head", "folio", "head-rule"}


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
            elif what == "image":
                u = re.search(r" under=h(\d):(\S*)", rest)
                if not u:
                    continue
                lvl, dest = int(u.group(1)), u.group(2)
                idx = [k for k, h in enumerate(seen) if h[2] == dest]
                if not idx:
                    past.append(f"page {pi + 1}: {rest.split()[1]} before its heading {dest}")
                    continue
                own = seen[idx[-1]]
                later = [h for h in seen[idx[-1] + 1:] if h[1] <= lvl or h[0] != own[0]]
                if own[0] != chapter or later:
                    past.append(f"page {pi + 1}: {rest.split()[1]} (under {dest}) after "
                                f"{later[0][2] if later else 'its chapter'}")
        body = [b for b in boxes if b[0] not in NOT_BODY]
        # stranded: the last text line of the page is a heading
        texts = [b for b in body if b[0] not in ("image", "rule", "code-bg", "quote-bar", "rect")]
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
        forced = False
        for what, x, y, rest in [b for b in nxt[2] if b[0] not in NOT_BODY]:
            if what == "image":
                m = re.match(r"([\d.]+)x([\d.]+)", rest)
                forced = bool(m) and float(m.group(2)) > max(text_h / 2, text_h - filled - 4 * 18)
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
        while j < len(seq) and HEAD.match(seq[j][2][0]) and " dest=" not in seq[j][2][3]:
            j += 1  # the heading's own further lines
        nxt = seq[j] if j < len(seq) else None
        if nxt is None or nxt[0] != chapter or (HEAD.match(nxt[2][0]) and level_of(nxt[2][0]) <= lvl):
            out.append(f"page {pi + 1}: {rest[:50]}")
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
        pdf, dump = os.path.join(work, f"{i}.pdf"), os.path.join(work, f"{i}.txt")
        args = [kmbook, "-q", "--pdf", pdf, "--layout-dump", dump]
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
            past, half, stranded, empty, split, tab = count(f.read())
        name = os.path.basename(book.rstrip("/")) if book != "-" else "default book"
        print(f"{name}: figures past their section {len(past)}, half-empty pages {len(half)}, "
              f"stranded headings {len(stranded)}, empty headings {len(empty)}, "
              f"headings split inside a phrase {len(split)}, table faults {len(tab)}")
        for what, lst in (("past its section", past), ("half-empty", half),
                          ("stranded heading", stranded), ("empty heading", empty),
                          ("heading split", split), ("table", tab)):
            for x in lst:
                print(f"  {what}: {x}")
        bad += len(past) + len(half) + len(stranded) + len(empty) + len(split) + len(tab)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
