// DVC.DotsLayer: tens of thousands of points on ONE canvas in Leaflet's overlay pane. Points are projected once
// (at zoom 0); a redraw after a pan or zoom scales them, groups them by style and fills one path per style
// (a handful of fills, not one per point). A grid of screen cells built during the redraw answers "which
// point is under the mouse or the finger" without looking at every point; one tooltip shows its label.
//
//   const dots = new DVC.DotsLayer({ styles: {key: {fill, stroke, radius}}, label: i => Node, onClick: i => {} })
//   dots.setPoints(lats, lngs, styleKeys).addTo(map);   // arrays of equal length; index i is the point
(function () {
  "use strict";
  const DVC = (window.DVC = window.DVC || {});
  if (!window.L) return;
  const CELL = 12; // px: the hit-test grid's cell
  const SLOP = 4; // px beyond a dot's radius that still counts as on it (fingers)

  DVC.DotsLayer = L.Layer.extend({
    initialize: function (options) {
      L.setOptions(this, options);
      this._x = new Float64Array(0);
      this._y = new Float64Array(0);
      this._keys = [];
      this.drawMs = 0;
    },

    setPoints: function (lats, lngs, keys) {
      const n = lats.length;
      const crs = L.CRS.EPSG3857;
      this._x = new Float64Array(n);
      this._y = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const p = crs.latLngToPoint(L.latLng(lats[i], lngs[i]), 0);
        this._x[i] = p.x;
        this._y[i] = p.y;
      }
      this._keys = keys;
      if (this._map) this._redraw();
      return this;
    },

    onAdd: function (map) {
      this._canvas = L.DomUtil.create("canvas", "leaflet-dots-layer leaflet-zoom-hide");
      this._canvas.style.pointerEvents = "none";
      map.getPane(this.options.pane || "overlayPane").appendChild(this._canvas);
      this._tip = L.tooltip({ direction: "top", offset: [0, -6], className: "need-label" });
      map.on("moveend resize viewreset", this._redraw, this);
      map.on("zoomstart", this._hide, this);
      map.on("mousemove", this._hover, this);
      map.on("click", this._click, this);
      map.on("mouseout", this._unhover, this);
      this._redraw();
    },

    onRemove: function (map) {
      map.off("moveend resize viewreset", this._redraw, this);
      map.off("zoomstart", this._hide, this);
      map.off("mousemove", this._hover, this);
      map.off("click", this._click, this);
      map.off("mouseout", this._unhover, this);
      map.removeLayer(this._tip);
      L.DomUtil.remove(this._canvas);
    },

    _hide: function () { this._canvas.style.visibility = "hidden"; this._map.removeLayer(this._tip); },

    _redraw: function () {
      const map = this._map;
      if (!map) return;
      const started = performance.now();
      const size = map.getSize();
      const ratio = window.devicePixelRatio || 1;
      const canvas = this._canvas;
      canvas.width = size.x * ratio;
      canvas.height = size.y * ratio;
      canvas.style.width = size.x + "px";
      canvas.style.height = size.y + "px";
      const topLeft = map.containerPointToLayerPoint([0, 0]);
      L.DomUtil.setPosition(canvas, topLeft);
      const origin = map.getPixelOrigin();
      const scale = Math.pow(2, map.getZoom());
      const dx = origin.x + topLeft.x;
      const dy = origin.y + topLeft.y;
      const styles = this.options.styles;
      const ctx = canvas.getContext("2d");
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      const cols = Math.ceil(size.x / CELL) + 1;
      const grid = new Map();
      const sx = new Float32Array(this._x.length);
      const sy = new Float32Array(this._x.length);
      const byStyle = {};
      for (let i = 0; i < this._x.length; i++) {
        const x = this._x[i] * scale - dx;
        const y = this._y[i] * scale - dy;
        if (x < -10 || y < -10 || x > size.x + 10 || y > size.y + 10) { sx[i] = NaN; continue; }
        sx[i] = x;
        sy[i] = y;
        (byStyle[this._keys[i]] = byStyle[this._keys[i]] || []).push(i);
        const cell = Math.floor(y / CELL) * cols + Math.floor(x / CELL);
        const bucket = grid.get(cell);
        if (bucket) bucket.push(i); else grid.set(cell, [i]);
      }
      // Background styles first, so the few urgent ones (listed last) are drawn on top.
      Object.keys(styles).forEach(function (key) {
        const list = byStyle[key];
        if (!list) return;
        const s = styles[key];
        const r = s.radius || 4;
        ctx.beginPath();
        for (let j = 0; j < list.length; j++) {
          const i = list[j];
          ctx.moveTo(sx[i] + r, sy[i]);
          ctx.arc(sx[i], sy[i], r, 0, 2 * Math.PI);
        }
        ctx.fillStyle = s.fill;
        ctx.fill();
        if (s.stroke) { ctx.lineWidth = s.weight || 1; ctx.strokeStyle = s.stroke; ctx.stroke(); }
      });
      this._sx = sx;
      this._sy = sy;
      this._grid = grid;
      this._cols = cols;
      canvas.style.visibility = "";
      this.drawMs = performance.now() - started;
      this.fire("drawn", { ms: this.drawMs });
    },

    // The point nearest to a container point, within its radius and SLOP; -1 if none.
    pointAt: function (p) {
      if (!this._grid) return -1;
      const styles = this.options.styles;
      let best = -1;
      let bestD = Infinity;
      const cx = Math.floor(p.x / CELL);
      const cy = Math.floor(p.y / CELL);
      for (let gy = cy - 1; gy <= cy + 1; gy++) {
        for (let gx = cx - 1; gx <= cx + 1; gx++) {
          if (gx < 0 || gy < 0 || gx >= this._cols) continue;
          const bucket = this._grid.get(gy * this._cols + gx);
          if (!bucket) continue;
          for (let j = 0; j < bucket.length; j++) {
            const i = bucket[j];
            const d = Math.hypot(this._sx[i] - p.x, this._sy[i] - p.y);
            const reach = ((styles[this._keys[i]] || {}).radius || 4) + SLOP;
            if (d <= reach && d < bestD) { best = i; bestD = d; }
          }
        }
      }
      return best;
    },

    containerPointOf: function (i) { return L.point(this._sx[i], this._sy[i]); },

    _show: function (i) {
      const map = this._map;
      this._tip.setContent(this.options.label(i))
        .setLatLng(map.containerPointToLatLng(this.containerPointOf(i)));
      if (!map.hasLayer(this._tip)) this._tip.addTo(map);
    },
    _hover: function (e) {
      const i = this.pointAt(e.containerPoint);
      this._map.getContainer().classList.toggle("dots-hover", i >= 0);
      if (i >= 0) this._show(i); else this._unhover();
    },
    _unhover: function () { if (this._map) this._map.removeLayer(this._tip); },
    _click: function (e) {
      const i = this.pointAt(e.containerPoint);
      if (i < 0) { this._unhover(); return; }
      this._show(i);
      if (this.options.onClick) this.options.onClick(i);
    },
  });
})();
