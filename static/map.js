/* The canal map in the browser: markers, popups, tooltips, search, legend and filters.
 *
 * folium has already created the Leaflet map, its tiles, the route and an empty cluster
 * group (see canal/maps.py). Everything about sites and events comes from the JSON block
 * next to the map and is written with textContent or as DOM nodes: no content text is ever
 * parsed as HTML, so names holding <script>, ${...}, backticks or {{ }} stay plain text.
 */
(function () {
  "use strict";

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  // Links come from our own URL scheme; refuse anything that is not a site path.
  function link(href, text, className) {
    var a = el("a", className, text);
    if (typeof href === "string" && href.charAt(0) === "/" && href.charAt(1) !== "/") a.href = href;
    return a;
  }

  // Map-app and booking links leave the site: https (and tel: for phones) only.
  function externalLink(href, text, className) {
    var a = el("a", className, text);
    if (typeof href === "string" && (/^https:\/\//.test(href) || /^tel:\+?[0-9]+$/.test(href))) {
      a.href = href;
      if (href.charAt(0) === "h") a.rel = "external noopener";
    }
    return a;
  }

  function getThere(site, labels) {
    var box = el("div", "canal-popup__get-there get-there");
    box.appendChild(el("p", "canal-popup__heading", labels.getThere));
    var list = el("ul", "map-apps");
    (site.mapLinks || []).forEach(function (app) {
      var item = el("li");
      var a = externalLink(app.url, app.label, "map-app map-app--" + app.app);
      a.setAttribute("data-app", app.app);
      item.appendChild(a);
      list.appendChild(item);
    });
    box.appendChild(list);
    return box;
  }

  function hoursLines(site, labels) {
    var box = el("div", "canal-popup__hours");
    box.appendChild(el("p", "canal-popup__today", site.hours.today));
    var now = site.hours.now;
    var open = false;
    if (window.canalHours && labels.hours) {
      var found = window.canalHours.describe(site.hours.windows || [], labels.hours, Date.now());
      now = found.text;
      open = found.open;
    }
    box.appendChild(el("p", "canal-popup__now hours__now" + (open ? " is-open" : ""), now));
    return box;
  }

  function bookingLine(booking, labels) {
    var line = el("p", "canal-popup__booking booking--required");
    line.appendChild(el("strong", "badge badge-booking", labels.bookingRequired));
    if (booking.url) {
      line.appendChild(document.createTextNode(" "));
      line.appendChild(externalLink(booking.url, labels.bookOnline));
    }
    if (booking.miniprogram) line.appendChild(document.createTextNode(" " + labels.miniprogram + " " + booking.miniprogram));
    if (booking.tel) {
      line.appendChild(document.createTextNode(" " + labels.bookByPhone + " "));
      line.appendChild(externalLink(booking.tel, booking.phone));
    }
    return line;
  }

  // Leaflet's layer control writes names with innerHTML, so it gets escaped text.
  function escapeHtml(text) {
    var holder = document.createElement("div");
    holder.textContent = text;
    return holder.innerHTML;
  }

  function approxText(site, labels) {
    var km = Math.round(site.precisionM / 100) / 10;
    return labels.approximate + " (±" + km + " " + labels.km + ")";
  }

  function accessibleName(site, labels) {
    var parts = [site.name, site.kind, site.area];
    if (site.approximate) parts.push(labels.approximate);
    return parts.join(", ");
  }

  // Sites carry their name in the other language too: mark it, so a screen reader says it
  // with the right voice.
  var OTHER_LANG = document.documentElement.lang === "en" ? "zh-Hans" : "en";

  function altName(site, className) {
    var span = el("span", className, site.altName);
    span.lang = OTHER_LANG;
    return span;
  }

  function tooltipContent(site, labels) {
    var box = el("div", "canal-tooltip");
    box.appendChild(el("strong", null, site.name));
    if (site.altName && site.altName !== site.name) box.appendChild(altName(site, "canal-tooltip__alt"));
    if (site.approximate) box.appendChild(el("span", "canal-tooltip__approx", labels.approximate));
    return box;
  }

  function popupContent(site, labels, withEvents) {
    var box = el("div", "canal-popup");
    box.appendChild(el("p", "canal-popup__name", site.name));
    box.appendChild(el("p", "canal-popup__meta", site.kind + " · " + site.area));
    if (site.approximate) box.appendChild(el("p", "canal-popup__approx", approxText(site, labels)));
    if (site.hours) box.appendChild(hoursLines(site, labels));
    if (site.booking && site.booking.required) box.appendChild(bookingLine(site.booking, labels));
    if (withEvents) {
      box.appendChild(el("p", "canal-popup__heading", labels.upcoming));
      if (site.upcoming && site.upcoming.length) {
        var list = el("ul", "canal-popup__events");
        site.upcoming.forEach(function (occ) {
          var item = el("li", occ.cancelled ? "is-cancelled" : null);
          item.appendChild(link(occ.url, occ.title, "canal-popup__event"));
          var when = el("time", "canal-popup__when", occ.when);
          when.setAttribute("datetime", occ.date);
          item.appendChild(when);
          if (!occ.cancelled && occ.booking) {
            var line = bookingLine(occ.booking, labels);
            line.firstChild.className += " canal-popup__booking-badge";
            item.appendChild(line);
          } else if (!occ.cancelled && occ.bookingRequired) {
            item.appendChild(el("strong", "badge badge-booking canal-popup__booking-badge", labels.bookingRequired));
          }
          if (occ.cancelled) item.appendChild(el("strong", "canal-popup__cancelled", labels.cancelled));
          else if (occ.plan) {
            var add = link(occ.plan, "+ " + labels.addToPlan, "canal-popup__plan add-to-plan");
            // Three "+ Add to plan" links in one popup need names that tell them apart.
            add.setAttribute("aria-label", labels.addToPlan + labels.colon + occ.title + labels.comma + occ.when);
            item.appendChild(add);
          }
          list.appendChild(item);
        });
        box.appendChild(list);
      } else {
        box.appendChild(el("p", "canal-popup__none", labels.noUpcoming));
      }
      var links = el("p", "canal-popup__links");
      links.appendChild(link(site.url, labels.sitePage));
      links.appendChild(link(site.feedUrl, labels.feed, "canal-popup__feed"));
      box.appendChild(links);
    }
    if (site.mapLinks && site.mapLinks.length) box.appendChild(getThere(site, labels));
    return box;
  }

  // Cluster bubbles are keyboard-reachable markers; give them a name, not just a number.
  // Made on first use: on pages whose map loads later, Leaflet is not there yet.
  var LabelledDivIcon = null;
  function labelledDivIcon() {
    LabelledDivIcon = LabelledDivIcon || L.DivIcon.extend({
      createIcon: function (oldIcon) {
        var div = L.DivIcon.prototype.createIcon.call(this, oldIcon);
        if (this.options.label) {
          div.setAttribute("aria-label", this.options.label);
          div.title = this.options.label;
        }
        return div;
      }
    });
    return LabelledDivIcon;
  }

  function clusterIcon(labels) {
    var LabelledDivIcon = labelledDivIcon();
    return function (cluster) {
      var count = cluster.getChildCount();
      var size = count < 10 ? "small" : count < 100 ? "medium" : "large";
      var inner = el("div");
      inner.appendChild(el("span", null, String(count)));
      return new LabelledDivIcon({
        html: inner,
        className: "marker-cluster marker-cluster-" + size,
        iconSize: new L.Point(40, 40),
        label: labels.cluster.replace("{count}", String(count))
      });
    };
  }

  function makeMarker(site, labels, icons) {
    // The images by their published (hashed) names; "" stops Leaflet guessing a folder.
    L.Icon.Default.imagePath = "";
    var icon = new L.Icon.Default(L.Util.extend({
      className: site.approximate ? "canal-marker canal-marker--approx" : "canal-marker"
    }, icons || {}));
    var marker = L.marker([site.lat, site.lon], {
      icon: icon, alt: accessibleName(site, labels), keyboard: true, riseOnHover: true
    });
    marker.bindTooltip(tooltipContent(site, labels), { direction: "top", offset: [0, -38] });
    marker.siteId = site.id;
    return marker;
  }

  function searchControl(data, reveal) {
    var labels = data.labels;
    var Search = L.Control.extend({
      options: { position: "topright" },
      onAdd: function () {
        var form = el("form", "canal-search leaflet-bar");
        form.setAttribute("role", "search");
        var inputId = data.mapId + "-search";
        var label = el("label", "canal-search__label", labels.search);
        label.htmlFor = inputId;
        var input = el("input", "canal-search__input");
        input.type = "search";
        input.id = inputId;
        input.placeholder = labels.searchHint;
        input.autocomplete = "off";
        var results = el("ul", "canal-search__results");
        results.setAttribute("aria-live", "polite");
        form.appendChild(label);
        form.appendChild(input);
        form.appendChild(results);

        function matches(query) {
          var q = query.trim().toLowerCase();
          if (!q) return [];
          return data.sites.filter(function (site) {
            return site.name.toLowerCase().indexOf(q) !== -1 ||
              (site.altName || "").toLowerCase().indexOf(q) !== -1;
          }).slice(0, 8);
        }
        function show() {
          results.replaceChildren();
          var found = matches(input.value);
          if (input.value.trim() && !found.length) results.appendChild(el("li", "canal-search__none", labels.noResults));
          found.forEach(function (site) {
            var item = el("li");
            var button = el("button", "canal-search__result", site.name);
            button.type = "button";
            if (site.altName && site.altName !== site.name) button.appendChild(altName(site, "canal-search__alt"));
            button.addEventListener("click", function () { reveal(site); });
            item.appendChild(button);
            results.appendChild(item);
          });
          return found;
        }
        input.addEventListener("input", show);
        form.addEventListener("submit", function (event) {
          event.preventDefault();
          var found = show();
          if (found.length) reveal(found[0]);
        });
        L.DomEvent.disableClickPropagation(form);
        L.DomEvent.disableScrollPropagation(form);
        return form;
      }
    });
    return new Search();
  }

  function legendControl(labels, withCluster, withSchematic) {
    var Legend = L.Control.extend({
      options: { position: "bottomright" },
      onAdd: function () {
        var details = el("details", "canal-legend");
        // Open on the large home map; closed on a site's small map, where it covered the marker.
        details.open = withCluster && window.matchMedia("(min-width: 40em)").matches;
        details.appendChild(el("summary", null, labels.legend));
        var list = el("ul");
        function row(symbolClass, text) {
          var item = el("li");
          var symbol = el("span", "canal-legend__symbol " + symbolClass);
          symbol.setAttribute("aria-hidden", "true");
          item.appendChild(symbol);
          item.appendChild(el("span", null, text));
          list.appendChild(item);
        }
        row("canal-legend__site", labels.site);
        row("canal-legend__site canal-legend__site--approx", labels.approximate);
        if (withCluster) row("canal-legend__cluster", labels.cluster.replace("{count}", "n"));
        row("canal-legend__route", labels.route);
        if (withSchematic) row("canal-legend__route canal-legend__route--schematic", labels.routeSchematic);
        details.appendChild(list);
        L.DomEvent.disableClickPropagation(details);
        return details;
      }
    });
    return new Legend();
  }

  // The canal line is OpenStreetMap-derived (ODbL) whatever the tiles: credit it in the map,
  // as the tile layer credits its own pictures.
  function creditRoute(map, labels) {
    if (!map.attributionControl || !labels.routeAttribution) return;
    map.attributionControl.addAttribution('<a href="https://www.openstreetmap.org/copyright">' +
      escapeHtml(labels.routeAttribution) + "</a>");
  }

  // An approximate site is somewhere in a circle of its precision: show that circle while
  // the site is selected, so nobody walks to the pin.
  function precisionCircle(site) {
    return L.circle([site.lat, site.lon], {
      radius: site.precisionM, color: "#0b5f8a", weight: 1, dashArray: "4 4",
      fillOpacity: 0.06, interactive: false, className: "canal-precision"
    });
  }

  function labelControls(map, labels) {
    L.control.zoom({ position: "topleft", zoomInTitle: labels.zoomIn, zoomOutTitle: labels.zoomOut }).addTo(map);
    creditRoute(map, labels);
    // On a phone the controls would cover an open popup (and its close button): map.css
    // hides them meanwhile.
    var opener = null;  // the marker a keyboard user opened the popup from
    map.on("popupclose", function () {
      map.getContainer().classList.remove("has-popup");
      if (opener && document.activeElement && map.getContainer().contains(document.activeElement)) opener.focus();
      opener = null;
    });
    map.on("popupopen", function (event) {
      map.getContainer().classList.add("has-popup");
      var box = event.popup.getElement();
      var close = box && box.querySelector(".leaflet-popup-close-button");
      if (close) {
        close.setAttribute("aria-label", labels.close);
        close.title = labels.close;
      }
      // Opened from the keyboard: take focus into the popup rather than leave it on the
      // marker, with every other marker between it and the popup's links.
      var from = document.activeElement;
      if (box && from && from.classList.contains("leaflet-marker-icon") && from.matches(":focus-visible")) {
        opener = from;
        var first = box.querySelector(".leaflet-popup-content a[href], .leaflet-popup-content button");
        (first || close || box).focus();
      }
    });
    // Escape closes what is open over the map, as in any dialog.
    map.getContainer().addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !map._popup || !map.hasLayer(map._popup)) return;
      map.closePopup();
      event.stopPropagation();
    });
  }

  // Leaflet's layer panel opens as soon as its button gets focus, hiding that button (so
  // focus falls to the page), and cannot be closed by keyboard. Here it opens on Enter or
  // Space with focus on its first choice, and closes with Escape or when focus leaves it.
  function keyboardLayers(layers) {
    var box = layers.getContainer();
    var toggle = box.querySelector(".leaflet-control-layers-toggle");
    if (!toggle) return;
    L.DomEvent.off(toggle, "focus", layers.expand, layers);
    toggle.addEventListener("keydown", function (event) {
      if (event.key !== "Enter" && event.key !== " ") return;
      event.preventDefault();
      layers.expand();
      var first = box.querySelector("input");
      if (first) first.focus();
    });
    box.addEventListener("keydown", function (event) {
      if (event.key !== "Escape" || !box.classList.contains("leaflet-control-layers-expanded")) return;
      event.stopPropagation();
      layers.collapse();
      toggle.focus();
    });
    box.addEventListener("focusout", function (event) {
      if (!box.contains(event.relatedTarget)) layers.collapse();
    });
  }

  function drawHome(map, data) {
    var labels = data.labels;
    labels.hours = data.hoursLabels;
    var cluster = window[data.cluster];
    cluster.options.iconCreateFunction = clusterIcon(labels);
    var markers = {};
    data.sites.forEach(function (site) {
      var marker = makeMarker(site, labels, data.icons);
      marker.bindPopup(function () { return popupContent(site, labels, true); }, {
        maxWidth: Math.min(320, map.getSize().x - 100), minWidth: 180, maxHeight: Math.max(200, Math.round(map.getSize().y * 0.7)),
        autoPanPaddingTopLeft: [50, 10]
      });
      if (site.approximate) {
        var circle = precisionCircle(site);
        marker.on("popupopen", function () { circle.addTo(map); });
        marker.on("popupclose", function () { circle.remove(); });
        marker.precisionCircle = circle;
      }
      markers[site.id] = marker;
    });

    // One filter per category with sites, and one for sites without events; a site shows
    // while any of its categories is switched on.
    var filters = {};
    var overlays = {};
    overlays[escapeHtml(labels.routeLayer)] = window[data.route];
    data.categories.forEach(function (category) {
      var used = data.sites.some(function (site) { return site.categories.indexOf(category.id) !== -1; });
      if (!used) return;
      filters[category.id] = L.layerGroup().addTo(map);
      overlays[escapeHtml(category.name)] = filters[category.id];
    });
    if (data.sites.some(function (site) { return !site.categories.length; })) {
      filters[""] = L.layerGroup().addTo(map);
      overlays[escapeHtml(labels.otherSites)] = filters[""];
    }
    function shown(site) {
      var ids = site.categories.length ? site.categories : [""];
      return ids.some(function (id) { return filters[id] && map.hasLayer(filters[id]); });
    }
    function refresh() {
      cluster.clearLayers();
      cluster.addLayers(data.sites.filter(shown).map(function (site) { return markers[site.id]; }));
    }
    map.on("overlayadd overlayremove", refresh);
    refresh();

    var layers = L.control.layers(null, overlays, { collapsed: true, position: "topright" }).addTo(map);
    var toggle = layers.getContainer().querySelector(".leaflet-control-layers-toggle");
    if (toggle) {
      toggle.title = labels.layers;
      toggle.setAttribute("aria-label", labels.layers);
    }
    keyboardLayers(layers);

    function reveal(site) {
      if (!shown(site)) {
        var ids = site.categories.length ? site.categories : [""];
        map.addLayer(filters[ids[0]]);
      }
      var marker = markers[site.id];
      cluster.zoomToShowLayer(marker, function () {
        marker.openPopup();
        if (marker.getElement()) marker.getElement().focus();
        marker.closeTooltip();  // the popup already says it all
      });
    }
    searchControl(data, reveal).addTo(map);
    legendControl(labels, true, data.schematicRoute).addTo(map);
    return { map: map, cluster: cluster, markers: markers, reveal: reveal };
  }

  function drawSite(map, data) {
    var labels = data.labels;
    var site = data.sites[0];
    var marker = makeMarker(site, labels, data.icons).addTo(map);
    marker.bindPopup(function () { return popupContent(site, labels, false); });
    // On a site's own page the site is the one selected: its circle is always shown.
    if (site.approximate) marker.precisionCircle = precisionCircle(site).addTo(map);
    legendControl(labels, false, data.schematicRoute).addTo(map);
    var markers = {};
    markers[site.id] = marker;
    // A boat trip or walk that ends elsewhere: its end, joined to the start by a dashed line.
    data.sites.slice(1).forEach(function (end) {
      var endMarker = makeMarker(end, labels).addTo(map);
      endMarker.bindPopup(function () { return popupContent(end, labels, false); });
      markers[end.id] = endMarker;
      L.polyline([[site.lat, site.lon], [end.lat, end.lon]], {
        color: "#b3541e", weight: 3, dashArray: "6 6", interactive: false
      }).addTo(map);
      map.fitBounds([[site.lat, site.lon], [end.lat, end.lon]], { padding: [30, 30] });
    });
    return { map: map, cluster: null, markers: markers };
  }

  // On a touch screen one finger scrolls the page, as everywhere else; two fingers move and
  // zoom the map. A one-finger swipe over the map says so instead of trapping the page.
  function scrollFriendly(map, labels) {
    if (!L.Browser.touch || !L.Browser.mobile) return;
    var box = map.getContainer();
    map.dragging.disable();
    if (map.tapHold) map.tapHold.disable();
    var hint = el("div", "canal-map-hint", labels.twoFingers);
    hint.setAttribute("aria-hidden", "true");
    box.appendChild(hint);
    var hideLater = null;
    box.addEventListener("touchstart", function (event) {
      if (event.touches.length >= 2) {
        map.dragging.enable();
        box.classList.remove("canal-map--hint");
      }
    }, { passive: true });
    box.addEventListener("touchmove", function (event) {
      if (event.touches.length !== 1 || map.dragging.enabled()) return;
      box.classList.add("canal-map--hint");
      clearTimeout(hideLater);
      hideLater = setTimeout(function () { box.classList.remove("canal-map--hint"); }, 1500);
    }, { passive: true });
    box.addEventListener("touchend", function (event) {
      if (event.touches.length === 0) map.dragging.disable();
    }, { passive: true });
  }

  // Scripts one after another (Leaflet before its plugins), then `done`.
  function loadScripts(urls, done) {
    if (!urls.length) { done(); return; }
    var script = document.createElement("script");
    script.src = urls[0];
    script.onload = function () { loadScripts(urls.slice(1), done); };
    document.body.appendChild(script);
  }

  // A lazy map: load Leaflet and run folium's waiting script once the map is wanted. The
  // home map: when in view (or nearly), so the page paints first. A site's small map: the
  // same on a large screen; on a phone, when tapped.
  function whenWanted(block, data, go) {
    var box = document.getElementById(data.mapId);
    var region = box && box.closest(".canal-map");
    if (!region) return;
    var started = false;
    function once() { if (!started) { started = true; go(); } }
    if (data.mode === "site" && window.matchMedia("(max-width: 40em)").matches) {
      var button = el("button", "canal-map-show", data.labels.showMap);
      button.type = "button";
      button.addEventListener("click", function () { button.remove(); once(); });
      region.appendChild(button);
    } else if ("IntersectionObserver" in window) {
      var watch = new IntersectionObserver(function (entries) {
        if (entries.some(function (e) { return e.isIntersecting; })) { watch.disconnect(); once(); }
      }, { rootMargin: "300px" });
      watch.observe(region);
    } else {
      once();
    }
  }

  function startLater(block) {
    var data = JSON.parse(block.textContent);
    whenWanted(block, data, function () {
      var root = block.dataset.root || "";
      var urls = JSON.parse(block.dataset.scripts).map(function (src) { return root + src; });
      loadScripts(urls, function () {
        var waiting = document.getElementById(block.dataset.inline);
        var script = document.createElement("script");
        script.textContent = waiting.textContent;  // allowed by the page's CSP hash
        document.body.appendChild(script);
        start(block);
      });
    });
  }

  function start(block) {
    if (block.dataset.drawn) return;
    if (block.dataset.scripts && !window.L) { startLater(block); return; }
    block.dataset.drawn = "1";
    var data = JSON.parse(block.textContent);
    var map = window[data.mapId];
    if (!map) return;
    labelControls(map, data.labels);
    scrollFriendly(map, data.labels);
    var drawn = data.mode === "home" ? drawHome(map, data) : drawSite(map, data);
    // A handle for tests and for other scripts of this site (e.g. the trip planner).
    window.canalMaps = window.canalMaps || {};
    window.canalMaps[data.mapId] = drawn;
  }

  Array.prototype.forEach.call(document.querySelectorAll("script.canal-map-data"), start);
})();
