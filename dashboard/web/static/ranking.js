/* The map page's ranking as one Dash component (dashboard.Ranking): a dot-and-whisker chart of
 * the areas, highest first, drawn as SVG with plain React elements. It replaced a plotly chart
 * whose redraw (101 category labels, error bars, autorange) took ~110 ms of every filter change
 * and of the language switch; this draws in a few milliseconds. What it shows is computed on
 * the server (`figures/ranking.py`): rows [name, value, low, high, flag, description, value
 * text], the reference value and the labels; here only the scale, the ticks and the positions.
 *
 * The scale heads the chart and stays in view while the list scrolls (sticky). Pointing at a
 * row (or tapping it) highlights it and shows its value and interval; the data table below
 * the map has every number for screen readers and keyboards. */
(function () {
    'use strict';
    var React = window.React;
    var h = React.createElement;
    var ROW = 18;         // px per area
    var HEAD = 44;        // px: axis title and tick labels above the rows
    var RIGHT = 14;       // px kept free right of the plot area
    var TICK_PX = 80;     // px wanted between ticks (plotly's default density)
    var PAD = 0.04;       // share of the data span added on each side of the scale
    var TITLE_CHAR_PX = 7.2;  // generous mean width of a character of the axis title
    var VALUE_CHAR_PX = 7.4;  // the same for the bold value shown on pointing
    var COLOURS = {higher: '#b35806', lower: '#542788', not_different: '#6a6a6a'};
    var REFERENCE = '#000091';
    var GRID = '#dddddd';

    /* A step of 1, 2 or 5 times a power of ten giving about `count` intervals over `span`. */
    function niceStep(span, count) {
        var raw = span / Math.max(count, 1);
        var power = Math.pow(10, Math.floor(Math.log10(raw)));
        var f = raw / power;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * power;
    }

    function stepDecimals(step) {
        return Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
    }

    /* A tick label in the page's conventions: separators = decimal mark then thousands mark. */
    function formatTick(value, decimals, separators) {
        var text = Math.abs(value).toFixed(decimals);
        var parts = text.split('.');
        var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, separators.charAt(1));
        var out = parts.length > 1 ? whole + separators.charAt(0) + parts[1] : whole;
        return value < 0 && Number(text) !== 0 ? '\u2212' + out : out;
    }

    /* [low, high] of everything drawn (values, intervals, reference), padded; null if none. */
    function domain(rows, reference) {
        var lo = Infinity, hi = -Infinity;
        rows.forEach(function (r) {
            [r[1], r[2], r[3]].forEach(function (v) {
                if (v !== null && v !== undefined) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
            });
        });
        if (reference !== null && reference !== undefined) {
            lo = Math.min(lo, reference); hi = Math.max(hi, reference);
        }
        if (!isFinite(lo)) { return null; }
        var pad = hi > lo ? (hi - lo) * PAD : Math.max(Math.abs(lo) * 0.1, 1);
        return [lo - pad, hi + pad];
    }

    function marker(flag, x, y) {
        var c = COLOURS[flag] || COLOURS.not_different;
        if (flag === 'higher') {
            return h('path', {d: 'M' + (x - 4.6) + ',' + (y + 2.5) + 'h9.2L' + x + ',' + (y - 4.5) + 'Z',
                              fill: c});
        }
        if (flag === 'lower') {
            return h('path', {d: 'M' + (x - 4.6) + ',' + (y - 2.5) + 'h9.2L' + x + ',' + (y + 4.5) + 'Z',
                              fill: c});
        }
        return h('circle', {cx: x, cy: y, r: 4, fill: c});
    }

    function legendSymbol(flag) {
        var child = flag === 'reference'
            ? h('line', {x1: 1, x2: 17, y1: 7, y2: 7, stroke: REFERENCE, strokeWidth: 1.5,
                         strokeDasharray: '4 3'})
            : marker(flag, 9, 7);
        return h('svg', {width: 18, height: 14, 'aria-hidden': 'true', focusable: 'false'}, child);
    }

    function Legend(props) {
        return h('ul', {className: 'ranking-legend'}, props.items.map(function (item) {
            return h('li', {key: item[0]}, legendSymbol(item[0]), item[1]);
        }));
    }

    /* Width of the element, followed as it changes (a phone turned, the side panel resized). */
    function useWidth(ref) {
        var state = React.useState(0), width = state[0], setWidth = state[1];
        React.useLayoutEffect(function () {
            var el = ref.current;
            if (!el) { return undefined; }
            var measure = function () {
                var w = el.clientWidth;
                setWidth(function (old) { return Math.abs(old - w) >= 1 ? w : old; });
            };
            measure();
            if (!window.ResizeObserver) {
                window.addEventListener('resize', measure);
                return function () { window.removeEventListener('resize', measure); };
            }
            var observer = new window.ResizeObserver(measure);
            observer.observe(el);
            return function () { observer.disconnect(); };
        }, []);
        return width;
    }

    function Chart(props) {
        var d = props.data, width = props.width;
        var rows = d.rows || [];
        var left = d.labelWidth, right = width - RIGHT;
        var span = domain(rows, d.reference);
        var plotHeight = rows.length * ROW;
        var scale = null, ticks = [], decimals = 0;
        if (span && right > left + 20) {
            scale = function (v) { return left + (v - span[0]) / (span[1] - span[0]) * (right - left); };
            // about one tick per TICK_PX, 5 to 10 of them, as plotly chooses
            var step = niceStep(span[1] - span[0],
                                Math.max(4, Math.min(9, (right - left) / TICK_PX)) + 1);
            decimals = stepDecimals(step);
            for (var k = Math.ceil(span[0] / step); k * step <= span[1] + step * 1e-9; k++) {
                ticks.push(k * step);
            }
        }
        // the axis title centred over the plot area, moved left as far as it needs to fit
        var half = TITLE_CHAR_PX * (d.axisTitle || '').length / 2;
        var titleX = Math.max(half + 4, Math.min((left + right) / 2, width - half - 4));
        var head = h('svg', {key: 'head', className: 'ranking-scale', width: width, height: HEAD,
                             'aria-hidden': 'true', focusable: 'false'},
            h('text', {x: titleX, y: 16, textAnchor: 'middle', className: 'ranking-axis-title'},
              d.axisTitle),
            ticks.map(function (v) {
                return h('text', {key: v, x: scale(v), y: HEAD - 8, textAnchor: 'middle',
                                  className: 'ranking-tick'}, formatTick(v, decimals, d.separators));
            }));
        var body = [];
        if (scale) {
            ticks.forEach(function (v) {
                body.push(h('line', {key: 'g' + v, x1: scale(v), x2: scale(v), y1: 0,
                                     y2: plotHeight, stroke: GRID}));
            });
        }
        rows.forEach(function (r, i) {
            var y = i * ROW + ROW / 2;
            var parts = [h('title', {key: 't'}, r[5]),
                         h('rect', {key: 'b', className: 'ranking-row-bg', x: 0, y: i * ROW,
                                    width: width, height: ROW}),
                         h('text', {key: 'n', x: left - 6, y: y + 4, textAnchor: 'end',
                                    className: 'ranking-name'}, r[0])];
            if (r[1] === null || !scale) {
                parts.push(h('text', {key: 's', x: left + 4, y: y + 4,
                                      className: 'ranking-suppressed'}, d.suppressed));
            } else {
                var c = COLOURS[r[4]] || COLOURS.not_different;
                var x = scale(r[1]);
                if (r[2] !== null && r[3] !== null) {
                    parts.push(h('line', {key: 'i', x1: scale(r[2]), x2: scale(r[3]), y1: y, y2: y,
                                          stroke: c, strokeWidth: 1.2}));
                }
                parts.push(h(React.Fragment, {key: 'm'}, marker(r[4], x, y)));
                var end = scale(r[3] === null ? r[1] : r[3]);
                var before = end + 6 + VALUE_CHAR_PX * r[6].length > width;
                parts.push(h('text', {key: 'v', className: 'ranking-value', y: y + 4,
                                      x: before ? scale(r[2] === null ? r[1] : r[2]) - 6 : end + 6,
                                      textAnchor: before ? 'end' : 'start'}, r[6]));
            }
            body.push(h('g', {key: 'r' + i, className: 'ranking-row'}, parts));
        });
        if (scale && d.reference !== null && d.reference !== undefined) {
            body.push(h('line', {key: 'ref', x1: scale(d.reference), x2: scale(d.reference),
                                 y1: 0, y2: plotHeight, stroke: REFERENCE, strokeWidth: 1.5,
                                 strokeDasharray: '6 4', pointerEvents: 'none'}));
        }
        return [head, h('svg', {key: 'body', className: 'ranking-rows', width: width,
                                height: plotHeight + 6, role: 'img', 'aria-label': d.label},
                        body)];
    }

    function Ranking(props) {
        var ref = React.useRef(null);
        var width = useWidth(ref);
        var d = props.data || {rows: []};
        return h('div', {id: props.id, ref: ref, className: props.className},
                 h(Legend, {items: d.legend || []}),
                 width > 0 ? h('div', {className: 'ranking-chart'}, Chart({data: d, width: width}))
                     : null);
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.Ranking = window.React.memo(Ranking);
})();
