export { readCaFile, tlsOptions, tlsProblem, TlsOptionError, type TlsTrust } from './tls';
export { HeaderOptionError, checkExtraHeaders, parseHeaderArguments } from './headers';
