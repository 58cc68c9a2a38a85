// The one reader (src/wire): header lines and body bytes as they crossed the wire (docs/decisions/0080).
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { readMessage, headerLines, isBearerCredentials, isJsonMediaType, bearerTokenOf, JSON_MEDIA_TYPE_PATTERN, BEARER_CREDENTIALS_PATTERN } from 'vpptokens-contract-kit';
import fc from 'fast-check';
import { atBody, atHeader, bodyStrings, findDuplicateProperty, findLoneSurrogate, parseJson, type BodyString } from '../../src/wire';
import { findNumberOutOfRange, mayHoldLoneSurrogate, mayHoldNumberOutOfRange } from '../../src/wire/surrogates';
import { pointerSegment } from '../../src/validation';

const json = ['Content-Type', 'application/json'];
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('header lines', () => {
  it('keeps every line of raw headers, repeats and case as sent', () => {
    expect(headerLines(['Authorization', 'Bearer a', 'authorization', ' Bearer b '])).toEqual([
      { name: 'Authorization', value: 'Bearer a' },
      { name: 'authorization', value: 'Bearer b' },
    ]);
  });

  it.each([
    ['Authorization', ['Authorization', 'Bearer a', 'Authorization', 'Bearer a']],
    ['Content-Type', ['Content-Type', 'application/json', 'content-type', 'application/json']],
    ['Location', ['Location', '/a', 'LOCATION', '/b']],
    // Outside tester R54: none of these is a list (RFC 9110 §6.6.1, §8.8.3, §8.7, §8.8.2), in a request or an answer.
    ['Date', ['Date', 'Fri, 04 Dec 2026 10:00:00 GMT', 'date', 'Mon, 01 Jan 2024 00:00:00 GMT']],
    ['ETag', ['ETag', '"a"', 'ETag', '"b"']],
    ['Content-Location', ['Content-Location', 'https://graph.microsoft.com/a', 'Content-Location', 'https://graph.microsoft.com/b']],
    ['Last-Modified', ['Last-Modified', 'Fri, 04 Dec 2026 10:00:00 GMT', 'Last-Modified', 'Fri, 04 Dec 2026 10:00:00 GMT']],
  ])('refuses %s given twice, even with equal values', (name, raw) => {
    expect(readMessage({ headers: raw, text: '{}' }).problems).toEqual([expect.objectContaining({ where: `header ${name}`, rule: 'repeated header' })]);
  });

  it.each(['Date', 'ETag', 'Content-Location', 'Last-Modified'])('takes %s given once', (name) => {
    const value = name === 'ETag' ? '"a"' : name === 'Content-Location' ? 'https://graph.microsoft.com/a' : 'Fri, 04 Dec 2026 10:00:00 GMT';
    expect(readMessage({ headers: [...json, name, value], bytes: bytes('{}') }).problems).toEqual([]);
  });

  it('lets list headers repeat', () => {
    expect(readMessage({ headers: ['Accept', 'application/json', 'Accept', '*/*', 'Content-Encoding', 'identity', 'Content-Encoding', 'identity'], bytes: bytes('{}') }).problems).toEqual([]);
  });
});

describe('header grammars, one rule each (judgement, provider, pact)', () => {
  const mediaTypes = ['application/json', 'Application/JSON; Charset=UTF-8', 'application/json ; charset=utf-8', 'APPLICATION/JSON;odata.metadata=minimal', 'application/json;', 'application/json; x="a b;\\"c"'];
  it.each(mediaTypes)('accepts the media type %j', (value) => {
    expect(isJsonMediaType(value)).toBe(true);
    expect(new RegExp(JSON_MEDIA_TYPE_PATTERN).test(value)).toBe(true);
  });
  it.each(['text/plain', 'application/jsonx', 'application/json-patch+json', '', 'application/json, text/plain', 'application/json; charset', 'application/json; a=b c', 'application / json'])('refuses the media type %j', (value) => {
    expect(isJsonMediaType(value)).toBe(false);
  });

  it.each(['Bearer x', 'bearer x', 'BEARER eyJ0.e30.', 'Bearer  abc-._~+/==', 'bEaReR 0'])('accepts the credentials %j', (value) => {
    expect(isBearerCredentials(value)).toBe(true);
    expect(new RegExp(BEARER_CREDENTIALS_PATTERN).test(value)).toBe(true);
  });
  it.each(['Bearer', 'Bearer ', 'Basic eDp5', 'Bearer a b', 'Bearer a=b', 'Bearer\tx', 'Bearerx', 'Bearer "x"', 'Bearer x, Bearer y'])('refuses the credentials %j', (value) => {
    expect(isBearerCredentials(value)).toBe(false);
  });

  it('gives the bearer token of credentials', () => {
    expect(bearerTokenOf('bearer  abc')).toBe('abc');
    expect(bearerTokenOf('Basic abc')).toBeUndefined();
  });
});

describe('body bytes', () => {
  it.each([
    ['gzip', gzipSync],
    ['x-gzip', gzipSync],
    ['deflate', deflateSync],
    ['br', brotliCompressSync],
  ])('undoes Content-Encoding %s where it is true', (coding, encode) => {
    const read = readMessage({ headers: [...json, 'Content-Encoding', coding], bytes: encode(bytes('{"a":"é"}')) });
    expect(read.problems).toEqual([]);
    expect(read.json).toEqual({ value: { a: 'é' } });
  });

  it('undoes stacked codings in reverse order', () => {
    const read = readMessage({ headers: [...json, 'Content-Encoding', 'gzip, br'], bytes: brotliCompressSync(gzipSync(bytes('{"a":1}'))) });
    expect(read.json).toEqual({ value: { a: 1 } });
  });

  it.each([
    ['a Content-Encoding that lies', ['Content-Encoding', 'gzip'], bytes('{"a":1}'), atBody(), 'content coding'],
    ['an unknown coding', ['Content-Encoding', 'compress'], bytes('{"a":1}'), atHeader('Content-Encoding'), 'content coding'],
    ['Latin-1 bytes', [], Buffer.from('{"a":"\xe9"}', 'latin1'), atBody(), 'utf-8'],
    ['a byte order mark', [], Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('{}')]), atBody(), 'byte order mark'],
    ['a name given twice', [], bytes('{"id":"a","id":"b"}'), atBody('/id'), 'duplicate name'],
    ['garbage after the value', [], bytes('{"a":1} garbage'), atBody(), 'trailing data'],
    ['a second value', [], bytes('{"a":1}{"a":2}'), atBody(), 'trailing data'],
    ['not JSON', [], bytes('{"a":'), atBody(), 'json syntax'],
    ['an unpaired high surrogate escape', [], bytes('{"a":[{"b":"x\\ud800"}]}'), atBody('/a/0/b'), 'lone surrogate'],
    ['an unpaired low surrogate escape', [], bytes('{"a":"\\udc00\\ud800"}'), atBody('/a'), 'lone surrogate'],
    ['a number no double holds', [], bytes('{"a":{"b":[1,1e400]}}'), atBody('/a/b/1'), 'number range'],
    ['a negative number no double holds', [], bytes('{"a":-1E+999}'), atBody('/a'), 'number range'],
    ['an unpaired surrogate as the whole body', [], bytes('"\\ud800"'), atBody(''), 'lone surrogate'],
    ['an unpaired surrogate in a name', [], bytes('{"\\ud800":1}'), atBody('/\\ud800'), 'lone surrogate'],
  ])('refuses %s', (_name, extra, body, place, rule) => {
    const read = readMessage({ headers: [...json, ...extra], bytes: body });
    expect(read.problems).toEqual([expect.objectContaining({ ...place, rule })]);
    // The body as a whole has no pointer; its root value has '' (shown `body (root)`).
    expect(read.problems[0].pointer).toBe(place.pointer);
    expect(read.json).toBeUndefined();
  });

  it('says where the first bad byte is, and keeps a U+FFFD that was sent as one', () => {
    const [bad] = readMessage({ headers: json, bytes: Buffer.concat([bytes('{"a":"\uFFFD'), Buffer.from([0xc3, 0x28]), bytes('"}')]) }).problems;
    expect(bad.message).toContain('byte 9 ');
    // The offset is a field too: validate reads it to say the line and column of the byte in a record.
    expect(bad.byte).toBe(9);
    expect(readMessage({ headers: json, bytes: bytes('{"a":"\uFFFD"}') }).json).toEqual({ value: { a: '\uFFFD' } });
  });

  // Outside tester P12: bytes in UTF-16 or UTF-32 are named so (decision 0384), rather than "byte 0 starts no UTF-8".
  it.each([
    ['UTF-16LE with its mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"a":1}', 'utf16le')]), 'is UTF-16LE, not UTF-8 (it starts with the byte-order mark FF FE)'],
    ['UTF-16BE with its mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('{"a":1}', 'utf16le').swap16()]), 'is UTF-16BE, not UTF-8 (it starts with the byte-order mark FE FF)'],
    ['UTF-16LE without a mark', Buffer.from('{"a":1}', 'utf16le'), "is UTF-16LE, not UTF-8 (its first bytes 7B 00 22 00 are UTF-16LE's)"],
    ['UTF-16BE without a mark', Buffer.from('{"a":1}', 'utf16le').swap16(), "is UTF-16BE, not UTF-8 (its first bytes 00 7B 00 22 are UTF-16BE's)"],
    ['UTF-32BE with its mark', Buffer.from([0, 0, 0xfe, 0xff, 0, 0, 0, 0x7b, 0, 0, 0, 0x7d]), 'is UTF-32BE, not UTF-8 (it starts with the byte-order mark 00 00 FE FF)'],
  ])('names %s, as the rule utf-8', (_name, body, said) => {
    const read = readMessage({ headers: json, bytes: body });
    expect(read.problems).toEqual([expect.objectContaining({ ...atBody(), rule: 'utf-8', byte: 0, message: `${said}: JSON is UTF-8 (RFC 8259 §8.1)` })]);
  });

  it('takes the largest and smallest doubles, and digits past their precision', () => {
    expect(readMessage({ headers: json, bytes: bytes('{"a":1.7976931348623157e308,"b":-5e-324,"c":1e-400,"d":12345678901234567890}') }).problems).toEqual([]);
  });

  it('takes a surrogate pair, escaped or as UTF-8 bytes (one character outside the BMP)', () => {
    expect(readMessage({ headers: json, bytes: bytes('{"a":"\\ud83d\\ude00 \uD83D\uDE00"}') })).toEqual(expect.objectContaining({ problems: [], json: { value: { a: '\uD83D\uDE00 \uD83D\uDE00' } } }));
  });

  it('walks a value for an unpaired surrogate only where its text may hold one, and refuses every one there', () => {
    // parseJson searches the text first (mayHoldLoneSurrogate) and walks the value only when it has a surrogate or a
    // surrogate escape: held against the walk itself, on names and values of surrogates raw (as a JavaScript string
    // may hold them) and escaped in either case, alone and in pairs, both ways.
    const piece = fc.constantFrom('a', '\\u0041', '\uD800', '\uDC00', '\uD83D\uDE00', '\\ud800', '\\uDFFF', '\\udbff\\udfff', '\\uD7FF', '\\\\ud800');
    const text = fc.tuple(fc.array(piece, { maxLength: 3 }), fc.array(piece, { maxLength: 3 })).map(([name, value]) => `{"${name.join('')}":["${value.join('')}"]}`);
    let skipped = 0;
    let refused = 0;
    fc.assert(
      fc.property(text, (body) => {
        const lone = findLoneSurrogate(JSON.parse(body));
        if (!mayHoldLoneSurrogate(body)) {
          skipped++;
          expect(lone).toBeUndefined();
        }
        const read = parseJson(body);
        if (lone !== undefined) refused++;
        expect(read.ok ? undefined : read.problem).toEqual(lone === undefined ? undefined : expect.objectContaining({ rule: 'lone surrogate', pointer: lone }));
      }),
      { numRuns: 400 },
    );
    expect(skipped).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
  });

  it('walks a value for a number no double holds only where its text may hold one, and refuses every one there', () => {
    // parseJson searches the text first (mayHoldNumberOutOfRange, decision 1212) and walks the value only when it has
    // a positive exponent of three digits or a run of 200 digits: held against the walk itself, on numbers near the
    // largest double (integer digits up to 320, fractions, exponents of any sign and length), both ways.
    const digits = (most: number) => fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: most }).map((d) => d.replace(/^0+(?=.)/, ''));
    const exponent = fc.option(fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '+', '-'), fc.integer({ min: 0, max: 420 }), fc.boolean()).map(([e, sign, n, padded]) => `${e}${sign}${padded ? '0' : ''}${n}`), { nil: '' });
    const size = fc.constantFrom(3, 30, 210, 320);
    const number = fc.tuple(fc.constantFrom('', '-'), size.chain(digits), fc.option(digits(8), { nil: undefined }), exponent).map(([sign, whole, fraction, e]) => `${sign}${whole}${fraction === undefined ? '' : `.${fraction}`}${e}`);
    let skipped = 0;
    let refused = 0;
    fc.assert(
      fc.property(number, (n) => {
        const body = `{"a":[${n}]}`;
        const huge = findNumberOutOfRange(JSON.parse(body));
        if (!mayHoldNumberOutOfRange(body)) {
          skipped++;
          expect([n, huge]).toEqual([n, undefined]);
        }
        const read = parseJson(body);
        if (huge !== undefined) refused++;
        expect(read.ok ? undefined : read.problem).toEqual(huge === undefined ? undefined : expect.objectContaining({ rule: 'number range', pointer: huge }));
      }),
      { numRuns: 400, seed: 1212 },
    );
    expect(skipped).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(20);
    // At the edge: the largest double and the first number past it, each way of writing it.
    for (const [text, huge] of [['1.7976931348623157e308', false], ['1.7976931348623159e308', true], ['1e309', true], [`1${'0'.repeat(308)}`, false], [`2${'0'.repeat(308)}`, true], [`${'9'.repeat(210)}e99`, true], [`0.${'0'.repeat(300)}1e400`, false]] as const) {
      expect([text.slice(0, 30), findNumberOutOfRange(JSON.parse(`[${text}]`)) !== undefined, mayHoldNumberOutOfRange(`[${text}]`) || !huge]).toEqual([text.slice(0, 30), huge, true]);
    }
  });

  it('bounds what a coding may decode to', () => {
    const read = readMessage({ headers: [...json, 'Content-Encoding', 'gzip'], bytes: gzipSync(Buffer.alloc(100_000, 0x20)) }, { maxDecodedBytes: 1000 });
    expect(read.problems).toEqual([expect.objectContaining({ where: 'body', rule: 'decoded size' })]);
  });

  it('says a body was cut short, not that it is empty, when fewer bytes came than Content-Length says', () => {
    expect(readMessage({ headers: [...json, 'Content-Length', '40'], bytes: Buffer.alloc(0) }).problems).toEqual([
      { part: 'body', where: 'body', rule: 'content length', message: 'was cut short: Content-Length says 40 bytes, 0 came (RFC 9112 §6.3)' },
    ]);
    expect(readMessage({ headers: [...json, 'Content-Length', '9'], bytes: bytes('{"a":"b"}') })).toEqual(expect.objectContaining({ problems: [], json: { value: { a: 'b' } } }));
  });

  it('reads an empty or blank body as none', () => {
    expect(readMessage({ headers: json, bytes: Buffer.alloc(0) })).toEqual(expect.objectContaining({ empty: true, problems: [] }));
    expect(readMessage({ headers: json, bytes: bytes(' \n') })).toEqual(expect.objectContaining({ empty: true, problems: [] }));
  });
});

// The echo check reads a body's strings where a JSON reader sees them, even in a body it refuses (issue 15 item 3).
describe('bodyStrings', () => {
  it('lists every value and name with its place, decoded, in a body with a name given twice', () => {
    const text = '{"id":"a","id":"b","list":["x",{"\\u0074oken":"c\\/d"}],"n":1,"t":true}';
    expect(bodyStrings(text)).toEqual([
      { pointer: '', value: 'id', name: true },
      { pointer: '/id', value: 'a' },
      { pointer: '', value: 'id', name: true },
      { pointer: '/id', value: 'b' },
      { pointer: '', value: 'list', name: true },
      { pointer: '/list/0', value: 'x' },
      { pointer: '/list/1', value: 'token', name: true },
      { pointer: '/list/1/token', value: 'c/d' },
      { pointer: '', value: 'n', name: true },
      { pointer: '', value: 't', name: true },
    ]);
  });

  it('lists what is not JSON as it stands: data after the value, a bare word, a string cut short', () => {
    expect(bodyStrings('{"a":leaked} tail "cut')).toEqual([
      { pointer: '', value: 'a', name: true },
      { pointer: '', value: 'leaked', other: true },
      { pointer: '', value: 'tail', other: true },
      { pointer: '', value: 'cut' },
    ]);
    expect(bodyStrings('<html>Bad gateway</html>').map((s) => s.value)).toEqual(['<html>Bad', 'gateway</html>']);
  });

  it('reads a body nested thousands deep without a stack', () => {
    const deep = `${'['.repeat(20000)}"x"${']'.repeat(20000)}`;
    expect(bodyStrings(deep)).toEqual([{ pointer: '/0'.repeat(20000), value: 'x' }]);
  });

  // bodyStrings finds a string's end by indexOf and takes an unescaped value as it stands (docs/decisions/0185).
  // Held against the plain definition it replaced: a character at a time, every string through JSON.parse.
  it('reads every text as the plain character-by-character reading does, escapes, cut strings and stray backslashes included', () => {
    const unit = fc.constantFrom(...'{}[]:, "\\\\\nu0a\u00e9\ud800'.split(''));
    const texts = fc.oneof(
      fc.string({ unit, maxLength: 60 }),
      fc.json().chain((json) => fc.tuple(fc.nat(json.length), fc.nat(json.length)).map(([a, b]) => json.slice(Math.min(a, b), Math.max(a, b) + 1))),
      fc.json(),
    );
    fc.assert(fc.property(texts, (text) => expect(bodyStrings(text)).toEqual(plainBodyStrings(text))), { numRuns: 400 });
    for (const text of ['"', '"\\', '"a\\', '"a\\"', '"a\\""b"', '"\\\\"x"', '{"a":"b\\', 'x"']) expect(bodyStrings(text)).toEqual(plainBodyStrings(text));
  });

  it('reads a 4 MB value whole, with an escape at either end', () => {
    const long = 'a'.repeat(4_000_000);
    for (const text of [`{"d":"${long}"}`, `{"d":"\\n${long}"}`, `{"d":"${long}\\u0041"}`]) {
      expect(bodyStrings(text)).toEqual([{ pointer: '', value: 'd', name: true }, { pointer: '/d', value: JSON.parse(text).d }]);
    }
  });
});

describe('findDuplicateProperty', () => {
  // It finds each string's end as bodyStrings does (src/wire/strings.ts StringEnds, docs/decisions/0185); held
  // against the plain definition it replaced (a regular expression over each string's plain run), on valid JSON with
  // names given twice, escaped names and 4 MB values, both ways: a name given twice is found, none is not invented.
  const key = fc.constantFrom('a', 'b', '\\u0061', 'a\\"', '\\\\', 'x y');
  const value: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, fc.json(), fc.array(fc.tuple(key, fc.constantFrom(':', ' : ', '\n\t:\r\n'), tie('value')), { maxLength: 4 }).map((members) => `{${members.map(([k, colon, v]) => `"${k}"${colon}${v}`).join(',')}}`), fc.array(tie('value'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`)),
  })).value;
  it('finds the first name given twice where the plain reading finds it', () => {
    let found = 0;
    fc.assert(
      fc.property(value, (text) => {
        JSON.parse(text);
        const plain = plainFindDuplicateProperty(text);
        if (plain !== undefined) found++;
        expect(findDuplicateProperty(text)).toBe(plain);
      }),
      { numRuns: 400 },
    );
    expect(found).toBeGreaterThan(20);
    const long = 'a'.repeat(4_000_000);
    for (const text of [`{"d":"${long}","d":1}`, `{"d":"${long}\\"","e":{"d":1,"d":2}}`, `{"d":"\\\\","d\\\\":"${long}"}`]) expect(findDuplicateProperty(text)).toBe(plainFindDuplicateProperty(text));
  });
});

/** findDuplicateProperty as it was written before StringEnds: the definition it is held to. */
function plainFindDuplicateProperty(text: string): string | undefined {
  const STRING_RUN = /[^"\\]*/y;
  const frames: { keys?: Set<string>; index: number; pointer: string; key?: string }[] = [];
  let i = 0;
  const child = () => {
    const top = frames[frames.length - 1];
    if (!top) return '';
    return `${top.pointer}/${top.keys ? pointerSegment(top.key ?? '') : top.index}`;
  };
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      for (;;) {
        STRING_RUN.lastIndex = j;
        STRING_RUN.test(text);
        j = STRING_RUN.lastIndex;
        if (text.charCodeAt(j) !== 0x5c) break;
        j += 2;
      }
      const top = frames[frames.length - 1];
      let k = j + 1;
      while (k < text.length && /\s/.test(text[k])) k++;
      if (top?.keys && text[k] === ':') {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return `${top.pointer}/${pointerSegment(key)}`;
        top.keys.add(key);
        top.key = key;
      }
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') frames.push({ pointer: child(), index: 0, ...(c === '{' ? { keys: new Set<string>() } : {}) });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top && !top.keys) top.index++;
    }
    i++;
  }
  return undefined;
}

/** bodyStrings as it was first written: the definition the faster reading is held to. */
function plainBodyStrings(text: string): BodyString[] {
  const STRUCTURAL = new Set(['{', '}', '[', ']', ':', ',', ' ', '\t', '\n', '\r']);
  const found: BodyString[] = [];
  const frames: { pointer: string; object: boolean; index: number; key?: string }[] = [];
  const here = (): string => {
    const top = frames[frames.length - 1];
    if (!top) return '';
    return `${top.pointer}/${top.object ? pointerSegment(top.key ?? '') : top.index}`;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const raw = text.slice(i, Math.min(end + 1, text.length));
      let value: string;
      try {
        value = JSON.parse(raw) as string;
      } catch {
        value = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined);
      }
      let after = end + 1;
      while (after < text.length && (text[after] === ' ' || text[after] === '\t' || text[after] === '\n' || text[after] === '\r')) after++;
      const top = frames[frames.length - 1];
      if (top?.object && text[after] === ':') {
        found.push({ pointer: top.pointer, value, name: true });
        top.key = value;
      } else found.push({ pointer: here(), value });
      i = end + 1;
      continue;
    }
    if (c === '{' || c === '[') frames.push({ pointer: here(), object: c === '{', index: 0 });
    else if (c === '}' || c === ']') frames.pop();
    else if (c === ',') {
      const top = frames[frames.length - 1];
      if (top && !top.object) top.index++;
    } else if (!STRUCTURAL.has(c)) {
      let end = i + 1;
      while (end < text.length && !STRUCTURAL.has(text[end]) && text[end] !== '"') end++;
      const word = text.slice(i, end);
      if (!/^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(word)) found.push({ pointer: '', value: word, other: true });
      i = end;
      continue;
    }
    i++;
  }
  return found;
}
