// Third red team of 30 November: UTF-8 read as GBK and saved again, in UTF-8
// or in GBK (gbk-mojibake-fixtures.ts, utf8-as-gbk.ts). Each way through is
// inspected whole and in chunks of 5 bytes (the witness and the characters
// it is confirmed by cut across chunks); the look-alikes give no finding.
import t from 'tap';
import { gbkMojibakeCleanSamples, gbkMojibakeSamples } from './gbk-mojibake-fixtures.js';
import { checkSamples } from './helpers/sample-checks.js';

await checkSamples(t, gbkMojibakeSamples(), gbkMojibakeCleanSamples());
