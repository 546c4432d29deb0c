#!/bin/bash
# locale.sh KMBOOK — the user's locale reaches --help (UTF-8, not '?') and
# nothing else: the books are byte-identical under C.UTF-8, a comma-decimal
# locale (de_DE) and a CJK locale (ja_JP, which would change Pango's default
# language), and --paper takes a decimal point under de_DE. The locales are
# compiled into a temporary LOCPATH with localedef, so no root is needed.
set -u
K=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
command -v localedef >/dev/null || { echo "SKIP: localedef (package libc-bin) is missing"; exit 77; }
mkdir -p "$T/loc"
for l in de_DE ja_JP; do
  [ -f /usr/share/i18n/locales/$l ] || { echo "SKIP: locale source /usr/share/i18n/locales/$l (package locales) is missing"; exit 77; }
  localedef -i $l -f UTF-8 "$T/loc/$l.UTF-8" >/dev/null 2>&1 || [ -d "$T/loc/$l.UTF-8" ] ||
    { echo "SKIP: localedef could not compile $l.UTF-8"; exit 77; }
done
export LOCPATH=$T/loc SOURCE_DATE_EPOCH=1700000000
fail=0
# the locale is really in effect (else the checks below prove nothing)
dp=$(LC_ALL=de_DE.UTF-8 locale decimal_point 2>&1)
[ "$dp" = "," ] || { echo "de_DE.UTF-8 is not in effect: decimal point '$dp'"; fail=1; }

h=$(LC_ALL=de_DE.UTF-8 "$K" --help)
grep -q 'OPTION …\] — build' <<<"$h" || { echo "--help under de_DE.UTF-8 is not UTF-8: $(sed -n 2p <<<"$h")"; fail=1; }

build() { # LOCALE DIR
  mkdir -p "$2"
  LC_ALL=$1 "$K" --quiet --epub "$2/b.epub" --pdf "$2/b.pdf" --layout-dump "$2/b.dump" ||
    { echo "build under $1 failed"; fail=1; }
}
build C.UTF-8 "$T/c"
mkdir -p "$T/loc"
for l in de_DE ja_JP; do
  build $l.UTF-8 "$T/$l"
  for f in b.epub b.pdf b.dump; do
    cmp -s "$T/c/$f" "$T/$l/$f" || { echo "$f differs under $l.UTF-8"; fail=1; }
  done
done

LC_ALL=de_DE.UTF-8 "$K" --quiet --pdf "$T/p.pdf" --paper 140.5x203mm --layout-dump "$T/p.dump" ||
  { echo "--paper 140.5x203mm failed under de_DE.UTF-8"; fail=1; }
head -n1 "$T/p.dump" 2>/dev/null | grep -q '^paper 140.5x203mm 398.27x575.43 ' ||
  { echo "paper under de_DE: $(head -n1 "$T/p.dump" 2>/dev/null)"; fail=1; }
[ $fail -eq 0 ] && echo "ok: --help in UTF-8; EPUB, PDF and layout dump identical under C, de_DE, ja_JP"
exit $fail
