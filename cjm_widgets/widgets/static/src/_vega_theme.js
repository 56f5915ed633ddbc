// @ts-check
/*
 * The curve's Vega chart in the host's theme: in a dark JupyterLab theme
 * (`document.body.dataset.jpThemeLight === "false"`, else the browser's colour scheme) the
 * chart gets a Vega config built from the `--jp-*` CSS variables (background, axes, legend,
 * text) and vega-embed's dark tooltip; `watchTheme` re-draws it when the theme changes.
 * `fitted` widens (or narrows) the plot to its pane when it is drawn; `fitWidth` is the width
 * a view is re-fitted to when its pane is resized.
 */

/** Whether the host is in a dark theme. */
export function isDark() {
  const light = typeof document !== "undefined" ? document.body.dataset.jpThemeLight : undefined;
  if (light === "false") return true;
  if (light === "true") return false;
  return typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
}

/**
 * A CSS variable's value at `node`, else `fallback`.
 * @param {Element} node
 * @param {string} name
 * @param {string} fallback
 */
function cssVar(node, name, fallback) {
  const value = getComputedStyle(node).getPropertyValue(name).trim();
  return value || fallback;
}

/**
 * The dark Vega-Lite config, from the JupyterLab variables at `node`.
 * @param {Element} node
 * @returns {Record<string, any>}
 */
export function darkConfig(node) {
  const bg = cssVar(node, "--jp-layout-color1", "#1e1e1e");
  const fg = cssVar(node, "--jp-ui-font-color1", "rgba(255, 255, 255, 0.87)");
  const fg2 = cssVar(node, "--jp-ui-font-color2", "rgba(255, 255, 255, 0.54)");
  const line = cssVar(node, "--jp-border-color2", "#424242");
  return {
    background: bg,
    view: { stroke: line },
    axis: { labelColor: fg2, titleColor: fg, gridColor: line, domainColor: fg2, tickColor: fg2 },
    legend: { labelColor: fg2, titleColor: fg },
    header: { labelColor: fg2, titleColor: fg },
    title: { color: fg, subtitleColor: fg2 },
    text: { color: fg },
  };
}

/**
 * `spec` with the dark config merged over its own config when the host is dark (in place).
 * @param {Record<string, any>} spec
 * @param {Element} node
 */
export function themed(spec, node) {
  if (!isDark()) return spec;
  const own = spec.config || {};
  const dark = darkConfig(node);
  /** @type {Record<string, any>} */
  const config = { ...own };
  for (const [key, value] of Object.entries(dark)) {
    config[key] = value && typeof value === "object" ? { ...(own[key] || {}), ...value } : value;
  }
  spec.config = config;
  return spec;
}

/**
 * vega-embed's options: SVG, no action menu, a tooltip in the host's theme placed beside the
 * point on the first side where it fits in the window (vega-tooltip's mark anchor), so a
 * point near the bottom of the pane shows its tooltip above it rather than cut off.
 */
export function embedOptions() {
  return { actions: false, renderer: /** @type {"svg"} */ ("svg"),
    tooltip: { theme: isDark() ? "dark" : "light", anchor: "mark",
      position: ["top", "bottom", "right", "left", "top-right", "top-left"] } };
}

/**
 * Call `callback` when JupyterLab switches between light and dark; returns the dispose.
 * @param {() => void} callback
 */
export function watchTheme(callback) {
  let dark = isDark();
  const observer = new MutationObserver(() => {
    if (isDark() !== dark) { dark = isDark(); callback(); }
  });
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-jp-theme-light"] });
  return () => observer.disconnect();
}

/**
 * The plot width that fills `node` (the chart's pane) now: the pane's width less `extra`, the
 * room for the axis, legend and padding (80 px until a drawn chart measures its own), at least
 * 300 px (narrower, the pane scrolls); null while the pane has no width (not laid out yet).
 * @param {HTMLElement} node
 * @param {number} [extra]
 * @returns {number | null}
 */
export function fitWidth(node, extra = 80) {
  const room = node.clientWidth - Math.max(0, extra);
  return room > 0 ? Math.max(300, room) : null;
}

/**
 * `spec` with its width set by `fitWidth` when the pane is known. A spec without a numeric
 * width is left alone. In place.
 * @param {Record<string, any>} spec
 * @param {HTMLElement} node
 */
export function fitted(spec, node) {
  const width = fitWidth(node);
  if (typeof spec.width === "number" && width !== null) spec.width = width;
  return spec;
}
