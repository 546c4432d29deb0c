/* /Lang for the document catalog. Cairo 1.16 has no API for it, so after
 * cairo has finished the file we append a PDF incremental update (ISO 32000
 * §7.5.6): a new revision of the catalog object with /Lang and
 * /ViewerPreferences << /DisplayDocTitle true >> (/Direction /R2L too for a
 * vertical book: bound on the right, spreads read right to left) (and of the info dictionary
 * with "D:" dates, which cairo 1.16 leaves out), a small xref section
 * and a trailer pointing back with /Prev. The original bytes stay untouched,
 * and the result depends only on the input: two builds stay byte-identical.
 * Chosen over the qpdf CLI (--update-from-json --deterministic-id) so that
 * building a book needs no extra program at run time. The tests check the
 * result with qpdf --check and PyMuPDF. */
#include "base/file.h"
#include "pdf/pdf-imp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *rfind(const char *hay, size_t n, const char *needle) {
  size_t m = strlen(needle);
  if (n < m) return NULL;
  for (size_t i = n - m + 1; i-- > 0;)
    if (memcmp(hay + i, needle, m) == 0) return hay + i;
  return NULL;
}

static long dict_int(const char *dict, const char *key) {
  const char *p = strstr(dict, key);
  if (!p) return -1;
  p += strlen(key);
  while (*p == ' ' || *p == '\n' || *p == '\r') p++;
  return strtol(p, NULL, 10);
}

/* Byte offset of object `num` from the xref table at `xref`; -1 if absent. */
static long xref_offset(const char *d, size_t n, long xref, long num) {
  if (xref < 0 || (size_t)xref + 4 > n || strncmp(d + xref, "xref", 4) != 0) return -1;
  const char *p = d + xref + 4;
  const char *end = d + n;
  while (p < end) {
    while (p < end && (*p == '\n' || *p == '\r' || *p == ' ')) p++;
    if (p >= end || strncmp(p, "trailer", 7) == 0) return -1;
    char *q;
    long start = strtol(p, &q, 10);
    long count = strtol(q, &q, 10);
    if (q == p) return -1;
    while (q < end && *q != '\n' && *q != '\r') q++;
    while (q < end && (*q == '\n' || *q == '\r')) q++;
    if (num >= start && num < start + count) {
      const char *e = q + (num - start) * 20;
      if (e + 18 > end || e[17] != 'n') return -1;
      return strtol(e, NULL, 10);
    }
    p = q + count * 20;
  }
  return -1;
}

/* The dictionary text of the object at byte offset off, as a new GString
 * without the closing ">>" (so keys can be appended), or NULL. */
static GString *object_dict(const char *d, size_t n, long off) {
  if (off < 0 || (size_t)off >= n) return NULL;
  const char *body = strstr(d + off, "obj");
  const char *endobj = body ? strstr(body, "endobj") : NULL;
  if (!body || !endobj) return NULL;
  body += 3;
  while (body < endobj && (*body == ' ' || *body == '\n' || *body == '\r')) body++;
  const char *dend = endobj;
  while (dend > body && (dend[-1] == ' ' || dend[-1] == '\n' || dend[-1] == '\r')) dend--;
  if (dend - body < 4 || strncmp(body, "<<", 2) != 0 || strncmp(dend - 2, ">>", 2) != 0)
    return NULL;
  return g_string_new_len(body, dend - 2 - body);
}

/* Cairo 1.16 writes /CreationDate (20240102000000Z) without the "D:" that
 * ISO 32000 §7.9.4 asks for; add it. */
static void fix_date(GString *dict, const char *key) {
  char *k = g_strdup_printf("%s (", key);
  char *at = strstr(dict->str, k);
  if (at && strncmp(at + strlen(k), "D:", 2) != 0)
    g_string_insert(dict, (at - dict->str) + (gssize)strlen(k), "D:");
  g_free(k);
}

bool kmb_pdf_set_lang(const char *path, const char *lang, bool r2l, kmb_error *err) {
  size_t n = 0;
  char *d = kmb_file_read(path, &n, err);
  if (!d) {
    if (err) err->flags |= KMB_ERRF_OUTPUT;
    return false;
  }
  bool ok = false;
  GString *dict = NULL, *idict = NULL;
  const char *sx = rfind(d, n, "startxref");
  const char *tr = rfind(d, n, "trailer");
  if (!sx || !tr || tr > sx) {
    kmb_error_set_output(err, KMB_E_FORMAT, path, "cannot add /Lang: no trailer in cairo's PDF");
    goto out;
  }
  long xref = strtol(sx + 9, NULL, 10);
  char trailer[512];
  snprintf(trailer, sizeof trailer, "%.*s", (int)MIN((size_t)(sx - tr), sizeof trailer - 1), tr);
  long size = dict_int(trailer, "/Size"), root = dict_int(trailer, "/Root"),
       info = dict_int(trailer, "/Info");
  dict = size > 0 && root > 0 ? object_dict(d, n, xref_offset(d, n, xref, root)) : NULL;
  if (!dict) {
    kmb_error_set_output(err, KMB_E_FORMAT, path, "cannot add /Lang: catalog not found");
    goto out;
  }
  if (!strstr(dict->str, "/Lang")) g_string_append_printf(dict, "   /Lang (%s)\n", lang);
  if (!strstr(dict->str, "/ViewerPreferences"))
    g_string_append(dict, r2l ? "   /ViewerPreferences << /DisplayDocTitle true /Direction /R2L >>\n"
                              : "   /ViewerPreferences << /DisplayDocTitle true >>\n");
  g_string_append(dict, ">>");
  idict = info > 0 ? object_dict(d, n, xref_offset(d, n, xref, info)) : NULL;
  if (idict) {
    fix_date(idict, "/CreationDate");
    fix_date(idict, "/ModDate");
    g_string_append(idict, ">>");
  }

  FILE *fp = fopen(path, "ab");
  if (!fp) {
    kmb_error_set_output(err, KMB_E_IO, path, "cannot add /Lang: %s", strerror(errno));
    goto out;
  }
  long pos = (long)n;
  if (n && d[n - 1] != '\n') {
    fputc('\n', fp);
    pos++;
  }
  /* New revisions of the catalog and the info dictionary; xref subsections
   * go in ascending object order. */
  long num[2] = {root, info};
  GString *obj[2] = {dict, idict};
  if (idict && info < root) {
    num[0] = info, num[1] = root;
    obj[0] = idict, obj[1] = dict;
  }
  int nobj = idict ? 2 : 1;
  long at[2] = {0, 0};
  GString *upd = g_string_new(NULL);
  for (int i = 0; i < nobj; i++) {
    at[i] = pos + (long)upd->len;
    g_string_append_printf(upd, "%ld 0 obj\n%s\nendobj\n", num[i], obj[i]->str);
  }
  long xpos = pos + (long)upd->len;
  g_string_append(upd, "xref\n");
  for (int i = 0; i < nobj; i++)
    g_string_append_printf(upd, "%ld 1\n%010ld 00000 n \n", num[i], at[i]);
  g_string_append_printf(upd, "trailer\n<< /Size %ld\n   /Root %ld 0 R\n", size, root);
  if (info > 0) g_string_append_printf(upd, "   /Info %ld 0 R\n", info);
  g_string_append_printf(upd, "   /Prev %ld\n>>\nstartxref\n%ld\n%%%%EOF\n", xref, xpos);
  size_t wrote = fwrite(upd->str, 1, upd->len, fp);
  bool closed = fclose(fp) == 0;
  if (wrote != upd->len || !closed)
    kmb_error_set_output(err, KMB_E_IO, path, "cannot add /Lang: write failed");
  else
    ok = true;
  g_string_free(upd, TRUE);
out:
  if (dict) g_string_free(dict, TRUE);
  if (idict) g_string_free(idict, TRUE);
  g_free(d);
  return ok;
}
