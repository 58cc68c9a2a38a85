/**
 * The hosts of Graph's service roots: the global service and each national cloud ("Microsoft Graph and Graph
 * Explorer service root endpoints", learn.microsoft.com/graph/deployments). Graph names its own host in every
 * answer (`Location`, `@odata.context`, `@odata.nextLink`), whatever gateway or facade the request came through.
 */
export const GRAPH_HOSTS: readonly string[] = ['graph.microsoft.com', 'graph.microsoft.us', 'dod-graph.microsoft.us', 'microsoftgraph.chinacloudapi.cn'];
