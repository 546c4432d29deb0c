#!/usr/bin/python3
"""An OpenCC edition of a book (kmbook --convert), checked against OpenCC's
own command line on the same text.

    check_edition.py KMBOOK CONFIG [BOOK]

Builds BOOK (default: the bundled book) as written and with --convert CONFIG,
EPUB and PDF, then checks:
- every text block of every EPUB chapter (paragraphs, headings, list items,
  cells, captions, notes, with code left out) equals `opencc -c CONFIG.json`
  run on the same block of the book as written (for Taiwan and Hong Kong
  configurations with “” ‘’ turned into 「」 『』, as kmbook documents);
- code, link targets and image sources are identical in both editions;
- the edition's dc:language, a new dc:identifier and the manuscript's
  identifier as dc:source; the contents title in the edition's language;
- the PDF text layer holds every converted block (fidelity).
Exit 0 pass, 1 fail, 77 when opencc or PyMuPDF is missing.
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
import xml.etree.ElementTree as ET

XHTML = "{http://www.w3.org/1999/xhtml}"
DC = "{http://purl.org/dc/elements/1.1/}"
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "figcaption", "dt", "dd"}
CORNER = {"s2tw", "s2twp", "s2hk", "t2tw", "t2hk"}
LANG = {"s2t": "zh-Hant", "s2tw": "zh-Hant-TW", "s2twp": "zh-Hant-TW", "s2hk": "zh-Hant-HK",
        "t2s": "zh-Hans", "tw2s": "zh-Hans"}


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def block_texts(el, out, codes, refs):
    """Texts of the innermost block elements, code left out (and collected)."""
    tag = el.tag.replace(XHTML, "")
    for a in ("href", "src"):
        if el.get(a):
            refs.append(el.get(a))
    if tag in ("code", "pre"):
        codes.append("".join(el.itertext()))
        return None
    parts = [el.text or ""]
    inner_block = False
    for ch in el:
        t = block_texts(ch, out, codes, refs)
        if t is None:
            parts.append("\0")  # code: a gap the comparison keeps
        elif isinstance(t, tuple):
            inner_block = True
        else:
            parts.append(t)
        parts.append(ch.tail or "")
    text = "".join(parts)
    if tag in BLOCKS and not inner_block:
        out.append(text)
        return ("block",)
    if inner_block:
        return ("block",)
    return text


def read_epub(path):
    z = zipfile.ZipFile(path)
    blocks, codes, refs = [], [], []
    for name in sorted(n for n in z.namelist() if re.search(r"ch\d+\.xhtml$", n)):
        root = ET.fromstring(z.read(name))
        block_texts(root.find(XHTML + "body"), blocks, codes, refs)
    opf = ET.fromstring(z.read("EPUB/content.opf"))
    md = opf.find("{http://www.idpf.org/2007/opf}metadata")
    meta = {
        "language": md.find(DC + "language").text,
        "identifier": md.find(DC + "identifier").text,
        "sources": [e.text for e in md.findall(DC + "source")],
    }
    nav = ET.fromstring(z.read("EPUB/nav.xhtml"))
    meta["toc"] = nav.find(XHTML + "head").find(XHTML + "title").text
    return blocks, codes, refs, meta


def corner_quotes(s):
    out = []
    for i, c in enumerate(s):
        if c == "\u2019":
            prev, nxt = s[i - 1] if i else "", s[i + 1] if i + 1 < len(s) else ""
            latin = lambda x: x.isalpha() and x.isascii()  # noqa: E731
            out.append(c if latin(prev) and latin(nxt) else "\u300F")
        else:
            out.append({"\u201C": "\u300C", "\u201D": "\u300D", "\u2018": "\u300E"}.get(c, c))
    return "".join(out)


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    kmbook, config = sys.argv[1], sys.argv[2]
    book = sys.argv[3:4]
    opencc = shutil.which("opencc")
    if not opencc:
        print("SKIP: opencc (the command line) is not installed — scripts/setup installs it")
        return 77
    try:
        import fitz
    except ImportError:
        print("SKIP: python3-fitz (PyMuPDF) is not installed — scripts/setup --test-deps installs it")
        return 77
    tmp = tempfile.mkdtemp(prefix="kmb-edition-")
    try:
        env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
        args = ["--book", book[0]] if book else []
        for name, extra in (("orig", []), ("conv", ["--convert", config])):
            r = subprocess.run([kmbook, *args, *extra, "--quiet", "--epub", f"{tmp}/{name}.epub",
                                "--pdf", f"{tmp}/{name}.pdf"], env=env, capture_output=True, text=True)
            if r.returncode:
                fail(f"kmbook {' '.join(extra)}: exit {r.returncode}: {r.stderr.strip()}")
        ob, oc, orf, om = read_epub(f"{tmp}/orig.epub")
        cb, cc, crf, cm = read_epub(f"{tmp}/conv.epub")
        if len(ob) != len(cb):
            fail(f"{len(ob)} text blocks as written, {len(cb)} in the edition")
        # OpenCC's command line converts line by line: one block per line
        src = "\n".join(b.replace("\n", "\1") for b in ob) + "\n"
        r = subprocess.run([opencc, "-c", f"{config}.json"], input=src, capture_output=True, text=True)
        if r.returncode:
            fail(f"opencc -c {config}.json: {r.stderr.strip()}")
        want = [w.replace("\1", "\n") for w in r.stdout.split("\n")[: len(ob)]]
        if config in CORNER:
            want = [corner_quotes(w) for w in want]
        bad = [(w, c) for w, c in zip(want, cb) if w != c]
        for w, c in bad[:5]:
            print(f"  OpenCC: {w[:60]!r}\n  kmbook: {c[:60]!r}")
        if bad:
            fail(f"{len(bad)} of {len(cb)} blocks differ from OpenCC's own conversion")
        if oc != cc:
            fail("code changed in the edition")
        if orf != crf:
            fail("link targets or image sources changed in the edition")
        if cm["language"] != LANG.get(config, cm["language"]):
            fail(f"dc:language {cm['language']}, expected {LANG[config]}")
        if cm["identifier"] == om["identifier"] or om["identifier"] not in cm["sources"]:
            fail("the edition needs its own dc:identifier and the manuscript's as dc:source")
        if cm["toc"] == om["toc"] and cm["language"] != om["language"]:
            fail(f"contents title {cm['toc']!r} not in the edition's language")
        # PDF fidelity: every converted block's characters are in the text
        # layer (anywhere: notes sit at the page foot in the PDF and at the
        # chapter end in the EPUB)
        doc = fitz.open(f"{tmp}/conv.pdf")
        # the text block only: running heads and folios (lines whose middle
        # is in the top or bottom 8 % of the page) would split a paragraph
        # that runs over a page break
        lines = []
        for p in doc:
            h = p.rect.height
            for b in p.get_text("dict")["blocks"]:
                for ln in b.get("lines", []):
                    mid = (ln["bbox"][1] + ln["bbox"][3]) / 2
                    if 0.08 * h < mid < 0.92 * h:
                        lines.append("".join(sp["text"] for sp in ln["spans"]))
        flat = re.sub(r"\s+", "", "".join(lines))
        # a word hyphenated at a line end (Sci-|ence) is one word in the text
        # layer: the hyphen is inside the letter's ActualText, which PyMuPDF
        # does not apply; a block may also be found with such hyphens dropped
        joined = [ln[:-1] if i + 1 < len(lines) and re.search(r"[A-Za-z]-$", ln)
                  and re.match(r"[a-z]", lines[i + 1]) else ln for i, ln in enumerate(lines)]
        flat += "\0" + re.sub(r"\s+", "", "".join(joined))
        missing = 0
        for blk in cb:
            for piece in blk.split("\0"):
                piece = re.sub(r"\s+", "", piece)
                if piece and piece not in flat:
                    missing += 1
                    if missing <= 3:
                        k = max(n for n in range(len(piece) + 1) if piece[:n] in flat)
                        print(f"  not in the PDF: {piece[:50]!r}, from {piece[max(0, k - 8):k + 12]!r}")
        if missing:
            fail(f"{missing} converted blocks not found in the PDF's text")
        print(f"ok: {len(cb)} blocks equal OpenCC {config}; code and targets unchanged; "
              f"{cm['language']}, identifier {cm['identifier']}; the PDF has them all")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
