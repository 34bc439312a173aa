// Uploads in progress are counted per gateway (pipeline/admission.ts): two
// gateways in one process, as in the tests and the simulator, never share them.
import t from 'tap';
import { Admission } from '../gateway/pipeline/admission.js';
import { FerryError } from '../protocol/errors.js';

const code = (fn: () => unknown): string | null => {
  try {
    fn();
    return null;
  } catch (err) {
    return err instanceof FerryError ? err.code : 'not a FerryError';
  }
};

t.test('a principal may have so many uploads in progress, and one per idempotency key', async (t) => {
  const a = new Admission(() => 2);
  const p1 = a.take('ferry://police/sys1', 'k1');
  t.equal(code(() => a.take('ferry://police/sys1', 'k1')), 'FERRY_UPLOAD_IN_PROGRESS', 'the same key again, while the first is received');
  t.equal(code(() => a.check('ferry://police/sys2', 'k1')), null, 'a key is per principal');
  const p2 = a.take('ferry://police/sys1', undefined);
  t.equal(code(() => a.check('ferry://police/sys1', undefined)), 'FERRY_TOO_MANY_UPLOADS', 'past the limit');
  t.equal(a.inProgress, 2);
  p1.release();
  p1.release();
  t.equal(a.inProgress, 1, 'a place is given back once, however often released');
  t.equal(code(() => a.take('ferry://police/sys1', 'k1').release()), null, 'the key is free again');
  p2.release();
  t.equal(a.inProgress, 0);
});

t.test('two gateways in one process keep their own counts and keys', async (t) => {
  const gw1 = new Admission(() => 1);
  const gw2 = new Admission(() => 1);
  const held = gw1.take('ferry://gateway/gw0', 'transfer-1');
  t.equal(code(() => gw2.take('ferry://gateway/gw0', 'transfer-1').release()), null, 'the other gateway takes the same principal and key');
  t.equal(code(() => gw1.check('ferry://gateway/gw0', undefined)), 'FERRY_TOO_MANY_UPLOADS', 'while the first still counts its own');
  held.release();
  t.equal(gw1.inProgress + gw2.inProgress, 0);
});
