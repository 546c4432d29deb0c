#!/bin/sh
# Builds an EPUB and runs EPUBCheck on it; passes only with 0 errors and
# 0 warnings (fatal errors, errors, warnings and usage messages all fail).
#   epubcheck.sh unit KMB_EPUB_TEST            the hand-built book
#   epubcheck.sh cli KMBOOK [BOOK_DIR]          a book built by the CLI
#   epubcheck.sh file BOOK.epub                 an existing EPUB
# EPUBCHECK_JAR selects another jar (e.g. EPUBCheck 5); KMB_EPUB_ARGS adds
# options to the build (e.g. --page-list); exit 77 = skipped.
set -u
jar=${EPUBCHECK_JAR:-/usr/share/java/epubcheck.jar}
if ! command -v java >/dev/null 2>&1 || [ ! -f "$jar" ]; then
  echo "SKIP: EPUBCheck not found ($jar) — ${EPUBCHECK_HINT:-install the Debian packages epubcheck and default-jre-headless}"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
book="$tmp/book.epub"
case ${1:-} in
unit) "$2" write "$book" || exit 1 ;;
cli)
  if [ -n "${3:-}" ]; then
    SOURCE_DATE_EPOCH=1700000000 "$2" --epub "$book" --book "$3" ${KMB_EPUB_ARGS:-} || exit 1
  else
    SOURCE_DATE_EPOCH=1700000000 "$2" --epub "$book" ${KMB_EPUB_ARGS:-} || exit 1
  fi
  ;;
file) book=$2 ;;
*) echo "usage: epubcheck.sh unit|cli|file ..."; exit 2 ;;
esac
out=$(java -jar "$jar" "$book" 2>&1)
rc=$?
printf '%s\n' "$out"
if [ $rc -ne 0 ]; then exit 1; fi
if printf '%s\n' "$out" | grep -Eq '^(FATAL|ERROR|WARNING|USAGE)'; then exit 1; fi
if printf '%s\n' "$out" | grep -Eq 'No errors or warnings detected|0 fatals / 0 errors / 0 warnings'; then exit 0; fi
exit 1
