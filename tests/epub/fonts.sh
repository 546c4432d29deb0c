#!/bin/sh
# --epub-fonts subset (issue 16 part 3).
#   fonts.sh epubcheck KMBOOK [BOOK_DIR]          EPUBCheck 0/0 (EPUBCHECK_JAR picks the version)
#   fonts.sh structure KMBOOK KMB_EPUB_TEST FONT_CMAP [BOOK_DIR]
#            manifest items and media types, @font-face rules and stacks, the
#            licence; every character of the documents' text is in the face
#            that sets it, and the faces hold no character the book lacks
#   fonts.sh repro KMBOOK [BOOK_DIR]              byte-identical rebuilds; the
#            default (and --epub-fonts none) embeds nothing
#   fonts.sh render KMBOOK KMB_EPUB_TEST [BOOK_DIR]   headless Chromium with
#            a private fontconfig holding DejaVu only (Noto CJK hidden) draws
#            every chapter, the nav and the colophon exactly as the book
#            without embedded fonts looks with Noto CJK; chapter 1 without
#            them differs (KMB_KEEP_SCREENSHOT=DIR keeps the PNGs)
# No BOOK_DIR = the bundled default book. Exit 77 = skipped (tool missing).
set -u
mode=$1
kmbook=$2
shift 2
tmp=$(mktemp -d /tmp/kmb-fonts-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
build() { # build OUT TZ [extra options]
  out=$1 tz=$2
  shift 2
  if [ -n "$book" ]; then
    TZ=$tz SOURCE_DATE_EPOCH=1700000000 "$kmbook" -q --epub "$out" --book "$book" "$@"
  else
    TZ=$tz SOURCE_DATE_EPOCH=1700000000 "$kmbook" -q --epub "$out" "$@"
  fi
}
case $mode in
epubcheck)
  book=${1:-}
  build "$tmp/a.epub" UTC --epub-fonts subset || exit 1
  sh "$(dirname "$0")/epubcheck.sh" file "$tmp/a.epub"
  ;;
structure)
  test_bin=$1 cmap=$2
  book=${3:-}
  command -v python3 >/dev/null || { echo "SKIP: python3 is not installed — the structure check reads the EPUB with it"; exit 77; }
  build "$tmp/a.epub" UTC --epub-fonts subset || exit 1
  "$test_bin" check "$tmp/a.epub" >/dev/null || { echo "read-back check failed"; exit 1; }
  "$test_bin" extract "$tmp/a.epub" "$tmp/x" || exit 1
  for f in "$tmp"/x/EPUB/fonts/*.otf "$tmp"/x/EPUB/fonts/*.ttf; do
    [ -f "$f" ] && { "$cmap" "$f" || exit 1; }
  done >"$tmp/cmap.txt"
  python3 - "$tmp/x/EPUB" "$tmp/cmap.txt" <<'PY'
import os, re, sys, xml.etree.ElementTree as ET
root, cmap_file = sys.argv[1], sys.argv[2]
X = "{http://www.w3.org/1999/xhtml}"
bad = []
def fail(msg):
    bad.append(msg)
opf = ET.parse(os.path.join(root, "content.opf")).getroot()
ns = {"o": "http://www.idpf.org/2007/opf"}
items = {i.get("href"): i for i in opf.iterfind("o:manifest/o:item", ns)}
fonts = sorted(h for h in items if h.startswith("fonts/") and h != "fonts/OFL.txt")
if "fonts/body-regular.otf" not in fonts:
    fail("no fonts/body-regular.otf in the manifest: %s" % fonts)
for h in fonts:
    mt = items[h].get("media-type")
    want = "font/otf" if h.endswith(".otf") else "font/ttf"
    if mt != want:
        fail("%s has media-type %s, not %s" % (h, mt, want))
    if not re.fullmatch(r"fonts/(body|heading|code)-(regular|bold)\.(otf|ttf)", h):
        fail("unexpected font file name " + h)
if items.get("fonts/OFL.txt") is None or items["fonts/OFL.txt"].get("media-type") != "text/plain":
    fail("fonts/OFL.txt is not in the manifest as text/plain")
lic = open(os.path.join(root, "fonts/OFL.txt"), encoding="utf-8").read()
if "SIL OPEN FONT LICENSE Version 1.1" not in lic:
    fail("fonts/OFL.txt does not hold the OFL")
for h in fonts:
    if os.path.basename(h) not in lic:
        fail("the licence file does not name " + h)
# the spine holds no font or licence
for r in opf.iterfind("o:spine/o:itemref", ns):
    if r.get("idref", "").startswith("font"):
        fail("the spine refers to " + r.get("idref"))
css = open(os.path.join(root, "css/kmbook.css"), encoding="utf-8").read()
rules = re.findall(r'@font-face \{\s*font-family: "kmbook (\w+)";\s*font-style: normal;\s*'
                   r'font-weight: (normal|bold);\s*src: url\("\.\./(fonts/[^"]+)"\) format\("opentype"\);\s*\}', css)
if len(rules) != css.count("@font-face"):
    fail("an @font-face rule has an unexpected form")
for role, weight, src in rules:
    if src not in fonts:
        fail("@font-face for kmbook %s %s points at %s, not in the manifest" % (role, weight, src))
    if not re.search(r'font-family: "kmbook %s", ' % role, css):
        fail('"kmbook %s" is not first in any font stack' % role)
for h in fonts:
    if not any(src == h for _, _, src in rules):
        fail(h + " is in no @font-face rule")
# coverage
cov = {}
for line in open(cmap_file):
    f, cp = line.split()
    cov.setdefault("fonts/" + os.path.basename(f), set()).add(int(cp[2:], 16))
face = {(r, w): src for r, w, src in rules}
def face_of(role, bold):
    return face.get((role, "bold" if bold else "normal")) or face.get((role, "normal"))
# text in plain paragraphs (no inline markup) must be in body-regular, the
# text of h1 in heading-bold: the two facts a reader sees on every page
used = set()
docs = [f for f in os.listdir(root) if f.endswith(".xhtml")]
for d in docs:
    tree = ET.parse(os.path.join(root, d))
    body = tree.getroot().find(X + "body")
    for el in body.iter():
        # an image's text alternative is set in the text's font where the image fails
        for t in (el.text, el.tail, el.get("alt") if el.tag == X + "img" else None):
            if t:
                used |= {ord(c) for c in t if c not in " \t\r\n"}
    for p in body.iter(X + "p"):
        cls = (p.get("class") or "").split()
        if len(p) == 0 and p.text and "attribution" not in cls and "callout-title" not in cls:
            miss = {c for c in p.text if not c.isspace() and ord(c) not in cov.get(face_of("body", False), set())}
            if miss:
                fail("%s: a paragraph's characters %s are not in %s" % (d, "".join(sorted(miss)), face_of("body", False)))
    titled = [e for e in body.iter() if "callout-title" in (e.get("class") or "").split()]
    for h in list(body.iter(X + "h1")) + titled:
        t = "".join(h.itertext())
        miss = {c for c in t if not c.isspace() and ord(c) not in cov.get(face_of("heading", True), set())}
        if miss:
            fail("%s: heading characters %s are not in %s" % (d, "".join(sorted(miss)), face_of("heading", True)))
allcov = set().union(*cov.values()) if cov else set()
missing = {c for c in used if c not in allcov}
if missing:
    fail("characters of the book in no embedded face: " + "".join(chr(c) for c in sorted(missing)))
# few others: only the list numbers, emphasis dots and spaces beyond the text
extra = allcov - used - {0x20, 0xA0, 0x2022} - set(range(0x30, 0x3A)) - {0x2E}
if extra:
    fail("the faces hold %d characters the book does not use: %s" % (len(extra), "".join(chr(c) for c in sorted(extra))[:80]))
for msg in bad:
    print("FAIL:", msg)
if extra: print("extra:", ["U+%04X" % c for c in sorted(extra)])
sizes = ", ".join("%s %d chars" % (f[6:], len(c)) for f, c in sorted(cov.items()))
print("%d characters used, %s" % (len(used), sizes))
sys.exit(1 if bad else 0)
PY
  ;;
repro)
  book=${1:-}
  build "$tmp/a.epub" UTC --epub-fonts subset || exit 1
  build "$tmp/b.epub" Asia/Shanghai --epub-fonts subset || exit 1
  cmp "$tmp/a.epub" "$tmp/b.epub" || { echo "two builds with --epub-fonts subset differ"; exit 1; }
  build "$tmp/c.epub" UTC || exit 1
  build "$tmp/d.epub" UTC --epub-fonts none || exit 1
  cmp "$tmp/c.epub" "$tmp/d.epub" || { echo "--epub-fonts none differs from the default"; exit 1; }
  if unzip -l "$tmp/c.epub" 2>/dev/null | grep -q 'EPUB/fonts/'; then
    echo "the default EPUB embeds fonts"; exit 1
  fi
  if "$kmbook" -q --epub "$tmp/e.epub" --epub-fonts woff9 2>"$tmp/err"; then
    echo "--epub-fonts woff9 was accepted"; exit 1
  fi
  grep -q "epub-fonts" "$tmp/err" || { echo "the error does not name the option:"; cat "$tmp/err"; exit 1; }
  echo "byte-identical with --epub-fonts subset ($(wc -c <"$tmp/a.epub") bytes; without: $(wc -c <"$tmp/c.epub") bytes)"
  ;;
render)
  test_bin=$1
  book=${2:-}
  chrome=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$chrome" ]; then
    echo "SKIP: chromium not installed (apt-get install chromium) — rendering check skipped"
    exit 77
  fi
  if ! /usr/bin/python3 -c 'import fitz' 2>/dev/null; then
    echo "SKIP: python3-fitz (PyMuPDF) is not installed — scripts/setup --test-deps installs it"; exit 77
  fi
  build "$tmp/with.epub" UTC --epub-fonts subset || exit 1
  build "$tmp/without.epub" UTC || exit 1
  "$test_bin" extract "$tmp/with.epub" "$tmp/with" || exit 1
  "$test_bin" extract "$tmp/without.epub" "$tmp/without" || exit 1
  # A fontconfig that sees DejaVu only: the system's Noto CJK is hidden.
  # (With no font at all Chromium draws no text, web fonts included.)
  dejavu=/usr/share/fonts/truetype/dejavu
  if [ ! -d "$dejavu" ]; then
    echo "SKIP: $dejavu missing (apt-get install fonts-dejavu-core) — the rendering check needs one non-CJK font"
    exit 77
  fi
  mkdir -p "$tmp/fc"
  cat >"$tmp/fonts.conf" <<XML
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>$dejavu</dir><cachedir>$tmp/fc</cachedir></fontconfig>
XML
  # The same configuration with the system's Noto CJK shown: the design the
  # embedded subsets must reproduce, drawn with the same rendering settings.
  mkdir -p "$tmp/fc2"
  cat >"$tmp/fonts-cjk.conf" <<XML
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>$dejavu</dir><dir>/usr/share/fonts/opentype/noto</dir><cachedir>$tmp/fc2</cachedir></fontconfig>
XML
  shot() { # shot DIR DOC OUT.png [env...]
    dir=$1 doc=$2 out=$3
    shift 3
    env "$@" timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --no-first-run --user-data-dir="$tmp/profile-$(basename "$out" .png)" \
      --allow-file-access-from-files --virtual-time-budget=10000 \
      --hide-scrollbars --screenshot="$out" --window-size=800,2400 "file://$dir/EPUB/$doc" \
      >>"$tmp/chrome.log" 2>&1
    [ -s "$out" ] || { echo "chromium wrote no screenshot of $doc"; cat "$tmp/chrome.log"; exit 1; }
  }
  # Every document, embedded fonts with Noto CJK hidden, against the same
  # document without embedded fonts with Noto CJK shown: a character missing
  # from the face that sets it would show as tofu or in DejaVu.
  # Images are hidden on both sides: an SVG figure is an image, isolated from
  # the book's @font-face rules, so its labels stay in the reader's fonts.
  for side in with without; do
    printf '\nimg, svg { visibility: hidden; }\n' >>"$tmp/$side/EPUB/css/kmbook.css"
  done
  docs=$(cd "$tmp/with/EPUB" && ls ch*.xhtml nav.xhtml colophon.xhtml)
  for doc in $docs; do
    b=$(basename "$doc" .xhtml)
    shot "$tmp/with" "$doc" "$tmp/$b-embedded-hidden.png" FONTCONFIG_FILE="$tmp/fonts.conf"
    shot "$tmp/without" "$doc" "$tmp/$b-system.png" FONTCONFIG_FILE="$tmp/fonts-cjk.conf"
  done
  # and chapter 1 without embedded fonts, Noto CJK hidden: the check can tell
  shot "$tmp/without" ch01.xhtml "$tmp/ch01-hidden.png" FONTCONFIG_FILE="$tmp/fonts.conf"
  if [ -n "${KMB_KEEP_SCREENSHOT:-}" ]; then mkdir -p "$KMB_KEEP_SCREENSHOT"; cp "$tmp"/*.png "$KMB_KEEP_SCREENSHOT"; fi
  /usr/bin/python3 - "$tmp" $docs <<'PY'
import sys, fitz
d = sys.argv[1]
def load(name):
    p = fitz.Pixmap(d + "/" + name)
    return p.samples, p.width, p.height, p.n
def diff(a, b):
    sa, w, h, n = load(a)
    sb, w2, h2, _ = load(b)
    if (w, h) != (w2, h2):
        return w * h
    return sum(1 for i in range(0, len(sa), n) if abs(sa[i] - sb[i]) > 40)
def ink(a):
    s, w, h, n = load(a)
    return sum(1 for i in range(0, len(s), n) if s[i] < 100)
bad = []
total = 0
for doc in sys.argv[2:]:
    b = doc[:-len(".xhtml")]
    k = ink(b + "-embedded-hidden.png")
    dd = diff(b + "-embedded-hidden.png", b + "-system.png")
    total += k
    print("%s: %d dark pixels; %d differ from Noto CJK without embedding" % (doc, k, dd))
    if k < 500:
        bad.append("%s shows almost no text with the embedded fonts" % doc)
    if dd > k // 100:
        bad.append("%s is not drawn in the designed faces with Noto CJK hidden" % doc)
tofu = diff("ch01-embedded-hidden.png", "ch01-hidden.png")
print("ch01.xhtml without embedded fonts, Noto CJK hidden: %d pixels differ" % tofu)
if tofu < ink("ch01-embedded-hidden.png") // 10:
    bad.append("ch01 without embedded fonts looks the same: the test cannot tell them apart")
for m in bad:
    print("FAIL:", m)
sys.exit(1 if bad else 0)
PY
  ;;
*) echo "usage: fonts.sh epubcheck|structure|repro|render KMBOOK ..."; exit 2 ;;
esac
