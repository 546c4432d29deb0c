// Loaded by vertical.sh into a chapter of a vertical book shown in Chromium
// at 390 x 844: reads where Chromium put every character of the running
// text (not code blocks or tables, which stay horizontal) and checks the
// vertical layout (issue 15):
//   - the root's writing-mode is vertical-rl;
//   - within a column each character comes below the one before;
//   - the columns come from right to left, in document order;
//   - each span.tcy of two digits is one cell: the digits side by side
//     (same top, the second to the right), no taller than 1.3 em;
//   - a Latin word runs down its column turned (a letter's height is its
//     width, under 0.8 em), not across and not upright;
//   - an apostrophe inside a Latin word turns with it (under 0.6 em).
// The result goes into <html data-vertical-result="ok|FAIL ...">, which the
// DOM dump carries back to vertical.sh.
window.addEventListener("load", function () {
  document.fonts.ready.then(function () {
    var fail = [], cells = [];
    var wm = getComputedStyle(document.documentElement).writingMode;
    if (wm !== "vertical-rl") fail.push("writing-mode is " + wm);
    function skipped(n) {
      for (; n && n !== document.body; n = n.parentNode)
        if (n.nodeType === 1 && /^(PRE|TABLE|SCRIPT|STYLE)$/.test(n.tagName)) return true;
      return false;
    }
    function tcyOf(n) {
      for (; n && n !== document.body; n = n.parentNode)
        if (n.nodeType === 1 && n.classList.contains("tcy")) return n;
      return null;
    }
    var walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (var t = walk.nextNode(); t; t = walk.nextNode()) {
      if (skipped(t.parentNode)) continue;
      var size = parseFloat(getComputedStyle(t.parentNode).fontSize);
      for (var i = 0; i < t.data.length; i++) {
        var ch = t.data[i];
        if (/\s/.test(ch) || (ch >= "\uD800" && ch <= "\uDFFF")) continue;
        var r = document.createRange();
        r.setStart(t, i);
        r.setEnd(t, i + 1);
        var b = r.getBoundingClientRect();
        if (!b.width && !b.height) continue;
        cells.push({ch: ch, x: b.left + b.width / 2, top: b.top, w: b.width, h: b.height,
                    size: size, tcy: tcyOf(t.parentNode)});
      }
    }
    // columns: a character more than 0.7 em across from the column's first
    // one starts the next column
    var cols = [], col = null, down = 0, cross = 0;
    cells.forEach(function (c) {
      if (col && Math.abs(c.x - col[0].x) <= 0.7 * c.size) {
        var p = col[col.length - 1];
        if (!(c.tcy && c.tcy === p.tcy) && c.top <= p.top + 0.1)
          fail.push("'" + p.ch + c.ch + "' goes up (" + Math.round(p.top) + " then " + Math.round(c.top) + ")");
        col.push(c);
        down++;
      } else {
        if (col && !(c.x < col[0].x - 0.5 * c.size))
          fail.push("column at '" + c.ch + "' is not left of the one at '" + col[0].ch + "'");
        col = [c];
        cols.push(col);
        cross++;
      }
    });
    if (cells.length < 20) fail.push("only " + cells.length + " characters found");
    if (cols.length < 2) fail.push("only " + cols.length + " columns");
    // the text runs down: most steps go down a column, not across to a new one
    if (down < 3 * cross) fail.push(down + " steps down a column against " + cross + " across");
    var tcys = document.querySelectorAll("span.tcy"), two = 0;
    tcys.forEach(function (s) {
      var t = s.firstChild;
      if (!t || t.nodeType !== 3 || t.data.length !== 2) return;
      two++;
      var size = parseFloat(getComputedStyle(s).fontSize);
      var r = document.createRange(), a, b;
      r.setStart(t, 0); r.setEnd(t, 1); a = r.getBoundingClientRect();
      r.setStart(t, 1); r.setEnd(t, 2); b = r.getBoundingClientRect();
      var box = s.getBoundingClientRect();
      if (Math.abs(a.top - b.top) > 1 || !(b.left > a.left) || box.height > 1.3 * size)
        fail.push("tcy '" + t.data + "' is not one cell (digit tops " + Math.round(a.top) + ", " +
                  Math.round(b.top) + "; height " + Math.round(box.height) + " px)");
    });
    if (!two) fail.push("no two-digit span.tcy to measure");
    // Latin words (3+ letters) run down the column
    var latin = 0;
    for (var i = 0; i + 2 < cells.length; i++) {
      var a = cells[i], b = cells[i + 1], c = cells[i + 2];
      if (!/^[A-Za-z]{3}$/.test(a.ch + b.ch + c.ch)) continue;
      if (Math.abs(b.x - a.x) > a.size || Math.abs(c.x - b.x) > a.size) continue; // column break
      latin++;
      if (!(Math.abs(b.x - a.x) < 0.3 * a.size && b.top > a.top && c.top > b.top))
        fail.push("Latin '" + a.ch + b.ch + c.ch + "' does not run down the column");
      // turned, a letter takes its width down the column; upright, a whole em
      else if ((a.h + b.h + c.h) / 3 > 0.8 * a.size)
        fail.push("Latin '" + a.ch + b.ch + c.ch + "' stands upright (" +
                  Math.round((a.h + b.h + c.h) / 3) + " px a letter)");
    }
    if (!latin) fail.push("no Latin word to measure");
    // an apostrophe inside a word (span.sideways: don’t) turns with it: in
    // the word's column, below the letter before it, narrower than a cell
    var apos = 0;
    for (var i = 1; i + 1 < cells.length; i++) {
      var a = cells[i - 1], b = cells[i], c = cells[i + 1];
      if (b.ch !== "\u2019" || !/[A-Za-z]/.test(a.ch) || !/[A-Za-z]/.test(c.ch)) continue;
      apos++;
      if (!(Math.abs(b.x - a.x) < 0.3 * a.size && b.top > a.top && c.top > b.top && b.h < 0.6 * a.size))
        fail.push("the apostrophe in '" + a.ch + b.ch + c.ch + "' is not turned with its word (" +
                  Math.round(b.h) + " px down the column)");
    }
    var msg = fail.length ? "FAIL " + fail.slice(0, 4).join("; ") + (fail.length > 4 ? " (+" + (fail.length - 4) + ")" : "")
                          : "ok " + cells.length + " characters in " + cols.length +
                            " columns right to left, top to bottom; " + two +
                            " two-digit tcy cells; " + latin + " Latin letter triples turned" +
                            (apos ? "; " + apos + " apostrophes turned with their words" : "");
    document.documentElement.setAttribute("data-vertical-result", msg.replace(/"/g, "'"));
  });
});
