#!/bin/bash
# matrix.sh KMBOOK CASE — one case of the bad-input matrix (issue 8).
#
# Extends tests/cli/bad-input.sh (whose cases are not repeated here): each
# case checks the exit status, the message (one located error line, or a
# warning), and that no output or temporary file is left behind.  Inputs
# that must simply work (BOM, CRLF, lone CR, huge paragraph, many chapters)
# check that the book reads and builds both books.
#
# Exit: 0 pass, 1 fail, 77 skipped (a case in pending.txt, with its reason).
set -u
K=$1
CASE=$2
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
T=$(mktemp -d)
chmod 755 "$T"
cleanup() {
  # shellcheck disable=SC2086
  [ -n "${BGPID:-}" ] && kill $BGPID 2>/dev/null
  mountpoint -q "$T/out" 2>/dev/null && umount "$T/out"
  chmod -R u+w "$T" 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT
B=$T/book
OUT=$T/out
mkdir -p "$B" "$OUT"
export LC_ALL=C.UTF-8

fail=0
bad() { echo "FAIL: $*"; fail=1; }

# A case listed in pending.txt fails for a known, reported reason in code
# this suite does not own (a writer, the CLI): it still runs, but a failure
# is reported as skipped with the reason.  Remove the line once fixed.
PENDING=$(awk -v c="$CASE" '$1 == c { $1 = ""; sub(/^ +/, ""); print; exit }' "$HERE/pending.txt" 2>/dev/null)

book() { # book.yaml listing a.md, and a.md with the given body (printf %b)
  printf 'title: 测试\nchapters:\n  - a.md\n' >"$B/book.yaml"
  printf '%b' "$1" >"$B/a.md"
}

# Files a failed build may have left behind: outputs and temporaries.
leftovers() {
  find "$OUT" "$B" \( -name '*.epub' -o -name '*.pdf' -o -name '*kmbtmp*' \) -print 2>/dev/null
}

run() { # run ARGS... → $rc, $T/stdout, $T/stderr; also times the run
  local t0 t1
  t0=$(date +%s.%N)
  "$K" "$@" >"$T/stdout" 2>"$T/stderr"
  rc=$?
  t1=$(date +%s.%N)
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
}

# expect_error RC REGEX: exit status, exactly one error line matching, nothing left.
expect_error() {
  [ "$rc" -eq "$1" ] || bad "exit status $rc, expected $1"
  grep -Eq "$2" "$T/stderr" || bad "stderr does not match: $2"
  local n
  n=$(grep -c ': error:' "$T/stderr")
  [ "$n" -eq 1 ] || bad "expected one error line, got $n"
  local left
  left=$(leftovers)
  [ -z "$left" ] || bad "files left behind: $left"
}

# expect_ok: exit 0, no error line, and each output named exists and is not empty.
expect_ok() {
  [ "$rc" -eq 0 ] || bad "exit status $rc, expected 0"
  ! grep -q ': error:' "$T/stderr" || bad "unexpected error: $(grep ': error:' "$T/stderr" | head -n1)"
  for f in "$@"; do [ -s "$f" ] || bad "output $f missing or empty"; done
  local tmp
  tmp=$(find "$OUT" -name '*kmbtmp*')
  [ -z "$tmp" ] || bad "temporary files left behind: $tmp"
}

# builds the book in $B into both formats; "works" cases use it.
build_all() {
  run --book "$B" --check "$@"
  expect_ok
  local fmt
  for fmt in epub pdf; do
    run --book "$B" --$fmt "$OUT/x.$fmt" "$@"
    expect_ok "$OUT/x.$fmt"
    echo "  $fmt: ${secs}s"
  done
}

# A broken-image case: a chapter showing images/NAME.  README's limits table:
# "a located warning, the image left out and its alt text shown, in both
# books (exit 0; with --strict, exit 3)" — never a crash, a hang or a file
# left behind.
image_case() { # NAME
  local name=$1 fmt
  book "# A\n\n正文。\n\n![图一](images/$name)\n"
  for fmt in epub pdf; do
    rm -f "$OUT"/*
    run --book "$B" --$fmt "$OUT/x.$fmt"
    echo "  $fmt: exit $rc: $(head -n1 "$T/stderr")"
    expect_ok "$OUT/x.$fmt"
    grep -Eq "^kmbook: ($B/)?a.md:5:[0-9]+: warning: .*$name" "$T/stderr" ||
      bad "$fmt: no located warning naming $name"
    rm -f "$OUT"/*
    run --strict --book "$B" --$fmt "$OUT/x.$fmt"
    expect_error 3 "^kmbook: ($B/)?a.md:5:[0-9]+: error: .*$name"
  done
}

# A GIF named .png is a readable image: both books are built and show it
# (the content decides, not the name); at most a warning, never an error.
wrong_type_case() { # NAME
  local name=$1 fmt
  book "# A\n\n正文。\n\n![图一](images/$name)\n"
  for fmt in epub pdf; do
    rm -f "$OUT"/*
    run --book "$B" --$fmt "$OUT/x.$fmt"
    echo "  $fmt: exit $rc: $(head -n1 "$T/stderr")"
    expect_ok "$OUT/x.$fmt"
  done
}

mkimg() { # mkimg NAME: copies a fixture into the book's images/
  mkdir -p "$B/images"
  cp "$HERE/images/$1" "$B/images/$2"
}

corrupt() { # corrupt FILE: keeps the signature, scrambles the rest
  /usr/bin/python3 - "$1" <<'EOF'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
for i in range(12, len(d)):
    d[i] ^= 0x5A
open(p, 'wb').write(bytes(d))
EOF
}

truncate_half() { truncate -s $(($(stat -c %s "$1") / 2)) "$1"; }

case $CASE in
# --- must simply work ------------------------------------------------------
bom)
  printf '\xEF\xBB\xBFtitle: 测试\nchapters:\n  - a.md\n' >"$B/book.yaml"
  printf '\xEF\xBB\xBF# 第一章\n\n正文。\n' >"$B/a.md"
  run --book "$B" --dump-model
  expect_ok
  grep -q 'title "测试"' "$T/stdout" || bad "title not read after a BOM"
  grep -q 'heading @1:1 level=1' "$T/stdout" || bad "heading not at 1:1 after a BOM"
  grep -q $'\xEF\xBB\xBF' "$T/stdout" && bad "BOM left in the model"
  build_all ;;
crlf | lone-cr)
  if [ "$CASE" = crlf ]; then E=$'\r\n'; else E=$'\r'; fi
  printf 'title: 测试%schapters:%s  - a.md%s  - b.md%s' "$E" "$E" "$E" "$E" >"$B/book.yaml"
  printf '# 第一章%s%s正文第一行%s第二行。%s%s- 一%s- 二%s' "$E" "$E" "$E" "$E" "$E" "$E" "$E" >"$B/a.md"
  printf -- '---%ssubtitle: 副%s---%s# 第二章%s%s> 引文%s' "$E" "$E" "$E" "$E" "$E" "$E" >"$B/b.md"
  run --book "$B" --dump-model
  expect_ok
  grep -q 'title "测试"' "$T/stdout" || bad "title not read"
  grep -q 'heading @1:1 level=1' "$T/stdout" || bad "first heading not found"
  grep -q 'heading @4:1 level=1' "$T/stdout" || bad "front matter of b.md not split off (heading not at 4:1)"
  grep -q '"正文第一行"' "$T/stdout" || bad "paragraph lines not split"
  grep -c '^ *item ' "$T/stdout" | grep -qx 2 || bad "list items not found"
  grep -q '\\x0d' "$T/stdout" && bad "CR characters left in the model"
  # A single-file book with front matter and the same line ends.
  printf -- '---%stitle: 单文件%s---%s# 第一章%s%s正文。%s' "$E" "$E" "$E" "$E" "$E" "$E" >"$T/one.md"
  run --book "$T/one.md" --dump-model
  expect_ok
  grep -q 'title "单文件"' "$T/stdout" || bad "front matter not recognised with these line ends"
  build_all ;;
big-paragraph)
  # 10 MB in one paragraph: reading must stay linear (5 MB vs 10 MB).
  # KMB_ROBUST_BIG_MB scales it down for slow (sanitizer) builds.
  /usr/bin/python3 - "$B" "${KMB_ROBUST_BIG_MB:-10}" <<'EOF'
import sys
s = '这是一个很长的段落，没有换行，Latin words too. '
n = int(sys.argv[2]) * 1024 * 1024 // len(s.encode())
open(sys.argv[1] + '/a.md', 'w').write('# 长段\n\n' + s * n + '\n')
open(sys.argv[1] + '/h.md', 'w').write('# 长段\n\n' + s * (n // 2) + '\n')
open(sys.argv[1] + '/book.yaml', 'w').write('title: 长\nchapters: [a.md]\n')
EOF
  run --book "$B/h.md" --check -q; t5=$secs; expect_ok
  run --book "$B/a.md" --check -q; t10=$secs; expect_ok
  echo "  read: half ${t5}s, whole ${t10}s"
  if awk -v a="$t5" -v b="$t10" 'BEGIN { exit !(b > 3 * a + 0.5) }'; then bad "reading is not linear: half ${t5}s, whole ${t10}s"; fi
  rm "$B/h.md"
  build_all ;;
many-chapters)
  /usr/bin/python3 - "$B" <<'EOF'
import sys
d = sys.argv[1]
n = 10000
open(d + '/book.yaml', 'w').write('title: 多章\nchapters:\n' + ''.join('  - c%05d.md\n' % i for i in range(n)))
for i in range(n):
    open(d + '/c%05d.md' % i, 'w').write('# 第%d章\n\n正文%d。\n' % (i, i))
EOF
  run --book "$B" --check -q
  expect_ok
  echo "  read 10,000 chapters: ${secs}s"
  awk -v s="$secs" 'BEGIN { exit !(s < 10) }' || bad "reading 10,000 chapters took ${secs}s (quadratic?)"
  build_all -q ;;
many-footnotes)
  # a single-file book of 20,000 chapters and 40,000 footnotes (one nested
  # in each): placing the definitions must stay linear
  /usr/bin/python3 - "$T/one.md" <<'EOF'
import sys
n = 20000
s = '---\ntitle: 脚注\n---\n' + ''.join('# 第%d章\n\n正文%d[^f%d]。\n\n' % (i, i, i) for i in range(n))
s += ''.join('[^f%d]: 脚注%d[^g%d]\n' % (i, i, i) for i in range(n))
s += ''.join('[^g%d]: 二级%d\n' % (i, i) for i in range(n))
open(sys.argv[1], 'w').write(s)
EOF
  run --book "$T/one.md" --check -q
  expect_ok
  echo "  read 40,000 footnotes in 20,000 chapters: ${secs}s"
  awk -v s="$secs" 'BEGIN { exit !(s < 8) }' || bad "reading took ${secs}s (quadratic?)"
  run --book "$T/one.md" --dump-model -q
  grep -q '^chapter ch20000 ' "$T/stdout" || bad "chapter 20000 missing"
  [ "$(grep -c 'footnote_def' "$T/stdout")" -eq 40000 ] || bad "not 40,000 footnote definitions in the model" ;;
too-many-chapters)
  # the limit is checked on the list, before any chapter file is opened
  /usr/bin/python3 -c "import sys; open(sys.argv[1], 'w').write('title: 多\nchapters:\n' + ''.join('  - c%06d.md\n' % i for i in range(100001)))" "$B/book.yaml"
  run --book "$B" --check
  expect_error 3 "^kmbook: $B/book.yaml:100003:5: error: book.yaml lists 100001 chapters, over kmbook's limit of 100000 — merge" ;;
frontmatter-only-chapter)
  printf 'title: 测试\nchapters:\n  - a.md\n  - b.md\n' >"$B/book.yaml"
  printf '# A\n\n正文。\n' >"$B/a.md"
  printf -- '---\nsubtitle: 只有元数据\n---\n' >"$B/b.md"
  run --book "$B" --check
  expect_ok
  grep -Eq "^kmbook: $B/b.md: warning: chapter file has no text and is skipped" "$T/stderr" ||
    bad "no warning about the empty chapter"
  run --book "$B" --check --strict
  expect_error 3 "^kmbook: $B/b.md: error: chapter file has no text" ;;
frontmatter-only-file)
  printf -- '---\ntitle: 只有元数据\n---\n' >"$T/one.md"
  run --book "$T/one.md" --epub "$OUT/x.epub"
  expect_error 3 "^kmbook: $T/one.md: error: the book has no chapters" ;;

# --- limits ---------------------------------------------------------------
deep-quote)
  book "# A\n\n$(printf '> %.0s' $(seq 10000))深\n"
  run --book "$B" --epub "$OUT/x.epub" --pdf "$OUT/x.pdf"
  expect_error 3 "^kmbook: $B/a.md:3:2001: error: quotes, lists or inline spans nested more than 1000 deep — flatten" ;;
deep-list)
  book "# A\n\n$(printf -- '- %.0s' $(seq 10000))深\n"
  run --book "$B" --epub "$OUT/x.epub" --pdf "$OUT/x.pdf"
  expect_error 3 "^kmbook: $B/a.md:3:1001: error: quotes, lists or inline spans nested more than 1000 deep" ;;
deep-emphasis)
  book "# A\n\n$(head -c 40000 /dev/zero | tr '\0' '*')深$(head -c 40000 /dev/zero | tr '\0' '*')\n"
  run --book "$B" --check
  expect_error 3 "^kmbook: $B/a.md:3:1: error: quotes, lists or inline spans nested more than 1000 deep" ;;
deep-quote-1m)
  # a million levels: without the depth limit the reader's recursion overflows the stack
  /usr/bin/python3 -c "import sys; open(sys.argv[1],'w').write('# A\n\n' + '>' * 1000000 + ' x\n')" "$B/a.md"
  printf 'title: 测试\nchapters:\n  - a.md\n' >"$B/book.yaml"
  run --book "$B" --check
  expect_error 3 "^kmbook: $B/a.md:3:1001: error: quotes, lists or inline spans nested more than 1000 deep" ;;
deep-ok)
  # 1000 levels (the limit: 998 quotes, the paragraph, its text) still read and build
  book "# A\n\n$(printf '> %.0s' $(seq 998))深\n"
  build_all ;;

# --- images (judged by the writers) --------------------------------------
png-truncated) mkimg ok.png a.png; truncate_half "$B/images/a.png"; image_case a.png ;;
png-corrupt) mkimg ok.png a.png; corrupt "$B/images/a.png"; image_case a.png ;;
jpeg-truncated) mkimg ok.jpg a.jpg; truncate_half "$B/images/a.jpg"; image_case a.jpg ;;
jpeg-corrupt) mkimg ok.jpg a.jpg; corrupt "$B/images/a.jpg"; image_case a.jpg ;;
gif-truncated) mkimg ok.gif a.gif; truncate_half "$B/images/a.gif"; image_case a.gif ;;
gif-corrupt) mkimg ok.gif a.gif; corrupt "$B/images/a.gif"; image_case a.gif ;;
image-empty) mkdir -p "$B/images"; : >"$B/images/a.png"; image_case a.png ;;
image-wrong-type) mkimg ok.gif a.png; wrong_type_case a.png ;;
image-huge)
  # 30,000 × 30,000 pixels (a 100 KB file): refused or downscaled, never an
  # out-of-memory — the writers run with 2 GB of address space.
  mkdir -p "$B/images"
  /usr/bin/python3 - "$B/images/a.png" <<'EOF'
import sys, zlib, struct
w = h = 30000
def chunk(t, d):
    return struct.pack('>I', len(d)) + t + d + struct.pack('>I', zlib.crc32(t + d) & 0xffffffff)
c = zlib.compressobj(9)
row = b'\0' + b'\0' * (w // 8 + 1)
data = b''.join(c.compress(row) for _ in range(h)) + c.flush()
png = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 1, 0, 0, 0, 0)) + \
      chunk(b'IDAT', data) + chunk(b'IEND', b'')
open(sys.argv[1], 'wb').write(png)
EOF
  book "# A\n\n正文。\n\n![巨图](images/a.png)\n"
  for fmt in epub pdf; do
    rm -f "$OUT"/*
    if ldd "$K" 2>/dev/null | grep -q libasan; then
      # ASan reserves terabytes of shadow memory: limit the resident size instead
      ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=2000 \
        "$K" --book "$B" --$fmt "$OUT/x.$fmt" >"$T/stdout" 2>"$T/stderr"; rc=$?
    else
      ( ulimit -v 2000000; "$K" --book "$B" --$fmt "$OUT/x.$fmt" >"$T/stdout" 2>"$T/stderr" ); rc=$?
    fi
    echo "  $fmt: exit $rc: $(head -n1 "$T/stderr")"
    # README's limits table: the PDF leaves an image over 120 million pixels
    # out with a located warning (exit 0); the EPUB builds too.
    expect_ok "$OUT/x.$fmt"
    if [ "$fmt" = pdf ]; then
      grep -Eq "^kmbook: ($B/)?a.md:5:[0-9]+: warning: .*a.png.* too large" "$T/stderr" ||
        bad "pdf: no located warning that a.png is too large"
    fi
  done ;;
svg-external-entity | svg-external-href | svg-remote-href)
  # Nothing outside the book folder is read, and nothing is fetched: the
  # outside file is a FIFO (opening it for reading would set a flag) and
  # the remote URL points at a local listener that records any connection.
  mkdir -p "$B/images"
  book "# A\n\n正文。\n\n![图](images/a.svg)\n"
  mkfifo "$T/secret.png"
  ( exec 3>"$T/secret.png"; echo opened >"$T/fifo-opened" ) &
  BGPID=$!
  PORT=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  /usr/bin/python3 - "$PORT" "$T/net-used" <<'EOF' &
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', int(sys.argv[1]))); s.listen(5); s.settimeout(300)
try:
    c, _ = s.accept(); open(sys.argv[2], 'w').write('connected\n')
except Exception:
    pass
EOF
  NETPID=$!
  BGPID="$BGPID $NETPID"
  case $CASE in
  svg-external-entity) printf '<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file://%s/secret.png">]>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40"><text x="5" y="20">&x;</text></svg>\n' "$T" >"$B/images/a.svg" ;;
  svg-external-href) printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="40"><image xlink:href="file://%s/secret.png" href="../../secret.png" width="50" height="20"/><rect width="10" height="10"/></svg>\n' "$T" >"$B/images/a.svg" ;;
  svg-remote-href) printf '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="40"><image xlink:href="http://127.0.0.1:%s/x.png" width="50" height="20"/><rect width="10" height="10"/></svg>\n' "$PORT" >"$B/images/a.svg" ;;
  esac
  for fmt in epub pdf; do
    rm -f "$OUT"/*
    run --book "$B" --$fmt "$OUT/x.$fmt"
    echo "  $fmt: exit $rc: $(head -n1 "$T/stderr")"
    # README's limits table: both books build (exit 0); the EPUB drops the
    # references with a located warning, the PDF warns that it cannot read an
    # SVG with an external entity (its alt text is shown).
    expect_ok "$OUT/x.$fmt"
    if [ "$fmt" = epub ]; then
      grep -Eq "^kmbook: ($B/)?a.md:5:[0-9]+: warning: SVG image 'images/a.svg': removed" "$T/stderr" ||
        bad "epub: no located warning that a.svg's references were removed"
    elif [ "$CASE" = svg-external-entity ]; then
      grep -Eq "^kmbook: ($B/)?a.md:5:[0-9]+: warning: cannot read SVG .*a.svg" "$T/stderr" ||
        bad "pdf: no located warning that a.svg cannot be read"
    fi
    if [ "$fmt" = epub ] && [ $rc -eq 0 ]; then
      # the EPUB must not carry a reference to a file outside the book, nor a remote resource
      /usr/bin/python3 -c 'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); sys.stdout.write(b"".join(z.read(n) for n in z.namelist() if n.endswith(".svg")).decode("utf-8", "replace"))' "$OUT/x.epub" | grep -Eq "secret.png|127.0.0.1|ENTITY" &&
        bad "epub: the SVG still references an outside or remote resource"
    fi
  done
  sleep 0.2
  [ -e "$T/fifo-opened" ] && bad "a file outside the book folder was opened"
  [ -e "$T/net-used" ] && bad "kmbook made a network connection"
 ;;

# --- output ---------------------------------------------------------------
output-readonly)
  book "# A\n\n正文。\n"
  # Root ignores permission bits: use a read-only tmpfs, or run as nobody.
  AS=()
  if mount -t tmpfs -o size=1m,mode=755 tmpfs "$OUT" 2>/dev/null && mount -o remount,ro "$OUT" 2>/dev/null; then
    echo "  (read-only tmpfs)"
  elif [ "$(id -u)" -eq 0 ]; then
    chmod 555 "$OUT"; AS=(setpriv --reuid=65534 --regid=65534 --clear-groups); echo "  (as nobody)"
  else
    chmod 555 "$OUT"
  fi
  for fmt in epub pdf; do
    "${AS[@]}" "$K" --book "$B" --$fmt "$OUT/x.$fmt" >"$T/stdout" 2>"$T/stderr"; rc=$?
    expect_error 4 "^kmbook: $OUT/x.$fmt: error: cannot write in the output folder: .* — check its permissions"
  done ;;
disk-full)
  book "# A\n\n$(printf '正文很长。%.0s' $(seq 4000))\n\n![图](images/a.png)\n"
  mkimg ok.png a.png
  how=tmpfs
  if ! mount -t tmpfs -o size=12k tmpfs "$OUT" 2>/dev/null; then how="ulimit"; fi
  echo "  (full disk simulated with $how)"
  for fmt in epub pdf; do
    if [ $how = tmpfs ]; then
      run --book "$B" --$fmt "$OUT/x.$fmt"
    else
      ( ulimit -f 8; "$K" --book "$B" --$fmt "$OUT/x.$fmt" >"$T/stdout" 2>"$T/stderr" ); rc=$?
    fi
    echo "  $fmt: exit $rc: $(head -n1 "$T/stderr")"
    expect_error 4 "^kmbook: $OUT/x.$fmt: error: .*(No space left|File too large|disk full|disk is full)"
  done ;;
file-size-limit)
  # `ulimit -f`: without SIGXFSZ ignored the kernel kills kmbook mid-write
  # (exit 153) and the temporary stays; ignored, write() fails with EFBIG.
  book "# A\n\n$(printf '正文很长。%.0s' $(seq 4000))\n\n![图](images/a.png)\n"
  mkimg ok.png a.png
  for fmt in epub pdf; do
    rm -f "$OUT"/* "$OUT"/.??* 2>/dev/null
    ( ulimit -f 8; "$K" --book "$B" --$fmt "$OUT/x.$fmt" >"$T/stdout" 2>"$T/stderr" ); rc=$?
    echo "  $fmt: exit $rc: $(head -n1 "$T/stderr")"
    expect_error 4 "^kmbook: $OUT/x.$fmt: error: .*(File too large|disk full|disk is full)"
  done ;;
sigint | sigterm)
  # The signal arrives while a writer is running (its temporary file exists):
  # the build stops with 128+signal and leaves nothing behind.
  sig=${CASE#sig}; sig=${sig^^}
  /usr/bin/python3 - "$B" <<'EOF'
import sys
d = sys.argv[1]
open(d + '/book.yaml', 'w').write('title: 长书\nchapters:\n' + ''.join('  - c%03d.md\n' % i for i in range(600)))
for i in range(600):
    open(d + '/c%03d.md' % i, 'w').write('# 第%d章\n\n' % i + ('正文很长，很长。' * 200 + '\n\n') * 20)
EOF
  for fmt in epub pdf; do
    rm -f "$OUT"/* "$OUT"/.??* 2>/dev/null
    "$K" --book "$B" --$fmt "$OUT/x.$fmt" >"$T/stdout" 2>"$T/stderr" &
    pid=$!
    # the temporary appears once the book is read, just before the writer starts
    for _ in $(seq 600); do
      [ -n "$(find "$OUT" -name '*kmbtmp*')" ] && break
      kill -0 $pid 2>/dev/null || break
      sleep 0.05
    done
    sleep 0.1
    if ! kill -0 $pid 2>/dev/null; then
      wait $pid
      bad "$fmt: the build finished before the signal could be sent — make the book bigger"
      continue
    fi
    kill -s "$sig" $pid
    wait $pid; rc=$?
    want=130; [ "$sig" = TERM ] && want=143
    [ $rc -eq $want ] || bad "$fmt: exit status $rc after SIG$sig, expected $want"
    left=$(find "$OUT" -mindepth 1)
    [ -z "$left" ] || bad "$fmt: files left behind after SIG$sig: $left"
    echo "  $fmt: SIG$sig → exit $rc, nothing left"
  done ;;
*) echo "unknown case $CASE"; exit 2 ;;
esac
if [ $fail -ne 0 ]; then
  echo "--- stderr:"; head -c 3000 "$T/stderr"
  if [ -n "$PENDING" ]; then echo "SKIP: PENDING (known, reported): $PENDING"; exit 77; fi
  exit 1
fi
[ -n "$PENDING" ] && echo "note: $CASE passes now — remove it from tests/robust/pending.txt"
echo "ok: $CASE $(head -n1 "$T/stderr")"
