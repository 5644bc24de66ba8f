/* The trip plan in the browser: remember it, merge "add to plan" links into it, draw its maps.
 *
 * The plan is the `o=` list of the /plan/ address; this script only keeps a copy in
 * localStorage so that it survives closing the tab, and merges it with the one item an
 * "add to plan" link carries (pages are cached and cannot know the visitor's plan).
 * Without JavaScript every link still works: it just starts from the address alone.
 * Content text reaches the page with textContent only, never as HTML.
 */
(function () {
  "use strict";

  var STORE = "canal-plan";
  var MAX_ITEMS = 50;
  var KEY = /^[a-z0-9]+(?:-[a-z0-9]+)*@\d{4}-\d{2}-\d{2}$/;

  function valid(keys) {
    var seen = {};
    return (Array.isArray(keys) ? keys : []).filter(function (key) {
      if (typeof key !== "string" || !KEY.test(key) || seen[key]) return false;
      seen[key] = true;
      return true;
    }).slice(0, MAX_ITEMS);
  }

  function load() {
    try {
      return valid(JSON.parse(window.localStorage.getItem(STORE) || "[]"));
    } catch (e) {
      return [];  // storage blocked or garbled: start from the address alone
    }
  }

  function save(keys) {
    try {
      window.localStorage.setItem(STORE, JSON.stringify(valid(keys)));
    } catch (e) { /* private mode: the address still holds the plan */ }
  }

  function merged(first, more) {
    return valid(first.concat(more));
  }

  var nav = document.querySelector("a.plan-nav[data-plan-path]");
  var planPath = nav ? nav.getAttribute("data-plan-path") : "/plan/";

  function planUrl(keys) {
    return planPath + "?o=" + keys.join(",");
  }

  function showCount(keys) {
    if (!nav) return;
    var count = nav.querySelector(".plan-count");
    if (count) count.textContent = keys.length ? " (" + keys.length + ")" : "";
    if (keys.length) nav.href = planUrl(keys);
  }

  // "Add to plan" links on other pages carry `add=<key>`: add it to the saved plan instead.
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || event.defaultPrevented || event.button !== 0 ||
        event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    var url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || url.pathname !== planPath || !url.searchParams.has("add")) return;
    var adding = url.searchParams.getAll("add").join(",").split(",");
    var from = url.searchParams.has("o") ? url.searchParams.getAll("o").join(",").split(",") : [];
    event.preventDefault();
    var keys = merged(load(), merged(from, adding));
    save(keys);
    window.location.href = planUrl(keys);
  });

  var block = document.getElementById("plan-data");
  if (!block) {
    showCount(load());
    return;
  }

  // On the plan page: the address is the plan, unless it only adds to the saved one.
  var data = JSON.parse(block.textContent);
  var params = new URLSearchParams(window.location.search);
  var keys = valid(data.keys);
  if (params.has("add")) {
    var all = merged(load(), keys);
    save(all);
    if (all.join(",") !== keys.join(",")) {
      window.location.replace(planUrl(all));
      return;
    }
    window.history.replaceState(null, "", planUrl(all));
  } else if (params.has("o")) {
    save(keys);
  } else {
    var saved = load();
    if (saved.length) {
      window.location.replace(planUrl(saved));
      return;
    }
  }
  showCount(keys);

  var printButton = document.querySelector(".plan-print");
  if (printButton) {
    printButton.hidden = false;
    printButton.addEventListener("click", function () { window.print(); });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function numberIcon(numbers, happens) {
    var box = el("span", "plan-marker__number", numbers.join(","));
    return L.divIcon({
      html: box,
      className: "plan-marker" + (happens ? "" : " plan-marker--off"),
      iconSize: [28 + 10 * (numbers.length - 1), 28],
      iconAnchor: [14 + 5 * (numbers.length - 1), 14]
    });
  }

  function drawDay(container, day) {
    if (!window.L || !day.stops.length) return null;
    var tiles = data.tiles;
    var map = L.map(container, { zoomControl: false, scrollWheelZoom: false });
    L.control.zoom({ zoomInTitle: data.labels.zoomIn, zoomOutTitle: data.labels.zoomOut }).addTo(map);
    L.tileLayer(tiles.url, { attribution: tiles.attribution, subdomains: tiles.subdomains, maxZoom: tiles.maxZoom }).addTo(map);
    if (tiles.labelsUrl) {
      L.tileLayer(tiles.labelsUrl, { subdomains: tiles.subdomains, maxZoom: tiles.maxZoom }).addTo(map);
    }
    // Stops at the same place share one marker numbered "1,2".
    var places = [];
    var byPlace = {};
    day.stops.forEach(function (stop) {
      var where = stop.lat + "," + stop.lon;
      if (!byPlace[where]) {
        byPlace[where] = { lat: stop.lat, lon: stop.lon, stops: [] };
        places.push(byPlace[where]);
      }
      byPlace[where].stops.push(stop);
    });
    var markers = places.map(function (place) {
      var numbers = place.stops.map(function (s) { return s.number; });
      var happens = place.stops.some(function (s) { return s.happens; });
      var names = place.stops.map(function (s) {
        return data.labels.stop.replace("{number}", String(s.number)) + data.labels.colon + s.title;
      });
      var marker = L.marker([place.lat, place.lon], {
        icon: numberIcon(numbers, happens), alt: names.join(data.labels.semicolon) + " (" + place.stops[0].site + ")",
        keyboard: true, title: names.join(data.labels.semicolon)
      }).addTo(map);
      marker.bindPopup(function () {
        var box = el("div", "plan-popup");
        box.appendChild(el("p", "plan-popup__site", place.stops[0].site));
        var list = el("ul");
        place.stops.forEach(function (s, i) {
          var item = el("li");
          var link = el("a", null, names[i]);
          if (typeof s.url === "string" && s.url.charAt(0) === "/" && s.url.charAt(1) !== "/") link.href = s.url;
          item.appendChild(link);
          list.appendChild(item);
        });
        box.appendChild(list);
        return box;
      });
      return marker;
    });
    var route = day.stops.filter(function (s) { return s.happens; }).map(function (s) { return [s.lat, s.lon]; });
    var line = null;
    if (route.length > 1) {
      line = L.polyline(route, { color: "#0b5f8a", weight: 4, opacity: 0.8, dashArray: "8 6", interactive: false }).addTo(map);
    }
    var points = places.map(function (p) { return [p.lat, p.lon]; });
    if (points.length === 1) map.setView(points[0], 14);
    else map.fitBounds(points, { padding: [30, 30], maxZoom: 15 });
    return { map: map, markers: markers, line: line };
  }

  // A handle for tests: the drawn maps by day.
  window.canalPlanMaps = {};
  data.days.forEach(function (day) {
    var container = document.querySelector('.plan-map[data-day="' + day.day + '"]');
    if (container) window.canalPlanMaps[day.day] = drawDay(container, day);
  });
})();
