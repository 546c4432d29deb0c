/* spread.c on a chapter it cannot see (a pager that makes pages from the
 * limits it is given): a page a block kept whole leaves short is evened by
 * filling its flexible places, alone or with the facing page run short;
 * what neither evens is counted as a hard fault. */
#include "pdf/layout/spread.h"

#include <stdio.h>
#include <string.h>

/* A chapter of three pages: a full verso, a recto `short_by` rows short
 * (what follows it is kept whole) with `stretch` rows of flexible places,
 * and a last page. Every row the verso is cut moves onto the recto. */
typedef struct fake {
  int short_by, stretch;
  kmb_spread_page pg[3];
  kmb_spread_page kept[3];
  int kept_limit0;
  int limit0;
} fake;

static int run(void *data, const int *limit, int n_limit, const kmb_spread_page **pages) {
  fake *f = data;
  int l0 = n_limit > 0 ? limit[0] : 26, l1 = n_limit > 1 ? limit[1] : 26;
  int v = l0 < 26 ? l0 : 26;
  int r = 26 - f->short_by + (26 - v);
  if (r > l1) r = l1;
  f->pg[0] = (kmb_spread_page){v, 0, false, false};
  f->pg[1] = (kmb_spread_page){r, f->stretch, true, false};
  f->pg[2] = (kmb_spread_page){10, 0, false, false};
  f->limit0 = l0;
  *pages = f->pg;
  return 3;
}

static void keep(void *data) {
  fake *f = data;
  memcpy(f->kept, f->pg, sizeof f->pg);
  f->kept_limit0 = f->limit0;
}

/* A chapter of three pages whose recto ends at row 22: the next block kept
 * whole (a heading with its two lines) takes 5 rows and fits only if the
 * recto may run a row long; the verso (text) fills whatever it is given. */
static int run_long(void *data, const int *limit, int n_limit, const kmb_spread_page **pages) {
  fake *f = data;
  int l0 = n_limit > 0 ? limit[0] : 26, l1 = n_limit > 1 ? limit[1] : 26;
  int r = l1 >= 27 ? 27 : 22;
  f->pg[0] = (kmb_spread_page){l0, 0, false, l0 > 26};
  f->pg[1] = (kmb_spread_page){r, 0, true, r > 26};
  f->pg[2] = (kmb_spread_page){10, 0, false, false};
  f->limit0 = l0;
  *pages = f->pg;
  return 3;
}

static int fails;

static void expect(bool ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAIL: %s\n", what);
    fails++;
  }
}

int main(void) {
  kmb_design D;
  memset(&D, 0, sizeof D);
  D.spread_short_max = 3;
  D.chapter_end_lines = 5;
  D.spread_fill_max = 2;

  kmb_spread_page a[3] = {{26, 0, false, false}, {23, 4, true, false}, {10, 0, false, false}};
  expect(kmb_spread_uneven(&D, a, 3, 0), "26 and 23 rows: uneven");
  expect(kmb_spread_fillable(a, 3, 0), "3 rows short, 4 rows of places: fillable");
  expect(kmb_spread_faults(&D, a, 3) == 1, "a spread evened by filling weighs 1");
  a[1].stretch = 2;
  expect(!kmb_spread_fillable(a, 3, 0), "3 rows short, 2 rows of places: not fillable");
  expect(kmb_spread_faults(&D, a, 3) == KMB_SPREAD_HARD, "a spread left uneven weighs KMB_SPREAD_HARD");
  a[2].depth = 2;
  expect(kmb_spread_faults(&D, a, 3) == 2 * KMB_SPREAD_HARD, "a 2-row last page is a hard fault");

  /* 5 rows short, 2 rows of places: no short page alone (the floor is 3
   * rows down) and no filling alone evens it; the verso run 2 rows short
   * pushes 2 rows over, and the recto's places take the last row */
  fake f = {.short_by = 5, .stretch = 2};
  kmb_spread_pager pager = {run, keep, &f, 0};
  kmb_spread_balance(&D, 26, &pager);
  expect(f.kept_limit0 == 24 && f.kept[0].depth == 24 && f.kept[1].depth == 23,
         "the verso run short to 24, the recto (23) filled to it");
  expect(kmb_spread_faults(&D, f.kept, 3) == 1, "kept: evened by filling");

  /* no flexible places: the spread stays uneven, counted */
  fake g = {.short_by = 5, .stretch = 0};
  kmb_spread_pager pager2 = {run, keep, &g, 1};
  kmb_spread_balance(&D, 26, &pager2);
  expect(kmb_spread_faults(&D, g.kept, 3) == KMB_SPREAD_HARD && g.kept[0].depth == 26,
         "no places: left as it was, a hard fault");

  /* a long page alone is a fault, a long spread ending on one row is not */
  kmb_spread_page l[3] = {{27, 0, false, true}, {26, 0, true, false}, {10, 0, false, false}};
  expect(kmb_spread_faults(&D, l, 3) == 2 * KMB_SPREAD_HARD, "a page long alone: uneven and a hard fault");
  l[1] = (kmb_spread_page){27, 0, true, true};
  expect(kmb_spread_faults(&D, l, 3) == 0, "both pages a row long: even, no fault");

  /* an h2 that does not fit at the recto's foot, no flexible place, no
   * short page evens it (5 rows): both pages run a row long */
  fake h = {0};
  kmb_spread_pager pager3 = {run_long, keep, &h, 1};
  kmb_spread_balance(&D, 26, &pager3);
  expect(h.kept[0].depth == 27 && h.kept[1].depth == 27 && kmb_spread_faults(&D, h.kept, 3) == 0,
         "run a row long: both pages end on row 27");
  /* spread_long_max 0 (the pager's long_rows 0): left uneven */
  fake k = {0};
  kmb_spread_pager pager4 = {run_long, keep, &k, 0};
  kmb_spread_balance(&D, 26, &pager4);
  expect(k.kept[1].depth == 22 && !k.kept[0].over && kmb_spread_faults(&D, k.kept, 3) == KMB_SPREAD_HARD,
         "no long rows: left uneven, no page long");

  if (fails == 0) printf("ok: spread.c fills, shortens, runs long, and counts what it cannot even\n");
  return fails ? 1 : 0;
}
