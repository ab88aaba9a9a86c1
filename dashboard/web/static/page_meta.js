/* The page's metadata, applied when the router draws a page (dashboard.PageMeta: its `data`
 * is the router's second output): title, <html lang>, the view on screen, the figures still
 * waiting forgotten, then the canonical address (stale parameters replaced), the focus and the
 * idle-time prefetch. A component rather than a clientside callback on a store: the work runs
 * in the commit that draws the page, not in a callback round dash-renderer schedules after it
 * (20-25 ms later, with its global loading flag in the DOM until then). */
(function () {
    'use strict';
    var React = window.React;

    function afterDrawn(meta) {
        // Canonical address (stale parameters replaced), in place of the one asked for (no
        // new history entry); dcc.Location's own prop follows, else its next render would
        // undo it.
        if (meta.search !== undefined && window.location.search !== meta.search) {
            window.history.replaceState(window.history.state, '',
                                        window.location.pathname + meta.search);
            window.dash_clientside.set_props('url', {search: meta.search,
                                                     href: window.location.href});
            window.dashboard.followView(window.location.pathname, meta.search);
        }
        // after an in-app navigation, move focus to the new page (screen readers), or back to
        // the language switch after a change of language
        var relang = window._dashboardLang && window._dashboardLang !== meta.lang;
        window._dashboardLang = meta.lang;
        var again = relang && document.getElementById('lang-switch');
        window.dashboard.focusing = true;  // no intent: nothing drawn ahead for it
        if (again) {
            again.focus();
        } else if (window._dashboardPage && window._dashboardPage !== meta.title) {
            var main = document.getElementById('contenu');
            if (main) { main.focus({preventScroll: false}); }
        }
        window.dashboard.focusing = false;
        window._dashboardPage = meta.title;
        if (window.dashboard.prefetch) { window.dashboard.prefetch(); }
    }

    function apply(meta) {
        window.dashboard.forgetFigures();  // the page drew its charts
        document.title = meta.title;
        // (setting it, even to the same value, restyles the whole page: ~12-25 ms)
        if (document.documentElement.lang !== meta.lang) {
            document.documentElement.lang = meta.lang;
        }
        if (meta.search !== undefined) { window._dashboardView = meta.search; }
        setTimeout(function () { afterDrawn(meta); }, 0);
    }

    function PageMeta(props) {
        var meta = props.data;
        React.useLayoutEffect(function () { if (meta) { apply(meta); } }, [meta]);
        return null;
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.PageMeta = PageMeta;
})();
