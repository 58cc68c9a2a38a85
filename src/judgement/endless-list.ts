// One rule for a list whose pages link on and on while adding nothing: conform's read-back and seed's read-back
// before --retry-unknown both stop there (decisions 0174, 1001, 1100; outside testers M21, R118, R129).

/** How many pages in a row that add nothing, each linking to another, make a list that never ends. */
export const PAGES_ADDING_NOTHING = 50;

/**
 * Reads the pages of one list from its first, one call a page: the ids it lists (anything not a string is an item
 * the caller could not name: such a page adds something for all the rule knows) and whether it links to another
 * page. It returns the words of why the list never ends on the PAGES_ADDING_NOTHING-th page in a row that lists no
 * vppToken an earlier page had not listed (ids compared without case) and links on, after "N pages in a row (the last
 * <shown>) ": a next link promises more results (OData 4.01 Protocol §11.2.5.7), and server-driven paging continues
 * the same collection, each member once, so fresh links to pages that add nothing are a list that never ends, not a
 * long one. A page that adds one new vppToken starts the count again (an offset pager lists a member again at a page's
 * edge when a create lands before it: fair, decision 1001).
 */
export function pagesAddingNothing(): (ids: readonly unknown[], linksOn: boolean, shown: string) => string | undefined {
  let page = 0;
  let inARow = 0;
  const listedOn = new Map<string, number>();
  // The first vppToken listed again in the current run of pages that add nothing: named in the words.
  let repeated: { id: string; on: number; first: number } | undefined;
  return (ids, linksOn, shown) => {
    page++;
    let fresh = 0;
    let unnamed = false;
    for (const id of ids) {
      if (typeof id !== 'string') {
        unnamed = true;
        continue;
      }
      const first = listedOn.get(id.toLowerCase());
      if (first === undefined) {
        listedOn.set(id.toLowerCase(), page);
        fresh++;
      } else if (first < page) repeated ??= { id, on: page, first };
    }
    inARow = fresh === 0 && linksOn && !unnamed ? inARow + 1 : 0;
    if (inARow === 0) repeated = undefined;
    if (inARow < PAGES_ADDING_NOTHING) return undefined;
    const listed = repeated ? `listed no vppToken an earlier page had not listed (page ${repeated.on} lists ${JSON.stringify(repeated.id)} again, listed first on page ${repeated.first})` : 'listed nothing';
    return `${PAGES_ADDING_NOTHING} pages in a row (the last ${shown}) ${listed} and each linked to another: a next link promises more results${repeated ? ', and each page continues the collection with members not yet given' : ''}, so the collection never ends`;
  };
}
