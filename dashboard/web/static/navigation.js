/* The page callbacks' addresses: ``showAddress`` moves the browser to a query string of the
 * view on screen, or to a path and query string (another page, which the router draws). It
 * sets dcc.Location's props, href too (else dcc.Location pushes its stale one); they push the
 * history entry. The view on screen is remembered: the router need not draw it (routing.py). */
(function () {
    'use strict';
    window.dashboard = window.dashboard || {};
    window.dashboard.showAddress = function (address) {
        if (!address) { return; }
        var q = address.indexOf('?');
        var path = q < 0 ? address : address.slice(0, q);
        var search = q < 0 ? '' : address.slice(q);
        var props = {};
        if (path && path !== window.location.pathname) { props.pathname = path; }
        if (search !== window.location.search) { props.search = search; }
        window._dashboardView = search;
        if (Object.keys(props).length) {
            props.href = window.location.origin + (props.pathname || window.location.pathname)
                + search;
            window.dash_clientside.set_props('url', props);
        }
    };
})();

/* The language switch as an in-page navigation: the router draws the same view in the other
 * language without loading a new document (the HTML, every script and plotly evaluated again).
 * It stays a plain link: without scripts, or opened in a new tab or window, it loads the page. */
(function () {
    'use strict';
    document.addEventListener('click', function (event) {
        var link = event.target.closest && event.target.closest('a#lang-switch');
        if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
            event.ctrlKey || event.shiftKey || event.altKey || !window.dash_clientside) {
            return;
        }
        var url = new URL(link.href, window.location.href);
        if (url.origin !== window.location.origin) { return; }
        event.preventDefault();
        window.history.pushState({}, '', url.pathname + url.search);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));  // dcc.Location reads it
    });
})();
