/* What the site's SVG charts share (window.dashboard.svg): scale ticks, numbers written in the
 * page's conventions, a vertical value axis, markup written with escaped text, and the width
 * of a chart's box followed as it changes. The charts (ranking.js, quintile_chart.js, trend_chart.js) write
 * their markup in one go: React manages one element per chart, not one per mark. */
(function () {
    'use strict';
    var React = window.React;

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

    /* The multiples of `step` within [low, high]. */
    function ticks(low, high, step) {
        var out = [];
        for (var k = Math.ceil(low / step); k * step <= high + step * 1e-9; k++) {
            out.push(k * step);
        }
        return out;
    }

    /* A tick label in the page's conventions: separators = decimal mark then thousands mark. */
    function formatTick(value, decimals, separators) {
        var text = Math.abs(value).toFixed(decimals);
        var parts = text.split('.');
        var whole = parts[0].replace(/\B(?=(\d{3})+(?!\d))/g, separators.charAt(1));
        var out = parts.length > 1 ? whole + separators.charAt(0) + parts[1] : whole;
        return value < 0 && Number(text) !== 0 ? '\u2212' + out : out;
    }

    var ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'};

    function esc(text) {
        return String(text === null || text === undefined ? '' : text).replace(
            /[&<>"']/g, function (c) { return ESCAPES[c]; });
    }

    /* An SVG element's markup: attributes escaped, `inner` already markup. */
    function tag(name, attrs, inner) {
        var out = '<' + name;
        Object.keys(attrs).forEach(function (k) {
            if (attrs[k] !== null && attrs[k] !== undefined) {
                out += ' ' + k + '="' + esc(attrs[k]) + '"';
            }
        });
        return out + (inner === undefined ? '/>' : '>' + inner + '</' + name + '>');
    }

    /* A coordinate to a tenth of a pixel (shorter markup, nothing visible lost). */
    function r1(v) { return Math.round(v * 10) / 10; }

    var TITLE_X = 16;  // px: centre of a vertical axis title from the chart's left edge
    var TICK_CHAR_PX = 8.2;  // generous mean width of a digit of a tick label (14 px)
    var TICK_PX = 40;  // px wanted between horizontal grid lines (as plotly)
    var GRID = '#dddddd', AXIS = '#929292';

    /* The vertical value axis of a plot from `top` to `bottom` px showing `low` to `high`:
     * `y(value)`, the room its title and tick labels (in the page's `separators`) take on
     * the left (`left`), and `markup(right, title, prefix)`: the title, the grid lines (the
     * one at 0 darker) and the labels, of classes `prefix-axis-title` and `prefix-tick`. */
    function valueAxis(low, high, top, bottom, separators) {
        var step = niceStep(high - low, Math.max(3, (bottom - top) / TICK_PX));
        var values = ticks(low, high, step), decimals = stepDecimals(step);
        var texts = values.map(function (v) {
            return formatTick(v, decimals, separators || '.,');
        });
        var longest = Math.max.apply(null, texts.map(function (t) { return t.length; }));
        var left = TITLE_X + 14 + TICK_CHAR_PX * longest;
        var y = function (v) { return r1(bottom - (v - low) / (high - low) * (bottom - top)); };
        var markup = function (right, title, prefix) {
            var out = tag('text', {'class': prefix + '-axis-title', 'text-anchor': 'middle',
                                   transform: 'translate(' + TITLE_X + ',' +
                                              r1((top + bottom) / 2) + ') rotate(-90)'},
                          esc(title));
            values.forEach(function (v, i) {
                out += tag('line', {x1: left, x2: right, y1: y(v), y2: y(v),
                                    stroke: v === 0 ? AXIS : GRID});
                out += tag('text', {x: r1(left - 6), y: r1(y(v) + 4), 'text-anchor': 'end',
                                    'class': prefix + '-tick'}, esc(texts[i]));
            });
            return out;
        };
        return {y: y, left: left, markup: markup};
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

    /* A chart component: `draw(data, width)` is its markup, written when either changes. */
    function svgChart(draw) {
        function Chart(props) {
            var ref = React.useRef(null);
            var width = useWidth(ref);
            var d = props.data;
            React.useLayoutEffect(function () {
                if (ref.current && width > 0) { ref.current.innerHTML = draw(d || {}, width); }
            }, [d, width]);
            return React.createElement('div', {id: props.id, ref: ref,
                                               className: props.className});
        }
        return React.memo(Chart);
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.svg = {niceStep: niceStep, stepDecimals: stepDecimals, ticks: ticks,
                            formatTick: formatTick, esc: esc, tag: tag, r1: r1,
                            valueAxis: valueAxis, GRID: GRID, AXIS: AXIS,
                            useWidth: useWidth, svgChart: svgChart};
})();
