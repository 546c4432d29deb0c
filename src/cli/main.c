/* kmbook command line: the only place that prints or exits. */
#include "base/config.h"
#include "base/version-git.h"
#include "base/file.h"
#include "epub/epub.h"
#include "model/doc.h"
#include "pdf/pdf.h"
#include "read/read.h"
#include "style/style.h"

#include <errno.h>
#include <glib.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct cli {
  gchar *book, *epub, *pdf, *paper, *style, *layout_dump, *convert, *epub_fonts, *writing;
  gboolean dump_model, check, quiet, verbose, version, strict, page_list;
  int warnings;
  gint64 start_us;    /* for the progress bar's elapsed time */
  gint64 last_draw_us;
  bool bar_shown;
  char *book_dir; /* the book folder as the user named it: messages' relative paths are relative to it */
} cli;

/* A one-line progress bar on stderr, redrawn at most 10 times a second; only
 * on a terminal and never with --quiet. */
static void draw_progress(void *user, const char *what, long done, long total) {
  cli *c = user;
  gint64 now = g_get_monotonic_time();
  bool final = total > 0 && done >= total;
  if (!final && now - c->last_draw_us < 100000) return;
  c->last_draw_us = now;
  double secs = (double)(now - c->start_us) / 1e6;
  if (total > 0) {
    int width = 30, fill = (int)((double)width * (double)done / (double)total);
    char bar[64];
    for (int i = 0; i < width; i++) bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    fprintf(stderr, "\r%-14s [%s] %ld/%ld  %.1f s ", what, bar, done, total, secs);
  } else {
    fprintf(stderr, "\r%-14s %ld  %.1f s ", what, done, secs);
  }
  c->bar_shown = true;
  if (final) {
    fputc('\n', stderr);
    c->bar_shown = false;
  }
}

/* "kmbook: FILE:LINE:COL: KIND: MSG", or "FILE: KIND: MSG" without a line. A path relative to the book folder (writers name chapters that way)
 * is shown as a path the user can open. */
static void print_located(cli *c, const char *kind, const char *path, int line, int col,
                          const char *msg) {
  char *shown = NULL;
  if (path && *path && !g_path_is_absolute(path) && c->book_dir && strcmp(c->book_dir, ".") != 0) {
    char *joined = g_build_filename(c->book_dir, path, NULL);
    if (g_file_test(joined, G_FILE_TEST_EXISTS)) shown = joined;
    else g_free(joined);
  }
  const char *p = shown ? shown : path;
  if (p && *p && line > 0) {
    /* FILE:LINE:COL always, as editors expect; an unknown column is the line's start */
    fprintf(stderr, "kmbook: %s:%d:%d: %s: %s\n", p, line, col > 0 ? col : 1, kind, msg);
  } else if (p && *p) {
    fprintf(stderr, "kmbook: %s: %s: %s\n", p, kind, msg);
  } else {
    fprintf(stderr, "kmbook: %s: %s\n", kind, msg);
  }
  g_free(shown);
}

static bool print_warning(void *user, const char *path, int line, int col, const char *msg) {
  cli *c = user;
  c->warnings++;
  if (c->strict) return false; /* the caller turns it into the one error line */
  if (c->quiet) return true;
  if (c->bar_shown) {
    fputc('\n', stderr); /* keep the warning off the bar's line */
    c->bar_shown = false;
  }
  print_located(c, "warning", path, line, col, msg);
  return true;
}

static int report(cli *c, const kmb_error *err) {
  if (c->bar_shown) fputc('\n', stderr);
  char *msg = g_strdup_printf("%s%s", err->msg,
                              (err->flags & KMB_ERRF_WARNING) ? " (warnings are errors: --strict)" : "");
  print_located(c, "error", err->path, err->line, err->col, msg);
  g_free(msg);
  return kmb_error_exit_status(err);
}

static void cli_free(cli *c) {
  g_free(c->book), g_free(c->epub), g_free(c->pdf), g_free(c->paper), g_free(c->style);
  g_free(c->convert), g_free(c->writing), g_free(c->epub_fonts), g_free(c->layout_dump);
  g_free(c->book_dir);
}

static void on_signal(int sig) {
  kmb_outfile_cleanup_all(); /* never leave a partial book behind */
  signal(sig, SIG_DFL);
  raise(sig);
}

/* SOURCE_DATE_EPOCH if set (reproducible builds), else the newest input's mtime. */
static bool build_epoch(const kmb_book *b, long long *epoch, kmb_error *err) {
  const char *s = g_getenv("SOURCE_DATE_EPOCH");
  if (s && *s) {
    char *end = NULL;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (errno || *end || v < 0 || v > 253402300799LL) {
      return kmb_error_set(err, KMB_E_ARG, NULL, 0, 0,
                           "SOURCE_DATE_EPOCH='%s' is not a number of seconds since 1970", s);
    }
    *epoch = v;
    return true;
  }
  *epoch = b->newest_mtime;
  return true;
}

/* An output file must not overwrite one of the book's inputs. */
static bool check_not_input(const kmb_book *b, const char *out, kmb_error *err) {
  char *real = realpath(out, NULL);
  if (!real) return true; /* does not exist yet */
  bool clash = false;
  size_t dl = strlen(b->dir);
  for (size_t i = 0; i < b->n_chapters && !clash; i++) clash = strcmp(b->chapters[i].path, real) == 0;
  if (!clash && strncmp(real, b->dir, dl) == 0 && real[dl] == '/') {
    const char *rel = real + dl + 1;
    clash = strcmp(rel, "book.yaml") == 0 || (b->meta.cover && strcmp(b->meta.cover, real) == 0);
  }
  free(real);
  if (clash) {
    return kmb_error_set(err, KMB_E_ARG, out, 0, 0,
                         "the output would overwrite an input file of the book — choose another "
                         "output path");
  }
  return true;
}

typedef bool (*write_fn)(const kmb_book *, const void *, const char *, kmb_error *);

static bool write_output(const kmb_book *b, const char *path, write_fn fn, const void *opts,
                         kmb_error *err) {
  if (!check_not_input(b, path, err)) return false;
  kmb_outfile out;
  if (!kmb_outfile_open(&out, path, err)) return false;
  if (!fn(b, opts, out.tmp_path, err)) {
    /* the user knows the output by its name, not by our temporary's */
    if (err->flags & KMB_ERRF_OUTPUT) snprintf(err->path, sizeof err->path, "%s", path);
    kmb_outfile_abort(&out);
    return false;
  }
  return kmb_outfile_commit(&out, err);
}

static bool epub_fn(const kmb_book *b, const void *o, const char *p, kmb_error *e) {
  return kmb_epub_write(b, o, p, e);
}

static bool pdf_fn(const kmb_book *b, const void *o, const char *p, kmb_error *e) {
  return kmb_pdf_write(b, o, p, e);
}

int main(int argc, char **argv) {
  /* The user's locale, for GLib's option parsing and --help (printed in the
   * locale's charset: without this, '?' for every non-ASCII character). It
   * is set back to "C" once the options are read, below. */
  setlocale(LC_ALL, "");
  cli c = {0};
  GOptionEntry entries[] = {
      {"book", 'b', 0, G_OPTION_ARG_FILENAME, &c.book,
       "Book folder (with book.yaml) or a single Markdown file (default: the bundled book)", "PATH"},
      {"epub", 'e', 0, G_OPTION_ARG_FILENAME, &c.epub, "Write the book as EPUB 3 to FILE", "FILE"},
      {"pdf", 'p', 0, G_OPTION_ARG_FILENAME, &c.pdf, "Typeset the book as PDF to FILE", "FILE"},
      {"paper", 0, 0, G_OPTION_ARG_STRING, &c.paper, "PDF paper: a5 (default), b5, a4, letter, WxHmm",
       "SIZE"},
      {"style", 0, 0, G_OPTION_ARG_FILENAME, &c.style,
       "Style file (default: styles/default.ini)", "FILE"},
      {"dump-model", 0, 0, G_OPTION_ARG_NONE, &c.dump_model,
       "Print the document model as text and exit", NULL},
      {"layout-dump", 0, 0, G_OPTION_ARG_FILENAME, &c.layout_dump,
       "With --pdf: also write the page/line layout as text to FILE", "FILE"},
      {"page-list", 0, 0, G_OPTION_ARG_NONE, &c.page_list,
       "With --epub: mark the PDF's page breaks in the EPUB and list its pages (laying the PDF "
       "out without writing it; on by default when --pdf is given too)",
       NULL},
      {"epub-fonts", 0, 0, G_OPTION_ARG_STRING, &c.epub_fonts,
       "Fonts inside the EPUB: none (default: the reader's own) or subset (the book's faces, "
       "cut to its characters)",
       "none|subset"},
      {"convert", 0, 0, G_OPTION_ARG_STRING, &c.convert,
       "Build an edition converted with OpenCC: s2t, s2tw, s2twp, s2hk, t2s, tw2s, tw2sp, hk2s, "
       "t2tw, t2hk, hk2t, tw2t",
       "CONFIG"},
      {"writing", 0, 0, G_OPTION_ARG_STRING, &c.writing,
       "Writing mode: horizontal, or vertical (columns right to left, bound on the right)",
       "horizontal|vertical"},
      {"check", 0, 0, G_OPTION_ARG_NONE, &c.check, "Read and validate the book only", NULL},
      {"strict", 0, 0, G_OPTION_ARG_NONE, &c.strict, "Treat warnings as errors", NULL},
      {"quiet", 'q', 0, G_OPTION_ARG_NONE, &c.quiet, "Print errors only", NULL},
      {"verbose", 'v', 0, G_OPTION_ARG_NONE, &c.verbose, "Say what is being done", NULL},
      {"version", 'V', 0, G_OPTION_ARG_NONE, &c.version, "Print the version and exit", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL},
  };
  GOptionContext *octx = g_option_context_new("— build an EPUB 3 and a PDF from a Markdown book");
  g_option_context_add_main_entries(octx, entries, NULL);
  g_option_context_set_description(
      octx,
      "Without --book, kmbook builds its bundled default book.\n"
      "Examples:\n  kmbook --epub book.epub --pdf book.pdf\n"
      "  kmbook --book my-book/ --pdf my-book.pdf --paper b5\n\n"
      "Exit status: 0 success; 1 internal error; 2 bad command line; 3 bad input (syntax,\n"
      "format, limits); 4 file could not be read or written; 5 missing font or feature;\n"
      "130 interrupted.\n");
  GError *gerr = NULL;
  if (!g_option_context_parse(octx, &argc, &argv, &gerr)) {
    fprintf(stderr, "kmbook: error: %s — see kmbook --help\n", gerr->message);
    g_error_free(gerr);
    g_option_context_free(octx);
    return 2;
  }
  g_option_context_free(octx);
  /* The book must not depend on the user's locale: Pango's default language
   * follows LC_CTYPE (measured: under ja_JP.UTF-8 the default book's PDF
   * changed while its layout dump did not — librsvg's Pango context, unlike
   * kmbook's, takes the default language), and printf-family numbers follow
   * LC_NUMERIC. Messages are written as UTF-8 bytes and need no locale.
   * tests/cli/locale.sh checks both. */
  setlocale(LC_ALL, "C");
  if (c.version) {
    if (KMB_GIT_DESCRIBE[0]) {
      printf("kmbook %s (%s)\n", KMB_VERSION, KMB_GIT_DESCRIBE);
    } else {
      printf("kmbook %s\n", KMB_VERSION);
    }
    return 0;
  }
  if (argc > 1) {
    fprintf(stderr, "kmbook: error: unexpected argument '%s' — use --book PATH\n", argv[1]);
    return 2;
  }
  if (!c.epub && !c.pdf && !c.dump_model && !c.check) {
    fprintf(stderr, "kmbook: error: nothing to do — give --epub FILE, --pdf FILE, --dump-model "
                    "or --check (see kmbook --help)\n");
    return 2;
  }
  if (c.page_list && !c.epub) {
    fprintf(stderr, "kmbook: error: --page-list marks the PDF's pages in an EPUB — give --epub "
                    "FILE too (see kmbook --help)\n");
    cli_free(&c);
    return 2;
  }
  kmb_epub_fonts epub_fonts = KMB_EPUB_FONTS_NONE;
  if (c.epub_fonts && strcmp(c.epub_fonts, "subset") == 0) {
    epub_fonts = KMB_EPUB_FONTS_SUBSET;
  } else if (c.epub_fonts && strcmp(c.epub_fonts, "none") != 0) {
    fprintf(stderr, "kmbook: error: --epub-fonts '%s' is not none or subset — see kmbook --help\n",
            c.epub_fonts);
    return 2;
  }
  kmb_writing writing = KMB_WRITING_AUTO;
  if (c.writing && strcmp(c.writing, "horizontal") == 0) {
    writing = KMB_WRITING_HORIZONTAL;
  } else if (c.writing && strcmp(c.writing, "vertical") == 0) {
    writing = KMB_WRITING_VERTICAL;
  } else if (c.writing) {
    fprintf(stderr, "kmbook: error: --writing '%s' is not horizontal or vertical — see kmbook --help\n",
            c.writing);
    cli_free(&c);
    return 2;
  }
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  signal(SIGHUP, on_signal);
  /* Over a file-size limit (ulimit -f) a write should fail with EFBIG and be
   * reported, not kill the process with a partial file left behind. */
  signal(SIGXFSZ, SIG_IGN);

  kmb_error err = {0};
  int status = 0;
  kmb_diag diag = {print_warning, &c};
  kmb_read_opts ropts = {.diag = &diag, .convert = c.convert, .writing = writing};
  /* The environment is read here and nowhere below (see README). */
  const char *datadir = g_getenv("KMBOOK_DATADIR");
  bool no_font_subset = g_getenv("KMB_NO_FONT_SUBSET") != NULL;
  char *book_path = c.book ? g_strdup(c.book) : kmb_data_path(datadir, "book");
  if (!book_path) {
    fprintf(stderr, "kmbook: error: the bundled book is missing — reinstall kmbook or give --book\n");
    return 5;
  }
  kmb_style style;
  char *style_path = c.style ? g_strdup(c.style) : kmb_data_path(datadir, "styles/default.ini");
  kmb_book *book = NULL;
  if (!kmb_style_load(&style, style_path, &err)) goto fail;
  if (c.paper && !kmb_style_set_paper(&style, c.paper, &err)) goto fail;
  if (c.verbose) fprintf(stderr, "kmbook: reading %s\n", book_path);
  c.book_dir = g_file_test(book_path, G_FILE_TEST_IS_DIR) ? g_strdup(book_path)
                                                          : g_path_get_dirname(book_path);
  book = kmb_book_load(book_path, &ropts, &err);
  if (!book) goto fail;
  kmb_book_set_writing(book, (kmb_writing)style.writing);
  if (!kmb_book_check(book, &err)) goto fail;
  if (c.verbose && book->lang_note) fprintf(stderr, "kmbook: language: %s\n", book->lang_note);
  if (c.dump_model) {
    char *d = kmb_book_dump(book);
    fputs(d, stdout);
    g_free(d);
  }
  c.start_us = g_get_monotonic_time();
  kmb_progress progress = {draw_progress, &c};
  const kmb_progress *prog = (!c.quiet && isatty(STDERR_FILENO)) ? &progress : NULL;
  long long epoch = 0;
  if ((c.epub || c.pdf) && !build_epoch(book, &epoch, &err)) goto fail;
  char *generator = g_strdup_printf("kmbook %s", KMB_VERSION);
  kmb_epub_opts eo = {.style = &style, .diag = &diag, .epoch = epoch, .generator = generator,
                      .progress = prog, .datadir = datadir, .fonts = epub_fonts};
  kmb_pdf_opts po = {.style = &style, .diag = &diag, .epoch = epoch, .generator = generator,
                     .layout_dump = c.layout_dump, .progress = prog, .datadir = datadir,
                     .no_font_subset = no_font_subset};
  /* An EPUB built with the PDF (or --page-list) carries the PDF's page
   * breaks: the PDF is laid out first, once, and tells where its pages start. */
  kmb_page_list *pages = c.epub && (c.pdf || c.page_list) ? kmb_page_list_new() : NULL;
  po.page_list = pages;
  eo.page_list = pages;
  bool ok = true;
  if (ok && c.epub && !pages) {
    if (c.verbose) fprintf(stderr, "kmbook: writing %s\n", c.epub);
    ok = write_output(book, c.epub, epub_fn, &eo, &err);
  }
  if (ok && c.pdf) {
    if (c.verbose) fprintf(stderr, "kmbook: writing %s\n", c.pdf);
    ok = write_output(book, c.pdf, pdf_fn, &po, &err);
  } else if (ok && pages) {
    if (c.verbose) fprintf(stderr, "kmbook: laying out the PDF for the page list\n");
    ok = kmb_pdf_write(book, &po, NULL, &err);
  }
  if (ok && pages) {
    if (c.verbose) fprintf(stderr, "kmbook: writing %s (%zu pages listed)\n", c.epub, pages->n);
    ok = write_output(book, c.epub, epub_fn, &eo, &err);
  }
  kmb_page_list_drop(pages);
  g_free(generator);
  if (!ok) goto fail;
  goto done;
fail:
  status = report(&c, &err);
done:
  kmb_book_drop(book);
  g_free(style_path);
  g_free(book_path);
  cli_free(&c);
  return status;
}
