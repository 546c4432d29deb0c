#!/usr/bin/python3
"""Ruby in the PDF (issue 14 item 6), read back from the PDF with PyMuPDF.

    ruby.py KMBOOK WORKDIR

Builds a book of paragraphs that put mono ruby ({漢字|hàn|zì}), group ruby
({北京|běijīng}), a wide annotation ({壮|zhuàng}) and zhuyin ({注音|ㄓㄨˋ|ㄧㄣ},
set above like pinyin here: zhuyin_right=false)
at every column of the measure (one more filler character per paragraph),
then checks on every line:
  - a ruby unit is never split: 北 and 京, 漢 and 字, 注 and 音 share a line;
  - the annotations of the line, left to right, are the expected ones;
  - each annotation is centred over its base within 0.05 em;
  - it sits above the base (its box bottom at or above the base box top) and
    below the previous line's descent (no overlap);
  - neighbouring annotations do not overlap (they may abut, and come 0.02 em
    closer where a tight line shrank its CJK glue).
Exit 0 pass, 1 fail, 77 skipped.
"""
import os
import subprocess
import sys

UNITS = [("漢字", ["hàn", "zì"]), ("北京", ["běijīng"]), ("壮", ["zhuàng"]),
         ("注音", ["ㄓㄨˋ", "ㄧㄣ"])]
SRC = {"漢字": "{漢字|hàn|zì}", "北京": "{北京|běijīng}", "壮": "{壮|zhuàng}",
       "注音": "<ruby>注<rt>ㄓㄨˋ</rt>音<rt>ㄧㄣ</rt></ruby>"}


def main():
    try:
        import fitz
    except ImportError:
        print("SKIPPED: PyMuPDF (fitz) not installed")
        return 77
    kmbook, work = sys.argv[1:3]
    os.makedirs(work, exist_ok=True)
    md = os.path.join(work, "ruby.md")
    paras = []
    for k in range(40):
        body = "".join("永" * (1 + (k + i) % 5) + SRC[b] for i, (b, _) in enumerate(UNITS * 3))
        paras.append("永" * k + body + "。")
    with open(md, "w", encoding="utf-8") as f:
        f.write("# 测试\n\n" + "\n\n".join(paras) + "\n")
    pdf = os.path.join(work, "ruby.pdf")
    # zhuyin set above like pinyin (zhuyin_right=false): the checks here are
    # for annotations above; conform.ruby's zhuyin case checks the column
    # right of the base that is the default
    style = os.path.join(work, "above.ini")
    with open(style, "w") as f:
        f.write("[typography]\nzhuyin_right=false\n")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1704153600", LC_ALL="C.UTF-8")
    r = subprocess.run([kmbook, "--quiet", "--book", md, "--pdf", pdf, "--style", style], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        print("FAIL: kmbook:", r.stdout, r.stderr)
        return 1
    doc = fitz.open(pdf)
    bases = {c for b, _ in UNITS for c in b}
    n_rt = n_lines = 0
    errors = []
    for pno, page in enumerate(doc):
        raw = page.get_text("rawdict")
        chars = []  # (char, bbox, origin, size)
        for blk in raw["blocks"]:
            for ln in blk.get("lines", []):
                for sp in ln["spans"]:
                    for ch in sp["chars"]:
                        chars.append((ch["c"], fitz.Rect(ch["bbox"]), ch["origin"], sp["size"],
                                      sp["ascender"], sp["descender"]))
        body = [c for c in chars if abs(c[3] - 10.5) < 0.01 and not c[0].isspace()]
        small = [c for c in chars if abs(c[3] - 5.25) < 0.01]
        lines = {}
        for c in body:
            lines.setdefault(round(c[2][1], 1), []).append(c)
        ys = sorted(lines)
        for li, y in enumerate(ys):
            row = sorted(lines[y], key=lambda c: c[2][0])
            text = "".join(c[0] for c in row)
            if not any(c[0] in bases for c in row):
                continue
            n_lines += 1
            em = 10.5
            # expected (base boxes, annotation) in order
            want = []
            i = 0
            while i < len(row):
                ch = row[i][0]
                unit = next((u for u in UNITS if u[0][0] == ch), None)
                if ch in bases and not unit:
                    errors.append("p%d: '%s' starts a line without its unit: %s" % (pno + 1, ch, text))
                    i += 1
                    continue
                if not unit:
                    i += 1
                    continue
                b, rts = unit
                got = "".join(c[0] for c in row[i:i + len(b)])
                if got != b:
                    errors.append("p%d: ruby unit %s split across lines: %s" % (pno + 1, b, text))
                    i += 1
                    continue
                if len(rts) == 1:
                    want.append((row[i:i + len(b)], rts[0]))
                else:
                    want += [([row[i + j]], rts[j]) for j in range(len(b))]
                i += len(b)
            # annotations over this line: baseline within 1.2 em above it
            above = sorted([c for c in small if y - 1.2 * em < c[2][1] < y - 0.5 * em],
                           key=lambda c: c[2][0])
            # split the annotation characters, left to right, by the expected
            # lengths (a tone mark may sit a little left of its syllable's end)
            above = [c for c in above if not c[0].isspace()]
            groups, k = [], 0
            for _, rt in want:
                groups.append(above[k:k + len(rt)])
                k += len(rt)
            got_rts = ["".join(sorted(c[0] for c in g)) for g in groups]
            if got_rts != ["".join(sorted(w[1])) for w in want] or k != len(above):
                errors.append("p%d: annotations %s, expected %s: %s" % (
                    pno + 1, "".join(c[0] for c in above), [w[1] for w in want], text))
                continue
            prev_bottom = None
            if li > 0:
                prev = lines[ys[li - 1]]
                prev_bottom = max(c[2][1] + 0.12 * c[3] for c in prev)  # Han ink bottom
            last_x1 = None
            for (bc, rt), g in zip(want, groups):
                n_rt += 1
                bx0 = bc[0][2][0]
                bx1 = bc[-1][2][0] + em  # Han bases: one em each (justification glue excluded)
                rx0, rx1 = min(c[1].x0 for c in g), max(c[1].x1 for c in g)
                off = ((rx0 + rx1) - (bx0 + bx1)) / 2 / em
                if abs(off) > 0.05:
                    errors.append("p%d: '%s' off centre by %.3f em over %s" % (
                        pno + 1, rt, off, "".join(c[0] for c in bc)))
                # ink extents from the fonts' design (PyMuPDF's span ascender and
                # descender are the subset faces' odd bounding values): Han ink
                # within 0.88 em above and 0.12 em below the baseline; pinyin and
                # zhuyin within 0.9 above (tone marks) and 0.25 below (g, j, y)
                rbottom = max(c[2][1] + 0.25 * c[3] for c in g)
                rtop = min(c[2][1] - 0.9 * c[3] for c in g)
                btop = min(c[2][1] - 0.88 * c[3] for c in bc)
                if rbottom > btop + 0.01:
                    errors.append("p%d: '%s' reaches into its base (%.2f > %.2f)" % (pno + 1, rt, rbottom, btop))
                if prev_bottom is not None and rtop < prev_bottom - 0.01:
                    errors.append("p%d: '%s' overlaps the previous line (%.2f < %.2f)" % (
                        pno + 1, rt, rtop, prev_bottom))
                # abutting annotations may come 0.02 em closer on a line whose
                # CJK glue was shrunk to fit (para.c line_fit)
                if last_x1 is not None and rx0 < last_x1 - 0.025 * em:
                    errors.append("p%d: '%s' overlaps the annotation before it by %.2f pt" % (
                        pno + 1, rt, last_x1 - rx0))
                last_x1 = rx1
    print("%d lines with ruby, %d annotations checked on %d pages" % (n_lines, n_rt, len(doc)))
    if n_rt < 300:
        errors.append("only %d annotations found" % n_rt)
    for e in errors[:20]:
        print("FAIL:", e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
