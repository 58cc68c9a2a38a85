// An Apple sToken holding `inner` as its token proper (base64 of {"token","expDate","orgName"}): what Intune, the
// mock of check-client and validate take (decision 0216), for tests whose point is not the token.
export const sTokenOf = (inner: string, orgName = 'Contoso'): string => Buffer.from(JSON.stringify({ token: inner, expDate: '2041-06-01T00:00:00+0000', orgName })).toString('base64');
