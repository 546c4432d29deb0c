"""Parallel titles in the EPUB (read/parallel.c, epub/xhtml.c): a heading
pair of a bilingual manuscript (`# Hello World {.en}` then `# 你好，世界
{.zh}`) is one heading in the book's language with the other title in a
span.parallel carrying its lang; the nav lists the main title only; a pair
with text between stays two chapters; the rule for .parallel is in the CSS.
Usage: parallel.py KMBOOK BOOK.md OUTDIR"""
import os
import re
import subprocess
import sys
import zipfile

kmbook, book, out = sys.argv[1:4]
os.makedirs(out, exist_ok=True)
epub = os.path.join(out, "parallel.epub")
env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
r = subprocess.run([kmbook, "--book", book, "--epub", epub, "-q"], env=env,
                   capture_output=True, text=True)
if r.returncode != 0:
    print(r.stderr)
    sys.exit(1)
z = zipfile.ZipFile(epub)
names = z.namelist()
text = {n: z.read(n).decode("utf-8") for n in names if n.endswith((".xhtml", ".css"))}
bad = []


def want(cond, what):
    if not cond:
        bad.append(what)


chapters = sorted(n for n in text if re.search(r"/ch\d+\.xhtml$", n))
want(len(chapters) == 3, f"3 chapters (the pair merged, Two and 二 apart), got {chapters}")
ch1 = text[chapters[0]] if chapters else ""
want('<h1 id="ch01-1">你好，世界 <span class="parallel" lang="en" xml:lang="en">Hello World</span></h1>'
     in ch1, "ch01's h1: the Chinese title, the English one in span.parallel lang=en")
want(re.search(r'<h2 id="ch01-2">值 <span class="parallel" lang="en" xml:lang="en">Values</span></h2>', ch1),
     "ch01's h2 pair merged, the book's language first")
want("{.en}" not in ch1 and "{lang" not in ch1, "no attribute block left as text")
nav = next((v for k, v in text.items() if k.endswith("nav.xhtml")), "")
want(re.search(r">你好，世界</a>", nav) and "Hello World" not in nav,
     "the nav lists the main title only")
want(">Two</a>" in nav and ">二</a>" in nav, "a pair with text between stays two chapters")
css = "".join(v for k, v in text.items() if k.endswith(".css"))
want(re.search(r"\.parallel \{ display: block;", css), "the .parallel rule in the CSS")
for b in bad:
    print("FAIL:", b)
print(f"parallel titles: {len(chapters)} chapters, {len(bad)} fault(s)")
sys.exit(1 if bad else 0)
