// The one rule of a list whose pages add nothing (decisions 1001, 1100): conform's read-back and seed's.
import { pagesAddingNothing, PAGES_ADDING_NOTHING } from '../../src/judgement';

/** The page (1-based) on which the rule says the list never ends, reading `pages` in turn; undefined if never. */
function endsOn(pages: [ids: unknown[], linksOn: boolean][]): { on: number; words: string } | undefined {
  const read = pagesAddingNothing();
  for (const [i, [ids, linksOn]] of pages.entries()) {
    const words = read(ids, linksOn, `p${i + 1}`);
    if (words !== undefined) return { on: i + 1, words };
  }
  return undefined;
}

const empty = (n: number): [unknown[], boolean][] => Array.from({ length: n }, () => [[], true]);

describe('pagesAddingNothing', () => {
  it('says a list never ends on the 50th page in a row that adds nothing and links on, not before', () => {
    expect(PAGES_ADDING_NOTHING).toBe(50);
    expect(endsOn(empty(49))).toBeUndefined();
    expect(endsOn(empty(50))).toEqual({ on: 50, words: '50 pages in a row (the last p50) listed nothing and each linked to another: a next link promises more results, so the collection never ends' });
    // The last page links nowhere: the list ended.
    expect(endsOn([...empty(49), [[], false]])).toBeUndefined();
  });

  it('counts a page that lists only ids listed before (in any case) as adding nothing, and names the first again', () => {
    const words = endsOn([[['a-1', 'b-2'], true], [['A-1'], true], ...empty(48), [['b-2'], true]]);
    expect(words).toEqual({ on: 51, words: expect.stringContaining('(the last p51) listed no vppToken an earlier page had not listed (page 2 lists "A-1" again, listed first on page 1) and each linked to another: a next link promises more results, and each page continues the collection with members not yet given, so') });
  });

  it('starts again at a page that adds a vppToken or lists one it cannot name (fair to a long list)', () => {
    expect(endsOn([...empty(49), [['new'], true], ...empty(49)])).toBeUndefined();
    expect(endsOn([...empty(49), [['new'], true], ...empty(50)])).toMatchObject({ on: 100 });
    expect(endsOn([...empty(49), [[undefined], true], ...empty(49)])).toBeUndefined();
    // A page listed again after the run started again: the words name the repeat of the run that ended.
    expect(endsOn([[['x'], true], [['x'], true], [['y'], true], ...empty(50)])).toEqual({ on: 53, words: expect.stringContaining('listed nothing') });
  });
});
