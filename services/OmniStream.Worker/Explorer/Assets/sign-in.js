// The explorer's sign-in: a bearer token (pasted, or brought in the address's fragment by a sign-in link, which never
// reaches a server's logs) opens a session; the server keeps it in an HttpOnly cookie, out of this script's reach.
"use strict";

const status = document.getElementById("status");

async function signIn(token, customer) {
  status.textContent = "Signing in…";
  const response = await fetch("session", { method: "POST", headers: { Authorization: `Bearer ${token}` }, credentials: "same-origin" });
  if (response.ok) {
    location.replace("../explorer" + (customer ? `#customer=${encodeURIComponent(customer)}` : ""));
    return;
  }
  const body = await response.json().catch(() => ({}));
  status.textContent = response.status === 403
    ? `This token may not read customers: ${body.error ?? "permission customers:read missing"}`
    : `Sign-in refused (${response.status}): ${body.error ?? "the token is not valid here"}`;
}

const fragment = new URLSearchParams(location.hash.slice(1));
// The token leaves the address bar and the history at once.
history.replaceState(null, "", location.pathname);
if (fragment.get("token")) {
  signIn(fragment.get("token"), fragment.get("customer"));
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
