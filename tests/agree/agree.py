#!/usr/bin/python3
"""agree.py KMBOOK WORKDIR CHECK — the EPUB and the PDF of one book agree.

headings:  odd manuscripts (a skipped level, no level-1 heading at all,
           duplicate titles, a heading in a quote, a chapter that opens
           with text): the EPUB's <h1>..<h6> tags, the PDF's H1..H6
           structure elements and the PDF outline have the same levels, in
           the same order, and the levels are the resolved ones (no jumps).
languages: a book in zh-Hans, zh-Hant, ja, ko and en: EPUB and PDF carry the
           same identifier, the same role words and the same contents title,
           and these are the expected words for the language.
titles:    chapter titles from book.yaml {file, title} and from a chapter's
           front matter, a chapter with no title at all, a book without
           title: (a folder, a single file): the same titles in EPUB headings,
           nav, PDF tags, outline and running heads, and never a file name.
manuscript: manuscript indents (U+3000) stripped in both books, kept with
           keep-indents; hard-wrapped Chinese joined without spaces; verse
           (hard-broken lines): a class and one span per line in the EPUB, every
           line at one x in the PDF with wrapped lines hanging, short poems on
           one page, the attribution set apart.
detected:  the same languages with no `language:` in the manuscript: kmbook
           detects it from the text (--verbose says so), and both books carry
           it (dc:language, the chapters' lang, the PDF's /Lang) with its
           contents title.
"""
import os
import re
import shutil
import subprocess
import sys
import zipfile

try:
    import fitz  # PyMuPDF
except ImportError:
    print("SKIP: PyMuPDF (python3-fitz) is not installed for /usr/bin/python3")
    sys.exit(77)

KMBOOK, WORK, CHECK = sys.argv[1], sys.argv[2], sys.argv[3]
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def build(book, name):
    epub = os.path.join(WORK, name + ".epub")
    pdf = os.path.join(WORK, name + ".pdf")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run([KMBOOK, "--quiet", "--book", book, "--epub", epub, "--pdf", pdf],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        sys.exit("kmbook failed on %s (exit %d)" % (name, r.returncode))
    return epub, pdf


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


# --- reading the EPUB ---

def epub_docs(epub):
    """{name: text} of the package's files, and the spine's chapter files in order."""
    z = zipfile.ZipFile(epub)
    files = {n: z.read(n).decode("utf-8") for n in z.namelist() if n.endswith((".xhtml", ".opf"))}
    opf = files["EPUB/content.opf"]
    items = dict(re.findall(r'<item id="([^"]+)" href="([^"]+)"', opf))
    spine = [items[i] for i in re.findall(r'<itemref idref="([^"]+)"', opf)]
    chapters = [h for h in spine if 'epub:type="chapter"' in files.get("EPUB/" + h, "")]
    return files, opf, chapters


def strip_tags(s):
    return re.sub(r"<[^>]+>", "", s)


def epub_headings(epub):
    files, _, chapters = epub_docs(epub)
    out = []
    for ch in chapters:
        for lvl, hid, inner in re.findall(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', files["EPUB/" + ch],
                                          re.S):
            out.append((int(lvl), strip_tags(inner).strip(), hid))
    return out


def epub_nav(epub):
    """(level, title) of the nav's toc entries, level = nesting of <ol>."""
    files, _, _ = epub_docs(epub)
    nav = files["EPUB/nav.xhtml"]
    toc = nav[nav.index('epub:type="toc"'):]
    toc = toc[:toc.index("</nav>")]
    out, depth = [], 0
    for m in re.finditer(r"<ol>|</ol>|<a href=\"[^\"]*\">(.*?)</a>", toc, re.S):
        if m.group(0) == "<ol>":
            depth += 1
        elif m.group(0) == "</ol>":
            depth -= 1
        else:
            out.append((depth, strip_tags(m.group(1)).strip()))
    return out


# --- reading the PDF ---

def pdf_htags(doc):
    """H1..H6 structure elements in document order."""
    cat = doc.xref_object(doc.pdf_catalog(), compressed=False)
    root = int(re.search(r"/StructTreeRoot (\d+) 0 R", cat).group(1))

    def kids(x):
        o = doc.xref_object(x, compressed=False)
        m = re.search(r"/K \[([^\]]*)\]", o) or re.search(r"/K (\d+ 0 R)", o)
        return [int(a) for a in re.findall(r"(\d+) 0 R", m.group(1))] if m else []

    out = []

    def walk(x):
        m = re.search(r"/S /(\w+)", doc.xref_object(x, compressed=False))
        if not m and x != root:
            return
        if m and re.fullmatch(r"H[1-6]", m.group(1)):
            out.append(int(m.group(1)[1]))
        for k in kids(x):
            walk(k)

    walk(root)
    return out


def pdf_text(doc):
    return "".join(p.get_text() for p in doc)


def nospace(s):
    return re.sub(r"\s+", "", s)


# --- headings ---

def check_headings():
    books = {}
    # 1. a single file: `#` then `###`, then `##`, `####`, a quoted heading,
    #    duplicate titles within and across chapters
    single = os.path.join(WORK, "skip.md")
    write(single, "---\ntitle: 跳级\nlanguage: zh-Hans\n---\n"
          "# 第一章\n\n正文。\n\n### 跳到三级\n\n正文。\n\n## 二级\n\n正文。\n\n#### 四级\n\n正文。\n\n"
          "> ## 引文里的标题\n>\n> 引文。\n\n## 重名\n\n正文。\n\n## 重名\n\n正文。\n\n"
          "# 第二章\n\n### 重名\n\n正文。\n\n###### 六级\n\n正文。\n")
    books["skip"] = (single, [(1, "第一章"), (2, "跳到三级"), (2, "二级"), (3, "四级"),
                              (2, "引文里的标题"), (2, "重名"), (2, "重名"),
                              (1, "第二章"), (2, "重名"), (3, "六级")])
    # 2. a folder without any level-1 heading; a chapter that opens with text;
    #    a second `#` inside a chapter
    folder = os.path.join(WORK, "noh1")
    shutil.rmtree(folder, ignore_errors=True)
    write(os.path.join(folder, "book.yaml"),
          "title: 无一级标题\nlanguage: zh-Hans\nchapters:\n  - a.md\n  - b.md\n  - c.md\n")
    write(os.path.join(folder, "a.md"), "## 开篇\n\n正文。\n\n### 小节\n\n正文。\n\n## 同级\n\n正文。\n")
    write(os.path.join(folder, "b.md"), "先有正文，后有标题。\n\n### 三级\n\n正文。\n\n#### 四级\n\n正文。\n")
    write(os.path.join(folder, "c.md"), "# 丙\n\n正文。\n\n# 又一个一级\n\n正文。\n\n## 其下\n\n正文。\n")
    books["noh1"] = (folder, [(1, "开篇"), (2, "小节"), (2, "同级"), (2, "三级"), (3, "四级"),
                              (1, "丙"), (2, "又一个一级"), (3, "其下")])
    for name, (src, want) in books.items():
        before = len(failures)
        epub, pdf = build(src, name)
        eh = epub_headings(epub)
        got = [(l, t) for l, t, _ in eh]
        if got != want:
            fail("%s: EPUB headings %r, want %r" % (name, got, want))
        ids = [i for _, _, i in eh]
        if len(set(ids)) != len(ids):
            fail("%s: EPUB heading ids not unique: %r" % (name, ids))
        doc = fitz.open(pdf)
        tags = pdf_htags(doc)
        # The contents page's title is the PDF's first H1 (the EPUB's is in nav.xhtml).
        if not tags or tags[0] != 1:
            fail("%s: the PDF's first heading tag is not the contents title's H1: %r" % (name, tags))
        if tags[1:] != [l for l, _ in want]:
            fail("%s: PDF structure tags H%r, EPUB h%r" % (name, tags[1:], [l for l, _ in want]))
        toc = doc.get_toc()
        contents = toc[0][1] if toc else None
        # Outline: the contents entry, then every heading (and a level-1
        # entry for a chapter without a title heading); nav.xhtml shows
        # levels 1-3 of the same list.
        outline = [(l, t) for l, t, _ in toc[1:]]
        nav = epub_nav(epub)
        if [e for e in outline if e[0] <= 3] != nav:
            fail("%s: PDF outline %r, EPUB nav %r" % (name, outline, nav))
        if name == "noh1":
            # b.md opens with text: both writers give it a level-1 entry of
            # its own (its title: its first heading's text) before its sections.
            i = nav.index((2, "三级")) if (2, "三级") in nav else -1
            if i < 1 or nav[i - 1] != (1, "三级") or nav[i + 1] != (3, "四级"):
                fail("noh1: chapter b's entries in the nav: %r" % nav)
        if len(failures) == before:
            print("%s: %d headings agree (EPUB h, PDF H, outline; contents title %r)"
                  % (name, len(want), contents))


# --- languages ---

WANT = {
    # lang: (contents, speaker word, translator word, identifier label, pdf /Lang)
    "zh-Hans": ("目录", "讲者", "译者", "标识符", "zh-CN"),
    "zh-Hant": ("目錄", "講者", "譯者", "識別碼", "zh-TW"),
    "ja": ("目次", "講演者", "訳者", "識別子", "ja"),
    "ko": ("목차", "강연자", "옮긴이", "식별자", "ko"),
    "en": ("Contents", "Speaker", "Translator", "Identifier", "en"),
}


def colophon_labels(files):
    """{value: label} from the EPUB's copyright page."""
    col = files["EPUB/colophon.xhtml"]
    out = {}
    for label, rest in re.findall(r'<p><span class="label">([^<]*)</span>(.*?)</p>', col, re.S):
        out[strip_tags(rest).lstrip("：: ")] = label
    return out


def check_languages():
    for lang, (contents, spk, trl, idl, pdf_lang) in WANT.items():
        before = len(failures)
        src = os.path.join(WORK, "book-%s.md" % lang)
        write(src, "---\ntitle: Agree %s\nauthor: Ann Author\ncontributors:\n"
                   "  - {name: Sam Speaker, role: spk}\n  - {name: Tom Translator, role: trl}\n"
                   "language: %s\nedition: \"2\"\n---\n# One\n\nText.\n\n## Two\n\nText.\n"
              % (lang, lang))
        epub, pdf = build(src, "lang-" + lang)
        files, opf, _ = epub_docs(epub)
        doc = fitz.open(pdf)
        text = nospace(pdf_text(doc))
        ident = re.search(r'<dc:identifier id="bookid">([^<]+)<', opf).group(1)
        if not ident.startswith("urn:uuid:"):
            fail("%s: derived identifier %r" % (lang, ident))
        labels = colophon_labels(files)
        sep = "：" if lang in ("zh-Hans", "zh-Hant", "ja") else ":"
        # identifier: the same value, the same label, in both
        if labels.get(ident) != idl:
            fail("%s: EPUB identifier label %r, want %r" % (lang, labels.get(ident), idl))
        if nospace(idl + sep + ident) not in text:
            fail("%s: the PDF's copyright page lacks %r" % (lang, idl + sep + ident))
        # role words: the EPUB's copyright page and the PDF's say the same
        for name, word in (("Sam Speaker", spk), ("Tom Translator", trl)):
            if labels.get(name) != word:
                fail("%s: EPUB role word for %s is %r, want %r" % (lang, name, labels.get(name), word))
            if nospace(word + sep + name) not in text:
                fail("%s: the PDF lacks %r" % (lang, word + sep + name))
        # contents title: nav.xhtml, the PDF outline and the contents page
        m = re.search(r'<h1 id="toc-title">([^<]*)</h1>', files["EPUB/nav.xhtml"])
        if not m or m.group(1) != contents:
            fail("%s: EPUB contents title %r, want %r" % (lang, m and m.group(1), contents))
        toc = doc.get_toc()
        if not toc or toc[0][1] != contents:
            fail("%s: PDF outline's contents entry %r, want %r" % (lang, toc and toc[0][1], contents))
        if nospace(contents) not in text:
            fail("%s: the PDF's contents page lacks %r" % (lang, contents))
        # language: dc:language, xml:lang, and the PDF's /Lang
        if "<dc:language>%s</dc:language>" % lang not in opf:
            fail("%s: dc:language differs" % lang)
        cat = doc.xref_object(doc.pdf_catalog(), compressed=False)
        m = re.search(r"/Lang \(([^)]*)\)", cat)
        if not m or m.group(1) != pdf_lang:
            fail("%s: PDF /Lang %r, want %r" % (lang, m and m.group(1), pdf_lang))
        if len(failures) == before:
            print("%s: identifier, role words (%s, %s), contents title %r and /Lang agree"
                  % (lang, spk, trl, contents))


# --- titles ---

def build_warn(book, name):
    """Like build, but returns the warnings too."""
    epub = os.path.join(WORK, name + ".epub")
    pdf = os.path.join(WORK, name + ".pdf")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run([KMBOOK, "--book", book, "--epub", epub, "--pdf", pdf],
                       env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        sys.exit("kmbook failed on %s (exit %d)" % (name, r.returncode))
    return epub, pdf, r.stderr


def running_heads(doc):
    """Text of each body page's top line (its running head), if any."""
    out = []
    for page in doc:
        blocks = [b for b in page.get_text("blocks") if b[4].strip()]
        top = min(blocks, key=lambda b: b[1]) if blocks else None
        if top and top[1] < 60:
            out.append(top[4].strip())
    return out


def check_no_file_names(name, epub, doc, stems):
    files, opf, _ = epub_docs(epub)
    title = re.search(r"<dc:title[^>]*>([^<]*)<", opf).group(1)
    nav = [t for _, t in epub_nav(epub)]
    outline = [t for _, t, _ in doc.get_toc()]
    heads = running_heads(doc)
    meta = doc.metadata.get("title") or ""
    for where, texts in (("dc:title", [title]), ("nav", nav), ("outline", outline),
                         ("running heads", heads), ("PDF title", [meta]),
                         ("cover page", [doc[0].get_text()])):
        bad = [t for t in texts for st in stems if st in t]
        if bad:
            fail("%s: a file name in the %s: %r" % (name, where, bad[:3]))


def check_titles():
    # 1. a folder: titles from book.yaml and front matter, one from nothing
    folder = os.path.join(WORK, "titled")
    shutil.rmtree(folder, ignore_errors=True)
    write(os.path.join(folder, "book.yaml"),
          "language: zh-Hans\nchapters:\n  - {file: tools-a.md, title: 工具篇}\n"
          "  - notes-b.md\n  - {file: top-c.md, title: 不用的题目}\n  - plain-d.txt\n")
    write(os.path.join(folder, "tools-a.md"), "## 简介\n\n正文。\n\n### 细节\n\n正文。\n\n## 简介\n\n正文。\n")
    long = "很长的正文。" * 400  # a few pages each: running heads
    write(os.path.join(folder, "notes-b.md"), "---\ntitle: 札记篇\n---\n\n正文一。\n\n%s\n" % long)
    write(os.path.join(folder, "top-c.md"), "# 丙篇\n\n%s\n\n## 其下\n\n正文。\n" % long)
    write(os.path.join(folder, "plain-d.txt"), "没有标题的一章。\n")
    want = [(1, "工具篇"), (2, "简介"), (3, "细节"), (2, "简介"), (1, "札记篇"), (1, "丙篇"), (2, "其下")]
    epub, pdf, warns = build_warn(folder, "titled")
    got = [(l, t) for l, t, _ in epub_headings(epub)]
    if got != want:
        fail("titled: EPUB headings %r, want %r" % (got, want))
    doc = fitz.open(pdf)
    tags = pdf_htags(doc)
    if tags[1:] != [l for l, _ in want]:
        fail("titled: PDF structure tags H%r, EPUB h%r" % (tags[1:], [l for l, _ in want]))
    outline = [(l, t) for l, t, _ in doc.get_toc()[1:]]
    nav = epub_nav(epub)
    if [e for e in outline if e[0] <= 3] != nav:
        fail("titled: PDF outline %r, EPUB nav %r" % (outline, nav))
    if (1, "第4章") not in nav:
        fail("titled: the chapter without any title is not '第4章' in the nav: %r" % nav)
    if not re.search(r"plain-d\.txt.*no heading and no title.*\{file: plain-d\.txt, title:", warns):
        fail("titled: no warning for the chapter without a title: %r" % warns)
    if not re.search(r"no `title:`.*'工具篇'.*add `title:", warns):
        fail("titled: no warning for the book without a title: %r" % warns)
    _, opf, _ = epub_docs(epub)
    if "<dc:title id=\"title\">工具篇</dc:title>" not in opf:
        fail("titled: dc:title is not the first chapter's title")
    heads = running_heads(doc)
    for t in ("工具篇", "札记篇", "丙篇"):
        if t not in heads:
            fail("titled: no running head %r in %r" % (t, sorted(set(heads))))
    check_no_file_names("titled", epub, doc, ["tools-a", "notes-b", "top-c", "plain-d", ".md", ".txt"])
    # 2. a single file without front matter: titled by its first # heading,
    #    without a warning; a <style> block before it is no chapter
    single = os.path.join(WORK, "untitled-file.md")
    write(single, "<style>\np { color: red; }\n</style>\n\n# 柿の種\n\n本文。\n\n# 第二章\n\n本文。\n")
    epub, pdf, warns = build_warn(single, "untitled-file")
    if "`title:`" in warns:
        fail("untitled-file: a title warning although the file has a # heading: %r" % warns)
    _, opf, chapters = epub_docs(epub)
    if "<dc:title id=\"title\">柿の種</dc:title>" not in opf:
        fail("untitled-file: dc:title is not the first # heading")
    if len(chapters) != 2:
        fail("untitled-file: %d chapters, want 2 (the <style> block is no chapter)" % len(chapters))
    doc = fitz.open(pdf)
    if doc.metadata.get("title") != "柿の種":
        fail("untitled-file: PDF title %r" % doc.metadata.get("title"))
    check_no_file_names("untitled-file", epub, doc, ["untitled-file", ".md"])
    if len(failures) == 0:
        print("titles: book.yaml, front matter, numbered and derived titles agree; no file names")


# --- manuscript conventions ---

def epub_paragraphs(epub):
    files, _, chapters = epub_docs(epub)
    out = []
    for ch in chapters:
        out += re.findall(r"<p( class=\"[^\"]*\")?>(.*?)</p>", files["EPUB/" + ch], re.S)
    return [(cls.strip(), inner) for cls, inner in out]


def pdf_lines(doc):
    """(page, x, text) of every text line."""
    out = []
    for pno, page in enumerate(doc, 1):
        for block in page.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                t = "".join(s["text"] for s in line["spans"])
                if t.strip():
                    out.append((pno, line["bbox"][0], t))
    return out


def check_manuscript():
    body = ("　　两个全角空格缩进的段落，是原稿自己的缩进。\n\n"
            "硬换行的中文第一行\n接着第二行不加空格。\n\n"
            "　一行一段的第一段。\n　一行一段的第二段。\n\n")
    # indents
    for keep in (False, True):
        name = "indents-keep" if keep else "indents"
        src = os.path.join(WORK, name + ".md")
        write(src, "---\ntitle: 缩进\n%s---\n# 第一章\n\n" % ("keep-indents: true\n" if keep else "") + body)
        epub, pdf = build(src, name)
        paras = [strip_tags(p) for _, p in epub_paragraphs(epub)]
        starts = [p for p in paras if p.startswith("\u3000")]
        lines = pdf_lines(fitz.open(pdf))
        pstarts = [t for _, _, t in lines if t.startswith("\u3000")]
        if not keep:
            if starts or pstarts:
                fail("indents: kept although they should go: EPUB %r, PDF %r" % (starts, pstarts))
            if "一行一段的第一段。" not in paras or "一行一段的第二段。" not in paras:
                fail("indents: lines starting with U+3000 are not paragraphs of their own: %r" % paras)
        elif len(starts) < 2 or len(pstarts) < 2:
            fail("indents-keep: keep-indents: true lost them: EPUB %r, PDF %r" % (starts, pstarts))
        if "硬换行的中文第一行接着第二行不加空格。" not in paras:
            fail("%s: hard-wrapped Chinese not joined without a space in the EPUB: %r" % (name, paras))
        if "硬换行的中文第一行接着第二行不加空格。" not in nospace(pdf_text(fitz.open(pdf))):
            fail("%s: hard-wrapped Chinese not joined in the PDF" % name)
    # verse: an anthology, each poem followed by filler of another length,
    # so that some poems would straddle a page break; one line long enough
    # to wrap
    poems = []
    for i in range(24):
        lines = ["第%d首第%d行，春眠不覺曉。" % (i, k) for k in range(6)]
        if i == 5:
            lines[2] = "第5首第2行很長" + "，處處聞啼鳥夜來風雨聲" * 5 + "。"
        poems.append("## 詩%d\n\n*作者%d*\n\n%s\n\n%s\n\n" % (
            i, i, "\\\n".join(lines), "填充文字。" * (9 * (i % 7) + 3)))
    src = os.path.join(WORK, "verse.md")
    write(src, "---\ntitle: 詩選\n---\n# 詩選\n\n" + "".join(poems))
    epub, pdf = build(src, "verse")
    paras = epub_paragraphs(epub)
    verses = [p for c, p in paras if c == 'class="verse"']
    attrs = [p for c, p in paras if c == 'class="attribution"']
    if len(verses) != 24 or any(p.count('<span class="line">') != 6 for p in verses):
        fail("verse: %d EPUB verse paragraphs (want 24, 6 lines each)" % len(verses))
    if len(attrs) != 24:
        fail("verse: %d EPUB attribution paragraphs, want 24" % len(attrs))
    doc = fitz.open(pdf)
    lines = [(p, x, nospace(t)) for p, x, t in pdf_lines(doc)]
    edge = {}  # page → the text block's left edge (its leftmost line)
    for p, x, _ in lines:
        edge[p] = min(edge.get(p, x), x)
    split = []
    for i in range(24):
        at = [(p, x) for p, x, t in lines if t.startswith("第%d首第" % i)]
        if len(at) != 6:
            fail("verse: poem %d has %d PDF lines starting a verse line, want 6" % (i, len(at)))
            continue
        off = [round(x - edge[p], 1) for p, x in at]
        if any(abs(o) > 0.5 for o in off):
            fail("verse: poem %d lines start %r pt right of the text block's edge" % (i, off))
        if len({p for p, _ in at}) != 1:
            split.append(i)
    if split:
        fail("verse: short poems split across pages: %r" % split)
    wrapped = [(p, x) for p, x, t in lines if "聲" in t and not t.startswith("第")]
    if not wrapped or any(abs(x - edge[p] - 21) > 1 for p, x in wrapped):
        fail("verse: the wrapped line's continuation does not hang 2 em: %r" %
             [(round(x - edge[p], 1)) for p, x in wrapped])
    if len(failures) == 0:
        print("manuscript: indents stripped/kept, Chinese joined, 24 poems aligned, whole and hanging")


# Prose without front matter, one book per language the detector tells apart.
# The zh-Hant text is mostly characters both writings share; a few (國 說 這
# 們 會 學) decide.
DETECT = {
    "zh-Hans": ("# 第一章\n\n我们在这里说一说中国的历史，这个国家的学者会来讲。\n", "Simplified-only"),
    "zh-Hant": ("# 第一回\n\n我們在這裡說一說中國的歷史，這個國家的學者會來講。\n", "Traditional-only"),
    "ja": ("# 第一章\n\n吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。\n", "kana"),
    "ko": ("# 제1장\n\n대한민국은 민주공화국이다. 대한민국의 주권은 국민에게 있고, 모든 권력은 국민으로부터 나온다.\n",
           "Hangul"),
    "en": ("# Chapter One\n\nIt was the best of times, it was the worst of times.\n", "Latin letters"),
}


def check_detected():
    for lang, (body, what) in DETECT.items():
        before = len(failures)
        contents, pdf_lang = WANT[lang][0], WANT[lang][4]
        src = os.path.join(WORK, "detect-%s.md" % lang)
        write(src, body)
        r = subprocess.run([KMBOOK, "--verbose", "--check", "--book", src], capture_output=True, text=True)
        said = re.search(r"kmbook: language: detected (\S+) from the text \((\d+) ([^)]*)\)", r.stderr)
        if not said or said.group(1) != lang or what not in said.group(3):
            fail("%s: --verbose says %r" % (lang, said and said.group(0)))
        epub, pdf = build(src, "detect-" + lang)
        files, opf, chapters = epub_docs(epub)
        if "<dc:language>%s</dc:language>" % lang not in opf:
            fail("%s: dc:language %r" % (lang, re.findall(r"<dc:language>([^<]*)<", opf)))
        for ch in chapters:
            if 'xml:lang="%s"' % lang not in files["EPUB/" + ch]:
                fail("%s: chapter %s lacks xml:lang=%r" % (lang, ch, lang))
        m = re.search(r'<h1 id="toc-title">([^<]*)</h1>', files["EPUB/nav.xhtml"])
        if not m or m.group(1) != contents:
            fail("%s: EPUB contents title %r, want %r" % (lang, m and m.group(1), contents))
        doc = fitz.open(pdf)
        toc = doc.get_toc()
        if not toc or toc[0][1] != contents:
            fail("%s: PDF outline's contents entry %r, want %r" % (lang, toc and toc[0][1], contents))
        if nospace(contents) not in nospace(pdf_text(doc)):
            fail("%s: the PDF's contents page lacks %r" % (lang, contents))
        cat = doc.xref_object(doc.pdf_catalog(), compressed=False)
        m = re.search(r"/Lang \(([^)]*)\)", cat)
        if not m or m.group(1) != pdf_lang:
            fail("%s: PDF /Lang %r, want %r" % (lang, m and m.group(1), pdf_lang))
        if len(failures) == before:
            print("%s: detected (%s), dc:language, xml:lang, /Lang %s and contents title %r agree"
                  % (lang, said.group(0).split("(", 1)[1].rstrip(")"), pdf_lang, contents))


os.makedirs(WORK, exist_ok=True)
{"headings": check_headings, "languages": check_languages, "titles": check_titles,
 "manuscript": check_manuscript, "detected": check_detected}[CHECK]()
if failures:
    sys.exit("%d failure(s)" % len(failures))
