#!/usr/bin/python3
"""Corpus test: one real manuscript built as its users would build it.

    check_corpus.py KMBOOK WORKDIR NAME BOOK

BOOK is a book folder (book.yaml) or a single .md file. Builds the EPUB and
the PDF in one run with SOURCE_DATE_EPOCH fixed, then checks, each by name:

  build       exit status 0, both files written
  reproducible  a second build gives byte-identical EPUB and PDF
  epubcheck   EPUBCheck 0 errors / 0 warnings (tests/epub/epubcheck.sh file …)
  pdf-text    every non-space character of the manuscript's body text is in
              the PDF's text layer, in order (footnotes, figure captions and
              short tables float: each is checked whole, anywhere)
  epub-text   the same in the EPUB's XHTML, in spine order
  language    a Japanese or Korean text is labelled ja / ko in the EPUB
  tofu        no "no glyph … prints as a box" warning (every script prints)
  titles      no file name as the book's title or a chapter's in the EPUB
  indents     no PDF line starts with U+3000 (a manuscript's own indent must be
              replaced by the style's indent, not added to it)
  literal     no MkDocs admonition (!!! / ??? / ???+) or pandoc fenced div
              (:::) syntax left literal: not at the start of a PDF text line,
              no `:::` fence inside a PDF line, not at a line start in an
              EPUB paragraph, list item or cell, and no kmbook warning that
              such syntax was left as text
  ko-words    (Korean) no PDF line breaks inside a word: Korean breaks at spaces
  verse       lines joined by hard breaks start at the same x in the PDF
              (no first-line indent staircase)
  letter-spacing  no PDF line but a paragraph's last is letter-spaced (issue
              13): the median extra space between neighbours of one kind —
              two Han characters, or two Latin letters or digits of one font —
              at most 0.1 em, read from the glyph boxes (code blocks aside)

A check that fails because of a known kmbook fault is listed in
tests/corpus/expected-failures.txt ("book: check: reason (issue N)"); it is
reported as XFAIL. A listed check that passes fails the test, so that the line
is cut when the fault is fixed. Exit 0 pass, 1 fail, 77 skipped (a tool is
missing: EPUBCheck, or PyMuPDF in /usr/bin/python3; the message names it).
"""
import os
import re
import subprocess
import sys
import zipfile
from xml.etree import ElementTree

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "typocheck"))
EPUBCHECK_SH = os.path.join(ROOT, "tests", "epub", "epubcheck.sh")
EPOCH = "1704153600"  # 2024-01-02T00:00:00Z
WS = re.compile(r"\s+")


def expected_failures(name):
    out = {}
    with open(os.path.join(HERE, "expected-failures.txt"), encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            book, check, reason = [p.strip() for p in line.split(":", 2)]
            if book == name:
                out[check] = reason
    return out


# ---- the manuscript -------------------------------------------------------

def chapters_of(book):
    """[(path, text)] in reading order; front matter removed."""
    if os.path.isdir(book):
        try:
            import yaml
        except ImportError:
            print("SKIPPED: PyYAML not found in /usr/bin/python3 — install the Debian package python3-yaml")
            sys.exit(77)

        meta = yaml.safe_load(open(os.path.join(book, "book.yaml"), encoding="utf-8"))
        paths = [os.path.join(book, c if isinstance(c, str) else c["file"]) for c in meta["chapters"]]
    else:
        paths = [book]
    out = []
    for p in paths:
        t = open(p, encoding="utf-8").read()
        # YAML front matter (closed by --- or, as pandoc allows, by ...)
        t = re.sub(r"\A---\n.*?\n(---|\.\.\.)[ \t]*\n", "", t, count=1, flags=re.S)
        out.append((p, t))
    return out


def titles_given(book):
    """Titles the manuscript gives its chapters: book.yaml {file, title}
    entries and each chapter's front matter `title:`."""
    paths, out = [book], set()
    if os.path.isdir(book):
        import yaml
        meta = yaml.safe_load(open(os.path.join(book, "book.yaml"), encoding="utf-8"))
        paths = []
        for c in meta["chapters"]:
            if isinstance(c, dict) and c.get("title"):
                out.add(str(c["title"]))
            paths.append(os.path.join(book, c if isinstance(c, str) else c["file"]))
    for p in paths:
        m = re.match(r"\A---\n(.*?)\n(---|\.\.\.)[ \t]*\n", open(p, encoding="utf-8").read(), re.S)
        t = m and re.search(r"^title:[ \t]*(.+?)[ \t]*$", m.group(1), re.M)
        if t:
            out.add(t.group(1).strip("'\""))
    return out


LANG_ATTR = r"\{[^}\n]*(?:\.[A-Za-z]{2}(?:-[A-Za-z0-9]+)*(?=[\s}])|lang=)[^}\n]*\}"
PAIR = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]+" + LANG_ATTR + r"[ \t]*\n(?:[ \t]*\n)*"
                  r"(\1[ \t]+.+?[ \t]+" + LANG_ATTR + r"[ \t]*)$", re.M)


def body_text(t):
    """(main text, [floating texts]) of one Markdown chapter, Markdown syntax
    removed, whitespace removed. Removing too much only weakens the check;
    removing too little would blame kmbook for Markdown it rightly hides."""
    floats = []
    # A bilingual heading pair (`# Hello World {.en}` then `# 你好，世界 {.zh}`)
    # is one heading whose title in the book's language comes first
    # (read/parallel.c): the pair's first heading floats.
    floats += [m.group(2) for m in PAIR.finditer(t)]
    t = PAIR.sub(r"\3", t)
    t = re.sub(r"^\s*(`{3,}|~{3,}).*$", "", t, flags=re.M)  # code fences
    t = re.sub(r"<!--.*?-->", "", t, flags=re.S)
    t = re.sub(r"^ {0,3}\[[^\]^]+\]:\s*\S+.*$", "", t, flags=re.M)  # link reference definitions
    t = re.sub(r"<(style|script)\b.*?</\1>", "", t, flags=re.S | re.I)
    floats += re.findall(r"^\[\^[^\]]+\]:\s*(.*)$", t, flags=re.M)
    t = re.sub(r"^\[\^[^\]]+\]:.*$", "", t, flags=re.M)
    t = re.sub(r"\[\^[^\]]+\]", "", t)  # footnote marks
    floats += re.findall(r"!\[([^\]]*)\]\([^)]*\)", t)  # figures float
    t = re.sub(r"!\[([^\]]*)\]\([^)]*\)", "", t)
    t = short_tables(t, floats)
    t = re.sub(r"^[ \t]*(?:!!!|\?\?\?\+?).*$", block_title, t, flags=re.M)  # admonitions: the title
    t = re.sub(r"^[ \t]*:{3,}.*$", block_title, t, flags=re.M)  # fenced divs: the title attribute
    t = inline(t)
    t = re.sub(r"\{[.#][^}]*\}\s*$", "", t, flags=re.M)  # pandoc attributes
    while True:  # block markers, nested ones too ("> ##### title")
        u = re.sub(r"^(\s*)(#+|>|[-*+]|\d+[.)])([ \t]|$)", r"\1", t, flags=re.M)
        if u == t:
            break
        t = u
    t = re.sub(r"^\s*\|?[-:| ]+\|?\s*$", "", t, flags=re.M)  # table rules
    t = re.sub(r"^(---|\*\*\*|\* \* \*)\s*$", "", t, flags=re.M)
    for s in ("|", "*", "_", "~~", "`", "\\"):
        t = t.replace(s, "")
    t = t.replace("&nbsp;", "").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    return WS.sub("", t), [WS.sub("", inline(f)) for f in floats if f.strip()]


TABLE_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def short_tables(t, floats):
    """GFM tables of up to 6 rows ([pdf] table_keep_rows) float like figures
    in the PDF: each goes to floats (checked whole, anywhere) and leaves t."""
    lines, out, k = t.split("\n"), [], 0
    while k < len(lines):
        if "|" in lines[k] and k + 1 < len(lines) and TABLE_RULE.match(lines[k + 1]):
            end = k + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            if end - k - 1 <= 6:
                floats.append("".join(lines[k:k + 1] + lines[k + 2:end]).replace("|", ""))
                k = end
                continue
        out.append(lines[k])
        k += 1
    return "\n".join(out)


def block_title(m):
    """An admonition or fenced-div line is markup; only its title is text."""
    line = m.group(0)
    q = re.search(r"""title=(["'])(.*?)\1""", line) if line.lstrip().startswith(":") else \
        re.search(r"""\s(["'])(.*)\1\s*$""", line)
    return q.group(2) if q else ""


LITERAL = re.compile(r"\s*(!!!|\?\?\?\+?|:::)")


def epub_literal_lines(epub):
    """Lines of EPUB paragraphs, list items and cells (code excluded) that
    start with admonition or fenced-div syntax."""
    x = "{http://www.w3.org/1999/xhtml}"
    out = []
    with zipfile.ZipFile(epub) as z:
        for n in z.namelist():
            if not n.endswith(".xhtml"):
                continue
            doc = ElementTree.fromstring(z.read(n))
            for el in doc.iter():
                if el.tag not in (x + "p", x + "li", x + "td", x + "th"):
                    continue
                text = "".join(t for c in [el] for t in c.itertext())
                out += [(os.path.basename(n), ln.strip()[:30]) for ln in text.split("\n") if LITERAL.match(ln)]
    return out


def inline(t):
    """Links keep their text (inline and reference style); marks go."""
    t = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", t)
    t = re.sub(r"\[([^\]]*)\]\[[^\]]*\]", r"\1", t)
    t = re.sub(r"<(https?://[^>]+)>", r"\1", t)  # autolinks keep the URL
    t = re.sub(r"<rt>.*?</rt>|<rp>.*?</rp>", "", t)  # ruby annotations
    t = re.sub(r"</?[A-Za-z][^>]*>", "", t)  # raw HTML tags
    for s in ("*", "_", "`", "\\"):
        t = t.replace(s, "")
    return t


def missing_in_order(chapters, text):
    """Pieces of the manuscript's body text not found, in order, in text:
    the manuscript and the book's text are aligned (difflib's longest
    matching blocks, which keep the order), so one lost character is reported
    as itself and does not shift the rest. Footnotes and captions float:
    each must be found whole (its characters close together) anywhere."""
    import difflib

    bodies, floats, names = [], [], []
    for path, src in chapters:
        body, fl = body_text(src)
        bodies.append(body)
        names += [os.path.basename(path)] * len(body)
        floats += [(os.path.basename(path), f) for f in fl]
    body = "".join(bodies)
    sm = difflib.SequenceMatcher(None, body, text, autojunk=False)
    missing, i = [], 0
    for blk in sm.get_matching_blocks():
        if blk.a > i:
            missing.append((names[i], body[max(0, i - 8):i], body[i:blk.a][:30]))
        i = blk.a + blk.size
    lost = sum(len(m[2]) for m in missing)
    for name, f in floats:
        if not somewhere(f, text):
            missing.append((name, "(caption or footnote)", f[:30]))
            lost += len(f)
    return lost, missing


def is_hangul(c):
    return bool(c) and 0xAC00 <= ord(c) <= 0xD7A3


def script_of(text):
    """'ja' when kana are common, 'ko' when Hangul is, else None (Chinese
    or Latin: Traditional versus Simplified is not judged here)."""
    kana = sum(1 for c in text if 0x3040 <= ord(c) <= 0x30FF)
    hangul = sum(1 for c in text if is_hangul(c))
    letters = sum(1 for c in text if c.isalpha()) or 1
    if kana > 0.1 * letters:
        return "ja"
    if hangul > 0.3 * letters:
        return "ko"
    return None


def somewhere(f, text):
    """f's characters, in order and close together, somewhere in text."""
    start = text.find(f[0])
    while start >= 0:
        k, ok = start, True
        for c in f[1:]:
            k = text.find(c, k + 1, k + 1 + 40)
            if k < 0:
                ok = False
                break
        if ok:
            return True
        start = text.find(f[0], start + 1)
    return False


def verse_paragraphs(chapters):
    """[[line, line, …]] of paragraphs joined by hard breaks (\\ or two spaces)."""
    out = []
    for _, src in chapters:
        for para in re.split(r"\n\s*\n", src):
            lines = para.split("\n")
            if len(lines) >= 2 and all(re.search(r"(\\|  )$", ln) for ln in lines[:-1]):
                out.append([WS.sub("", body_text(ln)[0]) for ln in lines])
    return out


# ---- the books ------------------------------------------------------------

def pdf_lines(pdf):
    import fitz

    doc = fitz.open(pdf)
    out = []
    for pno, page in enumerate(doc, 1):
        # rawdict, not dict: PyMuPDF 1.21's "dict" text turns a backslash-U
        # in the text ("C:\\Users") into U+FFFD; the characters are right
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                s = "".join(c["c"] for span in line["spans"] for c in span["chars"])
                if s.strip():
                    out.append((pno, line["bbox"][0], s))
    return out


def pdf_prose_lines(pdf):
    """(page, text) of PDF lines not set in a monospace font: code may show
    admonition syntax on purpose (a MkDocs manual), prose may not."""
    import fitz

    out = []
    for pno, page in enumerate(fitz.open(pdf), 1):
        for block in page.get_text("rawdict")["blocks"]:
            for line in block.get("lines", []):
                spans = line["spans"]
                if spans and all("Mono" in sp["font"] or sp["flags"] & 8 for sp in spans):
                    continue
                out.append((pno, "".join(c["c"] for sp in spans for c in sp["chars"])))
    return out


LETTER_SPACED_EM = 0.1  # issue 13: "> 0.1 em extra between characters"


def letter_spaced_lines(pdf):
    """(page, extra em, text) of the lines, not a paragraph's last, whose
    neighbours of one kind (Han–Han, or Latin letters and digits of one font
    and size) stand more than LETTER_SPACED_EM apart (median, 3 pairs at
    least); lines all in a monospaced face (code blocks) aside."""
    import statistics
    import typocheck

    book = typocheck.Book(pdf)
    last = {id(p[-1]) for p in book.paragraphs()}
    out = []
    for ln in book.lines:
        ink = ln.ink
        if id(ln) in last or ln.kind in ("code", "running") or all(typocheck.MONO.search(g.font) for g in ink):
            continue
        extra = [(b.x0 - a.x1) / a.size for a, b in zip(ink, ink[1:])
                 if abs(a.size - b.size) < 0.1 and
                 ((typocheck.is_han(a.c) and typocheck.is_han(b.c)) or
                  (a.c.isascii() and b.c.isascii() and a.c.isalnum() and b.c.isalnum() and a.font == b.font))]
        if len(extra) >= 3 and statistics.median(extra) > LETTER_SPACED_EM:
            out.append((ln.page + 1, round(statistics.median(extra), 2), ln.text.strip()[:30]))
    return out


def epub_texts(epub):
    """(spine text, [dc:title, nav labels…], dc:language)."""
    ns = {"opf": "http://www.idpf.org/2007/opf", "x": "http://www.w3.org/1999/xhtml"}
    with zipfile.ZipFile(epub) as z:
        cont = ElementTree.fromstring(z.read("META-INF/container.xml"))
        opf_path = cont.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile").get("full-path")
        base = os.path.dirname(opf_path)
        opf = ElementTree.fromstring(z.read(opf_path))
        items = {i.get("id"): i for i in opf.find("opf:manifest", ns)}
        text = []
        for ref in opf.find("opf:spine", ns):
            href = items[ref.get("idref")].get("href")
            doc = ElementTree.fromstring(z.read(os.path.join(base, href).replace(os.sep, "/")))
            body = doc.find("x:body", ns)
            text.append("".join(body.itertext()))
        nav_item = [i for i in items.values() if "nav" in (i.get("properties") or "").split()][0]
        nav = ElementTree.fromstring(z.read(os.path.join(base, nav_item.get("href")).replace(os.sep, "/")))
        labels = ["".join(a.itertext()).strip() for a in nav.iter("{%s}a" % ns["x"])]
        lang = opf.find(".//{http://purl.org/dc/elements/1.1/}language").text
        title = opf.find(".//{http://purl.org/dc/elements/1.1/}title").text or ""
    return WS.sub("", "".join(text)), [title] + labels, lang


# ---- the checks -----------------------------------------------------------

def main():
    kmbook, work, name, book = sys.argv[1:5]
    os.makedirs(work, exist_ok=True)
    epub, pdf = os.path.join(work, name + ".epub"), os.path.join(work, name + ".pdf")
    for f in (epub, pdf):
        if os.path.exists(f):
            os.remove(f)
    xfail = expected_failures(name)
    results = {}  # check -> None (pass) or message
    skips = []

    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, LC_ALL="C.UTF-8")
    r = subprocess.run([kmbook, "--book", book, "--epub", epub, "--pdf", pdf],
                       env=env, capture_output=True, text=True)
    warnings = [ln for ln in r.stderr.splitlines() if ln]
    for ln in warnings:
        print("  kmbook: " + ln.split("kmbook: ", 1)[-1])
    ok = r.returncode == 0 and os.path.exists(epub) and os.path.exists(pdf)
    results["build"] = None if ok else "kmbook exit %d, epub %s, pdf %s" % (
        r.returncode, os.path.exists(epub), os.path.exists(pdf))
    if not ok:
        return report(name, results, xfail, skips)

    # the same manuscript and SOURCE_DATE_EPOCH give the same bytes
    epub2, pdf2 = os.path.join(work, name + "-again.epub"), os.path.join(work, name + "-again.pdf")
    subprocess.run([kmbook, "--quiet", "--book", book, "--epub", epub2, "--pdf", pdf2],
                   env=env, capture_output=True)
    same = [f for f, g in ((epub, epub2), (pdf, pdf2))
            if os.path.exists(g) and open(f, "rb").read() == open(g, "rb").read()]
    results["reproducible"] = None if len(same) == 2 else "a second build differs: %s" % sorted(
        {epub, pdf} - set(same))

    chapters = chapters_of(book)

    # EPUBCheck is most of this test's time; a JVM that stops at the first
    # JIT tier starts in less than half the CPU time (3.4 s instead of 8.5 s)
    jenv = dict(os.environ)
    jenv.setdefault("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
    e = subprocess.run(["sh", EPUBCHECK_SH, "file", epub], capture_output=True, text=True, env=jenv)
    if e.returncode == 77:
        skips.append(e.stdout.strip() or "EPUBCheck not found")
    else:
        bad = [ln for ln in e.stdout.splitlines() if re.match(r"(FATAL|ERROR|WARNING|USAGE)", ln)]
        results["epubcheck"] = None if e.returncode == 0 else "; ".join(bad[:5]) or e.stdout[-400:]

    etext, labels, lang = epub_texts(epub)
    lost, miss = missing_in_order(chapters, etext)
    results["epub-text"] = None if not miss else "%d characters not found in order (after, missing): %r" % (lost, miss[:6])
    stems = {os.path.basename(p) for p, _ in chapters} | {os.path.splitext(os.path.basename(p))[0] for p, _ in chapters}
    # a file named after its title (秋夜.md, title: 秋夜) is titled rightly
    stems -= titles_given(book)
    named = [lb for lb in labels if lb in stems or re.search(r"\.(md|txt|markdown)$", lb)]
    results["titles"] = None if not named else "file names as titles (book title, navigation): %r" % named[:6]

    script = script_of("".join(body_text(src)[0] for _, src in chapters))
    if script:
        results["language"] = None if lang.split("-")[0] == script else \
            "the text is %s, the EPUB says dc:language %s" % (script, lang)

    tofu = [w for w in warnings if "no glyph" in w]
    results["tofu"] = None if not tofu else "%d characters print as boxes, first: %s" % (
        len(tofu), tofu[0].split("warning: ", 1)[-1])

    try:
        import fitz  # noqa: F401
    except ImportError:
        skips.append("PyMuPDF (python3-fitz) not found in /usr/bin/python3 — install the Debian package python3-fitz")
        return report(name, results, xfail, skips)

    lines = pdf_lines(pdf)
    ptext = WS.sub("", "".join(s for _, _, s in lines))
    lost, miss = missing_in_order(chapters, ptext)
    results["pdf-text"] = None if not miss else "%d characters not found in order (after, missing): %r" % (lost, miss[:6])

    ind = [(p, s[:16]) for p, _, s in lines if s.startswith("\u3000")]
    results["indents"] = None if not ind else "%d PDF lines start with U+3000, first %r" % (len(ind), ind[:3])

    lit = [(p, s[:30]) for p, s in pdf_prose_lines(pdf)
           if LITERAL.match(s) or re.search(r"(^|\s):::+(\s|\{|$)", s)]
    lit += epub_literal_lines(epub)
    lit += [w.split("warning: ", 1)[-1][:60] for w in warnings if "is left as text" in w]
    results["literal"] = None if not lit else "%d lines of literal block syntax, first %r" % (len(lit), lit[:3])

    if script == "ko":
        # Korean breaks at spaces: a line that ends and the next that starts
        # with a Hangul syllable, with no space between, has cut a word
        # in two (the two halves are one word in the manuscript)
        raw = "".join(src for _, src in chapters)
        cut = []
        for (p, _, a), (_, _, b) in zip(lines, lines[1:]):
            end = re.search(r"[\uac00-\ud7a3]+$", a)
            start = re.match(r"[\uac00-\ud7a3]+", b)
            if end and start and end.group() + start.group() in raw:
                cut.append((p, end.group() + "/" + start.group()))
        results["ko-words"] = None if not cut else "%d lines break inside a Korean word, first %r" % (
            len(cut), cut[:3])

    spaced = letter_spaced_lines(pdf)
    results["letter-spacing"] = None if not spaced else "%d lines letter-spaced (> %.1f em between characters), first %r" % (
        len(spaced), LETTER_SPACED_EM, spaced[:3])

    verses = verse_paragraphs(chapters)
    if verses:
        stairs = []
        for v in verses:
            xs = []
            for ln in v[:2]:
                key = ln[:6]
                hit = [x for _, x, s in lines if key and WS.sub("", s).startswith(key)]
                if hit:
                    xs.append(hit[0])
            if len(xs) == 2 and abs(xs[0] - xs[1]) > 1.0:
                stairs.append((v[0][:12], round(xs[0] - xs[1], 1)))
        results["verse"] = None if not stairs else "%d of %d verse paragraphs start their first line %s pt right of the second (staircase), first %r" % (
            len(stairs), len(verses), stairs[0][1], stairs[:3])
    return report(name, results, xfail, skips)


def report(name, results, xfail, skips):
    failed = False
    for check, msg in results.items():
        if msg is None and check in xfail:
            print("FAIL %s: %s: passes but is listed as an expected failure (%s) — cut its line from "
                  "tests/corpus/expected-failures.txt" % (name, check, xfail[check]))
            failed = True
        elif msg is None:
            print("ok   %s: %s" % (name, check))
        elif check in xfail:
            print("XFAIL %s: %s: %s — %s" % (name, check, xfail[check], msg))
        else:
            print("FAIL %s: %s: %s" % (name, check, msg))
            failed = True
    for check in xfail:
        if check not in results:
            print("note %s: %s: listed as expected failure but not run" % (name, check))
    if failed:
        return 1
    if skips:
        print("SKIPPED: " + "; ".join(skips))
        return 77
    return 0


if __name__ == "__main__":
    sys.exit(main())
