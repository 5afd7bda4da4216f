// Small SVG charts for the explorer's marketing view: bars per label and a line over windows. Labels go in as text.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";

function svgNode(tag, attributes = {}, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// items: [{ label, value }] (value null: no data, drawn as an empty slot); format: value → text.
function barChart(svg, items, format) {
  svg.replaceChildren();
  const width = 420, row = 22, labelWidth = 150;
  const height = Math.max(row, items.length * row);
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const values = items.map(i => i.value).filter(v => v !== null && v !== undefined);
  const min = Math.min(0, ...values), max = Math.max(0, ...values, min + 1e-9);
  const x = v => labelWidth + ((v - min) / (max - min)) * (width - labelWidth - 60);
  items.forEach((item, i) => {
    const y = i * row;
    svg.append(svgNode("text", { x: 0, y: y + 15, class: "label" }, item.label));
    if (item.value === null || item.value === undefined) {
      svg.append(svgNode("text", { x: labelWidth, y: y + 15, class: "muted" }, "no data"));
      return;
    }
    const from = x(Math.min(0, item.value)), to = x(Math.max(0, item.value));
    svg.append(svgNode("rect", { x: from, y: y + 4, width: Math.max(1, to - from), height: row - 8, class: "bar" }));
    svg.append(svgNode("text", { x: to + 4, y: y + 15, class: "value" }, format(item.value)));
  });
  svg.dataset.bars = String(values.length);
}

// points: [{ label, value }] oldest first.
function lineChart(svg, points, format) {
  svg.replaceChildren();
  const width = 420, height = 120, pad = 24;
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  const known = points.filter(p => p.value !== null && p.value !== undefined);
  const max = Math.max(1e-9, ...known.map(p => p.value));
  const x = i => pad + (points.length <= 1 ? 0 : (i / (points.length - 1)) * (width - 2 * pad));
  const y = v => height - pad - (v / max) * (height - 2 * pad);
  const line = points.map((p, i) => p.value === null || p.value === undefined ? null : `${x(i).toFixed(1)},${y(p.value).toFixed(1)}`).filter(Boolean);
  svg.append(svgNode("polyline", { points: line.join(" "), class: "line" }));
  points.forEach((p, i) => {
    if (p.value !== null && p.value !== undefined) svg.append(svgNode("circle", { cx: x(i), cy: y(p.value), r: 3, class: "dot" }));
  });
  svg.append(svgNode("text", { x: 2, y: 12, class: "muted" }, `max ${format(max)}`));
  if (points.length) {
    svg.append(svgNode("text", { x: pad, y: height - 4, class: "muted" }, points[0].label));
    svg.append(svgNode("text", { x: width - pad, y: height - 4, class: "muted", "text-anchor": "end" }, points[points.length - 1].label));
  }
  svg.dataset.points = String(known.length);
}
