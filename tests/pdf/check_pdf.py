#!/usr/bin/python3
"""PDF writer tests (run by ctest; needs /usr/bin/python3 with PyMuPDF).

    check_pdf.py KMBOOK WORKDIR CHECK [--update]

Builds the test book (tests/pdf/book) and checks one thing per CHECK:
  info         pdfinfo: pages, A5 size, title, tagged; --paper b5 size
  fonts        pdffonts: every font embedded and subset
  structure    outline, named destinations, links (contents, footnotes both
               ways, cross-references, external), page labels, /Lang, metadata
               dates from SOURCE_DATE_EPOCH, JPEG passed through, SVG as vectors
  text         every character of the manuscript extractable, in order
  layout       the layout dump equals tests/pdf/expected/layout.txt (--update rewrites it;
               or: cmake --build BUILD --target pdf-golden-update). It changes with
               the paragraph breaker too: regenerate and review the diff.
  determinism  two builds with the same SOURCE_DATE_EPOCH are byte-identical
  qpdf         qpdf --check accepts the file (the /Lang incremental update)
  deep         deep quotes and lists, an 80-column table: no text lost
  warnings     a character no font has is a warning naming file and line; --strict fails
  default      the default book through the project's typography checker
               (tests/typocheck/typocheck.py): every rule, running heads and folios
  default.shared  the same through cjk-pdf-check, a second opinion outside the
               project (ctest: second-opinion.default-book; KMB_CJK_PDF_CHECK;
               skipped when absent)
Exit 0 pass, 1 fail, 77 skipped (with a message).
"""
import os
import re
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BOOK = os.path.join(HERE, "book")
EPOCH = "1704153600"  # 2024-01-02T00:00:00Z
SKIP = 77


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def skip(msg):
    print("SKIPPED: " + msg)
    sys.exit(SKIP)


def build(kmbook, work, name, book=BOOK, extra=(), dump=None):
    os.makedirs(work, exist_ok=True)
    out = os.path.join(work, name)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH, LC_ALL="C.UTF-8")
    cmd = [kmbook, "--quiet", "--book", book, "--pdf", out] + list(extra)
    if dump:
        cmd += ["--layout-dump", dump]
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        fail("kmbook failed (%d): %s %s" % (r.returncode, r.stdout, r.stderr))
    return out


def need(prog):
    p = shutil.which(prog)
    if not p:
        skip("%s is not installed (Debian package poppler-utils / qpdf)" % prog)
    return p


def need_fitz():
    try:
        import fitz
    except ImportError:
        skip("PyMuPDF is not installed for /usr/bin/python3 (Debian package python3-fitz)")
    return fitz


def run(cmd):
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def chapters_of(book):
    text = open(os.path.join(book, "book.yaml"), encoding="utf-8").read()
    part = text.split("chapters:", 1)[1]
    return [m.group(1).strip() for m in re.finditer(r"^\s*-\s*(\S+\.md)\s*$", part, re.M)]


def check_info(kmbook, work):
    need("pdfinfo")
    pdf = build(kmbook, work, "info.pdf")
    info = run(["pdfinfo", pdf])
    fields = dict(
        (k.strip(), v.strip()) for k, v in (l.split(":", 1) for l in info.splitlines() if ":" in l)
    )
    if fields.get("Title") != "排版测试书":
        fail("title %r" % fields.get("Title"))
    if fields.get("Tagged") != "yes":
        fail("not tagged: %r" % fields.get("Tagged"))
    if not fields.get("Page size", "").startswith("419.528 x 595.276"):
        fail("page size %r (A5 is 419.528 x 595.276)" % fields.get("Page size"))
    if fields.get("Creator", "").split(" ")[0] != "kmbook":
        fail("creator %r" % fields.get("Creator"))
    if fields.get("Author") != "测试作者":
        fail("author %r" % fields.get("Author"))
    if "测试" not in fields.get("Keywords", ""):
        fail("keywords %r" % fields.get("Keywords"))
    pages = int(fields.get("Pages", "0"))
    if pages < 12:
        fail("only %d pages" % pages)
    b5 = build(kmbook, work, "b5.pdf", extra=["--paper", "b5"])
    size = dict(l.split(":", 1) for l in run(["pdfinfo", b5]).splitlines() if ":" in l)["Page size"]
    if not size.strip().startswith("498.898 x 708.661"):
        fail("b5 page size %r" % size)
    if not fields.get("CreationDate", "").startswith("Tue Jan  2 00:00:00 2024"):
        fail("creation date %r (SOURCE_DATE_EPOCH=%s)" % (fields.get("CreationDate"), EPOCH))
    print("pdfinfo: %d pages, A5, title, author, keywords, creator, tagged; B5 size ok" % pages)


def check_fonts(kmbook, work):
    need("pdffonts")
    pdf = build(kmbook, work, "fonts.pdf")
    lines = run(["pdffonts", pdf]).splitlines()[2:]
    if not lines:
        fail("no fonts")
    for l in lines:
        cols = l.split()
        emb, sub = cols[-5], cols[-4]
        if emb != "yes" or sub != "yes":
            fail("font not embedded+subset: " + l)
        if not re.match(r"^[A-Z]{6}\+Noto(Serif|Sans|SansMono)CJK", cols[0]):
            fail("unexpected font " + cols[0])
    # The SVG figure's text is set from the book's own (pre-subset) faces: a
    # face embedded twice means librsvg took fonts from elsewhere (the system).
    faces = [l.split()[0].split("+", 1)[-1] for l in lines]
    dup = sorted({f for f in faces if faces.count(f) > 1})
    if dup:
        fail("faces embedded twice (fonts from outside the book's font map?): %s" % dup)
    print("pdffonts: %d fonts, all embedded and subset" % len(lines))


def check_structure(kmbook, work):
    fitz = need_fitz()
    pdf = build(kmbook, work, "structure.pdf")
    doc = fitz.open(pdf)
    # metadata and dates from SOURCE_DATE_EPOCH
    md = doc.metadata
    if not md["creationDate"].startswith("D:20240102000000"):
        fail("creation date %r" % md["creationDate"])
    if md["modDate"] != md["creationDate"]:
        fail("mod date %r" % md["modDate"])
    if md["subject"] != "kmbook 的 PDF 测试":
        fail("subject %r" % md["subject"])
    # /Lang in the catalog (incremental update)
    cat = doc.xref_object(doc.pdf_catalog())
    if "/Lang (zh-CN)" not in cat and "/Lang(zh-CN)" not in cat:
        fail("no /Lang zh-CN in catalog: " + cat)
    if "/StructTreeRoot" not in cat or "/MarkInfo" not in cat:
        fail("catalog lost cairo's structure: " + cat)
    # page labels: i, ii, ... then 1 from the first chapter
    labels = [p.get_label() for p in doc]
    if labels[:3] != ["i", "ii", "iii"]:
        fail("front labels %r" % labels[:6])
    first_body = labels.index("1")
    if first_body % 2 != 0:
        fail("chapter 1 is not on a recto (physical page %d)" % (first_body + 1))
    if labels[first_body:] != [str(i + 1) for i in range(len(labels) - first_body)]:
        fail("body labels %r" % labels[first_body:])
    # outline: the contents, every chapter, every heading below
    toc = doc.get_toc(simple=False)
    titles = [t[1] for t in toc]
    for want in ["目录", "正文与注释", "链接", "第三级标题", "块元素", "列表", "引文", "代码", "表格", "插图"]:
        if want not in titles:
            fail("outline lacks %r: %r" % (want, titles))
    levels = dict((t[1], t[0]) for t in toc)
    if levels["正文与注释"] != 1 or levels["链接"] != 2 or levels["第三级标题"] != 3:
        fail("outline levels %r" % levels)
    for t in toc:
        if t[2] < 1:
            fail("outline entry %r points nowhere" % (t[1],))
    chap_page = dict((t[1], t[2]) for t in toc)
    # chapter-opening pages carry the title
    for ch in ["正文与注释", "块元素", "插图"]:
        if ch not in doc[chap_page[ch] - 1].get_text():
            fail("outline entry %s goes to page %d without its title" % (ch, chap_page[ch]))
    # links: contents entries go to the chapters' pages
    links = [(p.number, l) for p in doc for l in p.get_links()]
    contents_page = chap_page["目录"] - 1
    toc_links = [l for n, l in links if n == contents_page and l["kind"] in (fitz.LINK_GOTO, fitz.LINK_NAMED)]
    if len(toc_links) < 6:
        fail("contents has %d links" % len(toc_links))
    targets = set()
    for l in toc_links:
        targets.add(l.get("page", -1) + 1)
    for ch in ["正文与注释", "块元素", "插图"]:
        if chap_page[ch] not in targets:
            fail("no contents link to %s (page %d): %r" % (ch, chap_page[ch], sorted(targets)))
    uris = [l["uri"] for n, l in links if l["kind"] == fitz.LINK_URI]
    if "https://example.org/kmbook" not in uris:
        fail("external link missing: %r" % uris)
    # footnotes: a reference links to the note, the note's number back
    page1 = chap_page["正文与注释"] - 1
    internal = [l for n, l in links if n == page1 and l["kind"] in (fitz.LINK_GOTO, fitz.LINK_NAMED)]
    if len(internal) < 6:  # 2 refs + 2 backs + 2 cross-references
        fail("chapter 1 page has %d internal links" % len(internal))
    # the cross-reference to chapter 2's list goes to the page showing 列表
    xref_targets = [l.get("page", -1) for l in internal]
    if chap_page["列表"] - 1 not in xref_targets:
        fail("cross-reference to 列表 (page %d) missing: %r" % (chap_page["列表"], xref_targets))
    # footnotes sit on the page of their reference, below the text
    p = doc[page1]
    words = p.get_text("blocks")
    note = [b for b in words if "第一个脚注的内容" in b[4]]
    ref = [b for b in words if "这里有一个脚注" in b[4]]
    if not note or not ref or note[0][1] < ref[0][1]:
        fail("footnote is not at the foot of its reference's page")
    # running heads: book title on versos, chapter title on rectos, none on
    # openings; a folio (the page label) at the foot of every other body page
    openings = sorted((chap_page[c] - 1, c) for c in ["正文与注释", "块元素", "插图"])
    heads_checked = 0
    for i in range(first_body, len(doc)):
        pg = doc[i]
        blocks = pg.get_text("blocks")
        top = [b[4].strip() for b in blocks if b[3] < 45]
        foot = [b[4].strip() for b in blocks if b[1] > pg.rect.height - 45]
        chapter = [c for n, c in openings if n <= i][-1]
        if any(n == i for n, _ in openings):
            if top or foot:
                fail("running head or folio on chapter-opening page %d: %r %r" % (i + 1, top, foot))
            continue
        want = "排版测试书" if (i + 1) % 2 == 0 else chapter
        if top != [want]:
            fail("page %d (%s): running head %r, expected %r" % (i + 1, "verso" if (i + 1) % 2 == 0
                                                                 else "recto", top, [want]))
        if foot != [labels[i]]:
            fail("page %d: folio %r, expected its label %r" % (i + 1, foot, labels[i]))
        heads_checked += 1
    if heads_checked < 4:
        fail("only %d body pages with running heads were checked" % heads_checked)
    # JPEG passed through unchanged, PNG and GIF as images, SVG as vectors
    jpeg = open(os.path.join(BOOK, "images", "photo.jpg"), "rb").read()
    found_jpeg = False
    images = set()
    for pg in doc:
        for img in pg.get_images(full=True):
            images.add(img[0])
            x = doc.extract_image(img[0])
            if x["ext"] in ("jpeg", "jpg") and x["image"] == jpeg:
                found_jpeg = True
    if not found_jpeg:
        fail("the JPEG was not embedded byte for byte")
    # PNG, JPEG and GIF; the cover is drawn, the SVG is vectors, the remote
    # image is never fetched
    if len(images) != 3:
        fail("%d images embedded, expected 3 (PNG, JPEG, GIF)" % len(images))
    svg_page = [pg for pg in doc if "输入" in pg.get_text() and "输出" in pg.get_text()]
    if not svg_page:
        fail("SVG text (project fonts) not found as text")
    # the remote image's caption is shown
    if not any("图 5：一张远程图片。" in pg.get_text() for pg in doc):
        fail("remote image caption missing")
    # every structure element kmbook uses made it into the tree (cairo 1.16
    # drops the whole tree, or truncates the file, on a name it does not know)
    kinds = set()
    for x in range(1, doc.xref_length()):
        try:
            o = doc.xref_object(x, compressed=False)
        except Exception:
            continue
        if "/StructElem" in o or "/P " in o:
            m = re.search(r"/S /(\w+)", o)
            if m:
                kinds.add(m.group(1))
    want = {"Document", "P", "H1", "H2", "H3", "L", "LI", "Lbl", "LBody", "BlockQuote", "Code",
            "Table", "TR", "TH", "TD", "Figure", "Caption", "Note", "TOC", "TOCI", "Link"}
    if not want <= kinds:
        fail("structure elements missing: %r (found %r)" % (sorted(want - kinds), sorted(kinds)))
    # and they nest as PDF's standard structure types ask
    root = int(re.search(r"/StructTreeRoot (\d+) 0 R", cat).group(1))

    def kids_of(x):
        o = doc.xref_object(x, compressed=False)
        m = re.search(r"/K \[([^\]]*)\]", o) or re.search(r"/K (\d+ 0 R)", o)
        return [int(a) for a in re.findall(r"(\d+) 0 R", m.group(1))] if m else []

    def type_of(x):
        m = re.search(r"/S /(\w+)", doc.xref_object(x, compressed=False))
        return m.group(1) if m else None

    parent_of = {"LI": "L", "Lbl": "LI", "LBody": "LI", "TR": "Table", "TD": "TR", "TH": "TR",
                 "Caption": "Figure", "TOCI": "TOC"}
    seen = set()
    stack = [(root, None)]
    while stack:
        x, parent = stack.pop()
        t = type_of(x)
        if t in parent_of and parent != parent_of[t]:
            fail("structure element %s inside %s (want %s)" % (t, parent, parent_of[t]))
        if t:
            seen.add(t)
        for k in kids_of(x):
            if type_of(k):
                stack.append((k, t))
    # every kind the file holds is reachable from the root (none orphaned)
    if not want <= seen:
        fail("structure elements not reachable from /StructTreeRoot: %r" % sorted(want - seen))
    print("structure: metadata, /Lang, labels, outline (%d), links (%d), notes, running heads "
          "(%d pages), %d images, structure tree (%d kinds) ok"
          % (len(toc), len(links), heads_checked, len(images), len(seen)))


def check_text(kmbook, work):
    """Every manuscript character in order (aligned, so a lost character is
    found even where it recurs later), notes and captions whole, and no
    Kangxi or compatibility ideographs: the typography checker's two rules."""
    need_fitz()
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "typocheck"))
    import typocheck

    pdf = build(kmbook, work, "text.pdf")
    srcs = [os.path.join(BOOK, ch) for ch in chapters_of(BOOK)]
    res = typocheck.check(pdf, srcs, only={"text_fidelity", "no_compatibility_ideographs"})
    if typocheck.report(res):
        fail("manuscript text lost or garbled in the PDF")
    print("text: every manuscript character extractable in order, footnotes whole")


def check_layout(kmbook, work, update):
    dump = os.path.join(work, "layout.txt")
    build(kmbook, work, "layout.pdf", dump=dump)
    got = open(dump, encoding="utf-8").read()
    want_path = os.path.join(HERE, "expected", "layout.txt")
    if update:
        os.makedirs(os.path.dirname(want_path), exist_ok=True)
        open(want_path, "w", encoding="utf-8").write(got)
        print("updated " + want_path)
        return
    if not os.path.exists(want_path):
        fail("no golden dump; run: %s %s %s layout --update" % (sys.argv[0], kmbook, work))
    want = open(want_path, encoding="utf-8").read()
    if got != want:
        import difflib

        d = "".join(difflib.unified_diff(want.splitlines(1), got.splitlines(1), "expected", "got", n=1))
        print(d[:6000])
        fail("layout dump differs from tests/pdf/expected/layout.txt (if intended, regenerate with "
             "tests/pdf/check_pdf.py KMBOOK DIR layout --update)")
    print("layout: dump matches (%d lines)" % got.count("\n"))


def check_determinism(kmbook, work):
    a = open(build(kmbook, work, "det-a.pdf"), "rb").read()
    b = open(build(kmbook, work, "det-b.pdf"), "rb").read()
    if a != b:
        fail("two builds differ")
    print("determinism: two builds byte-identical (%d bytes)" % len(a))


def check_qpdf(kmbook, work):
    need("qpdf")
    pdf = build(kmbook, work, "qpdf.pdf")
    r = subprocess.run(["qpdf", "--check", pdf], capture_output=True, text=True)
    if r.returncode != 0:
        fail("qpdf --check: " + r.stdout + r.stderr)
    print("qpdf --check: " + r.stdout.strip().splitlines()[-1])


def check_warnings(kmbook, work):
    """A character no project font has is a located warning; --strict fails."""
    os.makedirs(work, exist_ok=True)
    md = os.path.join(work, "glyphs.md")
    open(md, "w", encoding="utf-8").write("---\ntitle: 警告\n---\n\n# 第一章\n\n正文。\n\n圣书体𓀀在这里。\n")
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    out = os.path.join(work, "glyphs.pdf")
    r = subprocess.run([kmbook, "--book", md, "--pdf", out], env=env, capture_output=True, text=True)
    if r.returncode != 0 or "glyphs.md:9" not in r.stderr or "U+13000" not in r.stderr:
        fail("no located warning for a missing glyph: rc=%d %s" % (r.returncode, r.stderr))
    r = subprocess.run([kmbook, "--strict", "--book", md, "--pdf", out + ".strict"], env=env,
                       capture_output=True, text=True)
    if r.returncode == 0 or os.path.exists(out + ".strict"):
        fail("--strict did not fail on a missing glyph")
    print("warnings: " + r.stderr.strip().splitlines()[-1])


SCRIPTS = {  # text: how PyMuPDF must give it back ("set": the characters, any order: RTL)
    "Čeština šťastný": "seq", "Ελληνικά ά": "seq", "Українська ї є": "seq",
    "สวัสดีครับ": "seq", "नमस्ते": "seq", "ℤ ℝ": "seq", "🌍😀": "seq",
    "שלום": "set", "السلام عليكم": "set",
}


def check_scripts(kmbook, work):
    """Every script prints (issue 12): scripts Noto CJK lacks are set in the
    fallback faces (fonts/fallback.conf) in body, heading and code, with no
    warning, in the text layer, embedded as subsets, the same bytes twice;
    the Latin keeps the design of its neighbours (Noto Serif in serif body
    text, Noto Sans in a sans heading, Noto Sans Mono in code)."""
    fitz = need_fitz()
    need("pdffonts")
    os.makedirs(work, exist_ok=True)
    md = os.path.join(work, "scripts.md")
    line = "，".join(SCRIPTS)
    open(md, "w", encoding="utf-8").write(
        "---\ntitle: 多文种\nlanguage: zh-Hans\n---\n\n# 第一章 Čeština\n\n正文：%s。\n\n"
        "## 黑体 Čeština สวัสดี 🌍\n\n**粗体 Čeština**\n\n```\nlet s = \"Čeština שלום 🌍\";\n```\n" % line)
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    pdfs = [os.path.join(work, "scripts%d.pdf" % i) for i in (1, 2)]
    for pdf in pdfs:
        r = subprocess.run([kmbook, "--book", md, "--pdf", pdf], env=env, capture_output=True, text=True)
        if r.returncode != 0 or r.stderr.strip():
            fail("scripts: rc=%d, warnings: %s" % (r.returncode, r.stderr.strip()[:300]))
            return
    if open(pdfs[0], "rb").read() != open(pdfs[1], "rb").read():
        fail("scripts: two builds differ")
    text = re.sub(r"\s+", "", "".join(p.get_text() for p in fitz.open(pdfs[0])))
    for t, how in SCRIPTS.items():
        t0 = re.sub(r"\s+", "", t)
        ok = t0 in text if how == "seq" else set(t0) <= set(text)
        if not ok:
            fail("scripts: %r is not in the PDF's text layer" % t)
    lines = run(["pdffonts", pdfs[0]]).splitlines()[2:]
    faces = set()
    for l in lines:
        cols = l.split()
        if cols[-5] != "yes" or cols[-4] != "yes" or cols[-3] != "yes":
            fail("scripts: font not embedded+subset with ToUnicode: " + l)
        faces.add(cols[0].split("+", 1)[-1])
    for want in ("NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Bold", "NotoSansMono-Regular",
                 "NotoSerifThai-Regular", "NotoSerifDevanagari-Regular", "NotoSansHebrew-Regular",
                 "NotoNaskhArabic-Regular", "Symbola"):
        if want not in faces:
            fail("scripts: no %s among the PDF's fonts %s" % (want, sorted(faces)))
    print("scripts: %d faces, no warning, text layer whole, same bytes twice" % len(faces))


def check_deep(kmbook, work):
    """Deep quotes and lists and an 80-column table: no text is lost."""
    fitz = need_fitz()
    d = os.path.join(work, "deep")
    os.makedirs(d, exist_ok=True)
    md = "# 深\n\n" + "".join("> " * k + "引文第%d层。\n\n" % k for k in range(1, 41))
    md += "\n" + "".join("  " * k + "- 列表第%d层\n" % k for k in range(0, 30))
    md += "\n| " + " | ".join("列%d" % i for i in range(80)) + " |\n|" + "---|" * 80 + "\n| "
    md += " | ".join("格" for _ in range(80)) + " |\n"
    # a footnote taller than a page: set at the chapter end, whole
    md += "\n长脚注在这里[^long]。\n\n[^long]: " + "".join("注文%d，" % k for k in range(600)) + "完。\n"
    open(os.path.join(d, "a.md"), "w", encoding="utf-8").write(md)
    open(os.path.join(d, "book.yaml"), "w", encoding="utf-8").write("title: t\nchapters: [a.md]\n")
    pdf = build(kmbook, work, "deep.pdf", book=d)
    text = re.sub(r"\s+", "", "".join(p.get_text() for p in fitz.open(pdf)))
    for k in range(1, 41):
        if "引文第%d层。" % k not in text:
            fail("quote level %d lost" % k)
    for k in range(0, 30):
        if "列表第%d层" % k not in text:
            fail("list level %d lost" % k)
    if text.count("格") != 80:
        fail("table cells lost: %d of 80" % text.count("格"))
    doc = fitz.open(pdf)
    # the text without running heads and folios (top and bottom bands)
    body = "".join(
        b[4] for p in doc for b in p.get_text("blocks") if b[1] > 45 and b[3] < p.rect.height - 45
    )
    body = re.sub(r"\s+", "", body)
    for k in range(600):
        if "注文%d，" % k not in body:
            fail("long footnote lost its part %d" % k)
    print("deep: 40 quote levels, 30 list levels, 80 table columns, a 600-part footnote all present")


def check_default(kmbook, work):
    """The default book: every rule of the project's own typography checker,
    and running heads and folios on its body pages."""
    need_fitz()
    sys.path.insert(0, os.path.join(os.path.dirname(HERE), "typocheck"))
    import typocheck

    book = os.path.join(ROOT, "book")
    pdf = build(kmbook, work, "default.pdf", book=book)
    srcs = [os.path.join(book, c) for c in chapters_of(book)]
    res = typocheck.check(pdf, srcs)
    if len(res) != len(typocheck.RULES):
        fail("only %d of %d rules ran" % (len(res), len(typocheck.RULES)))
    bad = typocheck.report(res)
    tb = typocheck.Book(pdf)
    heads = {l.page for l in tb.lines if l.kind == "running" and l.y < 0.5 * tb.doc[l.page].rect.height}
    folios = {l.page for l in tb.lines if l.kind == "running" and l.text.strip().isdigit()}
    print("running heads on %d pages, folios on %d pages" % (len(heads), len(folios)))
    if len(heads) < 5 or len(folios) < 5:
        fail("running heads or folios missing (%d, %d pages)" % (len(heads), len(folios)))
    if bad:
        fail("the default book breaks %d typography rule(s)" % bad)
    print("default book: every typography rule holds")


def check_default_shared(kmbook, work):
    tool = os.environ.get("KMB_CJK_PDF_CHECK", "")
    if not tool or not os.path.exists(tool):
        skip("cjk-pdf-check not found (set KMB_CJK_PDF_CHECK to ../shared/tools/cjk-pdf-check)")
    book = os.path.join(ROOT, "book")
    pdf = build(kmbook, work, "default.pdf", book=book)
    srcs = [os.path.join(book, c) for c in chapters_of(book)]
    out = subprocess.run([tool, pdf, "--source"] + srcs, capture_output=True, text=True).stdout
    print(out)

    def num(key):
        m = re.search(r"^%s (\d+)" % key, out, re.M)
        if not m:
            fail("no %s in the report" % key)
        return int(m.group(1))

    if "fidelity 100.00%" not in out:
        fail("fidelity is not 100.00%")
    if "not embedded 0, not subset 0" not in out:
        fail("fonts not all embedded and subset")
    m = re.search(r"outline (\d+) entries", out)
    if not m or int(m.group(1)) < len(srcs):
        fail("outline has fewer entries than chapters")
    if "running heads detected: yes" not in out or "folios detected: yes" not in out:
        fail("running heads or folios not detected")
    for k in ["widows", "orphans", "heading_at_page_bottom", "kinsoku_start", "kinsoku_end"]:
        if num(k) != 0:
            fail("%s is %d" % (k, num(k)))
    m = re.search(r"overfull \d+ \(real (\d+)", out)
    if not m or int(m.group(1)) != 0:
        fail("real overflow")
    print("default book: cjk-pdf-check passes")



def main():
    if len(sys.argv) < 4:
        print(__doc__)
        sys.exit(2)
    kmbook, work, check = sys.argv[1], sys.argv[2], sys.argv[3]
    update = "--update" in sys.argv[4:]
    os.makedirs(work, exist_ok=True)
    checks = {
        "info": check_info,
        "fonts": check_fonts,
        "scripts": check_scripts,
        "structure": check_structure,
        "text": check_text,
        "determinism": check_determinism,
        "qpdf": check_qpdf,
        "warnings": check_warnings,
        "deep": check_deep,
        "default": check_default,
        "default.shared": check_default_shared,
    }
    if check == "layout":
        check_layout(kmbook, work, update)
    elif check in checks:
        checks[check](kmbook, work)
    else:
        print("unknown check " + check)
        sys.exit(2)


if __name__ == "__main__":
    main()
