/* Charts out of view are drawn when they come into view: a filter change redraws the charts
 * on screen (or near it) at once and only remembers the new figure of the others, drawn when
 * the reader scrolls to them (or prints the page); so are the first figures of the charts a
 * page puts below the fold. Their summaries and data tables, which are text, change at once.
 * Charts are found by id when the view moves (dcc.Graph may replace its element meanwhile). */
(function () {
    'use strict';
    var pending = {};  // graph id -> the latest figure not drawn yet
    var MARGIN = 0.25;  // "near": within a quarter of the window's height
    var scheduled = false;

    function near(element) {
        var box = element.getBoundingClientRect(), h = window.innerHeight;
        return box.bottom > -MARGIN * h && box.top < (1 + MARGIN) * h;
    }

    function draw(id) {
        var figure = pending[id];
        delete pending[id];
        window.dash_clientside.set_props(id, {figure: figure});
    }

    function check() {
        scheduled = false;
        Object.keys(pending).forEach(function (id) {
            var element = document.getElementById(id);
            if (element && near(element)) { draw(id); }
        });
    }

    function schedule() {
        if (!scheduled && Object.keys(pending).length) {
            scheduled = true;
            window.requestAnimationFrame(check);
        }
    }

    /* The figure to draw now in graph `id`, or no_update (then drawn when it comes into view);
     * called with the store's figure when a page is drawn (none: the page drew it), and with
     * each new figure of a filter change. */
    function figureWhenVisible(id, figure) {
        delete pending[id];  // a page drawn again (same id, figure or not) forgets the old one
        if (!figure) { return window.dash_clientside.no_update; }
        var element = document.getElementById(id);
        if (!element || near(element)) { return figure; }
        pending[id] = figure;
        return window.dash_clientside.no_update;
    }

    window.addEventListener('scroll', schedule, {passive: true});
    window.addEventListener('resize', schedule);
    document.addEventListener('toggle', schedule, true);  // a <details> opened or closed above
    window.addEventListener('beforeprint', function () { Object.keys(pending).forEach(draw); });
    window.dashboard = window.dashboard || {};
    window.dashboard.figureWhenVisible = figureWhenVisible;
})();
