/* Complaints filing form: region → province → commune lists filled as the citizen chooses
   (progressive enhancement; without JavaScript the "show" button reloads the page). */
(function () {
  "use strict";
  var form = document.querySelector(".tw-complaint-form");
  if (!form || !window.fetch) { return; }
  var region = form.querySelector("select[name=region]");
  var province = form.querySelector("select[name=province]");
  var commune = form.querySelector("select[name=commune]");
  if (!region || !province || !commune) { return; }
  form.querySelectorAll(".tw-place-refresh, .tw-place-refresh-help").forEach(function (el) { el.hidden = true; });

  function reset(select) {
    while (select.options.length > 1) { select.remove(1); }
    select.value = "";
  }
  function fill(select, url) {
    reset(select);
    return fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        data.results.forEach(function (item) { select.add(new Option(item.name, item.code)); });
      });
  }
  region.addEventListener("change", function () {
    reset(commune);
    if (region.value) { fill(province, form.dataset.provincesUrl + "?region=" + encodeURIComponent(region.value)); }
    else { reset(province); }
  });
  province.addEventListener("change", function () {
    if (province.value) { fill(commune, form.dataset.communesUrl + "?province=" + encodeURIComponent(province.value)); }
    else { reset(commune); }
  });
}());
