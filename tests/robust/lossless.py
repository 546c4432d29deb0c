#!/usr/bin/python3
"""Nothing lost (issue 8): every character of a book's manuscript reaches its
EPUB and its PDF, in order.

usage: lossless.py KMBOOK BOOK [--keep DIR]

Three checks, each ignoring whitespace and Markdown syntax:
 1. manuscript -> model: every CJK character of the Markdown files (outside
    front matter, link/image destinations, HTML comments) is in the model
    (`kmbook --dump-model`), the same number of times;
 2. model -> EPUB: the text of the model's blocks, in reading order, is a
    subsequence of the EPUB's text (XHTML in spine order, parsed as XML);
 3. model -> PDF: the same against `pdftotext -raw`; footnotes are checked
    each on its own (the PDF sets them at the foot of their page).  (The
    typography tests check the same with the project's own PDF reader,
    tests/typocheck.)

Exit 0 pass, 1 fail, 77 skipped (pdftotext or python3-yaml missing, named).
"""
import collections
import difflib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile


def is_cjk(ch):
    c = ord(ch)
    return (0x4E00 <= c <= 0x9FFF or 0x3400 <= c <= 0x4DBF or 0x20000 <= c <= 0x3134F
            or 0xF900 <= c <= 0xFAFF or 0x3000 <= c <= 0x303F or 0x3040 <= c <= 0x30FF
            or 0xFF00 <= c <= 0xFF60)


def visible(s):
    """Characters that must survive: everything but whitespace and the
    zero-width/format characters a typesetter may add or drop."""
    # U+FFFD stands for input CommonMark could not keep (&#0;): no font has it.
    return [ch for ch in s if not ch.isspace() and unicodedata.category(ch) not in ('Cf', 'Zs')
            and ch != '\ufffd']


def unescape_dump(s):
    out, i = [], 0
    while i < len(s):
        ch = s[i]
        if ch == '\\' and i + 1 < len(s):
            n = s[i + 1]
            if n == 'n':
                out.append('\n'); i += 2; continue
            if n == 't':
                out.append('\t'); i += 2; continue
            if n == 'x':
                out.append(chr(int(s[i + 2:i + 4], 16))); i += 4; continue
            out.append(n); i += 2; continue
        out.append(ch); i += 1
    return ''.join(out)


NODE = re.compile(r'^( *)(\w+) @\d+:\d+(.*)$')


def model_text(dump):
    """Returns (flow, notes, all_cjk): flow = visible text of the chapters'
    blocks in order (footnotes, figure captions, raw HTML and inline image
    alt text left out); notes = one list per footnote and per figure
    caption (the PDF may set them elsewhere: foot of the page, a float)."""
    flow, notes, cjk = [], [], collections.Counter()
    stack = []  # (depth, type)
    cur_note = None
    in_rp = False  # inside raw <rp>…</rp>: ruby fallback a writer may drop
    for line in dump.splitlines():
        m = NODE.match(line)
        if not m:
            continue
        depth, typ, rest = len(m.group(1)) // 2, m.group(2), m.group(3)
        while stack and stack[-1][0] >= depth:
            stack.pop()
        stack.append((depth, typ))
        types = [t for _, t in stack]
        lit = re.search(r' "((?:[^"\\]|\\.)*)"$', rest)
        text = unescape_dump(lit.group(1)) if lit and typ in (
            'text', 'code', 'code_block', 'html_inline', 'html_block') else ''
        cjk.update(ch for ch in text if is_cjk(ch))
        if typ == 'html_inline':
            if re.match(r'<rp\b', text, re.I):
                in_rp = True
            elif re.match(r'</rp\s*>', text, re.I):
                in_rp = False
            continue
        if typ == 'paragraph':
            in_rp = False
        if in_rp:
            continue
        if 'footnote_def' in types or 'figure' in types:
            if typ in ('footnote_def', 'figure'):
                cur_note = []
                notes.append(cur_note)
            if typ in ('text', 'code', 'code_block'):
                cur_note.extend(visible(text))
            continue
        if typ in ('text', 'code', 'code_block') and 'image' not in types:
            flow.extend(visible(text))
    return flow, [n for n in notes if n], cjk


def manuscript_cjk(paths):
    cjk = collections.Counter()
    for p in paths:
        s = open(p, encoding='utf-8-sig').read()
        s = re.sub(r'\A---[ \t]*\r?\n.*?\n(---|\.\.\.)[ \t]*\r?\n', '', s, flags=re.S)
        s = re.sub(r'<!--.*?-->', '', s, flags=re.S)
        # link/image destinations and titles (not shown as text)
        s = re.sub(r'\]\(\s*(?:<[^>]*>|[^)\s]*)(?:\s+(?:"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'))?\s*\)', ']', s)
        s = re.sub(r'(?m)^ {0,3}\[[^\]]+\]:\s*\S+.*$', '', s)  # reference definitions
        cjk.update(ch for ch in s if is_cjk(ch))
    return cjk


def subsequence_gap(want, have):
    """Index in `want` of the first character not found in order in `have`
    (None if all are).  The two are aligned (difflib, no junk heuristic): a
    greedy search would skip ahead to the next occurrence of a lost
    character and not notice the loss."""
    at = 0
    for block in difflib.SequenceMatcher(None, want, have, autojunk=False).get_matching_blocks():
        if block.a > at:
            return at
        at = block.a + block.size
    return None


def report_gap(what, want, have, i):
    ctx = ''.join(want[max(0, i - 20):i + 20])
    print(f'FAIL: {what}: character {i + 1} of {len(want)} ({want[i]!r}) not found in order; '
          f'near: …{ctx}…')


def epub_text(path):
    z = zipfile.ZipFile(path)
    cont = ET.fromstring(z.read('META-INF/container.xml'))
    opf_path = cont.find('.//{*}rootfile').get('full-path')
    base = os.path.dirname(opf_path)
    opf = ET.fromstring(z.read(opf_path))
    items = {i.get('id'): i.get('href') for i in opf.iter('{http://www.idpf.org/2007/opf}item')}
    out = []
    for ref in opf.iter('{http://www.idpf.org/2007/opf}itemref'):
        href = items[ref.get('idref')]
        doc = ET.fromstring(z.read(os.path.join(base, href) if base else href))
        body = doc.find('{http://www.w3.org/1999/xhtml}body')
        out.append(''.join(body.itertext()) if body is not None else '')
    return ''.join(visible('\n'.join(out)))


def main():
    kmbook, book = sys.argv[1], sys.argv[2]
    keep = sys.argv[4] if len(sys.argv) > 4 and sys.argv[3] == '--keep' else None
    env = dict(os.environ, LC_ALL='C.UTF-8', SOURCE_DATE_EPOCH='1700000000')
    tmp = keep or tempfile.mkdtemp()
    fail = False

    dump = subprocess.run([kmbook, '--book', book, '--dump-model', '--quiet'], env=env,
                          capture_output=True, text=True)
    if dump.returncode != 0:
        print('FAIL: kmbook --dump-model:', dump.stderr.strip())
        return 1
    flow, notes, model_cjk = model_text(dump.stdout)
    notes_text = sum(notes, [])
    print(f'{book}: {len(flow)} characters in the text, {len(notes)} footnotes and captions '
          f'({len(notes_text)} characters)')

    # 1. manuscript -> model
    mds = []
    if os.path.isdir(book):
        try:
            import yaml  # python3-yaml (scripts/setup --test-deps)
        except ImportError:
            print('SKIPPED: python3-yaml is not installed (scripts/setup --test-deps)')
            return 77
        meta = yaml.safe_load(open(os.path.join(book, 'book.yaml'), encoding='utf-8-sig'))
        mds = [os.path.join(book, c) for c in meta.get('chapters', [])]
    else:
        mds = [book]
    ms = manuscript_cjk(mds)
    missing = ms - model_cjk
    if missing:
        fail = True
        print('FAIL: manuscript -> model: CJK characters lost:',
              ''.join(sorted(missing.elements()))[:200])
    else:
        print(f'ok: manuscript -> model: all {sum(ms.values())} CJK characters of {len(mds)} files')

    if not shutil.which('pdftotext'):
        print('SKIPPED: pdftotext is not installed (poppler-utils; scripts/setup --test-deps)')
        return 77
    # 2. model -> EPUB
    epub = os.path.join(tmp, 'book.epub')
    r = subprocess.run([kmbook, '--book', book, '--epub', epub, '--quiet'], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail = True
        print('FAIL: kmbook --epub:', r.stderr.strip())
    else:
        have = epub_text(epub)
        i = subsequence_gap(flow, have)
        if i is not None:
            fail = True
            report_gap('model -> EPUB', flow, have, i)
        else:
            bad = [n for n in notes if subsequence_gap(n, have) is not None]
            if bad:
                fail = True
                print(f'FAIL: model -> EPUB: {len(bad)} footnote(s)/caption(s) missing, first:', ''.join(bad[0])[:80])
            else:
                print(f'ok: model -> EPUB: all {len(flow) + len(notes_text)} characters, in order')

    # 3. model -> PDF
    pdf = os.path.join(tmp, 'book.pdf')
    r = subprocess.run([kmbook, '--book', book, '--pdf', pdf, '--quiet'], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail = True
        print('FAIL: kmbook --pdf:', r.stderr.strip())
    else:
        txt = subprocess.run(['pdftotext', '-raw', '-enc', 'UTF-8', pdf, '-'], capture_output=True)
        if txt.returncode != 0:
            print('FAIL: pdftotext could not read the PDF:', txt.stderr.decode('utf-8', 'replace').strip())
            return 1
        have = ''.join(visible(txt.stdout.decode('utf-8', 'replace')))
        # pdftotext may break a line with a hyphen that is not in the text; a
        # subsequence check tolerates added characters, not lost ones.
        i = subsequence_gap(flow, have)
        if i is not None:
            fail = True
            report_gap('model -> PDF', flow, have, i)
        else:
            bad = [n for n in notes if subsequence_gap(n, have) is not None]
            if bad:
                fail = True
                print(f'FAIL: model -> PDF: {len(bad)} footnote(s)/caption(s) missing, first:', ''.join(bad[0])[:80])
            else:
                print(f'ok: model -> PDF: all {len(flow) + len(notes_text)} characters, in order')

    return 1 if fail else 0


if __name__ == '__main__':
    sys.exit(main())
