/* Progress reports from long-running writers (chapters or pages done). The
 * CLI draws a bar on a terminal; everywhere else the sink is NULL. */
#ifndef KMB_PROGRESS_H
#define KMB_PROGRESS_H

typedef struct kmb_progress {
  /* what: "EPUB chapters", "PDF pages", ...; total may be 0 when unknown */
  void (*report)(void *user, const char *what, long done, long total);
  void *user;
} kmb_progress;

static inline void kmb_progress_report(const kmb_progress *p, const char *what, long done,
                                       long total) {
  if (p && p->report) p->report(p->user, what, done, total);
}

#endif
