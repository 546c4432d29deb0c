/* The vertical list → pages. Two steps: first decide which items go on
 * which page (whole grid rows, so every body baseline sits on the grid),
 * honouring keeps (headings with what follows, no widows or orphans),
 * deferring figures that do not fit while the text flows on, and leaving
 * room at the foot for the notes referenced on the page; then move the
 * items' boxes onto the pages at their rows (a page short of the row its
 * facing page ends on gets whole rows in its flexible places: plan_fill). */
#include "pdf/layout/spread.h"
#include "pdf/pdf-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int kmb_new_tag_id(kmb_pdf_ctx *c) {
  return ++c->ls.tag_seq;
}

kmb_page *kmb_page_add(kmb_pdf_ctx *c, kmb_page_kind kind) {
  kmb_page *pg = kmb_arena_alloc(c->arena, sizeof *pg);
  pg->kind = kind;
  pg->chapter = -1;
  g_ptr_array_add(c->pages, pg);
  pg->number = (int)c->pages->len;
  pg->recto = pg->number % 2 == 1;
  pg->x0 = pg->recto ? c->inner : c->outer;
  return pg;
}

void kmb_page_put(kmb_page *pg, kmb_box *b) {
  b->next = NULL;
  if (pg->last) pg->last->next = b;
  else pg->first = b;
  pg->last = b;
}

/* A plan's item: a vlist index, or -(h + 1) for a copy of table header h
 * repeated at the top of a page the table runs on to. */
#define ITEM(c, idx) (&g_array_index((c)->vlist, kmb_vitem, (idx) >= 0 ? (idx) : -(idx) - 1))

typedef struct plan {
  GArray *items;  /* item indices in page order (deferred figures first) */
  GArray *notes;  /* footnote numbers placed on this page */
  int chapter;
  int used;       /* rows */
  int limit;      /* rows this page may fill: the grid's, or fewer for an even spread */
} plan;

typedef struct pstate {
  kmb_pdf_ctx *c;
  GPtrArray *plans;
  plan *cur;
  GArray *pending; /* deferred figure item indices */
  bool *note_done;
  int n_notes;
  bool *deferred; /* per item: a figure already sent on once from a page top */
  bool *scaled;   /* per item: a figure already scaled down to stay in its section */
  const int *limits; /* rows per page of the chapter (spread.c), n_limits of them */
  int n_limits;
  bool no_scaling; /* runs after the first (spread.c): no figure is scaled anew */
} pstate;

static plan *plan_new(pstate *s, int chapter) {
  plan *p = g_new0(plan, 1);
  p->items = g_array_new(FALSE, FALSE, sizeof(int));
  p->notes = g_array_new(FALSE, FALSE, sizeof(int));
  p->chapter = chapter;
  guint k = s->plans->len;
  p->limit = k < (guint)s->n_limits ? s->limits[k] : s->c->rows;
  g_ptr_array_add(s->plans, p);
  s->cur = p;
  return p;
}

static double notes_height(pstate *s, const GArray *notes, const int *extra) {
  double h = 0;
  int n = 0;
  for (guint i = 0; i < notes->len; i++) {
    int k = g_array_index(notes, int, i);
    kmb_note *note = k >= 1 && k <= s->n_notes ? g_ptr_array_index(s->c->notes, k - 1) : NULL;
    if (note) h += note->height, n++;
  }
  for (int i = 0; extra && extra[i] >= 0; i++) {
    int k = extra[i];
    bool dup = false;
    for (guint j = 0; j < notes->len; j++) dup |= g_array_index(notes, int, j) == k;
    kmb_note *note = k >= 1 && k <= s->n_notes ? g_ptr_array_index(s->c->notes, k - 1) : NULL;
    if (!dup && note && !note->endnote && !s->note_done[k - 1]) h += note->height, n++;
  }
  return n ? h + s->c->pitch * s->c->st->pdf.note_sep_rows : 0; /* separator */
}

static int foot_rows(pstate *s, const GArray *notes, const int *extra) {
  double h = notes_height(s, notes, extra);
  return h > 0 ? (int)ceil(h / s->c->pitch - 1e-6) : 0;
}

static void plan_add(pstate *s, int idx) {
  kmb_vitem *it = ITEM(s->c, idx);
  g_array_append_val(s->cur->items, idx);
  s->cur->used += it->rows;
  for (int i = 0; idx >= 0 && it->notes && it->notes[i] >= 0; i++) {
    int k = it->notes[i];
    if (k < 1 || k > s->n_notes || s->note_done[k - 1]) continue;
    const kmb_note *nt = g_ptr_array_index(s->c->notes, k - 1);
    if (!nt || nt->endnote) continue;
    s->note_done[k - 1] = true;
    g_array_append_val(s->cur->notes, k);
  }
}

/* The notes placed on page p go back to the pool. Linear in the page, not
 * in the book: resetting every note and re-marking those of all earlier
 * pages made pagination quadratic (issue 7). */
static void release_notes(pstate *s, plan *p) {
  for (guint j = 0; j < p->notes->len; j++) s->note_done[g_array_index(p->notes, int, j) - 1] = false;
  g_array_set_size(p->notes, 0);
}

/* Removes items with index >= from from the current page (backtracking to a
 * legal break); their notes return to the pool. */
static void plan_cut(pstate *s, int from) {
  plan *p = s->cur;
  GArray *keep = g_array_new(FALSE, FALSE, sizeof(int));
  for (guint i = 0; i < p->items->len; i++) {
    int idx = g_array_index(p->items, int, i);
    if (idx < from || ITEM(s->c, idx)->floats) g_array_append_val(keep, idx);
  }
  /* Floats that were placed at the top of this page stay; those after the cut come back. */
  g_array_free(p->items, TRUE);
  p->items = g_array_new(FALSE, FALSE, sizeof(int));
  /* This page's notes return to the pool; those of earlier pages stay done
   * (only plan_add marks a note done, and only on the page it joins). */
  release_notes(s, p);
  p->used = 0;
  for (guint i = 0; i < keep->len; i++) {
    int idx = g_array_index(keep, int, i);
    if (idx >= from && ITEM(s->c, idx)->floats) continue;
    plan_add(s, idx);
  }
  g_array_free(keep, TRUE);
  /* Deferred figures from the cut part are laid out again. */
  for (guint i = s->pending->len; i > 0; i--)
    if (g_array_index(s->pending, int, i - 1) >= from) g_array_remove_index(s->pending, i - 1);
}

static bool fits(pstate *s, const kmb_vitem *it) {
  int rows = s->cur->limit, foot = foot_rows(s, s->cur->notes, it->notes);
  if (foot > 0) rows = MIN(rows, s->c->rows); /* a page with notes never runs long */
  return s->cur->used + it->rows + foot <= rows;
}

/* A new page in the same chapter, with deferred figures at its top. */
static void next_page(pstate *s, int chapter) {
  plan_new(s, chapter);
  while (s->pending->len) {
    int idx = g_array_index(s->pending, int, 0);
    kmb_vitem *it = &g_array_index(s->c->vlist, kmb_vitem, idx);
    if (s->cur->used > 0 && !fits(s, it)) plan_new(s, chapter);
    plan_add(s, idx);
    g_array_remove_index(s->pending, 0);
  }
}

/* Item k, or for a space the item before it: a space (a callout's, a
 * block's) under a heading must not become the break that strands it. */
static const kmb_vitem *after_space(kmb_pdf_ctx *c, int k, int page_start) {
  const kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, k);
  while (it->kind == KMB_VI_SPACE && k > page_start) it = &g_array_index(c->vlist, kmb_vitem, --k);
  return it;
}

/* The last legal break before item i on the current page (a break before
 * item j), or -1. weak: weak keeps may be broken. lone_rule: no single text
 * line between a block (figure, table row ...) and the page foot. */
static int find_break(pstate *s, int i, int page_start, bool weak, bool lone_rule) {
  kmb_pdf_ctx *c = s->c;
  int j = i;
  while (true) {
    while (j > page_start) {
      const kmb_vitem *pv = after_space(c, j - 1, page_start);
      if (!pv->keep || (weak && pv->weak)) break;
      j--;
    }
    if (j <= page_start) return -1;
    if (!lone_rule) return j;
    int lines = 0;
    bool block = false;
    for (guint k = s->cur->items->len; k-- > 0;) {
      int idx = g_array_index(s->cur->items, int, k);
      const kmb_vitem *pv = ITEM(c, idx);
      if (idx >= j || pv->kind == KMB_VI_SPACE || pv->rows == 0) continue;
      if (pv->kind == KMB_VI_LINE) {
        lines++;
        continue;
      }
      block = true;
      break;
    }
    if (block && lines == 1) {
      j--;
      continue;
    }
    return j;
  }
}

/* Figures placed at the top of the current page (deferred from an earlier
 * one) go back to the waiting list, once each, so that the text can fill
 * this page; returns false if there were none to send on. */
static bool defer_top_floats(pstate *s, int page_start) {
  kmb_pdf_ctx *c = s->c;
  plan *p = s->cur;
  GArray *back = g_array_new(FALSE, FALSE, sizeof(int));
  for (guint k = 0; k < p->items->len; k++) {
    int idx = g_array_index(p->items, int, k);
    const kmb_vitem *pv = ITEM(c, idx);
    if (idx < page_start && pv->floats) {
      if (s->deferred[idx]) {
        g_array_free(back, TRUE);
        return false;
      }
      g_array_append_val(back, idx);
    }
  }
  if (back->len == 0) {
    g_array_free(back, TRUE);
    return false;
  }
  for (guint k = 0; k < back->len; k++) s->deferred[g_array_index(back, int, k)] = true;
  /* Empty the page: everything else on it is at or after page_start. */
  plan_cut(s, page_start);
  g_array_set_size(p->items, 0);
  release_notes(s, p);
  p->used = 0;
  g_array_prepend_vals(s->pending, back->data, back->len);
  g_array_free(back, TRUE);
  return true;
}

/* Scales figure item idx down so that it takes at most `rows` rows, if
 * that keeps at least figure_min_scale of its size; false if it cannot. The
 * image shrinks about its centre line, the caption moves up under it. */
static bool scale_figure(pstate *s, int idx, int rows) {
  kmb_pdf_ctx *c = s->c;
  kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, idx);
  const kmb_design *D = &c->st->pdf;
  double ih = it->fig_img_h, total = it->fig_body_h;
  int air = (int)D->figure_air_rows;
  if (ih <= 0 || rows <= air) return false;
  double rest = total - ih; /* gap and caption */
  double k = ((rows - air) * c->pitch - rest - 1e-3) / ih;
  if (k >= 1) return false; /* it fits as it is: nothing to scale */
  if (k < D->figure_min_scale || k <= 0) return false;
  double ntotal = rest + ih * k;
  int nrows = (int)ceil(ntotal / c->pitch - 1e-6) + air;
  if (nrows > rows) return false;
  double y0 = (it->rows * c->pitch - total) / 2, ny0 = (nrows * c->pitch - ntotal) / 2;
  for (kmb_box *b = it->boxes; b; b = b->next) {
    if (b->kind == KMB_BOX_IMAGE) {
      b->x += b->w * (1 - k) / 2;
      b->w *= k, b->h *= k;
      b->y = ny0;
    } else {
      b->y += (ny0 + ih * k) - (y0 + ih);
    }
  }
  it->rows = nrows;
  it->fig_img_h = ih * k;
  it->fig_body_h = ntotal;
  s->scaled[idx] = true;
  return true;
}

/* Rows the items from i on take up to and including the second text line
 * (a heading and what it keeps with). */
static int rows_kept(pstate *s, int i) {
  int n = (int)s->c->vlist->len, rows = 0, lines = 0;
  for (; i < n && lines < 2; i++) {
    const kmb_vitem *it = &g_array_index(s->c->vlist, kmb_vitem, i);
    if (it->kind == KMB_VI_CHAPTER) break;
    rows += it->rows;
    if (it->kind == KMB_VI_LINE) lines++;
    else if (it->kind == KMB_VI_BLOCK && !it->keep) break;
  }
  return rows;
}

/* Item i is a barrier of level `level` (a heading; 0: the chapter's end)
 * and figures are waiting for the next page: they would land after it,
 * outside their section. Either the barrier goes to the next page anyway
 * (return false: carry on), or the first waiting figure is scaled down to
 * fit where it occurs (returns true with *restart = its index), or the
 * page is ended here so that the figures come before the barrier (returns
 * true with *restart = i). */
static bool barrier(pstate *s, int i, int level, int page_start, int *restart) {
  if (s->pending->len == 0) return false;
  kmb_pdf_ctx *c = s->c;
  bool strands = false;
  for (guint k = 0; k < s->pending->len; k++)
    strands |= g_array_index(c->vlist, kmb_vitem, g_array_index(s->pending, int, k)).section >= level;
  if (!strands) return false;
  if (level > 0 && s->cur->used + rows_kept(s, i) > s->cur->limit) return false; /* goes over anyway */
  int f = g_array_index(s->pending, int, 0);
  if (f >= page_start && !s->scaled[f]) {
    int used = 0;
    for (guint k = 0; k < s->cur->items->len; k++) {
      int idx = g_array_index(s->cur->items, int, k);
      if (idx < f) used += ITEM(c, idx)->rows;
    }
    kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, f);
    /* the notes of the text before it stay on the page */
    GArray *before = g_array_new(FALSE, FALSE, sizeof(int));
    for (guint k = 0; k < s->cur->notes->len; k++) {
      int nk = g_array_index(s->cur->notes, int, k);
      g_array_append_val(before, nk);
    }
    int room = s->cur->limit - used - foot_rows(s, before, it->notes);
    g_array_free(before, TRUE);
    if (!s->no_scaling && scale_figure(s, f, room)) {
      plan_cut(s, f);
      *restart = f;
      return true;
    }
  }
  next_page(s, s->cur->chapter);
  *restart = i;
  return true;
}

/* The current page ends in blank space at least as tall as `it`: the item
 * that stood between them (a figure, a short table) is waiting for a later page. */
static bool after_space_on_page(pstate *s, const kmb_vitem *it) {
  guint n = s->cur->items->len;
  if (n == 0) return false;
  const kmb_vitem *last = ITEM(s->c, g_array_index(s->cur->items, int, n - 1));
  return last->kind == KMB_VI_SPACE && last->rows >= it->rows;
}

static void build_plans(pstate *s) {
  kmb_pdf_ctx *c = s->c;
  int n = (int)c->vlist->len;
  int page_start = 0; /* first item index that may start a break search on this page */
  int chapter = -1;
  for (int i = 0; i <= n;) {
    if (i == n) {
      /* the book's end: the last figures may be scaled to stay in their chapter */
      int r;
      if (barrier(s, n, 0, page_start, &r) && r < n) {
        i = r;
        continue;
      }
      break;
    }
    kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, i);
    if (it->kind == KMB_VI_CHAPTER) {
      int r;
      if (barrier(s, i, 0, page_start, &r) && r < i) {
        i = r;
        continue;
      }
      /* Figures still waiting go on pages of their own before the chapter ends. */
      while (s->pending->len) next_page(s, chapter);
      chapter = it->chapter;
      plan_new(s, chapter);
      plan_add(s, i); /* zero rows: marks the chapter start on this page */
      page_start = i + 1;
      i++;
      continue;
    }
    if (it->kind == KMB_VI_SPACE && (s->cur->used == 0 || after_space_on_page(s, it))) {
      i++; /* no space at a page top, nor twice (the item between moved on) */
      continue;
    }
    /* A heading does not go ahead of the figures of its section or a lower one. */
    if (it->level > 0 && s->pending->len) {
      int r;
      if (barrier(s, i, it->level, page_start, &r)) {
        if (r == i) {
          while (i < n && g_array_index(c->vlist, kmb_vitem, i).kind == KMB_VI_SPACE) i++;
          page_start = i;
        } else {
          i = r;
        }
        continue;
      }
    }
    /* Figures keep their order: one waiting means the next waits too. */
    if (it->floats && s->pending->len > 0) {
      g_array_append_val(s->pending, i);
      i++;
      continue;
    }
    if (fits(s, it)) {
      plan_add(s, i);
      i++;
      continue;
    }
    if (it->kind == KMB_VI_SPACE && i > page_start && !after_space(c, i - 1, page_start)->keep) {
      /* a space at the foot is dropped with the break */
      next_page(s, chapter);
      page_start = i + 1;
      i++;
      continue;
    }
    if (it->floats && s->cur->used > 0) {
      g_array_append_val(s->pending, i);
      i++;
      continue;
    }
    /* Back up to the last legal break on this page; if there is none, try
     * again allowing weak keeps, then with the figures that opened this page
     * sent on to the next one, then without the rule about a single line
     * under a figure, and only then break here whatever the keeps say. */
    int j = find_break(s, i, page_start, false, true);
    if (j < 0) j = find_break(s, i, page_start, true, true);
    if (j < 0 && defer_top_floats(s, page_start)) {
      i = page_start;
      continue;
    }
    if (j < 0) j = find_break(s, i, page_start, false, false);
    if (j < 0) j = find_break(s, i, page_start, true, false);
    if (j < 0) {
      /* A page opened by figures: let them have it to themselves rather
       * than strand a paragraph's first line under them. */
      for (guint k = 0; k < s->cur->items->len && j < 0; k++)
        if (g_array_index(s->cur->items, int, k) < page_start &&
            g_array_index(s->cur->items, int, k) >= 0 &&
            ITEM(c, g_array_index(s->cur->items, int, k))->rows > 0)
          j = page_start;
    }
    if (j < 0) j = i;
    bool content_before = false;
    for (guint k = 0; k < s->cur->items->len; k++) {
      int idx = g_array_index(s->cur->items, int, k);
      if (idx >= 0 && idx < j && ITEM(c, idx)->rows > 0) content_before = true; /* not a repeated header */
    }
    if (!content_before) {
      /* The item alone is taller than a page (or cannot be split): let it overflow. */
      plan_add(s, i);
      i++;
      continue;
    }
    plan_cut(s, j);
    next_page(s, chapter);
    page_start = j;
    i = j;
    /* Skip spaces at the new page's top. */
    while (i < n && g_array_index(c->vlist, kmb_vitem, i).kind == KMB_VI_SPACE) i++;
    page_start = i;
    /* A table running on to this page: its header row again on top. */
    if (i < n && g_array_index(c->vlist, kmb_vitem, i).head_of > 0)
      plan_add(s, -g_array_index(c->vlist, kmb_vitem, i).head_of);
  }
  while (s->pending->len) next_page(s, chapter);
}

static void free_plans(pstate *s) {
  for (guint pi = 0; pi < s->plans->len; pi++) {
    plan *p = g_ptr_array_index(s->plans, pi);
    g_array_free(p->items, TRUE);
    g_array_free(p->notes, TRUE);
    g_free(p);
  }
  g_ptr_array_set_size(s->plans, 0);
}

/* A figure, or a short table floating like one (blocks.c): set in air. */
static bool figure_like(const kmb_vitem *it) {
  return it->what && (strcmp(it->what, "figure") == 0 || strcmp(it->what, "table") == 0);
}

/* Rows from the top of item `it` that its ink reaches, as a reader (and
 * tests/pdf/check_pages.py) sees the page end: a line fills the row its
 * baseline is in, an image or a shaded block the rows it reaches into, a
 * rule the row it closes. A figure or floating table ends in air, above
 * its last row; any other item fills its rows. */
static int ink_rows(const kmb_pdf_ctx *c, const kmb_vitem *it) {
  if (!figure_like(it)) return it->rows;
  int d = 0;
  for (const kmb_box *b = it->boxes; b; b = b->next) {
    if (b->kind == KMB_BOX_LINE) d = MAX(d, (int)floor(b->y / c->pitch) + 1);
    else if (b->kind == KMB_BOX_IMAGE || b->kind == KMB_BOX_RECT)
      d = MAX(d, (int)ceil((b->y + b->h) / c->pitch - 0.05));
    else if (b->kind == KMB_BOX_RULE) d = MAX(d, (int)ceil(b->y / c->pitch - 0.05));
    else return it->rows;
  }
  return d > 0 && d < it->rows ? d : it->rows;
}

/* Grid rows page p's body reaches: where the ink of its last item that is
 * not blank space ends, or the foot of its notes. */
static int plan_depth(pstate *s, const plan *p) {
  if (p->notes->len) return MIN(p->limit, s->c->rows);
  int row = 0, depth = 0;
  for (guint k = 0; k < p->items->len; k++) {
    const kmb_vitem *it = ITEM(s->c, g_array_index(p->items, int, k));
    if (it->kind != KMB_VI_SPACE && it->rows > 0) depth = row + ink_rows(s->c, it);
    row += it->rows;
  }
  return depth;
}

/* Item it is drawn inside a callout's band or beside a quote's bar: rows
 * added between two such would break the band (a tinted block) apart. */
static bool decorated(kmb_vitem *it) {
  if (it->decor == 0) { /* asked for every page of every run spread.c makes: found once */
    it->decor = 1;
    for (const kmb_box *b = it->boxes; b; b = b->next)
      if (b->what && (strcmp(b->what, "callout-band") == 0 || strcmp(b->what, "quote-bar") == 0))
        it->decor = 2;
  }
  return it->decor == 2;
}

/* Rows a flexible place of priority `prio` (plan_gaps) may take. */
static int gap_rows(int prio, int most) {
  return prio <= 0 || most <= 0 ? 0 : prio == 9 ? 1 : most;
}

/* The flexible places of page p (行取り: whole rows may be added there and
 * the text stays on the grid): gap[k] is, for the gap before the page's
 * k-th item, 1-6 before a heading of that level, 7 before or after a
 * figure (or floating table), 8 at other blank space (around a code block,
 * a table, a verse), 9 under a chapter's opening title (a row at most:
 * the text of every chapter starts about as low), 0 if none may be added:
 * at the page's top, after its last content, under a heading, inside
 * what is kept together (blank space kept with what is above it is a
 * heading's) or inside a callout or a quote. Returns how many rows they
 * take, spread_fill_max each. */
static int plan_gaps(pstate *s, const plan *p, int *gap) {
  int m = 0, prev = -1, most = (int)s->c->st->pdf.spread_fill_max;
  bool space = false, kept = false;
  for (guint k = 0; k < p->items->len; k++) {
    kmb_vitem *it = ITEM(s->c, g_array_index(p->items, int, k));
    gap[k] = 0;
    if (it->kind == KMB_VI_SPACE) {
      space |= it->rows > 0;
      kept |= it->keep;
      continue;
    }
    if (it->rows == 0 || it->kind == KMB_VI_CHAPTER) continue;
    if (prev >= 0) {
      kmb_vitem *pv = ITEM(s->c, g_array_index(p->items, int, prev));
      bool held = pv->level > 0 || (pv->keep && !pv->weak) || kept || (decorated(pv) && decorated(it));
      if (!held && (space || figure_like(it) || figure_like(pv)))
        gap[k] = it->level > 0 ? MIN(it->level, 6) : figure_like(it) || figure_like(pv) ? 7 : 8;
      else if (pv->opening && it->level == 0)
        gap[k] = 9;
      m += gap_rows(gap[k], most);
    }
    prev = (int)k, space = kept = false;
  }
  return m;
}

/* Rows page p can take in its flexible places, up to the grid's foot or
 * its own, if it may run long (a page with notes has them at its foot:
 * none). */
static int plan_stretch(pstate *s, const plan *p, int depth) {
  if (s->c->st->pdf.spread_fill_max < 1 || p->notes->len || p->items->len == 0) return 0;
  int *gap = g_new(int, p->items->len);
  int m = plan_gaps(s, p, gap);
  g_free(gap);
  return MAX(0, MIN(m, MAX(s->c->rows, p->limit) - depth));
}

/* One run of the page builder for spread.c (see kmb_spread_pager). */
typedef struct chapter_runs {
  pstate *s;
  GPtrArray *best;     /* the kept run's plans */
  GArray *pages;       /* kmb_spread_page of the last run */
  int runs;
} chapter_runs;

static int run_chapter(void *data, const int *limit, int n_limit, const kmb_spread_page **pages) {
  chapter_runs *r = data;
  pstate *s = r->s;
  kmb_pdf_ctx *c = s->c;
  if (r->runs++ > 0) { /* not the first run: start afresh */
    free_plans(s);
    s->cur = NULL;
    g_array_set_size(s->pending, 0);
    memset(s->note_done, 0, sizeof(bool) * (size_t)(s->n_notes + 1));
    memset(s->deferred, 0, sizeof(bool) * (c->vlist->len + 1));
    s->no_scaling = true; /* figures keep the size the first run gave them */
  }
  s->limits = limit, s->n_limits = n_limit;
  build_plans(s);
  s->limits = NULL, s->n_limits = 0; /* the plans keep their own */
  g_array_set_size(r->pages, s->plans->len);
  for (guint k = 0; k < s->plans->len; k++) {
    kmb_spread_page *sp = &g_array_index(r->pages, kmb_spread_page, k);
    const plan *p = g_ptr_array_index(s->plans, k);
    sp->depth = plan_depth(s, p);
    sp->stretch = plan_stretch(s, p, sp->depth);
    sp->recto = (c->ls.body_pages + (int)k + 1) % 2 == 1;
    sp->over = p->limit > c->rows && sp->depth > c->rows;
  }
  *pages = (const kmb_spread_page *)r->pages->data;
  return (int)s->plans->len;
}

/* The last run is the best so far: its plans are kept, the earlier best freed. */
static void keep_run(void *data) {
  chapter_runs *r = data;
  pstate *s = r->s;
  if (r->best) {
    GPtrArray *cur = s->plans;
    s->plans = r->best;
    free_plans(s);
    g_ptr_array_free(r->best, TRUE);
    s->plans = cur;
  }
  r->best = s->plans;
  s->plans = g_ptr_array_new();
  s->cur = NULL;
}

/* The chapter's plans: paginated once, and again with fewer rows on some
 * pages while spread.c finds an uneven spread or a short last page. */
/* Rows a spread's pages may run long: spread_long_max, as far as the foot
 * margin holds them half a row clear of the folio's top (emit.c sets it);
 * none in a vertical book (its rows are columns: the margin past the last
 * one carries the running head). */
static int long_rows(const kmb_pdf_ctx *c) {
  const kmb_design *D = &c->st->pdf;
  if (c->vertical || D->spread_long_max < 1) return 0;
  double folio_top = c->page_h - (c->page_h - c->top - c->text_h) * D->folio_rise - D->furniture_size;
  int n = (int)D->spread_long_max;
  while (n > 0 && c->top + (c->rows + n + 0.5) * c->pitch > folio_top) n--;
  return n;
}

static void plan_chapter(pstate *s) {
  chapter_runs r = {s, NULL, g_array_new(FALSE, FALSE, sizeof(kmb_spread_page)), 0};
  kmb_spread_pager pager = {run_chapter, keep_run, &r, long_rows(s->c)};
  kmb_spread_balance(&s->c->st->pdf, s->c->rows, &pager);
  free_plans(s);
  g_ptr_array_free(s->plans, TRUE);
  s->plans = r.best;
  g_array_free(r.pages, TRUE);
}

/* The body paragraphs on plan k not yet in c->loose_cands join it. */
static void add_cands(pstate *s, int k) {
  if (k < 0 || k >= (int)s->plans->len) return;
  const plan *p = g_ptr_array_index(s->plans, k);
  GArray *cs = s->c->loose_cands;
  for (guint i = 0; i < p->items->len; i++) {
    int idx = g_array_index(p->items, int, i), para = idx >= 0 ? ITEM(s->c, idx)->para : 0;
    /* a one-line paragraph has no line to give, nor enough to fill two */
    bool alone = para && (idx == 0 || ITEM(s->c, idx - 1)->para != para) &&
                 (idx + 1 >= (int)s->c->vlist->len || ITEM(s->c, idx + 1)->para != para);
    bool seen = para == 0 || alone;
    for (guint j = 0; j < cs->len && !seen; j++) seen = g_array_index(cs, int, j) == para;
    if (!seen) g_array_append_val(cs, para);
  }
}

/* What spread.c could not mend, for pdf.c to try a paragraph a line longer
 * or shorter: the kept plans' faults, and the paragraphs on each uneven
 * spread and the spread before it (whose lines move the text under it),
 * nearest first; for a short last page, those of the two pages before. */
static kmb_spread_page *spread_report(pstate *s) {
  kmb_pdf_ctx *c = s->c;
  int n = (int)s->plans->len;
  kmb_spread_page *pg = g_new0(kmb_spread_page, (size_t)n + 1);
  for (int k = 0; k < n; k++) {
    const plan *p = g_ptr_array_index(s->plans, k);
    pg[k].depth = plan_depth(s, p);
    pg[k].stretch = plan_stretch(s, p, pg[k].depth);
    pg[k].recto = (c->ls.body_pages + k + 1) % 2 == 1;
    pg[k].over = p->limit > c->rows && pg[k].depth > c->rows;
  }
  const kmb_design *D = &c->st->pdf;
  c->spread_faults = kmb_spread_faults(D, pg, n);
  if (!c->loose_cands) c->loose_cands = g_array_new(FALSE, FALSE, sizeof(int));
  g_array_set_size(c->loose_cands, 0);
  /* only spreads a row apart: what one paragraph a line longer or shorter
   * can mend (a widow or orphan rule); a block kept whole that left a page
   * short by more is not, and trying would lay the chapter out again for
   * nothing, dozens of times: a chapter with such blocks is left as it is */
  bool blocks = false; /* figures, tables, code: pages short by more than a line */
  for (guint k = 0; k < c->vlist->len && !blocks; k++) {
    const kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, k);
    blocks = it->kind == KMB_VI_BLOCK && it->level == 0;
  }
  for (int i = 0; i < n && c->spread_faults && !blocks; i++)
    if (kmb_spread_uneven(D, pg, n, i) && abs(pg[i].depth - pg[i + 1].depth) == 1)
      for (int k = i + 1; k >= i - 4; k--) add_cands(s, k);
  if (n >= 2 && pg[n - 1].depth < (int)D->chapter_end_lines && !blocks)
    for (int k = n - 2; k >= n - 3; k--) add_cands(s, k);
  return pg;
}

/* Rows to add before each item of plan k (add, one per item) so that it
 * ends on its facing page's row: the shorter page of an uneven spread its
 * flexible places can even (spread.c counted it so) gets the difference,
 * a row to each place in turn (so spread evenly), the places before the
 * highest headings first, then around figures, then the rest, from the
 * top. */
static void plan_fill(pstate *s, const kmb_spread_page *pg, int n, int k, int *add) {
  const plan *p = g_ptr_array_index(s->plans, k);
  memset(add, 0, sizeof(int) * p->items->len);
  int v = pg[k].recto ? k - 1 : k; /* the spread's verso */
  if (v < 0 || !kmb_spread_uneven(&s->c->st->pdf, pg, n, v) || !kmb_spread_fillable(pg, n, v)) return;
  int rows = pg[v].depth + pg[v + 1].depth - 2 * pg[k].depth; /* the other page's depth, less ours */
  if (rows <= 0) return;
  int *gap = g_new(int, p->items->len), most = (int)s->c->st->pdf.spread_fill_max;
  plan_gaps(s, p, gap);
  /* a row to each place in turn, highest priority first, until done */
  for (bool more = true; rows > 0 && more;) {
    more = false;
    for (int prio = 1; prio <= 9 && rows > 0; prio++)
      for (guint i = 0; i < p->items->len && rows > 0; i++)
        if (gap[i] == prio && add[i] < gap_rows(prio, most)) add[i]++, rows--, more = true;
  }
  g_free(gap);
}

/* The position on plan k of its last item, if that is a figure (or a
 * floating table) ending a page of a spread that ends even (or is filled
 * to) on *row; else -1. */
static int ends_in_figure(pstate *s, const kmb_spread_page *pg, int n, int k, int *row) {
  int v = pg[k].recto ? k - 1 : k;
  *row = v >= 0 && v + 1 < n ? MAX(pg[v].depth, pg[v + 1].depth) : 0;
  if (v < 0 || v + 2 >= n || pg[v].recto) return -1;
  if (kmb_spread_uneven(&s->c->st->pdf, pg, n, v) && !kmb_spread_fillable(pg, n, v)) return -1;
  const plan *p = g_ptr_array_index(s->plans, k);
  if (p->notes->len) return -1;
  for (guint i = p->items->len; i-- > 0;) {
    const kmb_vitem *it = ITEM(s->c, g_array_index(p->items, int, i));
    if (it->kind == KMB_VI_SPACE || it->rows == 0) continue;
    return figure_like(it) && g_array_index(p->items, int, i) >= 0 ? (int)i : -1;
  }
  return -1;
}

/* A figure (or floating table) that ends a page, `rows` rows above the
 * row its spread ends on, moves down so that its foot sits where a line
 * on that row would: a caption's last baseline on the row's baseline, an
 * image's foot at the foot of the row's em box. Never up. */
static void align_bottom(kmb_pdf_ctx *c, kmb_vitem *it, int rows) {
  double row_top = (rows - 1) * c->pitch;
  double base = row_top + c->pitch / 2 + c->st->pdf.baseline_em * c->em;
  double foot = row_top + c->pitch / 2 + c->em / 2;
  kmb_box *low = NULL; /* the box reaching lowest */
  double low_y = -G_MAXDOUBLE;
  for (kmb_box *b = it->boxes; b; b = b->next) {
    double y = b->kind == KMB_BOX_IMAGE || b->kind == KMB_BOX_RECT ? b->y + b->h : b->y;
    if (y > low_y) low_y = y, low = b;
  }
  if (!low || low->kind == KMB_BOX_RULE) return; /* a table's rule closes its row already */
  double shift = (low->kind == KMB_BOX_LINE ? base : foot) - low_y;
  if (shift <= 0.01) return;
  for (kmb_box *b = it->boxes; b; b = b->next) b->y += shift;
}

static void place_box(kmb_page *pg, kmb_box *b, double dx, double dy) {
  b->x += dx;
  b->y += dy;
  kmb_page_put(pg, b);
}

bool kmb_paginate(kmb_pdf_ctx *c) {
  pstate s = {c, g_ptr_array_new(), NULL, g_array_new(FALSE, FALSE, sizeof(int)), NULL, 0, NULL, NULL, NULL, 0, false};
  s.n_notes = (int)c->notes->len;
  s.note_done = g_new0(bool, s.n_notes + 1);
  s.deferred = g_new0(bool, c->vlist->len + 1);
  s.scaled = g_new0(bool, c->vlist->len + 1);
  plan_chapter(&s);
  kmb_spread_page *spg = spread_report(&s);
  int n_plans = (int)s.plans->len;

  for (guint pi = 0; pi < s.plans->len; pi++) {
    plan *p = g_ptr_array_index(s.plans, pi);
    int *add = g_new(int, p->items->len + 1);
    plan_fill(&s, spg, n_plans, (int)pi, add);
    int foot, end = ends_in_figure(&s, spg, n_plans, (int)pi, &foot);
    /* A plan holding only the chapter marker and nothing else (an empty
     * chapter) still gets its page so that the contents can point to it. */
    kmb_page *pg = kmb_page_add(c, KMB_PAGE_BODY);
    int number = ++c->ls.body_pages;
    pg->number = c->n_front + number;
    pg->chapter = p->chapter;
    pg->recto = number % 2 == 1; /* front matter has an even number of pages */
    pg->x0 = pg->recto ? c->inner : c->outer;
    pg->label = kmb_arena_printf(c->arena, "%d", number);
    int row = 0;
    for (guint k = 0; k < p->items->len; k++) {
      int idx = g_array_index(p->items, int, k);
      kmb_vitem *it = ITEM(c, idx);
      if (idx < 0) { /* a repeated table header: fresh copies of its boxes */
        for (const kmb_box *b = it->repeat; b; b = b->next) {
          kmb_box *cp = kmb_arena_alloc(c->arena, sizeof *cp);
          *cp = *b;
          place_box(pg, cp, pg->x0, c->top + row * c->pitch);
        }
        row += it->rows;
        continue;
      }
      if (it->toc) g_array_index(c->toc, kmb_toc_entry, it->toc - 1).page = number;
      if (it->kind == KMB_VI_CHAPTER && it->toc) {
        /* A chapter without a title: its destination marks the page top. */
        kmb_box *d = kmb_box_new(c, KMB_BOX_RULE);
        d->dest = g_array_index(c->toc, kmb_toc_entry, it->toc - 1).dest;
        d->x = pg->x0, d->y = c->top;
        d->what = "anchor";
        kmb_page_put(pg, d);
      }
      if (it->opening) pg->opening = true;
      row += add[k];
      if ((int)k == end) align_bottom(c, it, foot - row);
      double top = c->top + row * c->pitch;
      for (kmb_box *b = it->boxes, *nx; b; b = nx) {
        nx = b->next;
        place_box(pg, b, pg->x0, top);
      }
      it->boxes = NULL;
      row += it->rows;
    }
    g_free(add);
    /* Footnotes, bottom-aligned in the text block under a short rule. */
    if (p->notes->len) {
      double h = notes_height(&s, p->notes, NULL);
      /* a page run short for its spread has its notes at its own foot */
      double y = c->top + (p->limit < c->rows ? p->limit * c->pitch : c->text_h) - h;
      kmb_box *rule = kmb_box_new(c, KMB_BOX_RULE);
      const kmb_design *D = &c->st->pdf;
      rule->x = pg->x0, rule->w = c->text_w * D->note_rule_length;
      rule->y = y + D->note_rule_drop_rows * c->pitch, rule->lw = D->note_rule_width;
      rule->what = "note-rule";
      kmb_page_put(pg, rule);
      y += c->pitch * D->note_sep_rows;
      for (guint k = 0; k < p->notes->len; k++) {
        kmb_note *note = g_ptr_array_index(c->notes, g_array_index(p->notes, int, k) - 1);
        for (guint bi = 0; bi < note->boxes->len; bi++)
          place_box(pg, g_ptr_array_index(note->boxes, bi), pg->x0, y);
        y += note->height;
      }
    }
    const kmb_chapter *ch = p->chapter >= 0 ? &c->book->chapters[p->chapter] : NULL;
    if (!pg->opening && pg->first) {
      pg->head = pg->recto ? (ch ? ch->title : NULL) : c->book->meta.title;
      pg->folio = pg->label;
    }
  }
  g_free(spg);
  free_plans(&s);
  g_ptr_array_free(s.plans, TRUE);
  g_array_free(s.pending, TRUE);
  g_free(s.note_done);
  g_free(s.deferred);
  g_free(s.scaled);
  return true;
}
