/* Spreads and chapter ends (issue 13, item 5). The page builder
 * (paginate.c) paginates a chapter with a row limit per page and describes
 * each page's depth; kmb_spread_balance decides the limits:
 *   - facing pages (a verso and the recto after it, the recto not the
 *     chapter's last page) end on the same grid row: when one ends short (a
 *     widow or orphan rule, a heading kept with its text, a block that did
 *     not fit) both run to the shorter depth (typesetters' "short page"),
 *     or the text under it is shifted by running an earlier spread short,
 *     never more than spread_short_max rows short; what a rule still forces
 *     after that, pdf.c (loosen) tries to mend by setting a paragraph on or
 *     before the spread a line longer or shorter (para.c looseness); a
 *     page left short because what follows is kept whole (a figure, a
 *     table, a code block, a heading with its lines, a poem) is filled
 *     instead, whole rows added to its flexible places (行取り: the space
 *     before a heading grows, the air around a figure, table or code
 *     block), at most spread_fill_max rows each, so that text stays on the
 *     grid; what is left is counted by tests/pdf/check_pages.py;
 *   - a chapter's last page carries at least chapter_end_lines rows: the
 *     spreads before it run a line short, both pages, which pulls lines
 *     forward onto the last page (a verso facing it, in no spread to keep
 *     even, may run shorter, to half the grid, to pull a block kept whole);
 *   - where none of that evens a spread, both its pages may run long, a
 *     row (spread_long_max) past the grid into the foot margin, or the
 *     spread before it, so that a block kept whole (a heading with its
 *     lines, a figure) fits: the compositor's last remedy, never for one
 *     page alone.
 * Spreads are evened front to back; of all the paginations tried, the one
 * with the fewest faults wins. Nothing here knows what a page holds: only
 * how deep it is. */
#ifndef KMB_PDF_LAYOUT_SPREAD_H
#define KMB_PDF_LAYOUT_SPREAD_H

#include "style/style.h"

#include <stdbool.h>

typedef struct kmb_spread_page {
  int depth;   /* grid rows the page's body reaches (notes at its foot included) */
  int stretch; /* rows its flexible places can take (paginate.c: before a heading,
                  around a figure, table or code block, spread_fill_max each) */
  bool recto;
  bool over;   /* its body reaches past the grid's last row (a long page) */
} kmb_spread_page;

/* How spread.c has the chapter paginated: run paginates it with limit[k]
 * rows on page k (rows past n_limit) and returns its pages (valid until the
 * next run) and their number; keep makes the last run's pages the ones the
 * chapter will have (it is called whenever a run is the best so far, first
 * for the first run). */
typedef struct kmb_spread_pager {
  int (*run)(void *data, const int *limit, int n_limit, const kmb_spread_page **pages);
  void (*keep)(void *data);
  void *data;
  int long_rows; /* rows a spread's pages may run long (spread_long_max, if
                    the foot margin has room above the folio; 0: never) */
} kmb_spread_pager;

/* Spread i (a verso, not facing the chapter's last page) ends at another
 * depth than its recto. */
bool kmb_spread_uneven(const kmb_design *D, const kmb_spread_page *pg, int n, int i);
/* Spread i is uneven but its shorter page's flexible places take the
 * difference: the page is filled to its facing page's row (paginate.c). */
bool kmb_spread_fillable(const kmb_spread_page *pg, int n, int i);
/* Faults of a pagination, worst first: KMB_SPREAD_HARD for each spread
 * left uneven even after filling, for a last page (not the first) with
 * fewer than chapter_end_lines rows and for a long page (over) whose facing
 * page does not end on its row, 1 for each spread evened only by
 * filling (a short page is the cheaper fix). What spread.c leaves, pdf.c
 * tries to mend by setting a paragraph a line longer or shorter. */
enum { KMB_SPREAD_HARD = 1000 };
int kmb_spread_faults(const kmb_design *D, const kmb_spread_page *pg, int n);

/* Paginates the chapter once, and more times only if a spread is uneven or
 * the last page short (a chapter already right is paginated once). */
void kmb_spread_balance(const kmb_design *D, int rows, const kmb_spread_pager *pager);

#endif
