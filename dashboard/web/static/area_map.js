/* The map page's choropleth as one Dash component (dashboard.AreaMap), drawn as SVG.
 *
 * The areas' paths are projected once per release on the server (`map_shapes.py`) and fetched
 * from `shapes` (an immutable URL, preloaded by the page's <head>); they are written into the
 * page once per geometry, as markup (one element for React). A filter change sends `view`:
 * each area's colour and hover text (`figures/map.py`), which are set on the paths in place:
 * nothing is projected, clipped or laid out again (plotly's choropleth re-projected every
 * path at every change, ~80 ms of each).
 *
 * Pointing at an area (or tapping it) outlines it and shows its name, value and unit; a click
 * opens its profile (`view.link`: path prefix and query string). The map is one image for
 * assistive technologies (its label names the view); the data table below has every number.
 *
 * The map needs no plotly.js, nor the first screen of the profiles it opens (their plotly
 * chart, below the fold, has it evaluated when the reader nears it: figures_in_view.js). */
(function () {
    'use strict';
    var React = window.React;
    var h = React.createElement;
    var SUPPRESSED = '#9e9e9e';
    var LABEL_PX = 12;  // the inset's label, in screen pixels at any size of the map
    var shapes = {};    // url -> parsed shapes, once arrived
    var pending = {};   // url -> promise of them

    /* The shapes at `url`, fetched once per page (a failed fetch is tried again next time). */
    function load(url) {
        if (!pending[url]) {
            pending[url] = window.fetch(url, {credentials: 'same-origin'}).then(function (r) {
                if (!r.ok) { throw new Error(url + ': HTTP ' + r.status); }
                return r.json();
            }).then(function (s) {
                shapes[url] = s;
                return s;
            }, function (error) {
                delete pending[url];
                throw error;
            });
        }
        return pending[url];
    }

    var ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

    function esc(text) {
        return String(text === null || text === undefined ? '' : text).replace(
            /[&<>"']/g, function (c) { return ESCAPES[c]; });
    }

    /* The map's markup: the areas, then the inset's areas and label, then the outline of the
     * area pointed at (drawn last: on top of its neighbours' borders). */
    function markup(s) {
        var paths = function (group) {
            return (s.groups[group] || []).map(function (area) {
                return '<path class="area" data-code="' + esc(area[0]) + '" d="' + esc(area[1]) +
                    '"/>';
            }).join('');
        };
        var inset = s.bounds && s.bounds.inset;
        return '<svg class="area-map-svg" viewBox="' + s.viewBox.join(' ') +
            '" preserveAspectRatio="xMidYMid meet" role="img" focusable="false">' +
            '<g class="areas">' + paths('areas') + '</g>' +
            (inset ? '<g class="areas inset">' + paths('inset') + '</g><text class="inset-label"' +
                     ' x="' + inset[0] + '" y="' + inset[1] + '"></text>' : '') +
            '<path class="area-pointed" d=""/></svg><div class="area-map-tip" hidden></div>';
    }

    /* Screen pixels per viewBox unit (the drawing is scaled to fit, centred). */
    function pixelsPerUnit(svg) {
        var box = svg.viewBox.baseVal;
        var w = svg.clientWidth, ht = svg.clientHeight;
        return box && box.width && box.height && w && ht
            ? Math.min(w / box.width, ht / box.height) : 0;
    }

    function setIfChanged(element, name, value) {
        if (element.getAttribute(name) !== value) { element.setAttribute(name, value); }
    }

    /* The inset's label at LABEL_PX whatever the size of the map, just above the inset (its
     * attributes left alone when the size is the one it has: no DOM change for nothing). */
    function placeLabel(root, s) {
        var svg = root.querySelector('svg'), text = root.querySelector('.inset-label');
        var scale = svg && pixelsPerUnit(svg);
        if (!text || !scale) { return; }
        setIfChanged(text, 'font-size', String(LABEL_PX / scale));
        setIfChanged(text, 'y', String(s.bounds.inset[1] - 4 / scale));
    }

    function paint(root, view) {
        var svg = root.querySelector('svg');
        if (!svg) { return; }
        var fills = view.fills || {};
        svg.setAttribute('aria-label', view.label || '');
        root.querySelectorAll('path.area').forEach(function (p) {
            var fill = fills[p.getAttribute('data-code')] || SUPPRESSED;
            setIfChanged(p, 'fill', fill);
        });
        var text = root.querySelector('.inset-label');
        if (text && text.textContent !== (view.inset || '')) { text.textContent = view.inset || ''; }
        point(root, view, null, 0, 0);  // a tip would show the previous view's value
    }

    /* Name, value and unit of the area pointed at, beside the pointer, inside the map. */
    function point(root, view, target, x, y) {
        var tip = root.querySelector('.area-map-tip');
        var outline = root.querySelector('.area-pointed');
        var code = target && target.getAttribute && target.getAttribute('data-code');
        if (!tip || !outline) { return; }
        if (!code) {
            tip.hidden = true;
            outline.setAttribute('d', '');
            tip.removeAttribute('data-code');
            return;
        }
        if (tip.getAttribute('data-code') !== code || tip.hidden) {
            tip.setAttribute('data-code', code);
            tip.textContent = '';
            var name = document.createElement('strong');
            name.textContent = (view.names || {})[code] || code;
            tip.appendChild(name);
            [(view.texts || {})[code], view.unit].forEach(function (line) {
                if (line) {
                    tip.appendChild(document.createElement('br'));
                    tip.appendChild(document.createTextNode(line));
                }
            });
            outline.setAttribute('d', target.getAttribute('d'));
            tip.hidden = false;
        }
        var box = root.getBoundingClientRect();
        var left = x - box.left + 14, top = y - box.top + 14;
        if (left + tip.offsetWidth > box.width) { left = Math.max(0, x - box.left - 14 - tip.offsetWidth); }
        if (top + tip.offsetHeight > box.height) { top = Math.max(0, y - box.top - 14 - tip.offsetHeight); }
        tip.style.left = left + 'px';
        tip.style.top = top + 'px';
    }

    function AreaMap(props) {
        var ref = React.useRef(null);
        var pointed = React.useRef(null);  // the area the pointer rests on
        var url = props.shapes;
        var view = props.view || {};
        var state = React.useState(0), bump = state[1];
        var s = shapes[url];
        React.useEffect(function () {
            if (url && !shapes[url]) {
                load(url).then(function () { bump(function (n) { return n + 1; }); },
                               function (error) { window.console.error(error); });
            }
        }, [url]);
        React.useLayoutEffect(function () {
            var root = ref.current;
            if (!root || !s) { return undefined; }
            root.innerHTML = markup(s);
            placeLabel(root, s);
            if (!window.ResizeObserver) { return undefined; }
            var observer = new window.ResizeObserver(function () { placeLabel(root, s); });
            observer.observe(root);
            return function () { observer.disconnect(); };
        }, [s]);
        React.useLayoutEffect(function () {
            if (ref.current && s) { paint(ref.current, view); }
        }, [s, view]);
        // the profile of the area at `target`, in the view's terms (null: no area)
        var addressOf = function (target) {
            var code = target && target.getAttribute && target.getAttribute('data-code');
            return code && view.link ? view.link[0] + encodeURIComponent(code) + view.link[1]
                : null;
        };
        var open = function (event) {
            var address = addressOf(event.target);
            if (address && window.dashboard.showAddress) {
                window.dashboard.showAddress(address);
            }
        };
        var move = function (event) {
            point(ref.current, view, event.target, event.clientX, event.clientY);
            // the profile drawn ahead of the click (navigation.js): once the pointer rests
            // on an area, at once under a finger (it gives no hover)
            var dashboard = window.dashboard;
            if (event.type === 'pointerdown' && event.pointerType !== 'mouse' && dashboard.warm) {
                dashboard.warm(addressOf(event.target));
            } else if (dashboard.warmAfterRest && event.target !== pointed.current) {
                pointed.current = event.target;
                dashboard.warmAfterRest(addressOf(event.target), 'map');
            }
        };
        var leave = function () {
            point(ref.current, view, null, 0, 0);
            pointed.current = null;
            if (window.dashboard.warmAfterRest) { window.dashboard.warmAfterRest(null, 'map'); }
        };
        return h('div', {id: props.id, ref: ref, className: props.className, style: props.style,
                         onPointerMove: move, onPointerDown: move, onPointerLeave: leave,
                         onClick: open, 'data-shapes': url});
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.AreaMap = window.React.memo(AreaMap);
})();
