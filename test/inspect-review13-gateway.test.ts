// review13 end to end: each hole the thirteenth review closed, through a real gateway under the default policy
// (policies/examples/default.yaml, as `ferry init` writes it): the samples that crossed are refused with their
// finding named, the ordinary files it refused cross (review13-fixtures.ts).
import t from 'tap';
import { makePki } from './helpers/pki.js';
import { clientFor, putFile, startDestination, startTestGateway } from './helpers/gateway-fixture.js';
import { commaSamples13, paintedCleanSamples13, paintedSamples13, warcCleanSamples13, warcSamples13, yencCleanSamples13, yencSamples13 } from './review13-fixtures.js';

t.setTimeout(600_000);

t.test('the default policy refuses what crossed and passes what it refused', async (t) => {
  const refused = [...warcSamples13(), ...yencSamples13(), ...commaSamples13(), ...paintedSamples13()];
  const clean = [...warcCleanSamples13(), ...yencCleanSamples13(), ...paintedCleanSamples13()];
  const pki = await makePki();
  const dest = await startDestination(t, pki);
  const fx = await startTestGateway(t, { destinationPort: dest.port });
  let sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  let last = Date.now();
  const send = async (body: Buffer, name: string, type: string) => {
    // A new connection after a pause (the gateway's 5 s keep-alive; gateway-evasions.test.ts).
    if (Date.now() - last > 1000) sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
    const r = await putFile(sender, fx.url('police'), body, { 'ferry-to': 'extranet/archive', 'ferry-label': 'internal', 'ferry-filename': encodeURIComponent(name), 'content-type': type, 'content-length': String(body.length) });
    last = Date.now();
    return r;
  };
  for (const s of refused) {
    const r = await send(s.body, s.filename, s.type);
    t.equal(r.status, 422, `${s.name}: refused`);
    const findings = (r.json.findings ?? []) as Array<{ kind: string }>;
    t.ok(findings.some((f) => f.kind === s.expect), `${s.name}: ${s.expect} named (${findings.map((f) => f.kind).join(', ')})`);
  }
  for (const s of clean) {
    const r = await send(s.body, s.filename, s.type);
    t.equal(r.status, 202, `${s.name}: crosses (${JSON.stringify(r.json.findings ?? r.json.detail ?? '')})`);
  }
});
