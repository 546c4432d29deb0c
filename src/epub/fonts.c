/* Fonts inside the EPUB (--epub-fonts subset): the book's body, heading and
 * code faces, cut by hb-subset (src/fonts/faces.c, as for the PDF) to the
 * characters the EPUB's own documents show, with @font-face rules under
 * family names of kmbook's own and the OFL text beside them.
 *
 * The characters come from the finished XHTML documents (chapters, nav,
 * cover, colophon) rather than from the model, so generated labels, note
 * numbers and nav entries are counted exactly as written. Each face gets
 * only the text set in it: which elements use which family and weight
 * mirrors styles/epub.css (role_of below) — a character missing from a
 * subset falls back to the next family in the stack, never to tofu. */
#include "epub/epub-imp.h"
#include "base/file.h"
#include "fonts/fonts.h"

#include <string.h>

enum { ROLE_BODY, ROLE_HEADING, ROLE_CODE, N_ROLES };
static const char *const ROLE_NAME[N_ROLES] = {"body", "heading", "code"};
#define N_SLOTS (N_ROLES * 2) /* role × (regular, bold) */

/* The PDF's features (src/fonts/subset.c) plus chws/vchw, which browsers
 * use for text-spacing-trim. */
static const char *const FEATURES[] = {"ccmp", "locl", "kern", "halt", "palt", "vert", "vrt2",
                                       "vhal", "vpal", "vkrn", "liga", "calt", "mark", "mkmk",
                                       "chws", "vchw"};

typedef struct walk {
  GHashTable *set[N_SLOTS]; /* code point → itself */
} walk;

typedef struct state {
  int role;
  bool bold;
  bool plain;   /* p.attribution: strong and em lose their weight and dots */
  bool in_nav;
  bool colophon;
} state;

static void add_text(walk *w, const state *s, const char *t) {
  GHashTable *set = w->set[s->role * 2 + (s->bold ? 1 : 0)];
  for (const char *p = t; *p; p = g_utf8_next_char(p)) {
    gunichar c = g_utf8_get_char_validated(p, -1);
    if (c == (gunichar)-1 || c == (gunichar)-2) break;
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    g_hash_table_add(set, GUINT_TO_POINTER(c));
  }
}

static bool has_class(xmlNodePtr n, const char *cls) {
  xmlChar *v = xmlGetProp(n, (const xmlChar *)"class");
  bool r = false;
  if (v) {
    char **parts = g_strsplit((const char *)v, " ", -1);
    for (char **p = parts; *p && !r; p++) r = strcmp(*p, cls) == 0;
    g_strfreev(parts);
    xmlFree(v);
  }
  return r;
}

/* Family and weight of element n's text (styles/epub.css), from its parent's. */
static state role_of(xmlNodePtr n, state s) {
  const char *e = (const char *)n->name;
  if (strlen(e) == 2 && e[0] == 'h' && e[1] >= '1' && e[1] <= '6') {
    s.role = ROLE_HEADING;
    s.bold = e[1] != '6';
  } else if (strcmp(e, "th") == 0) {
    s.role = ROLE_HEADING;
    s.bold = true;
  } else if (strcmp(e, "figcaption") == 0) {
    s.role = ROLE_HEADING;
  } else if (strcmp(e, "code") == 0 || strcmp(e, "pre") == 0 || strcmp(e, "kbd") == 0 ||
             strcmp(e, "samp") == 0) {
    s.role = ROLE_CODE;
  } else if ((strcmp(e, "strong") == 0 || strcmp(e, "b") == 0) && !s.plain) {
    s.bold = true;
  } else if (strcmp(e, "nav") == 0) {
    s.in_nav = true;
  } else if (strcmp(e, "body") == 0) {
    s.colophon = has_class(n, "colophon");
  }
  if (has_class(n, "raw-heading") || has_class(n, "callout-title"))
    s.role = ROLE_HEADING, s.bold = true; /* styles/epub-callout.css */
  if (has_class(n, "note-number")) s.bold = true;
  if (s.colophon && has_class(n, "label")) s.role = ROLE_HEADING, s.bold = true;
  if (has_class(n, "attribution")) s.plain = true;
  return s;
}

static void walk_el(walk *w, xmlNodePtr n, state s) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content) add_text(w, &s, (const char *)c->content);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE) continue;
    const char *e = (const char *)c->name;
    if (strcmp(e, "head") == 0 || strcmp(e, "script") == 0 || strcmp(e, "style") == 0) continue;
    state cs = role_of(c, s);
    if (strcmp(e, "em") == 0 && !s.plain) add_text(w, &cs, "\u2022"); /* emphasis dots */
    if (strcmp(e, "ol") == 0 && !s.in_nav) add_text(w, &cs, "0123456789."); /* list numbers */
    if (strcmp(e, "img") == 0) { /* shown in its place if the image cannot be */
      xmlChar *alt = xmlGetProp(c, (const xmlChar *)"alt");
      if (alt) add_text(w, &cs, (const char *)alt);
      xmlFree(alt);
    }
    walk_el(w, c, cs);
  }
}

static bool walk_item(epub_ctx *cx, walk *w, const epub_item *it) {
  if (!it || !it->data) return true;
  xmlDocPtr doc = xmlReadMemory((const char *)it->data, (int)it->len, it->href, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOWARNING | XML_PARSE_NOERROR);
  if (!doc)
    return epub_fail(cx, KMB_E_LIB, it->href, 0, 0,
                     "cannot read back a document to collect its characters — report this bug");
  state s = {.role = ROLE_BODY};
  walk_el(w, (xmlNodePtr)doc, s);
  xmlFreeDoc(doc);
  return true;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

typedef struct face {
  char *file;
  int index;
  char *name; /* "body-regular" */
  GHashTable *chars;
  epub_item *item;
} face;

bool epub_fonts_build(epub_ctx *cx) {
  if (cx->opts->fonts != KMB_EPUB_FONTS_SUBSET) return true;
  kmb_style fallback;
  const kmb_style *st = cx->opts->style;
  if (!st) {
    kmb_style_load(&fallback, NULL, NULL);
    st = &fallback;
  }
  walk w;
  for (int i = 0; i < N_SLOTS; i++) w.set[i] = g_hash_table_new(g_direct_hash, g_direct_equal);
  bool ok = walk_item(cx, &w, cx->cover_doc) && walk_item(cx, &w, cx->colophon) &&
            walk_item(cx, &w, cx->nav);
  for (guint i = 0; ok && i < cx->chapters->len; i++) ok = walk_item(cx, &w, cx->chapters->pdata[i]);

  kmb_error ferr;
  kmb_error_clear(&ferr);
  kmb_fonts *fonts = ok ? kmb_fonts_new(cx->opts->datadir, st, &ferr) : NULL;
  if (ok && !fonts) {
    if (!cx->failed) *cx->err = ferr, cx->failed = true;
    ok = false;
  }
  const char *family[N_ROLES] = {st->body_family, st->heading_family, st->code_family};
  face faces[N_SLOTS] = {{0}};
  int n_faces = 0;
  int slot_face[N_SLOTS];
  for (int sl = 0; sl < N_SLOTS; sl++) slot_face[sl] = -1;
  /* Faces in a fixed order (body, heading, code; regular before bold), one
   * file per distinct face: a bold that resolves to the regular face, or a
   * heading family equal to the body's, shares its file. */
  for (int sl = 0; ok && sl < N_SLOTS; sl++) {
    if (g_hash_table_size(w.set[sl]) == 0) continue;
    char *file = NULL;
    int index = 0;
    if (!kmb_fonts_face_match(fonts, family[sl / 2], sl % 2, &file, &index)) continue;
    int k = 0;
    while (k < n_faces && !(faces[k].index == index && strcmp(faces[k].file, file) == 0)) k++;
    if (k == n_faces) {
      faces[k].file = file;
      faces[k].index = index;
      faces[k].name = g_strdup_printf("%s-%s", ROLE_NAME[sl / 2], sl % 2 ? "bold" : "regular");
      faces[k].chars = g_hash_table_new(g_direct_hash, g_direct_equal);
      n_faces++;
    } else {
      g_free(file);
    }
    GHashTableIter it;
    gpointer key;
    g_hash_table_iter_init(&it, w.set[sl]);
    while (g_hash_table_iter_next(&it, &key, NULL)) g_hash_table_add(faces[k].chars, key);
    slot_face[sl] = k;
  }

  GString *css = g_string_new(
      "\n/* Embedded fonts (kmbook --epub-fonts subset): subsets of the book's faces\n"
      " * holding only the characters this book uses, under the SIL Open Font\n"
      " * License (fonts/OFL.txt). */\n");
  GString *lic = g_string_new(
      "The fonts in this book's fonts/ folder are subsets, made by kmbook with\n"
      "HarfBuzz's hb-subset, of these fonts:\n\n");
  for (int k = 0; ok && k < n_faces; k++) {
    guint n = 0;
    gpointer *keys = g_hash_table_get_keys_as_array(faces[k].chars, &n);
    uint32_t *chars = g_new(uint32_t, n ? n : 1);
    for (guint i = 0; i < n; i++) chars[i] = GPOINTER_TO_UINT(keys[i]);
    g_free(keys);
    qsort(chars, n, sizeof *chars, cmp_u32);
    size_t len = 0;
    unsigned char *data = kmb_fonts_face_subset(faces[k].file, faces[k].index, chars, n, FEATURES,
                                                G_N_ELEMENTS(FEATURES), &len, &ferr);
    g_free(chars);
    if (!data) {
      if (!cx->failed) *cx->err = ferr, cx->failed = true;
      ok = false;
      break;
    }
    bool cff = len >= 4 && memcmp(data, "OTTO", 4) == 0;
    char *href = g_strdup_printf("fonts/%s.%s", faces[k].name, cff ? "otf" : "ttf");
    char *id = g_strdup_printf("font-%s", faces[k].name);
    epub_item *item = epub_item_new(id, href, cff ? "font/otf" : "font/ttf");
    g_free(id);
    g_free(href);
    item->data = data;
    item->len = len;
    faces[k].item = item;
    g_ptr_array_add(cx->fonts, item);
    /* the file's name, not its path: the EPUB must not depend on where fonts live */
    char *base = g_path_get_basename(faces[k].file);
    char *full = kmb_fonts_face_name(faces[k].file, faces[k].index, 4);
    char *copy = kmb_fonts_face_name(faces[k].file, faces[k].index, 0);
    g_string_append_printf(lic, "  %s: %s (from %s)\n    %s\n", item->href + strlen("fonts/"),
                           full ? full : faces[k].name, base,
                           copy ? copy : "");
    g_free(full);
    g_free(copy);
    g_free(base);
  }
  for (int sl = 0; ok && sl < N_SLOTS; sl++) {
    int k = slot_face[sl];
    if (k < 0) continue;
    /* a bold that is the regular face: one rule, the browser emboldens */
    if (sl % 2 && slot_face[sl - 1] == k) continue;
    g_string_append_printf(css,
                           "@font-face {\n  font-family: \"kmbook %s\";\n  font-style: normal;\n"
                           "  font-weight: %s;\n  src: url(\"../%s\") format(\"opentype\");\n}\n",
                           ROLE_NAME[sl / 2], sl % 2 ? "bold" : "normal", faces[k].item->href);
    cx->font_roles |= 1u << (sl / 2);
  }
  if (ok && n_faces > 0) {
    char *path = kmb_data_path(cx->opts->datadir, "fonts/OFL.txt");
    char *ofl = path ? kmb_file_read(path, NULL, &ferr) : NULL;
    g_free(path);
    if (!ofl) {
      ok = epub_fail(cx, KMB_E_UNSUPPORTED, "fonts/OFL.txt", 0, 0,
                     "the font licence text is missing — reinstall kmbook or set KMBOOK_DATADIR");
    } else {
      g_string_append(lic, "\nThey are Modified Versions of the fonts under the licence below.\n\n");
      g_string_append(lic, ofl);
      g_free(ofl);
      cx->font_licence = epub_item_new("font-licence", "fonts/OFL.txt", "text/plain");
      cx->font_licence->len = lic->len;
      cx->font_licence->data = (unsigned char *)g_string_free(lic, FALSE);
      lic = NULL;
      cx->font_css = g_string_free(css, FALSE);
      css = NULL;
    }
  }
  if (lic) g_string_free(lic, TRUE);
  if (css) g_string_free(css, TRUE);
  for (int k = 0; k < n_faces; k++) {
    g_free(faces[k].file);
    g_free(faces[k].name);
    g_hash_table_destroy(faces[k].chars);
  }
  for (int i = 0; i < N_SLOTS; i++) g_hash_table_destroy(w.set[i]);
  kmb_fonts_drop(fonts);
  return ok;
}

static void prefix(char *stack, size_t size, const char *role) {
  char *s = g_strdup_printf("\"kmbook %s\", %s", role, stack);
  g_strlcpy(stack, s, size);
  g_free(s);
}

void epub_fonts_style(const epub_ctx *cx, kmb_style *st) {
  if (cx->font_roles & (1u << ROLE_BODY)) prefix(st->body_stack, sizeof st->body_stack, "body");
  if (cx->font_roles & (1u << ROLE_HEADING))
    prefix(st->heading_stack, sizeof st->heading_stack, "heading");
  if (cx->font_roles & (1u << ROLE_CODE)) prefix(st->code_stack, sizeof st->code_stack, "code");
}
