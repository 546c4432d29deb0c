#!/bin/sh
# Vertical books in the EPUB (issue 15).
#   vertical.sh structure KMBOOK KMB_EPUB_TEST BOOK_DIR
#       a vertical book: spine page-progression-direction="rtl", the
#       vertical CSS, 1-2 digit numbers standing alone in span.tcy (not
#       1861, 3.14, Page 20...), “” ‘’ as 「」 『』 (not don’t's apostrophe);
#       the same book with --writing horizontal and the default book: none
#       of it; --writing vertical turns a horizontal book (tang-poems);
#       nav.xhtml's entries get span.tcy and 「」 as the headings do
#   vertical.sh render KMBOOK KMB_EPUB_TEST BOOK_DIR
#       headless Chromium at 390 x 844 (vertical-measure.js): columns top to
#       bottom, right to left, two-digit numbers in one cell, Latin turned
#   vertical.sh render-apostrophe KMBOOK KMB_EPUB_TEST
#       the same on a small book with don’t, It’s, O’Brien: each apostrophe
#       turned with its word (span.sideways), not upright between its letters
#   vertical.sh render-horizontal KMBOOK KMB_EPUB_TEST BOOK_DIR
#       the same measurement on the book built --writing horizontal must FAIL
#       (the render check can fail)
#   vertical.sh epubcheck KMBOOK BOOK_DIR
#       EPUBCheck 0/0 on BOOK_DIR built with --writing vertical
# Exit 77 = skipped (chromium, python3 or EPUBCheck missing).
set -u
mode=$1
kmbook=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
build() { # build OUT BOOK_DIR [ARGS...]
  out=$1 dir=$2
  shift 2
  SOURCE_DATE_EPOCH=1700000000 "$kmbook" --quiet --epub "$out" --book "$dir" "$@" || fail "kmbook failed on $dir $*"
}
case $mode in
structure)
  test_bin=$3 book=$4
  build "$tmp/v.epub" "$book"
  "$test_bin" extract "$tmp/v.epub" "$tmp/v" >/dev/null || exit 1
  opf=$tmp/v/EPUB/content.opf css=$tmp/v/EPUB/css/kmbook.css
  grep -q '<spine [^>]*page-progression-direction="rtl"' "$opf" || fail "spine without page-progression-direction=\"rtl\""
  grep -q '<meta name="primary-writing-mode" content="vertical-rl"/>' "$opf" || fail "no primary-writing-mode meta"
  for rule in '-epub-writing-mode: vertical-rl;' '-webkit-writing-mode: vertical-rl;' \
    '  writing-mode: vertical-rl;' 'text-orientation: mixed;' 'text-combine-upright: digits 2;' \
    'text-combine-upright: all;' '-epub-text-combine: horizontal;' 'writing-mode: horizontal-tb;' \
    'max-height: 100%;'; do
    grep -qF -- "$rule" "$css" || fail "the CSS lacks '$rule'"
  done
  grep -n '@[a-z_0-9]*@' "$css" | grep -v '@name@' && fail "a placeholder was left in the CSS"
  grep -qF '凡<span class="tcy">20</span>篇' "$tmp/v/EPUB/ch01.xhtml" || fail "20 in 凡20篇 is not in span.tcy"
  grep -qF '<span class="tcy">1861</span>' "$tmp/v/EPUB"/*.xhtml && fail "a 4-digit number was put in span.tcy"
  grep -qF '刊於1861年' "$tmp/v/EPUB/ch01.xhtml" || fail "1861 is not left as text"
  n=$(cat "$tmp/v/EPUB"/ch*.xhtml | grep -o '<span class="tcy">' | wc -l)
  grep -qF '「何以直排？」' "$tmp/v/EPUB/ch01.xhtml" || fail "“何以直排？” is not quoted 「」 as the PDF draws it"
  # which numbers stand in one cell: the PDF's rule (layout/vertical.c)
  printf '# 邊界

凡20篇，第 7 章，95%%的人，Page 20，3.14，2023-10-01，A4紙，H2O，12 34，100年，第10—20章。

他說“don’t”，‘好’，O’Brien 來了。

`x = 20`
' >"$tmp/edge.md"
  build "$tmp/e.epub" "$tmp/edge.md" --writing vertical
  "$test_bin" extract "$tmp/e.epub" "$tmp/e" >/dev/null || exit 1
  body=$(sed -n '/<body/,$p' "$tmp/e/EPUB/ch01.xhtml" | tr -d '\n')
  for want in '凡<span class="tcy">20</span>篇' '第 <span class="tcy">7</span> 章' '<span class="tcy">95</span>%的人' \
    'Page 20，' '3.14，' '2023-10-01，' 'A4紙' 'H2O' '12 34，' '100年' '第10—20章' \
    '他說「<span class="sideways">don’t</span>」，『好』' '<span class="sideways">O’Brien</span> 來了' '<code>x = 20</code>'; do
    case $body in *"$want"*) ;; *) fail "edge cases: '$want' not in the XHTML: $body" ;; esac
  done
  # the same book, horizontal: none of it
  build "$tmp/h.epub" "$book" --writing horizontal
  "$test_bin" extract "$tmp/h.epub" "$tmp/h" >/dev/null || exit 1
  grep -q 'page-progression-direction' "$tmp/h/EPUB/content.opf" && fail "--writing horizontal: spine has a direction"
  grep -q 'vertical-rl' "$tmp/h/EPUB/content.opf" "$tmp/h/EPUB/css/kmbook.css" && fail "--writing horizontal: vertical-rl in the OPF or CSS"
  grep -q 'class="tcy"' "$tmp/h/EPUB"/*.xhtml && fail "--writing horizontal: span.tcy in the text"
  # nav.xhtml's entries as the chapters set their headings: span.tcy, 「」
  printf '# 第12章“學而”\n\n學而時習之。\n\n## 1861年 Legge 譯本\n\n不亦說乎？\n' >"$tmp/navbook.md"
  build "$tmp/n.epub" "$tmp/navbook.md" --writing vertical
  "$test_bin" extract "$tmp/n.epub" "$tmp/n" >/dev/null || exit 1
  nav=$(tr -d '\n' <"$tmp/n/EPUB/nav.xhtml")
  for want in '第<span class="tcy">12</span>章「學而」</a>' '>1861年 Legge 譯本</a>'; do
    case $nav in *"$want"*) ;; *) fail "nav.xhtml: '$want' not in its contents: $nav" ;; esac
  done
  head=$(tr -d '\n' <"$tmp/n/EPUB/ch01.xhtml")
  case $head in *'第<span class="tcy">12</span>章「學而」'*) ;; *) fail "ch01.xhtml: the heading differs from nav.xhtml's entry" ;; esac
  # --writing vertical on a horizontal book
  build "$tmp/t.epub" "$here/../corpus/tang-poems" --writing vertical
  "$test_bin" extract "$tmp/t.epub" "$tmp/t" >/dev/null || exit 1
  grep -q '<spine [^>]*page-progression-direction="rtl"' "$tmp/t/EPUB/content.opf" || fail "--writing vertical: spine without rtl"
  grep -qF 'writing-mode: vertical-rl;' "$tmp/t/EPUB/css/kmbook.css" || fail "--writing vertical: no vertical CSS"
  echo "ok: spine rtl, vertical CSS, $n numbers in span.tcy, 1861 left alone, corner quotes, edge cases; horizontal build has none; --writing vertical works"
  ;;
render | render-horizontal | render-apostrophe)
  test_bin=$3 book=${4:-}
  chrome=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$chrome" ] || { echo "SKIP: chromium not installed (apt-get install chromium) — vertical render check skipped"; exit 77; }
  if [ "$mode" = render-apostrophe ]; then # apostrophes inside Latin words (span.sideways)
    printf -- '---\ntitle: 撇號\nwriting: vertical\n---\n\n# 撇號\n\n西人稱孔子為 Confucius，凡20篇。他說“don’t”，又說 It’s fine；O’Brien 讀之，以為古書本皆直排，由右而左，自上而下，今人橫讀既久，反覺其異耳。\n' >"$tmp/apos.md"
    book=$tmp/apos.md
  fi
  if [ "$mode" = render-horizontal ]; then build "$tmp/a.epub" "$book" --writing horizontal; else build "$tmp/a.epub" "$book"; fi
  "$test_bin" extract "$tmp/a.epub" "$tmp/x" >/dev/null || exit 1
  cp "$here/vertical-measure.js" "$tmp/x/EPUB/measure.js"
  sed 's#</head>#<script src="measure.js"></script></head>#' "$tmp/x/EPUB/ch01.xhtml" >"$tmp/x/EPUB/m.xhtml"
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$tmp/profile" \
    --window-size=390,844 --virtual-time-budget=10000 --dump-dom "file://$tmp/x/EPUB/m.xhtml" \
    >"$tmp/dom.html" 2>"$tmp/chrome.log"
  result=$(sed -n 's/.*data-vertical-result="\([^"]*\)".*/\1/p' "$tmp/dom.html" | head -n 1)
  [ -n "$result" ] || { echo "the measuring script gave no result (chromium log follows)"; tail -n 5 "$tmp/chrome.log"; exit 1; }
  echo "chromium at 390x844: $result"
  case $mode:$result in
  render:ok*) exit 0 ;;
  render-apostrophe:ok*apostrophes*) exit 0 ;;
  render-horizontal:FAIL*writing-mode*) echo "(expected: the horizontal build fails the vertical check)"; exit 0 ;;
  *) exit 1 ;;
  esac
  ;;
epubcheck)
  book=$3
  build "$tmp/v.epub" "$book" --writing vertical
  sh "$here/epubcheck.sh" file "$tmp/v.epub"
  ;;
*) echo "usage: vertical.sh structure|render|render-horizontal|epubcheck KMBOOK ..."; exit 2 ;;
esac
