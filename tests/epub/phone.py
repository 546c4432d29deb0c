#!/usr/bin/python3
"""Structure checks for the EPUB on a phone (issue 12 item 8).

    phone.py EPUB_DIR BOOK_DIR

EPUB_DIR is the unpacked EPUB folder of tests/epub/phone-book (ch01.xhtml,
css/kmbook.css); BOOK_DIR the manuscript, for the code block's exact text.
Each check prints "ok" or "FAIL" with what it saw; exit 1 if any failed.
"""
import os
import re
import sys
from xml.etree import ElementTree

H = "{http://www.w3.org/1999/xhtml}"
failures = 0


def check(ok, what, seen=""):
    global failures
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else " — saw: " + seen))
    failures += not ok


def text(el):
    return "".join(el.itertext())


def classes(el):
    return (el.get("class") or "").split()


def main():
    epub, book = sys.argv[1], sys.argv[2]
    root = ElementTree.parse(os.path.join(epub, "ch01.xhtml")).getroot()
    css = open(os.path.join(epub, "css", "kmbook.css"), encoding="utf-8").read()
    css_flat = re.sub(r"/\*.*?\*/", "", css, flags=re.S)

    def rule(selector):
        m = re.search(r"(^|\n)" + re.escape(selector) + r"\s*\{([^}]*)\}", css_flat)
        return m.group(2) if m else ""

    # Wide table: class "wide", set smaller; no scroll container (Chromium
    # would keep a scrollable box on one page and cut a tall table).
    tables = list(root.iter(H + "table"))
    check(len(tables) == 1, "one table", str(len(tables)))
    t = tables[0]
    ncols = len(next(t.iter(H + "tr")).findall(H + "th"))
    check(ncols == 6 and "wide" in classes(t), "the 6-column table has class wide",
          "%d columns, class %r" % (ncols, t.get("class")))
    check("font-size" in rule("table.wide"), "table.wide is set smaller", rule("table.wide"))
    check("overflow" not in rule("table") and not re.search(r"overflow-x", css_flat),
          "no scroll container for tables", rule("table"))

    # URLs: links that show an address get class url and break anywhere.
    links = list(root.iter(H + "a"))
    url_links = [a for a in links if text(a).startswith("http")]
    check(len(url_links) >= 4 and all("url" in classes(a) for a in url_links),
          "every link showing a URL has class url (table cells too)",
          ", ".join("%s %r" % (text(a)[:30], a.get("class")) for a in url_links))
    check("break-all" in rule("a.url, .long-word"), "a.url and .long-word break anywhere",
          rule("a.url, .long-word"))

    # A long identifier in running text, and in inline code.
    longs = [el for el in root.iter() if "long-word" in classes(el)]
    seen = [text(el) for el in longs]
    check("std::collections::hash_map::DefaultHasher::new_with_keys" in seen,
          "a long identifier in text is span.long-word", repr(seen))
    check(any(el.tag == H + "code" and "HashMap" in text(el) for el in longs),
          "long inline code is code.long-word", repr(seen))
    short = [text(el) for el in longs if len(text(el)) < 20]
    check(not short, "short words are not marked", repr(short))

    # Code block: the exact source text (copies unchanged), hanging indent in CSS.
    src = open(os.path.join(book, "01-phone.md"), encoding="utf-8").read()
    want = re.search(r"```rust\n(.*?)\n```", src, re.S).group(1)
    codes = [text(c) for p in root.iter(H + "pre") for c in p.iter(H + "code")]
    check(codes == [want], "the code block's text is the source, byte for byte", repr(codes))
    check(re.search(r"text-indent:\s*[0-9.]+\w+ hanging each-line", rule("pre")) is not None,
          "pre has a hanging indent for wrapped lines", rule("pre"))

    # kbd is styled.
    kbds = [text(k) for k in root.iter(H + "kbd")]
    check(kbds == ["Ctrl", "Shift", "P"], "kbd kept", repr(kbds))
    check("border" in rule("kbd") and "font-family" in rule("kbd"), "kbd has a border and a code font",
          rule("kbd"))

    # Figures: alt does not repeat the caption; a distinct description stays.
    figs = list(root.iter(H + "figure"))
    check(len(figs) == 2, "two figures", str(len(figs)))
    for f in figs:
        img, cap = f.find(H + "img"), f.find(H + "figcaption")
        check(img is not None and cap is not None and img.get("alt") != text(cap),
              "figure alt differs from its caption",
              "alt %r caption %r" % (img.get("alt") if img is not None else None,
                                     text(cap) if cap is not None else None))
    if len(figs) == 2:
        check(figs[0].find(H + "img").get("alt") == "",
              "alt equal to the caption becomes alt=\"\"", repr(figs[0].find(H + "img").get("alt")))
        check(figs[1].find(H + "img").get("alt") == "柱状图：三个年份的读者人数，逐年增加",
              "a distinct description (the image title) is the alt",
              repr(figs[1].find(H + "img").get("alt")))

    # Emphasis: dots on CJK only; Latin and digits in span.non-cjk.
    ems = list(root.iter(H + "em"))
    check(len(ems) == 2, "two emphases (Markdown and inline HTML)", str(len(ems)))
    want = [(["Latin words", "2024"], "这是重点"), (["HTML text"], "重点")]
    for em, (latin_want, cjk) in zip(ems, want):
        latin = [text(s).strip() for s in em.iter(H + "span") if "non-cjk" in classes(s)]
        check(latin == latin_want, "Latin and digits inside em are span.non-cjk", repr(latin))
        bare = (em.text or "") + "".join(s.tail or "" for s in em)
        check(not re.search(r"[A-Za-z0-9]", bare) and cjk in bare,
              "the CJK of the emphasis stays outside the spans (dots)", repr(bare))
    check(re.search(r"text-emphasis-style:\s*none", rule("em .non-cjk, em code") or "") is not None
          and "italic" in rule("em .non-cjk"),
          "span.non-cjk in em: no dots, italic", rule("em .non-cjk"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
