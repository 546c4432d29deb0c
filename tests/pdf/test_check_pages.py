#!/usr/bin/env python3
"""check_pages.py's spread counts on made-up layout dumps (no kmbook): a
spread run a row long is even, a page long alone is a fault, a spread whose
shorter page is followed by a figure taller than the room even scaled to
figure_min_scale is "forced by a figure", a smaller figure is not."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_pages as cp  # noqa: E402

HEAD = "paper a5 419.53x595.28 text 325.50x477.75 rows 26 pitch 18.375 inner 49.85 outer 44.18 top 51.02\n"
TOP, PITCH = 51.02, 18.375


def page(n, ends_on, image_h=None):
    """Page n of chapter ch01 whose text reaches row ends_on; image_h: it
    opens with an image that tall, its text after it."""
    side = "verso" if n % 2 == 0 else "recto"
    out = [f"page {n} [{n}] body {side} ch01"]
    start = 1
    if image_h:
        out.append(f"  image     49.85 {TOP + 2:.2f} 325.50x{image_h:.2f} fig.png under=h4:ch01-1 <Figure>")
        start = int(image_h / PITCH) + 2
    for r in range(start, ends_on + 1):
        out.append(f'  p         49.85 {TOP + (r - 0.3) * PITCH:.2f} w= 300.00 "line {r}" <P>')
    out.append(f'  folio     44.18  565.35 w=  4.46 "{n}" size=8.00 gray=0.30 furniture')
    return "\n".join(out) + "\n"


def dump(*pages):
    return HEAD + "".join(page(n, *p) if isinstance(p, tuple) else page(n, p) for n, p in pages)


fails = 0


def expect(ok, what):
    global fails
    if not ok:
        print("FAIL:", what)
        fails += 1


# p. 1 the chapter's opening recto, pages 2-3 a spread, 4 and 5 after it
d = dump((1, 26), (2, 27), (3, 27), (4, 26), (5, 20))
n, alone = cp.long_pages(d)
_, uneven = cp.spreads(d)
expect(n == 1 and not alone and not uneven, f"both pages on row 27: a long spread, even ({n}, {alone}, {uneven})")

d = dump((1, 26), (2, 27), (3, 26), (4, 26), (5, 20))
n, alone = cp.long_pages(d)
_, uneven = cp.spreads(d)
expect(alone == [(2, 27, 26)] and len(uneven) == 1, f"page 2 long alone: a fault ({alone}, {uneven})")

# p. 3 ends on row 16, p. 4 opens with a 346 pt screenshot (oi-wiki p. 30):
# 0.6 of it is 208 pt, more than the 11 rows (202 pt) left even run long
d = dump((1, 26), (2, 26), (3, 16), (4, (23, 346.09)), (5, 20))
_, uneven = cp.spreads(d)
expect(len(uneven) == 1 and uneven[0][3] == "figure", f"a figure taller than the room: forced ({uneven})")
# a 300 pt one would fit at 0.6 (180 pt): not forced, an uneven spread
d = dump((1, 26), (2, 26), (3, 16), (4, (23, 300.0)), (5, 20))
_, uneven = cp.spreads(d)
expect(len(uneven) == 1 and uneven[0][3] is False, f"a figure that fits scaled: not forced ({uneven})")

if not fails:
    print("ok: check_pages counts long spreads, long pages alone and spreads forced by a figure")
sys.exit(1 if fails else 0)
