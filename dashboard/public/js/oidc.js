// Sign-in with an OpenID Connect provider (in AWS: the Cognito user pool infra-cdk creates), for a page
// that cannot keep a secret: the authorization-code flow with PKCE (RFC 7636, S256) and `state`, the code
// exchanged at the token endpoint (same origin: CloudFront forwards /oauth2/token to Cognito), the tokens
// kept in sessionStorage (this tab only), refreshed before they expire, and a new sign-in when refreshing
// fails. The API's JWT authorizer checks issuer and audience (= the app client): the ID token carries
// `aud` = client id, `email` and `cognito:groups`, so that is the one sent as Bearer (docs/dashboard.md).

const TOKENS_KEY = 'hybridci.oidc.tokens';
const PENDING_KEY = 'hybridci.oidc.pending';
/** Refresh this long before the token's `exp`: a request must not arrive at the API a second too late. */
const EXPIRY_MARGIN_MILLIS = 60_000;
const ROLES = ['viewer', 'operator', 'admin'];

/** Why sign-in could not finish; shown on the page. */
export class SignInError extends Error {}

/**
 * The page's settings, written next to index.html by the deployment. The local cloud serves
 * `{"mode": "local"}` (public/config.json) and the page asks for the admin token instead.
 */
export async function loadConfig() {
  const response = await fetch('config.json', { cache: 'no-store' });
  if (!response.ok) return { mode: 'local' };
  const config = await response.json();
  if (config.mode === 'oidc') {
    for (const key of ['clientId', 'redirectUri', 'authorizationEndpoint', 'tokenEndpoint']) {
      if (!config.oidc?.[key]) throw new SignInError(`config.json names no oidc.${key}`);
    }
  }
  return config;
}

function base64url(bytes) {
  let text = '';
  for (const byte of new Uint8Array(bytes)) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomText(byteCount = 32) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The claims of a JWT, unchecked: the API checks the signature; the page only reads who and until when. */
export function claimsOf(jwt) {
  const payload = jwt.split('.')[1] ?? '';
  const padded = payload.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((payload.length + 3) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** The highest of viewer < operator < admin among the groups (`cognito:groups`, or `groups` of another provider). */
export function roleOf(claims) {
  let groups = claims['cognito:groups'] ?? claims.groups ?? [];
  if (typeof groups === 'string') groups = groups.split(/[\s,]+/);
  let best = null;
  for (const role of ROLES) if (groups.includes(role)) best = role;
  return best;
}

export class OidcSession {
  constructor(settings) {
    this.settings = settings;
  }

  /** The stored tokens ({ idToken, accessToken, refreshToken, expiresAt }) or null. */
  tokens() {
    try { return JSON.parse(sessionStorage.getItem(TOKENS_KEY)); } catch { return null; }
  }

  signedIn() {
    return this.tokens() !== null;
  }

  /** Who is signed in, from the ID token: { subject, email, role }. */
  identity() {
    const tokens = this.tokens();
    if (!tokens) return null;
    const claims = claimsOf(tokens.idToken);
    return { subject: claims.sub, email: claims.email ?? claims['cognito:username'] ?? claims.sub, role: roleOf(claims) };
  }

  #redirecting = false;
  #refreshing = null;

  /** Sends the browser to the provider's sign-in page; the page comes back to redirectUri with a code. */
  async signIn() {
    // Several refused calls at once must not start several sign-ins: the last one's state would win.
    if (this.#redirecting) return;
    this.#redirecting = true;
    const verifier = randomText(48);
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const state = randomText();
    const nonce = randomText();
    sessionStorage.setItem(PENDING_KEY, JSON.stringify({
      verifier, state, nonce, returnTo: location.pathname + location.search + location.hash,
    }));
    const url = new URL(this.settings.authorizationEndpoint, location.href);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.settings.clientId,
      redirect_uri: this.settings.redirectUri,
      scope: this.settings.scope ?? 'openid email profile',
      state,
      nonce,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    location.assign(url.toString());
  }

  /**
   * When the page is the provider's answer (?code=…&state=… or ?error=…): checks `state` against the one
   * this tab sent, exchanges the code with the PKCE verifier, keeps the tokens and puts the address back
   * to where sign-in started. Resolves to true when it handled an answer. A code is single-use, so the
   * address is cleaned before anything can fail and be reloaded.
   */
  async completeSignIn() {
    const params = new URLSearchParams(location.search);
    if (!params.has('code') && !params.has('error')) return false;
    const pending = JSON.parse(sessionStorage.getItem(PENDING_KEY) ?? 'null');
    sessionStorage.removeItem(PENDING_KEY);
    history.replaceState(null, '', pending?.returnTo ?? location.pathname);
    if (params.has('error')) {
      throw new SignInError(`the sign-in provider answered ${params.get('error')}: ${params.get('error_description') ?? ''}`.trim());
    }
    if (!pending || params.get('state') !== pending.state) {
      throw new SignInError('the sign-in answer does not belong to this tab (state mismatch); sign in again');
    }
    const answer = await this.#tokenRequest({
      grant_type: 'authorization_code',
      client_id: this.settings.clientId,
      code: params.get('code'),
      redirect_uri: this.settings.redirectUri,
      code_verifier: pending.verifier,
    });
    if (claimsOf(answer.id_token).nonce !== pending.nonce) {
      throw new SignInError('the ID token was not issued for this sign-in (nonce mismatch)');
    }
    this.#keep(answer, null);
    return true;
  }

  /** The token for `Authorization: Bearer`, refreshed first when it is about to expire; null when signed out. */
  async bearer() {
    const tokens = this.tokens();
    if (!tokens) return null;
    if (Date.now() < tokens.expiresAt - EXPIRY_MARGIN_MILLIS) return tokens.idToken;
    return (await this.refresh()) ? this.tokens().idToken : null;
  }

  /** New tokens from the refresh token; false (and signed out) when the provider refuses it. One at a time. */
  refresh() {
    this.#refreshing ??= this.#refresh().finally(() => { this.#refreshing = null; });
    return this.#refreshing;
  }

  async #refresh() {
    const tokens = this.tokens();
    if (!tokens?.refreshToken) {
      this.forget();
      return false;
    }
    try {
      const answer = await this.#tokenRequest({
        grant_type: 'refresh_token', client_id: this.settings.clientId, refresh_token: tokens.refreshToken,
      });
      this.#keep(answer, tokens.refreshToken);
      return true;
    } catch {
      this.forget();
      return false;
    }
  }

  forget() {
    sessionStorage.removeItem(TOKENS_KEY);
  }

  /** Forgets the tokens here and ends the provider's session (Cognito's /logout), which returns to the page. */
  signOut() {
    this.forget();
    if (!this.settings.logoutEndpoint) {
      location.reload();
      return;
    }
    const url = new URL(this.settings.logoutEndpoint, location.href);
    url.search = new URLSearchParams({ client_id: this.settings.clientId, logout_uri: this.settings.redirectUri }).toString();
    location.assign(url.toString());
  }

  async #tokenRequest(form) {
    const response = await fetch(new URL(this.settings.tokenEndpoint, location.href), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
      cache: 'no-store',
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok || !answer.id_token) {
      throw new SignInError(`the token endpoint refused the ${form.grant_type === 'refresh_token' ? 'refresh' : 'code'}: `
        + `${answer.error ?? 'HTTP ' + response.status}${answer.error_description ? ' (' + answer.error_description + ')' : ''}`);
    }
    return answer;
  }

  /** Keeps the answer; a refresh answer has no refresh token of its own (Cognito), so the old one stays. */
  #keep(answer, previousRefreshToken) {
    const expiresAt = (claimsOf(answer.id_token).exp ?? 0) * 1000;
    sessionStorage.setItem(TOKENS_KEY, JSON.stringify({
      idToken: answer.id_token,
      accessToken: answer.access_token ?? null,
      refreshToken: answer.refresh_token ?? previousRefreshToken,
      expiresAt,
    }));
  }
}
