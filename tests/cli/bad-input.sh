#!/bin/bash
# bad-input.sh KMBOOK CASE — one bad-input case: checks the one-line located
# error (or warning), the exit status, and that no output or temporary file
# is left behind.
set -u
K=$1
CASE=$2
T=$(mktemp -d)
trap 'chmod -R u+w "$T"; rm -rf "$T"' EXIT
B=$T/book
OUT=$T/out
mkdir -p "$B" "$OUT"
book() { # book.yaml listing a.md, and a.md with the given body
  printf 'title: 测试\nchapters:\n  - a.md\n' >"$B/book.yaml"
  printf '%b' "$1" >"$B/a.md"
}
ARGS=(--book "$B" --epub "$OUT/x.epub" --pdf "$OUT/x.pdf")
case $CASE in
missing-book) ARGS=(--book "$T/nope" --epub "$OUT/x.epub"); WANT_RC=4
  WANT="^kmbook: $T/nope: error: book not found: .* — give a book folder" ;;
missing-metadata) WANT_RC=4
  WANT="^kmbook: $B/book.yaml: error: no book.yaml in the book folder — add one" ;;
malformed-yaml) book '# A\n'; printf 'title: 测试\nchapters: [a.md\n' >"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml:3:1: error: malformed YAML: .* — fix the metadata" ;;
missing-chapter) book '# A\n'; printf '  - b.md\n' >>"$B/book.yaml"; WANT_RC=4
  WANT="^kmbook: $B/book.yaml:4:5: error: chapter file 'b.md' is listed but missing — create it" ;;
invalid-utf8) book '# A\n\n正文\xff\n'; WANT_RC=3
  WANT="^kmbook: $B/a.md:3:7: error: invalid UTF-8 \(byte 0xFF at offset 11\) — re-save" ;;
nul-byte) book '# A\n\nab\0c\n'; WANT_RC=3
  WANT="^kmbook: $B/a.md:3:3: error: NUL byte in text — .*save it as UTF-8" ;;
missing-image) book '# A\n\n![图](images/nope.png)\n'; WANT_RC=4
  WANT="^kmbook: $B/a.md:3:1: error: image 'images/nope.png' not found — put the file in the book folder" ;;
image-outside) book '# A\n\n![x](../../../../../../etc/passwd)\n'; WANT_RC=3
  WANT="^kmbook: $B/a.md:3:1: error: image '.*etc/passwd' is outside the book folder — copy it" ;;
image-symlink) book '# A\n\n![x](h.png)\n'; ln -s /etc/hostname "$B/h.png"; WANT_RC=3
  WANT="^kmbook: $B/a.md:3:1: error: image 'h.png' is outside the book folder" ;;
chapter-outside) book '# A\n'; printf '  - ../../../../../../../../etc/hostname\n' >>"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml:4:5: error: chapter file '.*etc/hostname' is outside the book folder" ;;
empty-book) printf 'title: 空\nchapters: []\n' >"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml: error: the book has no chapters" ;;
output-missing-folder) book '# A\n\n正文。\n'; ARGS=(--book "$B" --epub "$T/no/such/x.epub"); WANT_RC=4
  WANT="^kmbook: $T/no/such/x.epub: error: output folder '$T/no/such' does not exist" ;;
output-is-input) book '# A\n\n正文。\n'; ARGS=(--book "$B" --pdf "$B/a.md"); WANT_RC=2
  WANT="^kmbook: $B/a.md: error: the output would overwrite an input file" ;;
bad-paper) book '# A\n'; ARGS=(--book "$B" --pdf "$OUT/x.pdf" --paper tabloid); WANT_RC=2
  WANT="^kmbook: error: unknown paper size 'tabloid' — use a5, b5, a4, letter" ;;
unknown-key) book '# A\n\n正文。\n'; printf 'colour: red\n' >>"$B/book.yaml"; ARGS=(--book "$B" --check); WANT_RC=0
  WANT="^kmbook: $B/book.yaml:4:1: warning: unknown metadata key 'colour' is ignored" ;;
unknown-key-strict) book '# A\n\n正文。\n'; printf 'colour: red\n' >>"$B/book.yaml"; ARGS=(--book "$B" --check --strict); WANT_RC=3
  WANT="^kmbook: $B/book.yaml:4:1: error: unknown metadata key 'colour'" ;;
literal-admonition) book '# A\n\n正文。\n\n- 项目\n  !!! note\n'; ARGS=(--book "$B" --check); WANT_RC=0
  WANT="^kmbook: $B/a.md:6:3: warning: \`!!! note\` is left as text: an admonition is" ;;
literal-div-strict) book '# A\n\n::: note\n正文。\n'; ARGS=(--book "$B" --check --strict); WANT_RC=3
  WANT="^kmbook: $B/a.md:3:1: error: \`::: note\` is left as text: a fenced div needs" ;;
glyph-strict-pdf) book '# A\n\n正文𓀀。\n'; ARGS=(--book "$B" --pdf "$OUT/x.pdf" --strict); WANT_RC=3
  WANT="^kmbook: $B/a.md:3:1: error: no glyph for U\\+13000 .* \\(warnings are errors: --strict\\)$" ;;
remote-strict-pdf) book '# A\n\n![远](https://example.com/a.png)\n'; ARGS=(--book "$B" --pdf "$OUT/x.pdf" --strict); WANT_RC=3
  WANT="^kmbook: $B/a.md:3:1: error: remote image 'https://example.com/a.png' is not embedded .* \\(warnings are errors: --strict\\)$" ;;
remote-strict-epub) book '# A\n\n![远](https://example.com/a.png)\n'; ARGS=(--book "$B" --epub "$OUT/x.epub" --strict); WANT_RC=3
  WANT="^kmbook: $B/a.md:3:1: error: remote image 'https://example.com/a.png' cannot be embedded .* \\(warnings are errors: --strict\\)$" ;;
chapter-no-file) book '# A\n'; printf 'title: 测试\nchapters:\n  - {title: 甲}\n' >"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml:3:5: error: a 'chapters' entry has no file — write \`- \{file: a.md, title: …\}\`" ;;
chapter-bad-key) book '# A\n'; printf 'title: 测试\nchapters:\n  - {file: a.md, name: 甲}\n' >"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml:3:18: error: unknown key 'name' in a 'chapters' entry — use file and title" ;;
keep-indents-bad) book '# A\n'; printf 'keep-indents: maybe\n' >>"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml:4:15: error: 'keep-indents' must be true or false" ;;
untitled-chapter-strict) book '正文，没有标题。\n'; ARGS=(--book "$B" --check --strict); WANT_RC=3
  WANT="^kmbook: $B/a.md: error: the chapter has no heading and no title, so it is called '第1章' — give it a title in book.yaml" ;;
writing-bad) book '# A\n'; printf 'writing: sideways\n' >>"$B/book.yaml"; WANT_RC=3
  WANT="^kmbook: $B/book.yaml:4:10: error: 'writing' must be horizontal or vertical" ;;
*) echo "unknown case $CASE"; exit 2 ;;
esac
"$K" "${ARGS[@]}" >"$T/stdout" 2>"$T/stderr"
rc=$?
fail=0
if [ "$rc" -ne "$WANT_RC" ]; then echo "exit status $rc, expected $WANT_RC"; fail=1; fi
if ! grep -Eq "$WANT" "$T/stderr"; then echo "stderr does not match: $WANT"; fail=1; fi
if [ "$WANT_RC" -ne 0 ]; then
  # errors: exactly one line, and nothing written
  n=$(grep -c 'error' "$T/stderr")
  if [ "$n" -ne 1 ]; then echo "expected one error line, got $n"; fail=1; fi
  left=$(find "$OUT" "$T" -name '*.epub' -o -name '*.pdf' -o -name '*kmbtmp*' | grep -v "^$B/a.md$" || true)
  if [ -n "$left" ]; then echo "files left behind: $left"; fail=1; fi
fi
if [ $fail -ne 0 ]; then echo "--- stderr:"; cat "$T/stderr"; exit 1; fi
echo "ok: $(head -n1 "$T/stderr")"
