/* Even spreads and full enough chapter ends: see spread.h.
 *
 * Spreads are evened front to back, as a typesetter does: a try lowers the
 * limits of a few pages, the chapter is paginated again, and the try stays
 * if the spread comes out even (and those it touched stay even), whatever
 * it does to later pages, which come next; a spread no such try evens may
 * still be evened by filling its shorter page (its flexible places, whole
 * rows: paginate.c), alone or with the longer page run short. Of all the
 * paginations seen, the one with the fewest faults (uneven spreads, a
 * short last page; a spread evened only by filling weighs little) is kept,
 * the first among equals: never worse than the first pagination, and a
 * chapter with no faults is paginated once. */
#include "pdf/layout/spread.h"

#include <glib.h>
#include <string.h>

typedef struct bal {
  const kmb_design *D;
  int rows, least;
  int floor_rows;            /* rows a page may be cut down to */
  const kmb_spread_pager *pager;
  GArray *limit;             /* int per page */
  const kmb_spread_page *pg; /* the last run's pages */
  int n;
  int best;                  /* fewest faults of a run so far (-1: none yet) */
  int runs, budget;
  GArray *best_limit;        /* the limits of the kept run */
  bool stretchy;             /* some page of some run had flexible places */
  bool filled;               /* even() takes a spread its flexible places even */
} bal;

#define LIM(b, k) g_array_index((b)->limit, int, (k))

bool kmb_spread_uneven(const kmb_design *D, const kmb_spread_page *pg, int n, int i) {
  return D->spread_short_max >= 1 && i + 2 < n && !pg[i].recto && pg[i].depth != pg[i + 1].depth;
}

bool kmb_spread_fillable(const kmb_spread_page *pg, int n, int i) {
  if (i + 1 >= n) return false;
  const kmb_spread_page *a = &pg[i], *b = &pg[i + 1];
  const kmb_spread_page *lo = a->depth < b->depth ? a : b, *hi = lo == a ? b : a;
  return hi->depth - lo->depth <= lo->stretch;
}

/* Page k runs long and its facing page does not end on its row. */
static bool lone_long(const kmb_spread_page *pg, int n, int k) {
  int other = pg[k].recto ? k - 1 : k + 1;
  return pg[k].over && (other < 0 || other >= n || pg[other].depth != pg[k].depth);
}

int kmb_spread_faults(const kmb_design *D, const kmb_spread_page *pg, int n) {
  int f = 0;
  for (int i = 0; i + 2 < n; i++)
    if (kmb_spread_uneven(D, pg, n, i)) f += kmb_spread_fillable(pg, n, i) ? 1 : KMB_SPREAD_HARD;
  for (int k = 0; k < n; k++)
    if (lone_long(pg, n, k)) f += KMB_SPREAD_HARD;
  if (n >= 2 && pg[n - 1].depth < (int)D->chapter_end_lines) f += KMB_SPREAD_HARD;
  return f;
}

static void paginate(bal *b) {
  b->n = b->pager->run(b->pager->data, (const int *)b->limit->data, (int)b->limit->len, &b->pg);
  b->runs++;
  /* pages that are gone lose their limits; new ones get the full grid */
  g_array_set_size(b->limit, (guint)b->n);
  for (int k = 0; k < b->n; k++) {
    if (LIM(b, k) == 0) LIM(b, k) = b->rows;
    b->stretchy |= b->pg[k].stretch > 0;
  }
  int f = kmb_spread_faults(b->D, b->pg, b->n);
  if (b->best < 0 || f < b->best) {
    b->best = f;
    b->pager->keep(b->pager->data);
    g_array_set_size(b->best_limit, 0);
    g_array_append_vals(b->best_limit, b->limit->data, b->limit->len);
  }
}

/* Spread i (a verso) is even (or, b->filled, its flexible places even
 * it), or is no spread to even. */
static bool even(const bal *b, int i) {
  return i + 2 >= b->n || b->pg[i].depth == b->pg[i + 1].depth ||
         (b->filled && kmb_spread_fillable(b->pg, b->n, i));
}

/* A try's end: kept if ok, else the limits saved before it are put back
 * and the chapter paginated with them again. Frees saved; returns ok. */
static bool settle(bal *b, GArray *saved, bool ok) {
  if (!ok) {
    g_array_set_size(b->limit, 0);
    g_array_append_vals(b->limit, saved->data, saved->len);
    paginate(b);
  }
  g_array_free(saved, TRUE);
  return ok;
}

/* Tries limits lv, lr on pages i, i + 1, with `by` rows less on both pages
 * of the spread `back` pages before (by 0: none; back -1: on the chapter's
 * first page alone, when it is a recto: it faces the end of the chapter
 * before, and shifts the text by an odd number of rows): true if spread i
 * comes out even and that one stays even; else the limits are put back and
 * the chapter paginated as it was. */
static bool try_even(bal *b, int i, int lv, int lr, int back, int by) {
  bool lone = back < 0;
  int j = lone ? 0 : i - back, ov = LIM(b, i), orr = LIM(b, i + 1);
  if (b->runs >= b->budget) return false;
  if (by > 0 && (j < 0 || j >= i || (lone ? !b->pg[0].recto : b->pg[j].recto || !even(b, j))))
    return false;
  /* the spread cut ends on its longer page's row (filled: the shorter is
   * filled to it) */
  int jd = by > 0 ? (b->filled && !lone ? MAX(b->pg[j].depth, b->pg[j + 1].depth) : b->pg[j].depth) : 0;
  if (by > 0 && jd - by < b->floor_rows) return false;
  if (lv == ov && lr == orr && by == 0) return false;
  GArray *saved = g_array_copy(b->limit); /* a run may drop pages, and their limits */
  LIM(b, i) = lv, LIM(b, i + 1) = lr;
  if (by) {
    LIM(b, j) = jd - by;
    if (!lone) LIM(b, j + 1) = LIM(b, j);
  }
  paginate(b);
  /* the pages cut stay within spread_short_max of the grid (a keep can take
   * more than the row asked for) */
  bool deep = i + 1 >= b->n || (b->pg[i].depth >= b->floor_rows && b->pg[i + 1].depth >= b->floor_rows) ||
              (b->filled && MAX(b->pg[i].depth, b->pg[i + 1].depth) >= b->floor_rows); /* filled to it */
  if (by && (lone || !b->filled || j + 1 >= b->n)) {
    if (j < b->n) deep &= b->pg[j].depth >= b->floor_rows;
    if (!lone && j + 1 < b->n) deep &= b->pg[j + 1].depth >= b->floor_rows;
  } else if (by) {
    deep &= MAX(b->pg[j].depth, b->pg[j + 1].depth) >= b->floor_rows; /* filled to it */
  }
  bool ok = deep && (i + 1 >= b->n || (even(b, i) && (!by || lone || even(b, j))));
  return settle(b, saved, ok);
}

/* The last remedy for spread i, still uneven: both pages of a spread run
 * long (long_rows past the grid), this spread (back 0) or the one `back`
 * pages before it, whose text then moves up under this one, so that a
 * block kept whole fits; cut: this spread's longer page also run to its
 * shorter page's depth (both: both pages so). True if spread i comes out
 * even (or filled even), the spread made long too, no page long alone, the
 * pages no shorter than a short page may be; else the limits are put back. */
static bool try_long(bal *b, int i, int back, int cut) {
  int j = i - back, L = b->rows + b->pager->long_rows;
  if (b->runs >= b->budget || j < 0 || j + 1 >= b->n || i + 2 >= b->n || b->pg[j].recto) return false;
  if (back > 0 && !even(b, j)) return false;
  /* every run may be kept as the best: none below a short page's floor */
  if (cut && MIN(b->pg[i].depth, b->pg[i + 1].depth) < b->floor_rows) return false;
  GArray *saved = g_array_copy(b->limit);
  LIM(b, j) = LIM(b, j + 1) = L;
  if (cut) {
    int t = MIN(b->pg[i].depth, b->pg[i + 1].depth);
    bool v_longer = b->pg[i].depth > b->pg[i + 1].depth;
    if (cut == 2 || v_longer) LIM(b, i) = MIN(LIM(b, i), t);
    if (cut == 2 || !v_longer) LIM(b, i + 1) = MIN(LIM(b, i + 1), t);
  }
  paginate(b);
  bool ok = i + 1 < b->n && even(b, i) && (back == 0 || even(b, j));
  for (int k = 0; k < b->n && ok; k++) ok = !lone_long(b->pg, b->n, k);
  for (int k = j; k <= i + 1 && k < b->n && ok; k++) {
    int other = b->pg[k].recto ? k - 1 : k + 1;
    ok = b->pg[k].depth >= b->floor_rows || (b->filled && b->pg[other].depth >= b->floor_rows);
  }
  return settle(b, saved, ok);
}

/* Spreads from page `first` on, in order. An uneven one is evened by, in
 * this order: the longer page run to the shorter's depth (or a row shorter,
 * down to floor_rows); both pages so; failing that (a widow or orphan rule
 * moves with every cut), an earlier spread run a line or two short, or
 * the chapter's opening recto a line short, which shifts the text under
 * this one, with the same tries. Failing those, in a chapter with
 * flexible places, the two combined: the longer page run short, a row at
 * a time, until the shorter one's places take what is left (a page cut
 * pushes its lines onto the page it faces). Last, a spread run long
 * (try_long). If nothing evens it, it is left as it was (or as its
 * flexible places even it). */
static void even_from(bal *b, int first) {
  static const int shift[][2] = {{0, 0}, {2, 1}, {2, 2}, {4, 1}, {4, 2}, {6, 1}, {6, 2}, {-1, 1}}; /* back, by */
  if (b->D->spread_short_max < 1) return;
  for (int i = first < 0 ? 0 : first; i + 2 < b->n; i++) {
    if (b->pg[i].recto || even(b, i)) continue;
    int lv = LIM(b, i), lr = LIM(b, i + 1);
    bool done = false;
    /* round 0: even rows; round 1 (a chapter with flexible places, the
     * spread not already filled even): the shorter page filled, the longer
     * run short from a row short of its depth (a cut can push lines onto
     * the shorter page) */
    for (int round = 0; round < 2 && !done && i + 2 < b->n && !b->pg[i].recto; round++) {
      b->filled = round == 1;
      if (round == 1 && (!b->stretchy || even(b, i))) break;
      for (size_t s = 0; s < G_N_ELEMENTS(shift) && !done && i + 2 < b->n; s++) {
        int back = shift[s][0], by = shift[s][1];
        if (by && (done = try_even(b, i, lv, lr, back, by))) break;
        bool v_longer = b->pg[i].depth > b->pg[i + 1].depth;
        int t0 = round ? MAX(b->pg[i].depth, b->pg[i + 1].depth) - 1 : MIN(b->pg[i].depth, b->pg[i + 1].depth);
        for (int t = t0; t >= b->floor_rows && !done; t--)
          done = try_even(b, i, v_longer ? MIN(lv, t) : lv, v_longer ? lr : MIN(lr, t), back, by) ||
                 try_even(b, i, MIN(lv, t), MIN(lr, t), back, by);
      }
    }
    /* the last remedy: a spread run long, this one or the one before */
    b->filled = b->stretchy;
    for (int back = 0; back <= 2 && !done && b->pager->long_rows > 0 && i + 2 < b->n && !b->pg[i].recto &&
                       !even(b, i);
         back += 2)
      for (int cut = 0; cut <= 2 && !done; cut++) done = try_long(b, i, back, cut);
    b->filled = false;
  }
}

/* The last page short: the spread before it (only the verso when that
 * faces the last page) runs a line short, then the one before that, ...
 * each pulling lines forward, until the last page has `least` rows; the
 * spreads after each are evened again. */
static void fill_end(bal *b) {
  if (b->least <= 0) return;
  int hi = b->n - 2;
  while (b->n >= 2 && b->pg[b->n - 1].depth < b->least && hi >= 0 && hi < b->n - 1 &&
         b->runs < b->budget) {
    int lo = b->pg[hi].recto && hi > 0 ? hi - 1 : hi; /* the spread page hi is in */
    /* the verso facing the last page is in no spread to keep even: it may
     * run shorter, down to half the grid (no half-empty page), a row at a
     * time, until what a keep holds together (a code block, a figure, a
     * paragraph's last lines) goes over to the last page */
    bool lone = lo == hi && hi == b->n - 2 && !b->pg[hi].recto;
    int floor = lone ? MIN(b->floor_rows, (b->rows + 1) / 2) : b->floor_rows;
    int n0 = b->n, t = b->pg[lo].depth, was = LIM(b, hi);
    for (int k = lo; k <= hi; k++) t = MIN(t, b->pg[k].depth);
    for (t -= 1; t >= floor && b->runs < b->budget && b->n == n0; t--) {
      for (int k = lo; k <= hi; k++) LIM(b, k) = MIN(LIM(b, k), t);
      paginate(b);
      even_from(b, lo);
      if (!lone || b->n != n0 || b->pg[b->n - 1].depth >= b->least) break;
      t = MIN(t, b->pg[hi].depth); /* the keep took more than the row asked */
    }
    if (lone && b->n == n0 && b->pg[b->n - 1].depth < b->least && LIM(b, hi) < b->floor_rows) {
      LIM(b, hi) = was; /* in vain: the earlier spreads try with the verso as it was */
      paginate(b);
    }
    hi = lo - 1;
  }
}

void kmb_spread_balance(const kmb_design *D, int rows, const kmb_spread_pager *pager) {
  int most = D->spread_short_max >= 1 ? (int)D->spread_short_max : 1;
  bal b = {D, rows, (int)D->chapter_end_lines, rows - most, pager,
           g_array_new(FALSE, TRUE, sizeof(int)), NULL, 0, -1, 0, 0,
           g_array_new(FALSE, TRUE, sizeof(int)), false, false};
  paginate(&b);
  b.budget = 40 + 60 * b.n; /* a guard against a chapter that never settles */
  if (b.best > 0) {
    even_from(&b, 0);
    /* a try that evened a spread only by filling, or left one fault for
     * another, can be the best run seen though the walk went on from
     * another: the spreads still uneven are tried again from it */
    if (b.stretchy && b.best >= KMB_SPREAD_HARD &&
        (b.best_limit->len != b.limit->len ||
         memcmp(b.best_limit->data, b.limit->data, sizeof(int) * b.limit->len) != 0)) {
      g_array_set_size(b.limit, 0);
      g_array_append_vals(b.limit, b.best_limit->data, b.best_limit->len);
      paginate(&b);
      even_from(&b, 0);
    }
    fill_end(&b);
  }
  g_array_free(b.limit, TRUE);
  g_array_free(b.best_limit, TRUE);
}
