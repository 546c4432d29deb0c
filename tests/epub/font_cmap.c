/* font_cmap FONT...: prints each font's mapped code points, one hex number
 * a line, as "FILE U+XXXX" — the test reads a subset's character coverage
 * with the library that made it (HarfBuzz), no font tools needed. */
#include <hb.h>
#include <stdio.h>

int main(int argc, char **argv) {
  for (int i = 1; i < argc; i++) {
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(argv[i]);
    if (!blob) {
      fprintf(stderr, "%s: error: cannot read the font\n", argv[i]);
      return 1;
    }
    hb_face_t *face = hb_face_create(blob, 0);
    hb_set_t *set = hb_set_create();
    hb_face_collect_unicodes(face, set);
    if (hb_face_get_glyph_count(face) == 0) {
      fprintf(stderr, "%s: error: not a font (no glyphs)\n", argv[i]);
      return 1;
    }
    hb_codepoint_t cp = HB_SET_VALUE_INVALID;
    while (hb_set_next(set, &cp)) printf("%s U+%04X\n", argv[i], (unsigned)cp);
    hb_set_destroy(set);
    hb_face_destroy(face);
    hb_blob_destroy(blob);
  }
  return 0;
}
