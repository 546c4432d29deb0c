/* kmb_pdf_write: sets up fonts and the Pango context, lays the book out
 * (chapters, then front matter with the contents), optionally dumps the
 * layout, renders with cairo and adds /Lang. */
#include "pdf/pdf-imp.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

kmb_box *kmb_box_new(kmb_pdf_ctx *c, kmb_box_kind kind) {
  kmb_box *b = kmb_arena_alloc(c->arena, sizeof *b);
  b->kind = kind;
  return b;
}

bool kmb_pdf_warn(kmb_pdf_ctx *c, const char *path, int line, const char *fmt, ...) {
  if (c->replay) return !c->failed; /* said in the first pass */
  va_list ap;
  va_start(ap, fmt);
  /* the first error sticks: a refused warning after it records nothing */
  bool go_on = kmb_warn_or_fail_v(c->opts->diag, c->failed ? NULL : c->err, KMB_E_FORMAT, path,
                                  line, 0, fmt, ap);
  va_end(ap);
  if (!go_on) c->failed = true;
  return go_on;
}

static void add_str(GString *s, const char *t) {
  if (t) g_string_append(s, t);
}

/* Every character the book can set: the manuscript, the metadata, the text
 * inside SVG figures (librsvg draws it with the same fonts) and kmbook's own
 * labels. */
static char *book_chars(const kmb_book *book) {
  GString *s = g_string_new(KMB_PDF_OWN_CHARS);
  if (book->writing == KMB_WRITING_VERTICAL) g_string_append(s, KMB_PDF_VERTICAL_CHARS);
  bool has_code = false;
  const kmb_meta *m = &book->meta;
  add_str(s, m->title), add_str(s, m->subtitle), add_str(s, m->publisher);
  add_str(s, m->edition), add_str(s, m->date), add_str(s, m->source), add_str(s, m->rights);
  add_str(s, book->identifier), add_str(s, m->description), add_str(s, book->edition_text);
  const kmb_labels *L = book->labels;
  const char *words[] = {L->contents, L->title,  L->publisher, L->date, L->edition, L->source,
                         L->rights,   L->link,   L->identifier, L->sep,  L->list_sep};
  for (size_t i = 0; i < G_N_ELEMENTS(words); i++) add_str(s, words[i]);
  for (size_t i = 0; i < m->n_creators; i++)
    add_str(s, m->creators[i].name), add_str(s, m->creators[i].role_name),
        add_str(s, m->creators[i].role_credit);
  for (size_t i = 0; i < m->n_contributors; i++)
    add_str(s, m->contributors[i].name), add_str(s, m->contributors[i].role_name),
        add_str(s, m->contributors[i].role_credit);
  for (size_t i = 0; i < m->n_subjects; i++) add_str(s, m->subjects[i]);
  for (size_t i = 0; i < m->n_links; i++) add_str(s, m->links[i].title), add_str(s, m->links[i].url);
  for (size_t i = 0; i < book->n_chapters; i++) {
    add_str(s, book->chapters[i].title);
    kmb_iter it;
    kmb_iter_init(&it, book->chapters[i].root);
    kmb_event ev;
    while ((ev = kmb_iter_next(&it)) != KMB_EV_NONE) {
      const kmb_node *n = it.cur;
      if (ev != KMB_EV_ENTER) continue;
      if (n->literal) g_string_append_len(s, n->literal, (gssize)n->len);
      /* code may wrap with a continuation mark (para.c mark_at) */
      if ((n->type == KMB_NODE_CODE || n->type == KMB_NODE_CODE_BLOCK) && !has_code)
        g_string_append(s, KMB_PDF_CODE_CHARS), has_code = true;
      if (n->type == KMB_NODE_CALLOUT) add_str(s, n->as.callout.title);
      for (int r = 0; n->type == KMB_NODE_RUBY && r < n->as.ruby.n; r++) add_str(s, n->as.ruby.rt[r]);
      if ((n->type == KMB_NODE_FIGURE || n->type == KMB_NODE_IMAGE) && n->as.image.path) {
        if (n->as.image.probe && n->as.image.probe->format == KMB_IMAGE_SVG) {
          char *svg = NULL;
          gsize sl = 0;
          if (g_file_get_contents(n->as.image.path, &svg, &sl, NULL)) {
            g_string_append_len(s, svg, (gssize)sl);
            g_free(svg);
          }
        }
      }
    }
  }
  /* a character no font has is drawn as the body face's □ (text.c box_glyph) */
  for (const char *q = s->str; *q; q = g_utf8_next_char(q)) {
    gunichar ch = g_utf8_get_char(q);
    if ((ch >= 0xE000 && ch <= 0xF8FF) || ch >= 0x10000) {
      g_string_append(s, KMB_PDF_BOX_CHAR);
      break;
    }
  }
  return g_string_free(s, FALSE);
}

static void geometry(kmb_pdf_ctx *c) {
  const kmb_style *st = c->st;
  c->page_w = st->page_w;
  c->page_h = st->page_h;
  c->em = st->body_size;
  c->pitch = st->body_size * st->line_height;
  /* The measure is a whole number of body characters, so lines of plain
   * Chinese sit on a character grid; what is left goes to both margins. */
  double avail = st->page_w - st->margin_inner - st->margin_outer;
  int chars = (int)floor(avail / c->em + 1e-6);
  if (chars < (int)st->pdf.min_chars) chars = (int)st->pdf.min_chars;
  c->text_w = chars * c->em;
  double extra = avail - c->text_w;
  c->inner = st->margin_inner + extra / 2;
  c->outer = st->margin_outer + extra / 2;
  double availh = st->page_h - st->margin_top - st->margin_bottom;
  c->rows = (int)floor(availh / c->pitch + 1e-6);
  if (c->rows < (int)st->pdf.min_rows) c->rows = (int)st->pdf.min_rows;
  c->text_h = c->rows * c->pitch;
  c->top = st->margin_top;
  if (c->vertical) kmb_vertical_geometry(c);
}

static bool write_book(const kmb_book *book, const kmb_pdf_opts *opts, const char *path,
                       kmb_error *err);

/* Frees what laying out left behind: the notes, the vertical list, the
 * layout's own pages and, if no kmb_pages took them (a failure), the shaped
 * paragraphs, images and the chapter's arena. What later chapters need
 * (destinations, contents) is in c->perm. */
static void release_pages(kmb_pdf_ctx *c) {
  for (guint i = 0; i < c->paras->len; i++) {
    kmb_para *p = g_ptr_array_index(c->paras, i);
    kmb_para_clear(p);
    g_free(p);
  }
  g_ptr_array_set_size(c->paras, 0);
  for (guint i = 0; i < c->imgs->len; i++) kmb_img_release(g_ptr_array_index(c->imgs, i));
  g_ptr_array_set_size(c->imgs, 0);
  for (guint i = 0; i < c->notes->len; i++) {
    kmb_note *n = g_ptr_array_index(c->notes, i);
    if (n) g_ptr_array_free(n->boxes, TRUE);
    g_ptr_array_index(c->notes, i) = NULL;
  }
  g_array_set_size(c->vlist, 0);
  g_ptr_array_set_size(c->pages, 0);
  if (c->arena != c->perm) {
    kmb_arena_drop(c->arena);
    c->arena = c->perm;
  }
}

/* Chapter i laid out from state `in`: its pages (NULL on failure), and in
 * *out the state the next chapter starts from. Everything a chapter carries
 * to the next is in kmb_lstate, so the same state in gives the same pages. */
/* Lays chapter i out and paginates it, its paragraphs in c->loose set a line
 * longer or shorter; false on failure. When one of them cannot be set so,
 * nothing changes and it is not paginated: *set is false. */
static bool lay_out_chapter(kmb_pdf_ctx *c, size_t i, const kmb_lstate *in, bool *set) {
  c->ls = *in;
  c->arena = kmb_arena_new();
  c->loose_set = 0;
  bool ok = kmb_layout_chapter(c, i) && !c->failed;
  *set = c->loose_set == (int)c->loose->len / 2;
  if (ok && !*set) return true;
  return ok && kmb_paginate(c) && !c->failed;
}

static void free_ints(gpointer a) {
  if (a) g_array_free(a, TRUE);
}

#define LOOSE_TRIES 6 /* paragraphs tried per fault, each a line shorter and longer */
#define LOOSE_ROUNDS 4 /* paragraphs set so per chapter, at most */

/* Faults spread.c left (a widow or orphan rule that no short page mends):
 * one paragraph on or before an uneven spread is set a line shorter or
 * longer (TeX's \looseness, para.c) and the chapter laid out again; the
 * first setting with fewer faults stays, and the next fault is tried on top
 * of it; the chapter ends laid out with the best setting found. */
static bool loosen(kmb_pdf_ctx *c, size_t i, const kmb_lstate *in, guint toc_len) {
  GArray *cands = g_array_new(FALSE, FALSE, sizeof(int));
  int best = c->spread_faults;
  bool replay = c->replay, ok = true, last_best = true, set;
  c->replay = true; /* its warnings were given by the first layout */
  for (int round = 0; round < LOOSE_ROUNDS && ok && best > 0 && last_best; round++) {
    g_array_set_size(cands, 0);
    g_array_append_vals(cands, c->loose_cands->data, c->loose_cands->len);
    last_best = false;
    for (guint k = 0; k < cands->len && k < LOOSE_TRIES && ok && !last_best; k++)
      for (int by = -1; by <= 1 && ok && !last_best; by += 2) {
        int req[2] = {g_array_index(cands, int, k), by};
        bool asked = false;
        for (guint r = 0; r < c->loose->len && !asked; r += 2) asked = g_array_index(c->loose, int, r) == req[0];
        if (asked) continue;
        g_array_append_vals(c->loose, req, 2);
        release_pages(c);
        g_array_set_size(c->toc, toc_len);
        ok = lay_out_chapter(c, i, in, &set);
        last_best = ok && set && c->spread_faults < best;
        if (last_best) best = c->spread_faults;
        else g_array_set_size(c->loose, c->loose->len - 2);
      }
  }
  if (ok && !last_best) { /* the last layout tried is not the one kept */
    release_pages(c);
    g_array_set_size(c->toc, toc_len);
    ok = lay_out_chapter(c, i, in, &set);
  }
  c->replay = replay;
  g_array_free(cands, TRUE);
  return ok;
}

static kmb_pages *chapter_pages(kmb_pdf_ctx *c, size_t i, const kmb_lstate *in, kmb_lstate *out) {
  guint toc_len = c->toc->len;
  if (!c->loose_kept) c->loose_kept = g_ptr_array_new_with_free_func(free_ints);
  if (c->loose_kept->len < c->book->n_chapters) g_ptr_array_set_size(c->loose_kept, (int)c->book->n_chapters);
  GArray *kept = g_ptr_array_index(c->loose_kept, i);
  if (!c->loose) c->loose = g_array_new(FALSE, FALSE, sizeof(int));
  g_array_set_size(c->loose, 0);
  if (kept) g_array_append_vals(c->loose, kept->data, kept->len); /* pass 2: found in pass 1 */
  bool set;
  bool ok = lay_out_chapter(c, i, in, &set);
  if (ok && !kept && c->spread_faults > 0 && c->loose_cands && c->loose_cands->len > 0 &&
      c->st->pdf.looseness_max_badness > 0)
    ok = loosen(c, i, in, toc_len);
  if (ok && !kept) g_ptr_array_index(c->loose_kept, i) = g_array_copy(c->loose);
  if (ok) kmb_starts_chapter(c);
  kmb_pages *pp = ok ? kmb_layout_emit(c) : NULL;
  release_pages(c);
  *out = c->ls;
  return pp;
}

/* Pages of laid-out chapters pass 1 keeps for pass 2 instead of laying them
 * out again: a default book or a few hundred pages are laid out once; a
 * longer book keeps its first chapters and no more (about 50 KB a page). */
#define KMB_KEEP_PAGES 400

static bool render_warn(void *data, const char *path, const char *msg) {
  return kmb_pdf_warn(data, path, 0, "%s", msg);
}

/* Memory that does not grow with the book (issue 7). The contents come
 * before the body but need its page numbers, and cairo writes pages in
 * order; so the body is laid out a chapter at a time, in two passes:
 *   1. each chapter is laid out and paginated; its contents entries (with
 *      their page numbers) and page count stay; the chapter's pages are
 *      kept while fewer than KMB_KEEP_PAGES pages are kept, else freed;
 *   2. the front matter is laid out with those numbers and rendered;
 *   3. each chapter, kept or laid out again from the state it started with
 *      in pass 1 (same input, same state: the same pages; its warnings were
 *      given in pass 1), is rendered and freed.
 * The output is what one pass over the whole book would write. */
static bool lay_out_and_render(kmb_pdf_ctx *c, const char *path) {
  const kmb_book *book = c->book;
  size_t n = book->n_chapters;
  kmb_pages **keep = g_new0(kmb_pages *, n ? n : 1);
  kmb_lstate *at = g_new0(kmb_lstate, n + 1); /* the state each chapter starts from */
  int kept_pages = 0;
  bool ok = false;
  GString *dump = NULL;
  kmb_renderer *r = NULL;
  GArray *toc = NULL;
  kmb_pages *front = NULL;
  kmb_layout_begin(c);
  for (size_t i = 0; i < n; i++) {
    kmb_progress_report(c->opts->progress, "PDF layout", (long)i + 1, (long)n);
    at[i] = c->ls;
    kmb_pages *pp = chapter_pages(c, i, &at[i], &c->ls);
    if (!pp) goto done;
    int limit = c->opts->keep_pages ? c->opts->keep_pages : KMB_KEEP_PAGES;
    if (path && kept_pages + (int)pp->pages->len <= limit) { /* (none kept to lay out only) */
      kept_pages += (int)pp->pages->len;
      keep[i] = pp;
    } else {
      kmb_pages_free(pp);
    }
  }
  kmb_lstate end = c->ls;
  c->arena = kmb_arena_new(); /* the front matter's, for its kmb_pages */
  if (!kmb_layout_front(c)) goto done;
  if (c->opts->page_list) kmb_starts_finish(c, c->opts->page_list);
  if (!path) { /* laid out for the page list only */
    release_pages(c);
    ok = true;
    goto done;
  }
  front = kmb_layout_emit(c);
  release_pages(c);
  int total = c->n_front + end.body_pages;
  kmb_pdoc doc;
  kmb_layout_doc(c, &doc);
  dump = c->opts->layout_dump ? g_string_new(NULL) : NULL;
  if (dump) kmb_layout_dump_head(c, dump), kmb_pages_dump(front, dump);
  kmb_render_env env = {c->opts->progress, render_warn, c};
  r = kmb_render_open(&doc, &env, path, c->err);
  if (!r) goto done;
  kmb_render_pages(r, front, total);
  kmb_pages_free(front), front = NULL;

  /* The contents are complete; chapters laid out again add theirs to a
   * scratch array. */
  toc = c->toc;
  c->toc = g_array_new(FALSE, TRUE, sizeof(kmb_toc_entry));
  for (size_t i = 0; i < n; i++) {
    kmb_pages *pp = keep[i];
    keep[i] = NULL;
    if (!pp) {
      kmb_lstate next;
      g_array_set_size(c->toc, 0);
      c->replay = true;
      pp = chapter_pages(c, i, &at[i], &next);
      c->replay = false;
      if (!pp) goto done;
    }
    for (guint k = 0; k < pp->pages->len; k++) {
      kmb_ppage *pg = g_ptr_array_index(pp->pages, k);
      pg->number = c->n_front + at[i].body_pages + (int)k + 1;
    }
    if (dump) kmb_pages_dump(pp, dump);
    kmb_render_pages(r, pp, total);
    kmb_pages_free(pp);
  }
  g_array_free(c->toc, TRUE);
  c->toc = toc, toc = NULL;
  c->ls = end;
  if (dump) {
    kmb_layout_dump_toc(c, dump);
    kmb_pdoc_dump_outline(&doc, dump);
    GError *ge = NULL;
    if (!g_file_set_contents(c->opts->layout_dump, dump->str, (gssize)dump->len, &ge)) {
      kmb_error_set(c->err, KMB_E_IO, c->opts->layout_dump, 0, 0,
                    "cannot write the layout dump: %s", ge->message);
      g_error_free(ge);
      goto done;
    }
  }
  ok = kmb_render_close(r);
  r = NULL;
done:
  if (r) kmb_render_close(r);
  if (toc) {
    g_array_free(c->toc, TRUE);
    c->toc = toc;
  }
  kmb_pages_free(front);
  for (size_t i = 0; i < n; i++) kmb_pages_free(keep[i]);
  if (dump) g_string_free(dump, TRUE);
  g_free(keep), g_free(at);
  return ok;
}

bool kmb_pdf_write(const kmb_book *book, const kmb_pdf_opts *opts, const char *path,
                   kmb_error *err) {
  /* Numbers in cairo tag attributes ("x=12.5") and in the layout dump must
   * use a decimal point whatever LC_NUMERIC the program runs under. */
  locale_t base = duplocale(LC_GLOBAL_LOCALE); /* other categories stay as they are */
  locale_t c_num = base ? newlocale(LC_NUMERIC_MASK, "C", base) : (locale_t)0;
  if (base && !c_num) freelocale(base);
  locale_t old_loc = c_num ? uselocale(c_num) : (locale_t)0;
  bool ok = write_book(book, opts, path, err);
  if (c_num) {
    uselocale(old_loc);
    freelocale(c_num);
  }
  return ok;
}

static bool write_book(const kmb_book *book, const kmb_pdf_opts *opts, const char *path,
                       kmb_error *err) {
  kmb_style defaults;
  const kmb_style *st = opts->style;
  if (!st) {
    kmb_style_load(&defaults, NULL, err);
    st = &defaults;
  }
  kmb_pdf_ctx c = {0};
  c.book = book;
  c.opts = opts;
  c.st = st;
  c.err = err;
  c.fonts = kmb_fonts_new(opts->datadir, st, err);
  if (!c.fonts) return false;
  bool ok = false;

  /* The faces are cut down to what the book sets (the cover's strings are
   * metadata, which book_chars includes). */
  if (!opts->no_font_subset) {
    char *chars = book_chars(book);
    kmb_error se;
    kmb_error_clear(&se);
    if (!kmb_fonts_subset(c.fonts, st, chars, &se) &&
        !kmb_warn_or_fail(opts->diag, err, KMB_E_FONT, se.path[0] ? se.path : NULL, 0, 0,
                          "fonts are embedded without pre-subsetting (larger PDF): %s", se.msg)) {
      g_free(chars);
      kmb_fonts_drop(c.fonts);
      return false;
    }
    g_free(chars);
  }

  PangoFontMap *fm = kmb_fonts_fontmap(c.fonts);
  c.pc = pango_font_map_create_context(fm);
  /* Measured (notes/library-facts.md): 96 dpi by default would turn 10.5 pt
   * into 14 pt; rounding would make 10 ideographs 110 pt instead of 105. */
  pango_cairo_context_set_resolution(c.pc, 72);
  pango_context_set_round_glyph_positions(c.pc, FALSE);
  pango_context_set_language(c.pc, pango_language_from_string(book->pango_lang));
  cairo_font_options_t *fo = cairo_font_options_create();
  cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options(c.pc, fo);
  cairo_font_options_destroy(fo);
  c.vertical = book->writing == KMB_WRITING_VERTICAL;
  if (c.vertical) kmb_vertical_context(c.pc);

  c.perm = kmb_arena_new();
  c.arena = c.perm;
  c.paras = g_ptr_array_new();
  c.imgs = g_ptr_array_new();
  c.dests = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  c.vlist = g_array_new(FALSE, TRUE, sizeof(kmb_vitem));
  c.pages = g_ptr_array_new();
  c.toc = g_array_new(FALSE, TRUE, sizeof(kmb_toc_entry));
  c.notes = g_ptr_array_new();
  c.warned = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
  if (opts->page_list) c.starts = g_array_new(FALSE, TRUE, sizeof(kmb_page_start));
  geometry(&c);

  bool laid = lay_out_and_render(&c, path);
  if (!kmb_text_warn_missing(&c) || !laid) goto out;
  if (c.failed) goto out;
  if (path && !kmb_pdf_set_lang(path, book->pdf_lang, c.vertical, err)) goto out;
  ok = true;
out:
  release_pages(&c);
  g_ptr_array_free(c.paras, TRUE);
  g_ptr_array_free(c.imgs, TRUE);
  g_ptr_array_free(c.notes, TRUE);
  g_hash_table_destroy(c.dests);
  g_hash_table_destroy(c.warned);
  g_array_free(c.vlist, TRUE);
  g_ptr_array_free(c.pages, TRUE);
  g_array_free(c.toc, TRUE);
  if (c.starts) g_array_free(c.starts, TRUE);
  if (c.loose_cands) g_array_free(c.loose_cands, TRUE);
  if (c.loose) g_array_free(c.loose, TRUE);
  if (c.loose_kept) g_ptr_array_free(c.loose_kept, TRUE);
  kmb_arena_drop(c.perm);
  g_object_unref(c.pc);
  kmb_fonts_drop(c.fonts);
  return ok;
}
