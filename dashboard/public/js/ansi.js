// Turns a job log with ANSI escape sequences into styled segments. Stateful, because the agent
// cuts the log into chunks anywhere: a colour set in one chunk holds in the next, and an escape
// sequence split across two chunks is completed when the second arrives.
// Pure (no DOM), so node's test runner checks it directly.

const ESC = '\u001b';

/** The SGR state: what the next text looks like. */
function initialState() {
  return { bold: false, dim: false, italic: false, underline: false, fg: null, bg: null, fgRgb: null, bgRgb: null };
}

const PALETTE_256_BASE = [
  [0, 0, 0], [205, 49, 49], [13, 188, 121], [229, 229, 16], [36, 114, 200], [188, 63, 188], [17, 168, 205], [229, 229, 229],
  [102, 102, 102], [241, 76, 76], [35, 209, 139], [245, 245, 67], [59, 142, 234], [214, 112, 214], [41, 184, 219], [255, 255, 255],
];

/** xterm's 256-colour palette entry as an rgb() string. */
function color256(n) {
  if (n < 16) return `rgb(${PALETTE_256_BASE[n].join(',')})`;
  if (n < 232) {
    const i = n - 16;
    const level = (v) => (v === 0 ? 0 : 55 + v * 40);
    return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
  }
  const grey = 8 + (n - 232) * 10;
  return `rgb(${grey},${grey},${grey})`;
}

function applySgr(state, params) {
  const codes = params.length === 0 ? [0] : params.map((p) => (p === '' ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code === 0) Object.assign(state, initialState());
    else if (code === 1) state.bold = true;
    else if (code === 2) state.dim = true;
    else if (code === 3) state.italic = true;
    else if (code === 4) state.underline = true;
    else if (code === 22) { state.bold = false; state.dim = false; }
    else if (code === 23) state.italic = false;
    else if (code === 24) state.underline = false;
    else if ((code >= 30 && code <= 37) || (code >= 90 && code <= 97)) { state.fg = code; state.fgRgb = null; }
    else if (code === 39) { state.fg = null; state.fgRgb = null; }
    else if (code >= 40 && code <= 47) { state.bg = code; state.bgRgb = null; }
    else if (code >= 100 && code <= 107) { state.bg = code - 60; state.bgRgb = null; }
    else if (code === 49) { state.bg = null; state.bgRgb = null; }
    else if (code === 38 || code === 48) {
      let rgb = null;
      if (codes[i + 1] === 5 && i + 2 < codes.length) { rgb = color256(codes[i + 2] & 255); i += 2; }
      else if (codes[i + 1] === 2 && i + 4 < codes.length) {
        rgb = `rgb(${codes[i + 2] & 255},${codes[i + 3] & 255},${codes[i + 4] & 255})`; i += 4;
      }
      if (rgb && code === 38) { state.fg = null; state.fgRgb = rgb; }
      if (rgb && code === 48) { state.bg = null; state.bgRgb = rgb; }
    }
  }
}

function classesOf(state) {
  const classes = [];
  if (state.bold) classes.push('ansi-bold');
  if (state.dim) classes.push('ansi-dim');
  if (state.italic) classes.push('ansi-italic');
  if (state.underline) classes.push('ansi-underline');
  if (state.fg !== null) classes.push(`ansi-fg-${state.fg}`);
  if (state.bg !== null) classes.push(`ansi-bg-${state.bg}`);
  return classes;
}

/**
 * Feeds log text in, gets segments out: {text, classes: [...], color, background}.
 * Escape sequences other than SGR (cursor moves, titles) are dropped, never shown as garbage.
 */
export class AnsiStream {
  constructor() {
    this.state = initialState();
    this.pending = '';
  }

  push(chunk) {
    const text = (this.pending + chunk).replace(/\r\n/g, '\n');
    this.pending = '';
    const segments = [];
    let plain = '';
    const flush = () => {
      if (plain) {
        segments.push({ text: plain, classes: classesOf(this.state), color: this.state.fgRgb, background: this.state.bgRgb });
        plain = '';
      }
    };
    let i = 0;
    while (i < text.length) {
      const ch = text[i];
      if (ch !== ESC) {
        if (ch !== '\r') plain += ch;
        i++;
        continue;
      }
      if (i + 1 >= text.length) { this.pending = text.slice(i); break; }
      const kind = text[i + 1];
      if (kind === '[') {
        // CSI: parameters, then one final byte in @..~
        let j = i + 2;
        while (j < text.length && !(text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e)) j++;
        if (j >= text.length) { this.pending = text.slice(i); break; }
        if (text[j] === 'm') {
          flush();
          applySgr(this.state, text.slice(i + 2, j).split(/[;:]/).filter((_, k, all) => !(all.length === 1 && all[0] === '')));
        }
        i = j + 1;
      } else if (kind === ']') {
        // OSC (e.g. a terminal title, a hyperlink): up to BEL or ESC \
        const bel = text.indexOf('\u0007', i + 2);
        const st = text.indexOf(ESC + '\\', i + 2);
        const ends = [bel, st].filter((p) => p >= 0);
        if (ends.length === 0) { this.pending = text.slice(i); break; }
        const end = Math.min(...ends);
        i = end + (end === st ? 2 : 1);
      } else {
        i += 2; // a two-byte escape (ESC c, ESC 7, …): nothing to show
      }
    }
    flush();
    return segments;
  }
}

/** Convenience for one whole text. */
export function ansiSegments(text) {
  return new AnsiStream().push(text);
}
