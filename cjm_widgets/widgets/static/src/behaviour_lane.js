// @ts-check
/*
 * The behaviour lane: one cell per touchpoint in journey order (a bar of the share of cases
 * reaching it, its n and the cases leaving after it); a click selects the touchpoint and the
 * table below lists its flows. All text goes in as textContent.
 */
import { el, errorBanner } from "./_common.js";

/** @param {number | null} v */
function pct(v) {
  return v === null || v === undefined ? "–" : `${(100 * v).toFixed(1)}%`;
}

/** @param {number | null} s */
function duration(s) {
  if (s === null || s === undefined) return "–";
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}

/** @param {{ model: import("./_common.js").CjmModel, el: HTMLElement }} ctx */
function render({ model, el: host }) {
  const banner = errorBanner(model);
  const lane = el("div", { class: "cjm-bl-lane", role: "list" });
  const detail = el("div", { class: "cjm-bl-detail" });
  const root = el("div", { class: "cjm-bl" }, [
    banner.node,
    el("div", { class: "cjm-bl-title", text: "Behaviour: cases reaching each touchpoint" }),
    lane,
    detail,
  ]);
  host.appendChild(root);

  const draw = () => {
    const points = model.get("points") || [];
    const selected = model.get("selected") || "";
    lane.replaceChildren(
      ...points.map((/** @type {any} */ p) => {
        const bar = el("div", { class: "cjm-bl-bar" });
        bar.style.height = `${Math.max(0, Math.min(1, p.share || 0)) * 100}%`;
        const cell = el(
          "button",
          {
            class: "cjm-bl-cell" + (p.touchpoint_id === selected ? " cjm-bl-selected" : ""),
            role: "listitem",
            type: "button",
            title: `${p.touchpoint}: ${p.cases} cases (${pct(p.share)}, 95% CI ${pct(
              p.ci_low,
            )}–${pct(p.ci_high)}); ${p.left} left after`,
            dataset: { touchpoint: p.touchpoint_id },
            "aria-pressed": p.touchpoint_id === selected ? "true" : "false",
          },
          [
            el("div", { class: "cjm-bl-track" }, [bar]),
            el("div", { class: "cjm-bl-name", text: p.touchpoint }),
            el("div", { class: "cjm-bl-n", text: `${p.cases} · ${pct(p.share)}` }),
            el("div", { class: "cjm-bl-left", text: p.left ? `${p.left} left` : "" }),
          ],
        );
        cell.addEventListener("click", () => {
          model.set("selected", p.touchpoint_id === selected ? "" : p.touchpoint_id);
          model.save_changes();
        });
        return cell;
      }),
    );
    const flows = model.get("flows") || [];
    if (!selected) {
      detail.replaceChildren(
        el("p", { class: "cjm-bl-hint", text: "Click a touchpoint to see its flows." }),
      );
      return;
    }
    const rows = flows.map((/** @type {any} */ f) =>
      el("tr", { class: `cjm-bl-${f.direction}` }, [
        el("td", { text: f.direction === "in" ? "from" : "to" }),
        el("td", { text: f.other }),
        el("td", { text: String(f.count) }),
        el("td", { text: pct(f.share) }),
        el("td", { text: duration(f.median_s) }),
      ]),
    );
    detail.replaceChildren(
      el("table", { class: "cjm-bl-flows" }, [
        el("thead", {}, [
          el("tr", {}, [
            el("th", { text: "" }),
            el("th", { text: "Touchpoint" }),
            el("th", { text: "Count" }),
            el("th", { text: "Share" }),
            el("th", { text: "Median time" }),
          ]),
        ]),
        el("tbody", {}, rows),
      ]),
    );
  };
  draw();
  const names = ["change:points", "change:selected", "change:flows"];
  for (const name of names) model.on(name, draw);
  return () => {
    for (const name of names) model.off(name, draw);
    banner.dispose();
    root.remove();
  };
}

export default { render };
