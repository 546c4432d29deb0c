#!/bin/sh
# Zhuyin beside its base in the EPUB (issue 14 item 6; clreq §3.4), as the
# PDF sets it (layout/zhuyin.c).
#   zhuyin.sh structure KMBOOK KMB_EPUB_TEST BOOK.md
#       ruby.zhuyin for a one-character base with a zhuyin syllable (and
#       only there: pinyin stays plain ruby), the tone marks in span.zy-tone,
#       the light tone in span.zy-dot, <rp> kept: without CSS the text reads
#       注(ㄓㄨˋ); the zhuyin sheet in the CSS; with zhuyin_right=false
#       none of it (ruby above, as pinyin)
#   zhuyin.sh render KMBOOK KMB_EPUB_TEST BOOK.md
#       headless Chromium at 390 x 844 (zhuyin-measure.js): each column of
#       letters right of its base, the tone mark beside it
#   zhuyin.sh render-vertical ...   the same on the book built --writing vertical
#   zhuyin.sh render-nocss ...      the same with the zhuyin CSS cut off must
#       FAIL (the render check can fail)
# Exit 77 = skipped (chromium or unzip missing).
set -u
mode=$1
kmbook=$2
test_bin=$3
book=$4
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
build() { # build OUT [ARGS...]
  out=$1
  shift
  SOURCE_DATE_EPOCH=1700000000 "$kmbook" --quiet --epub "$out" --book "$book" "$@" || fail "kmbook failed on $book $*"
}
marker='/* Zhuyin (bopomofo) beside its base'
case $mode in
structure)
  build "$tmp/z.epub"
  "$test_bin" extract "$tmp/z.epub" "$tmp/z" >/dev/null || exit 1
  x=$(tr -d '\n' <"$tmp/z/EPUB/ch01.xhtml")
  for want in \
    '<ruby class="zhuyin">注<rp>(</rp><rt>ㄓㄨ<span class="zy-tone">ˋ</span></rt><rp>)</rp></ruby><ruby class="zhuyin">音<rp>(</rp><rt>ㄧㄣ</rt><rp>)</rp></ruby>' \
    '<ruby class="zhuyin">的<rp>(</rp><rt><span class="zy-dot">˙</span>ㄉㄜ</rt><rp>)</rp></ruby>' \
    '<rt>ㄧ<span class="zy-tone zy-one">ˇ</span></rt>' \
    '<ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rp>(</rp><rt>zì</rt><rp>)</rp></ruby>' \
    '<ruby>北京<rp>(</rp><rt>běijīng</rt><rp>)</rp></ruby>'; do
    case $x in *"$want"*) ;; *) fail "missing $want" ;; esac
  done
  # without CSS (tags dropped) the text reads base(annotation)
  plain=$(printf '%s' "$x" | sed 's/<[^>]*>//g')
  case $plain in *'注(ㄓㄨˋ)音(ㄧㄣ)符(ㄈㄨˊ)號(ㄏㄠˋ)'*'的(˙ㄉㄜ)'*) ;; *) fail "the text without markup does not read 注(ㄓㄨˋ)…: $plain" ;; esac
  css=$tmp/z/EPUB/css/kmbook.css
  grep -qF "$marker" "$css" || fail "no zhuyin rules in the CSS"
  for rule in 'ruby-position: inter-character;' 'display: inline-flex;' 'font-size: 0.4em;' 'writing-mode: vertical-rl;'; do
    grep -qF -- "$rule" "$css" || fail "the CSS lacks '$rule'"
  done
  grep -n '@[a-z_0-9]*@' "$css" | grep -v '@name@' && fail "a placeholder was left in the CSS"
  grep -qF 'column-reverse' "$css" && fail "horizontal: the vertical book's rule is in the CSS"
  # vertical: the box turned, the column still right of the base
  build "$tmp/v.epub" --writing vertical
  "$test_bin" extract "$tmp/v.epub" "$tmp/v" >/dev/null || exit 1
  grep -qF "$marker" "$tmp/v/EPUB/css/kmbook.css" || fail "vertical: no zhuyin rules in the CSS"
  grep -qF 'flex-direction: column-reverse;' "$tmp/v/EPUB/css/kmbook.css" || fail "vertical: the zhuyin box is not turned"
  # zhuyin_right=false: above, as pinyin
  printf '[typography]\nzhuyin_right=false\n' >"$tmp/off.ini"
  build "$tmp/o.epub" --style "$tmp/off.ini"
  "$test_bin" extract "$tmp/o.epub" "$tmp/o" >/dev/null || exit 1
  grep -qF 'zhuyin' "$tmp/o/EPUB/ch01.xhtml" && fail "zhuyin_right=false: ruby.zhuyin in the text"
  grep -qF "$marker" "$tmp/o/EPUB/css/kmbook.css" && fail "zhuyin_right=false: zhuyin rules in the CSS"
  grep -qF '<ruby>注<rp>(</rp><rt>ㄓㄨˋ</rt><rp>)</rp>' "$tmp/o/EPUB/ch01.xhtml" || fail "zhuyin_right=false: 注 not plain ruby"
  n=$(grep -o '<ruby class="zhuyin">' "$tmp/z/EPUB/ch01.xhtml" | wc -l)
  echo "ok: $n ruby.zhuyin, tones in spans, rp kept, pinyin plain; vertical box turned; zhuyin_right=false plain ruby"
  ;;
render | render-vertical | render-nocss)
  chrome=$(command -v chromium || command -v chromium-browser || true)
  [ -n "$chrome" ] || { echo "SKIP: chromium not installed (apt-get install chromium) — zhuyin render check skipped"; exit 77; }
  if [ "$mode" = render-vertical ]; then build "$tmp/a.epub" --writing vertical; else build "$tmp/a.epub"; fi
  "$test_bin" extract "$tmp/a.epub" "$tmp/x" >/dev/null || exit 1
  css=$tmp/x/EPUB/css/kmbook.css
  if [ "$mode" = render-nocss ]; then # cut the stylesheet off at the zhuyin rules
    awk -v m="$marker" 'index($0, m) == 1 { exit } { print }' "$css" >"$tmp/cut.css"
    cmp -s "$css" "$tmp/cut.css" && fail "no zhuyin rules to cut off"
    cp "$tmp/cut.css" "$css"
  fi
  cp "$here/zhuyin-measure.js" "$tmp/x/EPUB/measure.js"
  sed 's#</head>#<script src="measure.js"></script></head>#; s#<html #<html data-scale="0.4" #' \
    "$tmp/x/EPUB/ch01.xhtml" >"$tmp/x/EPUB/m.xhtml"
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$tmp/profile" \
    --window-size=390,844 --virtual-time-budget=10000 --dump-dom "file://$tmp/x/EPUB/m.xhtml" \
    >"$tmp/dom.html" 2>"$tmp/chrome.log"
  result=$(sed -n 's/.*data-zhuyin-result="\([^"]*\)".*/\1/p' "$tmp/dom.html" | head -n 1)
  [ -n "$result" ] || { echo "the measuring script gave no result (chromium log follows)"; tail -n 5 "$tmp/chrome.log"; exit 1; }
  echo "chromium at 390x844: $result"
  case $mode:$result in
  render:ok* | render-vertical:ok*) exit 0 ;;
  render-nocss:FAIL*) echo "(expected: without the zhuyin CSS the check fails)"; exit 0 ;;
  *) exit 1 ;;
  esac
  ;;
*) echo "usage: zhuyin.sh structure|render|render-vertical|render-nocss KMBOOK KMB_EPUB_TEST BOOK.md"; exit 2 ;;
esac
