/* The OCF container: a ZIP written with libzip, in memory.
 *
 * - "mimetype" comes first, stored, with no extra field;
 * - entries follow in a fixed order (container.xml, package, nav, ncx, css,
 *   cover, chapters, images);
 * - every entry gets the same DOS time, computed from the epoch in UTC with
 *   zip_file_set_dostime (zip_file_set_mtime goes through localtime, so the
 *   bytes would change with TZ; setting no time at all uses "now").
 * libzip reads buffer sources only at zip_close: every buffer here lives in
 * the context (or in this function) until after zip_close. */
#include "epub/epub-imp.h"

#include <string.h>
#include <time.h>
#include <zip.h>

static const char mimetype[] = "application/epub+zip";
static const char container_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n"
    "  <rootfiles>\n"
    "    <rootfile full-path=\"" EPUB_ROOT "content.opf\" media-type=\"application/oebps-package+xml\"/>\n"
    "  </rootfiles>\n"
    "</container>\n";

static void dos_time(long long epoch, zip_uint16_t *dtime, zip_uint16_t *ddate) {
  if (epoch < 315532800LL) epoch = 315532800LL; /* DOS dates start in 1980 */
  time_t t = (time_t)epoch;
  struct tm tm;
  gmtime_r(&t, &tm);
  int year = tm.tm_year + 1900;
  if (year > 2107) year = 2107;
  *ddate = (zip_uint16_t)(((year - 1980) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
  *dtime = (zip_uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
}

static bool add(epub_ctx *cx, zip_t *za, const char *name, const void *data, size_t len,
                bool compress, zip_uint16_t dtime, zip_uint16_t ddate) {
  zip_source_t *src = zip_source_buffer(za, data, len, 0);
  if (!src) goto fail;
  zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
  if (idx < 0) {
    zip_source_free(src);
    goto fail;
  }
  zip_uint64_t i = (zip_uint64_t)idx;
  if (zip_set_file_compression(za, i, compress ? ZIP_CM_DEFLATE : ZIP_CM_STORE,
                               compress ? 9 : 0) < 0 ||
      zip_file_set_dostime(za, i, dtime, ddate, 0) < 0)
    goto fail;
  /* No extra fields (a UT field on mimetype is an EPUBCheck error). */
  zip_file_extra_field_delete(za, i, ZIP_EXTRA_FIELD_ALL, ZIP_FL_LOCAL | ZIP_FL_CENTRAL);
  return true;
fail:
  return epub_fail_output(cx, KMB_E_LIB, NULL, "libzip: cannot add %s: %s", name,
                   zip_error_strerror(zip_get_error(za)));
}

static bool add_item(epub_ctx *cx, zip_t *za, const epub_item *it, zip_uint16_t t,
                     zip_uint16_t d) {
  char *name = g_strconcat(EPUB_ROOT, it->href, NULL);
  bool ok = add(cx, za, name, it->data, it->len, it->compress, t, d);
  g_free(name);
  return ok;
}

bool epub_ocf_pack(epub_ctx *cx, const unsigned char *opf, size_t opf_len, unsigned char **out,
                   size_t *out_len) {
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *mem = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!mem) {
    epub_fail_output(cx, KMB_E_LIB, NULL, "libzip: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return false;
  }
  zip_source_keep(mem); /* survives zip_close so that we can read it back */
  zip_t *za = zip_open_from_source(mem, ZIP_TRUNCATE, &ze);
  if (!za) {
    epub_fail_output(cx, KMB_E_LIB, NULL, "libzip: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    zip_source_free(mem);
    return false;
  }
  zip_uint16_t t, d;
  dos_time(cx->opts->epoch > 0 ? cx->opts->epoch : cx->book->newest_mtime, &t, &d);
  bool ok = add(cx, za, "mimetype", mimetype, strlen(mimetype), false, t, d) &&
            add(cx, za, "META-INF/container.xml", container_xml, strlen(container_xml), true, t,
                d) &&
            add(cx, za, EPUB_ROOT "content.opf", opf, opf_len, true, t, d) &&
            add_item(cx, za, cx->nav, t, d) && add_item(cx, za, cx->ncx, t, d) &&
            add_item(cx, za, cx->css, t, d) && add_item(cx, za, cx->cover_doc, t, d) &&
            add_item(cx, za, cx->cover_image, t, d) && add_item(cx, za, cx->colophon, t, d);
  for (guint i = 0; ok && i < cx->chapters->len; i++)
    ok = add_item(cx, za, cx->chapters->pdata[i], t, d);
  for (guint i = 0; ok && i < cx->images->len; i++)
    ok = add_item(cx, za, cx->images->pdata[i], t, d);
  for (guint i = 0; ok && i < cx->fonts->len; i++)
    ok = add_item(cx, za, cx->fonts->pdata[i], t, d);
  if (ok && cx->font_licence) ok = add_item(cx, za, cx->font_licence, t, d);
  if (!ok) {
    zip_discard(za);
    zip_source_free(mem);
    zip_error_fini(&ze);
    return false;
  }
  if (zip_close(za) < 0) {
    epub_fail_output(cx, KMB_E_LIB, NULL, "libzip: cannot finish the EPUB: %s",
              zip_error_strerror(zip_get_error(za)));
    zip_discard(za);
    zip_source_free(mem);
    zip_error_fini(&ze);
    return false;
  }
  zip_stat_t st;
  ok = zip_source_stat(mem, &st) == 0 && (st.valid & ZIP_STAT_SIZE) && zip_source_open(mem) == 0;
  if (ok) {
    *out_len = (size_t)st.size;
    *out = g_malloc(*out_len ? *out_len : 1);
    ok = zip_source_read(mem, *out, st.size) == (zip_int64_t)st.size;
    zip_source_close(mem);
    if (!ok) {
      g_free(*out);
      *out = NULL;
    }
  }
  zip_source_free(mem);
  zip_error_fini(&ze);
  if (!ok) return epub_fail_output(cx, KMB_E_LIB, NULL, "libzip: cannot read the finished EPUB back");
  return true;
}
