/* A map keeps the framing plotly computed for its geometry instead of computing it again at
 * every change of values.
 *
 * The map is framed with `geo.fitbounds: "locations"`: at every drawing plotly goes through
 * every coordinate of every area (13,500 points for the departments) to find their bounds,
 * then fits them. A filter change only changes the values, not the geometry, so the bounds
 * are the same: after a drawing with `fitbounds`, the framing plotly computed (the centre of
 * the padded bounds, the zoom relative to the world's fit) is kept, by geometry, and the next
 * figures of the same geometry are drawn with it, fixed (`fitbounds: false`), which draws the
 * same paths, to the same pixel, 25-40 % faster. The zoom is relative to the world's fit, so
 * it holds at any size of the chart, and for a new chart of the same geometry (the page drawn
 * again in the other language, a level chosen again). A figure of geometry not framed yet is
 * framed by plotly. The wrapper is put on plotly.js when it arrives (`on_plotly.js`). */
(function () {
    'use strict';
    var kept = {};  // geometry key -> framing

    /* What fixes the bounds: the areas drawn from each geometry source, whichever trace draws
     * them (the grey base draws the suppressed areas, the values the others). */
    function geometryKey(data) {
        var areas = {};
        (data || []).forEach(function (t) {
            if (t.type !== 'choropleth') { return; }
            var key = String(t.geojson);
            areas[key] = areas[key] || {};
            Array.prototype.forEach.call(t.locations || [], function (code) {
                areas[key][code] = true;
            });
        });
        return JSON.stringify(Object.keys(areas).sort().map(function (key) {
            return [key, Object.keys(areas[key]).sort()];
        }));
    }

    /* The framing plotly computed at the chart's last drawing with `fitbounds` (a world map,
     * neither scoped nor clipped: plotly's own formulas for that case), or null. */
    function computedFraming(gd) {
        var geo = gd._fullLayout && gd._fullLayout.geo;
        var subplot = geo && geo._subplot;
        if (!subplot || !geo.fitbounds || geo._isScoped || geo._isClipped ||
                !subplot.projection || !subplot.fitScale) { return null; }
        var lon = geo.lonaxis._ax.range, lat = geo.lataxis._ax.range;
        var rotation = geo.projection.rotation || {};
        var centre = {lon: (lon[0] + lon[1]) / 2, lat: (lat[0] + lat[1]) / 2};
        return {fitbounds: false, center: centre, projection: {
            scale: subplot.projection.scale() / subplot.fitScale,
            rotation: {lon: centre.lon, lat: rotation.lat || 0, roll: rotation.roll || 0}}};
    }

    function withFraming(figure, framing) {
        var geo = figure.layout.geo;
        var projection = Object.assign({}, geo.projection, framing.projection);
        var layout = Object.assign({}, figure.layout, {geo: Object.assign(
            {}, geo, {fitbounds: false, center: framing.center, projection: projection})});
        return Object.assign({}, figure, {layout: layout});
    }

    function wrap(plotly) {
        if (!plotly.react || plotly.react.dashboardWrapped) { return; }
        var react = plotly.react;
        // dcc.Graph calls react(gd, {data, layout, frames, config}); other forms go through
        plotly.react = function (gd, figure) {
            var element = typeof gd === 'string' ? document.getElementById(gd) : gd;
            var geo = figure && !Array.isArray(figure) && figure.layout && figure.layout.geo;
            if (!element || !geo || !geo.fitbounds) { return react.apply(this, arguments); }
            var key = geometryKey(figure.data);
            if (kept[key]) {
                var args = Array.prototype.slice.call(arguments);
                args[1] = withFraming(figure, kept[key]);
                return react.apply(this, args);
            }
            return react.apply(this, arguments).then(function (result) {
                var framing = computedFraming(element);
                if (framing) { kept[key] = framing; }
                return result;
            });
        };
        plotly.react.dashboardWrapped = true;
    }

    window.dashboard.onPlotly(wrap);
})();
