// A real OpenID provider (oidc-provider, certified) on loopback for mulu's OIDC tests.
//   node provider.js PORT            (env: OIDC_JWKS = private JWK set as JSON, OIDC_REDIRECT_URIS = comma list)
// Issuer http://127.0.0.1:PORT. Clients: "mulu-web" (authorization code + PKCE, the web sign-in) and
// machine clients for client_credentials with JWT access tokens for the resource urn:mulu:api.
// Any login name works at the interaction page (devInteractions); ACCOUNTS gives the test accounts' claims.
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const issuer = `http://127.0.0.1:${port}`;
const SHORT = 'urn:mulu:api:short-lived'; // same audience, 1-second tokens (expiry tests)

const ACCOUNTS = {
  zhangsan: { name: '张三', department_code: 'ORG-TAX', roles: ['mulu-steward'] },
  lisi: { name: '李四', department_code: 'ORG-NONE', roles: ['staff'] },
};
const MACHINES = {
  'svc-tax': { department_code: 'ORG-TAX', roles: ['mulu-steward'] },
  'svc-nobody': { roles: ['staff'] },
  'svc-other': { department_code: 'ORG-TAX', roles: ['mulu-steward'] },
};
const secret = (id) => `${id}-secret`;
const machine = (client_id) => ({
  client_id, client_secret: secret(client_id), grant_types: ['client_credentials'],
  response_types: [], redirect_uris: [],
});

const provider = new Provider(issuer, {
  clients: [
    { client_id: 'mulu-web', client_secret: secret('mulu-web'), grant_types: ['authorization_code'],
      response_types: ['code'], redirect_uris: (process.env.OIDC_REDIRECT_URIS || '').split(',').filter(Boolean) },
    ...Object.keys(MACHINES).map(machine),
  ],
  jwks: JSON.parse(process.env.OIDC_JWKS),
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name'], mulu: ['department_code', 'roles'] },
  scopes: ['openid', 'profile', 'mulu'],
  async findAccount(ctx, id) {
    const claims = ACCOUNTS[id];
    return claims && { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  features: {
    devInteractions: { enabled: true },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      useGrantedResource: () => true,
      async getResourceServerInfo(ctx, resource) {
        // svc-other may only get tokens for another service: its requests name urn:other:api
        return { audience: resource === SHORT ? 'urn:mulu:api' : resource, scope: 'api',
                 accessTokenFormat: 'jwt', accessTokenTTL: resource === SHORT ? 1 : 300 };
      },
    },
  },
  async extraTokenClaims(ctx, token) {
    if (token.kind !== 'ClientCredentials' && token.accountId) {
      const { sub, ...claims } = ACCOUNTS[token.accountId] || {};
      return claims;
    }
    return MACHINES[token.clientId];
  },
});
provider.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
