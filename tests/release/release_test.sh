#!/usr/bin/env bash
# tests/release/release_test.sh MODE REPO_ROOT — runs scripts/release against a
# temporary output folder.  Exit 0 pass, 1 fail, 77 skipped (ctest SKIP).
#   full     a release succeeds: dist has the books (as written and the
#            s2twp edition, zh-Hant-TW) and SHA256SUMS, the
#            sums check, the names carry slug and version, the EPUB starts
#            with its stored mimetype and the PDF with %PDF-.
#   bites    the reproducibility check bites: one byte of a chapter changes
#            between the two builds → the script fails, says the builds
#            differ, and leaves the existing output folder untouched.
#   args     fast checks of the command line (no build).
set -euo pipefail
mode=$1 root=$2
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmbook-release-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
leftovers() { # true when any of the (glob-expanded) arguments exists
  local f
  for f in "$@"; do [[ -e $f ]] && return 0; done
  return 1
}
export TMPDIR=$tmp
# Outside a git checkout (an exported tree) the release needs a fixed date.
git -C "$root" rev-parse --git-dir >/dev/null 2>&1 || export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-1700000000}

version=$(sed -n 's/^project(kmbook VERSION \([0-9][0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
slug=$(sed -n 's/^slug:[[:space:]]*["'\'']\{0,1\}\([A-Za-z0-9._-]*\).*/\1/p' "$root/book/book.yaml")

# Run the release; the suite itself is what is being run, so --skip-tests.
release() {
  local rc=0
  "$root/scripts/release" --skip-tests "$@" >"$tmp/log" 2>&1 || rc=$?
  cat "$tmp/log"
  return "$rc"
}

case $mode in
  args)
    rc=0; "$root/scripts/release" --no-such-option >"$tmp/log" 2>&1 || rc=$?
    ((rc == 2)) || fail "unknown option: exit $rc, expected 2"
    grep -q "unknown option" "$tmp/log" || fail "unknown option: no message"
    rc=0; "$root/scripts/release" --tag v0.0.0-not-this --out "$tmp/dist" >"$tmp/log" 2>&1 || rc=$?
    ((rc == 1)) || fail "wrong tag: exit $rc, expected 1"
    grep -q "does not match the version" "$tmp/log" || fail "wrong tag: no clear message: $(cat "$tmp/log")"
    [[ ! -e $tmp/dist ]] || fail "wrong tag: output folder was created"
    "$root/scripts/release" --help >"$tmp/log"
    grep -q "byte" "$tmp/log" || fail "--help does not describe the script"
    echo "release args: ok"
    ;;
  full)
    release --out "$tmp/dist" --tag "v$version" || fail "scripts/release failed"
    [[ -d $tmp/dist ]] || fail "no output folder"
    got=$(cd "$tmp/dist" && ls -A | sort | tr '\n' ' ')
    want="SHA256SUMS $slug-$version-zh-Hant-TW.epub $slug-$version-zh-Hant-TW.pdf $slug-$version.epub $slug-$version.pdf "
    [[ $got == "$want" ]] || fail "output folder holds '$got', expected '$want'"
    (cd "$tmp/dist" && sha256sum --check --strict SHA256SUMS) || fail "SHA256SUMS does not check"
    [[ $(head -c 38 "$tmp/dist/$slug-$version.epub" | tail -c 8) == mimetype ]] ||
      fail "EPUB does not start with its mimetype entry"
    [[ $(head -c 5 "$tmp/dist/$slug-$version.pdf") == %PDF- ]] || fail "PDF does not start with %PDF-"
    grep -q "byte-identical" "$tmp/log" || fail "no reproducibility verdict in the log"
    unzip -p "$tmp/dist/$slug-$version-zh-Hant-TW.epub" EPUB/content.opf | grep -q '<dc:language>zh-Hant-TW<' ||
      fail "the Traditional edition is not zh-Hant-TW"
    leftovers "$tmp"/kmbook-release.* "$tmp"/.dist.* && fail "work or staging folder left behind"
    echo "release full: ok"
    ;;
  bites)
    mkdir "$tmp/dist" && echo keep >"$tmp/dist/sentinel"
    # Change one byte of the last chapter in the second copy only: the first
    # ASCII letter or digit outside markup becomes another one.
    export KMB_RELEASE_BETWEEN_BUILDS='python3 - "$KMB_RELEASE_SRC"/book/07-*.md <<"PY"
import sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
for i, c in enumerate(b):
    if c < 128 and chr(c).isalnum():
        b[i] = ord("x") if c != ord("x") else ord("y")
        break
else:
    sys.exit("no ASCII letter or digit to change in " + p)
open(p, "wb").write(b)
print("test hook: changed byte", i, "of", p)
PY'
    rc=0; release --out "$tmp/dist" || rc=$?
    ((rc != 0)) || fail "the release succeeded although the second build had a changed chapter"
    grep -q "test hook: changed byte" "$tmp/log" || fail "the test hook did not run"
    grep -q "not byte-identical" "$tmp/log" || fail "the failure does not say the builds differ"
    [[ $(ls -A "$tmp/dist") == sentinel && $(cat "$tmp/dist/sentinel") == keep ]] ||
      fail "the existing output folder was touched"
    leftovers "$tmp"/kmbook-release.* "$tmp"/.dist.* && fail "work or staging folder left behind"
    echo "release bites: ok (the changed byte was caught)"
    ;;
  *) fail "unknown mode $mode" ;;
esac
