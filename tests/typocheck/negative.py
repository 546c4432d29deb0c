#!/usr/bin/python3
"""Each rule of typocheck.py fails on a page with its flaw (run by ctest).

    negative.py RULE WORKDIR [KMBOOK]

For RULE, sets two tiny PDFs with PyMuPDF, glyph by glyph: a good one and
the same with the one flaw the rule is about.  The rule must pass on the
good one and fail on the bad one — so a rule that cannot fail, or that fails
on everything, is caught.  fonts_embedded_and_subset takes its good PDF from
KMBOOK (PyMuPDF cannot subset a font without fontTools).
Exit 0 pass, 1 fail, 77 skipped (PyMuPDF missing).
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import typocheck  # noqa: E402

S = 10.0  # body size
L = 50.0  # left edge
N = 20  # characters per full line: the right edge is L + N * S
TOP, PITCH, BOTTOM = 80.0, 18.0, 530.0
HAN = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水玉出昆冈"


# Rules whose flawed PDF holds more than one flaw: each must be reported.
WANT = {"fonts_embedded_and_subset": ["is not embedded", "not subset"]}


def han(n, start=0):
    return "".join(HAN[(start + i) % len(HAN)] for i in range(n))


class Sheet:
    """A document set glyph by glyph: lines of (char, advance in em) pairs."""

    def __init__(self, fitz):
        self.fitz = fitz
        self.doc = fitz.open()
        self.font = fitz.Font("cjk")
        self.new_page()

    def new_page(self):
        self.page = self.doc.new_page(width=419.53, height=595.28)
        self.y = TOP
        n = len(self.doc)
        self.put(L, 30, "书名", 8)  # running head and folio: in the margin bands
        self.put(L + 100, 575, str(n), 8)

    def advance(self, c, size):
        return size if ord(c) > 0x2E7F else self.font.text_length(c, fontsize=size)

    def put(self, x, y, text, size=S, advances=None):
        for i, c in enumerate(text):
            self.page.insert_text((x, y), c, fontname="china-s", fontsize=size)
            x += advances[i] * size if advances else self.advance(c, size)
        return x

    def line(self, text, indent=0, size=S, advances=None):
        if self.y > BOTTOM:
            self.new_page()
        self.put(L + indent * S, self.y, text, size, advances)
        self.y += PITCH if size <= S else 1.6 * size

    def para(self, lines):
        """A paragraph: the first line indented two em, the others full."""
        for i, t in enumerate(lines):
            self.line(t, indent=2 if i == 0 else 0)

    def slots(self):
        """How many more lines fit on this page."""
        return int((BOTTOM - self.y) // PITCH) + 1 if self.y <= BOTTOM else 0

    def fill_to(self, free):
        """Paragraphs until exactly `free` lines are left on the page."""
        k = 0
        while self.slots() > free + 3:
            self.para([han(N - 2, k), han(N, k + 3), han(5, k) + "。"])
            k += 7
        while self.slots() > free:
            self.line(han(8, k) + "。", indent=2)
            k += 1

    def save(self, path):
        self.doc.save(path)
        return path


def base(sh, flaw=None):
    """The common good text: a heading and three ordinary paragraphs."""
    sh.line("第一章", size=16)
    sh.para([han(N - 2), han(N, 2), han(N, 4), han(7, 1) + "。"])
    sh.para([han(N - 2, 5), han(N, 6), han(9, 3) + "。"])


def case(rule, bad, work, kmbook):
    """Writes the PDF for RULE (good or bad) and returns (path, sources)."""
    import fitz

    sh = Sheet(fitz)
    name = os.path.join(work, "%s-%s.pdf" % (rule, "bad" if bad else "good"))
    sources = []
    if rule == "kinsoku_no_closing_mark_at_line_start":
        base(sh)
        sh.para([han(N - 2), han(N - 1) + "，" if not bad else han(N), ("" if not bad else "，") + han(6) + "。"])
    elif rule == "kinsoku_no_opening_mark_at_line_end":
        base(sh)
        sh.para([han(N - 2), han(N - 1) + ("「" if bad else "天"), han(6) + ("」。" if bad else "。")])
    elif rule == "cjk_latin_gap_is_quarter_em":
        base(sh)
        gap = 0.0 if bad else 0.25
        for k in range(4):
            text = han(3) + "ABC" + han(3)
            adv = [1, 1, 1 + gap] + [sh.advance(c, S) / S for c in "AB"] + \
                  [sh.advance("C", S) / S + gap, 1, 1, 1]
            sh.line(text, indent=2, advances=adv)
    elif rule == "punctuation_is_full_width_mid_line":
        base(sh)
        w = 0.5 if bad else 1.0
        text = (han(3) + "，") * 5
        sh.line(text, advances=[w if c == "，" else 1 for c in text])
    elif rule == "punctuation_pairs_are_compressed":
        base(sh)
        text = han(4) + "。」" + han(4) + "，「" + han(4)
        adv = [0.5 if c in "。，" else 1 for c in text] if not bad else None
        sh.line(text, indent=2, advances=adv)
    elif rule == "no_overfull_lines":
        base(sh)
        sh.para([han(N - 2), han(N + 1 if bad else N), han(4) + "。"])
    elif rule == "no_underfull_lines":
        base(sh)
        sh.para([han(N - 2), han(N - 1 if bad else N), han(N), han(4) + "。"])
    elif rule == "no_lonely_character_last_line":
        base(sh)
        sh.para([han(N - 2), han(N), ("天。" if bad else "天地。")])
    elif rule == "no_widows":
        base(sh)
        # a four-line paragraph at the foot: bad leaves its last line alone
        sh.fill_to(3 if bad else 2)
        sh.para([han(N - 2), han(N, 1), han(N, 2), han(5) + "。"])
        sh.para([han(N - 2, 3), han(6) + "。"])
    elif rule == "no_orphans":
        base(sh)
        sh.fill_to(1 if bad else 0)
        sh.para([han(N - 2), han(N, 1), han(N, 2), han(5) + "。"])
        sh.para([han(N - 2, 3), han(6) + "。"])
    elif rule == "no_heading_at_page_foot":
        base(sh)
        sh.fill_to(1 if bad else 0)
        sh.line("第二节", size=14)
        sh.para([han(N - 2), han(N, 1), han(5) + "。"])
    elif rule == "fonts_embedded_and_subset":
        if not bad:
            md = os.path.join(work, "fonts.md")
            open(md, "w", encoding="utf-8").write("---\ntitle: 字体\n---\n\n# 第一章\n\n正文。\n")
            subprocess.run([kmbook, "--quiet", "--book", md, "--pdf", name], check=True,
                           env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
            return name, sources
        base(sh)  # china-s: a CJK font named, never embedded
        # and a whole font embedded, not subset (MuPDF's built-in Nimbus Roman)
        sh.page.insert_font(fontname="whole", fontbuffer=fitz.Font("tiro").buffer)
        sh.page.insert_text((L, 500), "Latin", fontname="whole", fontsize=S)
    elif rule == "outline_present":
        base(sh)
        if not bad:
            sh.doc.set_toc([[1, "第一章", 1]])
    elif rule == "internal_links_resolve":
        base(sh)
        sh.new_page()
        base(sh)
        r = fitz.Rect(L, TOP - S, L + 3 * S, TOP)
        sh.doc[0].insert_link({"kind": fitz.LINK_GOTO, "from": r, "page": 1, "to": fitz.Point(L, TOP)})
        if bad:  # the link names a destination the file does not have
            sh.save(name)
            doc = fitz.open(name)
            link = doc[0].get_links()[0]
            doc.xref_set_key(link["xref"], "A", "null")
            doc.xref_set_key(link["xref"], "Dest", "(no-such-place)")
            doc.save(name + ".tmp")
            os.replace(name + ".tmp", name)
            return name, sources
    elif rule == "no_compatibility_ideographs":
        # kmbook's own PDF; the flawed one's ToUnicode map gives 不 as the
        # compatibility ideograph U+F967, as a poor font subsetter does
        md = os.path.join(work, "compat.md")
        open(md, "w", encoding="utf-8").write("---\ntitle: 字\n---\n\n# 第一章\n\n不是。\n")
        subprocess.run([kmbook, "--quiet", "--book", md, "--pdf", name], check=True,
                       env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"))
        if bad:
            doc = fitz.open(name)
            hits = 0
            for x in range(1, doc.xref_length()):
                if doc.xref_get_key(x, "ToUnicode")[0] == "xref":
                    tu = int(doc.xref_get_key(x, "ToUnicode")[1].split()[0])
                    cmap = doc.xref_stream(tu)
                    if b"<4e0d>" in cmap.lower():
                        doc.update_stream(tu, cmap.replace(b"<4e0d>", b"<f967>").replace(b"<4E0D>", b"<F967>"))
                        hits += 1
            if not hits:
                raise SystemExit("negative.py: no ToUnicode entry for 不 in %s" % name)
            doc.save(name + ".tmp")
            os.replace(name + ".tmp", name)
        return name, sources
    elif rule == "text_fidelity":
        # six paragraphs; the flawed PDF loses one character of the second.
        # Text the manuscript does not have follows (a colophon holding every
        # character again), so a greedy in-order search would not notice.
        md = os.path.join(work, "fidelity.md")
        paras = [han(N - 2, 7 * k) + han(N, 7 * k + 3) + han(7, k) + "。" for k in range(6)]
        open(md, "w", encoding="utf-8").write("# 第一章\n\n" + "\n\n".join(paras) + "\n")
        sources = [md]
        sh.line("第一章", size=16)
        for k, text in enumerate(paras):
            if bad and k == 1:
                text = text[:10] + text[11:]
            sh.para([text[:N - 2], text[N - 2:2 * N - 2], text[2 * N - 2:]])
        for k in range(0, 2 * len(HAN), 30):
            sh.line((HAN + HAN)[k:k + 30], size=7)
    else:
        raise SystemExit("negative.py: no case for rule %r" % rule)
    return sh.save(name), sources


def main():
    rule, work = sys.argv[1], sys.argv[2]
    kmbook = sys.argv[3] if len(sys.argv) > 3 else None
    if not typocheck.have_fitz():
        return 77
    os.makedirs(work, exist_ok=True)
    ok = True
    for bad in (False, True):
        pdf, sources = case(rule, bad, work, kmbook)
        violations, note = typocheck.check(pdf, sources, only={rule}, chapters=1)[rule]
        label = "flawed" if bad else "good"
        print("%-6s %s: %s" % (label, os.path.basename(pdf), "; ".join(violations[:3]) or "ok (%s)" % note))
        if bool(violations) != bad:
            ok = False
            print("FAIL: %s %s on the %s PDF" % (rule, "passes" if bad else "fails", label))
        for flaw in WANT.get(rule, []) if bad else []:
            if not any(flaw in v for v in violations):
                ok = False
                print("FAIL: %s does not report %r on the flawed PDF" % (rule, flaw))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
