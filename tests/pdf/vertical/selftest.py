#!/usr/bin/python3
"""check_vertical.py shown right and wrong on hand-made pages (fixture.c):

    selftest.py FIXTURE_PROGRAM OUTDIR CHECK    the correct page passes every
                                                check; the page with CHECK's
                                                flaw fails CHECK
    selftest.py FIXTURE_PROGRAM OUTDIR horizontal   a horizontal page fails

Exit 0 when so, 1 when not, 77 when PyMuPDF or the font is missing."""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))

# the flaws of the fixture that each check must catch
FLAW = {
    "columns_run_top_to_bottom": "upward",
    "columns_inside_text_block": "overflow",
    "columns_ordered_right_to_left": "ltr",
    "ideographs_upright": "turned-han",
    "punctuation_vertical_forms": ("no-vert", "turned-comma"),
    "no_upright_latin_outside_tcy": "latin-upright",
    "two_digit_numbers_tate_chu_yoko": "no-tcy",
    "kinsoku_no_closing_mark_at_column_head": "kinsoku",
    "viewer_direction_r2l": "no-r2l",
    "text_fidelity": "missing",
}


def page(prog, out, flaw):
    """The fixture page with one flaw ("none": none), as a PDF path."""
    import fitz

    raw = os.path.join(out, flaw + ".cairo.pdf")
    subprocess.run([prog, os.path.join(HERE, "fixture-columns.txt"), raw,
                    "none" if flaw == "no-r2l" else flaw], check=True)
    doc = fitz.open(raw)
    direction = "/L2R" if flaw == "no-r2l" else "/R2L"
    doc.xref_set_key(doc.pdf_catalog(), "ViewerPreferences", "<</Direction%s>>" % direction)
    path = os.path.join(out, flaw + ".pdf")
    doc.save(path)
    return path


def main(prog, out, what):
    try:
        import fitz  # noqa: F401
    except ImportError:
        print("SKIPPED: PyMuPDF is not installed (Debian package python3-fitz)")
        return 77
    fam = subprocess.run(["fc-list", "Noto Serif CJK SC", "family"], capture_output=True, text=True)
    if "Noto Serif CJK SC" not in fam.stdout:
        print("SKIPPED: the fixture's font Noto Serif CJK SC is not installed (fonts-noto-cjk)")
        return 77
    import check_vertical as cv

    os.makedirs(out, exist_ok=True)
    source = [os.path.join(HERE, "fixture.md")]
    good = cv.check(page(prog, out, "none"), source)
    print("correct page:")
    failed = cv.report(good)
    if what == "horizontal":
        res = cv.check(page(prog, out, "horizontal"), source)
        print("horizontal page:")
        if not cv.report(res):
            print("FAIL: a horizontal page passed every check")
            return 1
        return 1 if failed else 0
    flaws = FLAW[what] if isinstance(FLAW[what], tuple) else (FLAW[what],)
    for flaw in flaws:
        bad = cv.check(page(prog, out, flaw), source, only={what})
        print("page with the flaw %r:" % flaw)
        if not cv.report(bad):
            print("FAIL: %s did not catch the flaw %r" % (what, flaw))
            return 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
