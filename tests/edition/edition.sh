#!/bin/sh
# kmbook --convert on a small book: what must not change stays (code, URLs,
# <span class="no-convert">), quotes turn to 「」 for Taiwan, the edition
# passes EPUBCheck, an unknown configuration is one error line and no file.
#   edition.sh KMBOOK EPUBCHECK_SH
set -u
kmbook=$1
epubcheck=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
SOURCE_DATE_EPOCH=1700000000 "$kmbook" -q --book "$here/keep/book.md" --convert s2twp \
  --epub "$tmp/tw.epub" --pdf "$tmp/tw.pdf" || fail "kmbook --convert s2twp"
x=$(unzip -p "$tmp/tw.epub" EPUB/ch01.xhtml) || fail "no chapter"
for want in '軟體在後臺執行' '「引號」' 'don’t' '<span class="no-convert">后台软件</span>' \
  '然後繼續轉換後臺' '<code>后台 = 1</code>' '後臺</a>' 'https://example.org/%E5%90%8E%E5%8F%B0' \
  '后台 = "软件"'; do
  printf '%s' "$x" | grep -qF -- "$want" || fail "chapter lacks: $want"
done
unzip -p "$tmp/tw.epub" EPUB/content.opf | grep -qF '<dc:source>urn:uuid:11111111-2222-4333-8444-555555555555</dc:source>' ||
  fail "dc:source does not name the manuscript's identifier"
unzip -p "$tmp/tw.epub" EPUB/content.opf | grep -qF '<dc:title id="title">後臺與軟體</dc:title>' ||
  fail "the title is not converted"
# a bad configuration: one line, exit 2, no output
out=$("$kmbook" -q --book "$here/keep/book.md" --convert s2x --epub "$tmp/bad.epub" 2>&1)
rc=$?
[ $rc -eq 2 ] || fail "unknown configuration: exit $rc"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 1 ] || fail "unknown configuration: not one line: $out"
[ ! -e "$tmp/bad.epub" ] || fail "unknown configuration left a file"
sh "$epubcheck" file "$tmp/tw.epub" >"$tmp/ec.log" 2>&1
rc=$?
[ $rc -eq 77 ] && { cat "$tmp/ec.log"; exit 77; }
[ $rc -eq 0 ] || { cat "$tmp/ec.log"; fail "EPUBCheck"; }
echo "ok"
