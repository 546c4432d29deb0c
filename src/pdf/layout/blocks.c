/* Block nodes → the vertical list: every text line is an item one grid row
 * high (so body baselines sit on the grid), headings, figures and table rows
 * are unbreakable blocks of whole rows, and each item says whether a page
 * may break after it (keeps, widows and orphans). */
#include "pdf/pdf-imp.h"
#include "pdf/layout/callout.h"
#include "pdf/layout/rawhtml.h"

#include <math.h>
#include <string.h>

typedef struct bctx {
  double left, right; /* indents from the text block edges (pt) */
  kmb_tags tags;      /* the enclosing structure elements */
  int depth;          /* used tag levels */
  int list_depth;
  bool first_in_item; /* the next paragraph starts a list item: no indent */
  kmb_box *label;     /* a list label waiting for the item's first line */
} bctx;

static const char *src_of(kmb_pdf_ctx *c) {
  return c->book->chapters[c->chapter].rel;
}

static kmb_tags tags_push(kmb_pdf_ctx *c, const bctx *b, const char *name) {
  kmb_tags t = b->tags;
  int d = b->depth;
  if (d >= KMB_TAG_DEPTH) { /* too deep for the fixed path: restart at the top */
    memset(&t, 0, sizeof t);
    d = 0;
  }
  t.name[d] = name;
  t.id[d] = kmb_new_tag_id(c);
  return t;
}

static int tags_depth(const kmb_tags *t) {
  int d = 0;
  while (d < KMB_TAG_DEPTH && t->id[d]) d++;
  return d;
}

static kmb_vitem *vi_push(kmb_pdf_ctx *c, kmb_vi_kind kind, int rows) {
  kmb_vitem it = {0};
  it.kind = kind;
  it.rows = rows;
  it.chapter = c->chapter;
  /* A heading stays with at least two lines of what follows: the first
   * line after it keeps with the second, whatever paragraph they are in. */
  if (kind == KMB_VI_LINE && c->ls.keep_lines > 0) {
    it.keep = true;
    it.weak = true;
    c->ls.keep_lines--;
  } else if (kind == KMB_VI_BLOCK) {
    c->ls.keep_lines = 0;
  }
  g_array_append_val(c->vlist, it);
  return &g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1);
}

/* The block about to be pushed sits right under a heading (or a block kept
 * with what follows), so it must not float away from it. The space after
 * a heading counts as the heading; the weak keep a heading puts on the
 * first line under it does not: a figure after a one-line paragraph under
 * a heading floats like any other (else the page ends at that line). */
static bool under_heading(const kmb_pdf_ctx *c) {
  guint i = c->vlist->len;
  while (i > 0 && g_array_index(c->vlist, kmb_vitem, i - 1).kind == KMB_VI_SPACE) i--;
  if (i == 0) return false;
  const kmb_vitem *pv = &g_array_index(c->vlist, kmb_vitem, i - 1);
  return pv->keep && (pv->kind != KMB_VI_LINE || !pv->weak);
}

static void vi_add_box(kmb_vitem *it, kmb_box *b) {
  kmb_box **pp = &it->boxes;
  while (*pp) pp = &(*pp)->next;
  *pp = b;
  b->next = NULL;
}

static void space_rows(kmb_pdf_ctx *c, int rows) {
  if (rows <= 0 || c->vlist->len == 0) return;
  kmb_vitem *last = &g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1);
  if (last->kind == KMB_VI_SPACE) {
    if (last->rows < rows) last->rows = rows;
    return;
  }
  if (last->kind == KMB_VI_CHAPTER) return;
  bool keep = last->keep, weak = last->weak; /* space after a heading stays with it */
  kmb_vitem *it = vi_push(c, KMB_VI_SPACE, rows);
  it->what = "space";
  it->keep = keep;
  it->weak = weak;
}

/* Baseline of text of `size` centred (by its ideographic em box) in a row
 * of height `pitch` starting at y = 0. */
static double baseline_in(const kmb_pdf_ctx *c, double pitch, double size) {
  return pitch / 2 + c->st->pdf.baseline_em * size;
}

static char *dest_key(int chapter, const char *frag) {
  return g_strdup_printf("%d#%s", chapter, frag ? frag : "");
}

const char *kmb_pdf_dest_for(kmb_pdf_ctx *c, const kmb_link *l) {
  if (l->chapter < 0 || (size_t)l->chapter >= c->book->n_chapters) return NULL;
  char *k = dest_key(l->chapter, l->fragment);
  const char *d = g_hash_table_lookup(c->dests, k);
  g_free(k);
  if (!d) d = c->book->chapters[l->chapter].id;
  return d;
}

static const char *heading_dest(kmb_pdf_ctx *c, const kmb_node *h) {
  if (!h->as.heading.id) return NULL;
  char *k = dest_key(c->chapter, h->as.heading.id);
  const char *d = g_hash_table_lookup(c->dests, k);
  g_free(k);
  return d;
}

/* Every destination a link may point to, before any link is laid out: a
 * chapter's start is named by the chapter id, a heading by its resolved id. */
static void collect_dests(kmb_pdf_ctx *c) {
  for (size_t i = 0; i < c->book->n_chapters; i++) {
    const kmb_chapter *ch = &c->book->chapters[i];
    g_hash_table_insert(c->dests, dest_key((int)i, ""), (char *)ch->id);
    kmb_iter it;
    kmb_iter_init(&it, ch->root);
    kmb_event ev;
    while ((ev = kmb_iter_next(&it)) != KMB_EV_NONE) {
      if (ev != KMB_EV_ENTER || it.cur->type != KMB_NODE_HEADING || !it.cur->as.heading.id)
        continue;
      char *k = dest_key((int)i, it.cur->as.heading.id);
      if (!g_hash_table_contains(c->dests, k))
        g_hash_table_insert(c->dests, k, (char *)it.cur->as.heading.id);
      else
        g_free(k);
    }
  }
}

/* Pushes the lines of a paragraph-like block as one item per line. Breaks
 * are forbidden after the first line and before the last (no orphans, no
 * widows) unless the block is a single line. */
static void push_lines(kmb_pdf_ctx *c, bctx *b, kmb_box **v, int n, double size, double x,
                       const kmb_tags *tags, const char *what, const char *dest) {
  for (int i = 0; i < n; i++) {
    kmb_vitem *it = vi_push(c, KMB_VI_LINE, 1);
    it->what = what;
    if (n >= 2 && (i == 0 || i == n - 2)) it->keep = true, it->weak = false;
    kmb_box *bx = v[i];
    bx->x = b->left + x;
    bx->y = baseline_in(c, c->pitch, size);
    bx->size = size;
    bx->tags = *tags;
    bx->what = what;
    if (i == 0 && dest) bx->dest = dest;
    if (i == 0 && b->label) {
      b->label->y = bx->y;
      vi_add_box(it, b->label);
      b->label = NULL;
    }
    vi_add_box(it, bx);
    it->notes = bx->notes;
  }
}

static void layout_inlines_para(kmb_pdf_ctx *c, bctx *b, const kmb_node *n, const char *tag,
                                bool indent) {
  kmb_ptext pt;
  kmb_ptext_init(&pt, c->st->body_family, c->em, src_of(c));
  kmb_ptext_add_inlines(c, &pt, n);
  if (pt.text->len == 0) {
    kmb_ptext_clear(&pt);
    return;
  }
  kmb_tbreak tb = {.width = c->text_w - b->left - b->right,
                   .indent = indent ? kmb_style_indent_em(c->st, pango_language_to_string(
                                                 pango_context_get_language(c->pc))) * c->em
                                    : 0,
                   .justify = true,
                   .size = c->em};
  int seq = ++c->para_seq;
  for (guint k = 0; c->loose && k < c->loose->len / 2; k++)
    if (g_array_index(c->loose, int, 2 * k) == seq) tb.looseness = g_array_index(c->loose, int, 2 * k + 1);
  kmb_para *p = kmb_text_break(c, &pt, &tb);
  c->loose_set += p->loosened;
  kmb_box **v = kmb_text_boxes(c, &pt, p, "p");
  kmb_tags t = tags_push(c, b, tag);
  push_lines(c, b, v, p->n_lines, c->em, 0, &t, "p", NULL);
  for (int k = 0; k < p->n_lines; k++) /* spread.c may ask it for a line more or fewer */
    g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1 - (guint)k).para = seq;
  kmb_ptext_clear(&pt);
}

static void layout_blocks(kmb_pdf_ctx *c, bctx *b, const kmb_node *parent);

/* --- headings --- */

/* a parallel title's size, of its heading's (the EPUB's .parallel: 0.6em) */
#define KMB_PARALLEL_SCALE 0.6

static void layout_section_notes(kmb_pdf_ctx *c, const kmb_node *h);

/* Every line of p but the last ends between phrases: at a space, or after
 * punctuation that is not an opening bracket (as para.c's phrase breaks). */
static bool phrase_lines(const char *text, const kmb_para *p) {
  for (int k = 0; k + 1 < p->n_lines; k++) {
    int e = p->lines[k].end, s = p->lines[k + 1].start;
    bool ok = false;
    for (int i = e; i < s; i++) ok |= text[i] == ' ';
    const char *prev = g_utf8_find_prev_char(text, text + e);
    gunichar a = prev ? g_utf8_get_char(prev) : 0, b = g_utf8_get_char(text + s);
    ok |= g_unichar_isspace(a) || g_unichar_isspace(b) || a == 0x3000;
    ok |= g_unichar_ispunct(a) && g_unichar_type(a) != G_UNICODE_OPEN_PUNCTUATION &&
          g_unichar_type(a) != G_UNICODE_INITIAL_PUNCTUATION;
    if (!ok) return false;
  }
  return true;
}

static void layout_heading(kmb_pdf_ctx *c, bctx *b, const kmb_node *n, bool opening) {
  int level = n->as.heading.out_level; /* resolved: 1 for the title, else 2..6 */
  double size = opening ? c->st->h_size[1] : c->st->h_size[level];
  kmb_ptext pt;
  kmb_ptext_init(&pt, c->st->heading_family, size, src_of(c));
  kmb_ptext_add_inlines(c, &pt, n);
  kmb_ptext_attr(&pt, pango_attr_weight_new(PANGO_WEIGHT_BOLD), 0, G_MAXINT);
  double width = c->text_w - b->left - b->right;
  const kmb_design *D = &c->st->pdf;
  if (opening) width -= D->opening_narrow_em * c->em; /* a narrower measure keeps long titles balanced */
  kmb_tbreak tb = {.width = width, .justify = false, .phrase = true, .size = size};
  kmb_para *p = kmb_text_break(c, &pt, &tb);
  if (p->n_lines >= 2) {
    /* ...keeping the breaks between phrases if they were */
    bool phrases = phrase_lines(pt.text->str, p);
    /* Balance a heading over its lines: the narrowest measure (in whole
     * characters) that still gives the same number of lines, so a title
     * does not end in a stub such as "工具”". */
    int lo = (int)(width / size / p->n_lines), hi = (int)(width / size);
    kmb_para *best = p;
    while (lo < hi) {
      int mid = (lo + hi) / 2;
      kmb_tbreak t2 = tb;
      t2.width = mid * size;
      kmb_para *q = kmb_text_break(c, &pt, &t2);
      bool over = false;
      for (int k = 0; k < q->n_lines; k++) over |= q->lines[k].width > t2.width + 0.5;
      if (q->n_lines == p->n_lines && !over && (!phrases || phrase_lines(pt.text->str, q))) {
        best = q;
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    p = best;
  }
  char *plain = kmb_node_text(c->arena, n);
  char tagname[4] = {'H', (char)('0' + level), 0, 0};
  kmb_tags t = tags_push(c, b, kmb_arena_strdup(c->arena, tagname));
  const char *what = opening ? "chapter-title" : kmb_arena_printf(c->arena, "h%d", level);
  kmb_box **v = kmb_text_boxes(c, &pt, p, what);
  const char *dest = opening ? c->book->chapters[c->chapter].id : heading_dest(c, n);

  double lp = size * D->heading_line_height; /* the heading's own line pitch */
  /* A parallel title (the manuscript's other language, read/parallel.c): a
   * line of its own under the title, smaller, in the body face (its Latin)
   * and not bold, tagged with the heading. The contents, the outline and
   * the running head keep the title alone. */
  const kmb_node *par = n->as.heading.parallel;
  /* a section's parallel title no smaller than a caption (0.6 of an h2 is
   * under the body size) */
  double psize = size * KMB_PARALLEL_SCALE;
  if (!opening) psize = MAX(psize, c->st->caption_size);
  double plp = psize * D->heading_line_height;
  kmb_ptext ppt;
  kmb_para *q = NULL;
  kmb_box **pv = NULL;
  if (par && par->first) {
    kmb_ptext_init(&ppt, c->st->body_family, psize, src_of(c));
    kmb_ptext_add_inlines(c, &ppt, par);
    if (par->as.heading.lang)
      kmb_ptext_attr(&ppt, pango_attr_language_new(pango_language_from_string(par->as.heading.lang)),
                     0, G_MAXINT);
    if (ppt.text->len) {
      kmb_tbreak tq = {.width = width, .justify = false, .phrase = true, .size = psize};
      q = kmb_text_break(c, &ppt, &tq);
      pv = kmb_text_boxes(c, &ppt, q, "parallel-title");
    } else {
      kmb_ptext_clear(&ppt);
    }
  }
  /* the title's lines, then the parallel title's after a gap of a third of its pitch */
  double text_h = p->n_lines * lp + (q ? plp / 3 + q->n_lines * plp : 0);
  /* Every heading goes to the outline; the contents page shows levels 1–2. */
  /* The contents and the outline outlive the chapter's arena. */
  kmb_toc_entry te = {opening ? 1 : level, kmb_arena_strdup(c->perm, plain),
                      kmb_arena_strdup(c->perm, dest), c->chapter, -1};
  g_array_append_val(c->toc, te);
  int toc_idx = (int)c->toc->len;

  kmb_vitem *it;
  if (opening) {
    /* Chapter-opening design: the title sunk a quarter of the text block,
     * centred, with a short rule above it and space below. */
    int sink = (int)floor(c->rows * D->opening_sink + 1e-9);
    int title_rows = (int)ceil(text_h / c->pitch - 1e-6);
    int after = MAX(1, (int)floor(c->rows * D->opening_after + 1e-9)); /* 3 rows on A5 */
    it = vi_push(c, KMB_VI_BLOCK, sink + title_rows + after);
    it->opening = true;
    kmb_box *rule = kmb_box_new(c, KMB_BOX_RULE);
    rule->x = c->text_w / 2 - D->opening_rule_em / 2 * c->em;
    rule->w = D->opening_rule_em * c->em;
    rule->y = (sink - 1) * c->pitch + c->pitch / 2;
    rule->lw = D->opening_rule_width;
    rule->what = "rule";
    vi_add_box(it, rule);
    double y0 = sink * c->pitch + (title_rows * c->pitch - text_h) / 2;
    for (int i = 0; i < p->n_lines; i++) {
      kmb_box *bx = v[i];
      bx->x = (c->text_w - bx->line->width) / 2;
      bx->y = y0 + i * lp + baseline_in(c, lp, size);
      bx->size = size;
      bx->tags = t;
      if (i == 0) bx->dest = dest;
      vi_add_box(it, bx);
    }
    for (int i = 0; q && i < q->n_lines; i++) {
      kmb_box *bx = pv[i];
      bx->x = (c->text_w - bx->line->width) / 2;
      bx->y = y0 + p->n_lines * lp + plp / 3 + i * plp + baseline_in(c, plp, psize);
      bx->size = psize;
      bx->tags = t;
      bx->what = "parallel-title";
      vi_add_box(it, bx);
    }
  } else {
    /* A section heading: one row of space above (dropped at a page top),
     * then whole rows holding its lines, kept with what follows. */
    space_rows(c, (int)D->heading_space_rows);
    int rows = (int)ceil(text_h / c->pitch - 1e-6);
    if (size > c->em * D->heading_two_rows_above && rows < 2 && p->n_lines == 1 && !q) rows = 2;
    it = vi_push(c, KMB_VI_BLOCK, rows);
    double y0 = rows * c->pitch - text_h; /* sit on the block's last row */
    if (rows * c->pitch - text_h > c->pitch) y0 = (rows * c->pitch - text_h) / 2;
    for (int i = 0; i < p->n_lines; i++) {
      kmb_box *bx = v[i];
      bx->x = b->left;
      bx->y = y0 + i * lp + baseline_in(c, lp, size);
      bx->size = size;
      bx->tags = t;
      if (i == 0) bx->dest = dest;
      vi_add_box(it, bx);
    }
    for (int i = 0; q && i < q->n_lines; i++) {
      kmb_box *bx = pv[i];
      bx->x = b->left;
      bx->y = y0 + p->n_lines * lp + plp / 3 + i * plp + baseline_in(c, plp, psize);
      bx->size = psize;
      bx->tags = t;
      bx->what = "parallel-title";
      vi_add_box(it, bx);
    }
  }
  it->keep = true;
  it->toc = toc_idx;
  it->what = what;
  it->level = opening ? 1 : level;
  /* notes marked in the heading go to the foot of its page like any others */
  int nn = 0;
  for (int i = 0; i < p->n_lines; i++)
    for (int k = 0; v[i]->notes && v[i]->notes[k] >= 0; k++) nn++;
  if (nn) {
    it->notes = kmb_arena_alloc(c->arena, sizeof(int) * (size_t)(nn + 1));
    nn = 0;
    for (int i = 0; i < p->n_lines; i++)
      for (int k = 0; v[i]->notes && v[i]->notes[k] >= 0; k++) it->notes[nn++] = v[i]->notes[k];
    it->notes[nn] = -1;
  }
  c->under_level = it->level;
  c->under_dest = dest;
  c->ls.keep_lines = 1;
  kmb_ptext_clear(&pt);
  if (q) kmb_ptext_clear(&ppt);
  if (!opening) layout_section_notes(c, n);
}

/* --- code blocks --- */

/* Code lines have their own pitch, tighter than the body's: the one nearest
 * code_line_height × code size at which k lines fill r body rows exactly
 * (k <= 6). A block is cut into chunks of k lines, r rows each, so a page
 * breaks between chunks and the text after the block is on the grid again. */
static double code_pitch(const kmb_pdf_ctx *c, int *rows, int *lines) {
  double want = c->st->pdf.code_line_height * c->st->code_size, best = INFINITY;
  *rows = *lines = 1;
  for (int k = 1; k <= 6; k++)
    for (int r = 1; r <= k; r++)
      if (fabs(r * c->pitch / k - want) < best - 1e-9) best = fabs(r * c->pitch / k - want), *rows = r, *lines = k;
  return *rows * c->pitch / *lines;
}

typedef struct code_line {
  kmb_box *box;
  int num; /* the source line's number in the block (1-based), 0 on a continuation */
} code_line;

/* A line number in the gutter, right-aligned, outside the structure tree
 * (copying the code does not copy the numbers). */
static void code_number(kmb_pdf_ctx *c, kmb_vitem *it, int num, double right, double y, double size) {
  char s[16];
  snprintf(s, sizeof s, "%d", num);
  int nl = 0;
  kmb_box **v = kmb_text_simple(c, s, c->st->code_family, size, PANGO_WEIGHT_NORMAL, 1000, &nl);
  for (int i = 0; i < nl; i++) {
    v[i]->x = right - v[i]->w;
    v[i]->y = y;
    v[i]->size = size;
    v[i]->what = "code-num";
    v[i]->furniture = true;
    vi_add_box(it, v[i]);
  }
}

static void layout_code(kmb_pdf_ctx *c, bctx *b, const kmb_node *n) {
  const kmb_design *D = &c->st->pdf;
  double size = c->st->code_size;
  int tab = MAX(1, (int)D->code_tab);
  /* Tabs to spaces (4 columns); the final newline ends the block. */
  GString *s = g_string_new(NULL);
  GArray *lit = g_array_new(FALSE, FALSE, sizeof(long)); /* s's bytes → the literal's */
  int col = 0, nsrc = 1;
  for (size_t i = 0; i < n->len; i++) {
    char ch = n->literal[i];
    long li = (long)i;
    if (ch == '\t') {
      do g_string_append_c(s, ' '), g_array_append_val(lit, li), col++;
      while (col % tab);
    } else {
      g_string_append_c(s, ch);
      g_array_append_val(lit, li);
      col = ch == '\n' ? 0 : col + 1;
    }
  }
  while (s->len && s->str[s->len - 1] == '\n') g_string_truncate(s, s->len - 1);
  for (gsize i = 0; i < s->len; i++) nsrc += s->str[i] == '\n';
  kmb_tags t = tags_push(c, b, "Code");
  space_rows(c, (int)D->block_space_rows);
  /* Each source line is its own paragraph so that a wrapped line gets a
   * hanging continuation and empty lines keep their row. Line numbers
   * (code_line_numbers) take a gutter of their digits and one column. */
  double inset = D->code_inset_em * c->em;
  double num_size = size * 0.85;
  int digits = (int)log10(nsrc) + 1;
  double gutter = D->code_line_numbers ? (digits + 1) * 0.5 * size : 0;
  double width = c->text_w - b->left - b->right - 2 * inset - gutter;
  int srcline = n->line + 1;
  GArray *lines = g_array_new(FALSE, FALSE, sizeof(code_line));
  const char *p = s->str;
  for (int num = 1;; num++) {
    const char *e = strchr(p, '\n');
    int len = e ? (int)(e - p) : (int)strlen(p);
    kmb_ptext pt;
    kmb_ptext_init(&pt, c->st->code_family, size, src_of(c));
    /* the source where the bytes stop following the literal one for one (tabs) */
    long at = (long)(p - s->str);
    for (int k = 0; k < (len ? len : 1); k++) {
      long li = at + k < (long)lit->len ? g_array_index(lit, long, at + k) : (long)n->len - 1;
      if (k == 0 || li != g_array_index(lit, long, at + k - 1) + 1) {
        kmb_anchor a = {k, n, li < 0 ? 0 : li};
        g_array_append_val(pt.anchors, a);
      }
    }
    kmb_ptext_add(&pt, len ? p : " ", len ? len : 1, srcline);
    /* A wrapped code line hangs: its continuation lines start two columns
     * right of the line's own indentation (a negative first-line indent),
     * and each line that goes on ends with a continuation mark. */
    int lead = 0;
    while (lead < len && p[lead] == ' ') lead++;
    double hang = MIN((lead + D->code_hang_cols) * 0.5 * size, width * D->code_hang_max);
    kmb_tbreak tb = {.width = width - hang, .indent = -hang, .justify = false, .code = true,
                     .wrap_mark = true, .size = size};
    kmb_para *para = kmb_text_break(c, &pt, &tb);
    kmb_box **v = kmb_text_boxes(c, &pt, para, "code");
    for (int i = 0; i < para->n_lines; i++) {
      v[i]->x = b->left + inset + gutter + hang; /* the first line's runs carry -hang */
      v[i]->size = size;
      v[i]->tags = t;
      code_line cl = {v[i], i == 0 ? num : 0};
      g_array_append_val(lines, cl);
    }
    kmb_ptext_clear(&pt);
    srcline++;
    if (!e) break;
    p = e + 1;
  }
  int rows, per;
  double cp = code_pitch(c, &rows, &per);
  int total = (int)lines->len, nchunks = (total + per - 1) / per;
  guint first_item = c->vlist->len;
  for (int k = 0; k < nchunks; k++) {
    int m = MIN(per, total - k * per);
    int r = m == per ? rows : (int)ceil(m * cp / c->pitch - 1e-6);
    kmb_vitem *it = vi_push(c, KMB_VI_LINE, r);
    it->what = "code";
    /* Light background strip per chunk: continuous across chunks and pages. */
    kmb_box *bg = kmb_box_new(c, KMB_BOX_RECT);
    bg->x = b->left;
    bg->y = -D->code_bg_overlap; /* overlap the next strip: no hairline gaps */
    bg->w = c->text_w - b->left - b->right;
    /* a short last chunk's strip ends with its lines; the rest of its rows is air */
    bg->h = (m == per ? r * c->pitch : m * cp) + 2 * D->code_bg_overlap;
    bg->gray = D->code_bg_gray;
    bg->what = "code-bg";
    vi_add_box(it, bg);
    for (int i = 0; i < m; i++) {
      code_line *cl = &g_array_index(lines, code_line, k * per + i);
      cl->box->y = i * cp + baseline_in(c, cp, size);
      vi_add_box(it, cl->box);
      if (cl->num && D->code_line_numbers)
        code_number(c, it, cl->num, b->left + inset + gutter - 0.5 * size, cl->box->y, num_size);
    }
  }
  /* Widows and orphans for code: the first two and last two lines stay
   * together (a chunk of one line keeps with its neighbour). */
  if (nchunks >= 2) {
    if (per < 2) g_array_index(c->vlist, kmb_vitem, first_item).keep = true;
    if (total - (nchunks - 1) * per < 2)
      g_array_index(c->vlist, kmb_vitem, first_item + nchunks - 2).keep = true;
  }
  g_array_free(lines, TRUE);
  space_rows(c, (int)D->block_space_rows);
  g_string_free(s, TRUE);
  g_array_free(lit, TRUE);
}

/* --- figures --- */

static void layout_figure(kmb_pdf_ctx *c, bctx *b, const kmb_node *n) {
  const kmb_image *im = &n->as.image;
  kmb_img *img = NULL;
  if (im->remote) {
    kmb_pdf_warn(c, src_of(c), n->line,
                 "remote image '%s' is not embedded (PDF is built offline): its caption is shown",
                 im->url);
  } else if (!im->path) {
    kmb_pdf_warn(c, src_of(c), n->line, "image '%s' was not found: its caption is shown",
                 im->url ? im->url : "");
  } else {
    img = kmb_img_load(c, im->probe, im->path, src_of(c), n->line);
    kmb_vertical_image(c, img);
  }
  const kmb_design *D = &c->st->pdf;
  double avail = c->text_w - b->left - b->right;
  double cap_size = c->st->caption_size;
  double cap_pitch = cap_size * D->caption_line_height;
  kmb_ptext pt;
  kmb_ptext_init(&pt, c->st->body_family, cap_size, src_of(c));
  kmb_ptext_add_inlines(c, &pt, n);
  kmb_para *p = NULL;
  kmb_box **v = NULL;
  int ncap = 0;
  if (pt.text->len) {
    kmb_tbreak tb = {.width = avail - D->caption_narrow_em * c->em, .justify = false,
                     .size = cap_size};
    p = kmb_text_break(c, &pt, &tb);
    v = kmb_text_boxes(c, &pt, p, "caption");
    ncap = p->n_lines;
  }
  double cap_h = ncap * cap_pitch;
  double gap = img && ncap ? D->figure_gap_rows * c->pitch : 0;
  double iw = 0, ih = 0;
  if (img) {
    double max_h = (c->rows - D->figure_free_rows) * c->pitch - cap_h - gap;
    double s = 1;
    if (img->w > avail) s = avail / img->w;
    if (img->h * s > max_h) s = max_h / img->h;
    iw = img->w * s, ih = img->h * s;
  }
  double total = ih + gap + cap_h;
  /* air above and below: half of figure_air_rows each */
  int rows = (int)ceil(total / c->pitch - 1e-6) + (int)D->figure_air_rows;
  /* A figure right under a heading does not float away from it. */
  bool after_keep = under_heading(c);
  kmb_vitem *it = vi_push(c, KMB_VI_BLOCK, rows);
  it->floats = !after_keep;
  it->what = "figure";
  it->section = c->under_level;
  it->fig_img_h = ih;
  it->fig_body_h = total;
  kmb_tags tf = tags_push(c, b, "Figure");
  double y = (rows * c->pitch - total) / 2;
  if (img) {
    kmb_box *bx = kmb_box_new(c, KMB_BOX_IMAGE);
    bx->img = img;
    bx->x = b->left + (avail - iw) / 2;
    bx->y = y;
    bx->w = iw, bx->h = ih;
    bx->tags = tf;
    bx->what = "image";
    bx->under = kmb_arena_printf(c->arena, "h%d:%s", c->under_level,
                                 c->under_dest ? c->under_dest : "");
    kmb_boxes_anchor(c, &bx, 1, n);
    vi_add_box(it, bx);
    y += ih + gap;
  }
  if (ncap) {
    bctx inner = *b;
    inner.tags = tf;
    inner.depth = tags_depth(&tf);
    kmb_tags tc = tags_push(c, &inner, "Caption");
    for (int i = 0; i < ncap; i++) {
      kmb_box *bx = v[i];
      bx->x = b->left + (avail - bx->line->width) / 2;
      bx->y = y + i * cap_pitch + baseline_in(c, cap_pitch, cap_size);
      bx->size = cap_size;
      bx->tags = tc;
      vi_add_box(it, bx);
    }
  }
  kmb_ptext_clear(&pt);
}

/* --- tables: a three-rule grid (三线表) with wrapped cells --- */

/* The widest word of a cell (a run of Latin text between spaces or CJK
 * characters: what cannot wrap without breaking a word), in pt at `size`. */
static double widest_word(kmb_pdf_ctx *c, const char *t, double size, PangoWeight weight) {
  double w = 0;
  const char *run = NULL;
  for (const char *p = t;; p = g_utf8_next_char(p)) {
    gunichar ch = g_utf8_get_char(p);
    bool in_word = ch && !g_unichar_isspace(ch) && !g_unichar_iswide(ch);
    if (in_word && !run) run = p;
    if (!in_word && run) {
      char *word = g_strndup(run, (gsize)(p - run));
      w = MAX(w, kmb_text_width(c, word, c->st->body_family, size, weight));
      g_free(word);
      run = NULL;
    }
    if (!ch) break;
  }
  return w;
}

/* A table whose words cannot all fit side by side in the measure gets
 * smaller type, down to table_min_size, before its cells break inside
 * words (Fedor|a). Widths scale with the size; the padding does not. */
static double table_size(kmb_pdf_ctx *c, const kmb_node *n, int ncols, double avail, double pad) {
  const kmb_design *D = &c->st->pdf;
  double size = c->em * D->table_size, floor_size = c->em * MIN(D->table_min_size, D->table_size);
  double *need = g_new0(double, ncols);
  for (const kmb_node *r = n->first; r; r = r->next) {
    int i = 0;
    PangoWeight wt = r->as.row.header ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL;
    for (const kmb_node *cell = r->first; cell && i < ncols; cell = cell->next, i++)
      need[i] = MAX(need[i], widest_word(c, kmb_node_text(c->arena, cell), size, wt));
  }
  double words = 0;
  for (int i = 0; i < ncols; i++) words += need[i];
  g_free(need);
  double room = avail - 2 * pad * ncols;
  if (words <= room || words <= 0) return size;
  return MAX(floor_size, size * room / words);
}

/* The rows of a short table (vlist items from `from` on) become one item
 * that floats like a figure (issue 13): placed where it occurs if it fits,
 * else at the next page's top while the text flows on, never past the next
 * heading of its level. Its top rule records that heading for the dump.
 * The space under it goes with it (air rows, as a figure's): the space
 * above stays in the text, where the table was. */
static void float_table(kmb_pdf_ctx *c, guint from, int air) {
  int rows = 0, n_notes = 0;
  kmb_box *boxes = NULL, **tail = &boxes;
  for (guint k = from; k < c->vlist->len; k++) {
    const kmb_vitem *r = &g_array_index(c->vlist, kmb_vitem, k);
    for (int i = 0; r->notes && r->notes[i] >= 0; i++) n_notes++;
  }
  int *notes = n_notes ? kmb_arena_alloc(c->arena, sizeof(int) * (size_t)(n_notes + 1)) : NULL;
  n_notes = 0;
  for (guint k = from; k < c->vlist->len; k++) {
    kmb_vitem *r = &g_array_index(c->vlist, kmb_vitem, k);
    for (kmb_box *bx = r->boxes, *nx; bx; bx = nx) {
      nx = bx->next;
      bx->y += rows * c->pitch;
      bx->next = NULL;
      *tail = bx;
      tail = &bx->next;
    }
    for (int i = 0; r->notes && r->notes[i] >= 0; i++) notes[n_notes++] = r->notes[i];
    rows += r->rows;
  }
  if (notes) notes[n_notes] = -1;
  kmb_box *top = boxes;
  while (top && top->kind != KMB_BOX_RULE) top = top->next;
  if (top) top->under = kmb_arena_printf(c->arena, "h%d:%s", c->under_level,
                                         c->under_dest ? c->under_dest : "");
  g_array_set_size(c->vlist, from);
  kmb_vitem *it = vi_push(c, KMB_VI_BLOCK, rows + air);
  it->floats = true;
  it->what = "table";
  it->section = c->under_level;
  it->boxes = boxes;
  it->notes = notes;
}

static void layout_table(kmb_pdf_ctx *c, bctx *b, const kmb_node *n) {
  int ncols = n->as.table.ncols;
  if (ncols <= 0) return;
  const kmb_design *D = &c->st->pdf;
  double avail = c->text_w - b->left - b->right;
  double pad = D->table_pad_em * c->em;
  double size = table_size(c, n, ncols, avail, pad);
  double *nat = g_new0(double, ncols);
  for (const kmb_node *r = n->first; r; r = r->next) {
    int i = 0;
    for (const kmb_node *cell = r->first; cell && i < ncols; cell = cell->next, i++) {
      char *t = kmb_node_text(c->arena, cell);
      double w = kmb_text_width(c, t, c->st->body_family, size,
                                r->as.row.header ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
      if (w + 2 * pad > nat[i]) nat[i] = w + 2 * pad;
    }
  }
  double sum = 0;
  for (int i = 0; i < ncols; i++) {
    double least = D->table_min_col_em * c->em + 2 * pad;
    if (nat[i] < least) nat[i] = least;
    sum += nat[i];
  }
  double *cw = g_new0(double, ncols);
  if (sum <= avail) {
    for (int i = 0; i < ncols; i++) cw[i] = nat[i] + (avail - sum) / ncols;
  } else {
    /* Shrink wide columns first: each gets at least an equal share or its need. */
    double fair = avail / ncols, small = 0;
    for (int i = 0; i < ncols; i++)
      if (nat[i] <= fair) small += nat[i];
    double bigsum = 0;
    for (int i = 0; i < ncols; i++)
      if (nat[i] > fair) bigsum += nat[i];
    for (int i = 0; i < ncols; i++)
      cw[i] = nat[i] <= fair ? nat[i] : (avail - small) * nat[i] / bigsum;
  }
  /* A table right under a heading does not float away from it. */
  bool after_keep = under_heading(c);
  kmb_tags tt = tags_push(c, b, "Table");
  bctx tb_ctx = *b;
  tb_ctx.tags = tt;
  tb_ctx.depth = tags_depth(&tt);
  space_rows(c, (int)D->block_space_rows);
  int nrows = 0;
  for (const kmb_node *r = n->first; r; r = r->next) nrows++;
  bool small_table = nrows <= (int)D->table_keep_rows;
  guint first_item = c->vlist->len;
  bool first_row = true;
  int head_idx = -1, body_rows = 0;
  for (const kmb_node *r = n->first; r; r = r->next) {
    bool header = r->as.row.header;
    kmb_tags tr = tags_push(c, &tb_ctx, "TR");
    bctx rc = tb_ctx;
    rc.tags = tr;
    rc.depth = tags_depth(&tr);
    int max_lines = 1;
    kmb_box ***cells = g_new0(kmb_box **, ncols);
    int *nl = g_new0(int, ncols);
    double *cx = g_new0(double, ncols);
    kmb_tags *ct = g_new0(kmb_tags, ncols);
    kmb_align *al = g_new0(kmb_align, ncols);
    double *cpad = g_new0(double, ncols);
    int i = 0;
    double x = b->left;
    for (const kmb_node *cell = r->first; cell && i < ncols; cell = cell->next, i++) {
      kmb_ptext pt;
      kmb_ptext_init(&pt, c->st->body_family, size, src_of(c));
      kmb_ptext_add_inlines(c, &pt, cell);
      if (header) kmb_ptext_attr(&pt, pango_attr_weight_new(PANGO_WEIGHT_BOLD), 0, G_MAXINT);
      if (pt.text->len == 0) kmb_ptext_add(&pt, " ", 1, cell->line);
      double cp = MIN(pad, cw[i] * D->table_pad_max); /* narrow columns get less padding */
      kmb_tbreak tbk = {.width = cw[i] - 2 * cp, .justify = false, .ident = true, .size = size};
      kmb_para *p = kmb_text_break(c, &pt, &tbk);
      cells[i] = kmb_text_boxes(c, &pt, p, header ? "th" : "td");
      nl[i] = p->n_lines;
      cx[i] = x + cp;
      cpad[i] = cp;
      ct[i] = tags_push(c, &rc, header ? "TH" : "TD");
      al[i] = n->as.table.align ? n->as.table.align[i] : KMB_ALIGN_NONE;
      if (nl[i] > max_lines) max_lines = nl[i];
      x += cw[i];
      kmb_ptext_clear(&pt);
    }
    int ncells = i;
    kmb_vitem *it = vi_push(c, KMB_VI_BLOCK, max_lines);
    it->what = header ? "table-head" : "table-row";
    /* A short table stays whole; a long one never leaves its last row alone
     * at the head of a page (the header already keeps with the first row). */
    /* ...and never starts with fewer than two body rows at a page foot. */
    it->keep = header || (r->next && (small_table || !r->next->next || body_rows == 0));
    if (header) head_idx = (int)c->vlist->len - 1;
    else it->head_of = head_idx + 1, body_rows++;
    for (i = 0; i < ncells; i++) {
      for (int k = 0; k < nl[i]; k++) {
        kmb_box *bx = cells[i][k];
        double lw = bx->line->width, room = cw[i] - 2 * cpad[i];
        bx->x = cx[i];
        if (al[i] == KMB_ALIGN_CENTER) bx->x += (room - lw) / 2;
        else if (al[i] == KMB_ALIGN_RIGHT) bx->x += room - lw;
        bx->y = k * c->pitch + baseline_in(c, c->pitch, size);
        bx->size = size;
        bx->tags = ct[i];
        vi_add_box(it, bx);
        it->notes = bx->notes ? bx->notes : it->notes;
      }
    }
    /* Rules: a heavy one above the table, a light one under the header. */
    if (first_row) {
      kmb_box *rl = kmb_box_new(c, KMB_BOX_RULE);
      rl->x = b->left, rl->w = avail, rl->y = 0, rl->lw = D->table_rule_width, rl->what = "rule";
      vi_add_box(it, rl);
    }
    if (header) {
      kmb_box *rl = kmb_box_new(c, KMB_BOX_RULE);
      rl->x = b->left, rl->w = avail, rl->y = max_lines * c->pitch, rl->lw = D->table_head_rule_width;
      rl->what = "rule";
      vi_add_box(it, rl);
    }
    if (header) {
      /* the header row again, with the rules above and under it, for the
       * pages the table runs on to (outside the structure: said once) */
      kmb_box **pp = &it->repeat;
      for (kmb_box *bx = it->boxes; bx; bx = bx->next) {
        kmb_box *cp = kmb_arena_alloc(c->arena, sizeof *cp);
        *cp = *bx;
        cp->dest = NULL;
        cp->notes = NULL;
        cp->furniture = true;
        memset(&cp->tags, 0, sizeof cp->tags);
        cp->next = NULL;
        *pp = cp;
        pp = &cp->next;
      }
    }
    if (!r->next) {
      kmb_box *rl = kmb_box_new(c, KMB_BOX_RULE);
      rl->x = b->left, rl->w = avail, rl->y = max_lines * c->pitch, rl->lw = D->table_rule_width;
      rl->what = "rule";
      vi_add_box(it, rl);
    }
    first_row = false;
    g_free(cells), g_free(nl), g_free(cx), g_free(ct), g_free(al), g_free(cpad);
  }
  if (small_table && !after_keep && c->vlist->len > first_item)
    float_table(c, first_item, (int)D->block_space_rows);
  else
    space_rows(c, (int)D->block_space_rows);
  g_free(nat);
  g_free(cw);
}

/* --- footnotes: laid out once, placed by the paginator --- */

static void layout_note(kmb_pdf_ctx *c, const kmb_node *def) {
  int k = def->as.note.index;
  if (k < 1 || k > (int)c->notes->len || g_ptr_array_index(c->notes, k - 1)) return;
  kmb_note *note = kmb_arena_alloc(c->arena, sizeof *note);
  note->number = k;
  note->dest = kmb_arena_printf(c->arena, "fn%d", k);
  note->back = kmb_arena_printf(c->arena, "fnref%d", k);
  note->boxes = g_ptr_array_new();
  note->chapter = c->chapter;
  double size = c->st->footnote_size, lp = size * c->st->pdf.note_line_height;
  double y = 0;
  bool first = true;
  kmb_tags tn = {{"Note"}, {kmb_new_tag_id(c)}};
  for (const kmb_node *blk = def->first; blk; blk = blk->next) {
    kmb_ptext pt;
    kmb_ptext_init(&pt, c->st->body_family, size, src_of(c));
    if (first) {
      char num[16];
      snprintf(num, sizeof num, "%d", k);
      kmb_ptext_anchor(&pt, def, -1); /* the note's number stands for its element */
      kmb_ptext_add(&pt, num, (int)strlen(num), def->line);
      kmb_span sp = {KMB_SPAN_NOTEBACK, 0, (int)pt.text->len, note->back, NULL, k, NULL, 0};
      g_array_append_val(pt.spans, sp);
      kmb_ptext_add(&pt, "\xe3\x80\x80", 3, 0); /* ideographic space */
    }
    if (blk->type == KMB_NODE_PARAGRAPH) kmb_ptext_add_inlines(c, &pt, blk);
    else {
      char *t = kmb_node_text(c->arena, blk);
      kmb_ptext_anchor(&pt, blk, -1);
      kmb_ptext_add(&pt, t, (int)strlen(t), blk->line);
    }
    kmb_tbreak tb = {.width = c->text_w, .indent = 0, .justify = true, .size = size};
    kmb_para *p = kmb_text_break(c, &pt, &tb);
    kmb_box **v = kmb_text_boxes(c, &pt, p, "note");
    for (int i = 0; i < p->n_lines; i++) {
      kmb_box *bx = v[i];
      bx->x = 0;
      bx->y = y + baseline_in(c, lp, size);
      bx->size = size;
      bx->tags = tn;
      if (first && i == 0) bx->dest = note->dest;
      g_ptr_array_add(note->boxes, bx);
      y += lp;
    }
    first = false;
    kmb_ptext_clear(&pt);
  }
  note->height = y;
  /* A note taller than a third of the text block would crowd out the page
   * that refers to it (or not fit at all): it goes to the chapter end. */
  note->endnote = y > c->text_h * c->st->pdf.note_max;
  g_ptr_array_index(c->notes, k - 1) = note;
}

/* --- lists --- */

static const char *bullet_for(int depth) {
  static const char *b[] = {"\xe2\x80\xa2", "\xe2\x97\xa6", "\xe2\x96\xaa"}; /* • ◦ ▪ */
  return b[depth % 3];
}

static void layout_list(kmb_pdf_ctx *c, bctx *b, const kmb_node *n) {
  kmb_tags tl = tags_push(c, b, "L");
  bool ordered = n->as.list.ordered;
  int num = n->as.list.start;
  /* The label column fits the widest number. */
  int count = 0;
  for (const kmb_node *it = n->first; it; it = it->next) count++;
  char widest[32];
  snprintf(widest, sizeof widest, "%d%c", num + count - 1, n->as.list.delim ? n->as.list.delim : '.');
  const kmb_design *D = &c->st->pdf;
  double col = D->list_label_em * c->em, gap = D->list_label_gap_em * c->em;
  if (ordered) {
    double w = kmb_text_width(c, widest, c->st->body_family, c->em, PANGO_WEIGHT_NORMAL) + gap;
    if (w > col) col = ceil(w / gap) * gap; /* in steps of the gap */
  }
  for (const kmb_node *item = n->first; item; item = item->next, num++) {
    bctx ib = *b;
    ib.tags = tl;
    ib.depth = tags_depth(&tl);
    kmb_tags tli = tags_push(c, &ib, "LI");
    char label[32];
    if (ordered) snprintf(label, sizeof label, "%d%c", num, n->as.list.delim ? n->as.list.delim : '.');
    else snprintf(label, sizeof label, "%s", bullet_for(b->list_depth));
    int nl;
    kmb_box **lv = kmb_text_simple(c, label, c->st->body_family, c->em, PANGO_WEIGHT_NORMAL, col, &nl);
    if (nl == 0) continue; /* the breaker failed (already warned) */
    kmb_box *lb = lv[0];
    /* Deep lists stop indenting at half the measure: they reuse the
     * parent's label column. */
    double base = c->text_w - b->left - b->right - col >= c->text_w * D->min_measure ? b->left
                                                                                     : b->left - col;
    if (base < 0) base = 0;
    lb->x = base + (ordered ? col - gap - lb->line->width : gap);
    lb->what = "label";
    bctx lc = ib;
    lc.tags = tli;
    lc.depth = tags_depth(&tli);
    lb->tags = tags_push(c, &lc, "Lbl");
    bctx body = lc;
    body.tags = tags_push(c, &lc, "LBody");
    body.depth = tags_depth(&body.tags);
    body.left = base + col;
    body.list_depth = b->list_depth + 1;
    body.first_in_item = true;
    body.label = lb;
    layout_blocks(c, &body, item);
    if (body.label) { /* an empty item: the label gets a line of its own */
      kmb_vitem *it = vi_push(c, KMB_VI_LINE, 1);
      lb->y = baseline_in(c, c->pitch, c->em);
      vi_add_box(it, lb);
      it->what = "label";
    }
  }
}

static void layout_blockquote(kmb_pdf_ctx *c, bctx *b, const kmb_node *n) {
  bctx q = *b;
  q.tags = tags_push(c, b, "BlockQuote");
  q.depth = tags_depth(&q.tags);
  double ind = c->st->blockquote_indent_em * c->em;
  /* Deep nesting stops indenting once the measure would drop below half
   * the text block: the text must stay readable (and present). */
  bool room = c->text_w - b->left - b->right - 2 * ind >= c->text_w * c->st->pdf.min_measure;
  if (room) q.left += ind, q.right += ind;
  guint from = c->vlist->len;
  layout_blocks(c, &q, n);
  if (!room) return;
  /* A thin bar in the indent beside every row of the quote. */
  for (guint i = from; i < c->vlist->len; i++) {
    kmb_vitem *it = &g_array_index(c->vlist, kmb_vitem, i);
    if (it->kind == KMB_VI_SPACE) continue;
    kmb_box *bar = kmb_box_new(c, KMB_BOX_RULE);
    bar->x = b->left + c->st->pdf.quote_bar_em * c->em;
    bar->y = 0;
    bar->h = it->rows * c->pitch;
    bar->lw = c->st->pdf.quote_bar_width;
    bar->gray = c->st->pdf.quote_bar_gray;
    bar->what = "quote-bar";
    vi_add_box(it, bar);
  }
}

static void layout_block(kmb_pdf_ctx *c, bctx *b, const kmb_node *n, bool chapter_first) {
  bool first_in_item = b->first_in_item;
  b->first_in_item = false;
  switch (n->type) {
  case KMB_NODE_HEADING:
    layout_heading(c, b, n, chapter_first);
    break;
  case KMB_NODE_PARAGRAPH: {
    if ((n->as.para.verse || n->as.para.attribution) && !b->label) { /* verse.c */
      kmb_tags vt = tags_push(c, b, "P");
      kmb_layout_verse(c, n, b->left, b->right, &vt);
      break;
    }
    bool indent = !first_in_item && b->list_depth == 0;
    bctx *use = b;
    layout_inlines_para(c, use, n, "P", indent);
    if (c->st->para_space_em > 0) space_rows(c, (int)ceil(c->st->para_space_em * c->em / c->pitch));
    break;
  }
  case KMB_NODE_BLOCKQUOTE:
    layout_blockquote(c, b, n);
    break;
  case KMB_NODE_LIST:
    layout_list(c, b, n);
    break;
  case KMB_NODE_CODE_BLOCK:
    layout_code(c, b, n);
    break;
  case KMB_NODE_THEMATIC_BREAK: {
    const kmb_design *D = &c->st->pdf;
    kmb_vitem *it = vi_push(c, KMB_VI_BLOCK, (int)D->break_rows);
    it->what = "break";
    kmb_box *r = kmb_box_new(c, KMB_BOX_RULE);
    r->x = b->left + (c->text_w - b->left - b->right) / 2 - D->break_rule_em / 2 * c->em;
    r->w = D->break_rule_em * c->em;
    r->y = D->break_rows / 2 * c->pitch;
    r->lw = D->break_rule_width;
    r->what = "rule";
    vi_add_box(it, r);
    break;
  }
  case KMB_NODE_FIGURE:
    layout_figure(c, b, n);
    break;
  case KMB_NODE_TABLE:
    layout_table(c, b, n);
    break;
  case KMB_NODE_FOOTNOTE_DEF:
    layout_note(c, n);
    break;
  case KMB_NODE_CALLOUT: { /* frame and title: callout.c */
    bctx q = *b;
    q.tags = tags_push(c, b, "Div");
    q.depth = tags_depth(&q.tags);
    kmb_tags tt = tags_push(c, &q, "P");
    guint from = kmb_callout_open(c, n, b->left, b->right, &tt);
    q.left += kmb_callout_inset(c), q.right += kmb_callout_inset(c);
    layout_blocks(c, &q, n);
    kmb_callout_close(c, n, from, b->left, b->right);
    break;
  }
  case KMB_NODE_DIV: /* a plain pandoc division: just its blocks */
    layout_blocks(c, b, n);
    break;
  case KMB_NODE_HTML_BLOCK: {
    /* its text as plain paragraphs (rawhtml.c), so none of it is lost */
    const char **paras = kmb_html_block_text(c->arena, n->literal ? n->literal : "", n->len);
    char *key = g_strdup_printf("%s:%s", paras[0] ? "htmltext" : "html", src_of(c));
    if (!g_hash_table_contains(c->warned, key)) {
      g_hash_table_add(c->warned, key);
      if (!kmb_pdf_warn(c, src_of(c), n->line,
                        paras[0] ? "raw HTML blocks are set as plain text in the PDF (their "
                                   "markup and styles are dropped)"
                                 : "raw HTML blocks are not typeset in the PDF"))
        c->failed = true;
    } else {
      g_free(key);
    }
    c->anchor_block = n; /* the EPUB sets the block as HTML: its text stands for it */
    for (int i = 0; paras[i] && !c->failed; i++) {
      kmb_node *para = kmb_node_new(c->arena, KMB_NODE_PARAGRAPH, n->line, n->col);
      kmb_node *t = kmb_node_new(c->arena, KMB_NODE_TEXT, n->line, n->col);
      t->literal = paras[i], t->len = strlen(paras[i]);
      kmb_node_append(para, t);
      layout_inlines_para(c, b, para, "P", false);
    }
    c->anchor_block = NULL;
    break;
  }
  default:
    break;
  }
}

static void layout_blocks(kmb_pdf_ctx *c, bctx *b, const kmb_node *parent) {
  for (const kmb_node *n = parent->first; n; n = n->next) {
    if (c->failed) return;
    layout_block(c, b, n, false);
  }
}

/* Notes too tall for a page foot are set at the end of their chapter, under
 * a short rule, one grid row per line (widows and orphans as for text). */
/* A note's lines into the vertical list, as end notes; the boxes move there. */
static void push_note_lines(kmb_pdf_ctx *c, kmb_note *note) {
  int n = (int)note->boxes->len;
  for (int k = 0; k < n; k++) {
    kmb_box *bx = g_ptr_array_index(note->boxes, k);
    kmb_vitem *it = vi_push(c, KMB_VI_LINE, 1);
    it->what = "note";
    if (n >= 2 && (k == 0 || k == n - 2)) it->keep = true, it->weak = false;
    bx->x = 0;
    bx->y = baseline_in(c, c->pitch, bx->size);
    bx->what = "endnote"; /* the dump tells them from page-foot notes */
    vi_add_box(it, bx);
  }
  g_ptr_array_set_size(note->boxes, 0);
}

/* A heading whose section holds only footnote definitions (参考资料 with the
 * notes under it) would print empty, its notes gone to the page feet: those
 * notes are set under it instead, as the section's end notes. */
static void layout_section_notes(kmb_pdf_ctx *c, const kmb_node *h) {
  int level = h->as.heading.level, defs = 0;
  const kmb_node *n = h->next;
  for (; n; n = n->next) {
    if (n->type == KMB_NODE_HEADING && n->as.heading.level <= level) break;
    if (n->type != KMB_NODE_FOOTNOTE_DEF) return;
    defs++;
  }
  if (!defs) return;
  for (n = h->next; n && n->type == KMB_NODE_FOOTNOTE_DEF; n = n->next) {
    int k = n->as.note.index;
    kmb_note *note = k >= 1 && k <= (int)c->notes->len ? g_ptr_array_index(c->notes, k - 1) : NULL;
    if (!note || note->chapter != c->chapter || !note->boxes->len) continue;
    note->endnote = true;
    push_note_lines(c, note);
  }
}

static void layout_endnotes(kmb_pdf_ctx *c) {
  bool first = true;
  for (guint i = 0; i < c->notes->len; i++) {
    kmb_note *note = g_ptr_array_index(c->notes, i);
    /* (notes already set under their own section have no boxes left) */
    if (!note || !note->endnote || note->chapter != c->chapter || !note->boxes->len) continue;
    if (first) {
      space_rows(c, (int)c->st->pdf.block_space_rows);
      kmb_vitem *it = vi_push(c, KMB_VI_BLOCK, 1);
      it->what = "endnotes";
      kmb_box *rule = kmb_box_new(c, KMB_BOX_RULE);
      rule->w = c->text_w * c->st->pdf.note_rule_length, rule->y = c->pitch / 2;
      rule->lw = c->st->pdf.note_rule_width, rule->what = "note-rule";
      vi_add_box(it, rule);
      first = false;
    }
    push_note_lines(c, note);
  }
}

/* Footnote definitions may sit anywhere (usually at the chapter end): lay
 * them all out first so that references know their notes' heights. */
static void layout_notes_of(kmb_pdf_ctx *c, const kmb_node *root) {
  kmb_iter it;
  kmb_iter_init(&it, root);
  kmb_event ev;
  while ((ev = kmb_iter_next(&it)) != KMB_EV_NONE) {
    if (ev == KMB_EV_ENTER && it.cur->type == KMB_NODE_FOOTNOTE_DEF) {
      layout_note(c, it.cur);
      kmb_iter_skip(&it);
    }
  }
}

void kmb_layout_begin(kmb_pdf_ctx *c) {
  collect_dests(c);
  for (int i = 0; i < c->book->n_footnotes; i++) g_ptr_array_add(c->notes, NULL);
}

bool kmb_layout_chapter(kmb_pdf_ctx *c, size_t i) {
  {
    c->chapter = (int)i;
    c->para_seq = 0;
    const kmb_chapter *ch = &c->book->chapters[i];
    kmb_vitem *it = vi_push(c, KMB_VI_CHAPTER, 0);
    it->what = "chapter";
    c->under_level = 1;
    c->under_dest = ch->id;
    layout_notes_of(c, ch->root);
    bctx b = {0};
    const kmb_node *n = ch->root->first;
    if (n && n == ch->title_heading) {
      layout_block(c, &b, n, true);
      n = n->next;
    } else {
      /* No title: the chapter still gets a contents entry and destination. */
      kmb_toc_entry te = {1, ch->title, ch->id, (int)i, -1};
      g_array_append_val(c->toc, te);
      g_array_index(c->vlist, kmb_vitem, c->vlist->len - 1).toc = (int)c->toc->len;
    }
    for (; n && !c->failed; n = n->next) layout_block(c, &b, n, false);
    layout_endnotes(c);
  }
  return !c->failed;
}
