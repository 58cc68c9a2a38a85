// The one JUnit writer (src/junit) of verify, check-client and conform.
import { junitXml, xmlText } from '../../src/junit';
import { checkClientJUnit } from '../../src/client-check';
import { verifyJUnit, type VerifyResult } from '../../src/verification';

describe('junitXml', () => {
  it('counts failures, errors and skipped per suite and in all, and nests each outcome in its case', () => {
    const xml = junitXml({
      name: 'vppkit test',
      time: 1.5,
      suites: [
        {
          name: 'one',
          properties: { seed: 4, profile: 'beta' },
          cases: [
            { classname: 'c', name: 'passes' },
            { classname: 'c', name: 'fails', failure: { message: 'first line', text: 'first line\nsecond' } },
            { classname: 'c', name: 'errs', error: { message: 'state not set up' } },
          ],
        },
        { name: 'two', cases: [{ classname: 'c', name: 'skips', skipped: 'no GET' }] },
      ],
    });
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="vppkit test" tests="4" failures="1" errors="1" skipped="1" time="1.500">',
        '  <testsuite name="one" tests="3" failures="1" errors="1" skipped="0">',
        '    <properties><property name="seed" value="4"/><property name="profile" value="beta"/></properties>',
        '    <testcase classname="c" name="passes"/>',
        '    <testcase classname="c" name="fails">',
        '      <failure message="first line">first line\nsecond</failure>',
        '    </testcase>',
        '    <testcase classname="c" name="errs">',
        '      <error message="state not set up">state not set up</error>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="two" tests="1" failures="0" errors="0" skipped="1">',
        '    <testcase classname="c" name="skips">',
        '      <skipped message="no GET"/>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('escapes the five XML characters and drops the control characters XML 1.0 forbids', () => {
    expect(xmlText(`a&b<c>d"e'f\u0000g\u001bh\ti\nj`)).toBe('a&amp;b&lt;c&gt;d&quot;e&apos;fgh\ti\nj');
    const xml = junitXml({ name: 'x', suites: [{ name: 's', cases: [{ classname: 'c', name: '<"bad">', failure: { message: 'a & b' } }] }] });
    expect(xml).toContain('name="&lt;&quot;bad&quot;&gt;"');
    expect(xml).toContain('<failure message="a &amp; b">a &amp; b</failure>');
  });
});

describe('verify and check-client write their JUnit with it', () => {
  it('verify: one case per interaction, an error for a state that was not set up, a case per failure outside one', () => {
    const result: VerifyResult = {
      passed: false,
      providerBaseUrl: 'http://127.0.0.1:1/beta',
      interactions: [
        { description: 'ok one', passed: true, mismatches: [], answerProblems: [], pactMismatches: [] },
        { description: 'broken', passed: false, mismatches: ['$.id: expected a string', 'status: 500'], answerProblems: [], pactMismatches: ['$.id: expected a string', 'status: 500'] },
        { description: 'no state', passed: false, mismatches: [], answerProblems: [], pactMismatches: [], setupFailure: 'the state handler answered 500' },
      ],
      failures: ['a pact could not be loaded'],
      setupFailed: 1,
      summary: '3 interactions',
    };
    const xml = verifyJUnit(result, 'my-provider');
    expect(xml).toContain('<testsuites name="vppkit verify" tests="4" failures="2" errors="1" skipped="0">');
    expect(xml).toContain('<testsuite name="my-provider at http://127.0.0.1:1/beta"');
    expect(xml).toContain('<testcase classname="my-provider" name="ok one"/>');
    expect(xml).toContain('<failure message="$.id: expected a string">$.id: expected a string\nstatus: 500</failure>');
    expect(xml).toContain('<error message="the state handler answered 500">');
    expect(xml).toContain('name="verification failure 1">\n      <failure message="a pact could not be loaded">');
  });

  // A request the mock does not model (501, decisions 0183 and 0520) or that the client cut was counted as a pass.
  it('check-client: a request not judged is skipped, with why; one broken for its bearer beside a 501 still fails', () => {
    const notModelled = 'reading another Graph resource (me) is not modelled by the mock';
    const xml = checkClientJUnit(
      {
        passed: false,
        exitCode: 0,
        requests: [
          { method: 'GET', path: '/beta/me', status: 501, problems: [], notModelled },
          { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', status: null, problems: [], notJudged: 'the client closed the connection after 10 body bytes' },
          { method: 'GET', path: '/beta/me', status: 401, problems: [{ part: 'header', header: 'Authorization', where: 'header Authorization', message: 'is required' }], notModelled },
          { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', status: 201, problems: [] },
        ],
        counts: { checked: 4, kept: 1, broke: 1, notJudged: 2, closedByClient: 1, notRun: 0, notModelled: 1 },
        failures: ['1 of 4 requests broke the contract'],
        summary: '4 requests checked: 1 kept the contract, 1 broke it, 2 not judged (1 closed by the client, 1 not modelled by the mock: answered 501)',
      },
      'node',
    );
    expect(xml).toContain('<testsuites name="vppkit check-client" tests="4" failures="1" errors="0" skipped="2">');
    expect(xml).toContain(`<skipped message="not judged: ${notModelled}"/>`);
    expect(xml).toContain('<skipped message="the client closed the connection after 10 body bytes"/>');
    expect(xml).toMatch(/name="request 3: GET \/beta\/me -&gt; 401">\n\s+<failure message="header Authorization: is required">/);
    expect(xml).toContain('<testcase classname="check-client" name="request 4: POST /beta/deviceAppManagement/vppTokens -&gt; 201"/>');
  });

  // Decision 0680: a request inside a batch that was not run (424, or refused with its batch) was a passed case.
  it('check-client: a request not run inside its batch is skipped with why; one not run that broke the contract still fails', () => {
    const notRun = 'a request it depends on failed (424 Failed Dependency): not run';
    const xml = checkClientJUnit(
      {
        passed: false,
        exitCode: 0,
        requests: [
          { method: 'POST', path: '/beta/$batch', status: 200, problems: [], kind: 'batch' },
          { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', batchId: '2', status: 424, problems: [], notRun },
          { method: 'POST', path: '/beta/deviceAppManagement/vppTokens', batchId: '3', status: 424, problems: [{ part: 'body', pointer: '/token', where: 'body /token', message: 'is required' }], notRun },
        ],
        counts: { checked: 3, kept: 1, broke: 1, notJudged: 1, closedByClient: 0, notRun: 1, notModelled: 0 },
        failures: ['1 of 3 requests broke the contract'],
        summary: '3 requests checked: 1 kept the contract, 1 broke it, 1 not judged (not run inside their batch)',
      },
      'node',
    );
    expect(xml).toContain('<testsuites name="vppkit check-client" tests="3" failures="1" errors="0" skipped="1">');
    expect(xml).toMatch(/name="request 2: POST \/beta\/deviceAppManagement\/vppTokens -&gt; 424">\n\s+<skipped message="a request it depends on failed \(424 Failed Dependency\): not run"\/>/);
    expect(xml).toMatch(/name="request 3: POST \/beta\/deviceAppManagement\/vppTokens -&gt; 424">\n\s+<failure message="body \/token: is required">/);
    expect(xml).toContain('<testcase classname="check-client" name="request 1: POST /beta/$batch -&gt; 200"/>');
  });

  // Decision 0681 (0661's leftover): the run exits 2 for a pact it did not write; the JUnit report said nothing of it.
  it('check-client: a run that passed but wrote no pact has a pact case in error, with why; one that wrote its pact has none', () => {
    const run = { passed: true, exitCode: 0, requests: [{ method: 'POST', path: '/beta/deviceAppManagement/vppTokens', status: null, problems: [], notJudged: 'the client closed the connection after 0 body bytes' }], counts: { checked: 1, kept: 0, broke: 0, notJudged: 1, closedByClient: 1, notRun: 0, notModelled: 0 }, failures: [], summary: '1 request checked' };
    const noPact = 'no pact written: no create got an answer of the contract to describe (1 got no answer: the client closed its connection before the mock answered); give the client a timeout longer than --latency, or lower --latency, to write one';
    const unwritten = 'cannot write the pact pacts/a-b.json: no space left on the device (ENOSPC); the pact that was there is kept';
    for (const [result, why] of [[{ ...run, noPact }, noPact], [{ ...run, pactUnwritten: unwritten }, unwritten]] as const) {
      const xml = checkClientJUnit(result, 'node');
      expect(xml).toContain('<testsuites name="vppkit check-client" tests="2" failures="0" errors="1" skipped="1">');
      expect(xml).toContain(`<testcase classname="check-client" name="pact">\n      <error message="${why.replace(/&/g, '&amp;').replace(/'/g, '&apos;')}">`);
    }
    const written = checkClientJUnit({ ...run, pactFile: 'pacts/a-b.json' }, 'node');
    expect(written).toContain('tests="1" failures="0" errors="0" skipped="1"');
    expect(written).not.toContain('name="pact"');
  });

  it('check-client: one case per request, then one per failure of the run that no request says', () => {
    const xml = checkClientJUnit(
      {
        passed: false,
        exitCode: 3,
        requests: [
          { method: 'POST', path: '/deviceAppManagement/vppTokens', status: 201, problems: [] },
          { method: 'POST', path: '/deviceAppManagement/vppTokens', status: 400, problems: [{ part: 'body', pointer: '/token', where: 'body /token', message: 'must be string' }] },
        ],
        counts: { checked: 2, kept: 1, broke: 1, notJudged: 0, closedByClient: 0, notRun: 0, notModelled: 0 },
        failures: ['the client exited with code 3', '1 of 2 requests broke the contract'],
        summary: '2 requests checked: 1 kept the contract, 1 broke it; client exit code 3',
      },
      'node',
    );
    expect(xml).toContain('<testsuites name="vppkit check-client" tests="3" failures="2" errors="0" skipped="0">');
    expect(xml).toContain('<testsuite name="node" tests="3"');
    expect(xml).toContain('<testcase classname="check-client" name="request 1: POST /deviceAppManagement/vppTokens -&gt; 201"/>');
    expect(xml).toMatch(/name="request 2: POST \/deviceAppManagement\/vppTokens -&gt; 400">\n\s+<failure message="body \/token: must be string">body \/token: must be string<\/failure>/);
    // The run's own failure is a case; the count of broken requests is not (each is its request's case).
    expect(xml).toContain('<testcase classname="check-client" name="the client exited with code 3">\n      <failure message="the client exited with code 3">');
    expect(xml).not.toContain('broke the contract');
  });
});
