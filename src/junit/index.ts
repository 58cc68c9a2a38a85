// JUnit XML, the one writer of verify's, check-client's and conform's reports (decision 0096).
export { xmlText, junitXml, type JUnitCase, type JUnitSuite, type JUnitReport } from './xml';
