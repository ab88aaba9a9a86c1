/* A chart is redrawn for a resize only when its size changed.
 *
 * dcc.Graph calls plotly's Plots.resize after the first drawing of every responsive chart and
 * whenever its container's box changes. Plots.resize waits 100 ms, then relayouts with
 * `autosize`, which draws the whole chart again even when the size plotly computes is the one
 * it has just drawn at: every chart was drawn twice, the second time 100 ms or more after the
 * first. Here a resize whose size, computed as plotly computes it (the graph element's style
 * width and height), is within a pixel of the drawn one returns at once; any other goes
 * to plotly's (the wrapper is put on plotly.js when it arrives: `on_plotly.js`). */
(function () {
    'use strict';
    var TOLERANCE = 1;  // px, plotly's own threshold for a size change

    function sameSize(gd) {
        var full = gd && gd._fullLayout;
        if (!full || !gd.isConnected) { return false; }
        var style = window.getComputedStyle(gd);
        var width = parseFloat(style.width), height = parseFloat(style.height);
        return Math.abs(full.width - width) <= TOLERANCE &&
            Math.abs(full.height - height) <= TOLERANCE;
    }

    function wrap(plotly) {
        var plots = plotly && plotly.Plots;
        if (!plots || !plots.resize || plots.resize.dashboardWrapped) { return; }
        var resize = plots.resize;
        plots.resize = function (gd) {
            var element = typeof gd === 'string' ? document.getElementById(gd) : gd;
            if (sameSize(element)) { return Promise.resolve(element); }
            return resize.apply(this, arguments);
        };
        plots.resize.dashboardWrapped = true;
    }

    window.dashboard.onPlotly(wrap);
})();
