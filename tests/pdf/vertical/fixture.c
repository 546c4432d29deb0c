/* A hand-made vertical page for check_vertical.py's self-test, drawn with
 * Pango and Cairo cell by cell (not with kmbook's layout code), so the
 * checker is shown right and wrong on input whose geometry is known:
 *
 *     kmb_vertical_fixture COLUMNS.txt OUT.pdf FLAW
 *
 * COLUMNS.txt holds one column per line, right to left; {12} is set
 * tate-chu-yoko (upright, in one cell), [Latin] turned 90° clockwise,
 * every other character upright in its own cell, punctuation with the
 * font's `vert` forms.  FLAW is "none" (a correct page) or one fault:
 * horizontal, upward, ltr, no-vert, turned-comma, latin-upright, no-tcy,
 * kinsoku, overflow, missing, turned-han.  The /ViewerPreferences /Direction is
 * not Cairo's to write: selftest.py adds it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <glib.h>
#include <pango/pangocairo.h>

#define SIZE 16.0          /* body size, pt */
#define PITCH 28.0         /* column pitch */
#define TOP 60.0           /* text block top */
#define RIGHT 380.0        /* right edge of the first column */
#define LEFT 40.0          /* left edge of the leftmost column */
#define ASC 0.88           /* the ideographic em box above the baseline */
/* SC, not TC: TC fonts centre ，。 in both forms, so only a font whose
 * horizontal ， sits bottom left shows a missing `vert` form. */
#define FONT "Noto Serif CJK SC"

typedef struct {
  cairo_t *cr;
  const char *flaw;
  double x0;  /* left edge of the current column (or line start) */
  double y;   /* top of the next cell */
  int line;   /* column (or line) number */
} pen_t;

static gboolean flaw_is(const pen_t *p, const char *f) { return strcmp(p->flaw, f) == 0; }

static PangoLayout *make_layout(cairo_t *cr, const char *text, int len, const char *features) {
  PangoLayout *lay = pango_cairo_create_layout(cr);
  PangoFontDescription *fd = pango_font_description_from_string(FONT);
  pango_font_description_set_absolute_size(fd, SIZE * PANGO_SCALE);
  pango_layout_set_font_description(lay, fd);
  pango_font_description_free(fd);
  pango_layout_set_text(lay, text, len);
  if (features) {
    PangoAttrList *al = pango_attr_list_new();
    pango_attr_list_insert(al, pango_attr_font_features_new(features));
    pango_layout_set_attributes(lay, al);
    pango_attr_list_unref(al);
  }
  return lay;
}

static double width_of(PangoLayout *lay) {
  PangoRectangle log;
  pango_layout_get_extents(lay, NULL, &log);
  return log.width / (double)PANGO_SCALE;
}

/* Draws a layout upright with its baseline at (x, base). */
static void show_upright(cairo_t *cr, PangoLayout *lay, double x, double base) {
  cairo_move_to(cr, x, base - pango_layout_get_baseline(lay) / (double)PANGO_SCALE);
  pango_cairo_show_layout(cr, lay);
}

static gboolean is_vert_punct(gunichar c) {
  return g_utf8_strchr("，。、「」『』《》（）…：", -1, c) != NULL;
}

/* One upright cell (or, with flaw upward, one cell placed upwards). */
static void cell(pen_t *p, const char *s, int len, const char *features) {
  PangoLayout *lay = make_layout(p->cr, s, len, features);
  double w = width_of(lay);
  if (flaw_is(p, "horizontal")) {
    show_upright(p->cr, lay, p->x0, TOP + p->line * PITCH + ASC * SIZE);
    p->x0 += w;
  } else {
    /* upward: the column's cells from its foot up (mirrored in the block) */
    double y = flaw_is(p, "upward") ? 2 * TOP + 19 * SIZE - p->y : p->y;
    show_upright(p->cr, lay, p->x0 + (SIZE - w) / 2, y + ASC * SIZE);
    p->y += SIZE;
  }
  g_object_unref(lay);
}

/* A run turned 90° clockwise: its baseline runs down the column, the
 * letters' tops towards the right, the em box filling the column. */
static void turned(pen_t *p, const char *s, int len) {
  PangoLayout *lay = make_layout(p->cr, s, len, NULL);
  double w = width_of(lay), base = pango_layout_get_baseline(lay) / (double)PANGO_SCALE;
  if (flaw_is(p, "horizontal")) {
    show_upright(p->cr, lay, p->x0 + SIZE / 4, TOP + p->line * PITCH + ASC * SIZE);
    p->x0 += w + SIZE / 2;
  } else {
    cairo_save(p->cr);
    cairo_translate(p->cr, p->x0 + (1 - ASC) * SIZE + base, p->y + SIZE / 4);
    cairo_rotate(p->cr, G_PI / 2);
    cairo_move_to(p->cr, 0, 0);
    pango_cairo_update_layout(p->cr, lay);
    pango_cairo_show_layout(p->cr, lay);
    cairo_restore(p->cr);
    p->y += w + SIZE / 2;
  }
  g_object_unref(lay);
}

static void column(pen_t *p, const char *s) {
  gboolean vert = !flaw_is(p, "no-vert");
  while (*s) {
    const char *end;
    if (*s == '{' && (end = strchr(s, '}'))) {
      if (flaw_is(p, "no-tcy"))
        turned(p, s + 1, (int)(end - s - 1));
      else  /* the digits side by side in one cell, centred */
        cell(p, s + 1, (int)(end - s - 1), "hwid=1");
      s = end + 1;
    } else if (*s == '[' && (end = strchr(s, ']'))) {
      if (flaw_is(p, "latin-upright")) {
        for (const char *c = s + 1; c < end; c = g_utf8_next_char(c))
          if (*c != ' ') cell(p, c, (int)(g_utf8_next_char(c) - c), NULL);
      } else {
        turned(p, s + 1, (int)(end - s - 1));
      }
      s = end + 1;
    } else {
      const char *next = g_utf8_next_char(s);
      gunichar c = g_utf8_get_char(s);
      /* the font has no vert form for U+2014: turned, as Pango does */
      if ((flaw_is(p, "turned-han") && c == 0x5B78 /* 學 */) || (c == 0x2014 && vert) ||
          (flaw_is(p, "turned-comma") && c == 0xFF0C /* ， */))
        turned(p, s, (int)(next - s));
      else
        cell(p, s, (int)(next - s), vert && is_vert_punct(c) ? "vert=1" : NULL);
      s = next;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: kmb_vertical_fixture COLUMNS.txt OUT.pdf FLAW\n");
    return 2;
  }
  gchar *text = NULL;
  GError *err = NULL;
  if (!g_file_get_contents(argv[1], &text, NULL, &err)) {
    fprintf(stderr, "%s: error: %s — check the path\n", argv[1], err->message);
    g_error_free(err);
    return 1;
  }
  GPtrArray *cols = g_ptr_array_new_with_free_func(g_free);
  gchar **lines = g_strsplit(text, "\n", -1);
  for (gchar **l = lines; *l; l++)
    if (**l && **l != '#') g_ptr_array_add(cols, g_strdup(*l));
  g_strfreev(lines);
  g_free(text);

  pen_t p = {.flaw = argv[3]};
  if (strcmp(p.flaw, "kinsoku") == 0 && cols->len > 1) {
    /* the second column's first two cells (方來) end the first, so the
     * second begins with ， */
    gchar *a = cols->pdata[0], *b = cols->pdata[1];
    const char *cut = g_utf8_next_char(g_utf8_next_char(b));
    gchar *head = g_strndup(b, (gsize)(cut - b));
    cols->pdata[0] = g_strconcat(a, head, NULL);
    cols->pdata[1] = g_strdup(cut);
    g_free(a), g_free(b), g_free(head);
  }
  if (strcmp(p.flaw, "missing") == 0 && cols->len > 0) {  /* drop 學 */
    gchar *a = cols->pdata[0], *at = strstr(a, "學");
    if (at) memmove(at, at + strlen("學"), strlen(at + strlen("學")) + 1);
  }

  cairo_surface_t *surf = cairo_pdf_surface_create(argv[2], 420, 595);
  p.cr = cairo_create(surf);
  for (guint i = 0; i < cols->len; i++) {
    p.line = (int)i;
    if (strcmp(p.flaw, "horizontal") == 0)
      p.x0 = LEFT;
    else if (strcmp(p.flaw, "ltr") == 0)
      p.x0 = LEFT + i * PITCH;
    else
      p.x0 = RIGHT - SIZE - i * PITCH;
    p.y = TOP - (strcmp(p.flaw, "overflow") == 0 && i == 0 ? 2 * SIZE : 0);
    column(&p, cols->pdata[i]);
  }
  cairo_destroy(p.cr);
  cairo_surface_finish(surf);
  cairo_status_t st = cairo_surface_status(surf);
  cairo_surface_destroy(surf);
  g_ptr_array_free(cols, TRUE);
  if (st != CAIRO_STATUS_SUCCESS) {
    fprintf(stderr, "%s: error: %s — check the directory is writable\n", argv[2],
            cairo_status_to_string(st));
    return 1;
  }
  return 0;
}
