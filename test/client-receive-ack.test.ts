// Regression (issue 10, broken 4): an acknowledgement that fails after the file
// was saved said "nothing was kept", and the next `ferry receive` saved the
// same transfer again as "name (2).txt".
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { openAuditLog } from '../gateway/audit/audit-log.js';
import { parseGatewayConfig } from '../gateway/config/gateway-config.js';
import { startGateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/log/logger.js';
import { clientFor, putFile, startTestGateway } from './helpers/gateway-fixture.js';
import { runFerry } from './helpers/ferry-process.js';
import { makePki } from './helpers/pki.js';

t.test('a failed acknowledgement says the file is saved, and the next receive only acknowledges it', async (t) => {
  const pki = await makePki();
  const fx = await startTestGateway(t, { destinationPort: 9 });
  const sender = clientFor(t, pki, pki.system('ferry://police/sys1'));
  const sent = await putFile(sender, fx.url('police'), Buffer.from('quarterly figures'), {
    'ferry-to': 'extranet/portal', 'ferry-label': 'public', 'content-length': '17', 'ferry-filename': 'report.txt',
  });
  t.equal(sent.status, 202);
  // Make the acknowledgement fail: another writer on the audit log stops the gateway's writer.
  const intruder = openAuditLog(join(fx.dir, 'data', 'audit.db'), { origin: 'ferry.gateway/gw1' });
  await intruder.append({ event: 'started', details: { note: 'a second writer' } });
  await intruder.close();

  const out = join(fx.dir, 'received');
  const portal = pki.system('ferry://extranet/portal');
  const env = (port: number) => ({ FERRY_GATEWAY: `https://127.0.0.1:${port}`, FERRY_CERT: portal.certPath, FERRY_KEY: portal.keyPath, FERRY_CA: pki.caCertPath });
  const first = await runFerry(['receive', '--out', out], { env: env(fx.gw.ports.extranet!) });
  t.equal(first.code, 1, 'the run reports a failure');
  t.match(first.stderr, new RegExp(`transfer ${sent.json.id} was saved as .*report\\.txt but the gateway did not take the acknowledgement`));
  t.notMatch(first.stderr, /nothing was kept/, 'it does not claim nothing was kept');
  t.same((await readdir(out)).filter((n) => !n.startsWith('.')), ['report.txt'], 'the file is there');

  // The operator restarts the gateway; the transfer is offered again.
  await fx.gw.stop();
  const gw = await startGateway(parseGatewayConfig(fx.configText, join(fx.dir, 'gateway.yaml')), { log: createLogger({ level: 'silent' }) });
  t.teardown(() => gw.stop());
  const second = await runFerry(['receive', '--out', out], { env: env(gw.ports.extranet!) });
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, new RegExp(`acknowledged ${sent.json.id}: already saved here`));
  t.same((await readdir(out)).filter((n) => !n.startsWith('.')), ['report.txt'], 'not saved a second time');
  const third = await runFerry(['receive', '--out', out], { env: env(gw.ports.extranet!) });
  t.match(third.stderr, /0 received, 0 failed/, 'and it is no longer offered');
});
