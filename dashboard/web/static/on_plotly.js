/* `window.dashboard.onPlotly(fn)`: run `fn(Plotly)` once plotly.js is there. The site's
 * scripts load before plotly.js (it comes later, and only on pages with charts), so the
 * functions wait for `window.Plotly` to be assigned; each runs once per Plotly object. */
(function () {
    'use strict';
    var waiting = [];
    var current = window.Plotly;

    function run(fn, plotly) {
        try { fn(plotly); } catch (e) { window.console.error(e); }
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.onPlotly = function (fn) {
        waiting.push(fn);
        if (current) { run(fn, current); }
    };
    if (current) { return; }
    Object.defineProperty(window, 'Plotly', {
        configurable: true,
        enumerable: true,
        get: function () { return current; },
        set: function (value) {
            current = value;
            if (value) { waiting.forEach(function (fn) { run(fn, value); }); }
        }
    });
})();
