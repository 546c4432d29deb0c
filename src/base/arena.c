#include "base/arena.h"

#include <glib.h>
#include <stdarg.h>
#include <string.h>

typedef struct block {
  struct block *next;
  size_t size, used;
  max_align_t data[]; /* aligned storage follows */
} block;

struct kmb_arena {
  block *head;
  size_t total;
};

enum { BLOCK_MIN = 64 * 1024 };

kmb_arena *kmb_arena_new(void) {
  return g_new0(kmb_arena, 1);
}

void kmb_arena_drop(kmb_arena *a) {
  if (!a) return;
  for (block *b = a->head, *n; b; b = n) {
    n = b->next;
    g_free(b);
  }
  g_free(a);
}

void *kmb_arena_alloc(kmb_arena *a, size_t size) {
  const size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  block *b = a->head;
  if (!b || b->size - b->used < size) {
    size_t cap = size > BLOCK_MIN ? size : BLOCK_MIN;
    b = g_malloc(sizeof(block) + cap);
    b->size = cap;
    b->used = 0;
    /* A big one-off allocation goes behind the current block so that the
     * current block's free space is not wasted. */
    if (a->head && size > BLOCK_MIN) {
      b->next = a->head->next;
      a->head->next = b;
    } else {
      b->next = a->head;
      a->head = b;
    }
  }
  void *p = (char *)b->data + b->used;
  b->used += size;
  a->total += size;
  memset(p, 0, size);
  return p;
}

char *kmb_arena_strndup(kmb_arena *a, const char *s, size_t n) {
  char *p = kmb_arena_alloc(a, n + 1);
  if (n) memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *kmb_arena_strdup(kmb_arena *a, const char *s) {
  return s ? kmb_arena_strndup(a, s, strlen(s)) : NULL;
}

char *kmb_arena_printf(kmb_arena *a, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *tmp = g_strdup_vprintf(fmt, ap);
  va_end(ap);
  char *p = kmb_arena_strdup(a, tmp);
  g_free(tmp);
  return p;
}

size_t kmb_arena_used(const kmb_arena *a) {
  return a->total;
}
