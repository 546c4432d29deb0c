#!/bin/bash
# valgrind.sh KMBOOK — memcheck on a build of the default book (EPUB + PDF):
# no memory errors and no definite leaks, apart from library-internal ones
# listed in valgrind.supp.  Exit 77 (skipped) when valgrind is missing or
# kmbook is an AddressSanitizer build.
set -u
K=$1
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
command -v valgrind >/dev/null || { echo "SKIP: valgrind is not installed (scripts/setup --test-deps installs it)"; exit 77; }
if ldd "$K" 2>/dev/null | grep -q libasan; then echo "SKIP: $K is built with AddressSanitizer; valgrind needs a plain build"; exit 77; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LC_ALL=C.UTF-8
args=(--epub "$T/book.epub" --pdf "$T/book.pdf")
echo "valgrind kmbook ${args[*]}"
valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
  --show-leak-kinds=definite --num-callers=40 --suppressions="$HERE/valgrind.supp" \
  --log-file="$T/vg.log" "$K" --quiet "${args[@]}"
rc=$?
grep -E 'ERROR SUMMARY|definitely lost|indirectly lost' "$T/vg.log"
if [ $rc -ne 0 ]; then
  echo "FAIL: valgrind reported errors or definite leaks (exit $rc):"
  grep -v '^==[0-9]*== *$' "$T/vg.log" | sed -n '/Invalid\|uninitialised\|definitely lost in/,+25p' | head -n 150
  exit 1
fi
echo "ok: no memory errors, no definite leaks"
