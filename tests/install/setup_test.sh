#!/usr/bin/env bash
# tests/install/setup_test.sh REPO_ROOT — scripts/setup's package logic with
# a fake dpkg-query (and fake id/sudo) first on PATH, in --dry-run mode:
# nothing is installed, only the commands it would run are checked.
set -euo pipefail
root=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/kmbook-setup-test.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; cat "$tmp/out" 2>/dev/null; exit 1; }
mkdir "$tmp/bin"
# dpkg-query: every package is installed except those in $FAKE_MISSING.
cat >"$tmp/bin/dpkg-query" <<'SH'
#!/bin/sh
pkg=$(eval echo \${$#})
for m in $FAKE_MISSING; do [ "$m" = "$pkg" ] && { printf 'not-installed'; exit 0; }; done
printf 'installed'
SH
printf '#!/bin/sh\n[ "$1" = -u ] && { echo "${FAKE_UID:-0}"; exit 0; }; exec /usr/bin/id "$@"\n' >"$tmp/bin/id"
printf '#!/bin/sh\necho "fake sudo must not run in --dry-run" >&2; exit 99\n' >"$tmp/bin/sudo"
chmod +x "$tmp/bin"/*
export PATH="$tmp/bin:$PATH"
setup() { "$root/scripts/setup" --dry-run --deps-only "$@" >"$tmp/out" 2>&1 </dev/null; }

# 1. Everything present: no apt-get at all.
FAKE_MISSING="" setup --test-deps || fail "all present: setup failed"
grep -q "all .* packages present" "$tmp/out" || fail "all present: no 'all present' message"
grep -q apt-get "$tmp/out" && fail "all present: apt-get would run"

# 2. Two missing (one build, one test package): update first, then install
#    exactly those two, non-interactively.
FAKE_MISSING="libyaml-dev qpdf" setup --test-deps || fail "missing: setup failed"
grep -n apt-get "$tmp/out" >"$tmp/apt"
[[ $(wc -l <"$tmp/apt") == 2 ]] || fail "missing: expected 2 apt-get commands"
sed -n 1p "$tmp/apt" >"$tmp/first"; grep -q "DEBIAN_FRONTEND=noninteractive apt-get update" "$tmp/first" || fail "missing: no apt-get update first"
sed -n 2p "$tmp/apt" >"$tmp/second"; grep -q "DEBIAN_FRONTEND=noninteractive apt-get install -y .*libyaml-dev qpdf$" "$tmp/second" ||
  fail "missing: install line is not 'apt-get install -y ... libyaml-dev qpdf'"

# 3. A test package missing, but no --test-deps: nothing to install.
FAKE_MISSING="qpdf epubcheck" setup || fail "build only: setup failed"
grep -q apt-get "$tmp/out" && fail "build only: would install test packages"

# 4. A "pkg:cmd" entry is satisfied by its command (node on PATH).
printf '#!/bin/sh\nexit 0\n' >"$tmp/bin/node" && chmod +x "$tmp/bin/node"
FAKE_MISSING="nodejs" setup --test-deps || fail "pkg:cmd: setup failed"
grep -q "apt-get install" "$tmp/out" && fail "pkg:cmd: would install nodejs although node is on PATH"

# 5. Not root: apt-get goes through sudo -n (never a password prompt).
FAKE_UID=1000 FAKE_MISSING="time" setup --bench-deps || fail "not root: setup failed"
grep -q "^+ sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install .*time$" "$tmp/out" ||
  fail "not root: no 'sudo -n ... apt-get install time'"

# 6. A bad option fails with a message.
setup --no-such-option && fail "bad option accepted"
grep -q "unknown option" "$tmp/out" || fail "bad option: no message"

# 7. --list names every package once, with no "pkg:cmd" suffixes.
"$root/scripts/setup" --list --test-deps --bench-deps >"$tmp/out"
[[ $(sort "$tmp/out" | uniq -d) == "" ]] || fail "--list repeats a package"
grep -q : "$tmp/out" && fail "--list shows a pkg:cmd suffix"
grep -qx epubcheck "$tmp/out" || fail "--list misses epubcheck"
echo "setup: 7 checks ok"
