#!/bin/sh
# Ruby in the EPUB (issue 14 item 6): each ruby is a real <ruby> with one
# <rt> per base segment and <rp> parentheses around it; code stays literal.
#   ruby.sh KMBOOK BOOK.md
set -u
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
SOURCE_DATE_EPOCH=1700000000 "$1" --quiet --epub "$tmp/b.epub" --book "$2" || exit 1
command -v unzip >/dev/null 2>&1 || { echo "SKIP: unzip not found"; exit 77; }
x=$(unzip -p "$tmp/b.epub" '*ch01.xhtml') || exit 1
rc=0
for want in \
  '<ruby>漢<rp>(</rp><rt>hàn</rt><rp>)</rp>字<rp>(</rp><rt>zì</rt><rp>)</rp></ruby>' \
  '<ruby>北京<rp>(</rp><rt>běijīng</rt><rp>)</rp></ruby>' \
  '<ruby class="zhuyin">注<rp>(</rp><rt>ㄓㄨ<span class="zy-tone">ˋ</span></rt><rp>)</rp></ruby><ruby class="zhuyin">音<rp>(</rp><rt>ㄧㄣ</rt><rp>)</rp></ruby>' \
  '<code>{北京|běijīng}</code>'; do
  case $x in
  *"$want"*) ;;
  *) echo "FAIL: missing $want"; rc=1 ;;
  esac
done
[ $rc = 0 ] && echo "ruby: 3 ruby elements with rp fallbacks, code literal"
exit $rc
