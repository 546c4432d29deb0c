/* The print edition's page starts (pagelist.h). */
#include "model/pagelist.h"

#include <glib.h>
#include <string.h>

kmb_page_list *kmb_page_list_new(void) {
  return g_new0(kmb_page_list, 1);
}

void kmb_page_list_drop(kmb_page_list *pl) {
  if (!pl) return;
  g_free(pl->pages);
  g_free(pl->source);
  g_free(pl);
}

kmb_page_start *kmb_page_list_add(kmb_page_list *pl) {
  if (pl->n == pl->cap) {
    pl->cap = pl->cap ? pl->cap * 2 : 64;
    pl->pages = g_renew(kmb_page_start, pl->pages, pl->cap);
  }
  kmb_page_start *ps = &pl->pages[pl->n++];
  memset(ps, 0, sizeof *ps);
  ps->chapter = -1;
  return ps;
}

void kmb_page_list_clear(kmb_page_list *pl) {
  pl->n = 0;
  g_free(pl->source);
  pl->source = NULL;
}
