/* The map at /: draws every area of GET /api/areas with Leaflet's SVG renderer and no tile layer (nothing is
   fetched from elsewhere). Each area's colour and words come from the legend the server rendered, so the page
   and the map name a status the same way. Offers the map as in view, with its caption and legend, as SVG and PNG
   files made in the browser when asked for. Marks the page ready once the areas are drawn. */
(function () {
  'use strict';
  var legend = {};
  document.querySelectorAll('.legend li').forEach(function (li) {
    legend[li.dataset.status + '|' + li.dataset.severity] = { words: li.textContent, css: li.dataset.css };
  });

  function labelOf(p) {
    return legend[p.status + '|' + (p.status === 'alert' ? p.severity : '')] || { words: p.status, css: '' };
  }

  var map = L.map('map', { renderer: L.svg(), attributionControl: false, zoomSnap: 0.25 });
  var SVG_NS = 'http://www.w3.org/2000/svg';
  /** The downloads' smallest width: a map exported from a phone is still legible on a page. */
  var MIN_WIDTH = 800;
  /** The room left around the city when the map is fitted to it, in pixels. */
  var PADDING = 4;
  /** The downloads' margin, line height and legend column width, in pixels. */
  var MARGIN = 12, LINE = 20, LEGEND_COLUMN = 210;

  function svg(name, attrs, text) {
    var e = document.createElementNS(SVG_NS, name);
    Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); });
    if (text != null) { e.textContent = text; }
    return e;
  }

  /** A computed fill as a file of its own can hold it: a pattern by its id, not by the page's address. */
  function paint(value) {
    var m = /url\(.*#([\w-]+)["']?\)/.exec(value);
    return m ? 'url(#' + m[1] + ')' : value;
  }

  /** The words of {@code text} in lines of at most {@code max} characters. */
  function lines(text, max) {
    var out = [''];
    text.split(' ').forEach(function (word) {
      var last = out[out.length - 1];
      if (last && (last + ' ' + word).length > max) {
        out.push(word);
      } else {
        out[out.length - 1] = last ? last + ' ' + word : word;
      }
    });
    return out;
  }

  /**
   * The part of the drawn shapes that is in view: Leaflet draws a margin beyond the view, and only the part of the
   * city in view when zoomed in. Null while nothing is drawn.
   */
  function inView(drawn) {
    var shapes = drawn.querySelector('g').getBBox();
    var min = map.containerPointToLayerPoint([0, 0]), max = map.containerPointToLayerPoint(map.getSize());
    var x0 = Math.max(shapes.x, min.x), y0 = Math.max(shapes.y, min.y);
    var x1 = Math.min(shapes.x + shapes.width, max.x), y1 = Math.min(shapes.y + shapes.height, max.y);
    if (!(x1 > x0 && y1 > y0)) {
      return null;
    }
    var whole = x0 === shapes.x && y0 === shapes.y && x1 === shapes.x + shapes.width && y1 === shapes.y + shapes.height;
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0, whole: whole };
  }

  /**
   * The map as in view now, with the caption above and the legend below: a standalone SVG document whose shapes
   * carry their colours (no stylesheet needed) and the page's patterns; null while Leaflet has not drawn the shapes.
   * A zoomed-in view says in its caption that it is part of the city.
   */
  function standalone() {
    var drawn = document.querySelector('#map .leaflet-overlay-pane svg');
    var bounds = inView(drawn);
    if (bounds === null) {
      return null;
    }
    var scale = Math.max(1, (MIN_WIDTH - 2 * MARGIN) / bounds.width);
    var width = Math.round(bounds.width * scale + 2 * MARGIN);
    var caption = lines(document.getElementById('map').dataset.caption
      + (bounds.whole ? '' : ' Part of the city, as zoomed in.'), Math.floor(width / 7.5));
    var top = MARGIN + caption.length * LINE;
    var mapHeight = Math.round(bounds.height * scale);
    var legend = document.querySelectorAll('.legend li');
    var perRow = Math.max(1, Math.floor((width - 2 * MARGIN) / LEGEND_COLUMN));
    var height = top + mapHeight + MARGIN + Math.ceil(legend.length / perRow) * LINE + MARGIN;
    var out = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height,
      'font-family': 'sans-serif', 'font-size': '13' });
    var defs = out.appendChild(document.querySelector('svg.defs defs').cloneNode(true));
    var view = defs.appendChild(svg('clipPath', { id: 'view' }));
    view.appendChild(svg('rect', { x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height }));
    out.appendChild(svg('rect', { width: width, height: height, fill: '#ffffff' }));
    caption.forEach(function (line, i) {
      out.appendChild(svg('text', { x: MARGIN, y: MARGIN + (i + 0.75) * LINE, 'font-size': '14' }, line));
    });
    var areas = out.appendChild(svg('g', { transform: 'translate(' + (MARGIN - bounds.x * scale) + ' '
      + (top - bounds.y * scale) + ') scale(' + scale + ')', 'clip-path': 'url(#view)' }));
    drawn.querySelectorAll('path.area').forEach(function (path) {
      // An area out of view is drawn by Leaflet as an empty path.
      if (path.getAttribute('d') === 'M0 0') {
        return;
      }
      var style = getComputedStyle(path);
      var shape = svg('path', { d: path.getAttribute('d'), fill: paint(style.fill), stroke: style.stroke,
        'stroke-width': style.strokeWidth, 'stroke-linejoin': 'round', 'vector-effect': 'non-scaling-stroke',
        'data-area-id': path.dataset.areaId });
      shape.appendChild(svg('title', {}, path.getAttribute('aria-label')));
      areas.appendChild(shape);
    });
    legend.forEach(function (li, i) {
      var x = MARGIN + (i % perRow) * LEGEND_COLUMN;
      var y = top + mapHeight + MARGIN + Math.floor(i / perRow) * LINE;
      out.appendChild(svg('rect', { x: x, y: y + 2, width: 14, height: 14, stroke: '#4d4d4d',
        fill: paint(getComputedStyle(li.querySelector('rect')).fill) }));
      out.appendChild(svg('text', { x: x + 20, y: y + 14 }, li.textContent));
    });
    return out;
  }

  /** Saves {@code blob} as the file {@code name}, as a link to it clicked would. */
  function save(blob, name) {
    var link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    // The browser has the file once the download starts; the address is freed after that.
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 60000);
  }

  /** The file name of the map's downloads: the last day of its statuses. */
  function fileName(extension) {
    return 'lookout-map-' + (document.getElementById('map').dataset.asOf || 'no-data') + '.' + extension;
  }

  /** A drawing (see {@link standalone}) as the text of an SVG file. */
  function svgText(drawing) {
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(drawing);
  }

  /** The drawing as a PNG at twice its size, for sharp print. */
  function png(drawing) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement('canvas');
        canvas.width = 2 * drawing.getAttribute('width');
        canvas.height = 2 * drawing.getAttribute('height');
        var g = canvas.getContext('2d');
        g.scale(2, 2);
        g.drawImage(image, 0, 0);
        canvas.toBlob(function (blob) {
          if (blob) { resolve(blob); } else { reject(new Error('the map could not be made into a PNG')); }
        }, 'image/png');
      };
      image.onerror = function () { reject(new Error('the map could not be drawn as an image')); };
      image.src = 'data:image/svg+xml;charset=utf-8,' + encodeURIComponent(svgText(drawing));
    });
  }

  /**
   * The download buttons: each file is made when asked for, from the map as drawn then (made at every move instead,
   * a phone would encode a large PNG at each pan). A file that cannot be made is said beside the buttons.
   */
  function offerDownloads() {
    var problem = document.querySelector('p.download .problem');
    function failed(e) { problem.textContent = ' Sorry: ' + e.message + '.'; }
    function drawing() {
      problem.textContent = '';
      var d = standalone();
      if (d === null) { throw new Error('the map is not drawn yet'); }
      return d;
    }
    document.getElementById('map-svg').addEventListener('click', function () {
      try {
        save(new Blob([svgText(drawing())], { type: 'image/svg+xml' }), fileName('svg'));
      } catch (e) {
        failed(e);
      }
    });
    document.getElementById('map-png').addEventListener('click', function () {
      Promise.resolve().then(drawing).then(png).then(function (blob) { save(blob, fileName('png')); }).catch(failed);
    });
    document.querySelector('p.download').hidden = false;
  }

  fetch('/api/areas', { credentials: 'same-origin', headers: { Accept: 'application/geo+json' } })
    .then(function (r) {
      if (!r.ok) { throw new Error('the areas could not be loaded (' + r.status + ')'); }
      return r.json();
    })
    .then(function (collection) {
      var drawn = collection.features.filter(function (f) { return f.geometry; });
      if (drawn.length === 0) {
        throw new Error('the published snapshot holds no boundaries (an older Lookout wrote it)');
      }
      var layer = L.geoJSON(drawn, {
        style: function (f) {
          return { className: 'area ' + labelOf(f.properties).css, weight: 1, fillOpacity: 1 };
        },
        onEachFeature: function (f, path) {
          var p = f.properties;
          // As a text node: Leaflet puts a string in as HTML, and the name comes from the boundaries file.
          path.bindTooltip(document.createTextNode(p.name + ': ' + labelOf(p).words), { sticky: true });
          path.on('click', function () { window.location.href = '/areas/' + encodeURIComponent(p.area_id); });
          path.on('add', function () {
            var el = path.getElement();
            el.dataset.areaId = p.area_id;
            el.setAttribute('aria-label', p.name + ': ' + labelOf(p).words);
          });
        }
      }).addTo(map);
      // An alert's outline is drawn over its neighbours', so all of it shows.
      layer.eachLayer(function (path) {
        if (path.feature.properties.status === 'alert') { path.bringToFront(); }
      });
      // Without animation: a refit after a resize is drawn at once, never caught half-zoomed. A map hidden or
      // squeezed to nothing (in a collapsed part of the page, or while Chromium captures the whole page) keeps its
      // view: Leaflet's zoom to fit no room is infinite, and from there no later fit comes back.
      var fit = function () {
        var room = map.getSize();
        if (room.x > 2 * PADDING && room.y > 2 * PADDING) {
          map.fitBounds(layer.getBounds(), { padding: [PADDING, PADDING], animate: false });
        }
      };
      fit();
      map.on('resize', fit);
      offerDownloads();
      document.documentElement.dataset.ready = 'true';
    })
    .catch(function (e) {
      var problem = document.createElement('p');
      problem.className = 'problem';
      problem.textContent = 'Sorry: ' + e.message + '. The table below lists every area.';
      document.getElementById('map').replaceWith(problem);
      document.documentElement.dataset.ready = 'true';
    });
})();
