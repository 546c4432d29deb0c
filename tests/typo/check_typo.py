#!/usr/bin/python3
"""Typography figures of issue 5 (run by ctest).

    check_typo.py KMBOOK WORKDIR BOOK [--default] [--shared]

Builds BOOK (a book folder) to a PDF with KMBOOK and checks it with the
project's own checker, tests/typocheck/typocheck.py: every rule holds
(kinsoku, CJK–Latin gaps of a quarter em, punctuation widths and pairs, no
overfull or underfull lines, no lonely last character, widows, orphans or
heading at a page foot, fonts embedded and subset, outline, internal links,
no compatibility ideographs, every manuscript character in order).
Flaws known and reported are listed in tests/typocheck/expected-flaws.txt
(they must still occur: a fixed one must leave the list).

--shared: the second opinion instead — cjk-pdf-check --json
(KMB_CJK_PDF_CHECK, not part of the project; skipped with 77 when absent):
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
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "typocheck"))
import typocheck  # noqa: E402


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


def build_both(kmbook, work, book):
    """{"total-fit": pdf, "first-fit": pdf} of BOOK."""
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704153600")
    root = os.path.dirname(os.path.dirname(HERE))
    style = os.path.join(root, "styles", "default.ini")
    ff_style = os.path.join(work, "first-fit.ini")
    with open(style, encoding="utf-8") as f, open(ff_style, "w", encoding="utf-8") as g:
        g.write(f.read().replace("total_fit=true", "total_fit=false"))
    pdfs = {}
    for name, st in (("total-fit", style), ("first-fit", ff_style)):
        pdf = os.path.join(work, name + ".pdf")
        cmd = [kmbook, "--quiet", "--style", st, "--pdf", pdf, "--book", book]
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if r.returncode != 0:
            print("FAIL: %s: %s" % (" ".join(cmd), r.stderr))
            sys.exit(1)
        pdfs[name] = pdf
    return pdfs


def expected_flaws(book):
    """(rule, text) pairs of tests/typocheck/expected-flaws.txt for BOOK."""
    path = os.path.join(os.path.dirname(HERE), "typocheck", "expected-flaws.txt")
    key = os.path.basename(os.path.normpath(book))
    out = []
    for line in open(path, encoding="utf-8"):
        f = line.split(None, 3)
        if line.strip() and not line.startswith("#") and f[0] == key:
            out.append((f[1], f[2]))
    return out


def main_own(kmbook, work, book):
    if not typocheck.have_fitz():
        sys.exit(SKIP)
    pdfs = build_both(kmbook, work, book)
    first = typocheck.check(pdfs["first-fit"], chapters(book))
    failing = [k for k, (v, _) in first.items() if v]
    print("first-fit: %d rules broken%s" % (len(failing), (": " + ", ".join(failing)) if failing else ""))
    print("total-fit (the default):")
    res = typocheck.check(pdfs["total-fit"], chapters(book))
    if typocheck.report(res, expected_flaws(book)):
        print("FAIL: %s breaks a typography rule (tests/typocheck/typocheck.py)" % pdfs["total-fit"])
        sys.exit(1)
    print("ok")


def main():
    kmbook, work, book = sys.argv[1:4]
    default = "--default" in sys.argv  # noqa: F841 (labels only)
    if "--shared" not in sys.argv:
        main_own(kmbook, work, book)
        return
    tool = os.environ.get("KMB_CJK_PDF_CHECK", "")
    if not tool or not os.path.exists(tool):
        print("SKIPPED: cjk-pdf-check not found (set KMB_CJK_PDF_CHECK)")
        sys.exit(SKIP)
    pdfs = build_both(kmbook, work, book)
    results = {}
    for name in ("total-fit", "first-fit"):
        res = run_check(tool, pdfs[name], chapters(book))
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
