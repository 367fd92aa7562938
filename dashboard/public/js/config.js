/** Milliseconds between refreshes; `?poll=500` in the page's address makes tests quicker. */
export const POLL_MILLIS = Number(new URLSearchParams(location.search).get('poll')) || 2000;
