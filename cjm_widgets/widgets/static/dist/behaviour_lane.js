// Generated from cjm_widgets/widgets/static/src/behaviour_lane.js by scripts/build_js.mjs (npm run build): do not edit.

// cjm_widgets/widgets/static/src/_common.js
function el(tag, attrs = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === false || value === null || value === void 0) continue;
    if (key === "class") node.className = String(value);
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "style") {
      for (const [prop, v] of Object.entries(value)) node.style.setProperty(prop, String(v));
    } else if (key === "value" && "value" in node) {
      node.value = String(value);
    } else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === void 0 || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}
function errorBanner(model) {
  const text = el("span", { class: "cjm-error-text" });
  const dismiss = el("button", {
    type: "button",
    class: "cjm-error-dismiss",
    "aria-label": "Dismiss error",
    title: "Dismiss"
  }, ["×"]);
  const node = el("div", { class: "cjm-error", role: "alert", hidden: true }, [
    el("span", { class: "cjm-error-mark", "aria-hidden": "true" }, ["!"]),
    text,
    dismiss
  ]);
  let hidden = null;
  const update = () => {
    const message = String(model.get("error") || "");
    const show = message !== "" && message !== hidden;
    if (show) text.textContent = message;
    node.hidden = !show;
  };
  const onDismiss = () => {
    model.set("error", "");
    model.save_changes();
  };
  dismiss.addEventListener("click", onDismiss);
  model.on("change:error", update);
  update();
  return {
    node,
    hide(message) {
      hidden = message;
      update();
    },
    update,
    dispose() {
      dismiss.removeEventListener("click", onDismiss);
      model.off("change:error", update);
    }
  };
}

// cjm_widgets/widgets/static/src/behaviour_lane.js
function pct(v) {
  return v === null || v === void 0 ? "–" : `${(100 * v).toFixed(1)}%`;
}
function duration(s) {
  if (s === null || s === void 0) return "–";
  if (s < 3600) return `${Math.round(s / 60)} min`;
  if (s < 2 * 86400) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} d`;
}
function render({ model, el: host }) {
  const banner = errorBanner(model);
  const lane = el("div", { class: "cjm-bl-lane", role: "list" });
  const detail = el("div", { class: "cjm-bl-detail" });
  const root = el("div", { class: "cjm-bl" }, [
    banner.node,
    el("div", { class: "cjm-bl-title", text: "Behaviour: cases reaching each touchpoint" }),
    lane,
    detail
  ]);
  host.appendChild(root);
  const draw = () => {
    const points = model.get("points") || [];
    const selected = model.get("selected") || "";
    lane.replaceChildren(
      ...points.map((p) => {
        const bar = el("div", { class: "cjm-bl-bar" });
        bar.style.height = `${Math.max(0, Math.min(1, p.share || 0)) * 100}%`;
        const cell = el(
          "button",
          {
            class: "cjm-bl-cell" + (p.touchpoint_id === selected ? " cjm-bl-selected" : ""),
            role: "listitem",
            type: "button",
            title: `${p.touchpoint}: ${p.cases} cases (${pct(p.share)}, 95% CI ${pct(
              p.ci_low
            )}–${pct(p.ci_high)}); ${p.left} left after`,
            dataset: { touchpoint: p.touchpoint_id },
            "aria-pressed": p.touchpoint_id === selected ? "true" : "false"
          },
          [
            el("div", { class: "cjm-bl-track" }, [bar]),
            el("div", { class: "cjm-bl-name", text: p.touchpoint }),
            el("div", { class: "cjm-bl-n", text: `${p.cases} · ${pct(p.share)}` }),
            el("div", { class: "cjm-bl-left", text: p.left ? `${p.left} left` : "" })
          ]
        );
        cell.addEventListener("click", () => {
          model.set("selected", p.touchpoint_id === selected ? "" : p.touchpoint_id);
          model.save_changes();
        });
        return cell;
      })
    );
    const flows = model.get("flows") || [];
    if (!selected) {
      detail.replaceChildren(
        el("p", { class: "cjm-bl-hint", text: "Click a touchpoint to see its flows." })
      );
      return;
    }
    const rows = flows.map(
      (f) => el("tr", { class: `cjm-bl-${f.direction}` }, [
        el("td", { text: f.direction === "in" ? "from" : "to" }),
        el("td", { text: f.other }),
        el("td", { text: String(f.count) }),
        el("td", { text: pct(f.share) }),
        el("td", { text: duration(f.median_s) })
      ])
    );
    detail.replaceChildren(
      el("table", { class: "cjm-bl-flows" }, [
        el("thead", {}, [
          el("tr", {}, [
            el("th", { text: "" }),
            el("th", { text: "Touchpoint" }),
            el("th", { text: "Count" }),
            el("th", { text: "Share" }),
            el("th", { text: "Median time" })
          ])
        ]),
        el("tbody", {}, rows)
      ])
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
var behaviour_lane_default = { render };
export {
  behaviour_lane_default as default
};
