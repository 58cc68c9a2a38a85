// A value with a cycle whose back reference counts how often it is read. A walk that follows the cycle fails at
// once with an error here, not after a timeout: a synchronous loop blocks the event loop, so jest's own timeout
// never fires (outside tester M4: validate spun until killed).

/** The most reads of one back reference a walk that visits each object once can make (ajv's and the walk's own). */
const MOST_READS = 100;

/** `holder[key]` made an enumerable property that refers to `target`; returns how often it has been read. */
export function loopBack(holder: object, key: string, target: object): () => number {
  let reads = 0;
  Object.defineProperty(holder, key, {
    enumerable: true,
    configurable: true,
    get() {
      reads += 1;
      if (reads > MOST_READS) throw new Error(`followed the cycle through ${key} ${MOST_READS} times: the walk does not end`);
      return target;
    },
  });
  return () => reads;
}
