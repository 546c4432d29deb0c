#!/bin/sh
# The EPUB on a phone (issue 12 item 8), on tests/epub/phone-book.
#   phone.sh structure KMBOOK KMB_EPUB_TEST BOOK_DIR
#       the XHTML and CSS the writer makes for a wide table, URLs, a long
#       identifier, code, kbd, figures, emphasis over Latin (phone.py)
#   phone.sh render KMBOOK KMB_EPUB_TEST BOOK_DIR
#       headless Chromium at a phone's width (390 px, a 330 px text column
#       as epub.js gives): nothing reaches past the column (phone-measure.js)
# Exit 77 = skipped (python3 or chromium missing).
set -u
mode=$1
kmbook=$2
test_bin=$3
book=$4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
py=$(command -v python3 || true)
if [ -z "$py" ]; then
  echo "SKIP: python3 not installed — the phone checks are written in Python"
  exit 77
fi
SOURCE_DATE_EPOCH=1700000000 "$kmbook" --quiet --epub "$tmp/a.epub" --book "$book" || exit 1
"$test_bin" extract "$tmp/a.epub" "$tmp/x" >/dev/null || exit 1
case $mode in
structure)
  "$py" "$here/phone.py" "$tmp/x/EPUB" "$book"
  ;;
render)
  chrome=$(command -v chromium || command -v chromium-browser || true)
  if [ -z "$chrome" ]; then
    echo "SKIP: chromium not installed (apt-get install chromium) — phone render check skipped"
    exit 77
  fi
  # The chapter with a script that measures it; the DOM dump carries the result.
  cp "$here/phone-measure.js" "$tmp/x/EPUB/measure.js"
  sed 's#</head>#<script src="measure.js"></script></head>#' "$tmp/x/EPUB/ch01.xhtml" >"$tmp/x/EPUB/m.xhtml"
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$tmp/profile" \
    --window-size=390,844 --virtual-time-budget=10000 --dump-dom "file://$tmp/x/EPUB/m.xhtml" \
    >"$tmp/dom.html" 2>"$tmp/chrome.log"
  result=$(sed -n 's/.*data-phone-result="\([^"]*\)".*/\1/p' "$tmp/dom.html" | head -n 1)
  if [ -z "$result" ]; then
    echo "the measuring script gave no result (chromium log follows)"; tail -n 5 "$tmp/chrome.log"; exit 1
  fi
  echo "chromium at 390 px: $result"
  case $result in
  "overflow 0px"*) exit 0 ;;
  *) exit 1 ;;
  esac
  ;;
*) echo "usage: phone.sh structure|render KMBOOK KMB_EPUB_TEST BOOK_DIR"; exit 2 ;;
esac
