/* Resolving: after loading, work out once the facts about a book that both
 * writers need, and store them in the model, so that the EPUB and the PDF
 * agree by construction and no writer derives them again:
 *
 *   - chapter titles and each chapter's title heading;
 *   - every heading's output level and its id (unique in the book);
 *   - internal links (target chapter and heading id), footnote numbers;
 *   - the language: a normalised BCP 47 tag (default zh-Hans, applied here
 *     and nowhere else), its Pango and PDF /Lang forms, and its labels;
 *   - role words of the people in the metadata, the edition as shown;
 *   - the identifier (given, or derived deterministically);
 *   - image probes (format by magic bytes, pixel size, one pixel limit).
 *
 * Titles: a chapter that does not open with a level-1 heading but has a
 * given title (book.yaml {file, title}, its front matter) gets that title
 * as a level-1 heading of its own, inserted before its first block; a
 * chapter with neither heading nor title is called by its number, with a
 * warning. A book without a title takes a single file's first level-1
 * heading, else its first chapter's title (warned).
 *
 * Heading levels: a chapter's first block, if it is a heading, is the
 * chapter's title and gets level 1 whatever the manuscript wrote. Every
 * other heading goes one below the nearest shallower heading before it
 * (the title included), and at least 2: levels never jump (`#` then `###`
 * gives 1, 2), a chapter has one level-1 heading, and a chapter without a
 * title heading still gets a level-1 contents entry of its own (its title)
 * in both writers. Levels stop at 6. Headings inside quotes, lists and notes
 * count in document order. */
#ifndef KMB_RESOLVE_H
#define KMB_RESOLVE_H

#include "read/read.h"

/* Fills the resolved fields of a loaded book (see doc.h). Warnings (a
 * dangling link, no title) go to opts->diag; false with err set if one is
 * refused (--strict) or a fact cannot be resolved. */
bool kmb_book_resolve(kmb_book *book, const kmb_read_opts *opts, kmb_error *err);

/* Two steps of kmb_book_resolve on their own, for books built by hand
 * (tests) whose links are already resolved: chapter titles (kept if set),
 * heading levels and ids; language, labels, people, identifier. */
void kmb_resolve_headings(kmb_book *book);
void kmb_resolve_meta(kmb_book *book);

/* Probes one image file (magic bytes; size from gdk-pixbuf's header probe
 * or librsvg, nothing decoded); strings go to `a`. kmb_book_resolve probes
 * every local image once and the cover; books built by hand call
 * kmb_resolve_images. */
void kmb_image_probe_file(kmb_arena *a, const char *path, kmb_image_probe *p);
void kmb_resolve_images(kmb_book *book);

/* A BCP 47 tag in its canonical case ("zh_hant_tw" → "zh-Hant-TW"); NULL or
 * empty gives the default, "zh-Hans". g_free the result. */
char *kmb_lang_normalise(const char *tag);

/* langdetect.c: the language of a book whose metadata gives none, from its
 * prose (kana → ja, Hangul → ko, Traditional- versus Simplified-only
 * characters → zh-Hant / zh-Hans, Latin only → en); NULL keeps the default.
 * *note (g_free) says what was counted, for --verbose. */
const char *kmb_lang_detect(const kmb_book *book, char **note);

/* labels.c: the labels and role words for a normalised tag (static data). */
const kmb_labels *kmb_labels_for(const char *tag);
void kmb_labels_role(const char *tag, const char *code, const char **name, const char **credit);

/* The identifier kmbook derives when the metadata gives none:
 * "urn:uuid:…" (UUID v5 shape) over title, authors and language. g_free. */
char *kmb_identifier_derive(const kmb_meta *m);

#endif
