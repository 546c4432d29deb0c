#!/bin/sh
# Regional punctuation in the EPUB (issue 14), in headless Chromium: the
# same paragraphs as zh-Hans and zh-Hant books (punct-measure.js measures).
#   zh-Hans: the paragraph's opening bracket half width (trim-start, as the
#            PDF's para_start_trim), marks in pairs compressed;
#   zh-Hans with para_start_trim=false: the bracket full width again (the
#            check can fail);
#   zh-Hant: centred marks never compressed, the bracket full width;
#   ja: as zh-Hans, and no small kana or ー at a line's start over widths of
#       9–25 em (line-break: strict), some with line_break=normal; no
#       full-width number split between lines (span.num).
#   punct.sh KMBOOK KMB_EPUB_TEST
# Exit 77 = skipped (chromium missing).
set -u
kmbook=$1
test_bin=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chrome=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chrome" ]; then
  echo "SKIP: chromium not installed (apt-get install chromium) — EPUB punctuation check skipped"
  exit 77
fi
printf '[typography]\npara_start_trim=false\n' >"$tmp/notrim.ini"
printf '[typography]\nline_break=normal\n' >"$tmp/normal.ini"
# measure LANG NAME [STYLE]: prints "start W marks W"
measure() {
  mkdir -p "$tmp/$2"
  case $1 in
    ja) printf -- '---\ntitle: 約物\nlanguage: ja\n---\n\n# 約物\n\n「ちょっと待って」とキャッシーは言った。「チョコレートは？」ジョッキを持ったまま、ぼくはぎょっとした。「もう少し、待ってね。」\n\nショーウィンドーの前で、人々はひそひそと話しはじめる。ちゃんとやらなきゃ、と思うほど、指がもつれてしまう。ミルクティーをいれて、ゆっくり、ゆっくり、飲んだ。きょうはずっと雨だった。ヴァイオリンの練習は、ぜんぜんできなかった。キャッシュカードとレシートを、ポケットにしまった。\n\n人口は１２３４５６人、予算は３，４５６，７８９円、番号は０１２３４５６７８９、気温は２３．５度で、２０２４年の記録は１９９８年の３８．２度に及ばない。会員は１２，３４５人、貸し出しは１０冊まで、期間は１４日間である。\n' ;;
    *) printf -- '---\ntitle: 標點\nlanguage: %s\n---\n\n# 標點\n\n「他說：「好。」我說：「走吧！」」然後，我們就走了。\n\n他問：「是嗎？」她答：「是的。」（笑）我們都笑了，然後、再說。\n' "$1" ;;
  esac >"$tmp/$2/book.md"
  if [ $# -ge 3 ]; then
    SOURCE_DATE_EPOCH=1700000000 "$kmbook" --quiet --epub "$tmp/$2.epub" --book "$tmp/$2/book.md" --style "$3" || return 1
  else
    SOURCE_DATE_EPOCH=1700000000 "$kmbook" --quiet --epub "$tmp/$2.epub" --book "$tmp/$2/book.md" || return 1
  fi
  "$test_bin" extract "$tmp/$2.epub" "$tmp/$2/x" >/dev/null || return 1
  cp "$here/punct-measure.js" "$tmp/$2/x/EPUB/measure.js"
  ch=$(ls "$tmp/$2/x/EPUB" | grep -E '^ch[0-9]+\.xhtml$' | head -n 1)
  sed 's#</head>#<script src="measure.js"></script></head>#' "$tmp/$2/x/EPUB/$ch" >"$tmp/$2/x/EPUB/m.xhtml"
  timeout 120 "$chrome" --headless --no-sandbox --disable-gpu --disable-background-networking \
    --disable-component-update --no-first-run --user-data-dir="$tmp/profile" \
    --window-size=800,600 --virtual-time-budget=10000 --dump-dom "file://$tmp/$2/x/EPUB/m.xhtml" \
    2>"$tmp/chrome.log" | sed -n 's/.*data-punct-result="\([^"]*\)".*/\1/p' | head -n 1
}
fail=0
# judge NAME RESULT START_OP START MARKS_OP MARKS
judge() {
  start=$(echo "$2" | awk '{print $2}')
  marks=$(echo "$2" | awk '{print $4}')
  if [ -z "$start" ] || [ -z "$marks" ]; then
    echo "FAIL  $1: no measurement (chromium log follows)"; tail -n 5 "$tmp/chrome.log"; fail=1; return
  fi
  if awk -v s="$start" -v m="$marks" "BEGIN { exit !(s $3 $4 && m $5 $6) }"; then
    echo "ok    $1: opening bracket $start em, narrowest mark $marks em"
  else
    echo "FAIL  $1: opening bracket $start em (want $3 $4), narrowest mark $marks em (want $5 $6)"; fail=1
  fi
}
judge "zh-Hans" "$(measure zh-Hans hans)" "<=" 0.55 "<=" 0.55
judge "zh-Hans, para_start_trim=false" "$(measure zh-Hans notrim "$tmp/notrim.ini")" ">=" 0.95 "<=" 0.55
judge "zh-Hant" "$(measure zh-Hant hant)" ">=" 0.95 ">=" 0.95
# ja (jlreq): the opening bracket half width and pairs compressed as zh-Hans;
# small kana and ー never start a line (line-break: strict), and do with
# line_break=normal (the check can fail)
kana() {
  k=$(echo "$2" | awk '{print $6}')
  if [ -z "$k" ]; then echo "FAIL  $1: no kana measurement"; fail=1
  elif awk -v k="$k" "BEGIN { exit !(k $3 $4) }"; then echo "ok    $1: $k lines start with small kana or ー"
  else echo "FAIL  $1: $k lines start with small kana or ー (want $3 $4)"; fail=1; fi
}
# (Chromium 156 compresses 。「 at the bracket, 「 half width, and ね。」 at
# the point: the narrowest point is the 。 before 」)
r=$(measure ja ja)
judge "ja" "$r" "<=" 0.55 "<=" 0.55
kana "ja" "$r" "==" 0
kana "ja, line_break=normal" "$(measure ja normal "$tmp/normal.ini")" ">" 0
# full-width numbers in span.num, nowrap: never split (without it Chromium
# split them 91 times over 9–25 em, measured on tests/conform/cases/numerals-ja.md)
n=$(echo "$r" | awk '{print $8}')
if [ "$n" = "0" ]; then echo "ok    ja: no full-width number split"
else echo "FAIL  ja: ${n:-no measurement} full-width numbers split between lines"; fail=1; fi
exit $fail
