// Loaded by phone.sh into a chapter shown in Chromium at 390 px: gives the
// body a 330 px column (as epub.js does on a 390 px phone), then measures
// how far any element box or line of text reaches past that column. The
// result goes into <html data-phone-result="overflow Npx (what)">, which
// the DOM dump carries back to phone.sh.
window.addEventListener("load", function () {
  document.fonts.ready.then(function () {
    var body = document.body;
    body.style.margin = "0";
    body.style.padding = "0 30px";
    var col = body.getBoundingClientRect();
    var left = col.left + 30, right = col.right - 30;
    var worst = 0, what = "-";
    function check(rects, name) {
      for (var i = 0; i < rects.length; i++) {
        var r = rects[i];
        if (r.width === 0) continue;
        var over = Math.max(r.right - right, left - r.left);
        if (over > worst) { worst = over; what = name; }
      }
    }
    var all = body.getElementsByTagName("*");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      // Plain inline boxes are not measured, their text is (as epub-shots).
      if (getComputedStyle(el).display === "inline") continue;
      check(el.getClientRects(), el.tagName.toLowerCase() + "[" + i + "]");
    }
    var walk = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
    for (var t = walk.nextNode(); t; t = walk.nextNode()) {
      if (!t.data.trim()) continue;
      var range = document.createRange();
      range.selectNodeContents(t);
      check(range.getClientRects(), "text in " + t.parentNode.tagName.toLowerCase() + ": " + t.data.slice(0, 30));
    }
    document.documentElement.setAttribute("data-phone-result",
      "overflow " + Math.round(worst) + "px (" + what.replace(/"/g, "'") + ")");
  });
});
