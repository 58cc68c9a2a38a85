/** The media type Graph answers with; contracts accept any application/json with parameters. */
export const GRAPH_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
/** The type annotation on every vppToken the provider answers with, as Intune's answers carry it. */
export const VPP_TOKEN_TYPE = '#microsoft.graph.vppToken';

/** Graph's largest request body, 4 MB (taken as 4 MiB, the larger reading): a body one byte over it must get 413. */
export const GRAPH_BODY_LIMIT = 4 * 1024 * 1024;
/** Graph's "4 MB" in its smaller reading: a provider limited at 4,000,000 bytes keeps the contract too (decision 0171). */
export const GRAPH_BODY_LIMIT_DECIMAL = 4_000_000;
