/* Facilities map (templates/facilities/index.html and detail.html): progressive enhancement.
   Without JavaScript, or when Leaflet or the tile server is unavailable, the server-rendered
   list and filters remain the whole page. "Nearest to me" asks the browser for the position,
   fills the hidden lat/lon fields and submits the filter form (the server ranks the list). */
(function () {
  "use strict";
  var configNode = document.getElementById("tw-facilities-config");
  var config = configNode ? JSON.parse(configNode.textContent) : null;

  // --- "Nearest to me" ------------------------------------------------------------------
  var form = document.querySelector(".tw-facilities-form");
  if (form && navigator.geolocation) {
    var locate = form.querySelector(".tw-locate");
    var status = form.querySelector(".tw-locate-status");
    var labels = (config && config.labels) || {};
    locate.hidden = false;
    locate.addEventListener("click", function () {
      if (status) { status.textContent = labels.locating || ""; }
      navigator.geolocation.getCurrentPosition(function (position) {
        form.querySelector("input[name=lat]").value = position.coords.latitude.toFixed(5);
        form.querySelector("input[name=lon]").value = position.coords.longitude.toFixed(5);
        form.querySelector("input[name=near]").value = "";
        form.submit();
      }, function () {
        if (status) { status.textContent = labels.denied || ""; }
        var near = form.querySelector("input[name=near]");
        if (near) { near.focus(); }
      }, { timeout: 10000, maximumAge: 300000 });
    });
  }

  if (!config || !window.L || !config.tileUrl) { return; }
  var L = window.L;
  var COLORS = ["#0d6efd", "#198754", "#dc3545", "#fd7e14", "#6f42c1", "#20c997", "#d63384", "#6c757d",
                "#0dcaf0", "#ffc107", "#6610f2", "#198754", "#adb5bd", "#343a40", "#b02a37", "#087990"];
  var typeCodes = Object.keys(config.types || {});
  function colorOf(type) {
    var i = typeCodes.indexOf(type);
    return COLORS[(i < 0 ? 0 : i) % COLORS.length];
  }
  function tiles(map) {
    L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 19 }).addTo(map);
  }
  function text(tag, value, className) {
    var el = document.createElement(tag);
    el.textContent = value;
    if (className) { el.className = className; }
    return el;
  }

  // --- One facility (detail page) ---------------------------------------------------------
  var single = document.getElementById("tw-facility-map");
  if (single) {
    single.hidden = false;
    var here = [parseFloat(single.dataset.lat), parseFloat(single.dataset.lon)];
    var small = L.map(single, { scrollWheelZoom: false }).setView(here, 15);
    tiles(small);
    L.circleMarker(here, { radius: 9, color: "#0d6efd", fillOpacity: 0.8 }).addTo(small);
    return;
  }

  // --- Every facility (map page) ------------------------------------------------------------
  var container = document.getElementById("tw-facilities-map");
  if (!container || !L.markerClusterGroup || !window.fetch) { return; }
  container.hidden = false;
  var map = L.map(container, { scrollWheelZoom: false });
  tiles(map);
  if (container.dataset.originLat) {
    var origin = [parseFloat(container.dataset.originLat), parseFloat(container.dataset.originLon)];
    map.setView(origin, 12);
    L.circleMarker(origin, { radius: 7, color: "#000", weight: 3, fillOpacity: 0 }).addTo(map);
  } else {
    map.fitBounds([[27.6, -13.2], [35.9, -1.0]]);
  }
  var cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false });
  map.addLayer(cluster);

  function popup(marker, id) {
    var url = config.cardUrl.replace("/0/", "/" + id + "/");
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (card) {
        var box = document.createElement("div");
        box.appendChild(text("strong", card.name));
        box.appendChild(text("div", card.type, "small"));
        if (card.address) { box.appendChild(text("div", card.address, "small")); }
        if (card.phone) {
          var phone = text("a", card.phone);
          phone.href = "tel:" + card.phone;
          phone.dir = "ltr";
          box.appendChild(phone);
        }
        var more = text("a", config.labels.details, "d-block");
        more.href = config.detailUrl.replace("/0/", "/" + id + "/");
        box.appendChild(more);
        marker.bindPopup(box).openPopup();
      });
  }

  fetch(container.dataset.pointsUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
    .then(function (response) { return response.json(); })
    .then(function (points) {
      var markers = points.map(function (p) {
        var marker = L.circleMarker([p[1], p[2]], { radius: 6, color: colorOf(p[3]), weight: 2, fillOpacity: 0.7 });
        marker.on("click", function () { popup(marker, p[0]); });
        return marker;
      });
      cluster.addLayers(markers);
    })
    .catch(function () {
      var note = text("p", config.labels.mapUnavailable, "alert alert-warning");
      container.replaceWith(note);
    });
}());
