/* The map page's ranking as one Dash component (dashboard.Ranking): a dot-and-whisker chart of
 * the areas, highest first, drawn as SVG. It replaced a plotly chart whose redraw (101
 * category labels, error bars, autorange) took ~110 ms of every filter change and of the
 * language switch. What it shows is computed on the server (`figures/ranking.py`): rows
 * [name, value, low, high, flag, description, value text], the reference value and the
 * labels; here only the scale, the ticks and the positions. The chart is written as markup
 * in one go (text escaped): React manages one element, not ~700, so drawing a new view and
 * leaving the page cost a few milliseconds.
 *
 * The scale heads the chart and stays in view while the list scrolls (sticky). Pointing at a
 * row (or tapping it) highlights it and shows its value and interval; the data table below
 * the map has every number for screen readers and keyboards. */
(function () {
    'use strict';
    var svg = window.dashboard.svg;
    var niceStep = svg.niceStep, stepDecimals = svg.stepDecimals, formatTick = svg.formatTick;
    var esc = svg.esc, tag = svg.tag, r1 = svg.r1;
    var ROW = 18;         // px per area
    var HEAD = 44;        // px: axis title and tick labels above the rows
    var RIGHT = 14;       // px kept free right of the plot area
    var TICK_PX = 80;     // px wanted between ticks (plotly's default density)
    var PAD = 0.04;       // share of the data span added on each side of the scale
    var TITLE_CHAR_PX = 7.2;  // generous mean width of a character of the axis title
    var VALUE_CHAR_PX = 7.4;  // the same for the bold value shown on pointing
    var COLOURS = {higher: '#b35806', lower: '#542788', not_different: '#6a6a6a'};
    var REFERENCE = '#000091';
    var GRID = svg.GRID;

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
        x = r1(x);
        if (flag === 'higher') {
            return tag('path', {fill: c, d: 'M' + r1(x - 4.6) + ',' + (y + 2.5) + 'h9.2L' + x +
                                ',' + (y - 4.5) + 'Z'});
        }
        if (flag === 'lower') {
            return tag('path', {fill: c, d: 'M' + r1(x - 4.6) + ',' + (y - 2.5) + 'h9.2L' + x +
                                ',' + (y + 4.5) + 'Z'});
        }
        return tag('circle', {cx: x, cy: y, r: 4, fill: c});
    }

    function legend(items) {
        return '<ul class="ranking-legend">' + items.map(function (item) {
            var symbol = item[0] === 'reference'
                ? tag('line', {x1: 1, x2: 17, y1: 7, y2: 7, stroke: REFERENCE,
                               'stroke-width': 1.5, 'stroke-dasharray': '4 3'})
                : marker(item[0], 9, 7);
            return '<li>' + tag('svg', {width: 18, height: 14, 'aria-hidden': 'true',
                                        focusable: 'false'}, symbol) + esc(item[1]) + '</li>';
        }).join('') + '</ul>';
    }

    /* The chart's markup at `width` px: legend, scale, rows. */
    function chart(d, width) {
        var rows = d.rows || [];
        var left = d.labelWidth, right = width - RIGHT;
        var span = domain(rows, d.reference);
        var plotHeight = rows.length * ROW;
        var scale = null, ticks = [], decimals = 0;
        if (span && right > left + 20) {
            scale = function (v) {
                return r1(left + (v - span[0]) / (span[1] - span[0]) * (right - left));
            };
            // about one tick per TICK_PX, 5 to 10 of them, as plotly chooses
            var step = niceStep(span[1] - span[0],
                                Math.max(4, Math.min(9, (right - left) / TICK_PX)) + 1);
            decimals = stepDecimals(step);
            ticks = svg.ticks(span[0], span[1], step);
        }
        // the axis title centred over the plot area, moved left as far as it needs to fit
        var half = TITLE_CHAR_PX * (d.axisTitle || '').length / 2;
        var titleX = Math.max(half + 4, Math.min((left + right) / 2, width - half - 4));
        var head = tag('svg', {'class': 'ranking-scale', width: width, height: HEAD,
                               'aria-hidden': 'true', focusable: 'false'},
            tag('text', {x: r1(titleX), y: 16, 'text-anchor': 'middle',
                         'class': 'ranking-axis-title'}, esc(d.axisTitle)) +
            ticks.map(function (v) {
                return tag('text', {x: scale(v), y: HEAD - 8, 'text-anchor': 'middle',
                                    'class': 'ranking-tick'},
                           esc(formatTick(v, decimals, d.separators)));
            }).join(''));
        var body = '';
        if (scale) {
            ticks.forEach(function (v) {
                body += tag('line', {x1: scale(v), x2: scale(v), y1: 0, y2: plotHeight,
                                     stroke: GRID});
            });
        }
        rows.forEach(function (r, i) {
            var y = i * ROW + ROW / 2;
            var parts = tag('title', {}, esc(r[5])) +
                tag('rect', {'class': 'ranking-row-bg', x: 0, y: i * ROW, width: width,
                             height: ROW}) +
                tag('text', {x: left - 6, y: y + 4, 'text-anchor': 'end',
                             'class': 'ranking-name'}, esc(r[0]));
            if (r[1] === null || !scale) {
                parts += tag('text', {x: left + 4, y: y + 4, 'class': 'ranking-suppressed'},
                             esc(d.suppressed));
            } else {
                var c = COLOURS[r[4]] || COLOURS.not_different;
                if (r[2] !== null && r[3] !== null) {
                    parts += tag('line', {x1: scale(r[2]), x2: scale(r[3]), y1: y, y2: y,
                                          stroke: c, 'stroke-width': 1.2});
                }
                parts += marker(r[4], scale(r[1]), y);
                var end = scale(r[3] === null ? r[1] : r[3]);
                var before = end + 6 + VALUE_CHAR_PX * r[6].length > width;
                parts += tag('text', {'class': 'ranking-value', y: y + 4,
                                      x: before ? scale(r[2] === null ? r[1] : r[2]) - 6
                                          : end + 6,
                                      'text-anchor': before ? 'end' : 'start'}, esc(r[6]));
            }
            body += tag('g', {'class': 'ranking-row'}, parts);
        });
        if (scale && d.reference !== null && d.reference !== undefined) {
            // the France line, interrupted where it would cross a "not published" label
            var x = scale(d.reference), from = 0;
            var crosses = x >= left && x <= left + 8 + VALUE_CHAR_PX * (d.suppressed || '').length;
            var segment = function (y1, y2) {
                if (y2 - y1 > ROW / 2) {  // none between two labels
                    body += tag('line', {x1: x, x2: x, y1: y1, y2: y2, stroke: REFERENCE,
                                         'stroke-width': 1.5, 'stroke-dasharray': '6 4',
                                         'pointer-events': 'none'});
                }
            };
            rows.forEach(function (r, i) {
                if (crosses && r[1] === null) {
                    segment(from, i * ROW + 2);
                    from = (i + 1) * ROW - 2;
                }
            });
            segment(from, plotHeight);
        }
        return legend(d.legend || []) + '<div class="ranking-chart">' + head +
            tag('svg', {'class': 'ranking-rows', width: width, height: plotHeight + 6,
                        role: 'img', 'aria-label': d.label}, body) + '</div>';
    }

    window.dashboard.Ranking = svg.svgChart(function (d, width) {
        return chart(d.rows ? d : {rows: []}, width);
    });
})();
