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
# writing mode: --writing beats the book's metadata, which beats the style's [page] writing
printf -- '---\ntitle: W\nwriting: vertical\n---\n# 一\n\n文字。\n' >"/tmp/kmb-opt-$$.md"
printf '[page]\nwriting=vertical\n' >"/tmp/kmb-opt-$$.ini"
"$K" --book "/tmp/kmb-opt-$$.md" --dump-model | grep -q '^  writing vertical$' || { echo "writing: vertical not read"; fail=1; }
"$K" --book "/tmp/kmb-opt-$$.md" --writing horizontal --dump-model | grep -q 'writing vertical' && { echo "--writing horizontal did not win"; fail=1; }
"$K" --dump-model | grep -q 'writing vertical' && { echo "default book is not horizontal"; fail=1; }
"$K" --style "/tmp/kmb-opt-$$.ini" --dump-model | grep -q '^  writing vertical$' || { echo "style writing=vertical not used"; fail=1; }
"$K" --writing x --check 2>/dev/null; [ $? -eq 2 ] || { echo "--writing x should exit 2"; fail=1; }
rm -f "/tmp/kmb-opt-$$.md" "/tmp/kmb-opt-$$.ini"
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
