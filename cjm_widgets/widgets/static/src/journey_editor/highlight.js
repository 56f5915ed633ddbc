// @ts-check
/*
 * The `highlight` trait on the board: touchpoint ids (e.g. a theme's touchpoints, set by the
 * Workspace) whose cards and emotion-lane points are marked with `cjm-is-highlighted`.
 * Applied after every redraw and on each change of the trait; nothing else is redrawn.
 */

/**
 * Mark the cards (`.cjm-tp[data-tp]`) and lane points (`[data-lane-tp]`) of `ids` under
 * `root`, unmark the others; the root's `data-highlight` lists the ids (for tests and CSS).
 * @param {HTMLElement} root
 * @param {readonly string[]} ids
 */
export function applyHighlight(root, ids) {
  const wanted = new Set(ids);
  root.dataset.highlight = [...wanted].join(" ");
  for (const node of root.querySelectorAll(".cjm-tp[data-tp], [data-lane-tp]")) {
    const tp = node.getAttribute("data-tp") ?? node.getAttribute("data-lane-tp") ?? "";
    node.classList.toggle("cjm-is-highlighted", wanted.has(tp));
  }
}
