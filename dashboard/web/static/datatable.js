/* The site's data tables as one Dash component (dashboard.DataTable), drawn with plain React
 * elements: a table of 100 rows is one component for dash-renderer instead of ~600, so every
 * later store update and re-render stays cheap. Text only (React escapes it). */
(function () {
    'use strict';
    var h = window.React.createElement;

    function DataTable(props) {
        var numeric = props.numeric || [];
        var cls = function (i) { return numeric[i] ? 'num' : undefined; };
        var head = h('thead', null, h('tr', null, (props.columns || []).map(function (c, i) {
            return h('th', {key: i, scope: 'col', className: cls(i)}, c);
        })));
        var body = h('tbody', null, (props.rows || []).map(function (row, r) {
            return h('tr', {key: r}, row.map(function (v, i) {
                return i === 0 ? h('th', {key: i, scope: 'row'}, v)
                    : h('td', {key: i, className: cls(i)}, v);
            }));
        }));
        return h('table', {id: props.id, className: props.className},
                 h('caption', null, props.caption), head, body);
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.DataTable = window.React.memo(DataTable);
})();
