/* The resolve step (see resolve.h): titles, heading levels and ids, links,
 * language and labels, identifier, image probes. Runs once on a loaded
 * book; writers only read what it fills in. */
#include "read/resolve.h"
#include "read/read-imp.h"
#include "read/callout.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib.h>
#include <librsvg/rsvg.h>
#include <stdlib.h>
#include <string.h>

typedef struct resolver {
  kmb_book *b;
  const kmb_read_opts *opts;
  kmb_error *err;
  GHashTable **slugs;  /* per chapter: slug or id → heading id */
  GHashTable *by_path; /* chapter source path → first chapter index + 1 */
  GHashTable *probes;  /* image path → kmb_image_probe * (arena) */
} resolver;

static const kmb_diag *diag_of(resolver *R) {
  return R->opts ? R->opts->diag : NULL;
}

/* --- titles, heading levels and ids --- */

/* The title of a chapter nothing names (no heading, no given title): its
 * number, in the book's language, never its file name. */
static const char *numbered_title(kmb_book *b, size_t ci) {
  const char *l = b->meta.lang ? b->meta.lang : "zh";
  if (g_str_has_prefix(l, "zh") || g_str_has_prefix(l, "ja"))
    return kmb_arena_printf(b->arena, "第%zu章", ci + 1);
  if (g_str_has_prefix(l, "ko")) return kmb_arena_printf(b->arena, "제%zu장", ci + 1);
  return kmb_arena_printf(b->arena, "Chapter %zu", ci + 1);
}

/* A chapter's title, in this order: its opening level-1 heading; the title
 * given in book.yaml ({file, title}) or its front matter, set as a level-1
 * heading of its own (the chapter's own headings then go below it); its
 * first heading; its number (with a warning). A title set before (books
 * built by hand) is kept. Returns false if the warning is refused. */
static bool set_chapter_title(resolver *R, size_t ci) {
  kmb_book *b = R->b;
  kmb_chapter *ch = &b->chapters[ci];
  kmb_node *first = ch->root->first;
  bool top_h1 = first && first->type == KMB_NODE_HEADING && first->as.heading.level == 1;
  if (!top_h1 && ch->given_title) {
    kmb_node *h = kmb_node_new(b->arena, KMB_NODE_HEADING, first ? first->line : 1, 1);
    h->as.heading.level = 1;
    kmb_node *t = kmb_node_new(b->arena, KMB_NODE_TEXT, h->line, 1);
    t->literal = ch->given_title;
    t->len = strlen(t->literal);
    kmb_node_append(h, t);
    h->parent = ch->root;
    h->next = first;
    if (first) first->prev = h;
    else ch->root->last = h;
    ch->root->first = h;
    first = h;
  }
  kmb_node *h = NULL;
  for (kmb_node *n = ch->root->first; n; n = n->next) {
    if (n->type == KMB_NODE_HEADING && (!h || n->as.heading.level < h->as.heading.level)) {
      h = n;
      if (h->as.heading.level == 1) break;
    }
  }
  ch->title_heading = first && first->type == KMB_NODE_HEADING ? first : NULL;
  if (ch->title) return true;
  if (h) {
    ch->title = kmb_node_text(b->arena, h);
    return true;
  }
  ch->title = numbered_title(b, ci);
  if (!R->opts) return true; /* kmb_resolve_headings: no sink */
  return kmb_warn_or_fail(diag_of(R), R->err, KMB_E_FORMAT, ch->path, 0, 0,
                          "the chapter has no heading and no title, so it is called '%s' — give "
                          "it a title in book.yaml (`- {file: %s, title: …}`) or in its front "
                          "matter (`title: …`)",
                          ch->title, ch->rel);
}

/* A single-file book without `title:` is titled by its first level-1
 * heading (as pandoc does); otherwise the first chapter's title, with a
 * warning. Never a file name. */
static bool set_book_title(resolver *R) {
  kmb_book *b = R->b;
  if (b->meta.title || !b->n_chapters) return true;
  bool single = true;
  for (size_t i = 1; i < b->n_chapters; i++)
    single &= strcmp(b->chapters[i].path, b->chapters[0].path) == 0;
  for (size_t i = 0; single && i < b->n_chapters; i++) {
    for (const kmb_node *n = b->chapters[i].root->first; n; n = n->next) {
      if (n->type == KMB_NODE_HEADING && n->as.heading.level == 1) {
        char *t = g_strstrip(kmb_node_text(b->arena, n));
        if (!*t) continue; /* an empty `#`: no title */
        b->meta.title = t;
        return true;
      }
    }
  }
  b->meta.title = b->chapters[0].title;
  return kmb_warn_or_fail(diag_of(R), R->err, KMB_E_FORMAT, b->meta_path, 0, 0,
                          "no `title:` in the metadata, so the book is titled by its first "
                          "chapter, '%s' — add `title: …`",
                          b->meta.title);
}

/* GitHub-style slug of heading text: lower-case ASCII, spaces → '-', other
 * ASCII punctuation dropped, non-ASCII (CJK) kept. Used to match "#fragment"
 * links written by hand. */
static char *slugify(const char *text) {
  GString *s = g_string_new(NULL);
  for (const char *p = text; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch >= 0x80)
      g_string_append_c(s, (char)ch);
    else if (g_ascii_isalnum(ch))
      g_string_append_c(s, (char)g_ascii_tolower(ch));
    else if (ch == ' ' || ch == '-' || ch == '_')
      g_string_append_c(s, ch == ' ' ? '-' : (char)ch);
  }
  return g_string_free(s, FALSE);
}

/* Levels (the rule is in resolve.h) and ids "<chapter id>-<k>", k counting
 * the chapter's headings in document order: unique in the book (chapter
 * ids are), NCNames, and never one of the writers' own ids (fn-1, toc...). */
static void resolve_headings(resolver *R, size_t ci) {
  kmb_chapter *ch = &R->b->chapters[ci];
  GHashTable *slugs = R->slugs ? R->slugs[ci] : NULL;
  int src[8], out[8], depth = 0, k = 0;
  kmb_iter it;
  kmb_iter_init(&it, ch->root);
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    if (ev != KMB_EV_ENTER || it.cur->type != KMB_NODE_HEADING) continue;
    kmb_node *n = (kmb_node *)it.cur;
    int L = n->as.heading.level, lvl;
    if (n == ch->title_heading) {
      lvl = 1;
    } else {
      while (depth > 0 && src[depth - 1] >= L) depth--;
      lvl = depth == 0 ? 2 : out[depth - 1] + 1;
      if (lvl > 6) lvl = 6;
    }
    if (depth < 8) src[depth] = L, out[depth] = lvl, depth++;
    n->as.heading.out_level = lvl;
    n->as.heading.id = kmb_arena_printf(R->b->arena, "%s-%d", ch->id, ++k);
    if (!slugs) continue;
    char *slug = slugify(kmb_node_text(R->b->arena, n));
    if (*slug && !g_hash_table_contains(slugs, slug))
      g_hash_table_insert(slugs, slug, (gpointer)n->as.heading.id);
    else
      g_free(slug);
    g_hash_table_insert(slugs, g_strdup(n->as.heading.id), (gpointer)n->as.heading.id);
    /* `{#name}`: the manuscript's own link target for this heading */
    if (n->as.heading.name && !g_hash_table_contains(slugs, n->as.heading.name))
      g_hash_table_insert(slugs, g_strdup(n->as.heading.name), (gpointer)n->as.heading.id);
  }
}

/* --- internal links --- */

static bool is_unsafe_scheme(const char *url) {
  static const char *bad[] = {"javascript:", "vbscript:", "data:", "file:"};
  char *low = g_ascii_strdown(url, -1);
  char *s = g_strstrip(low);
  bool r = false;
  for (size_t i = 0; i < G_N_ELEMENTS(bad); i++)
    r |= g_str_has_prefix(s, bad[i]);
  g_free(low);
  return r;
}

/* First chapter read from `real` (a split single-file book has several, in a row). */
static int chapter_by_path(resolver *R, const char *real) {
  gpointer v = g_hash_table_lookup(R->by_path, real);
  return v ? GPOINTER_TO_INT(v) - 1 : -1;
}

/* Internal links ("#frag", "other.md", "other.md#frag") get their target
 * chapter and heading id; unsafe or dangling ones are dropped with a warning. */
static bool resolve_link(resolver *R, size_t ci, const char *dir, kmb_node *n) {
  kmb_book *b = R->b;
  kmb_chapter *ch = &b->chapters[ci];
  kmb_link *lk = &n->as.link;
  bool ok = true;
  lk->chapter = -1;
  if (is_unsafe_scheme(lk->url)) {
    lk->unsafe = true;
    return kmb_warn_or_fail(diag_of(R), R->err, KMB_E_FORMAT, ch->path, n->line, n->col,
                            "link target '%.60s' is not allowed in a book and is dropped", lk->url);
  }
  if (kmb_read_has_scheme(lk->url) || g_str_has_prefix(lk->url, "//") || !*lk->url) return true;
  const char *hash = strchr(lk->url, '#');
  char *file = hash ? g_strndup(lk->url, (gsize)(hash - lk->url)) : g_strdup(lk->url);
  char *frag = hash ? g_uri_unescape_string(hash + 1, NULL) : NULL;
  int target = (int)ci;
  if (*file) {
    char *dec = g_uri_unescape_string(file, NULL);
    char *joined = g_build_filename(dir, dec ? dec : file, NULL);
    char *real = realpath(joined, NULL);
    target = real ? chapter_by_path(R, real) : -1;
    free(real);
    g_free(joined);
    g_free(dec);
  }
  if (target < 0) {
    lk->unsafe = true;
    ok = kmb_warn_or_fail(
        diag_of(R), R->err, KMB_E_FORMAT, ch->path, n->line, n->col,
        "link to '%s' does not point to a chapter of this book; the link is dropped "
        "(use a full https:// URL for web pages)",
        lk->url);
  } else {
    lk->chapter = target;
    lk->fragment = "";
    if (frag && *frag) {
      /* A single-file book is split into several chapters: look in every
       * chapter that came from the target's file, the target first. */
      const char *id = NULL;
      const char *tpath = b->chapters[target].path;
      size_t first = (size_t)chapter_by_path(R, tpath);
      for (size_t k = 0; !id && k <= b->n_chapters - first; k++) {
        size_t cj = k == 0 ? (size_t)target : first + k - 1;
        if (k > 0 && cj == (size_t)target) continue;
        if (cj >= b->n_chapters || strcmp(b->chapters[cj].path, tpath) != 0) break;
        id = g_hash_table_lookup(R->slugs[cj], frag);
        if (!id) {
          char *sl = slugify(frag);
          id = g_hash_table_lookup(R->slugs[cj], sl);
          g_free(sl);
        }
        if (id) lk->chapter = (int)cj;
      }
      if (id) {
        lk->fragment = id;
      } else {
        ok = kmb_warn_or_fail(diag_of(R), R->err, KMB_E_FORMAT, ch->path, n->line, n->col,
                              "no heading '#%s' in %s; the link goes to the chapter start", frag,
                              b->chapters[target].rel);
      }
    }
  }
  g_free(file);
  g_free(frag);
  return ok;
}

/* --- image probes --- */

static bool starts(const guchar *d, gsize n, const char *magic, gsize m) {
  return n >= m && memcmp(d, magic, m) == 0;
}

/* An SVG file: XML whose first element is <svg> in the SVG namespace
 * (declarations, comments and a DOCTYPE may come first). */
static bool svg_root(const char *d, gsize n) {
  gsize i = starts((const guchar *)d, n, "\xEF\xBB\xBF", 3) ? 3 : 0, end = MIN(n, 65536);
  while (i < end) {
    while (i < end && g_ascii_isspace(d[i])) i++;
    if (i + 4 >= end || d[i] != '<') return false; /* (the file need not end in a NUL) */
    const char *close = d[i + 1] == '?' ? "?>" : memcmp(d + i, "<!--", 4) == 0 ? "-->"
                        : d[i + 1] == '!' ? ">" : NULL;
    if (!close) break;
    const char *gt = g_strstr_len(d + i, (gssize)(end - i), ">");
    const char *sub = g_strstr_len(d + i, (gssize)(end - i), "[");
    if (!strcmp(close, ">") && sub && gt && sub < gt) {
      /* a DOCTYPE with an internal subset: it ends at "]" then ">" */
      const char *e = g_strstr_len(sub, (gssize)(end - (gsize)(sub - d)), "]");
      if (!e) return false;
      i = (gsize)(e - d) + 1;
      while (i < end && g_ascii_isspace(d[i])) i++;
      if (i >= end || d[i] != '>') return false;
      i++;
      continue;
    }
    const char *e = g_strstr_len(d + i, (gssize)(end - i), close);
    if (!e) return false;
    i = (gsize)(e - d) + strlen(close);
  }
  return i + 5 < end && strncmp(d + i, "<svg", 4) == 0 &&
         (g_ascii_isspace(d[i + 4]) || d[i + 4] == '>' || d[i + 4] == '/') &&
         g_strstr_len(d + i, (gssize)(end - i), "http://www.w3.org/2000/svg") != NULL;
}

/* Format by magic bytes (never the file name); SVG by a root <svg> element
 * that librsvg can read. Size without decoding: gdk-pixbuf's header probe
 * for rasters, librsvg's intrinsic size for SVG. */
void kmb_image_probe_file(kmb_arena *a, const char *path, kmb_image_probe *p) {
  *p = (kmb_image_probe){0};
  gchar *head = NULL;
  gsize n = 0;
  GError *ge = NULL;
  /* The header is enough for the magic bytes; librsvg reads the whole
   * file below only for an SVG. */
  GMappedFile *mf = g_mapped_file_new(path, FALSE, &ge);
  if (!mf) {
    p->problem = kmb_arena_strdup(a, ge ? ge->message : "cannot read the file");
    g_clear_error(&ge);
    return;
  }
  head = g_mapped_file_get_contents(mf);
  n = g_mapped_file_get_length(mf);
  const guchar *d = (const guchar *)head;
  if (starts(d, n, "\x89PNG\r\n\x1A\n", 8)) p->format = KMB_IMAGE_PNG;
  else if (starts(d, n, "\xFF\xD8\xFF", 3)) p->format = KMB_IMAGE_JPEG;
  else if (starts(d, n, "GIF87a", 6) || starts(d, n, "GIF89a", 6)) p->format = KMB_IMAGE_GIF;
  else if (n >= 12 && starts(d, n, "RIFF", 4) && memcmp(d + 8, "WEBP", 4) == 0)
    p->format = KMB_IMAGE_WEBP;
  else if (svg_root(head, n))
    p->format = KMB_IMAGE_SVG;
  g_mapped_file_unref(mf);
  if (p->format == KMB_IMAGE_UNKNOWN) {
    p->problem = "not a PNG, JPEG, GIF, WebP or SVG file";
  } else if (p->format == KMB_IMAGE_SVG) {
    RsvgHandle *h = rsvg_handle_new_from_file(path, &ge);
    gdouble w = 0, hh = 0;
    if (h && rsvg_handle_get_intrinsic_size_in_pixels(h, &w, &hh)) {
      p->width = w, p->height = hh;
    } else if (!h) {
      p->problem = kmb_arena_strdup(a, ge ? ge->message : "unreadable SVG");
    }
    g_clear_error(&ge);
    if (h) g_object_unref(h);
  } else {
    int w = 0, h = 0;
    if (gdk_pixbuf_get_file_info(path, &w, &h) && w > 0 && h > 0) {
      p->width = w, p->height = h;
      p->too_big = (double)w * (double)h > KMB_IMAGE_MAX_PIXELS;
    } else {
      p->problem = "its header is damaged";
    }
  }
}

static const kmb_image_probe *probe_image(resolver *R, const char *path) {
  kmb_image_probe *p = g_hash_table_lookup(R->probes, path);
  if (p) return p;
  p = kmb_arena_alloc(R->b->arena, sizeof *p);
  g_hash_table_insert(R->probes, (gpointer)path, p);
  kmb_image_probe_file(R->b->arena, path, p);
  return p;
}

/* --- one walk per chapter: links, footnote numbers, image probes --- */

/* Footnotes: numbered 1..n book-wide in order of first reference; each
 * reference points at its definition in the same chapter (the loader put
 * every definition in the chapter of its first reference). */
static void link_footnote(resolver *R, GHashTable *defs, kmb_node *n) {
  kmb_node *def = g_hash_table_lookup(defs, n->as.note.label);
  if (!def) return; /* cmark only makes references for defined labels */
  if (!def->as.note.index) def->as.note.index = ++R->b->n_footnotes;
  n->as.note.index = def->as.note.index;
  n->as.note.def = def;
}

static bool resolve_refs(resolver *R, size_t ci) {
  kmb_chapter *ch = &R->b->chapters[ci];
  char *dir = g_path_get_dirname(ch->path);
  GHashTable *defs = g_hash_table_new(g_str_hash, g_str_equal);
  for (kmb_node *n = ch->root->first; n; n = n->next) {
    if (n->type == KMB_NODE_FOOTNOTE_DEF) g_hash_table_insert(defs, (gpointer)n->as.note.label, n);
  }
  kmb_iter it;
  kmb_iter_init(&it, ch->root);
  bool ok = true;
  for (kmb_event ev; ok && (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    if (ev != KMB_EV_ENTER) continue;
    kmb_node *n = (kmb_node *)it.cur;
    if (n->type == KMB_NODE_LINK) {
      ok = resolve_link(R, ci, dir, n);
    } else if (n->type == KMB_NODE_FOOTNOTE_REF) {
      link_footnote(R, defs, n);
    } else if ((n->type == KMB_NODE_IMAGE || n->type == KMB_NODE_FIGURE) && n->as.image.path) {
      n->as.image.probe = probe_image(R, n->as.image.path);
    }
  }
  g_hash_table_destroy(defs);
  g_free(dir);
  return ok;
}

/* --- language, labels, people, identifier --- */

char *kmb_lang_normalise(const char *tag) {
  if (!tag || !*tag) return g_strdup("zh-Hans");
  gchar **parts = g_strsplit_set(tag, "-_", -1);
  GString *s = g_string_new(NULL);
  for (int i = 0; parts[i]; i++) {
    char *p = parts[i];
    size_t n = strlen(p);
    if (!n) continue;
    if (s->len) g_string_append_c(s, '-');
    bool alpha = true;
    for (size_t k = 0; k < n; k++) alpha &= g_ascii_isalpha(p[k]) != 0;
    for (size_t k = 0; k < n; k++) {
      /* BCP 47 case conventions: language lower, Script title, REGION upper. */
      bool up = i > 0 && alpha && (n == 2 || (n == 4 && k == 0));
      g_string_append_c(s, up ? g_ascii_toupper(p[k]) : g_ascii_tolower(p[k]));
    }
  }
  g_strfreev(parts);
  if (!s->len) g_string_append(s, "zh-Hans");
  return g_string_free(s, FALSE);
}

/* Pango's language (it picks Simplified, Traditional or Hong Kong glyph
 * forms from it) and the PDF's /Lang. */
static void lang_forms(kmb_book *b) {
  const char *l = b->meta.lang;
  if (g_str_has_prefix(l, "zh-Hant") || strcmp(l, "zh-TW") == 0) {
    b->pango_lang = "zh-tw", b->pdf_lang = "zh-TW";
  } else if (strcmp(l, "zh-HK") == 0 || strcmp(l, "zh-MO") == 0) {
    b->pango_lang = "zh-hk", b->pdf_lang = strcmp(l, "zh-HK") == 0 ? "zh-HK" : "zh-MO";
  } else if (g_str_has_prefix(l, "zh")) {
    b->pango_lang = "zh-cn", b->pdf_lang = "zh-CN";
  } else {
    b->pango_lang = l, b->pdf_lang = l;
  }
}

static void resolve_people(kmb_book *b, kmb_person *ps, size_t n, const char *def_role) {
  for (size_t i = 0; i < n; i++) {
    if (!ps[i].role || !*ps[i].role) ps[i].role = def_role;
    kmb_labels_role(b->meta.lang, ps[i].role, &ps[i].role_name, &ps[i].role_credit);
  }
}

char *kmb_identifier_derive(const kmb_meta *m) {
  /* UUID version 5 over the book's identity: SHA-1 of a namespace UUID (the
   * RFC 4122 URL namespace) and "kmbook:title\nauthor…\nlang". Same book,
   * same identifier; never random. */
  static const unsigned char ns_url[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                           0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
  GString *name = g_string_new("kmbook:");
  g_string_append(name, m->title ? m->title : "");
  for (size_t i = 0; i < m->n_creators; i++) {
    g_string_append_c(name, '\n');
    g_string_append(name, m->creators[i].name ? m->creators[i].name : "");
  }
  g_string_append_c(name, '\n');
  g_string_append(name, m->lang ? m->lang : "zh-Hans");
  GChecksum *sum = g_checksum_new(G_CHECKSUM_SHA1);
  g_checksum_update(sum, ns_url, sizeof ns_url);
  g_checksum_update(sum, (const guchar *)name->str, (gssize)name->len);
  guint8 d[20];
  gsize dlen = sizeof d;
  g_checksum_get_digest(sum, d, &dlen);
  g_checksum_free(sum);
  g_string_free(name, TRUE);
  d[6] = (guint8)((d[6] & 0x0F) | 0x50); /* version 5 */
  d[8] = (guint8)((d[8] & 0x3F) | 0x80); /* RFC 4122 variant */
  return g_strdup_printf("urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                         "%02x%02x%02x%02x%02x%02x",
                         d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11],
                         d[12], d[13], d[14], d[15]);
}

void kmb_resolve_meta(kmb_book *b) {
  kmb_meta *m = &b->meta;
  char *lang = kmb_lang_normalise(m->lang);
  m->lang = kmb_arena_strdup(b->arena, lang);
  g_free(lang);
  lang_forms(b);
  b->labels = kmb_labels_for(m->lang);
  resolve_people(b, m->creators, m->n_creators, "aut");
  resolve_people(b, m->contributors, m->n_contributors, "ctb");
  if (m->identifier && *m->identifier) {
    b->identifier = m->identifier;
  } else {
    char *id = kmb_identifier_derive(m);
    b->identifier = kmb_arena_strdup(b->arena, id);
    g_free(id);
  }
  if (m->edition && *m->edition) {
    bool digits = strspn(m->edition, "0123456789") == strlen(m->edition);
    b->edition_text = digits ? kmb_arena_printf(b->arena, "%s%s%s", b->labels->edition_pre,
                                                m->edition, b->labels->edition_post)
                             : m->edition;
  }
}

void kmb_resolve_images(kmb_book *b) {
  resolver R = {.b = b, .probes = g_hash_table_new(g_str_hash, g_str_equal)};
  for (size_t i = 0; i < b->n_chapters; i++) {
    kmb_iter it;
    kmb_iter_init(&it, b->chapters[i].root);
    for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
      kmb_node *n = (kmb_node *)it.cur;
      if (ev == KMB_EV_ENTER && (n->type == KMB_NODE_IMAGE || n->type == KMB_NODE_FIGURE) &&
          n->as.image.path)
        n->as.image.probe = probe_image(&R, n->as.image.path);
    }
  }
  if (b->meta.cover) b->cover_probe = probe_image(&R, b->meta.cover);
  g_hash_table_destroy(R.probes);
}

void kmb_resolve_headings(kmb_book *b) {
  resolver R = {.b = b};
  for (size_t i = 0; i < b->n_chapters; i++) {
    set_chapter_title(&R, i);
    resolve_headings(&R, i);
  }
}

bool kmb_book_resolve(kmb_book *b, const kmb_read_opts *opts, kmb_error *err) {
  resolver R = {.b = b, .opts = opts, .err = err};
  R.slugs = g_new0(GHashTable *, b->n_chapters ? b->n_chapters : 1);
  R.by_path = g_hash_table_new(g_str_hash, g_str_equal);
  R.probes = g_hash_table_new(g_str_hash, g_str_equal);
  bool ok = true;
  for (size_t i = 0; i < b->n_chapters; i++) {
    R.slugs[i] = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    if (ok) ok = set_chapter_title(&R, i);
    resolve_headings(&R, i);
  }
  for (size_t i = b->n_chapters; i-- > 0;)
    g_hash_table_insert(R.by_path, (gpointer)b->chapters[i].path, GINT_TO_POINTER((int)i + 1));
  b->n_footnotes = 0;
  for (size_t i = 0; ok && i < b->n_chapters; i++) ok = resolve_refs(&R, i);
  if (b->meta.cover) b->cover_probe = probe_image(&R, b->meta.cover);
  if (ok) ok = set_book_title(&R);
  if (!b->meta.lang || !*b->meta.lang) {
    char *note = NULL;
    b->meta.lang = kmb_lang_detect(b, &note);
    b->lang_note = kmb_arena_strdup(b->arena, note);
    g_free(note);
  }
  kmb_resolve_meta(b);
  b->writing = opts && opts->writing ? opts->writing : b->meta.writing;
  if (ok) ok = kmb_callout_resolve(b, diag_of(&R), err);
  for (size_t i = 0; i < b->n_chapters; i++) g_hash_table_destroy(R.slugs[i]);
  g_free(R.slugs);
  g_hash_table_destroy(R.by_path);
  g_hash_table_destroy(R.probes);
  return ok;
}

void kmb_book_set_writing(kmb_book *b, kmb_writing style_default) {
  if (b->writing == KMB_WRITING_AUTO)
    b->writing = style_default ? style_default : KMB_WRITING_HORIZONTAL;
}
