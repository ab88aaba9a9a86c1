/* Fetch, when the browser is idle, what the likely next view needs (the URLs the server lists
 * in the page's data-prefetch: plotly.js and map geometry, all long-cached), so that a click on
 * the map link or a level change waits for no download. Fetch only: nothing is evaluated or
 * drawn, nothing is fetched twice, nothing at all when the visitor asked to save data. */
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

    window.dashboard = window.dashboard || {};
    window.dashboard.prefetch = prefetch;
    window.dashboard.idle = idle;
    window.dashboard.savingData = savingData;
})();
