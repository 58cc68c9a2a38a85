import { argumentProblem, refuseArguments } from '../net/option';
/** Where a JSON text stops being JSON, found by a small scanner of our own: V8's messages quote the input
 * (which may hold a token) and, on Node 20, often give no position. */
export interface JsonSyntaxError {
  /** Offset of the offending character in the text. */
  offset: number;
  line: number;
  column: number;
  /** What was wrong, never quoting more than the one offending character. */
  message: string;
}

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** The characters a string holds as they are (no quote, backslash or control character): skipped at once, not one by one (a 4 MB value). */
const PLAIN_RUN = /[^"\\\u0000-\u001f]*/y;
/** A JSON number (RFC 8259 §6), read where it stands: no length of its own (decision 0222), linear in its size. */
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  refuseArguments(argumentProblem('text', text, 'string'));
  let i = 0;
  const fail = (message: string): never => {
    throw Object.assign(new Error(message), { offset: i });
  };
  const describeAt = () => (i >= text.length ? 'the text ended' : `unexpected character ${JSON.stringify(text[i])}`);
  const skip = () => {
    while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  };
  const literal = (word: string) => {
    for (let k = 0; k < word.length; k++, i++) if (text[i] !== word[k]) fail(`${describeAt()} in ${word}`);
  };
  const string = () => {
    i++;
    while (i < text.length) {
      PLAIN_RUN.lastIndex = i;
      PLAIN_RUN.test(text);
      i = PLAIN_RUN.lastIndex;
      if (i >= text.length) break;
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail('a control character inside a string (escape it)');
      if (c === 0x5c) {
        i++;
        const e = text[i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('a \\u escape needs four hex digits');
          i += 5;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i++;
        else fail(`invalid escape in a string`);
      } else i++;
    }
    fail('the text ended inside a string');
  };
  const number = () => {
    NUMBER.lastIndex = i;
    if (!NUMBER.test(text)) fail(`${describeAt()}: not a number`);
    i = NUMBER.lastIndex;
  };
  // An explicit stack instead of recursion: 100,000 nested brackets are located like 2 (no stack overflow).
  const scalar = (): void => {
    const c = text[i];
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(i >= text.length ? 'the text ended where a value was expected' : `${describeAt()} where a value was expected`);
  };
  const member = () => {
    skip();
    if (text[i] !== '"') fail(`${describeAt()} where a property name in double quotes was expected`);
    string();
    skip();
    if (text[i] !== ':') fail(`${describeAt()} where ':' was expected`);
    i++;
  };
  const value = (): void => {
    const open: ('{' | '[')[] = [];
    for (;;) {
      // Read one value; an opening bracket pushes and reads its first member or element.
      skip();
      const c = text[i];
      if (c === '{' || c === '[') {
        i++;
        skip();
        if (text[i] === (c === '{' ? '}' : ']')) i++;
        else {
          open.push(c);
          if (c === '{') member();
          continue;
        }
      } else scalar();
      // After a value: a comma continues its container, a closing bracket ends it.
      for (;;) {
        if (open.length === 0) return;
        skip();
        const container = open[open.length - 1];
        const close = container === '{' ? '}' : ']';
        if (text[i] === ',') {
          i++;
          if (container === '{') member();
          break;
        }
        if (text[i] === close) {
          i++;
          open.pop();
          continue;
        }
        fail(`${describeAt()} where ',' or '${close}' was expected`);
      }
    }
  };
  try {
    value();
    skip();
    if (i < text.length) fail(`${describeAt()} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    const offset = (error as { offset: number }).offset;
    if (typeof offset !== 'number') throw error;
    let line = 1;
    for (let at = text.indexOf('\n'); at >= 0 && at < offset; at = text.indexOf('\n', at + 1)) line++;
    return { offset, line, column: offset - text.lastIndexOf('\n', offset - 1), message: (error as Error).message };
  }
}
