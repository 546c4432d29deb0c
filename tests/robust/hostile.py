#!/usr/bin/python3
"""Hostile strings (issue 8): a book made of them (tests/robust/hostile-book:
titles, alt text, link targets, ids and file names with quotes, ampersands,
angle brackets, CDATA ends, raw HTML and javascript: URLs) builds into an
EPUB that EPUBCheck accepts with 0 errors, whose XHTML/OPF/nav are well-formed
and carry no script, event handler or dangerous URL, and whose metadata says
exactly what book.yaml says; and into a PDF whose metadata is the same text
(escaped, not cut) and whose links carry no javascript:.

usage: hostile.py KMBOOK [epub|pdf]    exit 0 pass, 1 fail, 77 skipped
"""
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
BOOK = os.path.join(HERE, 'hostile-book')
EPUBCHECK = '/usr/share/java/epubcheck.jar'
BAD_URL = re.compile(r'^\s*(javascript|vbscript|data\s*:\s*text/html|file)\s*:', re.I)

# What book.yaml says, after YAML unquoting.
TITLE = "标题 <script>alert('t')</script> & \"引号\" 'apos' ]]> -->"
AUTHOR = "作者 <b>粗</b> & Co. \"The\" 'Best'"

fails = []
missing_tools = []  # a check that could not run: the test is skipped (77), never passed


def missing(tool, why):
    missing_tools.append(tool)
    print(f'SKIP part: {tool} is not installed ({why}): scripts/setup --test-deps installs it')


def fail(msg):
    fails.append(msg)
    print('FAIL:', msg)


def build(kmbook, fmt, out):
    env = dict(os.environ, LC_ALL='C.UTF-8', SOURCE_DATE_EPOCH='1700000000')
    r = subprocess.run([kmbook, '--book', BOOK, '--' + fmt, out], env=env,
                       capture_output=True, text=True)
    if r.returncode != 0:
        fail(f'kmbook --{fmt} exit {r.returncode}: {r.stderr.strip()[:500]}')
        return None
    for line in r.stderr.splitlines():
        if ': error:' in line:
            fail(f'kmbook --{fmt} printed an error: {line}')
    return out


def check_epub(kmbook, tmp):
    epub = build(kmbook, 'epub', os.path.join(tmp, 'hostile.epub'))
    if not epub:
        return
    z = zipfile.ZipFile(epub)
    docs = {}
    for name in z.namelist():
        if not re.search(r'\.(xhtml|html|opf|ncx|svg|xml)$', name):
            continue
        data = z.read(name)
        try:
            docs[name] = ET.fromstring(data)
        except ET.ParseError as e:
            fail(f'{name} is not well-formed XML: {e}')
            continue
        for el in docs[name].iter():
            tag = el.tag.split('}')[-1].lower()
            if tag in ('script', 'iframe', 'object', 'embed', 'style') and name.endswith(('.xhtml', '.html')):
                if tag != 'style' or el.text and 'display:none' in el.text:
                    fail(f'{name}: a <{tag}> element from the manuscript reached the EPUB')
            for k, v in el.attrib.items():
                an = k.split('}')[-1].lower()
                if an.startswith('on'):
                    fail(f'{name}: event handler attribute {an}="{v[:40]}"')
                if an in ('href', 'src') and BAD_URL.match(v):
                    fail(f'{name}: dangerous URL {an}="{v[:60]}"')
        if b'/etc/passwd' in data and not name.endswith('.opf'):
            fail(f'{name}: carries a reference to /etc/passwd')
    opf_name = next((n for n in docs if n.endswith('.opf')), None)
    if not opf_name:
        fail('no OPF in the EPUB')
    else:
        opf = docs[opf_name]
        dc = '{http://purl.org/dc/elements/1.1/}'
        titles = [t.text for t in opf.iter(dc + 'title')]
        creators = [t.text for t in opf.iter(dc + 'creator')]
        if TITLE not in titles:
            fail(f'OPF dc:title is {titles!r}, expected {TITLE!r}')
        if AUTHOR not in creators:
            fail(f'OPF dc:creator is {creators!r}, expected {AUTHOR!r}')
        # every manifest item exists
        base = os.path.dirname(opf_name)
        for it in opf.iter('{http://www.idpf.org/2007/opf}item'):
            href = it.get('href')
            from urllib.parse import unquote
            path = os.path.normpath(os.path.join(base, unquote(href))) if base else unquote(href)
            if path not in z.namelist():
                fail(f'manifest item {href!r} is not in the zip')
    nav = [n for n in docs if 'nav' in n.lower() and n.endswith('.xhtml')]
    if nav:
        text = ''.join(docs[nav[0]].itertext())
        if '第一章' not in text or '<script>' not in text:
            fail(f'{nav[0]}: the chapter title should appear as text, escaped (found: {text[:120]!r})')
    # EPUBCheck
    if not os.path.exists(EPUBCHECK):
        missing('epubcheck', EPUBCHECK)
    elif not shutil_which('java'):
        missing('java', 'default-jre-headless, for EPUBCheck')
    else:
        r = subprocess.run(['java', '-jar', EPUBCHECK, epub], capture_output=True, text=True)
        out = r.stdout + r.stderr
        errors = [l for l in out.splitlines() if l.startswith(('ERROR', 'FATAL'))]
        if r.returncode != 0 or errors:
            fail(f'EPUBCheck: exit {r.returncode}, {len(errors)} error(s):\n  ' + '\n  '.join(errors[:15]))
        else:
            print('ok: EPUBCheck: 0 errors')


def shutil_which(cmd):
    import shutil
    return shutil.which(cmd)


def check_pdf(kmbook, tmp):
    pdf = build(kmbook, 'pdf', os.path.join(tmp, 'hostile.pdf'))
    if not pdf:
        return
    try:
        import fitz  # PyMuPDF (python3-fitz)
    except ImportError:
        fitz = None
        missing('python3-fitz', 'PyMuPDF: PDF metadata, links and JavaScript')
    if fitz:
        doc = fitz.open(pdf)
        meta = doc.metadata
        if not meta.get('title', '').startswith(TITLE):
            fail(f'PDF /Title is {meta.get("title")!r}, expected it to start with {TITLE!r}')
        if AUTHOR not in meta.get('author', ''):
            fail(f'PDF /Author is {meta.get("author")!r}, expected it to contain {AUTHOR!r}')
        for page in doc:
            for link in page.get_links():
                uri = link.get('uri') or ''
                if BAD_URL.match(uri):
                    fail(f'PDF page {page.number + 1}: link to {uri[:60]!r}')
        if doc.is_pdf and doc.xref_length() > 0:
            for x in range(1, doc.xref_length()):
                try:
                    obj = doc.xref_object(x)
                except Exception:
                    continue
                if '/JS' in obj or '/JavaScript' in obj:
                    fail(f'PDF object {x} carries JavaScript')
    if not shutil_which('qpdf'):
        missing('qpdf', 'qpdf --check')
        return
    q = subprocess.run(['qpdf', '--check', pdf], capture_output=True, text=True)
    if q.returncode not in (0, 3):  # 3: warnings only
        fail(f'qpdf --check: {q.stdout.strip()[-300:]}')


def main():
    kmbook = sys.argv[1]
    which = sys.argv[2:] or ['epub', 'pdf']
    with tempfile.TemporaryDirectory() as tmp:
        for w in which:
            check_epub(kmbook, tmp) if w == 'epub' else check_pdf(kmbook, tmp)
    if fails:
        print(f'{len(fails)} problem(s)')
        return 1
    if missing_tools:
        print('SKIPPED: not every check ran; missing: ' + ', '.join(missing_tools))
        return 77
    print('ok: hostile strings are escaped:', ', '.join(which))
    return 0


if __name__ == '__main__':
    sys.exit(main())
