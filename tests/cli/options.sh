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
exit $fail
