/* The inequality page's chart of rates by deprivation quintile as one Dash component
 * (dashboard.QuintileChart): five dots with their confidence intervals, joined by a light
 * line, drawn as SVG. It replaced a plotly chart whose redraw took 30-50 ms of every filter
 * change (100 ms when the language switch draws the page anew) for five points. What it shows
 * is computed on the server (`figures/inequality.py`, `quintile_chart`): points [category,
 * value, low, high, value text, description], the categories, the axis title and the page's
 * separators; here only the scale and the positions. Pointing at a dot (or tapping it) shows
 * its value and its description as a tooltip; the data table below has every number for
 * screen readers and keyboards. */
(function () {
    'use strict';
    var svg = window.dashboard.svg;
    var tag = svg.tag, esc = svg.esc, r1 = svg.r1;
    var HEIGHT = 360;      // px, as the plotly chart it replaced
    var TOP = 16, BOTTOM = 50, RIGHT = 16;
    var LABEL_CHAR_PX = 7.6;  // generous mean width of a character of a category label
    var ACCENT = '#000091', LINE = '#b4b4d8', GRID = svg.GRID, AXIS = svg.AXIS;

    /* A category written on two lines at its first « (»: « Q1 » over « (moins défavorisé) »,
     * each line centred under its point, moved in as far as it needs to stay in the chart. */
    function categoryLabel(text, x, y, width) {
        var cut = text.indexOf(' (');
        var lines = cut > 0 ? [text.slice(0, cut), text.slice(cut + 1)] : [text];
        return tag('text', {y: y, 'text-anchor': 'middle', 'class': 'quintile-category'},
                   lines.map(function (line, i) {
                       var half = LABEL_CHAR_PX * line.length / 2;
                       var at = Math.max(half + 2, Math.min(x, width - half - 2));
                       return tag('tspan', {x: r1(at), dy: i ? '1.2em' : 0}, esc(line));
                   }).join(''));
    }

    function chart(d, width) {
        var points = d.points || [];
        var label = {role: 'img', 'aria-label': d.label, width: width, height: HEIGHT,
                     'class': 'quintile-svg'};
        if (!points.length) {
            return tag('svg', label, tag('text', {x: r1(width / 2), y: HEIGHT / 2,
                                                   'text-anchor': 'middle',
                                                   'class': 'quintile-empty'}, esc(d.empty)));
        }
        var top = 0;
        points.forEach(function (p) { top = Math.max(top, p[3] === null ? p[1] : p[3]); });
        var bottomY = HEIGHT - BOTTOM;
        var axis = svg.valueAxis(0, top * 1.05 || 1, TOP, bottomY, d.separators);
        var left = axis.left, right = width - RIGHT, y = axis.y;
        var categories = d.categories || [];
        var band = (right - left) / Math.max(categories.length, 1);
        var x = function (name) {
            return r1(left + band * (categories.indexOf(name) + 0.5));
        };
        var out = axis.markup(right, d.axisTitle, 'quintile');
        categories.forEach(function (name) {
            out += tag('line', {x1: x(name), x2: x(name), y1: TOP, y2: bottomY, stroke: GRID});
            out += categoryLabel(name, x(name), bottomY + 20, width);
        });
        out += tag('line', {x1: left, x2: left, y1: TOP, y2: bottomY, stroke: AXIS});
        out += tag('polyline', {fill: 'none', stroke: LINE, 'stroke-width': 1,
                                points: points.map(function (p) {
                                    return x(p[0]) + ',' + y(p[1]);
                                }).join(' ')});
        points.forEach(function (p) {
            var cx = x(p[0]), parts = tag('title', {}, esc(p[5]));
            parts += tag('rect', {'class': 'quintile-hit', x: r1(cx - band / 2), y: TOP,
                                  width: r1(band), height: bottomY - TOP});
            if (p[2] !== null && p[3] !== null) {
                parts += tag('path', {stroke: ACCENT, 'stroke-width': 1.5, fill: 'none',
                                      d: 'M' + (cx - 6) + ',' + y(p[3]) + 'h12M' + cx + ',' +
                                         y(p[3]) + 'V' + y(p[2]) + 'M' + (cx - 6) + ',' +
                                         y(p[2]) + 'h12'});
            }
            parts += tag('circle', {cx: cx, cy: y(p[1]), r: 5.5, fill: ACCENT,
                                    'class': 'quintile-dot'});
            parts += tag('text', {x: cx, y: r1(y(p[3] === null ? p[1] : p[3]) - 10),
                                  'text-anchor': 'middle', 'class': 'quintile-value'},
                         esc(p[4]));
            out += tag('g', {'class': 'quintile-point'}, parts);
        });
        return tag('svg', label, out);
    }

    window.dashboard.QuintileChart = svg.svgChart(chart);
})();
