/* Plain page parts as one Dash component (dashboard.Static, see static_tree.py): the tree
 * {t: tag, p: props, c: children} drawn with React elements (React escapes the text). */
(function () {
    'use strict';
    var h = window.React.createElement;

    function build(node) {
        if (node === null || typeof node !== 'object') { return node; }
        return h.apply(null, [node.t, node.p].concat((node.c || []).map(build)));
    }

    function Static(props) { return props.tree ? build(props.tree) : null; }

    window.dashboard = window.dashboard || {};
    window.dashboard.Static = window.React.memo(Static);
})();
