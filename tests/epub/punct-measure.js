// Loaded by punct.sh into a chapter shown in Chromium: the width (em) of the
// opening bracket that starts the chapter's first body paragraph, and the
// narrowest of the marks ，。、：；！？ in the body paragraphs (a mark
// compressed in a pair is half width). The result goes into
// <html data-punct-result="start W marks W">, carried back by the DOM dump.
window.addEventListener("load", function () {
  document.fonts.ready.then(function () {
    var start = -1, marks = 9;
    var ps = document.body.getElementsByTagName("p");
    for (var k = 0; k < ps.length; k++) {
      var t = ps[k].firstChild;
      if (!t || t.nodeType !== 3) continue;
      var em = parseFloat(getComputedStyle(ps[k]).fontSize);
      for (var i = 0; i < t.data.length; i++) {
        var r = document.createRange();
        r.setStart(t, i);
        r.setEnd(t, i + 1);
        var w = r.getBoundingClientRect().width / em;
        if (i === 0 && start < 0 && "「『“（".indexOf(t.data[i]) >= 0) start = w;
        if ("，。、：；！？".indexOf(t.data[i]) >= 0 && w < marks) marks = w;
      }
    }
    // small kana and ー starting a line (jlreq §3.1.7, line-break: strict),
    // and full-width numbers split between lines (grouped numerals): every
    // paragraph set at widths of 9 to 25 em, each character whose top is
    // below the one before it starts a line (all its text nodes: a number
    // is in a span.num)
    var kana = 0, nums = 0, small = "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー";
    var digits = "０１２３４５６７８９";
    for (var k = 0; k < ps.length; k++) {
      var chars = [];
      var tw = document.createTreeWalker(ps[k], NodeFilter.SHOW_TEXT);
      for (var nd = tw.nextNode(); nd; nd = tw.nextNode())
        for (var i = 0; i < nd.data.length; i++) chars.push([nd, i]);
      for (var wem = 9; wem <= 25; wem++) {
        ps[k].style.width = wem + "em";
        var top = null;
        for (var c = 0; c < chars.length; c++) {
          var r = document.createRange();
          r.setStart(chars[c][0], chars[c][1]);
          r.setEnd(chars[c][0], chars[c][1] + 1);
          var y = r.getBoundingClientRect().top;
          var ch = chars[c][0].data[chars[c][1]];
          if (top !== null && y > top + 2) {
            var prev = chars[c - 1][0].data[chars[c - 1][1]];
            if (small.indexOf(ch) >= 0) kana++;
            if (digits.indexOf(ch) >= 0 && (digits + "，．").indexOf(prev) >= 0) nums++;
          }
          top = y;
        }
      }
      ps[k].style.width = "";
    }
    document.documentElement.setAttribute("data-punct-result",
      "start " + start.toFixed(2) + " marks " + marks.toFixed(2) + " kana " + kana +
      " nums " + nums);
  });
});
