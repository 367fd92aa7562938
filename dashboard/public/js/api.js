// The one place that talks to /api/v1: adds the bearer token (the admin token locally, the ID token
// of the OIDC sign-in in AWS), turns errors into exceptions with the API's own message, and, when the
// token is refused, lets the sign-in renew it (one retry) or ask again.

const TOKEN_KEY = 'hybridci.adminToken';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

let onUnauthorized = () => {};
export function whenUnauthorized(callback) {
  onUnauthorized = callback;
}

// Local mode: the admin token. The OIDC sign-in replaces both with its own (app.js).
let bearer = async () => token();
let renew = async () => false;
/**
 * @param tokenSource resolves to the token to send (refreshing it first when it is about to expire)
 * @param renewal after a 401: resolves to true when a new token is there to retry with once
 */
export function useBearer(tokenSource, renewal) {
  bearer = tokenSource;
  renew = renewal;
}

// The caller's role decides which buttons a page offers (the API decides what it allows).
const RANKS = { viewer: 1, operator: 2, admin: 3 };
let role = 'admin';
export function setRole(value) {
  role = value;
}
/** True when the signed-in role is `needed` or above: `may('operator')` before showing Cancel. */
export function may(needed) {
  return (RANKS[role] ?? 0) >= RANKS[needed];
}

/** GET (or another method) a /api/v1 path; resolves to the parsed JSON body. */
export async function api(path, { method = 'GET', body } = {}, retried = false) {
  const headers = { accept: 'application/json' };
  const current = await bearer();
  if (current) headers.authorization = `Bearer ${current}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
  });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (response.status === 401) {
    if (!retried && await renew()) return api(path, { method, body }, true);
    onUnauthorized();
    throw new ApiError(401, 'unauthorized', 'sign in again');
  }
  if (!response.ok) {
    const failure = new ApiError(response.status, json?.error ?? 'http_' + response.status, json?.message ?? response.statusText);
    failure.body = json;
    throw failure;
  }
  return json;
}

/** Query string from an object, leaving out empty values. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
