/* The EM playground: EM on 2-D data that the reader can touch, in the HTML book.
 *
 * Every <div class="gmm-explorer"> of a page becomes an independent explorable. Its data-*
 * attributes fix what it starts with (all optional):
 *   data-datasets      the data sets offered, comma-separated keys of gmmExplorer.datasets
 *                      (written by book/_ext/gmm_playground.py); default: all of them
 *   data-dataset       the data set shown first; default: the first offered
 *   data-k             the number of components K, 1 to 6; default 3
 *   data-covariance-type   "full", "tied", "diag" or "spherical"; default "full"
 *   data-means         the starting means as JSON, e.g. "[[6, 6], [6, 5], [7, 6]]"; default:
 *                      drawn with k-means++
 *   data-spread        the starting spread sigma_0: every covariance starts as sigma_0^2 I; default: half
 *                      the mean standard deviation of the features (as gmm_teach.teaching.widgets)
 *   data-tol, data-max-iter, data-reg-covar   EM's options; defaults 1e-3, 100, 1e-6 (em.em's)
 *   data-seed          the seed of the k-means++ and random-point draws; default 1
 *
 * The bookkeeping follows the book: theta^(0) is the start and t counts the M-steps done. The
 * E-step on theta^(t) gives the responsibilities and l(theta^(t)); the M-step gives theta^(t+1).
 * "Run" stops where gmm_teach.em.em stops (the same rule, on the same numbers).
 */
(function (global) {
  "use strict";

  const G = global.gmmExplorer;
  // gmm_teach.teaching.plotting.COMPONENT_COLORS: Okabe and Ito's colour-blind safe palette
  const COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"];
  const COLOR_NAMES = ["blue", "orange", "green", "purple", "red", "sky blue"];
  const SHAPE_NAMES = ["circles", "squares", "triangles", "diamonds", "down triangles", "plusses"];
  const DATA_COLOR = "#BBBBBB"; // gmm_teach.teaching.plotting.DATA_COLOR: points before any E-step
  const MAX_K = 6;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const WIDTH = 480; // the plot's viewBox width; its height follows the data's aspect
  const MARGIN = { left: 46, right: 10, top: 10, bottom: 40 };
  const POINT_RADIUS = 3.2;
  const MEAN_RADIUS = 9;
  const RUN_DELAY_MS = 90; // between two iterations of "Run"
  const YOUR_POINTS = "your-points";
  let instances = 0;

  // ------------------------------------------------------------------ small helpers

  function el(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    for (const child of [].concat(children)) {
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function svgEl(tag, attributes = {}) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    return node;
  }

  function fixed(x, digits) {
    return Number.isFinite(x) ? x.toFixed(digits) : String(x);
  }

  function pair(v, digits = 2) {
    return `(${fixed(v[0], digits)}, ${fixed(v[1], digits)})`;
  }

  // "theta^(3)" with a superscript, as the book writes it
  function theta(t) {
    const superscript = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    return "θ⁽" + String(t).split("").map((c) => superscript[Number(c)]).join("") + "⁾";
  }

  // a marker of component k centred at (x, y): circle, square, triangle, diamond, down triangle, plus
  function shapePath(k, x, y, r) {
    const poly = (points) => "M" + points.map(([a, b]) => `${(x + a * r).toFixed(2)},${(y + b * r).toFixed(2)}`).join("L") + "Z";
    switch (k) {
      case 0:
        return `M${(x - r).toFixed(2)},${y.toFixed(2)}a${r},${r} 0 1,0 ${2 * r},0a${r},${r} 0 1,0 ${-2 * r},0Z`;
      case 1:
        return poly([[-0.88, -0.88], [0.88, -0.88], [0.88, 0.88], [-0.88, 0.88]]);
      case 2:
        return poly([[0, -1.2], [1.1, 0.75], [-1.1, 0.75]]);
      case 3:
        return poly([[0, -1.25], [1.05, 0], [0, 1.25], [-1.05, 0]]);
      case 4:
        return poly([[0, 1.2], [1.1, -0.75], [-1.1, -0.75]]);
      default: {
        const a = 0.4;
        const b = 1.15;
        return poly([[-a, -b], [a, -b], [a, -a], [b, -a], [b, a], [a, a], [a, b], [-a, b],
          [-a, a], [-b, a], [-b, -a], [-a, -a]]);
      }
    }
  }

  function hexToRgb(hex) {
    return [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  }
  const RGB = COLORS.map(hexToRgb);

  // mirrors plotting.figures_2d.soft_assignment_colors: the blend of the colours weighted by r_ik
  function blend(resp) {
    const rgb = [0, 1, 2].map((c) => resp.reduce((s, r, k) => s + r * RGB[k][c], 0));
    return `rgb(${rgb.map((v) => Math.round(Math.min(255, Math.max(0, v)))).join(",")})`;
  }

  function argmax(values) {
    let best = 0;
    values.forEach((v, k) => { if (v > values[best]) best = k; });
    return best;
  }

  // round tick values covering [low, high], about `count` of them
  function ticks(low, high, count) {
    const raw = (high - low) / count;
    const power = 10 ** Math.floor(Math.log10(raw));
    const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw);
    const values = [];
    for (let v = Math.ceil(low / step) * step; v <= high + 1e-9 * step; v += step) {
      values.push(Math.abs(v) < 1e-12 * step ? 0 : v);
    }
    return { values, digits: Math.max(0, -Math.floor(Math.log10(step) + 1e-9)) };
  }

  // the standard deviations of the two features of X
  function featureStd(X) {
    return [0, 1].map((j) => {
      const mean = X.reduce((s, x) => s + x[j], 0) / X.length;
      return Math.sqrt(X.reduce((s, x) => s + (x[j] - mean) ** 2, 0) / X.length);
    });
  }

  // the starting covariances sigma_0^2 I, shaped by the covariance type (as gmm_teach.em expects)
  function spreadCovariances(covarianceType, K, spread) {
    const v = spread * spread;
    const matrix = () => [[v, 0], [0, v]];
    if (covarianceType === "full") return Array.from({ length: K }, matrix);
    if (covarianceType === "tied") return matrix();
    if (covarianceType === "diag") return Array.from({ length: K }, () => [v, v]);
    return new Array(K).fill(v);
  }

  // ------------------------------------------------------------------ one explorable

  class Explorer {
    constructor(root) {
      this.root = root;
      this.id = `gmm-explorer-${++instances}`;
      const data = root.dataset;
      const all = Object.keys(G.datasets || {});
      this.offered = data.datasets ? data.datasets.split(",").map((s) => s.trim()) : all;
      this.offered.forEach((key) => {
        if (!G.datasets || !G.datasets[key]) throw new RangeError(`no data set named ${key}`);
      });
      this.K = Math.min(MAX_K, Math.max(1, parseInt(data.k || "3", 10)));
      this.covarianceType = data.covarianceType || "full";
      this.tol = data.tol ? Number(data.tol) : 1e-3;
      this.maxIter = data.maxIter ? parseInt(data.maxIter, 10) : 100;
      this.regCovar = data.regCovar ? Number(data.regCovar) : 1e-6;
      this.random = G.randomGenerator(parseInt(data.seed || "1", 10));
      this.initialMeans = data.means ? JSON.parse(data.means) : null;
      this.initialSpread = data.spread ? Number(data.spread) : null;
      this.timer = null;
      this.build();
      this.loadData(data.dataset || this.offered[0] || YOUR_POINTS, true);
      this.render();
    }

    // ---------------------------------------------------------------- the page elements

    build() {
      const id = this.id;
      this.root.textContent = "";
      this.root.classList.add("gx-ready");
      const option = (value, text) => el("option", { value }, text);
      this.dataSelect = el("select", { id: `${id}-data` },
        this.offered.map((key) => option(key, G.datasets[key].label))
          .concat(option(YOUR_POINTS, "your points only")));
      this.kSelect = el("select", { id: `${id}-k` },
        Array.from({ length: MAX_K }, (_, k) => option(String(k + 1), String(k + 1))));
      this.typeSelect = el("select", { id: `${id}-type` },
        G.COVARIANCE_TYPES.map((type) => option(type, type)));
      this.spreadInput = el("input", { id: `${id}-spread`, type: "range", min: "0", max: "1",
        step: "0.001", "aria-describedby": `${id}-spread-value` });
      this.spreadValue = el("output", { id: `${id}-spread-value`, for: `${id}-spread` });
      const button = (name, text, title) => el("button", { type: "button", "data-action": name, title }, text);
      this.buttons = {
        clear: button("clear", "Clear points", "Remove every point; then click or tap the plot to add yours"),
        kmeanspp: button("kmeanspp", "k-means++ means", "Draw the starting means with k-means++"),
        randomPoints: button("randomPoints", "Random points", "Start the means at K distinct random data points"),
        eStep: button("eStep", "E-step", "Colour the points by their responsibilities under the current parameters"),
        mStep: button("mStep", "M-step", "Move the components to the weights, means and covariances the colours ask for"),
        iterate: button("iterate", "One iteration", "An E-step, then an M-step"),
        run: button("run", "Run", "Iterate until EM's stopping rule holds, as gmm_teach.em.em does"),
        reset: button("reset", "Reset", "Back to the start, t = 0"),
      };
      const label = (forId, text) => el("label", { for: forId }, text);
      const field = (...children) => el("span", { class: "gx-field" }, children);
      const dataRow = el("div", { class: "gx-row", role: "group", "aria-label": "Data" }, [
        field(label(`${id}-data`, "Data"), this.dataSelect), this.buttons.clear]);
      const startRow = el("div", { class: "gx-row", role: "group", "aria-label": "The start" }, [
        field(label(`${id}-k`, "K"), this.kSelect),
        field(label(`${id}-type`, "Covariance"), this.typeSelect),
        field(label(`${id}-spread`, "Start spread σ₀"), this.spreadInput, this.spreadValue),
        this.buttons.kmeanspp, this.buttons.randomPoints]);
      const stepRow = el("div", { class: "gx-row gx-steps", role: "group", "aria-label": "EM steps" },
        ["eStep", "mStep", "iterate", "run", "reset"].map((name) => this.buttons[name]));

      // the plot takes the keyboard focus: the arrow keys move a cursor, Enter or Space adds a
      // point under it (role "application": a screen reader passes the keys to the page)
      this.plot = svgEl("svg", { class: "gx-plot", role: "application", tabindex: "0",
        "aria-roledescription": "plot", "aria-label": "The data and the mixture",
        "aria-describedby": `${id}-keys ${id}-summary` });
      this.gridLayer = svgEl("g", { class: "gx-grid", "aria-hidden": "true" });
      this.pointLayer = svgEl("g", { class: "gx-points", "aria-hidden": "true" });
      this.ellipseLayer = svgEl("g", { class: "gx-ellipses", "aria-hidden": "true" });
      this.meanLayer = svgEl("g", { class: "gx-means" });
      this.cursorMark = svgEl("g", { class: "gx-cursor", "aria-hidden": "true" });
      for (const name of ["gx-cursor-halo", "gx-cursor-line"]) {
        this.cursorMark.append(svgEl("path", { class: name, d: "M-14,0H-4M4,0H14M0,-14V-4M0,4V14" }),
          svgEl("circle", { class: name, r: 4 }));
      }
      this.plot.append(this.gridLayer, this.pointLayer, this.ellipseLayer, this.meanLayer,
        this.cursorMark);
      this.summary = el("p", { id: `${id}-summary`, class: "gx-visually-hidden" });
      this.keys = el("span", { id: `${id}-keys` },
        "With the keyboard, focus the plot with Tab, move its cursor with the arrow keys " +
        "(Shift for larger steps) and press Enter or Space to add a point there.");
      this.hint = el("p", { class: "gx-hint", id: `${id}-hint` }, [
        "Click or tap the plot to add a point. ", this.keys,
        " Drag a mean (the large markers), or focus it with Tab and move it with the arrow " +
        "keys, to change the start. Ellipses: c = 1 solid, c = 2 dashed."]);

      this.status = el("p", { class: "gx-status", role: "status", "aria-live": "polite" });
      this.error = el("p", { class: "gx-error", role: "alert" });
      this.numbers = el("dl", { class: "gx-numbers" });
      this.curve = svgEl("svg", { class: "gx-curve", viewBox: "0 0 320 170", role: "img" });
      this.curveTitle = svgEl("title");
      this.curve.append(this.curveTitle);
      this.curveLayer = svgEl("g");
      this.curve.append(this.curveLayer);
      this.table = el("table", { class: "gx-table" });
      this.python = el("pre", { class: "gx-python" });
      const details = el("details", { class: "gx-details" }, [
        el("summary", {}, "This run in Python"),
        el("p", {}, "The same start and options with gmm_teach, for JupyterLab (make lab):"),
        this.python]);
      const side = el("div", { class: "gx-side" }, [this.numbers, this.curve]);
      this.root.append(dataRow, startRow, stepRow,
        el("div", { class: "gx-main" }, [el("div", { class: "gx-figure" }, [this.plot, this.hint]), side]),
        this.status, this.error, this.summary, this.table, details);

      this.dataSelect.addEventListener("change", () => this.act(() => this.loadData(this.dataSelect.value)));
      this.kSelect.addEventListener("change", () => this.act(() => this.setK(parseInt(this.kSelect.value, 10))));
      this.typeSelect.addEventListener("change", () => this.act(() => {
        this.covarianceType = this.typeSelect.value;
        this.restart(`Covariance type ${this.covarianceType}.`);
      }));
      this.spreadInput.addEventListener("input", () => this.act(() => {
        this.spread = Number(this.spreadInput.value);
        this.restart(`Start spread σ₀ = ${fixed(this.spread, 3)}.`);
      }));
      for (const [name, node] of Object.entries(this.buttons)) {
        node.addEventListener("click", () => this.act(() => this[name](), name !== "run"));
      }
      this.plot.addEventListener("click", (event) => this.act(() => this.addPoint(event)));
      this.plot.addEventListener("keydown", (event) => this.keyCursor(event));
      this.plot.addEventListener("focus", () => this.showCursor(this.plot.matches(":focus-visible")));
      this.plot.addEventListener("blur", () => this.showCursor(false));
      this.plot.addEventListener("pointerdown", () => this.showCursor(false));
    }

    // run an action; a thrown error (for example a covariance that is not positive definite)
    // is shown on the page instead of breaking it
    act(action, stopRunning = true) {
      if (stopRunning) this.pause();
      this.error.textContent = "";
      try {
        action();
      } catch (error) {
        this.pause();
        this.error.textContent = `EM stopped: ${error.message}`;
      }
      this.render();
    }

    // ---------------------------------------------------------------- data

    loadData(key, initial = false) {
      const dataset = key === YOUR_POINTS ? null : G.datasets[key];
      this.datasetKey = key;
      this.dataSelect.value = key;
      this.X = dataset ? dataset.X.map((x) => x.slice()) : [];
      this.nOwn = 0; // points added by the reader, after the data set's
      this.axes = dataset ? dataset.axes : ["x1", "x2"];
      this.setView();
      const std = this.X.length > 1 ? featureStd(this.X) : [1, 1];
      const size = Math.max(this.view.x1 - this.view.x0, this.view.y1 - this.view.y0);
      this.spreadInput.min = String(size / 100);
      this.spreadInput.max = String(size / 2);
      this.spreadInput.step = String(size / 200);
      this.spread = initial && this.initialSpread ? this.initialSpread : (std[0] + std[1]) / 4;
      this.spreadInput.value = String(this.spread);
      if (initial && this.initialMeans) {
        this.K = this.initialMeans.length;
        this.means = this.initialMeans.map((m) => m.slice());
      } else {
        this.means = this.drawMeans("kmeanspp");
      }
      this.kSelect.value = String(this.K);
      this.typeSelect.value = this.covarianceType;
      this.buildPoints();
      this.buildMeans();
      this.restart(dataset ? `Data: ${dataset.label}, ${this.X.length} points.`
        : "No points yet: click or tap the plot to add some.");
    }

    // the data window, padded, with equal scales unless the features' ranges differ a lot
    setView() {
      let [x0, x1, y0, y1] = [-5, 5, -5, 5];
      if (this.X.length > 1) {
        const xs = this.X.map((x) => x[0]);
        const ys = this.X.map((x) => x[1]);
        [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      }
      const padX = 0.08 * (x1 - x0 || 1);
      const padY = 0.08 * (y1 - y0 || 1);
      [x0, x1, y0, y1] = [x0 - padX, x1 + padX, y0 - padY, y1 + padY];
      const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
      const ratio = (y1 - y0) / (x1 - x0);
      const equal = ratio > 1 / 4 && ratio < 4;
      const plotHeight = Math.round(plotWidth * Math.min(1, Math.max(0.6, equal ? ratio : 0.75)));
      let kx = plotWidth / (x1 - x0);
      let ky = plotHeight / (y1 - y0);
      if (equal) { // one scale; widen the shorter range so that the window fills the plot
        const k = Math.min(kx, ky);
        const [cx, cy] = [(x0 + x1) / 2, (y0 + y1) / 2];
        [x0, x1] = [cx - plotWidth / k / 2, cx + plotWidth / k / 2];
        [y0, y1] = [cy - plotHeight / k / 2, cy + plotHeight / k / 2];
        kx = ky = k;
      }
      this.view = { x0, x1, y0, y1, kx, ky, plotWidth, plotHeight };
      this.cursor = this.round([(x0 + x1) / 2, (y0 + y1) / 2]); // the keyboard's cursor
      this.plot.setAttribute("viewBox", `0 0 ${WIDTH} ${plotHeight + MARGIN.top + MARGIN.bottom}`);
      this.drawGrid();
    }

    toScreen(x) {
      const v = this.view;
      return [MARGIN.left + (x[0] - v.x0) * v.kx, MARGIN.top + (v.y1 - x[1]) * v.ky];
    }

    // the data coordinates under a pointer event (outside the plotting area too)
    pointerToData(event) {
      const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(this.plot.getScreenCTM().inverse());
      const v = this.view;
      return [v.x0 + (p.x - MARGIN.left) / v.kx, v.y1 - (p.y - MARGIN.top) / v.ky];
    }

    inView(x) {
      const v = this.view;
      return x[0] >= v.x0 && x[0] <= v.x1 && x[1] >= v.y0 && x[1] <= v.y1;
    }

    // coordinates rounded to about a thousandth of the window (short numbers in the Python box)
    round(x) {
      const v = this.view;
      const size = Math.max(v.x1 - v.x0, v.y1 - v.y0);
      const decimals = Math.max(0, -Math.floor(Math.log10(size / 1000)));
      return x.map((value) => Number(value.toFixed(decimals)) + 0); // + 0 turns -0 into 0
    }

    clamp(x) {
      const v = this.view;
      return [Math.min(v.x1, Math.max(v.x0, x[0])), Math.min(v.y1, Math.max(v.y0, x[1]))];
    }

    addPoint(event) {
      if (event.target.closest && event.target.closest(".gx-mean")) return; // a drag, not a tap
      const x = this.pointerToData(event);
      if (this.inView(x)) this.addPointAt(x);
    }

    // a point of the reader's at x (data coordinates), after the others
    addPointAt(x) {
      const rounded = this.round(x);
      this.X.push(rounded);
      this.nOwn += 1;
      this.pointLayer.append(this.pointElement(this.X.length - 1));
      this.pointShapes.push(null);
      this.pointFills.push(null);
      this.restart(`Point added at ${pair(rounded)}; ${this.X.length} points.`);
    }

    clear() {
      this.loadData(YOUR_POINTS);
    }

    // the keyboard's cursor, shown while the plot itself has the keyboard focus
    showCursor(on) {
      this.cursorMark.classList.toggle("gx-cursor-on", on);
      if (on) {
        const [sx, sy] = this.toScreen(this.cursor);
        this.cursorMark.setAttribute("transform", `translate(${sx.toFixed(1)} ${sy.toFixed(1)})`);
      }
    }

    // keys on the plot itself (a focused mean handles its own): the arrows move the cursor
    // (with Shift, in larger steps), Enter or Space adds a point under it
    keyCursor(event) {
      if (event.target !== this.plot) return;
      const directions = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      const direction = directions[event.key];
      if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        this.act(() => this.addPointAt(this.cursor));
      } else if (direction) {
        event.preventDefault();
        const v = this.view;
        const step = (event.shiftKey ? 0.1 : 0.02) * Math.max(v.x1 - v.x0, v.y1 - v.y0);
        const c = this.cursor;
        this.cursor = this.round(this.clamp([c[0] + direction[0] * step, c[1] + direction[1] * step]));
        this.announce(`Cursor at ${pair(this.cursor)}: Enter or Space adds a point there.`);
      } else {
        return;
      }
      this.showCursor(true);
    }

    // ---------------------------------------------------------------- the start

    drawMeans(method) {
      const K = this.K;
      if (this.X.length < K) { // too few points: spread the means over the window
        const v = this.view;
        return Array.from({ length: K }, (_, k) => {
          const angle = (2 * Math.PI * k) / K;
          return [(v.x0 + v.x1) / 2 + 0.25 * (v.x1 - v.x0) * Math.cos(angle),
            (v.y0 + v.y1) / 2 + 0.25 * (v.y1 - v.y0) * Math.sin(angle)];
        });
      }
      return method === "kmeanspp" ? G.kmeansPlusPlus(this.X, K, this.random)
        : G.randomFromData(this.X, K, this.random);
    }

    kmeanspp() {
      this.means = this.drawMeans("kmeanspp");
      this.restart("Starting means drawn with k-means++.");
    }

    randomPoints() {
      this.means = this.drawMeans("random");
      this.restart("Starting means at random data points.");
    }

    setK(K) {
      if (K < this.means.length) {
        this.means = this.means.slice(0, K);
      } else if (this.X.length >= K) { // the new means continue k-means++ from the others
        this.means = this.means.concat(G.kmeansPlusPlus(this.X, K, this.random, this.means));
      } else {
        this.K = K;
        this.means = this.drawMeans("kmeanspp");
      }
      this.K = K;
      this.buildMeans();
      this.restart(`K = ${K} components.`);
    }

    get start() {
      return {
        weights: new Array(this.K).fill(1 / this.K),
        means: this.means.map((m) => m.slice()),
        covariances: spreadCovariances(this.covarianceType, this.K, this.spread),
      };
    }

    // back to t = 0 from the current start, after any change of the data or of the start
    restart(message, quiet = false) {
      this.pause();
      this.params = this.start;
      this.t = 0;
      this.lls = [];
      this.shown = null; // the responsibilities on show, {resp, of: t of the E-step's theta}
      this.convergedAt = null;
      this.current = this.evaluate(this.params);
      if (this.current) this.lls.push(this.current.logLikelihood);
      if (!quiet) this.announce(message + " " + this.describeState());
    }

    // the E-step's numbers for theta (responsibilities and l), or null with too few points
    evaluate(params) {
      if (this.X.length < this.K) return null;
      const precChol = G.choleskyPrecisions(params.covariances, this.covarianceType);
      return G.eStepCholesky(this.X, params.weights, params.means, precChol, this.covarianceType);
    }

    // ---------------------------------------------------------------- the steps

    needPoints() {
      if (this.current) return false;
      this.announce(`EM needs at least K = ${this.K} points; there are ${this.X.length}. ` +
        "Click or tap the plot to add points.");
      return true;
    }

    // E-step on theta^(t): the responsibilities and l(theta^(t))
    eStep() {
      if (this.needPoints()) return;
      this.shown = { resp: this.current.responsibilities, of: this.t };
      this.announce(`E-step on ${theta(this.t)}: the points take the colours of their ` +
        `responsibilities. ${this.describeState()}`);
    }

    // M-step from the responsibilities of theta^(t): theta^(t+1)
    mStep() {
      if (this.needPoints()) return;
      if (!this.shown || this.shown.of !== this.t) {
        this.announce(`The M-step needs the responsibilities of ${theta(this.t)}: press E-step first.`);
        return;
      }
      this.params = G.mStep(this.X, this.shown.resp, this.covarianceType, this.regCovar);
      this.t += 1;
      this.current = this.evaluate(this.params);
      this.lls.push(this.current.logLikelihood);
      const rule = this.stoppingRule();
      if (rule.converged && this.convergedAt === null) this.convergedAt = this.t;
      this.announce(`M-step: ${this.describeState()}`);
    }

    // what gmm_teach.em.run_em tests after its iteration t: |l(theta^(t-1)) - l(theta^(t-2))| / n
    stoppingRule() {
      const n = this.X.length;
      const previous = this.t >= 2 ? this.lls[this.t - 2] / n : -Infinity;
      const change = this.lls[this.t - 1] / n - previous;
      return { change, converged: Math.abs(change) < this.tol };
    }

    stopped() {
      return this.convergedAt !== null || this.t >= this.maxIter;
    }

    iterate() {
      if (this.needPoints()) return;
      if (!this.shown || this.shown.of !== this.t) this.eStep();
      this.mStep();
    }

    run() {
      if (this.timer !== null) { // the button reads "Pause" while running
        this.pause();
        this.announce(`Paused. ${this.describeState()}`);
        return;
      }
      if (this.needPoints()) return;
      if (this.stopped()) {
        this.announce(`${this.stopReason()} Reset, or change the start, to run again.`);
        return;
      }
      const reduceMotion = global.matchMedia && global.matchMedia("(prefers-reduced-motion: reduce)").matches;
      if (reduceMotion) {
        while (!this.stopped()) this.iterate();
        this.announce(`${this.stopReason()} ${this.describeState()}`);
        return;
      }
      const step = () => {
        this.act(() => {
          this.iterate();
          if (this.stopped()) {
            this.pause();
            this.announce(`${this.stopReason()} ${this.describeState()}`);
          } else {
            this.timer = global.setTimeout(step, RUN_DELAY_MS);
          }
        }, false);
      };
      this.timer = global.setTimeout(step, 0);
      this.status.textContent = "Running...";
    }

    pause() {
      if (this.timer !== null) global.clearTimeout(this.timer);
      this.timer = null;
    }

    reset() {
      this.restart("Back to the start.");
    }

    stopReason() {
      if (this.convergedAt !== null) {
        const T = this.convergedAt;
        const change = Math.abs(this.lls[T - 1] - this.lls[T - 2]) / this.X.length;
        return `Converged after T = ${T} iterations: from ${theta(T - 2)} to ${theta(T - 1)} ` +
          `the mean log-likelihood per point changed by ${change.toExponential(1)}, less than ` +
          `tol = ${this.tol} (the rule of gmm_teach.em.em and scikit-learn).`;
      }
      if (this.t >= this.maxIter) {
        return `Stopped at max_iter = ${this.maxIter} iterations without converging: the last ` +
          `change per point was ${Math.abs(this.stoppingRule().change).toExponential(1)} ` +
          `(tol = ${this.tol}).`;
      }
      return "";
    }

    // ---------------------------------------------------------------- dragging the means

    // a new starting mean for component k: the run goes back to t = 0
    moveMean(k, x, quiet = false) {
      this.means[k] = this.round(this.clamp(x));
      this.restart(`Starting mean of component ${k + 1} moved to ${pair(this.means[k])}.`, quiet);
    }

    startDrag(event, k) {
      event.preventDefault();
      const handle = event.currentTarget;
      handle.setPointerCapture(event.pointerId);
      handle.focus({ preventScroll: true });
      let moved = false;
      const move = (e) => this.act(() => {
        moved = true;
        this.moveMean(k, this.pointerToData(e), true); // announced once, at the end
      });
      const end = () => {
        handle.removeEventListener("pointermove", move);
        handle.removeEventListener("pointerup", end);
        handle.removeEventListener("pointercancel", end);
        if (moved) this.announce(`Starting mean of component ${k + 1} moved to ${pair(this.means[k])}. ` + this.describeState());
      };
      handle.addEventListener("pointermove", move);
      handle.addEventListener("pointerup", end);
      handle.addEventListener("pointercancel", end);
    }

    keyMove(event, k) {
      const directions = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (event.key === "Enter" || event.key === " ") { // say where the mean is and what moves it
        event.preventDefault();
        this.announce(`${event.currentTarget.getAttribute("aria-label")}. The arrow keys move it.`);
        return;
      }
      const direction = directions[event.key];
      if (!direction) return;
      event.preventDefault();
      const v = this.view;
      const step = (event.shiftKey ? 0.1 : 0.02) * Math.max(v.x1 - v.x0, v.y1 - v.y0);
      const m = this.means[k];
      this.act(() => this.moveMean(k, [m[0] + direction[0] * step, m[1] + direction[1] * step]));
    }

    // ---------------------------------------------------------------- drawing

    drawGrid() {
      const v = this.view;
      const g = this.gridLayer;
      g.textContent = "";
      const bottom = MARGIN.top + v.plotHeight;
      const right = MARGIN.left + v.plotWidth;
      g.append(svgEl("rect", { x: MARGIN.left, y: MARGIN.top, width: v.plotWidth, height: v.plotHeight,
        class: "gx-frame" }));
      const xt = ticks(v.x0, v.x1, 6);
      for (const value of xt.values) {
        const [sx] = this.toScreen([value, v.y0]);
        g.append(svgEl("line", { x1: sx, x2: sx, y1: MARGIN.top, y2: bottom, class: "gx-gridline" }));
        const text = svgEl("text", { x: sx, y: bottom + 16, "text-anchor": "middle" });
        text.textContent = fixed(value, xt.digits);
        g.append(text);
      }
      const yt = ticks(v.y0, v.y1, 5);
      for (const value of yt.values) {
        const [, sy] = this.toScreen([v.x0, value]);
        g.append(svgEl("line", { x1: MARGIN.left, x2: right, y1: sy, y2: sy, class: "gx-gridline" }));
        const text = svgEl("text", { x: MARGIN.left - 5, y: sy + 4, "text-anchor": "end" });
        text.textContent = fixed(value, yt.digits);
        g.append(text);
      }
      const xLabel = svgEl("text", { x: MARGIN.left + v.plotWidth / 2, y: bottom + 34, "text-anchor": "middle", class: "gx-axis-label" });
      xLabel.textContent = this.axes[0];
      const yLabel = svgEl("text", { transform: `translate(12 ${MARGIN.top + v.plotHeight / 2}) rotate(-90)`,
        "text-anchor": "middle", class: "gx-axis-label" });
      yLabel.textContent = this.axes[1];
      g.append(xLabel, yLabel);
    }

    pointElement(i) {
      const node = svgEl("path", { class: i >= this.X.length - this.nOwn ? "gx-point gx-own" : "gx-point" });
      return node;
    }

    buildPoints() {
      this.pointLayer.textContent = "";
      this.X.forEach((_, i) => this.pointLayer.append(this.pointElement(i)));
      this.pointShapes = this.X.map(() => null); // what each point's element shows
      this.pointFills = this.X.map(() => null);
    }

    buildMeans() {
      this.meanLayer.textContent = "";
      this.meanHandles = Array.from({ length: this.K }, (_, k) => {
        const handle = svgEl("g", { class: "gx-mean", tabindex: "0", role: "button",
          "aria-roledescription": "draggable mean", "aria-describedby": `${this.id}-hint` });
        handle.append(svgEl("circle", { class: "gx-hit", r: 24 }),
          svgEl("circle", { class: "gx-focus", r: MEAN_RADIUS + 5 }),
          svgEl("path", { class: "gx-marker", fill: COLORS[k], d: shapePath(k, 0, 0, MEAN_RADIUS) }));
        handle.addEventListener("pointerdown", (event) => this.startDrag(event, k));
        handle.addEventListener("keydown", (event) => this.keyMove(event, k));
        this.meanLayer.append(handle);
        return handle;
      });
      this.ellipseLayer.textContent = "";
      this.ellipses = Array.from({ length: this.K }, (_, k) => [1, 2].map((c) => {
        const path = svgEl("path", { class: `gx-ellipse gx-c${c}`, stroke: COLORS[k] });
        this.ellipseLayer.append(path);
        return path;
      }));
    }

    // the ellipse {x : (x - mu)^T Sigma^{-1} (x - mu) = c^2} is mu + c L (cos a, sin a), Sigma = L L^T
    ellipsePath(mean, covariance, c) {
      const [[a, b], [, d]] = covariance;
      const l11 = Math.sqrt(a);
      const l21 = b / l11;
      const l22 = Math.sqrt(Math.max(0, d - l21 * l21));
      const points = [];
      for (let j = 0; j < 64; j++) {
        const angle = (2 * Math.PI * j) / 64;
        const [u, w] = [Math.cos(angle), Math.sin(angle)];
        points.push(this.toScreen([mean[0] + c * l11 * u, mean[1] + c * (l21 * u + l22 * w)]));
      }
      return "M" + points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join("L") + "Z";
    }

    render() {
      const K = this.K;
      const resp = this.shown ? this.shown.resp : null;
      const nodes = this.pointLayer.children;
      this.X.forEach((x, i) => { // only what changed: a point's marker and colour
        const k = resp ? argmax(resp[i]) : 0;
        const fill = resp ? blend(resp[i]) : DATA_COLOR;
        if (this.pointShapes[i] !== k) {
          const [sx, sy] = this.toScreen(x);
          nodes[i].setAttribute("d", shapePath(k, sx, sy, POINT_RADIUS));
          this.pointShapes[i] = k;
        }
        if (this.pointFills[i] !== fill) {
          nodes[i].setAttribute("fill", fill);
          this.pointFills[i] = fill;
        }
      });
      const full = G.fullCovariances(this.params.covariances, this.covarianceType, K, 2);
      this.params.means.forEach((mean, k) => {
        const [sx, sy] = this.toScreen(this.clamp(mean));
        this.meanHandles[k].setAttribute("transform", `translate(${sx.toFixed(1)} ${sy.toFixed(1)})`);
        this.meanHandles[k].setAttribute("aria-label", `Component ${k + 1} (${COLOR_NAMES[k]} ` +
          `${SHAPE_NAMES[k]}): mean at ${pair(mean)}` + (this.t === 0 ? "" :
          `, after ${this.t} M-steps; moving it changes the start and goes back to t = 0`));
        this.ellipses[k].forEach((path, j) => path.setAttribute("d", this.ellipsePath(mean, full[k], j + 1)));
      });
      this.renderNumbers();
      this.renderCurve();
      this.renderTable();
      this.renderPython();
      this.renderButtons();
    }

    describeState() {
      if (!this.current) return `${this.X.length} points; EM needs at least K = ${this.K}.`;
      const weights = this.params.weights.map((w) => fixed(w, 3)).join(", ");
      return `t = ${this.t}, log-likelihood ${fixed(this.current.logLikelihood, 2)}, ` +
        `weights ${weights}.`;
    }

    renderNumbers() {
      const rows = [];
      const row = (term, value) => rows.push(el("dt", {}, term), el("dd", {}, value));
      const n = this.X.length;
      row("points n", this.nOwn ? `${n} (${this.nOwn} yours)` : String(n));
      row("t, M-steps done", String(this.t));
      if (this.current) {
        const ll = this.current.logLikelihood;
        const d = 2;
        row(`log-likelihood ℓ(${theta(this.t)})`, `${fixed(ll, 2)} (${fixed(ll / n, 4)} per point)`);
        row("free parameters ν", String(G.nParameters(this.K, d, this.covarianceType)));
        row("BIC", fixed(G.bic(ll, this.K, n, d, this.covarianceType), 2));
        row("AIC", fixed(G.aic(ll, this.K, d, this.covarianceType), 2));
      }
      row("colours", this.shown ? `responsibilities of ${theta(this.shown.of)}` : "none yet: press E-step");
      let stopping = `not yet (tol = ${this.tol}, max_iter = ${this.maxIter})`;
      if (this.convergedAt !== null) stopping = `converged after T = ${this.convergedAt} iterations`;
      else if (this.t >= this.maxIter) stopping = `max_iter = ${this.maxIter} reached, not converged`;
      row("stopping", stopping);
      this.numbers.replaceChildren(...rows);
    }

    renderCurve() {
      const g = this.curveLayer;
      g.textContent = "";
      const [left, right, top, bottom] = [58, 312, 10, 136];
      const values = this.lls;
      const T = Math.max(5, values.length - 1);
      const xOf = (s) => left + ((right - left) * s) / T;
      let shown = values;
      let clippedStart = false;
      if (values.length >= 3) { // a start far below the rest would flatten the curve: clip it
        const rest = values.slice(1);
        const [low, high] = [Math.min(...rest), Math.max(...rest)];
        if (values[0] < low - 2 * Math.max(high - low, 1e-9)) {
          shown = rest;
          clippedStart = true;
        }
      }
      let [low, high] = shown.length ? [Math.min(...shown), Math.max(...shown)] : [0, 1];
      if (high - low < 1e-9) [low, high] = [low - 1, high + 1];
      const pad = 0.06 * (high - low);
      [low, high] = [low - pad, high + pad];
      const yOf = (v) => bottom - ((bottom - top) * (Math.max(v, low) - low)) / (high - low);
      g.append(svgEl("rect", { x: left, y: top, width: right - left, height: bottom - top, class: "gx-frame" }));
      const yt = ticks(low, high, 3);
      for (const value of yt.values) {
        g.append(svgEl("line", { x1: left, x2: right, y1: yOf(value), y2: yOf(value), class: "gx-gridline" }));
        const text = svgEl("text", { x: left - 4, y: yOf(value) + 4, "text-anchor": "end" });
        text.textContent = fixed(value, yt.digits);
        g.append(text);
      }
      const xt = ticks(0, T, 5);
      for (const value of xt.values) {
        const text = svgEl("text", { x: xOf(value), y: bottom + 15, "text-anchor": "middle" });
        text.textContent = String(value);
        g.append(text);
      }
      const xLabel = svgEl("text", { x: (left + right) / 2, y: bottom + 31, "text-anchor": "middle", class: "gx-axis-label" });
      xLabel.textContent = "t, M-steps done";
      const yLabel = svgEl("text", { transform: `translate(11 ${(top + bottom) / 2}) rotate(-90)`,
        "text-anchor": "middle", class: "gx-axis-label" });
      yLabel.textContent = "ℓ(θ⁽ᵗ⁾)";
      g.append(xLabel, yLabel);
      if (this.convergedAt !== null) {
        const x = xOf(this.convergedAt);
        g.append(svgEl("line", { x1: x, x2: x, y1: top, y2: bottom, class: "gx-stop-line" }));
      }
      const first = clippedStart ? 1 : 0;
      const points = values.map((v, s) => [xOf(s), yOf(v)]).slice(first);
      if (points.length > 1) {
        g.append(svgEl("polyline", { points: points.map((p) => p.join(",")).join(" "), class: "gx-line" }));
      }
      points.forEach(([x, y]) => g.append(svgEl("circle", { cx: x, cy: y, r: 2.6, class: "gx-dot" })));
      if (clippedStart) { // an arrow at t = 0 pointing down, and the value in the empty corner
        const [x, y] = [xOf(0), bottom - 2];
        g.append(svgEl("path", { d: `M${x - 4},${y - 7}L${x + 4},${y - 7}L${x},${y}Z`, class: "gx-dot" }));
        const text = svgEl("text", { x: right - 4, y: bottom - 5, "text-anchor": "end", class: "gx-note" });
        text.textContent = `t = 0 below: ${fixed(values[0], 1)}`;
        g.append(text);
      }
      this.curveTitle.textContent = values.length
        ? `Log-likelihood for t = 0 to ${values.length - 1}: ` + values.map((v) => fixed(v, 2)).join(", ")
        : "No log-likelihood yet: too few points.";
    }

    renderTable() {
      const type = this.covarianceType;
      const p = this.params;
      const matrix = (C) => `[[${fixed(C[0][0], 3)}, ${fixed(C[0][1], 3)}], [${fixed(C[1][0], 3)}, ${fixed(C[1][1], 3)}]]`;
      const covariance = (k) => {
        if (type === "full") return matrix(p.covariances[k]);
        if (type === "tied") return k === 0 ? `${matrix(p.covariances)} (shared)` : "shared";
        if (type === "diag") return `variances ${fixed(p.covariances[k][0], 3)}, ${fixed(p.covariances[k][1], 3)}`;
        return `variance ${fixed(p.covariances[k], 3)}`;
      };
      const head = el("tr", {}, ["component", "weight πₖ", "mean μₖ", "covariance Σₖ"].map((h) => el("th", { scope: "col" }, h)));
      const rows = p.means.map((mean, k) => {
        const marker = svgEl("svg", { viewBox: "-12 -12 24 24", width: "18", height: "18", "aria-hidden": "true" });
        marker.append(svgEl("path", { d: shapePath(k, 0, 0, 8), fill: COLORS[k], stroke: "#222", "stroke-width": "1" }));
        const name = el("th", { scope: "row" }, [marker, ` ${k + 1} (${COLOR_NAMES[k]})`]);
        return el("tr", {}, [name, el("td", {}, fixed(p.weights[k], 3)), el("td", {}, pair(mean, 3)), el("td", {}, covariance(k))]);
      });
      const caption = el("caption", {}, `The parameters ${theta(this.t)} (covariance type ${type})`);
      this.table.replaceChildren(caption, el("thead", {}, head), el("tbody", {}, rows));
      const summary = `${this.X.length} points` + (this.shown ? `, coloured by the responsibilities of ${theta(this.shown.of)}` : ", in grey") +
        `. ${this.K} components drawn as ellipses at Mahalanobis radius c = 1 and 2 around their means: ` +
        p.means.map((mean, k) => `component ${k + 1}, ${COLOR_NAMES[k]} ${SHAPE_NAMES[k]}, weight ${fixed(p.weights[k], 2)}, mean ${pair(mean)}`).join("; ") + ".";
      this.summary.textContent = summary;
    }

    renderPython() {
      const start = this.start;
      const K = this.K;
      const dataset = G.datasets[this.datasetKey];
      const own = this.X.slice(this.X.length - this.nOwn);
      const list = (array) => JSON.stringify(array).replace(/,/g, ", ");
      const ownArray = `np.array(${list(own)})`;
      let X;
      if (!dataset) X = `X = ${ownArray}`;
      else if (this.nOwn) X = `X = np.vstack([${dataset.python}, ${ownArray}])`;
      else X = `X = ${dataset.python}`;
      const v = start.covariances.flat(2)[0];
      const covariances = {
        full: `np.stack([${v} * np.eye(2)] * ${K})`,
        tied: `${v} * np.eye(2)`,
        diag: `np.full((${K}, 2), ${v})`,
        spherical: `np.full(${K}, ${v})`,
      }[this.covarianceType];
      this.python.textContent = [
        "import numpy as np",
        "from gmm_teach import em",
        "from gmm_teach.teaching import datasets",
        "",
        X,
        `weights = np.full(${K}, 1 / ${K})`,
        `means = np.array(${list(start.means)})`,
        `covariances = ${covariances}  # sigma0**2 I with sigma0 = ${this.spread}`,
        `result = em.em(X, weights, means, covariances, covariance_type="${this.covarianceType}",`,
        `               max_iter=${this.maxIter}, tol=${this.tol}, reg_covar=${this.regCovar})`,
        "print(result.n_iter, result.converged, result.final_log_likelihood)",
      ].join("\n");
    }

    renderButtons() {
      const b = this.buttons;
      const ready = Boolean(this.current);
      const eDone = Boolean(this.shown && this.shown.of === this.t);
      const enable = (button, on) => button.setAttribute("aria-disabled", String(!on));
      enable(b.eStep, ready && !eDone);
      enable(b.mStep, ready && eDone);
      enable(b.iterate, ready);
      enable(b.run, ready && (!this.stopped() || this.timer !== null));
      enable(b.reset, this.t > 0 || Boolean(this.shown));
      enable(b.kmeanspp, this.X.length >= this.K);
      enable(b.randomPoints, this.X.length >= this.K);
      enable(b.clear, this.X.length > 0);
      b.run.textContent = this.timer !== null ? "Pause" : "Run";
      this.spreadValue.textContent = fixed(this.spread, 2);
    }

    announce(message) {
      this.status.textContent = message;
    }
  }

  function startAll() {
    G.instances = G.instances || [];
    document.querySelectorAll("div.gmm-explorer:not(.gx-ready)").forEach((root) => {
      try {
        G.instances.push(new Explorer(root));
      } catch (error) {
        root.textContent = `The EM playground could not start: ${error.message}`;
      }
    });
  }

  G.Explorer = Explorer;
  G.startAll = startAll; // starts explorables added to the page later
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})(window);
