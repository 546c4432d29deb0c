/* Loading a book: a folder with book.yaml, or one Markdown file: files,
 * limits, UTF-8, front matter, splitting into chapters, figures, local image
 * paths (which must exist inside the book folder) and footnotes. Then
 * kmb_book_resolve (resolve.c) works out what the writers need. */
#include "read/read-imp.h"
#include "read/convert.h"
#include "read/resolve.h"
#include "base/file.h"
#include "base/utf8.h"

#include <errno.h>
#include <glib.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { KMB_MAX_FILE = 64 * 1024 * 1024 }; /* one manuscript file; see README "Limits" */

bool kmb_read_check_text(const char *text, size_t len, const char *path, kmb_error *err) {
  size_t bad = 0;
  bool nul = false;
  if (kmb_utf8_check(text, len, &bad, &nul)) return true;
  int line = 1, col = 1;
  for (size_t i = 0; i < bad; i++) {
    if (text[i] == '\n')
      line++, col = 1;
    else
      col++;
  }
  if (nul) {
    return kmb_error_set(err, KMB_E_SYNTAX, path, line, col,
                         "NUL byte in text — the file is binary or corrupt; save it as UTF-8 text");
  }
  return kmb_error_set(err, KMB_E_SYNTAX, path, line, col,
                       "invalid UTF-8 (byte 0x%02X at offset %zu) — re-save the file as UTF-8",
                       (unsigned char)text[bad], bad);
}

static void note_mtime(kmb_book *b, const char *path) {
  GStatBuf st;
  if (g_stat(path, &st) == 0 && (long long)st.st_mtime > b->newest_mtime) {
    b->newest_mtime = (long long)st.st_mtime;
  }
}

/* Reads a manuscript file: size limit, BOM stripped, UTF-8 and NUL checked. */
static char *read_text(kmb_book *b, const char *path, const char *shown, size_t *len,
                       kmb_error *err) {
  GStatBuf st;
  if (g_stat(path, &st) != 0) {
    kmb_error_set(err, KMB_E_IO, shown, 0, 0, "cannot open: %s — check the path",
                  g_strerror(errno));
    return NULL;
  }
  if (!S_ISREG(st.st_mode)) {
    kmb_error_set(err, KMB_E_IO, shown, 0, 0, "not a regular file — give a Markdown file");
    return NULL;
  }
  if (st.st_size > KMB_MAX_FILE) {
    kmb_error_set(err, KMB_E_LIMIT, shown, 0, 0,
                  "file is %lld bytes, over kmbook's limit of 64 MiB per file — split it into "
                  "chapters",
                  (long long)st.st_size);
    return NULL;
  }
  char *text = kmb_file_read_as(path, shown, len, err);
  if (!text) return NULL;
  note_mtime(b, path);
  if (*len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
    memmove(text, text + 3, *len - 3 + 1);
    *len -= 3;
  }
  if (!kmb_read_check_text(text, *len, shown, err)) {
    g_free(text);
    return NULL;
  }
  return text;
}

bool kmb_read_has_scheme(const char *url) {
  const char *p = url;
  if (!g_ascii_isalpha(*p)) return false;
  while (g_ascii_isalnum(*p) || *p == '+' || *p == '-' || *p == '.')
    p++;
  return *p == ':' && p - url > 1; /* "C:" drive letters are not schemes */
}

/* Resolves a local reference (image/cover) against `base_dir`, requiring it
 * to stay inside the book folder, symlinks included. Returns an arena path. */
static const char *resolve_local(kmb_book *b, const char *base_dir, const char *url,
                                 const char *shown, int line, int col, const char *what,
                                 kmb_error *err) {
  char *dec = g_uri_unescape_string(url, NULL);
  if (!dec) dec = g_strdup(url);
  char *q = strpbrk(dec, "?#");
  if (q) *q = '\0';
  char *joined = g_path_is_absolute(dec) ? g_strdup(dec) : g_build_filename(base_dir, dec, NULL);
  char *real = realpath(joined, NULL);
  const char *result = NULL;
  if (!real) {
    kmb_error_set(err, KMB_E_IO, shown, line, col,
                  "%s '%s' not found — put the file in the book folder or fix the path", what, dec);
  } else {
    size_t dl = strlen(b->dir);
    if (strncmp(real, b->dir, dl) != 0 || (real[dl] != '/' && real[dl] != '\0')) {
      kmb_error_set(err, KMB_E_FORMAT, shown, line, col,
                    "%s '%s' is outside the book folder — copy it into the book folder", what, dec);
    } else {
      GStatBuf st;
      if (g_stat(real, &st) != 0 || !S_ISREG(st.st_mode)) {
        kmb_error_set(err, KMB_E_FORMAT, shown, line, col, "%s '%s' is not a file", what, dec);
      } else {
        result = kmb_arena_strdup(b->arena, real);
        note_mtime(b, real);
      }
    }
  }
  free(real);
  g_free(joined);
  g_free(dec);
  return result;
}

typedef struct loader {
  kmb_book *b;
  const kmb_read_opts *opts;
  kmb_error *err;
  GArray *chs;         /* kmb_chapter, grown by add_markdown; b->chapters points into it
                          until own_chapters moves it to the arena */
} loader;

static const kmb_diag *diag_of(loader *L) {
  return L->opts ? L->opts->diag : NULL;
}

/* Image alone in its paragraph (whitespace aside) → FIGURE. */
static kmb_node *lone_image(kmb_node *para) {
  kmb_node *img = NULL;
  for (kmb_node *c = para->first; c; c = c->next) {
    if (c->type == KMB_NODE_IMAGE && !img) {
      img = c;
    } else if (c->type == KMB_NODE_TEXT) {
      for (size_t i = 0; i < c->len; i++) {
        if (!g_ascii_isspace(c->literal[i])) return NULL;
      }
    } else if (c->type != KMB_NODE_SOFTBREAK) {
      return NULL;
    }
  }
  return img;
}

static void make_figures(kmb_node *n) {
  for (kmb_node *c = n->first; c; c = c->next) {
    if (c->type == KMB_NODE_PARAGRAPH) {
      kmb_node *img = lone_image(c);
      if (img) {
        c->type = KMB_NODE_FIGURE;
        c->as.image = img->as.image;
        c->line = img->line, c->col = img->col;
        c->first = c->last = NULL;
        for (kmb_node *a = img->first, *nx; a; a = nx) {
          nx = a->next;
          kmb_node_append(c, a);
        }
      }
    } else if (kmb_node_is_block(c->type)) {
      make_figures(c);
    }
  }
}

/* A local image must exist inside the book folder; a URL is marked remote
 * (writers warn and show the alt text). */
static bool resolve_image(loader *L, const kmb_chapter *ch, const char *dir, kmb_node *n) {
  kmb_image *im = &n->as.image;
  if (kmb_read_has_scheme(im->url) || g_str_has_prefix(im->url, "//")) {
    im->remote = true;
    return true;
  }
  if (!*im->url) {
    return kmb_error_set(L->err, KMB_E_FORMAT, ch->path, n->line, n->col,
                         "image without a path — write ![description](file.png)");
  }
  im->path = resolve_local(L->b, dir, im->url, ch->path, n->line, n->col, "image", L->err);
  return im->path != NULL;
}

/* One walk per chapter finds local images (internal links and footnote
 * numbers are resolve.c's). */
static bool load_refs(loader *L, size_t ci) {
  kmb_chapter *ch = &L->b->chapters[ci];
  char *dir = g_path_get_dirname(ch->path);
  kmb_iter it;
  kmb_iter_init(&it, ch->root);
  bool ok = true;
  for (kmb_event ev; ok && (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    if (ev != KMB_EV_ENTER) continue;
    kmb_node *n = (kmb_node *)it.cur;
    if (n->type == KMB_NODE_IMAGE || n->type == KMB_NODE_FIGURE) ok = resolve_image(L, ch, dir, n);
  }
  g_free(dir);
  return ok;
}

static bool finish(loader *L) {
  kmb_book *b = L->b;
  if (b->n_chapters == 0) {
    return kmb_error_set(L->err, KMB_E_FORMAT, b->meta_path, 0, 0,
                         "the book has no chapters — add Markdown files to `chapters:`");
  }
  kmb_read_parallel_titles(b); /* may drop chapters: before their ids */
  for (size_t i = 0; i < b->n_chapters; i++) {
    kmb_chapter *ch = &b->chapters[i];
    ch->id = kmb_arena_printf(b->arena, "ch%02zu", i + 1);
    make_figures(ch->root);
  }
  bool ok = true;
  for (size_t i = 0; ok && i < b->n_chapters; i++)
    ok = load_refs(L, i);
  if (!ok || !kmb_book_resolve(b, L->opts, L->err)) return false;
  return !L->opts || !L->opts->convert || kmb_book_convert(b, L->opts->convert, L->err);
}

static kmb_book *book_new(const char *dir) {
  kmb_arena *a = kmb_arena_new();
  kmb_book *b = kmb_arena_alloc(a, sizeof *b);
  b->arena = a;
  b->dir = kmb_arena_strdup(a, dir);
  return b;
}

static bool resolve_cover(loader *L, kmb_yaml_meta *ym, const char *meta_path) {
  if (!ym->cover_raw) return true;
  if (kmb_read_has_scheme(ym->cover_raw)) {
    return kmb_error_set(L->err, KMB_E_FORMAT, meta_path, ym->cover_line, 1,
                         "the cover must be a local image file, not a URL");
  }
  L->b->meta.cover = resolve_local(L->b, L->b->dir, ym->cover_raw, meta_path, ym->cover_line, 1,
                                   "cover image", L->err);
  return L->b->meta.cover != NULL;
}

/* Records, for each footnote label referenced under `root`, chapter `c`
 * (stored as c + 1) unless an earlier chapter is already recorded. */
static void note_refs(GHashTable *first_ref, const kmb_node *root, guint c) {
  kmb_iter it;
  kmb_iter_init(&it, root);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    if (ev != KMB_EV_ENTER || it.cur->type != KMB_NODE_FOOTNOTE_REF) continue;
    const char *label = it.cur->as.note.label;
    guint old = GPOINTER_TO_UINT(g_hash_table_lookup(first_ref, label));
    if (!old || old > c + 1)
      g_hash_table_insert(first_ref, (gpointer)label, GUINT_TO_POINTER(c + 1));
  }
}

/* A single file that opens with raw HTML only (a <style> block, a comment)
 * before its first heading: that is no chapter of its own (it would be
 * listed in the contents under no title); its blocks go after the next
 * chapter's heading. */
static void merge_html_preamble(GArray *chs, guint first) {
  if (chs->len < first + 2) return;
  kmb_node *pre = g_array_index(chs, kmb_chapter, first).root;
  kmb_node *next = g_array_index(chs, kmb_chapter, first + 1).root;
  for (kmb_node *n = pre->first; n; n = n->next) {
    if (n->type != KMB_NODE_HTML_BLOCK) return;
  }
  kmb_node *h = next->first; /* the heading that started the next chapter */
  kmb_node *after = h->next;
  for (kmb_node *n = pre->first, *nx; n; n = nx) {
    nx = n->next;
    kmb_node_unlink(n);
    n->parent = next;
    n->prev = after ? after->prev : next->last;
    n->next = after;
    if (n->prev) n->prev->next = n;
    if (after) after->prev = n;
    else next->last = n;
  }
  g_array_remove_index(chs, first);
}

/* Parses a chapter body and appends its top-level blocks, splitting into
 * chapters at level-1 headings when `split` is set. */
static bool add_markdown(loader *L, const char *path, const char *rel, const char *body,
                         size_t body_len, int line0, bool split) {
  kmb_book *b = L->b;
  kmb_node *root = kmb_read_markdown(b, body, body_len, line0, L->err);
  if (!root) {
    snprintf(L->err->path, sizeof L->err->path, "%s", path);
    return false;
  }
  /* One array for the whole book: copying the chapter list on every file
   * made 10,000 chapters take seconds and gigabytes. */
  if (!L->chs) L->chs = g_array_new(FALSE, TRUE, sizeof(kmb_chapter));
  GArray *chs = L->chs;
  const guint first_new = chs->len;
  if (!split) {
    kmb_chapter ch = {path, rel, NULL, NULL, root, NULL, NULL};
    if (root->first)
      g_array_append_val(chs, ch);
    else if (!kmb_warn_or_fail(diag_of(L), L->err, KMB_E_FORMAT, path, 0, 0,
                               "chapter file has no text and is skipped"))
      return false; /* --strict */
  } else {
    /* Footnote definitions go to the chapter of their first reference. */
    kmb_node *cur = NULL;
    GPtrArray *defs = g_ptr_array_new();
    for (kmb_node *n = root->first, *nx; n; n = nx) {
      nx = n->next;
      kmb_node_unlink(n);
      if (n->type == KMB_NODE_FOOTNOTE_DEF) {
        g_ptr_array_add(defs, n);
        continue;
      }
      if (!cur || (n->type == KMB_NODE_HEADING && n->as.heading.level == 1 && cur->first)) {
        cur = kmb_node_new(b->arena, KMB_NODE_ROOT, n->line, 1);
        kmb_chapter ch = {path, rel, NULL, NULL, cur, NULL, NULL};
        g_array_append_val(chs, ch);
      }
      kmb_node_append(cur, n);
    }
    merge_html_preamble(chs, first_new);
    /* label → 1 + index of the first chapter with a reference to it, built
     * in one walk (searching every chapter for every definition was
     * quadratic: 40,000 footnotes took minutes). A definition placed in a
     * chapter counts for the references inside it, as before. */
    GHashTable *first_ref = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint c = first_new; c < chs->len; c++) {
      note_refs(first_ref, g_array_index(chs, kmb_chapter, c).root, c);
    }
    for (guint d = 0; d < defs->len; d++) {
      kmb_node *def = defs->pdata[d];
      if (!chs->len) break;
      guint c = GPOINTER_TO_UINT(g_hash_table_lookup(first_ref, def->as.note.label));
      c = c ? c - 1 : chs->len - 1;
      kmb_node_append(g_array_index(chs, kmb_chapter, c).root, def);
      note_refs(first_ref, def, c);
    }
    g_hash_table_destroy(first_ref);
    g_ptr_array_free(defs, TRUE);
  }
  b->n_chapters = chs->len;
  b->chapters = (kmb_chapter *)(void *)chs->data;
  return true;
}

/* Moves the chapter list into the book's arena (and frees the array, also
 * on failure paths). */
static void own_chapters(loader *L) {
  kmb_book *b = L->b;
  if (!L->chs) return;
  b->n_chapters = L->chs->len;
  b->chapters =
      kmb_arena_alloc(b->arena, (b->n_chapters ? b->n_chapters : 1) * sizeof(kmb_chapter));
  if (b->n_chapters) memcpy(b->chapters, L->chs->data, b->n_chapters * sizeof(kmb_chapter));
  g_array_free(L->chs, TRUE);
  L->chs = NULL;
}

enum { KMB_MAX_CHAPTERS = 100000 };

static kmb_book *load_folder(const char *dir, const kmb_read_opts *opts, kmb_error *err) {
  kmb_book *b = book_new(dir);
  loader L = {.b = b, .opts = opts, .err = err};
  char *meta_path = g_build_filename(dir, "book.yaml", NULL);
  b->meta_path = kmb_arena_strdup(b->arena, meta_path);
  size_t len = 0;
  char *text = NULL;
  kmb_yaml_meta ym = {0};
  if (!g_file_test(meta_path, G_FILE_TEST_EXISTS)) {
    kmb_error_set(err, KMB_E_IO, meta_path, 0, 0,
                  "no book.yaml in the book folder — add one with `title:` and `chapters:`");
    goto fail;
  }
  text = read_text(b, meta_path, meta_path, &len, err);
  if (!text || !kmb_read_yaml_meta(b, text, len, meta_path, 1, opts, &ym, err)) goto fail;
  if (!ym.chapters) {
    kmb_error_set(err, KMB_E_FORMAT, meta_path, 1, 1,
                  "book.yaml lists no chapters — add `chapters:` with one `- file.md` per line");
    goto fail;
  }
  if (ym.n_chapters > KMB_MAX_CHAPTERS) {
    kmb_error_set(err, KMB_E_LIMIT, meta_path, ym.chapter_lines[KMB_MAX_CHAPTERS],
                  ym.chapter_cols[KMB_MAX_CHAPTERS],
                  "book.yaml lists %zu chapters, over kmbook's limit of %d — merge chapter files",
                  ym.n_chapters, KMB_MAX_CHAPTERS);
    goto fail;
  }
  if (!resolve_cover(&L, &ym, meta_path)) goto fail;
  for (size_t i = 0; i < ym.n_chapters; i++) {
    const char *rel = ym.chapters[i];
    char *p = g_build_filename(dir, rel, NULL);
    char *real = realpath(p, NULL);
    if (!real) {
      kmb_error_set(err, KMB_E_IO, meta_path, ym.chapter_lines[i], ym.chapter_cols[i],
                    "chapter file '%s' is listed but missing — create it or fix the list", rel);
      g_free(p);
      goto fail;
    }
    size_t dl = strlen(b->dir);
    if (strncmp(real, b->dir, dl) != 0 || real[dl] != '/') {
      kmb_error_set(err, KMB_E_FORMAT, meta_path, ym.chapter_lines[i], ym.chapter_cols[i],
                    "chapter file '%s' is outside the book folder — move it into the folder", rel);
      free(real);
      g_free(p);
      goto fail;
    }
    size_t clen = 0;
    char *ctext = read_text(b, real, real, &clen, err);
    g_free(p);
    if (!ctext) {
      free(real);
      goto fail;
    }
    const char *fm = NULL, *body = NULL;
    size_t fm_len = 0, body_line = 1;
    bool ok = true;
    kmb_book tmp = *b;
    tmp.meta = (kmb_meta){0};
    if (kmb_read_front_matter(ctext, clen, &fm, &fm_len, &body, &body_line)) {
      /* chapter front matter: its keys are not book metadata, but its
       * title names the chapter and keep-indents applies to it */
      ok = kmb_read_yaml_meta(&tmp, fm, fm_len, real, 2, NULL, NULL, err);
    }
    const char *arel = kmb_arena_strdup(b->arena, rel);
    const char *apath = kmb_arena_strdup(b->arena, real);
    free(real);
    guint before = L.chs ? L.chs->len : 0;
    if (ok)
      ok =
          add_markdown(&L, apath, arel, body, clen - (size_t)(body - ctext), (int)body_line, false);
    if (ok && L.chs && L.chs->len > before) {
      kmb_chapter *ch = &g_array_index(L.chs, kmb_chapter, L.chs->len - 1);
      /* book.yaml's {file, title} first: the book's editor has the last word */
      const char *given = ym.chapter_titles && ym.chapter_titles[i] ? ym.chapter_titles[i]
                                                                    : tmp.meta.title;
      ch->given_title = given && *given ? given : NULL;
      kmb_read_manuscript(b, ch, 1, body, clen - (size_t)(body - ctext), (int)body_line,
                          b->meta.keep_indents || tmp.meta.keep_indents);
    }
    g_free(ctext);
    if (!ok) goto fail;
  }
  own_chapters(&L);
  if (!finish(&L)) goto fail;
  g_free(text);
  g_free(meta_path);
  return b;
fail:
  own_chapters(&L);
  g_free(text);
  g_free(meta_path);
  kmb_book_drop(b);
  return NULL;
}

kmb_book *kmb_book_from_markdown(const char *text, size_t len, const char *name, const char *dir,
                                 const kmb_read_opts *opts, kmb_error *err) {
  kmb_book *b = book_new(dir ? dir : "/nonexistent-kmbook-dir");
  loader L = {.b = b, .opts = opts, .err = err};
  b->meta_path = kmb_arena_strdup(b->arena, name);
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3, len -= 3;
  if (!kmb_read_check_text(text, len, name, err)) goto fail;
  const char *fm = NULL, *body = text;
  size_t fm_len = 0, body_line = 1;
  kmb_yaml_meta ym = {0};
  if (kmb_read_front_matter(text, len, &fm, &fm_len, &body, &body_line)) {
    if (!kmb_read_yaml_meta(b, fm, fm_len, name, 2, opts, &ym, err)) goto fail;
    if (ym.chapters) {
      if (!kmb_warn_or_fail(opts ? opts->diag : NULL, err, KMB_E_FORMAT, name, 2, 1,
                            "`chapters:` is ignored in a single-file book (chapters start at "
                            "each # heading)"))
        goto fail;
    }
    if (!resolve_cover(&L, &ym, name)) goto fail;
  }
  char *path = dir ? g_build_filename(dir, name, NULL) : g_strdup(name);
  const char *apath = kmb_arena_strdup(b->arena, path);
  g_free(path);
  if (!add_markdown(&L, apath, b->meta_path, body, len - (size_t)(body - text), (int)body_line,
                    true))
    goto fail;
  if (L.chs)
    kmb_read_manuscript(b, (kmb_chapter *)(void *)L.chs->data, L.chs->len, body,
                        len - (size_t)(body - text), (int)body_line, b->meta.keep_indents);
  own_chapters(&L);
  if (!finish(&L)) goto fail;
  return b;
fail:
  own_chapters(&L);
  kmb_book_drop(b);
  return NULL;
}

kmb_book *kmb_book_load(const char *path, const kmb_read_opts *opts, kmb_error *err) {
  GStatBuf st;
  if (g_stat(path, &st) != 0) {
    kmb_error_set(err, KMB_E_IO, path, 0, 0,
                  "book not found: %s — give a book folder (with book.yaml) or a .md file",
                  g_strerror(errno));
    return NULL;
  }
  char *real = realpath(path, NULL);
  if (!real) {
    kmb_error_set(err, KMB_E_IO, path, 0, 0, "cannot resolve path: %s", g_strerror(errno));
    return NULL;
  }
  kmb_book *b = NULL;
  if (S_ISDIR(st.st_mode)) {
    b = load_folder(real, opts, err);
  } else {
    char *dir = g_path_get_dirname(real);
    char *base = g_path_get_basename(real);
    kmb_book tmpb = {0};
    tmpb.arena = kmb_arena_new();
    size_t len = 0;
    char *text = read_text(&tmpb, real, path, &len, err);
    if (text) {
      b = kmb_book_from_markdown(text, len, base, dir, opts, err);
      if (b)
        b->newest_mtime = tmpb.newest_mtime > b->newest_mtime ? tmpb.newest_mtime : b->newest_mtime;
    }
    g_free(text);
    kmb_arena_drop(tmpb.arena);
    g_free(dir);
    g_free(base);
  }
  free(real);
  return b;
}
