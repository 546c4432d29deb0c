/* Raw HTML from the manuscript. It is never pasted through: libxml2's HTML
 * parser reads it, and an allowlist copies the safe part into the XHTML tree
 * (so it is well-formed by construction). Whatever is removed — scripts,
 * styles, frames, embedded objects, event handlers, javascript: URLs,
 * images that bypass the manifest — is named in one warning per fragment. */
#include "epub/epub-imp.h"

#include <libxml/HTMLparser.h>
#include <stdlib.h>
#include <string.h>

#define X(s) ((const xmlChar *)(s))

/* Removed with everything inside them. */
static const char *const drop_all[] = {
    "script", "style",  "iframe", "object",  "embed",  "applet",   "frame",  "frameset",
    "noscript", "link", "meta",   "base",    "form",   "input",    "button", "select",
    "textarea", "option", "svg",  "math",    "canvas", "video",    "audio",  "source",
    "track",  "template", "img",  "picture", "title",  "param",    "dialog", "map",
    "area",   "object", NULL};

/* Flow and phrasing elements kept as they are. */
static const char *const keep_block[] = {
    "p", "div", "blockquote", "pre", "ol", "ul", "li", "dl", "dt", "dd", "table", "caption",
    "thead", "tbody", "tfoot", "tr", "th", "td", "colgroup", "col", "figure", "figcaption",
    "section", "article", "aside", "header", "footer", "address", "details", "summary", "hr",
    NULL};
static const char *const keep_inline[] = {
    "span", "br", "code", "em", "strong", "b", "i", "u", "s", "sub", "sup", "small", "mark",
    "abbr", "cite", "q", "dfn", "kbd", "samp", "var", "del", "ins", "ruby", "rt", "rp", "bdi",
    "bdo", "a", "time", "wbr", "rp", NULL};
static const char *const voids[] = {"br", "wbr", "hr", "col", NULL};

static bool in_list(const char *const *l, const char *s) {
  for (; *l; l++) {
    if (strcmp(*l, s) == 0) return true;
  }
  return false;
}

static void note(epub_html_in *h, const char *what) {
  if (strstr(h->dropped->str, what)) return;
  if (h->dropped->len) g_string_append(h->dropped, ", ");
  g_string_append(h->dropped, what);
}

static bool is_int(const char *v) {
  if (!v || !*v) return false;
  if (*v == '-') v++;
  for (; *v; v++) {
    if (!g_ascii_isdigit(*v)) return false;
  }
  return true;
}

static void copy_attrs(epub_html_in *h, xmlNodePtr out, xmlNodePtr el) {
  epub_ctx *cx = h->cx;
  const char *name = (const char *)el->name;
  for (xmlAttrPtr a = el->properties; a; a = a->next) {
    const char *an = (const char *)a->name;
    xmlChar *raw = xmlNodeListGetString(el->doc, a->children, 1);
    const char *v = raw ? (const char *)raw : "";
    const char *keep = NULL; /* value to write, or NULL to drop */
    char *owned = NULL;
    bool quiet = false;
    if (strcmp(an, "class") == 0 || strcmp(an, "title") == 0 || strcmp(an, "lang") == 0 ||
        strcmp(an, "aria-label") == 0) {
      keep = v;
    } else if (strcmp(an, "dir") == 0) {
      if (!strcmp(v, "ltr") || !strcmp(v, "rtl") || !strcmp(v, "auto")) keep = v;
    } else if (strcmp(an, "id") == 0) {
      if (epub_is_ncname(v) && !g_hash_table_contains(cx->ids[h->chapter], v)) {
        g_hash_table_add(cx->ids[h->chapter], kmb_arena_strdup(cx->arena, v));
        keep = v;
      }
    } else if ((strcmp(an, "colspan") == 0 || strcmp(an, "rowspan") == 0) &&
               (!strcmp(name, "td") || !strcmp(name, "th"))) {
      if (is_int(v) && atoi(v) > 0) keep = v;
    } else if (strcmp(an, "scope") == 0 && strcmp(name, "th") == 0) {
      if (!strcmp(v, "row") || !strcmp(v, "col") || !strcmp(v, "rowgroup") ||
          !strcmp(v, "colgroup"))
        keep = v;
    } else if (strcmp(an, "span") == 0 && (!strcmp(name, "col") || !strcmp(name, "colgroup"))) {
      if (is_int(v) && atoi(v) > 0) keep = v;
    } else if (strcmp(an, "start") == 0 && strcmp(name, "ol") == 0) {
      if (is_int(v)) keep = v;
    } else if (strcmp(an, "reversed") == 0 && strcmp(name, "ol") == 0) {
      keep = "reversed";
    } else if (strcmp(an, "type") == 0 && strcmp(name, "ol") == 0) {
      if (!strcmp(v, "1") || !strcmp(v, "a") || !strcmp(v, "A") || !strcmp(v, "i") ||
          !strcmp(v, "I"))
        keep = v;
    } else if (strcmp(an, "value") == 0 && strcmp(name, "li") == 0) {
      if (is_int(v)) keep = v;
    } else if (strcmp(an, "open") == 0 && strcmp(name, "details") == 0) {
      keep = "open";
    } else if (strcmp(an, "datetime") == 0 &&
               (!strcmp(name, "time") || !strcmp(name, "del") || !strcmp(name, "ins"))) {
      keep = v;
    } else if (strcmp(an, "href") == 0 && strcmp(name, "a") == 0) {
      if (g_ascii_strncasecmp(v, "http://", 7) == 0 || g_ascii_strncasecmp(v, "https://", 8) == 0 ||
          g_ascii_strncasecmp(v, "mailto:", 7) == 0) {
        keep = owned = epub_href_escape(v);
      } else if (v[0] == '#' && g_hash_table_contains(cx->ids[h->chapter], v + 1)) {
        keep = owned = epub_href_escape(v);
      }
    } else if (strncmp(an, "aria-", 5) == 0 || strcmp(an, "role") == 0 ||
               strncmp(an, "data-", 5) == 0 || strcmp(an, "width") == 0 ||
               strcmp(an, "height") == 0 || strcmp(an, "align") == 0 ||
               strcmp(an, "cite") == 0 || strcmp(an, "headers") == 0 ||
               strcmp(an, "translate") == 0) {
      quiet = true; /* harmless, but unchecked values could make the book invalid */
    }
    if (keep) {
      char *clean = epub_xml_text(keep, strlen(keep));
      xmlSetProp(out, a->name, X(clean));
      g_free(clean);
    } else if (!quiet) {
      char *what = strncmp(an, "on", 2) == 0 ? g_strdup_printf("%s= handler", an)
                                             : g_strdup_printf("%s=\"%.40s\"", an, v);
      note(h, what);
      g_free(what);
    }
    g_free(owned);
    if (raw) xmlFree(raw);
  }
}

static void copy_children(epub_html_in *h, xmlNodePtr dst, xmlNodePtr first);

static void copy_element(epub_html_in *h, xmlNodePtr dst, xmlNodePtr el) {
  const char *name = (const char *)el->name;
  char tag[64];
  if (strcmp(name, "rp") == 0) return; /* EPUB discourages <rp>; ruby readers never show it */
  if (in_list(drop_all, name)) {
    snprintf(tag, sizeof tag, "<%s>", name);
    note(h, tag);
    return;
  }
  if (name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && !name[2]) {
    /* A heading here would break the document outline (and the TOC). */
    xmlNodePtr p = epub_el(dst, "p");
    xmlSetProp(p, X("class"), X("raw-heading"));
    copy_children(h, p, el->children);
    return;
  }
  if (!in_list(keep_block, name) && !in_list(keep_inline, name)) {
    snprintf(tag, sizeof tag, "<%s> (its text is kept)", name);
    note(h, tag);
    copy_children(h, dst, el->children);
    return;
  }
  xmlNodePtr out = epub_el(dst, name);
  copy_attrs(h, out, el);
  if (!in_list(voids, name)) copy_children(h, out, el->children);
}

static void copy_children(epub_html_in *h, xmlNodePtr dst, xmlNodePtr first) {
  for (xmlNodePtr c = first; c; c = c->next) {
    switch (c->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
      if (c->content) epub_text(dst, (const char *)c->content, strlen((const char *)c->content));
      break;
    case XML_ELEMENT_NODE: copy_element(h, dst, c); break;
    default: break; /* comments, processing instructions */
    }
  }
}

static htmlDocPtr parse(const char *s, size_t len) {
  return htmlReadMemory(s, (int)len, NULL, "UTF-8",
                        HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
}

static xmlNodePtr child_named(xmlNodePtr n, const char *name) {
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && xmlStrEqual(c->name, X(name))) return c;
  }
  return NULL;
}

static bool report(epub_html_in *h, const kmb_node *n) {
  if (!h->dropped->len) return true;
  const kmb_chapter *ch = &h->cx->book->chapters[h->chapter];
  bool ok = epub_warn(h->cx, epub_chapter_path(ch), n->line, n->col,
                      "raw HTML: removed %s — the EPUB keeps only safe HTML (use Markdown "
                      "for images and links)",
                      h->dropped->str);
  g_string_truncate(h->dropped, 0);
  return ok;
}

bool epub_html_block(epub_html_in *h, xmlNodePtr parent, const kmb_node *n) {
  if (!h->dropped) h->dropped = g_string_new(NULL);
  g_string_truncate(h->dropped, 0);
  if (!n->literal || !n->len) return true;
  htmlDocPtr d = parse(n->literal, n->len);
  if (!d) {
    note(h, "a fragment the HTML parser could not read");
    return report(h, n);
  }
  xmlNodePtr root = xmlDocGetRootElement(d);
  xmlNodePtr head = child_named(root, "head");
  if (head) {
    for (xmlNodePtr c = head->children; c; c = c->next) {
      if (c->type == XML_ELEMENT_NODE) copy_element(h, parent, c);
    }
  }
  xmlNodePtr body = child_named(root, "body");
  for (xmlNodePtr c = body ? body->children : NULL; c; c = c->next) {
    /* whitespace between top-level elements: the writer adds its own newlines */
    if (c->type == XML_TEXT_NODE && c->content &&
        strspn((const char *)c->content, " \t\r\n") == strlen((const char *)c->content))
      continue;
    xmlNodePtr one = c->next;
    c->next = NULL;
    copy_children(h, parent, c);
    c->next = one;
  }
  xmlFreeDoc(d);
  return report(h, n);
}

/* First element named `name` in document order below n. */
static xmlNodePtr find_el(xmlNodePtr n, const char *name) {
  for (xmlNodePtr c = n; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE) continue;
    if (xmlStrEqual(c->name, X(name))) return c;
    xmlNodePtr r = find_el(c->children, name);
    if (r) return r;
  }
  return NULL;
}

bool epub_html_inline(epub_html_in *h, const kmb_node *n, xmlNodePtr *stack, int *depth,
                      int max_depth) {
  if (!h->dropped) h->dropped = g_string_new(NULL);
  g_string_truncate(h->dropped, 0);
  const char *s = n->literal ? n->literal : "";
  size_t len = n->len;
  while (len && g_ascii_isspace(*s)) s++, len--;
  if (len < 2 || s[0] != '<' || strncmp(s, "<!--", 4) == 0 || s[1] == '?' || s[1] == '!')
    return true; /* comments, declarations: nothing to show */
  bool closing = s[1] == '/';
  char tag[32];
  size_t k = 0;
  for (const char *p = s + (closing ? 2 : 1); k + 1 < sizeof tag && (g_ascii_isalnum(*p)); p++)
    tag[k++] = g_ascii_tolower(*p);
  tag[k] = 0;
  if (!k) return true;
  if (strcmp(tag, "rp") == 0) { /* dropped with its content, like in blocks */
    h->in_rp = !closing;
    return true;
  }
  if (h->in_rp) return true;
  if (closing) {
    for (int d = *depth; d > 0; d--) {
      if (xmlStrEqual(stack[d]->name, X(tag))) {
        *depth = d - 1;
        break;
      }
    }
    return true; /* an unmatched close tag belongs to something already dropped */
  }
  if (in_list(drop_all, tag) || !in_list(keep_inline, tag)) {
    char what[64];
    snprintf(what, sizeof what, "<%s>", tag);
    note(h, what);
    return report(h, n);
  }
  htmlDocPtr d = parse(s, len);
  xmlNodePtr el = d ? find_el(xmlDocGetRootElement(d), tag) : NULL;
  if (!el) {
    if (d) xmlFreeDoc(d);
    return true;
  }
  xmlNodePtr top = stack[*depth];
  if (el->children || in_list(voids, tag) || (len >= 2 && s[len - 2] == '/')) {
    copy_element(h, top, el); /* complete element in one piece */
  } else if (*depth < max_depth) {
    xmlNodePtr out = epub_el(top, tag);
    copy_attrs(h, out, el);
    stack[++*depth] = out;
  }
  xmlFreeDoc(d);
  return report(h, n);
}
