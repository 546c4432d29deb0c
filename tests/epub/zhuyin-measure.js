// Loaded by zhuyin.sh into a chapter with zhuyin ruby, shown in Chromium at
// 390 x 844: reads where Chromium put each ruby.zhuyin's base character, its
// bopomofo letters and its tone marks, and checks them against the PDF's
// placement (layout/zhuyin.c; clreq §3.4):
//   - the letters run top to bottom in one column (same middle across),
//     at zhuyin_scale (data-scale on <html>, from zhuyin.sh) of the base;
//   - the column stands right of its base (in a vertical book: right of the
//     base's column), close to it, its middle level with the base's;
//   - a tone mark (ˊ ˇ ˋ) right of the column, its middle level with the top
//     of the last letter (0.3 letter lower beside a single letter);
//   - the light tone (˙) above the first letter, in the column;
//   - nothing after the ruby starts before the column and tone end.
// The result goes into <html data-zhuyin-result="ok|FAIL ...">.
window.addEventListener("load", function () {
  document.fonts.ready.then(function () {
    var fail = [], n = 0, tones = 0, dots = 0;
    var vertical = /^vertical/.test(getComputedStyle(document.documentElement).writingMode);
    var scale = parseFloat(document.documentElement.getAttribute("data-scale") || "0.4");
    function rect(t, i) {
      var r = document.createRange();
      r.setStart(t, i);
      r.setEnd(t, i + 1);
      return r.getBoundingClientRect();
    }
    function mid(b) { return {x: b.left + b.width / 2, y: b.top + b.height / 2}; }
    function fmt(v) { return Math.round(v * 100) / 100; }
    document.querySelectorAll("ruby.zhuyin > rt").forEach(function (rt) {
      // the base: the text just before this rt's <rp>, or before the rt
      var b = rt.previousSibling;
      while (b && b.nodeType === 1 && b.tagName.toLowerCase() === "rp") b = b.previousSibling;
      if (!b || b.nodeType !== 3 || !b.data.length) { fail.push("an rt without a base text"); return; }
      var base = rect(b, b.data.length - 1), bm = mid(base);
      var em = parseFloat(getComputedStyle(b.parentNode).fontSize);
      var z = parseFloat(getComputedStyle(rt).fontSize);
      var what = b.data.slice(-1);
      n++;
      if (Math.abs(z / em - scale) > 0.03) fail.push(what + ": letters at " + fmt(z / em) + " em, not " + scale);
      var letters = [], tone = null, dot = null;
      for (var c = rt.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) {
          for (var i = 0; i < c.data.length; i++) if (c.data[i].trim()) letters.push(rect(c, i));
        } else if (c.nodeType === 1 && c.classList.contains("zy-tone")) {
          tone = rect(c.firstChild, 0);
        } else if (c.nodeType === 1 && c.classList.contains("zy-dot")) {
          dot = rect(c.firstChild, 0);
        }
      }
      if (!letters.length) { fail.push(what + ": no letters"); return; }
      // across, a glyph's em box centred on its rectangle: in vertical text
      // the rectangle is the font's whole ascent + descent wide
      var col = {left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity};
      var baseRight = bm.x + em / 2;
      letters.forEach(function (l, k) {
        col.left = Math.min(col.left, mid(l).x - z / 2); col.right = Math.max(col.right, mid(l).x + z / 2);
        col.top = Math.min(col.top, l.top); col.bottom = Math.max(col.bottom, l.bottom);
        if (k && Math.abs(mid(l).x - mid(letters[0]).x) > 0.15 * z)
          fail.push(what + ": letter " + (k + 1) + " is not in the column (" + fmt((mid(l).x - mid(letters[0]).x) / z) + " z across)");
        if (k && !(l.top > letters[k - 1].top + 0.5 * z))
          fail.push(what + ": letter " + (k + 1) + " is not below the one before");
      });
      // right of the base (or of the base's column), close to it
      var gap = (col.left - baseRight) / em;
      if (gap < -0.05 || gap > 0.4)
        fail.push(what + ": column " + fmt(gap) + " em from the base's right edge (want 0 to 0.4)");
      var off = (mid(col).y - bm.y) / em;
      if (Math.abs(off) > 0.2) fail.push(what + ": column middle " + fmt(off) + " em below the base's");
      if (tone) {
        tones++;
        var last = letters[letters.length - 1];
        var want = letters.length > 1 ? last.top : last.top + 0.3 * z;
        if (tone.left < col.right - 0.1 * z || tone.left > col.right + 0.6 * z)
          fail.push(what + ": tone " + fmt((tone.left - col.right) / z) + " letters right of the column (want 0 to 0.6)");
        if (Math.abs(mid(tone).y - want) > 0.35 * z)
          fail.push(what + ": tone middle " + fmt((mid(tone).y - want) / z) + " letters off the last letter's top");
      }
      if (dot) {
        dots++;
        if (!(mid(dot).y < letters[0].top + 0.1 * z) || mid(dot).y < letters[0].top - 1.0 * z)
          fail.push(what + ": light tone not just above the first letter");
        if (Math.abs(mid(dot).x - mid(col).x) > 0.4 * z) fail.push(what + ": light tone not over the column");
      }
      // the next character (horizontal: after this ruby segment) starts after it all
      if (!vertical) {
        // the tone's ink as the PDF budgets it (0.45 letter), not its wider advance
        var end = Math.max(col.right, tone ? tone.left + 0.45 * z : col.right);
        var next = rt.nextSibling;
        while (next && next.nodeType === 1 && next.tagName.toLowerCase() === "rp") next = next.nextSibling;
        if (!next) { // after the ruby
          next = rt.parentNode.nextSibling;
          while (next && next.nodeType === 1) next = next.firstChild;
        }
        if (next && next.nodeType === 3 && next.data.trim()) {
          var nx = rect(next, 0);
          if (Math.abs(mid(nx).y - bm.y) < 0.5 * em && nx.left < end - 0.02 * em)
            fail.push(what + ": '" + next.data[0] + "' starts " + fmt((end - nx.left) / em) + " em inside the column or tone");
        }
      }
    });
    if (n < 5) fail.push("only " + n + " zhuyin annotations found");
    if (!tones) fail.push("no tone mark measured");
    var msg = fail.length ? "FAIL " + fail.slice(0, 4).join("; ") + (fail.length > 4 ? " (+" + (fail.length - 4) + ")" : "")
                          : "ok " + n + " zhuyin columns right of their bases" + (vertical ? " (vertical)" : "") +
                            ", " + tones + " tone marks beside them, " + dots + " light tones on top";
    document.documentElement.setAttribute("data-zhuyin-result", msg.replace(/"/g, "'"));
  });
});
