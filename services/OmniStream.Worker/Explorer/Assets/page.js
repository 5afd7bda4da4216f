// What every part of the explorer uses: building nodes (server text always goes in as text, never as markup), formats,
// and reading the API with the session's cookie (a 401 sends back to sign in).
"use strict";

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

function row(...cells) {
  return el("tr", {}, ...cells.map(cell => cell instanceof Node && cell.tagName === "TD" ? cell : el("td", {}, cell ?? "–")));
}

function fill(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [el("tr", { class: "empty" }, el("td", { colspan: columns }, empty))]));
}

// Times in UTC, to the second, the same for every reader.
function when(iso) {
  return iso ? new Date(iso).toISOString().replace("T", " ").slice(0, 19) + " UTC" : "–";
}

function number(value, digits = 0) {
  return value === null || value === undefined ? "–" : Number(value).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function percent(value, digits = 1) {
  return value === null || value === undefined ? "–" : `${(value * 100).toFixed(digits)} %`;
}

function showProblem(text) {
  document.getElementById("problem").textContent = text ?? "";
}

class SignedOut extends Error {}

// GET path (relative to the site); returns { status, body, etag }; 401 means the session ended.
async function api(path, etag) {
  const headers = { Accept: "application/json" };
  if (etag) headers["If-None-Match"] = etag;
  const response = await fetch(path, { headers, credentials: "same-origin", cache: "no-store" });
  if (response.status === 401) {
    location.assign("explorer/sign-in");
    throw new SignedOut("the session ended");
  }
  const body = response.status === 304 ? null : await response.json().catch(() => null);
  return { status: response.status, body, etag: response.headers.get("ETag") };
}
