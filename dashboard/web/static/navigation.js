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
