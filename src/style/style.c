#include "style/style.h"

#include <glib.h>
#include <stdio.h>
#include <string.h>

#define MM (72.0 / 25.4)

static void defaults(kmb_style *st) {
  memset(st, 0, sizeof *st);
  kmb_style_set_paper(st, "a5", NULL);
  st->margin_top = 18 * MM;
  st->margin_bottom = 20 * MM;
  st->margin_inner = 17 * MM;
  st->margin_outer = 15 * MM;
  snprintf(st->body_family, sizeof st->body_family, "Noto Serif CJK SC");
  snprintf(st->heading_family, sizeof st->heading_family, "Noto Sans CJK SC");
  snprintf(st->code_family, sizeof st->code_family, "Noto Sans Mono CJK SC");
  snprintf(st->body_stack, sizeof st->body_stack, "\"Noto Serif CJK SC\", serif");
  snprintf(st->heading_stack, sizeof st->heading_stack, "\"Noto Sans CJK SC\", sans-serif");
  snprintf(st->code_stack, sizeof st->code_stack, "\"Noto Sans Mono CJK SC\", monospace");
  st->body_size = 10.5;
  st->line_height = 1.75;
  st->indent_em = 2;
  st->para_space_em = 0;
  const double h[7] = {0, 18, 14, 12, 11, 10.5, 10.5};
  memcpy(st->h_size, h, sizeof h);
  st->code_size = 9;
  st->footnote_size = 8.5;
  st->caption_size = 9;
  st->blockquote_indent_em = 2;
  st->total_fit = st->kinsoku = st->punct_compress = st->cjk_latin_space = true;
  st->no_lonely_char = st->line_grid = true;
  st->hanging_punct = false;
  st->cjk_latin_gap_em = 0.25;
  kmb_design *d = &st->pdf;
  d->furniture_size = 8, d->furniture_gray = 0.3, d->head_drop = 0.55, d->folio_rise = 0.45;
  d->head_rule_drop = 4, d->head_rule_width = 0.3;
  d->note_mark_rise = 0.4;
  d->link_rgb[0] = 0.09, d->link_rgb[1] = 0.19, d->link_rgb[2] = 0.44;
  d->emph_dot_drop = 0.3, d->emph_dot_radius = 0.08;
  d->strike_width = 0.05, d->strike_raise = 0.3, d->dest_raise = 2;
  d->leader_pitch_em = 0.5, d->leader_radius = 0.55, d->leader_raise_em = 0.12;
  d->leader_gray = 0.25;
}

bool kmb_style_set_paper(kmb_style *st, const char *paper, kmb_error *err) {
  static const struct { const char *name; double w, h; } sizes[] = {
      {"a5", 148, 210}, {"b5", 176, 250}, {"a4", 210, 297}, {"letter", 215.9, 279.4},
      {"a6", 105, 148}, {"16k", 185, 260}, {"32k", 130, 184},
  };
  for (size_t i = 0; i < G_N_ELEMENTS(sizes); i++) {
    if (g_ascii_strcasecmp(paper, sizes[i].name) == 0) {
      snprintf(st->paper, sizeof st->paper, "%s", sizes[i].name);
      st->page_w = sizes[i].w * MM;
      st->page_h = sizes[i].h * MM;
      return true;
    }
  }
  /* "WxHmm" with a decimal point whatever the locale (g_ascii_*) */
  char *end = NULL;
  double w = g_ascii_strtod(paper, &end), h = 0;
  bool ok = end != paper && *end == 'x';
  if (ok) {
    const char *hs = end + 1;
    h = g_ascii_strtod(hs, &end);
    ok = end != hs && strcmp(end, "mm") == 0;
  }
  if (ok && w >= 50 && h >= 50 && w <= 1000 && h <= 1000) {
    char ws[G_ASCII_DTOSTR_BUF_SIZE], hs[G_ASCII_DTOSTR_BUF_SIZE];
    snprintf(st->paper, sizeof st->paper, "%sx%smm", g_ascii_formatd(ws, sizeof ws, "%g", w),
             g_ascii_formatd(hs, sizeof hs, "%g", h));
    st->page_w = w * MM;
    st->page_h = h * MM;
    return true;
  }
  return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0,
                       "unknown paper size '%s' — use a5, b5, a4, letter or WxHmm (50–1000 mm)",
                       paper);
}

/* Line number of "key=" inside [group] of the file text, for messages. */
static int key_line(const char *text, const char *group, const char *key) {
  int line = 1, in_group = 0;
  size_t klen = strlen(key);
  for (const char *p = text; *p;) {
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    if (n > 0 && p[0] == '[') {
      in_group = n == strlen(group) + 2 && strncmp(p + 1, group, strlen(group)) == 0;
    } else if (in_group && strncmp(p, key, klen) == 0 && (p[klen] == '=' || p[klen] == ' ')) {
      return line;
    }
    line++;
    if (!e) break;
    p = e + 1;
  }
  return 0;
}

typedef enum { T_NUM, T_MM, T_STR, T_BOOL, T_PAPER } ktype;
typedef struct {
  const char *group, *key;
  ktype type;
  size_t off;
  size_t size;
} kdef;

#define NUM(g, k, f) {g, k, T_NUM, offsetof(kmb_style, f), 0}
#define MMV(g, k, f) {g, k, T_MM, offsetof(kmb_style, f), 0}
#define STR(g, k, f) {g, k, T_STR, offsetof(kmb_style, f), sizeof(((kmb_style *)0)->f)}
#define BOOL(g, k, f) {g, k, T_BOOL, offsetof(kmb_style, f), 0}

static const kdef keys[] = {
    {"page", "paper", T_PAPER, 0, 0},
    MMV("page", "margin_top_mm", margin_top),
    MMV("page", "margin_bottom_mm", margin_bottom),
    MMV("page", "margin_inner_mm", margin_inner),
    MMV("page", "margin_outer_mm", margin_outer),
    STR("fonts", "body", body_family),
    STR("fonts", "heading", heading_family),
    STR("fonts", "code", code_family),
    STR("fonts", "body_stack", body_stack),
    STR("fonts", "heading_stack", heading_stack),
    STR("fonts", "code_stack", code_stack),
    NUM("text", "body_size", body_size),
    NUM("text", "line_height", line_height),
    NUM("text", "indent_em", indent_em),
    NUM("text", "para_space_em", para_space_em),
    NUM("text", "code_size", code_size),
    NUM("text", "footnote_size", footnote_size),
    NUM("text", "caption_size", caption_size),
    NUM("text", "blockquote_indent_em", blockquote_indent_em),
    NUM("headings", "h1", h_size[1]),
    NUM("headings", "h2", h_size[2]),
    NUM("headings", "h3", h_size[3]),
    NUM("headings", "h4", h_size[4]),
    NUM("headings", "h5", h_size[5]),
    NUM("headings", "h6", h_size[6]),
    BOOL("typography", "total_fit", total_fit),
    BOOL("typography", "kinsoku", kinsoku),
    BOOL("typography", "punct_compress", punct_compress),
    BOOL("typography", "cjk_latin_space", cjk_latin_space),
    NUM("typography", "cjk_latin_gap_em", cjk_latin_gap_em),
    BOOL("typography", "hanging_punct", hanging_punct),
    BOOL("typography", "no_lonely_char", no_lonely_char),
    BOOL("typography", "line_grid", line_grid),
};

static const kdef *find_key(const char *group, const char *key) {
  for (size_t i = 0; i < G_N_ELEMENTS(keys); i++) {
    if (strcmp(keys[i].group, group) == 0 && strcmp(keys[i].key, key) == 0) return &keys[i];
  }
  return NULL;
}

bool kmb_style_load(kmb_style *st, const char *path, kmb_error *err) {
  defaults(st);
  if (!path) return true;
  gchar *text = NULL;
  GError *gerr = NULL;
  if (!g_file_get_contents(path, &text, NULL, &gerr)) {
    kmb_error_set(err, KMB_E_IO, path, 0, 0, "cannot read style: %s", gerr->message);
    g_error_free(gerr);
    return false;
  }
  GKeyFile *kf = g_key_file_new();
  bool ok = false;
  if (!g_key_file_load_from_data(kf, text, (gsize)-1, G_KEY_FILE_NONE, &gerr)) {
    kmb_error_set(err, KMB_E_SYNTAX, path, 0, 0, "malformed style file: %s", gerr->message);
    goto out;
  }
  gsize ng = 0;
  gchar **groups = g_key_file_get_groups(kf, &ng);
  for (gsize g = 0; g < ng; g++) {
    gsize nk = 0;
    gchar **ks = g_key_file_get_keys(kf, groups[g], &nk, NULL);
    for (gsize k = 0; k < nk; k++) {
      const kdef *d = find_key(groups[g], ks[k]);
      int line = key_line(text, groups[g], ks[k]);
      gchar *val = g_key_file_get_value(kf, groups[g], ks[k], NULL);
      g_strstrip(val);
      char *base = (char *)st;
      bool bad = false;
      if (!d) {
        kmb_error_set(err, KMB_E_SYNTAX, path, line, 1,
                      "unknown style key '%s' in [%s] — see styles/default.ini for the keys", ks[k],
                      groups[g]);
        bad = true;
      } else if (d->type == T_PAPER) {
        bad = !kmb_style_set_paper(st, val, err);
        if (bad) err->line = line, snprintf(err->path, sizeof err->path, "%s", path);
      } else if (d->type == T_STR) {
        snprintf(base + d->off, d->size, "%s", val);
      } else if (d->type == T_BOOL) {
        if (strcmp(val, "true") == 0) *(bool *)(base + d->off) = true;
        else if (strcmp(val, "false") == 0) *(bool *)(base + d->off) = false;
        else {
          kmb_error_set(err, KMB_E_SYNTAX, path, line, 1, "'%s' must be true or false", ks[k]);
          bad = true;
        }
      } else {
        char *end = NULL;
        double v = g_ascii_strtod(val, &end);
        if (!end || *end || end == val || v < 0 || v > 1000) {
          kmb_error_set(err, KMB_E_SYNTAX, path, line, 1,
                        "'%s' must be a number between 0 and 1000, not '%s'", ks[k], val);
          bad = true;
        } else {
          *(double *)(base + d->off) = d->type == T_MM ? v * MM : v;
        }
      }
      g_free(val);
      if (bad) {
        g_strfreev(ks);
        g_strfreev(groups);
        goto out;
      }
    }
    g_strfreev(ks);
  }
  g_strfreev(groups);
  ok = true;
out:
  if (gerr) g_error_free(gerr);
  g_key_file_free(kf);
  g_free(text);
  return ok;
}
