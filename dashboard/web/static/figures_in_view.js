/* Charts out of view are redrawn when they come into view: a filter change redraws the charts
 * on screen (or near it) at once and only remembers the new figure of the others, drawn when
 * the reader scrolls to them (or prints the page). Their summaries and data tables, which are
 * text, change at once. */
(function () {
    'use strict';
    var pending = {};  // graph id -> {figure, element}: the latest figure not drawn yet
    var MARGIN = 0.25;  // "near": within a quarter of the window's height
    var observer = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
            if (entry.isIntersecting) { draw(entry.target.id, entry.target); }
        });
    }, {rootMargin: (MARGIN * 100) + '% 0px'}) : null;

    function draw(id, element) {
        var wait = pending[id];
        if (observer) { observer.unobserve(element); }
        if (!wait || wait.element !== element) { return; }  // a page drawn since: forget it
        delete pending[id];
        window.dash_clientside.set_props(id, {figure: wait.figure});
    }

    function near(element) {
        var box = element.getBoundingClientRect(), h = window.innerHeight;
        return box.bottom > -MARGIN * h && box.top < (1 + MARGIN) * h;
    }

    /* The figure to draw now in graph `id`, or no_update (then drawn when it comes into view). */
    function figureWhenVisible(id, figure) {
        var element = document.getElementById(id);
        var old = pending[id];
        if (old && observer) { observer.unobserve(old.element); }
        delete pending[id];
        if (!element || !observer || near(element)) { return figure; }
        pending[id] = {figure: figure, element: element};
        observer.observe(element);
        return window.dash_clientside.no_update;
    }

    /* A page drawn by the router brings its own figures: forget the ones still waiting (the
     * graph may be the same element, reused by React, in another language). */
    function forgetFigures() {
        Object.keys(pending).forEach(function (id) {
            if (observer) { observer.unobserve(pending[id].element); }
            delete pending[id];
        });
    }

    window.addEventListener('beforeprint', function () {
        Object.keys(pending).forEach(function (id) { draw(id, pending[id].element); });
    });
    window.dashboard = window.dashboard || {};
    window.dashboard.figureWhenVisible = figureWhenVisible;
    window.dashboard.forgetFigures = forgetFigures;
})();
