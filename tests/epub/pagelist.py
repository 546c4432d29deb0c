#!/usr/bin/python3
"""pagelist.py KMBOOK WORKDIR [BOOK_DIR] — the EPUB's page list matches the PDF
(issue 16 part 2).

Builds the book with --epub --pdf in one run, then:
  - the same run with --page-list instead of --pdf gives the same EPUB bytes,
    and the PDF equals one built alone (the page list changes no PDF byte);
  - the nav's page-list names every PDF page, in order, by the PDF's own
    page labels (/PageLabels: roman front matter, then 1, 2, ...), and every
    link reaches a doc-pagebreak marker with that id and aria-label;
  - for EVERY body page N: the text after the EPUB's marker N begins with
    the first characters of PDF page N (read from the PDF with pdftotext
    -raw, in content order, so the running head and folio, drawn after the
    page's text, come last; whitespace, soft hyphens and line-end hyphens
    ignored, and list labels, which the EPUB's CSS generates; a table's
    header row repeated at the top of the page is skipped);
    a page with no text of its own (a blank page, a figure without a
    caption) has its marker right before the next page's marker or the
    figure;
  - front-matter pages: the cover's marker is in cover.xhtml, the title and
    copyright pages' in colophon.xhtml, the contents pages' in nav.xhtml
    (the EPUB has no title page and sets its contents there);
  - the check can fail: every marker moved on by one character must fail it
    (at least 90% of the pages; a page starting "……" may still match).
The PDF text is read with pdftotext (poppler-utils) and the labels with
PyMuPDF; without them the test skips (77).
"""
import os
import re
import shutil
import subprocess
import sys
import zipfile
import xml.etree.ElementTree as ET

try:
    import fitz  # PyMuPDF
except ImportError:
    print("SKIP: PyMuPDF (python3-fitz) is not installed for /usr/bin/python3")
    sys.exit(77)
if not shutil.which("pdftotext"):
    print("SKIP: pdftotext (poppler-utils) is not installed")
    sys.exit(77)

KMBOOK, WORK = sys.argv[1], sys.argv[2]
BOOK = sys.argv[3] if len(sys.argv) > 3 else None
PREFIX = 10  # characters compared at each page start
XH = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(*args):
    cmd = [KMBOOK, "--quiet"] + (["--book", BOOK] if BOOK else []) + list(args)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    if r.returncode != 0:
        print(r.stderr)
        sys.exit("kmbook %s failed (exit %d)" % (" ".join(args), r.returncode))


def norm(s):
    s = s.replace("\u00ad", "")
    s = re.sub(r"-\n", "", s)  # a word hyphenated at a line end
    s = re.sub(r"[\s\u200b\u2060\ufeff]+", "", s)
    # List labels: the PDF sets them as text, the EPUB's CSS generates them;
    # taken out of both texts alike (so a "1." of the text goes from both).
    return re.sub(r"[\u2022\u25e6\u25aa]|\d+[.)]", "", s)


os.makedirs(WORK, exist_ok=True)
both_epub, both_pdf = os.path.join(WORK, "both.epub"), os.path.join(WORK, "both.pdf")
run("--epub", both_epub, "--pdf", both_pdf)
pl_epub = os.path.join(WORK, "pagelist.epub")
run("--epub", pl_epub, "--page-list")
alone_pdf = os.path.join(WORK, "alone.pdf")
run("--pdf", alone_pdf)
if open(both_epub, "rb").read() != open(pl_epub, "rb").read():
    fail("--epub --page-list and --epub --pdf give different EPUBs")
if open(both_pdf, "rb").read() != open(alone_pdf, "rb").read():
    fail("the PDF built with the EPUB differs from the PDF built alone")

if not BOOK:
    # the command line: --help lists --page-list; without --epub it is an error
    h = subprocess.run([KMBOOK, "--help"], capture_output=True, text=True)
    if "--page-list" not in h.stdout:
        fail("kmbook --help does not list --page-list")
    r = subprocess.run([KMBOOK, "--page-list", "--pdf", os.path.join(WORK, "x.pdf")],
                       capture_output=True, text=True)
    if r.returncode != 2 or "--epub" not in r.stderr:
        fail("--page-list without --epub: exit %d, %r (want 2, naming --epub)" % (r.returncode, r.stderr))

# --- the PDF: labels and each page's text ---
doc = fitz.open(both_pdf)
labels = [p.get_label() for p in doc]
n_pages = len(labels)


def pdf_text(n):
    r = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", "-f", str(n), "-l", str(n),
                        both_pdf, "-"], capture_output=True, text=True)
    return r.stdout


# --- the EPUB: spine documents as one stream of text, markers and figures ---
z = zipfile.ZipFile(both_epub)
opf_path = re.search(r'full-path="([^"]+)"', z.read("META-INF/container.xml").decode()).group(1)
root = os.path.dirname(opf_path)
opf = ET.fromstring(z.read(opf_path))
NS_OPF = "{http://www.idpf.org/2007/opf}"
items = {i.get("id"): i.get("href") for i in opf.iter(NS_OPF + "item")}
spine = [items[r.get("idref")] for r in opf.iter(NS_OPF + "itemref")]

stream = []  # ("text", s) | ("mark", label, doc, id, head) | ("fig",)
marks = {}   # label → index in stream
heads = []   # the header rows of the tables the walk is in (normalised text)


def walk(el, doc):
    tag = el.tag.replace(XH, "")
    if el.get("hidden") is not None or tag in ("rt", "rp", "head"):
        return
    if el.get(OPS + "type") == "pagebreak":
        if el.get("role") != "doc-pagebreak":
            fail("%s: marker %s has no role=doc-pagebreak" % (doc, el.get("id")))
        lab = el.get("aria-label")
        if el.get("id") not in ("page-%s" % lab, "kmb-page-%s" % lab):
            fail("%s: marker id %s does not match its aria-label %s" % (doc, el.get("id"), lab))
        if lab in marks:
            fail("page %s has two markers" % lab)
        marks[lab] = len(stream)
        stream.append(("mark", lab, doc, el.get("id"), heads[-1] if heads else ""))
    elif tag in ("figure", "img"):
        stream.append(("fig",))
    if tag == "table":
        heads.append("".join(norm("".join(h.itertext())) for h in el.iter(XH + "thead")))
    if el.text:
        stream.append(("text", el.text))
    for c in el:
        walk(c, doc)
        if c.tail:
            stream.append(("text", c.tail))
    if tag == "table":
        heads.pop()


for href in spine:
    walk(ET.fromstring(z.read(os.path.join(root, href).replace("\\", "/"))), href)

# the page-list nav
nav_href = [i.get("href") for i in opf.iter(NS_OPF + "item") if "nav" in (i.get("properties") or "").split()][0]
nav = ET.fromstring(z.read(os.path.join(root, nav_href)))
page_list = [n for n in nav.iter(XH + "nav") if n.get(OPS + "type") == "page-list"]
if len(page_list) != 1:
    sys.exit("FAIL: the nav document has %d page-list navs" % len(page_list))
entries = [(a.text or "", a.get("href")) for a in page_list[0].iter(XH + "a")]
if [e[0] for e in entries] != labels:
    fail("page-list labels %s are not the PDF's page labels %s" % ([e[0] for e in entries], labels))
for text, href in entries:
    f, _, frag = href.partition("#")
    m = marks.get(text)
    if m is None:
        fail("page %s: no marker in the EPUB" % text)
    elif stream[m][2] != f or stream[m][3] != frag:
        fail("page %s: the page list links %s, the marker is %s#%s" % (text, href, stream[m][2], stream[m][3]))
meta = z.read(opf_path).decode()
for feature in ("pageBreakMarkers", "printPageNumbers"):
    if ">%s<" % feature not in meta:
        fail("no schema:accessibilityFeature %s" % feature)
if 'property="source-of">pagination<' not in meta:
    fail("no dc:source refined as the source of the pagination")


def after(pos, skip=0):
    """Normalised text after stream position pos (the marker), up to PREFIX + skip characters."""
    out = ""
    for ev in stream[pos + 1:]:
        if ev[0] == "text":
            out += norm(ev[1])
            if len(out) >= PREFIX + skip + 8:
                break
    return out[skip:]


def next_thing(pos):
    for ev in stream[pos + 1:]:
        if ev[0] == "text" and not norm(ev[1]):
            continue
        return ev
    return None


def matches(page_text, epub_text):
    return epub_text.startswith(page_text[:PREFIX])


checked = shifted_failed = shifted_total = front_rank = 0
for n in range(1, n_pages + 1):
    lab = labels[n - 1]
    if lab not in marks:
        continue  # said above
    pos = marks[lab]
    doc_of = stream[pos][2]
    front = not re.match(r"^\d+$", lab)
    if front:
        # the cover, title, copyright and contents pages go to their EPUB
        # counterparts, in this order; a blank page goes where the next one does
        rank = {"cover.xhtml": 0, "colophon.xhtml": 1, nav_href: 2}.get(doc_of, 3)
        if n == 1 and rank != 0:
            fail("page %s (the cover) has its marker in %s, not cover.xhtml" % (lab, doc_of))
        if rank < front_rank:
            fail("page %s: its marker in %s comes before the previous page's" % (lab, doc_of))
        front_rank = rank
        if rank < 3:
            checked += 1
            continue
    text = norm(pdf_text(n))
    if not text:
        nx = next_thing(pos)
        if nx is None or nx[0] in ("mark", "fig"):
            checked += 1
        else:
            fail("page %s has no text in the PDF, but its marker is followed by text %r"
                 % (lab, after(pos)))
        continue
    got = after(pos)
    checked += 1
    head = stream[pos][4]
    if head and text.startswith(head) and not got.startswith(head):
        text = text[len(head):]  # a table's header row, repeated on the page it runs on to
    if next_thing(pos)[0] == "fig":
        # a page starting with a figure: its marker is before the figure;
        # text inside an SVG figure is text in the PDF but not in the
        # EPUB's <img>, so the caption need only be on the page
        if got[:PREFIX] not in text:
            fail("page %s starts with a figure whose caption %r is not on PDF page %s"
                 % (lab, got[:PREFIX], lab))
        continue
    if not matches(text, got):
        fail("page %s: the PDF page begins %r, the EPUB after its marker %r"
             % (lab, text[:PREFIX], got[:PREFIX]))
    shifted_total += 1
    if not matches(text, after(pos, 1)):
        shifted_failed += 1

print("%d pages (%s … %s); %d checked; markers moved by one character fail %d of %d"
      % (n_pages, labels[0], labels[-1], checked, shifted_failed, shifted_total))
if shifted_total and shifted_failed < 0.9 * shifted_total:
    fail("the check cannot tell a marker one character off (%d of %d)" % (shifted_failed, shifted_total))
if shifted_total == 0:
    fail("no page was checked against its text")
sys.exit(1 if failures else 0)
