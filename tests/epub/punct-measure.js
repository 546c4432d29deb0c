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
    // small kana and ー starting a line (jlreq §3.1.7, line-break: strict):
    // every paragraph set at widths of 9 to 25 em, each character whose top
    // is below the one before it starts a line
    var kana = 0, small = "ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶー";
    for (var k = 0; k < ps.length; k++) {
      var t = ps[k].firstChild;
      if (!t || t.nodeType !== 3) continue;
      for (var wem = 9; wem <= 25; wem++) {
        ps[k].style.width = wem + "em";
        var top = null;
        for (var i = 0; i < t.data.length; i++) {
          var r = document.createRange();
          r.setStart(t, i);
          r.setEnd(t, i + 1);
          var y = r.getBoundingClientRect().top;
          if (top !== null && y > top + 2 && small.indexOf(t.data[i]) >= 0) kana++;
          top = y;
        }
      }
      ps[k].style.width = "";
    }
    document.documentElement.setAttribute("data-punct-result",
      "start " + start.toFixed(2) + " marks " + marks.toFixed(2) + " kana " + kana);
  });
});
