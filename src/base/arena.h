/* kmb_arena: bump allocator for objects that live and die together (a
 * document's nodes and strings, a layout's pages). Freed in one go. */
#ifndef KMB_ARENA_H
#define KMB_ARENA_H

#include <stddef.h>

typedef struct kmb_arena kmb_arena;

kmb_arena *kmb_arena_new(void);
void kmb_arena_drop(kmb_arena *a);
/* Zeroed, aligned memory owned by the arena. Aborts on out-of-memory (GLib policy). */
void *kmb_arena_alloc(kmb_arena *a, size_t size);
/* NUL-terminated copy of s[0..n). */
char *kmb_arena_strndup(kmb_arena *a, const char *s, size_t n);
char *kmb_arena_strdup(kmb_arena *a, const char *s);
char *kmb_arena_printf(kmb_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Bytes handed out so far (for tests and the memory benchmark). */
size_t kmb_arena_used(const kmb_arena *a);

#endif
