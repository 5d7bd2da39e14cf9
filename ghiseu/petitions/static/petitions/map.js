/* Ghișeu — maps of the petitions pages, a progressive enhancement over typed coordinates.
 *
 * A `[data-petition-map]` element stays hidden without JavaScript (the typed latitude and longitude
 * fields are the way in, and stay the accessible one). With JavaScript and Leaflet it shows a map:
 *  - data-petition-map="picker": a click (or Enter, for the map's centre) fills the two fields
 *    named by data-lat-input / data-long-input, and typing in them moves the marker;
 *  - data-petition-map="list": markers of the reported problems, from the JSON script data-points.
 * The tiles come from data-tiles; when they cannot be loaded the map is blank but still works.
 */
(function () {
  "use strict";

  function number(value) {
    var n = parseFloat(String(value || "").replace(",", "."));
    return isFinite(n) ? n : null;
  }

  function makeMap(box) {
    var container = box.querySelector(".map-canvas");
    var center = (box.dataset.center || "45.36,23.23").split(",").map(number);
    var map = window.L.map(container, { scrollWheelZoom: false }).setView(center, number(box.dataset.zoom) || 14);
    if (box.dataset.tiles) {
      window.L.tileLayer(box.dataset.tiles, {
        maxZoom: 19,
        attribution: box.dataset.attribution || "",
      }).addTo(map);
    }
    var bbox = (box.dataset.bbox || "").split(",").map(number);
    if (bbox.length === 4 && bbox.every(function (v) { return v !== null; })) {
      map.fitBounds([[bbox[0], bbox[1]], [bbox[2], bbox[3]]]);
    }
    container.setAttribute("role", "application");
    container.setAttribute("aria-label", box.dataset.label || "");
    var help = box.querySelector(".map-help");
    if (help && help.id) {
      container.setAttribute("aria-describedby", help.id);
    }
    return map;
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = String(value || ""); // never HTML
    return span;
  }

  function marker(latlng) {
    return window.L.marker(latlng, { keyboard: false, interactive: false, alt: "" });
  }

  function picker(box) {
    var lat = document.getElementById(box.dataset.latInput);
    var lng = document.getElementById(box.dataset.longInput);
    var status = box.querySelector(".map-status");
    if (!lat || !lng) {
      return;
    }
    var map = makeMap(box);
    var pin = null;

    function show(latlng) {
      if (pin) {
        pin.setLatLng(latlng);
      } else {
        pin = marker(latlng).addTo(map);
      }
    }

    function pick(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lng.value = latlng.lng.toFixed(6);
      show(latlng);
      if (status) {
        status.textContent = (box.dataset.picked || "") + " " + lat.value + ", " + lng.value;
      }
    }

    function fromFields() {
      var a = number(lat.value);
      var b = number(lng.value);
      if (a !== null && b !== null && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        show([a, b]);
        map.panTo([a, b]);
      }
    }

    map.on("click", function (event) { pick(event.latlng); });
    map.getContainer().addEventListener("keydown", function (event) {
      if (event.key === "Enter" && event.target === map.getContainer()) {
        event.preventDefault();
        pick(map.getCenter());
      }
    });
    lat.addEventListener("change", fromFields);
    lng.addEventListener("change", fromFields);
    fromFields();
  }

  function list(box) {
    var source = document.getElementById(box.dataset.points);
    var points = source ? JSON.parse(source.textContent) : [];
    var map = makeMap(box);
    var bounds = [];
    points.forEach(function (p) {
      var latlng = [number(p.lat), number(p.long)];
      if (latlng[0] === null || latlng[1] === null) {
        return;
      }
      bounds.push(latlng);
      window.L.circleMarker(latlng, { radius: 7, weight: 2, color: p.closed ? "#2e6b30" : "#9a3412" })
        .bindTooltip(text(p.label))
        .addTo(map);
    });
    if (bounds.length > 1) {
      map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
    } else if (bounds.length === 1) {
      map.setView(bounds[0], 16);
    }
  }

  function start() {
    if (!window.L) {
      return;
    }
    document.querySelectorAll("[data-petition-map]").forEach(function (box) {
      box.hidden = false;
      if (box.dataset.petitionMap === "picker") {
        picker(box);
      } else {
        list(box);
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
