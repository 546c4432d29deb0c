#!/bin/sh
# EPUB checks on books built by the CLI.
#   cli.sh readback KMBOOK KMB_EPUB_TEST [BOOK_DIR]   structure read back with libzip + libxml2
#   cli.sh repro    KMBOOK [BOOK_DIR]                 TZ=UTC vs TZ=Asia/Shanghai: cmp-identical
#   cli.sh render   KMBOOK KMB_EPUB_TEST [BOOK_DIR]   headless Chromium screenshot of chapter 1
#   cli.sh golden   KMBOOK KMB_EPUB_TEST GOLDEN_DIR BOOK_DIR   text parts equal tests/epub/golden/
#                   (KMB_REGEN=1 rewrites them; review the diff before committing)
#   cli.sh ace      KMBOOK [BOOK_DIR]                 Ace by DAISY: no accessibility violations
#                   (KMB_ACE=path/to/ace-puppeteer, set by CMake; run on the system chromium)
# No BOOK_DIR = the bundled default book. KMB_EPUB_ARGS adds options to the
# build (e.g. --page-list). Exit 77 = skipped (tool missing).
set -u
mode=$1
kmbook=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
build() { # build OUT TZ
  if [ -n "$book" ]; then
    TZ=$2 SOURCE_DATE_EPOCH=1700000000 "$kmbook" --epub "$1" --book "$book" ${KMB_EPUB_ARGS:-}
  else
    TZ=$2 SOURCE_DATE_EPOCH=1700000000 "$kmbook" --epub "$1" ${KMB_EPUB_ARGS:-}
  fi
}
case $mode in
readback)
  test_bin=$1
  book=${2:-}
  build "$tmp/a.epub" UTC || exit 1
  "$test_bin" check "$tmp/a.epub"
  ;;
repro)
  book=${1:-}
  build "$tmp/a.epub" UTC 2>/dev/null || exit 1
  build "$tmp/b.epub" Asia/Shanghai 2>/dev/null || exit 1
  sleep 1
  build "$tmp/c.epub" America/St_Johns 2>/dev/null || exit 1
  cmp "$tmp/a.epub" "$tmp/b.epub" && cmp "$tmp/a.epub" "$tmp/c.epub" || exit 1
  echo "byte-identical across TZ=UTC, Asia/Shanghai, America/St_Johns ($(wc -c <"$tmp/a.epub") bytes)"
  ;;
render)
  test_bin=$1
  book=${2:-}
  chrome=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$chrome" ]; then
    echo "SKIP: chromium not installed (apt-get install chromium) — renderer check skipped"
    exit 77
  fi
  build "$tmp/a.epub" UTC 2>/dev/null || exit 1
  "$test_bin" extract "$tmp/a.epub" "$tmp" || exit 1
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$tmp/profile" \
    --screenshot="$tmp/ch01.png" --window-size=800,1000 "file://$tmp/EPUB/ch01.xhtml" \
    >"$tmp/chrome.log" 2>&1
  [ -s "$tmp/ch01.png" ] || { echo "chromium wrote no screenshot"; cat "$tmp/chrome.log"; exit 1; }
  # The DOM chromium built: the chapter parsed as XHTML (no <parsererror>,
  # which chromium shows instead of a page it cannot parse) and holds its title.
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$tmp/profile" \
    --dump-dom "file://$tmp/EPUB/ch01.xhtml" >"$tmp/dom.html" 2>>"$tmp/chrome.log"
  if grep -q parsererror "$tmp/dom.html"; then
    echo "chromium could not parse ch01.xhtml:"; sed -n '/parsererror/,+3p' "$tmp/dom.html"; exit 1
  fi
  grep -q '<h1' "$tmp/dom.html" || { echo "the rendered DOM of ch01.xhtml has no <h1>"; exit 1; }
  # The screenshot shows text: dark ink in at least 8 separate bands of rows
  # (lines of text), not a blank or an error page.
  if ! /usr/bin/python3 -c 'import fitz' 2>/dev/null; then
    echo "SKIP: python3-fitz (PyMuPDF) is not installed — scripts/setup --test-deps installs it"; exit 77
  fi
  bands=$(/usr/bin/python3 -c '
import sys
import fitz
pix = fitz.Pixmap(sys.argv[1])
n, w, h = pix.n, pix.width, pix.height
data = pix.samples
bands, inked_before = 0, False
for y in range(h):
    row = data[y * pix.stride:y * pix.stride + w * n]
    inked = any(row[x * n] < 100 for x in range(0, w, 2))
    bands += inked and not inked_before
    inked_before = inked
print(bands)' "$tmp/ch01.png")
  if [ "${bands:-0}" -lt 8 ]; then
    echo "the screenshot shows ${bands:-0} bands of text (expected at least 8 lines)"; exit 1
  fi
  size="$(wc -c <"$tmp/ch01.png") bytes, $bands lines of text"
  echo "chromium rendered ch01.xhtml ($size)"
  ;;
golden)
  test_bin=$1
  golden=$2
  book=$3
  build "$tmp/a.epub" UTC 2>/dev/null || exit 1
  "$test_bin" extract "$tmp/a.epub" "$tmp" || exit 1
  bad=0
  for f in content.opf nav.xhtml toc.ncx cover.xhtml colophon.xhtml ch01.xhtml ch02.xhtml ch03.xhtml css/kmbook.css; do
    # the version in the generator lines changes with every release
    sed -E 's/kmbook [0-9]+[.][0-9]+[.][0-9]+[^ <"]*/kmbook VERSION/g' "$tmp/EPUB/$f" >"$tmp/got"
    want="$golden/$(basename "$f")"
    if [ -n "${KMB_REGEN:-}" ]; then
      cp "$tmp/got" "$want"
      echo "regenerated $want"
    elif ! diff -u "$want" "$tmp/got"; then
      bad=1
    fi
  done
  [ $bad -eq 0 ] && echo "EPUB text parts match $golden"
  exit $bad
  ;;
ace)
  book=${1:-}
  ace=${KMB_ACE:-}
  chrome=$(command -v chromium || true)
  if [ -z "$ace" ] || [ ! -x "$ace" ] || [ -z "$chrome" ] || ! command -v python3 >/dev/null; then
    echo "SKIP: Ace by DAISY not configured — run scripts/setup --test-deps (npm ci --ignore-scripts in tests/epub/ace) and install chromium"
    exit 77
  fi
  build "$tmp/a.epub" UTC 2>/dev/null || exit 1
  PUPPETEER_EXECUTABLE_PATH=$chrome timeout 600 "$ace" -o "$tmp/ace" -f "$tmp/a.epub" >"$tmp/ace.log" 2>&1 || { cat "$tmp/ace.log"; exit 1; }
  python3 - "$tmp/ace/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
bad = [a for a in r.get("assertions", []) if a["earl:result"]["earl:outcome"] != "pass"]
for a in bad:
    for t in a.get("assertions", []):
        print(a["earl:testSubject"]["url"], t["earl:test"]["dct:title"], t["earl:result"].get("dct:description", ""))
print("Ace:", r["earl:result"]["earl:outcome"], "| metadata present:", ", ".join(r["a11y-metadata"]["present"]))
sys.exit(0 if r["earl:result"]["earl:outcome"] == "pass" and not bad else 1)
PY
  ;;
*) echo "usage: cli.sh readback|repro|render|golden|ace KMBOOK ..."; exit 2 ;;
esac
