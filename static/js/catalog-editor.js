// Procedure editor: the sub-theme select shows only the sub-themes of the chosen theme.
// Without JavaScript every sub-theme is listed, grouped by theme, and the server refuses a
// sub-theme of another theme (tawasul.catalog.rules.check_procedure).
(function () {
  "use strict";
  var theme = document.querySelector("select[data-theme-select]");
  var sub = document.querySelector("select[data-subtheme-select]");
  if (!theme || !sub) return;
  function sync() {
    var chosen = theme.selectedIndex >= 0 ? theme.options[theme.selectedIndex].text : "";
    var groups = sub.querySelectorAll("optgroup");
    for (var i = 0; i < groups.length; i++) {
      var match = theme.value !== "" && groups[i].label === chosen;
      groups[i].hidden = !match;
      groups[i].disabled = !match;
    }
    var current = sub.options[sub.selectedIndex];
    if (current && current.parentNode.tagName === "OPTGROUP" && current.parentNode.disabled) {
      sub.value = "";
    }
  }
  theme.addEventListener("change", sync);
  sync();
})();
