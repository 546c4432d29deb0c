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
    document.documentElement.setAttribute("data-punct-result",
      "start " + start.toFixed(2) + " marks " + marks.toFixed(2));
  });
});
