export { readCaFile, tlsOptions, tlsProblem, TlsOptionError, type TlsTrust } from './tls';
