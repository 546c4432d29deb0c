#!/usr/bin/python3
"""Typography figures of issue 5, measured with cjk-pdf-check (run by ctest).

    check_typo.py KMBOOK WORKDIR BOOK [--default]

Builds BOOK (a book folder) to a PDF with KMBOOK and checks, with
cjk-pdf-check --json (KMB_CJK_PDF_CHECK; skipped with 77 when absent):
  score 0, fidelity 100 %, no Kangxi/compatibility code points,
  cjk_latin_spacing median 0.25 +- 0.03 em and >= 99 % of pairs >= 0.15 em,
  punct_pairs median <= 1.55 em, punct_squeezed <= 2 % of isolated marks.
--default: the default book (same checks; the flag only labels the output).
Also builds the first-fit variant (total_fit=false) and prints both summaries,
so a CI log shows the difference.
"""
import json
import os
import subprocess
import sys

SKIP = 77


def run_check(tool, pdf, sources):
    out = subprocess.run([sys.executable, tool, pdf, "--json", "--source"] + sources,
                         capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if out.returncode != 0:
        print(out.stdout, out.stderr)
        sys.exit(1)
    return json.loads(out.stdout)


def chapters(book):
    names = []
    with open(os.path.join(book, "book.yaml"), encoding="utf-8") as f:
        inside = False
        for line in f:
            if line.startswith("chapters:"):
                inside = True
                continue
            if inside:
                s = line.strip()
                if s.startswith("- "):
                    names.append(os.path.join(book, s[2:].strip().strip('"')))
                elif s and not line.startswith(" "):
                    break
    return names


def main():
    kmbook, work, book = sys.argv[1:4]
    default = "--default" in sys.argv  # noqa: F841 (labels only)
    tool = os.environ.get("KMB_CJK_PDF_CHECK", "")
    if not tool or not os.path.exists(tool):
        print("SKIPPED: cjk-pdf-check not found (set KMB_CJK_PDF_CHECK)")
        sys.exit(SKIP)
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704153600")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    style = os.path.join(root, "styles", "default.ini")
    ff_style = os.path.join(work, "first-fit.ini")
    with open(style, encoding="utf-8") as f, open(ff_style, "w", encoding="utf-8") as g:
        g.write(f.read().replace("total_fit=true", "total_fit=false"))
    results = {}
    for name, st in (("total-fit", style), ("first-fit", ff_style)):
        pdf = os.path.join(work, name + ".pdf")
        cmd = [kmbook, "--quiet", "--style", st, "--pdf", pdf, "--book", book]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            print("FAIL: %s: %s" % (" ".join(cmd), r.stderr))
            sys.exit(1)
        res = run_check(tool, pdf, chapters(book))
        results[name] = res
        cl, pp, ps = res["cjk_latin_spacing"], res["punct_pairs"], res["punct_squeezed"]
        print("%-9s score %d; kinsoku %d/%d ragged %d overfull %d lonely %d; cjk-latin median %s em, "
              "%.1f%% >= 0.15; pairs median %s em; squeezed %d of %d; fidelity %.4f"
              % (name, res["score"], res["kinsoku_start"]["count"],
                 res["kinsoku_end"]["count"], res["ragged"]["count"], res["overfull"]["real"],
                 res["lonely_last_line"]["count"], cl.get("median_em"), 100 * (cl.get("frac_ge_0.15em") or 0),
                 pp.get("median_advance_em"), ps["squeezed_lt_0.85em"], ps["count"],
                 res["fidelity"]["fraction"]))
    res = results["total-fit"]
    bad = []
    if res["score"] != 0:
        bad.append("score %d" % res["score"])
    if res["fidelity"]["fraction"] < 1.0:
        bad.append("fidelity %.4f" % res["fidelity"]["fraction"])
    if res["pdf_text_compat_chars"]:
        bad.append("%d Kangxi/compatibility characters" % res["pdf_text_compat_chars"])
    cl = res["cjk_latin_spacing"]
    if cl["count"] and abs(cl["median_em"] - 0.25) > 0.03:
        bad.append("cjk_latin median %.3f em" % cl["median_em"])
    if cl["count"] and cl["frac_ge_0.15em"] < 0.99:
        msg = "cjk_latin %.1f%% >= 0.15 em (tight: %s)" % (
            100 * cl["frac_ge_0.15em"],
            ", ".join("p%d %s" % (e["page"], e["pair"]) for e in cl.get("examples_tight", [])))
        bad.append(msg)
    pp = res["punct_pairs"]
    if pp["count"] and pp["median_advance_em"] > 1.55:
        bad.append("punct_pairs median %.2f em" % pp["median_advance_em"])
    ps = res["punct_squeezed"]
    if ps["count"] and ps["squeezed_lt_0.85em"] > 0.02 * ps["count"]:
        bad.append("punct_squeezed %d of %d" % (ps["squeezed_lt_0.85em"], ps["count"]))
    if bad:
        print("FAIL: " + "; ".join(bad))
        sys.exit(1)
    print("ok")


main()
