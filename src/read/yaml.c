/* book.yaml / front matter → kmb_meta, with libyaml's document API so every
 * key keeps its line for messages. */
#include "read/read-imp.h"

#include <glib.h>
#include <string.h>
#include <yaml.h>

typedef struct ctx {
  kmb_book *book;
  yaml_document_t *doc;
  const char *path;
  int line0;
  const kmb_read_opts *opts;
  kmb_error *err;
} ctx;

static int line_of(ctx *c, yaml_node_t *n) {
  return (int)n->start_mark.line + c->line0;
}

static int col_of(yaml_node_t *n) {
  return (int)n->start_mark.column + 1;
}

static bool fail(ctx *c, yaml_node_t *n, const char *fmt, const char *key) {
  kmb_error_set(c->err, KMB_E_SYNTAX, c->path, line_of(c, n), col_of(n), fmt, key);
  return false;
}

/* A scalar value as an arena string (NULL if not a scalar). */
static const char *scalar(ctx *c, yaml_node_t *n) {
  if (!n || n->type != YAML_SCALAR_NODE) return NULL;
  return kmb_arena_strndup(c->book->arena, (const char *)n->data.scalar.value,
                           n->data.scalar.length);
}

static bool want_scalar(ctx *c, yaml_node_t *n, const char *key, const char **out) {
  const char *s = scalar(c, n);
  if (!s) return fail(c, n, "'%s' must be a single text value — write `key: value`", key);
  *out = *s ? s : NULL;
  return true;
}

/* A person: a string, or a mapping {name, role, file-as}. */
static bool person(ctx *c, yaml_node_t *n, const char *key, const char *def_role, kmb_person *p) {
  p->role = def_role;
  if (n->type == YAML_SCALAR_NODE) {
    p->name = scalar(c, n);
    return *p->name ? true : fail(c, n, "an entry of '%s' is empty — give a name", key);
  }
  if (n->type != YAML_MAPPING_NODE) {
    return fail(c, n, "an entry of '%s' must be a name or {name, role, file-as}", key);
  }
  for (yaml_node_pair_t *pr = n->data.mapping.pairs.start; pr < n->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = yaml_document_get_node(c->doc, pr->key);
    yaml_node_t *v = yaml_document_get_node(c->doc, pr->value);
    const char *ks = scalar(c, k);
    if (!ks) return fail(c, k, "bad key in '%s'", key);
    const char **dst = strcmp(ks, "name") == 0      ? &p->name
                       : strcmp(ks, "role") == 0    ? &p->role
                       : strcmp(ks, "file-as") == 0 ? &p->file_as
                                                    : NULL;
    if (!dst) {
      if (!kmb_warn_or_fail(c->opts ? c->opts->diag : NULL, c->err, KMB_E_SYNTAX, c->path,
                            line_of(c, k), col_of(k),
                            "unknown key '%s' in '%s' is ignored (known: name, role, file-as)", ks,
                            key)) {
        return false;
      }
      continue;
    }
    if (!want_scalar(c, v, ks, dst)) return false;
  }
  if (!p->name) return fail(c, n, "an entry of '%s' has no name — add `name:`", key);
  if (!p->role) p->role = def_role;
  return true;
}

static bool people(ctx *c, yaml_node_t *n, const char *key, const char *def_role, kmb_person **out,
                   size_t *count) {
  if (n->type == YAML_SEQUENCE_NODE) {
    size_t k = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    kmb_person *ps = kmb_arena_alloc(c->book->arena, (k ? k : 1) * sizeof *ps);
    for (size_t i = 0; i < k; i++) {
      yaml_node_t *it = yaml_document_get_node(c->doc, n->data.sequence.items.start[i]);
      if (!person(c, it, key, def_role, &ps[i])) return false;
    }
    *out = ps;
    *count = k;
    return true;
  }
  kmb_person *p = kmb_arena_alloc(c->book->arena, sizeof *p);
  if (!person(c, n, key, def_role, p)) return false;
  *out = p;
  *count = 1;
  return true;
}

/* The items of a list node (*items NULL and *k 1: a single scalar counts
 * as a list of one); anything else fails with `fmt` naming `key`. */
static bool list_items(ctx *c, yaml_node_t *n, const char *key, const char *fmt,
                       yaml_node_item_t **items, size_t *k) {
  if (n->type == YAML_SEQUENCE_NODE) {
    *items = n->data.sequence.items.start;
    *k = (size_t)(n->data.sequence.items.top - *items);
    return true;
  }
  if (n->type == YAML_SCALAR_NODE) return true;
  return fail(c, n, fmt, key);
}

/* A list of strings (a single string counts as a list of one). */
static bool strings(ctx *c, yaml_node_t *n, const char *key, const char ***out, int **lines,
                    int **colsp, size_t *count) {
  size_t k = 1;
  yaml_node_item_t *items = NULL;
  if (!list_items(c, n, key, "'%s' must be a list — write one `- item` per line", &items, &k))
    return false;
  const char **v = kmb_arena_alloc(c->book->arena, (k + 1) * sizeof *v);
  int *ls = kmb_arena_alloc(c->book->arena, (k + 1) * sizeof *ls);
  int *cols = colsp ? kmb_arena_alloc(c->book->arena, (k + 1) * sizeof *cols) : NULL;
  if (colsp) *colsp = cols;
  for (size_t i = 0; i < k; i++) {
    yaml_node_t *it = items ? yaml_document_get_node(c->doc, items[i]) : n;
    v[i] = scalar(c, it);
    ls[i] = line_of(c, it);
    if (cols) cols[i] = col_of(it);
    if (!v[i] || !*v[i]) return fail(c, it, "an entry of '%s' must be non-empty text", key);
  }
  *out = v;
  if (lines) *lines = ls;
  *count = k;
  return true;
}

/* `chapters:` — each entry a file name, or {file, title} (the title of a
 * chapter whose own headings do not give one; resolve.c). */
static bool chapter_list(ctx *c, yaml_node_t *n, kmb_yaml_meta *ym) {
  size_t k = 1;
  yaml_node_item_t *items = NULL;
  if (!list_items(c, n, "chapters", "'%s' must be a list — write one `- file.md` per line",
                  &items, &k))
    return false;
  kmb_arena *a = c->book->arena;
  ym->chapters = kmb_arena_alloc(a, (k + 1) * sizeof *ym->chapters);
  ym->chapter_titles = kmb_arena_alloc(a, (k + 1) * sizeof *ym->chapter_titles);
  ym->chapter_lines = kmb_arena_alloc(a, (k + 1) * sizeof *ym->chapter_lines);
  ym->chapter_cols = kmb_arena_alloc(a, (k + 1) * sizeof *ym->chapter_cols);
  ym->n_chapters = k;
  for (size_t i = 0; i < k; i++) {
    yaml_node_t *it = items ? yaml_document_get_node(c->doc, items[i]) : n;
    ym->chapter_lines[i] = line_of(c, it);
    ym->chapter_cols[i] = col_of(it);
    ym->chapter_titles[i] = NULL;
    if (it->type == YAML_MAPPING_NODE) {
      for (yaml_node_pair_t *pr = it->data.mapping.pairs.start; pr < it->data.mapping.pairs.top;
           pr++) {
        yaml_node_t *kn = yaml_document_get_node(c->doc, pr->key);
        yaml_node_t *vn = yaml_document_get_node(c->doc, pr->value);
        const char *ks = scalar(c, kn);
        if (ks && strcmp(ks, "file") == 0) {
          if (!want_scalar(c, vn, "file", &ym->chapters[i])) return false;
        } else if (ks && strcmp(ks, "title") == 0) {
          if (!want_scalar(c, vn, "title", &ym->chapter_titles[i])) return false;
        } else {
          return fail(c, kn, "unknown key '%s' in a 'chapters' entry — use file and title",
                      ks ? ks : "?");
        }
      }
      if (!ym->chapters[i])
        return fail(c, it, "a '%s' entry has no file — write `- {file: a.md, title: …}`",
                    "chapters");
      continue;
    }
    ym->chapters[i] = scalar(c, it);
    if (!ym->chapters[i] || !*ym->chapters[i])
      return fail(c, it,
                  "an entry of '%s' must be a file name or {file: a.md, title: …}", "chapters");
  }
  return true;
}

/* true/false, yes/no, on/off (YAML 1.1 words, as people write them). */
static bool want_bool(ctx *c, yaml_node_t *n, const char *key, bool *out) {
  const char *s = scalar(c, n);
  if (s) {
    static const char *yes[] = {"true", "yes", "on"}, *no[] = {"false", "no", "off"};
    for (size_t i = 0; i < G_N_ELEMENTS(yes); i++) {
      if (g_ascii_strcasecmp(s, yes[i]) == 0) return *out = true, true;
      if (g_ascii_strcasecmp(s, no[i]) == 0) return *out = false, true;
    }
  }
  return fail(c, n, "'%s' must be true or false", key);
}

static bool want_writing(ctx *c, yaml_node_t *n, const char *key, kmb_writing *out) {
  const char *s = scalar(c, n);
  if (s && strcmp(s, "horizontal") == 0) return *out = KMB_WRITING_HORIZONTAL, true;
  if (s && strcmp(s, "vertical") == 0) return *out = KMB_WRITING_VERTICAL, true;
  return fail(c, n, "'%s' must be horizontal or vertical", key);
}

static bool links(ctx *c, yaml_node_t *n, kmb_meta *m) {
  if (n->type != YAML_SEQUENCE_NODE) {
    return fail(c, n, "'%s' must be a list of {title, url}", "links");
  }
  size_t k = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
  m->links = kmb_arena_alloc(c->book->arena, (k ? k : 1) * sizeof *m->links);
  m->n_links = k;
  for (size_t i = 0; i < k; i++) {
    yaml_node_t *it = yaml_document_get_node(c->doc, n->data.sequence.items.start[i]);
    if (it->type == YAML_SCALAR_NODE) {
      m->links[i].url = scalar(c, it);
      continue;
    }
    if (it->type != YAML_MAPPING_NODE) return fail(c, it, "'%s' entries are {title, url}", "links");
    for (yaml_node_pair_t *pr = it->data.mapping.pairs.start; pr < it->data.mapping.pairs.top;
         pr++) {
      yaml_node_t *kn = yaml_document_get_node(c->doc, pr->key);
      yaml_node_t *vn = yaml_document_get_node(c->doc, pr->value);
      const char *ks = scalar(c, kn);
      if (ks && strcmp(ks, "title") == 0) {
        if (!want_scalar(c, vn, "title", &m->links[i].title)) return false;
      } else if (ks && strcmp(ks, "url") == 0) {
        if (!want_scalar(c, vn, "url", &m->links[i].url)) return false;
      } else {
        return fail(c, kn, "unknown key '%s' in links — use title and url", ks ? ks : "?");
      }
    }
    if (!m->links[i].url) return fail(c, it, "a '%s' entry has no url", "links");
  }
  return true;
}

static const char *const known_keys =
    "title, subtitle, author, contributors, language, identifier, date, edition, publisher, "
    "source, rights, description, subjects, cover, links, slug, keep-indents, writing, chapters";

bool kmb_read_yaml_meta(kmb_book *book, const char *text, size_t len, const char *path, int line0,
                        const kmb_read_opts *opts, kmb_yaml_meta *ym, kmb_error *err) {
  yaml_parser_t parser;
  yaml_document_t doc;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
  if (!yaml_parser_load(&parser, &doc)) {
    kmb_error_set(err, KMB_E_SYNTAX, path, (int)parser.problem_mark.line + line0,
                  (int)parser.problem_mark.column + 1, "malformed YAML: %s%s%s — fix the metadata",
                  parser.problem ? parser.problem : "syntax error", parser.context ? " " : "",
                  parser.context ? parser.context : "");
    yaml_parser_delete(&parser);
    return false;
  }
  ctx c = {book, &doc, path, line0 + 0, opts, err};
  /* libyaml lines are 0-based: line0 is the 1-based line of text[0]. */
  bool ok = true;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (!root || (root->type == YAML_SCALAR_NODE && root->data.scalar.length == 0)) {
    goto done; /* empty metadata */
  }
  if (root->type != YAML_MAPPING_NODE) {
    ok = fail(&c, root, "metadata must be `key: value` lines%s", "");
    goto done;
  }
  kmb_meta *m = &book->meta;
  for (yaml_node_pair_t *pr = root->data.mapping.pairs.start; ok && pr < root->data.mapping.pairs.top;
       pr++) {
    yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
    yaml_node_t *v = yaml_document_get_node(&doc, pr->value);
    const char *key = scalar(&c, k);
    if (!key) {
      ok = fail(&c, k, "metadata keys must be plain words%s", "");
      break;
    }
    const char *dummy;
    if (strcmp(key, "title") == 0) ok = want_scalar(&c, v, key, &m->title);
    else if (strcmp(key, "subtitle") == 0) ok = want_scalar(&c, v, key, &m->subtitle);
    else if (strcmp(key, "author") == 0 || strcmp(key, "authors") == 0)
      ok = people(&c, v, key, "aut", &m->creators, &m->n_creators);
    else if (strcmp(key, "contributors") == 0)
      ok = people(&c, v, key, "ctb", &m->contributors, &m->n_contributors);
    else if (strcmp(key, "language") == 0 || strcmp(key, "lang") == 0)
      ok = want_scalar(&c, v, key, &m->lang);
    else if (strcmp(key, "identifier") == 0) ok = want_scalar(&c, v, key, &m->identifier);
    else if (strcmp(key, "date") == 0) ok = want_scalar(&c, v, key, &m->date);
    else if (strcmp(key, "edition") == 0) ok = want_scalar(&c, v, key, &m->edition);
    else if (strcmp(key, "publisher") == 0) ok = want_scalar(&c, v, key, &m->publisher);
    else if (strcmp(key, "source") == 0) ok = want_scalar(&c, v, key, &m->source);
    else if (strcmp(key, "rights") == 0) ok = want_scalar(&c, v, key, &m->rights);
    else if (strcmp(key, "description") == 0) ok = want_scalar(&c, v, key, &m->description);
    else if (strcmp(key, "slug") == 0) ok = want_scalar(&c, v, key, &m->slug);
    else if (strcmp(key, "subjects") == 0 || strcmp(key, "keywords") == 0)
      ok = strings(&c, v, key, &m->subjects, NULL, NULL, &m->n_subjects);
    else if (strcmp(key, "links") == 0) ok = links(&c, v, m);
    else if (strcmp(key, "keep-indents") == 0 || strcmp(key, "keep_indents") == 0)
      ok = want_bool(&c, v, key, &m->keep_indents);
    else if (strcmp(key, "writing") == 0) ok = want_writing(&c, v, key, &m->writing);
    else if (strcmp(key, "cover") == 0) {
      ok = want_scalar(&c, v, key, &dummy);
      if (ok && ym) ym->cover_raw = dummy, ym->cover_line = line_of(&c, v);
    } else if (strcmp(key, "chapters") == 0) {
      if (!ym) {
        ok = fail(&c, k, "'%s' belongs in book.yaml, not in front matter", key);
      } else {
        ok = chapter_list(&c, v, ym);
      }
    } else {
      ok = kmb_warn_or_fail(opts ? opts->diag : NULL, err, KMB_E_SYNTAX, path, line_of(&c, k),
                            col_of(k), "unknown metadata key '%s' is ignored (known: %s)", key,
                            known_keys);
    }
  }
done:
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return ok;
}

/* Line ends in front matter: "\n", "\r\n" or a lone "\r" (old Mac files),
 * as in CommonMark. Returns the offset just past the line end at e. */
static size_t skip_eol(const char *text, size_t len, size_t e) {
  if (e < len && text[e] == '\r') e++;
  else if (e < len && text[e] == '\n') return e + 1;
  if (e < len && text[e] == '\n' && text[e - 1] == '\r') e++;
  return e;
}

bool kmb_read_front_matter(const char *text, size_t len, const char **fm, size_t *fm_len,
                           const char **body, size_t *body_line) {
  *body = text;
  *body_line = 1;
  if (len < 4 || strncmp(text, "---", 3) != 0) return false;
  size_t i = 3;
  while (i < len && (text[i] == ' ' || text[i] == '\t')) i++;
  if (i >= len || (text[i] != '\n' && text[i] != '\r')) return false;
  i = skip_eol(text, len, i);
  size_t start = i, line = 2;
  while (i < len) {
    size_t e = i;
    while (e < len && text[e] != '\n' && text[e] != '\r') e++;
    size_t n = e - i;
    while (n && (text[i + n - 1] == ' ' || text[i + n - 1] == '\t')) n--;
    if ((n == 3 && (strncmp(text + i, "---", 3) == 0 || strncmp(text + i, "...", 3) == 0))) {
      *fm = text + start;
      *fm_len = i - start;
      *body = text + skip_eol(text, len, e);
      *body_line = line + 1;
      return true;
    }
    line++;
    i = skip_eol(text, len, e);
  }
  return false; /* no closing line: not front matter, a thematic break */
}
