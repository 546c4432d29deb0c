#!/bin/bash
# options.sh KMBOOK — --version, --help, nothing-to-do and --check.
set -u
K=$1
fail=0
v=$("$K" --version) && [[ $v =~ ^kmbook\ [0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "bad --version: $v"; fail=1; }
"$K" --help | grep -q -- '--epub' || { echo "--help lacks --epub"; fail=1; }
"$K" --help | grep -q 'Exit status' || { echo "--help lacks exit codes"; fail=1; }
"$K" 2>/dev/null; [ $? -eq 2 ] || { echo "no action should exit 2"; fail=1; }
"$K" --bogus 2>/dev/null; [ $? -eq 2 ] || { echo "unknown option should exit 2"; fail=1; }
"$K" --check || { echo "--check on the default book failed"; fail=1; }
# from another directory, the bundled book is still found
(cd / && "$K" --check) || { echo "--check from / failed"; fail=1; }
# progress: a bar on a terminal only, never with --quiet or into a pipe/file
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
err=$("$K" --epub "$T/a.epub" 2>&1 >/dev/null)
[ -z "$err" ] || { echo "output on a non-terminal stderr: $err"; fail=1; }
if command -v script >/dev/null; then
  script -qec "$K --epub $T/b.epub" /dev/null | grep -q 'EPUB chapters .*\[#' ||
    { echo "no progress bar on a terminal"; fail=1; }
  if script -qec "$K --quiet --epub $T/c.epub" /dev/null | grep -q 'EPUB chapters'; then
    echo "progress bar despite --quiet"; fail=1
  fi
fi
exit $fail
