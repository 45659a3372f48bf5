// Procedure page: "Use my location" fills lat/lon and reloads the page (GET), nearest first.
// Without JavaScript (or when the person refuses), the typed-commune form works alone.
(function () {
  "use strict";
  var form = document.querySelector("form[data-geolocate]");
  if (!form || !("geolocation" in navigator)) return;
  var button = form.querySelector(".tw-locate");
  if (!button) return;
  button.classList.remove("d-none");
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      var url = new URL(window.location.href);
      url.searchParams.delete("commune");
      url.searchParams.set("lat", pos.coords.latitude.toFixed(5));
      url.searchParams.set("lon", pos.coords.longitude.toFixed(5));
      window.location.assign(url.toString());
    });
  });
})();
