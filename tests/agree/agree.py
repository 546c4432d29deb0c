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
{"headings": check_headings, "languages": check_languages, "detected": check_detected}[CHECK]()
if failures:
    sys.exit("%d failure(s)" % len(failures))
