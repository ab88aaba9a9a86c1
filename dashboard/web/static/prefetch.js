/* Fetch, when the browser is idle, what the likely next view needs (the URLs the server lists
 * in the page's data-prefetch: plotly.js and map geometry, all long-cached), so that a click on
 * the map link or a level change waits for no download. Fetch only: nothing is evaluated or
 * drawn, nothing is fetched twice, nothing at all when the visitor asked to save data. (Below:
 * plotly.js evaluated when idle for the pages whose charts are not drawn yet.) */
(function () {
    'use strict';
    var done = new Set();
    // (bound: called as another object's method, requestIdleCallback would refuse)
    var idle = window.requestIdleCallback ? window.requestIdleCallback.bind(window)
        : function (fn) { return setTimeout(fn, 200); };

    /* Whether the visitor asked to save data (then nothing is fetched ahead). */
    function savingData() { return !!(navigator.connection && navigator.connection.saveData); }

    function prefetch() {
        var main = document.getElementById('contenu');
        if (!main || !main.dataset.prefetch || savingData()) { return; }
        main.dataset.prefetch.split(' ').forEach(function (url) {
            if (!url || done.has(url)) { return; }
            done.add(url);
            idle(function () {
                window.fetch(url, {credentials: 'same-origin'}).then(function (r) {
                    return r.arrayBuffer();  // read to the end: the cache keeps whole bodies
                }).catch(function () { done.delete(url); });
            }, {timeout: 3000});
        });
    }

    /* plotly.js for the charts a page will draw: a page whose plotly charts are not mounted
     * yet (below the fold, see figures_in_view.js) has it evaluated when the browser is idle
     * or at once when one comes near the view, the way dcc.Graph would load it (a script from
     * `window._dashPlotlyJSURL`; dcc.Graph uses `window.Plotly` when there is one), and
     * dcc.Graph's own code too (its webpack chunk `async-graph.js`, beside dcc's bundle: a
     * chunk run by a script element is installed, webpack does not load it again); the chart
     * or the click waiting for them then draws at once. */
    var plotlyLoading = null;  // promise of plotly.js, once its evaluation started here

    function hasScript(url) {
        return Array.prototype.some.call(document.scripts, function (el) {
            return el.getAttribute('src') === url;
        });
    }

    /* A script run now (a promise, resolved when run or failed). */
    function run(url) {
        return new Promise(function (resolve) {
            var script = document.createElement('script');
            script.src = url;
            script.async = true;
            script.onload = script.onerror = function () { resolve(); };
            document.head.appendChild(script);
        });
    }

    /* dcc.Graph's chunk URL: beside dcc's bundle (whatever the site's path prefix). */
    function graphChunk() {
        var dcc = document.querySelector('script[src*="/dcc/dash_core_components."]');
        var src = dcc && dcc.getAttribute('src');
        return src ? src.slice(0, src.lastIndexOf('/') + 1) + 'async-graph.js' : null;
    }

    /* plotly.js and dcc.Graph's chunk evaluated now (a promise, resolved when done). */
    function loadPlotly() {
        var url = window._dashPlotlyJSURL;
        // (a page opened since whose dcc.Graph loads plotly.js itself is left alone)
        if (window.Plotly || plotlyLoading || !url || hasScript(url)) { return plotlyLoading; }
        var chunk = graphChunk();
        plotlyLoading = Promise.all([run(url), chunk && !hasScript(chunk) ? run(chunk) : null]);
        return plotlyLoading;
    }

    /* plotly.js evaluated at the browser's next idle moment (nothing under Save-Data). */
    function loadPlotlyWhenIdle() {
        if (!window.Plotly && !plotlyLoading && !savingData()) {
            idle(loadPlotly, {timeout: 3000});
        }
    }

    /* ``fn`` run once a dcc.Graph mounted then would find plotly.js: at once, or when the
     * evaluation started here has ended (else dcc.Graph would load plotly.js a second time). */
    function whenPlotlyReady(fn) {
        if (plotlyLoading && !window.Plotly) { plotlyLoading.then(fn); } else { fn(); }
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.prefetch = prefetch;
    window.dashboard.loadPlotlyWhenIdle = loadPlotlyWhenIdle;
    window.dashboard.loadPlotlyNow = loadPlotly;
    window.dashboard.whenPlotlyReady = whenPlotlyReady;
    window.dashboard.idle = idle;
    window.dashboard.savingData = savingData;
})();
