/* Charts out of view are drawn when they come into view: a filter change redraws the charts
 * on screen (or near it) at once and only remembers the new figure of the others, drawn when
 * the reader scrolls to them (or prints the page). A chart a page puts below the fold is in an
 * InView box (components.InView): an empty box of its height until it comes near the view,
 * then the chart, mounted and drawn with its latest figure (plotly took 20-110 ms to draw even
 * an empty frame when the page was drawn). Their summaries and data tables, which are text,
 * change at once. Charts are found by id when the view moves (dcc.Graph may replace its
 * element meanwhile; a chart not mounted yet takes the figure at once, drawn when mounted). */
(function () {
    'use strict';
    var pending = {};  // graph id -> the latest figure not drawn yet
    var MARGIN = 0.25;  // "near": within a quarter of the window's height
    var APPROACH = 0.5;  // plotly.js evaluated for a chart within half a window's height
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
     * called with each new figure of a filter change. */
    function figureWhenVisible(id, figure) {
        delete pending[id];
        if (!figure) { return window.dash_clientside.no_update; }
        var element = document.getElementById(id);
        if (!element || near(element)) { return figure; }
        pending[id] = figure;
        return window.dash_clientside.no_update;
    }

    var React = window.React;
    /* Whether `element` comes within `margin` (a share of the window's height) of the view:
     * `fn` called once when it does. A function that stops watching. */
    function whenWithin(element, margin, fn) {
        var at = (margin * 100) + '%';
        var observer = new window.IntersectionObserver(function (entries) {
            if (entries.some(function (e) { return e.isIntersecting; })) {
                observer.disconnect();
                fn();
            }
        }, {rootMargin: at + ' 0px ' + at + ' 0px'});
        observer.observe(element);
        return function () { observer.disconnect(); };
    }

    /* Its children once it is near the view (as ``near``), or the page printed; until then an
     * empty box (``style`` gives it the chart's height). A plotly chart (``plotly``) is
     * mounted once plotly.js is there: evaluated when the browser is idle once the box is
     * within half a window's height of the view (not before: ~250 ms of main thread that a
     * page whose plotly chart nobody scrolls to should not pay), at once if it comes nearer. */
    function InView(props) {
        var ref = React.useRef(null);
        var state = React.useState(false), shown = state[0], show = state[1];
        var plotly = props.plotly !== false;
        React.useEffect(function () {
            if (shown) { return undefined; }
            var now = function () {
                if (!plotly) { show(true); return; }
                window.dashboard.loadPlotlyNow();
                window.dashboard.whenPlotlyReady(function () { show(true); });
            };
            if (!window.IntersectionObserver) { now(); return undefined; }
            var stops = [whenWithin(ref.current, MARGIN, now)];
            if (plotly) {
                stops.push(whenWithin(ref.current, APPROACH, window.dashboard.loadPlotlyWhenIdle));
            }
            window.addEventListener('beforeprint', now);
            return function () {
                stops.forEach(function (stop) { stop(); });
                window.removeEventListener('beforeprint', now);
            };
        }, [shown, plotly]);
        return React.createElement('div', {id: props.id, ref: ref, className: props.className,
                                           style: props.style}, shown ? props.children : null);
    }

    window.addEventListener('scroll', schedule, {passive: true});
    window.addEventListener('resize', schedule);
    document.addEventListener('toggle', schedule, true);  // a <details> opened or closed above
    window.addEventListener('beforeprint', function () { Object.keys(pending).forEach(draw); });
    window.dashboard = window.dashboard || {};
    window.dashboard.figureWhenVisible = figureWhenVisible;
    /* A page drawn (again: same ids, another language) forgets the figures still waiting. */
    window.dashboard.forgetFigures = function () { pending = {}; };
    window.dashboard.InView = InView;
})();
