// An OpenID Connect provider for trying the explorer's sign-in and for its tests (oauth2-mock-server): every sign-in
// succeeds at once as the given subject. Never for production.
//   node serve.mjs [port] [permissions, comma-separated] [subject]
// prints "issuer http://127.0.0.1:PORT" once it listens. Its access tokens are for the services (audience omnistream)
// and carry the permissions; its id tokens are for the client that signs in.
import { OAuth2Server, Events } from "oauth2-mock-server";

const [port = "0", permissions = "customers:read,kpis:read", subject = "agent@example.com"] = process.argv.slice(2);
const server = new OAuth2Server();
await server.issuer.keys.generate("RS256");
server.service.on(Events.BeforeTokenSigning, token => {
  // The id token names its client as audience already; the access token is the one the services read.
  if (token.payload.aud === undefined) {
    token.payload.aud = "omnistream";
    token.payload.permissions = permissions.split(",").filter(Boolean);
  }
  token.payload.sub = subject;
});
await server.start(Number(port), "127.0.0.1");
console.log(`issuer ${server.issuer.url}`);
for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => server.stop().then(() => process.exit(0)));
}
