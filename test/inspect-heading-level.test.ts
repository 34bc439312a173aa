// A heading 密级 over prose on levels is no label and value (red team 1 Dec (c) G9).
import t from 'tap';
import { headingLevelCleanSamples, headingLevelSamples } from './heading-level-fixtures.js';
import { expectClean, expectRefused } from './sample-checks.js';

t.test('a heading 密级 and prose that starts 机密级文件 cross', (t) => expectClean(t, headingLevelCleanSamples()));
t.test("a form's value on the next line is still a marking", (t) => expectRefused(t, headingLevelSamples()));
