// The explorer's sign-in: a bearer token (pasted, or brought in the address's fragment by a sign-in link, which never
// reaches a server's logs) opens a session; the server keeps it in an HttpOnly cookie, out of this script's reach.
"use strict";

const status = document.getElementById("status");
const SignInTimeoutMs = 30000;

async function signIn(token, customer) {
  status.textContent = "Signing in…";
  let response;
  try {
    response = await fetch("session", { method: "POST", headers: { Authorization: `Bearer ${token}` }, credentials: "same-origin",
      signal: AbortSignal.timeout(SignInTimeoutMs) });
  } catch (error) {
    // The server did not answer in time (down, restarting, or the network): say so, rather than "Signing in…" for ever.
    status.textContent = `Sign-in failed: the server did not answer (${error.message}); try again`;
    return;
  }
  if (response.ok) {
    location.replace("../explorer" + (customer ? `#customer=${encodeURIComponent(customer)}` : ""));
    return;
  }
  const body = await response.json().catch(() => ({}));
  status.textContent = response.status === 403
    ? `This token may not read customers: ${body.error ?? "permission customers:read missing"}`
    : `Sign-in refused (${response.status}): ${body.error ?? "the token is not valid here"}`;
}

// Who a token names and what it allows, as its payload says (the server checks it; this is only for the reader to see).
function describe(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    const permissions = [].concat(payload.permissions ?? [], (payload.scope ?? "").split(" ").filter(Boolean));
    return `${payload.sub ?? "an unnamed caller"} (${permissions.join(", ") || "no permissions"})`;
  } catch {
    return "a token that cannot be read";
  }
}

const fragment = new URLSearchParams(location.hash.slice(1));
// The token leaves the address bar and the history at once.
history.replaceState(null, "", location.pathname);
// A link signs in only when its reader says so: a link from anyone else could otherwise sign them in as someone else.
if (fragment.get("token")) {
  const token = fragment.get("token");
  const offer = document.getElementById("link-sign-in");
  document.getElementById("link-identity").textContent = describe(token);
  offer.hidden = false;
  document.getElementById("link-confirm").addEventListener("click", () => signIn(token, fragment.get("customer")));
  document.getElementById("link-confirm").focus();
}
if (fragment.get("signed-out") !== null) {
  status.textContent = "Signed out.";
}
if (fragment.get("refused")) {
  status.textContent = `Sign-in refused: ${fragment.get("refused")}`;
}
fetch("sign-in/providers", { credentials: "same-origin" })
  .then(response => response.json())
  .then(providers => { document.getElementById("with-provider").hidden = !providers.identityProvider; })
  .catch(() => {});
document.getElementById("token-form").addEventListener("submit", event => {
  event.preventDefault();
  signIn(document.getElementById("token").value.trim(), null);
});
