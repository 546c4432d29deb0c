/* Figures, loaded and decoded at layout time into the page model's images
 * (kmb_pimage; render/render.c draws them): PNG through cairo; JPEG embedded as-is (its size read from the
 * SOF marker, the bytes attached as CAIRO_MIME_TYPE_JPEG so cairo writes a
 * DCTDecode stream without decoding or re-encoding); SVG drawn as vectors by
 * librsvg with the project fonts; GIF and other raster formats through
 * gdk-pixbuf (comes with librsvg). Natural sizes: pixels at 96 dpi. The
 * format, the size and the pixel limit come from the reader's probe
 * (read/resolve.c), the same the EPUB uses. */
#include "base/file.h"
#include "pdf/pdf-imp.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <librsvg/rsvg.h>
#include <string.h>

#define PX (72.0 / 96.0)

/* A JPEG is passed through unread, so check that it is whole: a scan (SOS)
 * after the frame header and the end marker (EOI) near the end of the file
 * (a few trailing bytes are tolerated). A truncated file would embed fine
 * and print as a grey or garbled band. */
static bool jpeg_whole(const unsigned char *d, size_t n) {
  bool sos = false;
  for (size_t i = 2; i + 1 < n && i < 65536 * 4; i++)
    if (d[i] == 0xFF && d[i + 1] == 0xDA) {
      sos = true;
      break;
    }
  if (!sos) return false;
  size_t from = n > 1024 ? n - 1024 : 0;
  for (size_t i = n; i-- > from + 1;)
    if (d[i - 1] == 0xFF && d[i] == 0xD9) return true;
  return false;
}

static cairo_surface_t *pixbuf_surface(GdkPixbuf *pb) {
  int w = gdk_pixbuf_get_width(pb), h = gdk_pixbuf_get_height(pb);
  int nch = gdk_pixbuf_get_n_channels(pb), rs = gdk_pixbuf_get_rowstride(pb);
  bool alpha = gdk_pixbuf_get_has_alpha(pb);
  const guchar *src = gdk_pixbuf_read_pixels(pb);
  cairo_surface_t *s = cairo_image_surface_create(alpha ? CAIRO_FORMAT_ARGB32 : CAIRO_FORMAT_RGB24, w, h);
  unsigned char *dst = cairo_image_surface_get_data(s);
  int ds = cairo_image_surface_get_stride(s);
  cairo_surface_flush(s);
  for (int y = 0; y < h; y++) {
    const guchar *p = src + y * rs;
    uint32_t *q = (uint32_t *)(dst + y * ds);
    for (int x = 0; x < w; x++, p += nch) {
      unsigned a = alpha ? p[3] : 255;
      unsigned r = p[0] * a / 255, g = p[1] * a / 255, b = p[2] * a / 255;
      q[x] = (a << 24) | (r << 16) | (g << 8) | b;
    }
  }
  cairo_surface_mark_dirty(s);
  return s;
}

kmb_img *kmb_img_load(kmb_pdf_ctx *c, const kmb_image_probe *pr, const char *path,
                      const char *src, int line) {
  kmb_img *img = kmb_arena_alloc(c->arena, sizeof *img);
  img->path = kmb_arena_strdup(c->arena, path);
  if (!pr || pr->format == KMB_IMAGE_UNKNOWN) {
    kmb_pdf_warn(c, src, line, "image '%s' cannot be embedded (%s): use PNG, JPEG or SVG; it is left out",
                 path, pr && pr->problem ? pr->problem : "unknown format");
    return NULL;
  }
  if (pr->too_big) {
    kmb_pdf_warn(c, src, line, "image '%s' is too large (%.0f×%.0f pixels; at most %.0f million): it is left out",
                 path, pr->width, pr->height, KMB_IMAGE_MAX_PIXELS / 1e6);
    return NULL;
  }
  if (pr->format == KMB_IMAGE_SVG) {
    GError *ge = NULL;
    RsvgHandle *h = rsvg_handle_new_from_file(path, &ge);
    if (!h) {
      kmb_pdf_warn(c, src, line, "cannot read SVG '%s': %s", path, ge ? ge->message : "?");
      if (ge) g_error_free(ge);
      return NULL;
    }
    double w = pr->width, hh = pr->height;
    if (w <= 0 || hh <= 0) {
      RsvgRectangle ink, log;
      void *prev = kmb_fonts_svg_begin(c->fonts); /* measuring lays out the SVG's text */
      if (rsvg_handle_get_geometry_for_layer(h, NULL, &(RsvgRectangle){0, 0, 400, 300}, &ink,
                                             &log, NULL)) {
        w = log.width, hh = log.height;
      }
      kmb_fonts_svg_end(prev);
      if (w <= 0 || hh <= 0) w = 400, hh = 300;
    }
    img->kind = KMB_PIMG_SVG;
    img->w = w * PX, img->h = hh * PX;
    img->handle = h;
    g_ptr_array_add(c->imgs, img);
    return img;
  }
  size_t len = 0;
  kmb_error e;
  kmb_error_clear(&e);
  unsigned char *data = (unsigned char *)kmb_file_read(path, &len, &e);
  if (!data) {
    kmb_pdf_warn(c, src, line, "cannot read image '%s': %s", path, e.msg);
    return NULL;
  }
  int w = (int)pr->width, h = (int)pr->height;
  if (pr->format == KMB_IMAGE_PNG) {
    g_free(data);
    if (w <= 0 || h <= 0) {
      kmb_pdf_warn(c, src, line, "PNG '%s' is damaged (no valid header): it is left out", path);
      return NULL;
    }
    cairo_surface_t *s = cairo_image_surface_create_from_png(path);
    if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
      /* cairo reports most decoding failures as "out of memory" */
      kmb_pdf_warn(c, src, line, "PNG '%s' is damaged or truncated (cairo: %s): it is left out",
                   path, cairo_status_to_string(cairo_surface_status(s)));
      cairo_surface_destroy(s);
      return NULL;
    }
    img->kind = KMB_PIMG_RASTER;
    img->w = cairo_image_surface_get_width(s) * PX;
    img->h = cairo_image_surface_get_height(s) * PX;
    img->handle = s;
  } else if (pr->format == KMB_IMAGE_JPEG && w > 0 && h > 0) {
    if (!jpeg_whole(data, len)) {
      kmb_pdf_warn(c, src, line, "JPEG '%s' is truncated or damaged (no end marker): it is left out",
                   path);
      g_free(data);
      return NULL;
    }
    /* The pixels are never looked at: cairo's PDF backend writes the
     * attached JPEG bytes as they are. The surface only carries the size. */
    cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
    cairo_surface_set_mime_data(s, CAIRO_MIME_TYPE_JPEG, data, len, g_free, data);
    img->kind = KMB_PIMG_RASTER;
    img->w = w * PX, img->h = h * PX;
    img->handle = s;
  } else {
    g_free(data);
    GError *ge = NULL;
    GdkPixbuf *pb = gdk_pixbuf_new_from_file(path, &ge);
    if (!pb) {
      kmb_pdf_warn(c, src, line,
                   "image '%s' cannot be embedded (%s): use PNG, JPEG or SVG; it is left out", path,
                   ge ? ge->message : "unknown format");
      if (ge) g_error_free(ge);
      return NULL;
    }
    img->kind = KMB_PIMG_RASTER;
    img->w = gdk_pixbuf_get_width(pb) * PX;
    img->h = gdk_pixbuf_get_height(pb) * PX;
    img->handle = pixbuf_surface(pb);
    g_object_unref(pb);
  }
  g_ptr_array_add(c->imgs, img);
  return img;
}

void kmb_img_release(void *p) {
  kmb_img *img = p;
  if (!img || !img->handle) return;
  if (img->kind == KMB_PIMG_SVG) g_object_unref(img->handle);
  else cairo_surface_destroy(img->handle);
  img->handle = NULL;
}
