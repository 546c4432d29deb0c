/* Editions: a Traditional or Simplified edition of a resolved book through
 * OpenCC (its C library and its own configurations and dictionaries; never
 * a table of ours).
 *
 * Runs after resolve, so heading ids, link targets and footnote numbers are
 * those of the manuscript as written (a link to #简介 still finds its
 * heading in the 繁體 edition); then the language, labels and identifier are
 * resolved again for the edition. What is converted: text in paragraphs,
 * headings, lists, tables, quotes, notes, link text, image alt and captions,
 * chapter titles, and the metadata shown as text (title, subtitle,
 * description, publisher, source, rights, edition, subjects, link titles).
 * What is never converted: code (inline and blocks), URLs and link targets,
 * image paths, raw HTML, and text inside <span class="no-convert">…</span>.
 * People's names are converted too: 何恺明 is 何愷明 in a Traditional
 * edition, as in its text. */
#include "read/convert.h"
#include "read/resolve.h"
#include "base/utf8.h"

#include <glib.h>
#include <opencc.h>
#include <string.h>

/* The configurations kmbook knows the edition's language of. */
static const struct {
  const char *config, *lang;
  bool corner_quotes; /* Taiwan and Hong Kong set “” ‘’ as 「」 『』 */
} EDITIONS[] = {
    {"s2t", "zh-Hant", false},   {"s2tw", "zh-Hant-TW", true}, {"s2twp", "zh-Hant-TW", true},
    {"s2hk", "zh-Hant-HK", true}, {"t2tw", "zh-Hant-TW", true}, {"t2hk", "zh-Hant-HK", true},
    {"hk2t", "zh-Hant", false},  {"tw2t", "zh-Hant", false},  {"t2s", "zh-Hans", false},
    {"tw2s", "zh-Hans", false},  {"tw2sp", "zh-Hans", false}, {"hk2s", "zh-Hans", false},
};

typedef struct conv {
  kmb_book *b;
  opencc_t cc;
  bool corner_quotes;
} conv;

/* One string through OpenCC (and the quote style); a copy in the book's arena. */
static const char *convert_text(conv *cv, const char *s) {
  if (!s || !*s) return s;
  char *out = opencc_convert_utf8(cv->cc, s, strlen(s));
  if (!out) return s; /* OpenCC refuses only invalid UTF-8, which the reader already refused */
  const char *r;
  if (cv->corner_quotes) {
    char *q = kmb_corner_quotes(out, strlen(out));
    r = kmb_arena_strdup(cv->b->arena, q);
    g_free(q);
  } else {
    r = kmb_arena_strdup(cv->b->arena, out);
  }
  opencc_convert_utf8_free(out);
  return r;
}

/* <span class="no-convert"> opens a stretch left as written; spans nested
 * inside it are counted so that the right </span> closes it. */
static int span_delta(const char *html, int skipping) {
  if (g_str_has_prefix(html, "</span")) return skipping ? -1 : 0;
  if (!g_str_has_prefix(html, "<span")) return 0;
  if (skipping) return 1;
  const char *cls = strstr(html, "class=");
  return cls && strstr(cls, "no-convert") ? 1 : 0;
}

static void convert_chapter(conv *cv, kmb_chapter *ch) {
  ch->title = convert_text(cv, ch->title);
  kmb_iter it;
  kmb_iter_init(&it, ch->root);
  int skipping = 0;
  for (kmb_event ev; (ev = kmb_iter_next(&it)) != KMB_EV_NONE;) {
    kmb_node *n = (kmb_node *)it.cur;
    if (ev != KMB_EV_ENTER) continue;
    if (n->type == KMB_NODE_HTML_INLINE && n->literal) {
      skipping += span_delta(n->literal, skipping);
    } else if (n->type == KMB_NODE_TEXT && !skipping && n->literal) {
      n->literal = convert_text(cv, n->literal);
      n->len = strlen(n->literal);
    }
  }
}

const char *kmb_convert_lang(const char *config) {
  for (size_t i = 0; i < G_N_ELEMENTS(EDITIONS); i++)
    if (strcmp(EDITIONS[i].config, config) == 0) return EDITIONS[i].lang;
  return NULL;
}

bool kmb_book_convert(kmb_book *b, const char *config, kmb_error *err) {
  size_t e = 0;
  while (e < G_N_ELEMENTS(EDITIONS) && strcmp(EDITIONS[e].config, config) != 0) e++;
  if (e == G_N_ELEMENTS(EDITIONS))
    return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0,
                         "unknown --convert '%s' — use s2t, s2tw, s2twp, s2hk, t2tw, t2hk, hk2t, "
                         "tw2t, t2s, tw2s, tw2sp or hk2s",
                         config);
  char *file = g_strdup_printf("%s.json", config);
  opencc_t cc = opencc_open(file);
  g_free(file);
  if (cc == (opencc_t)-1)
    return kmb_error_set(err, KMB_E_IO, NULL, 0, 0,
                         "OpenCC cannot open its '%s' configuration: %s — install opencc's data "
                         "(Debian: libopencc1.1 and opencc)",
                         config, opencc_error());
  conv cv = {.b = b, .cc = cc, .corner_quotes = EDITIONS[e].corner_quotes};
  for (size_t i = 0; i < b->n_chapters; i++) convert_chapter(&cv, &b->chapters[i]);
  kmb_meta *m = &b->meta;
  m->title = convert_text(&cv, m->title);
  m->subtitle = convert_text(&cv, m->subtitle);
  m->description = convert_text(&cv, m->description);
  m->publisher = convert_text(&cv, m->publisher);
  m->source = convert_text(&cv, m->source);
  m->rights = convert_text(&cv, m->rights);
  m->edition = convert_text(&cv, m->edition);
  for (size_t i = 0; i < m->n_subjects; i++) m->subjects[i] = convert_text(&cv, m->subjects[i]);
  for (size_t i = 0; i < m->n_links; i++) m->links[i].title = convert_text(&cv, m->links[i].title);
  for (size_t i = 0; i < m->n_creators; i++)
    m->creators[i].name = convert_text(&cv, m->creators[i].name);
  for (size_t i = 0; i < m->n_contributors; i++)
    m->contributors[i].name = convert_text(&cv, m->contributors[i].name);
  opencc_close(cc);
  /* the edition: its language (labels, glyph forms, punctuation style) and
   * an identifier of its own; the manuscript's is kept as its source */
  const char *source_id = b->identifier;
  m->lang = EDITIONS[e].lang;
  if (m->identifier && *m->identifier) {
    kmb_meta tmp = *m;
    tmp.title = kmb_arena_printf(b->arena, "%s|%s", m->identifier, config);
    char *id = kmb_identifier_derive(&tmp);
    m->identifier = kmb_arena_strdup(b->arena, id);
    g_free(id);
  }
  kmb_resolve_meta(b); /* a derived identifier changes with the title and language */
  b->edition_of = source_id;
  b->convert = kmb_arena_strdup(b->arena, config);
  return true;
}
