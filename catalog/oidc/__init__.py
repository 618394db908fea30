"""Sign-in through the government's identity provider (统一身份认证) with OpenID Connect.

    config.OidcConfig.from_settings(settings)   → None when OIDC is not configured
    claims_map.load_claims_map(path)           → the table mapping claims to a role and a department
    provider.IdentityProvider(config, http)    discovery and JWKS (cached, refreshed on an unknown kid),
                                               JWT verification (iss, aud, exp, nbf, alg allow-list)
    sign_in.begin / sign_in.finish             the authorization-code flow with PKCE, state and nonce
    access_tokens.actor_for_access_token       the API's Bearer check for the provider's JWT access tokens

No HTTP here: the provider is reached through the small `ProviderHttp` client the door injects
(`api/oidc_http.py`). May import catalog.auth, catalog.errors and catalog.settings; nothing imports it but
the doors and `catalog.web_sessions`.
"""
