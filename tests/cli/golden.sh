#!/bin/bash
# golden.sh KMBOOK [--update] — the default book's model dump against
# tests/cli/default-model.txt, plus facts the spine issue asks for.
set -eu
K=$1
here=$(cd "$(dirname "$0")" && pwd)
gold=$here/default-model.txt
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$K" --dump-model >"$out"
if [ "${2:-}" = "--update" ]; then cp "$out" "$gold"; echo "updated $gold"; exit 0; fi
fail=0
# seven chapters in order, five topic headings among them
n=$(grep -c '^chapter ch0[1-7] ' "$out"); [ "$n" -eq 7 ] || { echo "chapters: $n"; fail=1; }
for h in 大模型的未来：数据效益是个问题 未来三年研究重点：视觉自监督学习 选择课题的标准：好奇心和热情 \
  "“AI将成为几乎所有事情的基础工具”" 用疑问解答AI模型可解释性问题; do
  grep -A2 '^    heading @1:1 level=1' "$out" | grep -q "\"$h\"" || { echo "topic heading missing: $h"; fail=1; }
done
grep -q 'figure @.* url="images/resnet-plain-vs-residual.svg" local' "$out" || { echo "no local SVG figure"; fail=1; }
if grep -E '(figure|image) @.*(remote|https?:)' "$out"; then echo "remote image reference"; fail=1; fi
if grep -q '\*\*' "$out"; then echo "literal ** left in the text:"; grep -n '\*\*' "$out" | head; fail=1; fi
n=$(grep -c '^      strong @.*' "$out"); [ "$n" -ge 30 ] || { echo "bold Q/A labels: only $n strong spans"; fail=1; }
if ! diff -u "$gold" "$out"; then echo "model dump differs from $gold (tests/cli/golden.sh KMBOOK --update)"; fail=1; fi
exit $fail
