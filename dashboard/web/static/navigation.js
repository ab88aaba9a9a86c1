/* The page callbacks' addresses: ``showAddress`` moves the browser to a query string of the
 * view on screen, or to a path and query string (another page, which the router draws). It
 * sets dcc.Location's props, href too (else dcc.Location pushes its stale one); they push the
 * history entry. The view on screen is remembered: the router need not draw it (routing.py).
 * ``followView`` points the language switch (in the header, which the router draws with the
 * page) at the view in the other language: here, not from a callback on the address (one
 * callback round less after every control change). */
(function () {
    'use strict';
    window.dashboard = window.dashboard || {};
    window.dashboard.followView = function (pathname, search) {
        var link = document.getElementById('lang-switch');
        if (!link) { return; }
        // the query string as the server writes it (lang last), the language swapped
        var query = (search || '').replace(/^\?/, '');
        var other = /(^|&)lang=en(&|$)/.test(query) ? 'fr' : 'en';
        query = query.split('&').filter(function (p) { return p && p.indexOf('lang=') !== 0; })
            .concat('lang=' + other).join('&');
        var href = pathname + '?' + query;
        if (link.getAttribute('href') !== href) { link.setAttribute('href', href); }
    };
    window.dashboard.showAddress = function (address) {
        if (!address) { return; }
        var q = address.indexOf('?');
        var path = q < 0 ? address : address.slice(0, q);
        var search = q < 0 ? '' : address.slice(q);
        var props = {};
        if (path && path !== window.location.pathname) { props.pathname = path; }
        if (search !== window.location.search) { props.search = search; }
        window._dashboardView = search;
        window.dashboard.followView(path || window.location.pathname, search);
        if (Object.keys(props).length) {
            props.href = window.location.origin + (props.pathname || window.location.pathname)
                + search;
            window.dash_clientside.set_props('url', props);
        }
    };
})();

/* In-page navigation: the language switch (the router draws the same view in the other
 * language) and the links of the plain page parts (a[data-link="in-app"], see static_tree.py:
 * what dcc.Link does, then back to the top of the page), without loading a new document (the
 * HTML, every script and plotly evaluated again). They stay plain links: without scripts, or
 * opened in a new tab or window, they load the page. */
(function () {
    'use strict';
    document.addEventListener('click', function (event) {
        var link = event.target.closest &&
            event.target.closest('a#lang-switch, a[data-link="in-app"]');
        if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey ||
            event.ctrlKey || event.shiftKey || event.altKey || !window.dash_clientside ||
            (link.target && link.target !== '_self')) {
            return;
        }
        var url = new URL(link.href, window.location.href);
        if (url.origin !== window.location.origin) { return; }
        event.preventDefault();
        window.history.pushState({}, '', url.pathname + url.search + url.hash);
        window.dispatchEvent(new CustomEvent('_dashprivate_pushstate'));  // dcc.Location reads it
        if (link.id !== 'lang-switch') {
            window.scrollTo(0, 0);
        } else {
            // The document's language now, while the router's request is out: a change of
            // <html lang> restyles and lays out the whole page (~25 ms), better on the old one
            // while waiting than on the new one once drawn (routing.py sets it only if it
            // differs).
            var lang = url.searchParams.get('lang') === 'en' ? 'en' : 'fr';
            setTimeout(function () { document.documentElement.lang = lang; }, 0);
        }
    });
})();

/* Views drawn ahead of a click: a pointer resting on a link to a page of the site (or on an
 * area of the map, see area_map.js) for 65 ms, a finger touching it or the keyboard's focus on
 * it asks the server to draw that view now (GET /_warm, 204, see routing.warm_view); the
 * click a moment later finds it drawn (~15 ms instead of 80-250 for a view nobody had asked
 * for). Once per address per document; nothing when the visitor asked to save data. */
(function () {
    'use strict';
    var asked = new Set();
    var timer = null;
    var SKIP = /^\/(api|geo|assets|_dash)/;
    function warm(address) {
        if (!address || asked.has(address) || !window.fetch ||
            (window.dashboard.savingData && window.dashboard.savingData())) {
            return;
        }
        asked.add(address);
        window.fetch('/_warm?to=' + encodeURIComponent(address),
                     {credentials: 'same-origin', priority: 'low'})
            .catch(function () { asked.delete(address); });
    }
    var timerOwner = null;
    /* Warm ``address`` once the pointer has rested on it (``null``: it left); ``owner`` names
     * who asks (the links, the map): a leaving pointer cancels its owner's wait only. */
    function warmAfterRest(address, owner) {
        if (!address && owner !== timerOwner) { return; }
        window.clearTimeout(timer);
        timerOwner = address ? owner : null;
        timer = address ? window.setTimeout(function () { warm(address); }, 65) : null;
    }
    function addressOf(target) {
        var link = target && target.closest && target.closest('a[href]');
        if (!link || typeof link.href !== 'string' || link.hasAttribute('download') ||
            (link.target && link.target !== '_self')) { return null; }
        var url = new URL(link.href, window.location.href);
        if (url.origin !== window.location.origin || SKIP.test(url.pathname) ||
            (url.pathname === window.location.pathname && url.search === window.location.search)) {
            return null;
        }
        return url.pathname + url.search;
    }
    window.dashboard = window.dashboard || {};
    window.dashboard.warm = warm;
    window.dashboard.warmAfterRest = warmAfterRest;
    document.addEventListener('pointerover', function (event) {
        if (event.pointerType !== 'touch') { warmAfterRest(addressOf(event.target), 'links'); }
    });
    document.addEventListener('pointerdown', function (event) {
        // a finger gives no hover; a mouse has rested on the link already
        if (event.pointerType !== 'mouse') { warm(addressOf(event.target)); }
    }, {passive: true});
    document.addEventListener('focusin', function (event) {
        // the keyboard's focus only (not the focus the router gives back after a change)
        var target = event.target;
        if (!window.dashboard.focusing && target.matches && target.matches(':focus-visible')) {
            warm(addressOf(target));
        }
    });
})();
