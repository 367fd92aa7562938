// The ANSI renderer without a browser: colours, resets, sequences split across log chunks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AnsiStream, ansiSegments } from '../public/js/ansi.js';

test('should colour text green, when SGR 32 precedes it', () => {
  const segments = ansiSegments('plain \u001b[32mgreen\u001b[0m back');
  assert.deepEqual(segments.map((s) => [s.text, s.classes]), [['plain ', []], ['green', ['ansi-fg-32']], [' back', []]]);
});

test('should keep the colour into the next chunk, when a chunk ends inside a colour', () => {
  const stream = new AnsiStream();
  stream.push('\u001b[1;31mred ');
  const [segment] = stream.push('still red');
  assert.deepEqual(segment.classes, ['ansi-bold', 'ansi-fg-31']);
});

test('should complete an escape sequence, when it is split across two chunks', () => {
  const stream = new AnsiStream();
  assert.deepEqual(stream.push('a\u001b[3'), [{ text: 'a', classes: [], color: null, background: null }]);
  const [segment] = stream.push('4mblue');
  assert.equal(segment.text, 'blue');
  assert.deepEqual(segment.classes, ['ansi-fg-34']);
});

test('should give an rgb colour, when a 256-colour or true-colour code is used', () => {
  const [first, second] = ansiSegments('\u001b[38;5;196mx\u001b[38;2;1;2;3my');
  assert.equal(first.color, 'rgb(255,0,0)');
  assert.equal(second.color, 'rgb(1,2,3)');
});

test('should drop cursor moves and titles, when the log contains them', () => {
  const text = ansiSegments('\u001b]0;title\u0007one\u001b[2Ktwo\r\n').map((s) => s.text).join('');
  assert.equal(text, 'onetwo\n');
});
