/* The site's data tables as one Dash component (dashboard.DataTable), drawn with plain React
 * elements: a table of 100 rows is one component for dash-renderer instead of ~600, so every
 * later store update and re-render stays cheap. Text (React escapes it), and in a row's header
 * cell a link when the server gives the row one (`links`: an in-site address, followed in the
 * page by navigation.js). */
(function () {
    'use strict';
    var h = window.React.createElement;

    /* Explicit ARIA roles keep the table a table for screen readers when a phone's style
     * shows its rows as cards (CSS display changes drop native table semantics). */
    function DataTable(props) {
        var numeric = props.numeric || [];
        var links = props.links || [];
        var columns = props.columns || [];
        var cls = function (i) { return numeric[i] ? 'num' : undefined; };
        var head = h('thead', {role: 'rowgroup'}, h('tr', {role: 'row'}, columns.map(function (c, i) {
            return h('th', {key: i, scope: 'col', role: 'columnheader', className: cls(i)}, c);
        })));
        var body = h('tbody', {role: 'rowgroup'}, (props.rows || []).map(function (row, r) {
            return h('tr', {key: r, role: 'row'}, row.map(function (v, i) {
                var head = links[r] ? h('a', {href: links[r], 'data-link': 'in-app'}, v) : v;
                return i === 0 ? h('th', {key: i, scope: 'row', role: 'rowheader'}, head)
                    : h('td', {key: i, role: 'cell', className: cls(i),
                               'data-label': columns[i]}, v);
            }));
        }));
        return h('table', {id: props.id, className: props.className, role: 'table'},
                 h('caption', null, props.caption), head, body);
    }

    window.dashboard = window.dashboard || {};
    window.dashboard.DataTable = window.React.memo(DataTable);
})();
