// Injected by bench_browser.py into every document before its own scripts run
// (Page.addScriptToEvaluateOnNewDocument). It observes; it changes nothing on the page.
//
// Settled: no DOM mutation for `quiet` ms, no fetch / XHR in flight (Dash callbacks, the map's
// geometry), no script or stylesheet element still loading, no element with
// data-dash-is-loading="true", document.readyState "complete" and the Dash page rendered
// (#page has a child). The figure reported is the time of the LAST DOM CHANGE (as seen by a
// MutationObserver, i.e. at the end of the task that made it) minus the start; the quiet
// window only detects the end and is not counted. A change is a mutation that is still there
// when the next frame is drawn: the mutations of a frame that leave the DOM as it was (an
// attribute set and restored before any drawing, e.g. dcc.Graph's class flag around a resize
// that had nothing to do, 50 ms after every chart drawn) never reach the screen. The time of
// the last mutation of any kind is reported too (`anyMs`).
(() => {
  if (window.__bench) { return; }
  const b = window.__bench = {
    id: Math.random().toString(36).slice(2), inflight: 0, lastMutation: 0, lastChange: 0,
    mutations: 0, loading: new Set(), armed: null, inputAt: null,
  };
  if (performance.setResourceTimingBufferSize) { performance.setResourceTimingBufferSize(100000); }

  const watch = (node) => {
    if (node.nodeType !== 1) { return; }
    if (node.tagName === 'SCRIPT' && node.src) { b.loading.add(node.src); }
    if (node.tagName === 'LINK' && node.rel === 'stylesheet' && node.href) { b.loading.add(node.href); }
  };
  // The mutations since the last frame: nodes added or removed, text changed (a change
  // whatever follows), and each attribute's value before them, compared at the frame.
  let frame = null;
  const endFrame = () => {
    if (!frame) { return; }
    const f = frame;
    frame = null;
    let changed = f.structural;
    f.attributes.forEach((names, element) => {
      names.forEach((old, name) => { changed = changed || element.getAttribute(name) !== old; });
    });
    if (changed) { b.lastChange = Math.max(b.lastChange, f.last); }
  };
  new MutationObserver((records) => {
    const now = performance.now();
    b.lastMutation = now;
    b.mutations += records.length;
    if (!frame) {
      frame = {last: now, structural: false, attributes: new Map()};
      requestAnimationFrame(endFrame);
    }
    frame.last = now;
    for (const r of records) {
      r.addedNodes.forEach(watch);
      if (r.type !== 'attributes') { frame.structural = true; continue; }
      if (!frame.attributes.has(r.target)) { frame.attributes.set(r.target, new Map()); }
      const names = frame.attributes.get(r.target);
      if (!names.has(r.attributeName)) { names.set(r.attributeName, r.oldValue); }
    }
  }).observe(document, {subtree: true, childList: true, attributes: true, characterData: true,
                        attributeOldValue: true});

  const nativeFetch = window.fetch;
  window.fetch = function(...args) {
    b.inflight++;
    return nativeFetch.apply(this, args).finally(() => { b.inflight--; });
  };
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function(...args) {
    b.inflight++;
    this.addEventListener('loadend', () => { b.inflight--; }, {once: true});
    return send.apply(this, args);
  };

  // The start of an interaction is the timestamp of the event that triggers it.
  for (const type of ['change', 'click']) {
    window.addEventListener(type, (e) => {
      if (b.armed === type && b.inputAt === null) { b.inputAt = e.timeStamp; }
    }, true);
  }
  b.arm = (type) => { b.armed = type; b.inputAt = null; };
  b.inputEpoch = () => (b.inputAt === null ? null : performance.timeOrigin + b.inputAt);

  // Performs a control change; returns the epoch (ms) of the triggering event, or null when
  // the control is not on the page.
  b.act = (kind, target, value) => {
    const el = kind === 'select' || kind === 'checkbox' ? document.getElementById(target)
      : kind === 'radio' ? document.querySelector(
        `input[type=radio][name="${CSS.escape(target)}"][value="${CSS.escape(value)}"]`)
      : document.querySelector(target);  // a link: in-app (dcc.Link) or a full page load
    if (!el) { return null; }
    b.arm(kind === 'link' || kind === 'page' ? 'click' : 'change');
    if (kind === 'select') {
      el.value = value;
      el.dispatchEvent(new Event('input', {bubbles: true}));
      el.dispatchEvent(new Event('change', {bubbles: true}));
    } else {
      el.click();
    }
    return b.inputEpoch();
  };

  // Native controls of the filter forms, with their current value and the options a visitor
  // can choose (not the disabled, hidden placeholder dbc.Select puts first).
  b.controls = () => {
    const out = [];
    document.querySelectorAll('#contenu form select[id]').forEach((el) => {
      out.push({kind: 'select', target: el.id, value: el.value,
                options: [...el.options].filter((o) => !o.disabled).map((o) => o.value)});
    });
    const groups = {};
    document.querySelectorAll('#contenu form input[type=radio][name]:enabled').forEach((el) => {
      (groups[el.name] = groups[el.name] || []).push(el);
    });
    for (const [name, els] of Object.entries(groups)) {
      out.push({kind: 'radio', target: name, value: (els.find((e) => e.checked) || {}).value,
                options: els.map((e) => e.value)});
    }
    document.querySelectorAll('#contenu form input[type=checkbox][id]').forEach((el) => {
      out.push({kind: 'checkbox', target: el.id, value: String(el.checked),
                options: ['true', 'false']});
    });
    return out;
  };

  const pending = () => [...b.loading].filter((u) => performance.getEntriesByName(u).length === 0);

  // Resolves when settled (see above) with {ms, anyMs, bytes, mutations}; bytes: compressed
  // transfer (resource timing transferSize, 0 when cached) of what started after `startEpoch`.
  b.settle = (startEpoch, quiet, timeout) => new Promise((resolve) => {
    const start = startEpoch - performance.timeOrigin;
    const mutations0 = b.mutations;
    const tick = () => {
      const now = performance.now();
      const loading = document.querySelector('[data-dash-is-loading="true"]') !== null;
      const busy = b.inflight > 0 || loading || document.readyState !== 'complete'
                   || document.querySelector('#page > *') === null || pending().length > 0;
      const lastAny = Math.max(b.lastMutation, start);
      if (!busy && now - lastAny >= quiet) {
        endFrame();  // (frames are long drawn by now; a hidden page may have none)
        const last = Math.max(b.lastChange, start);
        const bytes = performance.getEntriesByType('navigation')
          .concat(performance.getEntriesByType('resource'))
          .filter((e) => e.startTime >= start)
          .reduce((sum, e) => sum + (e.transferSize || 0), 0);
        performance.mark('bench:start', {startTime: Math.max(start, 0)});
        performance.mark('bench:settled', {startTime: last});
        resolve({ms: last - start, anyMs: lastAny - start, bytes,
                 mutations: b.mutations - mutations0});
      } else if (now - start > timeout) {
        resolve({ms: null, bytes: 0, mutations: b.mutations - mutations0, timeout: true,
                 inflight: b.inflight, loading, pending: pending()});
      } else {
        setTimeout(tick, 20);
      }
    };
    tick();
  });
})();
