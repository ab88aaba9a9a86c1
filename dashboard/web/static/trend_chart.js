/* Areas' series over time as one Dash component (dashboard.TrendChart), drawn as SVG: for
 * each area its confidence band, its line and points and, for single years, its fitted
 * joinpoint trend (dotted); a legend of buttons hides or shows an area's series. It replaced
 * a plotly chart whose redraw took ~60 ms of every filter change of the trends page (100-120
 * ms when the language switch draws the page anew). What it shows is computed on the server
 * (`figures/trends.py`): series {name, colour, points [x, value, low, high, description],
 * fitted [[year, value]]} (an area without a published value is named in the legend only),
 * the axis title and the page's separators, and for a statistic (`/inegalites`' rate ratio
 * by year) its reference value (a dashed line), a scale that need not start at 0, no legend
 * and its height; here only the scales and the positions. Pointing at (or tapping) the chart shows the nearest point's area and
 * description; the data table below has every number for screen readers and keyboards. */
(function () {
    'use strict';
    var svg = window.dashboard.svg, React = window.React, h = React.createElement;
    var tag = svg.tag, esc = svg.esc, r1 = svg.r1;
    var HEIGHT = 360;       // px of the drawing (unless `height`); the legend comes below
    var TOP = 16, BOTTOM = 36, RIGHT = 16;
    var PAD = 12;           // px between the first (last) year and the plot's edge
    var YEAR_PX = 46;       // px wanted per year label
    var YEAR_STEPS = [1, 2, 5, 10, 20, 50];
    var NEAR_PX = {touch: 36};  // how near a point the pointer must be (default 24)
    var GRID = svg.GRID, REFERENCE = '#6a6a6a';

    function rgba(hex, alpha) {
        var n = parseInt(String(hex).slice(1), 16);
        return 'rgba(' + [(n >> 16) & 255, (n >> 8) & 255, n & 255, alpha].join(',') + ')';
    }

    /* Runs of consecutive points with both limits: one band each. */
    function bandRuns(points) {
        var runs = [], run = [];
        points.forEach(function (p) {
            if (p[2] !== null && p[3] !== null) {
                run.push(p);
            } else if (run.length) {
                runs.push(run);
                run = [];
            }
        });
        if (run.length) { runs.push(run); }
        return runs;
    }

    /* Years and value range of the chart: the years of every series (hiding one keeps
     * them), the values of the shown ones and the reference; from 0 unless `fromZero` is
     * false, then with a margin of 5 % of the range below and above. */
    function extent(d, all, shown) {
        var years = [], values = d.reference === null || d.reference === undefined ? []
            : [d.reference];
        all.forEach(function (s) {
            s.points.forEach(function (p) { years.push(p[0]); });
            s.fitted.forEach(function (f) { years.push(f[0]); });
        });
        shown.forEach(function (s) {
            s.points.forEach(function (p) {
                values.push(p[1]);
                [p[2], p[3]].forEach(function (v) { if (v !== null) { values.push(v); } });
            });
            s.fitted.forEach(function (f) { values.push(f[1]); });
        });
        var top = Math.max.apply(null, values.concat([0]));
        var bottom = 0;
        if (d.fromZero === false && values.length) {
            var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
            var margin = (high - low) * 0.05 || Math.abs(high) * 0.05 || 1;
            bottom = low - margin;
            top = high + margin;
        } else {
            top *= 1.05;
        }
        return {first: Math.min.apply(null, years), last: Math.max.apply(null, years),
                bottom: bottom, top: top || 1};
    }

    function empty(d, width, height) {
        return tag('svg', {role: 'img', 'aria-label': d.label, width: width, height: height,
                           'class': 'trend-svg'},
                   tag('text', {x: r1(width / 2), y: height / 2, 'text-anchor': 'middle',
                                'class': 'trend-empty'}, esc(d.empty)));
    }

    /* The markup of the shown series and the points' positions [x, y, series, point]; the
     * years are those of every series with values (`all`), hidden or not. */
    function draw(d, all, shown, width) {
        var height = d.height || HEIGHT;
        if (!all.length) { return {markup: empty(d, width, height), marks: []}; }
        var e = extent(d, all, shown);
        var bottomY = height - BOTTOM;
        var axis = svg.valueAxis(e.bottom, e.top, TOP, bottomY, d.separators);
        var left = axis.left, right = width - RIGHT, y = axis.y;
        var span = e.last - e.first, inner = Math.max(right - left - 2 * PAD, 1);
        var x = function (v) {
            return r1(span ? left + PAD + (v - e.first) / span * inner : (left + right) / 2);
        };
        var yearStep = YEAR_STEPS.find(function (s) { return !span || inner * s / span >= YEAR_PX; })
            || YEAR_STEPS[YEAR_STEPS.length - 1];
        var out = axis.markup(right, d.axisTitle, 'trend');
        svg.ticks(Math.ceil(e.first), Math.floor(e.last), yearStep).forEach(function (year) {
            out += tag('line', {x1: x(year), x2: x(year), y1: TOP, y2: bottomY, stroke: GRID});
            out += tag('text', {x: x(year), y: bottomY + 22, 'text-anchor': 'middle',
                                'class': 'trend-tick trend-year'}, String(year));
        });
        if (d.reference !== null && d.reference !== undefined) {
            out += tag('line', {'class': 'trend-reference', x1: left, x2: right,
                                y1: y(d.reference), y2: y(d.reference), stroke: REFERENCE,
                                'stroke-dasharray': '6 4'});
        }
        var path = function (points, at) {
            return points.map(function (p) { return x(p[0]) + ',' + y(p[at]); }).join(' ');
        };
        shown.forEach(function (s) {  // the bands under every line
            bandRuns(s.points).forEach(function (run) {
                out += tag('path', {'class': 'trend-band', fill: rgba(s.colour, 0.18),
                                    d: 'M' + path(run, 3) + 'L' +
                                       path(run.slice().reverse(), 2) + 'Z'});
            });
        });
        var marks = [];
        shown.forEach(function (s, i) {
            if (s.fitted.length) {
                out += tag('polyline', {'class': 'trend-fitted', fill: 'none', stroke: s.colour,
                                        'stroke-width': 2, 'stroke-dasharray': '3 3',
                                        points: path(s.fitted, 1)});
            }
            var dots = '';
            s.points.forEach(function (p, j) {
                marks.push([x(p[0]), y(p[1]), i, j]);
                dots += tag('circle', {cx: x(p[0]), cy: y(p[1]), r: 3.5});
            });
            out += tag('g', {'class': 'trend-series', fill: s.colour},
                       tag('polyline', {fill: 'none', stroke: s.colour, 'stroke-width': 2.5,
                                        'stroke-linejoin': 'round',
                                        points: path(s.points, 1)}) + dots);
        });
        out += tag('circle', {'class': 'trend-focus', r: 6.5, fill: 'none', 'stroke-width': 2,
                              visibility: 'hidden'});
        return {markup: tag('svg', {role: 'img', 'aria-label': d.label, width: width,
                                    height: height, 'class': 'trend-svg'}, out),
                marks: marks};
    }

    function TrendChart(props) {
        var root = React.useRef(null), plot = React.useRef(null), tip = React.useRef(null);
        var marks = React.useRef([]), shownRef = React.useRef([]);
        var width = svg.useWidth(root);
        var d = props.data || {};
        var series = d.series || [];
        var drawable = series.filter(function (s) { return s.points.length; });
        var state = React.useState({}), hidden = state[0], setHidden = state[1];

        var hideTip = function () {
            if (tip.current) { tip.current.style.display = 'none'; }
            var ring = plot.current && plot.current.querySelector('.trend-focus');
            if (ring) { ring.setAttribute('visibility', 'hidden'); }
        };
        React.useLayoutEffect(function () {
            if (!plot.current || width <= 0) { return; }
            var shown = drawable.filter(function (s) { return !hidden[s.name]; });
            var drawn = draw(d, drawable, shown, width);
            plot.current.innerHTML = drawn.markup;
            marks.current = drawn.marks;
            shownRef.current = shown;
            hideTip();
        }, [d, width, hidden]);

        /* The nearest point's area and description beside it, a ring around it. */
        var point = function (event) {
            var chart = plot.current && plot.current.querySelector('svg');
            if (!chart || !tip.current) { return; }
            var box = chart.getBoundingClientRect();
            var px = event.clientX - box.left, py = event.clientY - box.top;
            var near = NEAR_PX[event.pointerType] || 24, best = null;
            marks.current.forEach(function (m) {
                var dist = Math.hypot(m[0] - px, m[1] - py);
                if (dist <= near && (!best || dist < best[0])) { best = [dist, m]; }
            });
            if (!best) { hideTip(); return; }
            var m = best[1], s = shownRef.current[m[2]], p = s.points[m[3]];
            var el = tip.current;
            el.textContent = '';
            el.appendChild(document.createElement('strong')).textContent = s.name;
            el.appendChild(document.createElement('span')).textContent = p[4];
            el.style.borderColor = s.colour;
            el.style.display = 'block';
            var w = el.offsetWidth, ht = el.offsetHeight;
            var at = m[0] + 12 + w <= width ? m[0] + 12 : Math.max(0, m[0] - 12 - w);
            el.style.left = at + 'px';
            el.style.top = Math.max(0, Math.min(m[1] - ht / 2, (d.height || HEIGHT) - ht)) +
                'px';
            var ring = chart.querySelector('.trend-focus');
            ring.setAttribute('cx', m[0]);
            ring.setAttribute('cy', m[1]);
            ring.setAttribute('stroke', s.colour);
            ring.setAttribute('visibility', 'visible');
        };
        var leave = function (event) {
            if (event.pointerType !== 'touch') { hideTip(); }
        };
        var toggle = function (name) {
            setHidden(function (old) {
                var next = Object.assign({}, old);
                if (next[name]) { delete next[name]; } else { next[name] = true; }
                return next;
            });
        };
        var legend = null;
        if (drawable.length && d.legend !== false) {
            var keys = series.map(function (s) {
                if (!s.points.length) {  // an area chosen without a published value
                    return h('span', {key: s.name, className: 'trend-key trend-key-none'},
                             s.name + ' (' + d.noValue + ')');
                }
                return h('button', {type: 'button', key: s.name, className: 'trend-key',
                                    'aria-pressed': hidden[s.name] ? 'false' : 'true',
                                    onClick: function () { toggle(s.name); }},
                         h('span', {className: 'trend-swatch', style: {color: s.colour},
                                    'aria-hidden': 'true'}),
                         s.name);
            });
            if (series.some(function (s) { return s.fitted.length; })) {
                keys.push(h('span', {key: '-fitted', className: 'trend-key trend-key-fitted'},
                            h('span', {className: 'trend-swatch-fitted', 'aria-hidden': 'true'}),
                            d.fittedLabel));
            }
            legend = h('div', {className: 'trend-legend', role: 'group',
                               'aria-label': d.legendLabel}, keys);
        }
        return h('div', {id: props.id, className: props.className, ref: root},
                 h('div', {className: 'trend-plot', ref: plot, onPointerMove: point,
                           onPointerDown: point, onPointerLeave: leave}),
                 h('div', {className: 'trend-tip', ref: tip, 'aria-hidden': 'true'}),
                 legend);
    }

    window.dashboard.TrendChart = React.memo(TrendChart);
})();
