// Outside attacker R114 (decision 0981): a target that answers back the trace and correlation ids its client sent,
// as tracing middleware does (`x-ms-correlation-request-id`, `X-Amzn-Trace-Id`, `X-Cloud-Trace-Context`, `baggage`,
// `x-ms-client-session-id`), failed the proxy's `credentials not echoed`, one violation a field, though 0860 makes
// `client-request-id`, `X-Request-Id`, `X-Correlation-Id` and `traceparent` plain because services answer them back.
// One list of fields known to carry no credential (isPlainHeader) for the HAR writer, the redaction and the echo
// judgement alike.
import { createRequestFactory, createdVppToken } from '../../src';
import { credentialLines, headerSecretValues, judgeCreateExchange } from '../../src/judgement';
import { redactHeader } from '../../src/proxy/redact';

const JSON_TYPE = 'application/json;odata.metadata=minimal;charset=utf-8';
const TRACE: [string, string][] = [
  ['x-ms-correlation-request-id', '9d3b1c2e-5f6a-4b7c-8d9e-0a1b2c3d4e5f'],
  ['x-ms-client-session-id', '5c6d7e8f-1234-4567-89ab-cdef01234567'],
  ['X-Amzn-Trace-Id', 'Root=1-67891233-abcdef012345678912345678'],
  ['X-Cloud-Trace-Context', '105445aa7843bc8bf206b12000100000/1;o=1'],
  ['baggage', 'userId=alice,serverNode=DF%2028'],
  ['b3', '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1'],
  ['X-B3-TraceId', '80f198ee56343ba864fe8b2a57d3eff7'],
  ['X-B3-SpanId', 'e457b5a2e4d86bd1'],
  ['X-B3-ParentSpanId', '05e3ac9a4f6e3b90'],
  ['uber-trace-id', '80f198ee56343ba864fe8b2a57d3eff7:e457b5a2e4d86bd1:0:1'],
  // Sentry's and Datadog's SDKs add theirs to every outgoing request; X-Trace-Id, X-Client-Request-Id (the X- spelling
  // of client-request-id) and CloudFront's X-Amz-Cf-Id are answered back alike (finding Y4, decision 1026).
  ['sentry-trace', '7b4f0b8e2c1d4f5a9e3b6a8d1c2e4f60-6a8d1c2e4f601234-1'],
  ['x-datadog-trace-id', '7364183519232481763'],
  ['x-datadog-parent-id', '5830468384532081823'],
  ['x-datadog-sampling-priority', '1'],
  ['x-datadog-origin', 'synthetics'],
  ['x-datadog-tags', '_dd.p.dm=-1,_dd.p.tid=640cfd8d00000000'],
  ['X-Trace-Id', '7b4f0b8e2c1d4f5a9e3b6a8d1c2e4f60'],
  ['X-Client-Request-Id', '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60'],
  ['X-Amz-Cf-Id', 'SOo8ZQ1hKz2cS8mjYFQH2d4hZ7n5lqXcX3cEoQ0ZkK6Sv_wBZlJcHg=='],
  // Decision 1052: OpenCensus's binary trace context (gRPC), New Relic's distributed tracing payload, W3C Trace Context
  // Level 2's traceresponse, Elastic APM's traceparent, Application Insights' Request-Context and the older
  // Correlation-Context, and the request ids of S3, API Gateway and Lambda, Azure Resource Manager, Azure Front Door
  // and Cloudflare, which their services and agents answer back.
  ['grpc-trace-bin', 'AABkJRGRZ1TPo19FPT9YrBmbAQKT5S5E+ubPAgE='],
  ['newrelic', 'eyJ2IjpbMCwxXSwiZCI6eyJ0eSI6IkFwcCIsImFjIjoiMTIzNDUiLCJhcCI6IjY3ODkwIiwidHIiOiI4MGYxOThlZTU2MzQzYmE4In19'],
  ['traceresponse', '00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-01'],
  ['elastic-apm-traceparent', '00-80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-01'],
  ['Request-Context', 'appId=cid-v1:5c6d7e8f-1234-4567-89ab-cdef01234567'],
  ['Correlation-Context', 'tenant=contoso,region=westeurope'],
  ['x-amz-request-id', '4442587FB7D0A2F9'],
  ['x-amz-id-2', 'vlR7PnpV2Ce81l0PRw6jlUpck7Jo5ZsQjryTjKlc5aLWGVHPZLj5NeC6qMa0emYBDXOo6QBU0Wo='],
  ['x-amzn-RequestId', 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef'],
  ['x-ms-routing-request-id', 'WESTEUROPE:20261205T000000Z:9d3b1c2e-5f6a-4b7c-8d9e-0a1b2c3d4e5f'],
  ['X-Azure-Ref', '0zxV+XAAAAABKMMOjBv2NT4TY6SQVjC0zV1NURURHRTA2MTkANDM3OTc5ZjctNGE3Ny00ZDZhLWI4NDEtNTk4ZTgxZTMwOTA3'],
  ['X-MSEdge-Ref', 'Ref A: 8E4D8B4B3B2B4C1D Ref B: AMS04EDGE1012 Ref C: 2026-12-05T00:00:00Z'],
  ['CF-Ray', '8f1b2c3d4e5f6a7b-AMS'],
];
const sent = createRequestFactory.withSeed(114).buildAt(0);
const created = createdVppToken(sent, { id: '7b4f0b8e-2c1d-4f5a-9e3b-6a8d1c2e4f60', now: new Date() });
const BEARER = 'Bearer r114-access-token-0123456789';
const create = (headers: string[]) => ({ method: 'POST', path: '/deviceAppManagement/vppTokens', headers: {}, rawHeaders: ['Content-Type', 'application/json', 'Authorization', BEARER, ...headers], body: JSON.stringify(sent) });
/** The proxy's judgement of a create whose answer carries `answered` back, its credential problems only. */
const judged = (headers: string[], answered: string[]) =>
  judgeCreateExchange(create(headers), { status: 201, headers: {}, rawHeaders: ['Content-Type', JSON_TYPE, ...answered], body: JSON.stringify(created) }, 'beta')
    .filter((p) => p.check === 'request headers' || p.check === 'credentials not echoed')
    .map((p) => `${p.side} ${p.check} ${p.where}`);

describe('trace and correlation ids carry no credential (decision 0981, outside attacker R114)', () => {
  it.each(TRACE)('%s is written as it is, not hidden, and answered back it is no echo', (name, value) => {
    const line = [{ name, value }];
    expect(credentialLines(line)).toEqual([]);
    expect(headerSecretValues(line)).toEqual([]);
    expect(redactHeader(name, value)).toBe(value);
    expect(redactHeader(name.toUpperCase(), value)).toBe(value);
    expect(judged([name, value], [name, value])).toEqual([]);
  });

  it('passes a target answering all of them back at once, as the finding\'s tracing middleware does', () => {
    const all = TRACE.flat();
    expect(judged(all, all)).toEqual([]);
  });

  it('still looks for the same value under a field not known to carry none, and hides it', () => {
    // A list, not a name rule (decision 1026): a field whose name merely holds "trace" or "request" is looked for.
    for (const name of ['X-Trace-Token', 'X-Request-Key']) expect(credentialLines([{ name, value: '7b4f0b8e2c1d4f5a9e3b6a8d1c2e4f60' }])).toHaveLength(1);
    const value = 'Root=1-67891233-abcdef012345678912345678';
    expect(credentialLines([{ name: 'X-Amzn-Session', value }])).toEqual([{ name: 'X-Amzn-Session', value }]);
    expect(redactHeader('X-Amzn-Session', value)).toBe('[redacted]');
    expect(judged(['X-Amzn-Session', value], ['X-Amzn-Session', value])).toEqual(['provider credentials not echoed header X-Amzn-Session']);
  });

  it("still fails the client whose trace field holds its bearer, judged as client-request-id is (0332), and a provider that adds the bearer itself", () => {
    const token = 'r114-access-token-0123456789';
    for (const name of ['baggage', 'X-Amzn-Trace-Id', 'client-request-id']) {
      // The client's leak; the answer carrying back what the client sent is its data, Graph's echo (0332, 0770).
      expect(judged([name, token], [])).toEqual([`client request headers header ${name}`]);
      expect(judged([name, token], [name, token, 'X-Debug', token])).toEqual([`client request headers header ${name}`]);
    }
    // The other way: the trace field carries its own id, and the provider writes the bearer in.
    expect(judged(['baggage', 'userId=alice'], ['baggage', 'userId=alice', 'X-Debug', token])).toEqual(['provider credentials not echoed header X-Debug']);
  });
});
