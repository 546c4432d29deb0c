#!/usr/bin/env bash
# tests/install/install_test.sh BUILD_DIR REPO_ROOT — `cmake --install` into a
# temporary prefix, then the installed kmbook, run from another folder, finds
# its own data (book, styles, fonts config) and builds the default book; the
# prefix still works after it is moved.  Exit 0 pass, 1 fail, 77 skipped.
set -euo pipefail
build=$1 root=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmbook-install-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
unset KMBOOK_DATADIR
export SOURCE_DATE_EPOCH=1700000000 LC_ALL=C.UTF-8

prefix=$tmp/prefix
cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; fail "cmake --install failed"; }

for f in bin/kmbook share/kmbook/book/book.yaml share/kmbook/styles/default.ini \
  share/kmbook/fonts/fonts.conf share/man/man1/kmbook.1; do
  [[ -e $prefix/$f ]] || fail "$f was not installed (see the install() rules in CMakeLists.txt)"
done
[[ -x $prefix/bin/kmbook ]] || fail "bin/kmbook is not executable"
while read -r ch; do
  [[ -f $prefix/share/kmbook/book/$ch ]] || fail "chapter $ch of the default book was not installed"
done < <(sed -n 's/^  - \([^ ]*\.md\)$/\1/p' "$root/book/book.yaml")

version=$(sed -n 's/^project(kmbook VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
[[ $("$prefix/bin/kmbook" --version) == "kmbook $version"* ]] || fail "kmbook --version does not say $version"

# Prove the installed binary reads the installed book, not the source tree:
# mark the installed copy's title and look for the mark in the model dump.
mark=INSTALLED-COPY-$$
sed -i "s/^title: \(.*\)/title: \1 $mark/" "$prefix/share/kmbook/book/book.yaml"
mkdir "$tmp/elsewhere"
cd "$tmp/elsewhere"
"$prefix/bin/kmbook" --dump-model >"$tmp/model.txt" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "installed kmbook --dump-model failed"; }
grep -q "$mark" "$tmp/model.txt" || fail "installed kmbook did not read the installed book"

# A moved prefix still works (data is found relative to the binary).
mv "$prefix" "$tmp/moved"
prefix=$tmp/moved
"$prefix/bin/kmbook" --dump-model >"$tmp/model2.txt" 2>"$tmp/err" ||
  { cat "$tmp/err"; fail "kmbook in a moved prefix failed"; }
grep -q "$mark" "$tmp/model2.txt" || fail "kmbook in a moved prefix did not find its book"

# Build the default book with the installed binary.
rc=0
"$prefix/bin/kmbook" --epub book.epub --pdf book.pdf 2>"$tmp/err" || rc=$?
cat "$tmp/err"
((rc == 0)) || fail "installed kmbook --epub --pdf failed (exit $rc)"
[[ $(head -c 38 book.epub | tail -c 8) == mimetype ]] || fail "book.epub is not an EPUB"
[[ $(head -c 5 book.pdf) == %PDF- ]] || fail "book.pdf is not a PDF"
echo "install: ok ($(stat -c %s book.epub) byte EPUB, $(stat -c %s book.pdf) byte PDF)"
