/* The map at /: draws every area of GET /api/areas with Leaflet's SVG renderer and no tile layer (nothing is
   fetched from elsewhere). Each area's colour and words come from the legend the server rendered, so the page
   and the map name a status the same way. Marks the page ready once the areas are drawn. */
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
          path.bindTooltip(p.name + ': ' + labelOf(p).words, { sticky: true });
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
      // Without animation: a refit after a resize is drawn at once, never caught half-zoomed.
      var fit = function () { map.fitBounds(layer.getBounds(), { padding: [4, 4], animate: false }); };
      fit();
      map.on('resize', fit);
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
