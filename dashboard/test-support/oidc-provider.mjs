// A tiny OpenID Connect provider and a stand-in for the AWS edge, for the sign-in tests, on 127.0.0.1 only:
//
//   issuer (its own origin, like Cognito's hosted UI): /oauth2/authorize redirects back with a code for the
//     test's current user (no form), /logout, /.well-known/openid-configuration, /.well-known/jwks.json.
//   site (the page's origin, like CloudFront): dashboard/public with a config.json naming the issuer;
//     POST /oauth2/token (CloudFront forwards it to Cognito) checks the PKCE verifier against the challenge and
//     returns RS256-signed tokens; /api/v1/* checks the Bearer JWT as API Gateway's JWT authorizer does
//     (signature, iss, aud = client id, exp) and forwards the call to the local cloud.
//
// The local cloud has no JWT authorizer (it takes the admin token), so the forwarded call carries the admin
// token: what these tests check is the sign-in and what the page and the CLI send; the role rules of the API
// are the api function's own tests (AdminAuthenticator).
import { createHash, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';

export const CLIENT_ID = 'hybridci-test-client';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml', '.json': 'application/json', '.png': 'image/png',
};

const base64url = (buffer) => Buffer.from(buffer).toString('base64url');

function listen(handler) {
  const server = createServer((request, response) => {
    // Chromium asks every origin for /favicon.ico (the provider's page, an image shown alone): no icon, no 404.
    if (request.url === '/favicon.ico') {
      response.writeHead(204);
      response.end();
      return;
    }
    handler(request, response).catch((failure) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(failure?.stack ?? failure));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function body(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function json(response, status, value) {
  response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
  response.end(JSON.stringify(value));
}

function redirect(response, location) {
  response.writeHead(302, { location, 'cache-control': 'no-store' });
  response.end();
}

/**
 * @param publicDir dashboard/public
 * @param apiTarget the local cloud's base URL; /api/v1 calls are forwarded there
 * @param adminToken what the forwarded call carries (the local cloud's own authentication)
 */
export async function startOidcProvider({ publicDir, apiTarget, adminToken }) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = base64url(randomBytes(8));
  const state = {
    /** Who the next sign-in is: the provider signs whoever the test says, without a form. */
    user: { sub: 'user-1', email: 'mona@example.com', groups: ['operator'] },
    /** When false, /oauth2/authorize shows a sign-in page instead of redirecting (after a sign-out). */
    autoApprove: true,
    tokenSeconds: 3600,
    /** Tokens (ID, access, refresh) the API stand-in and the token endpoint refuse from now on. */
    revoked: new Set(),
    authorizations: [], // the query of every /oauth2/authorize
    tokenRequests: [], // { form, verifierMatches }
    apiRequests: [], // { method, path, authorization, status }
    logouts: [], // the query of every /logout
    codes: new Map(), // code → { clientId, redirectUri, challenge, method, nonce, user }
    refreshTokens: new Map(), // refresh token → { user }
    issued: [], // every ID token handed out, in order
  };

  function jwt(claims) {
    const header = base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }));
    const payload = base64url(JSON.stringify(claims));
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), privateKey);
    return `${header}.${payload}.${base64url(signature)}`;
  }

  /** The claims when the token is one of ours, unexpired and not revoked; null otherwise (API Gateway's checks). */
  function verified(token) {
    const [header, payload, signature] = (token ?? '').split('.');
    if (!signature) return null;
    const ok = verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
    if (!ok) return null;
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const now = Date.now() / 1000;
    if (claims.iss !== provider.issuer || claims.aud !== CLIENT_ID || claims.exp <= now || state.revoked.has(token)) return null;
    return claims;
  }

  function tokensFor(user, nonce) {
    const iat = Math.floor(Date.now() / 1000);
    const common = { iss: provider.issuer, sub: user.sub, iat, exp: iat + state.tokenSeconds, 'cognito:groups': user.groups };
    const idToken = jwt({ ...common, aud: CLIENT_ID, email: user.email, token_use: 'id', ...(nonce ? { nonce } : {}) });
    const accessToken = jwt({ ...common, client_id: CLIENT_ID, token_use: 'access', scope: 'openid email profile' });
    state.issued.push(idToken);
    return { id_token: idToken, access_token: accessToken, token_type: 'Bearer', expires_in: state.tokenSeconds };
  }

  const issuerServer = await listen(async (request, response) => {
    const url = new URL(request.url, provider.issuer);
    if (url.pathname === '/oauth2/authorize') {
      const query = Object.fromEntries(url.searchParams);
      state.authorizations.push(query);
      const allowed = [provider.redirectUri];
      const loopback = /^http:\/\/localhost:\d+\/callback$/.test(query.redirect_uri ?? '');
      if (query.client_id !== CLIENT_ID || !(allowed.includes(query.redirect_uri) || loopback)) {
        json(response, 400, { error: 'invalid_request', error_description: 'unknown client or redirect_uri' });
        return;
      }
      if (query.response_type !== 'code' || query.code_challenge_method !== 'S256' || !query.code_challenge || !query.state) {
        redirect(response, `${query.redirect_uri}?error=invalid_request&state=${encodeURIComponent(query.state ?? '')}`);
        return;
      }
      if (!state.autoApprove) {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<!doctype html><title>Sign in</title><h1 id="provider-sign-in">Sign in to the test provider</h1>');
        return;
      }
      const code = base64url(randomBytes(16));
      state.codes.set(code, {
        clientId: query.client_id, redirectUri: query.redirect_uri, challenge: query.code_challenge,
        nonce: query.nonce, user: structuredClone(state.user),
      });
      redirect(response, `${query.redirect_uri}?code=${code}&state=${encodeURIComponent(query.state)}`);
      return;
    }
    if (url.pathname === '/logout') {
      const query = Object.fromEntries(url.searchParams);
      state.logouts.push(query);
      redirect(response, query.logout_uri);
      return;
    }
    if (url.pathname === '/.well-known/jwks.json') {
      json(response, 200, { keys: [{ ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] });
      return;
    }
    if (url.pathname === '/.well-known/openid-configuration') {
      json(response, 200, {
        issuer: provider.issuer, authorization_endpoint: `${provider.issuer}/oauth2/authorize`,
        token_endpoint: `${provider.site}/oauth2/token`, jwks_uri: `${provider.issuer}/.well-known/jwks.json`,
        code_challenge_methods_supported: ['S256'],
      });
      return;
    }
    json(response, 404, { error: 'not_found' });
  });

  async function token(request, response) {
    const form = Object.fromEntries(new URLSearchParams((await body(request)).toString()));
    const entry = { form, verifierMatches: null };
    state.tokenRequests.push(entry);
    if (form.client_id !== CLIENT_ID) {
      json(response, 401, { error: 'invalid_client' });
      return;
    }
    if (form.grant_type === 'authorization_code') {
      const pending = state.codes.get(form.code);
      state.codes.delete(form.code); // single use
      if (!pending || pending.redirectUri !== form.redirect_uri) {
        json(response, 400, { error: 'invalid_grant', error_description: 'unknown code or redirect_uri' });
        return;
      }
      entry.verifierMatches = base64url(createHash('sha256').update(form.code_verifier ?? '').digest()) === pending.challenge;
      if (!entry.verifierMatches) {
        json(response, 400, { error: 'invalid_grant', error_description: 'code_verifier does not match the challenge' });
        return;
      }
      const refreshToken = base64url(randomBytes(24));
      state.refreshTokens.set(refreshToken, { user: pending.user });
      json(response, 200, { ...tokensFor(pending.user, pending.nonce), refresh_token: refreshToken });
      return;
    }
    if (form.grant_type === 'refresh_token') {
      const known = state.refreshTokens.get(form.refresh_token);
      if (!known || state.revoked.has(form.refresh_token)) {
        json(response, 400, { error: 'invalid_grant', error_description: 'refresh token revoked' });
        return;
      }
      // As Cognito: new ID and access tokens, no new refresh token.
      json(response, 200, tokensFor(known.user, null));
      return;
    }
    json(response, 400, { error: 'unsupported_grant_type' });
  }

  async function forward(request, response, url) {
    const authorization = request.headers.authorization ?? null;
    const record = { method: request.method, path: url.pathname + url.search, authorization, status: null };
    state.apiRequests.push(record);
    const claims = verified(authorization?.startsWith('Bearer ') ? authorization.slice(7) : null);
    if (!claims) {
      record.status = 401;
      json(response, 401, { message: 'Unauthorized' });
      return;
    }
    const payload = request.method === 'GET' || request.method === 'HEAD' ? undefined : await body(request);
    const upstream = await fetch(`${apiTarget}${url.pathname}${url.search}`, {
      method: request.method,
      headers: { authorization: `Bearer ${adminToken}`, accept: 'application/json',
        ...(request.headers['content-type'] ? { 'content-type': request.headers['content-type'] } : {}) },
      body: payload,
    });
    record.status = upstream.status;
    response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await upstream.arrayBuffer()));
  }

  const siteServer = await listen(async (request, response) => {
    const url = new URL(request.url, provider.site);
    if (url.pathname === '/oauth2/token' && request.method === 'POST') return token(request, response);
    if (url.pathname.startsWith('/api/v1/')) return forward(request, response, url);
    if (url.pathname === '/config.json') {
      json(response, 200, {
        mode: 'oidc', apiBase: '/api/v1', apiUrl: `${provider.site}/api/v1`,
        oidc: {
          issuer: provider.issuer, clientId: CLIENT_ID, redirectUri: provider.redirectUri,
          authorizationEndpoint: `${provider.issuer}/oauth2/authorize`, tokenEndpoint: '/oauth2/token',
          logoutEndpoint: `${provider.issuer}/logout`, scope: 'openid email profile',
          cliRedirectUri: 'http://localhost:8976/callback',
        },
      });
      return;
    }
    const relative = normalize(url.pathname === '/' ? '/index.html' : url.pathname);
    if (relative.includes('..')) {
      json(response, 404, { error: 'not_found' });
      return;
    }
    try {
      const content = await readFile(join(publicDir, relative));
      response.writeHead(200, { 'content-type': TYPES[extname(relative)] ?? 'application/octet-stream' });
      response.end(content);
    } catch {
      json(response, 404, { error: 'not_found' });
    }
  });

  const provider = {
    state,
    CLIENT_ID,
    issuer: `http://127.0.0.1:${issuerServer.address().port}`,
    site: `http://127.0.0.1:${siteServer.address().port}`,
    get redirectUri() { return `${this.site}/`; },
    /** Every token issued so far stops working, refresh tokens included (a revoked session). */
    revokeAll() {
      for (const token of [...state.issued, ...state.refreshTokens.keys()]) state.revoked.add(token);
    },
    async close() {
      await Promise.all([issuerServer, siteServer].map((server) => new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      })));
    },
  };
  return provider;
}
