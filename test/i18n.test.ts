// Every message exists in both languages, and the language a person gets is the one they asked for.
import t from 'tap';
import { messages, translator } from '../i18n/catalogue.js';
import { LOCALES, localeFromEnv, negotiate } from '../i18n/locale.js';
import { FINDING_KINDS } from '../protocol/findings.js';

/** Every leaf of a catalogue as 'ns.path.to.key', with its value. */
function leaves(o: unknown, at = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (o !== null && typeof o === 'object') {
    for (const [k, v] of Object.entries(o)) for (const [p, x] of leaves(v, at ? `${at}.${k}` : k)) out.set(p, x);
  } else out.set(at, o);
  return out;
}

t.test('the catalogues hold the same messages, none empty', async (t) => {
  const en = leaves(messages('en'));
  const zh = leaves(messages('zh-CN'));
  t.ok(en.size > FINDING_KINDS.length, `${en.size} messages`);
  t.same([...en.keys()].filter((k) => !zh.has(k)), [], 'no message in English only');
  t.same([...zh.keys()].filter((k) => !en.has(k)), [], 'no message in Chinese only');
  for (const l of LOCALES) {
    const bad = [...leaves(messages(l))].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
    t.same(bad, [], `${l}: every message is a non-empty string`);
  }
  // A Chinese catalogue that is the English one copied proves nothing.
  const same = [...en].filter(([k, v]) => zh.get(k) === v && /[a-z]{3}/i.test(String(v))).map(([k]) => k);
  t.same(same, [], 'no Chinese message is left in English');
  const interp = (s: unknown) => [...String(s).matchAll(/\{\{\s*(\w+)/g)].map((m) => m[1]).sort();
  const mismatched = [...en].filter(([k, v]) => JSON.stringify(interp(v)) !== JSON.stringify(interp(zh.get(k)))).map(([k]) => k);
  t.same(mismatched, [], 'both languages use the same placeholders');
});

t.test('every finding kind has a name in each language', async (t) => {
  for (const l of LOCALES) for (const k of FINDING_KINDS) t.ok(messages(l).findings.kinds[k], `${l} ${k}`);
  t.equal(translator('zh-CN', 'findings')('kinds.personal-data'), '个人信息');
  t.equal(translator('en', 'findings')('kinds.personal-data'), 'Personal data');
});

t.test('Accept-Language picks the answer language, q-values honoured', async (t) => {
  t.equal(negotiate(undefined), 'en', 'no header: the fallback');
  t.equal(negotiate(undefined, 'zh-CN'), 'zh-CN');
  t.equal(negotiate('zh-CN,zh;q=0.9,en;q=0.8'), 'zh-CN');
  t.equal(negotiate('en-GB, zh;q=0.5'), 'en');
  t.equal(negotiate('fr;q=1, zh-Hans;q=0.7, en;q=0.3'), 'zh-CN', 'the best of ours, not the first tag');
  t.equal(negotiate('en;q=0.2, zh-TW;q=0.6'), 'zh-CN', 'Traditional Chinese readers get Simplified rather than English');
  t.equal(negotiate('de, fr'), 'en', 'none of ours: the fallback');
  t.equal(negotiate('zh;q=0, en'), 'en', 'q=0 means not acceptable');
  t.equal(negotiate(';;;,,,q=='), 'en', 'garbage is the fallback, never a throw');
});

t.test('the CLI language: --lang, then LC_ALL, LC_MESSAGES, LANG', async (t) => {
  t.equal(localeFromEnv(undefined, {}), 'en');
  t.equal(localeFromEnv(undefined, { LANG: 'zh_CN.UTF-8' }), 'zh-CN');
  t.equal(localeFromEnv(undefined, { LANG: 'zh_CN.UTF-8', LC_ALL: 'C' }), 'en', 'LC_ALL=C wins over LANG');
  t.equal(localeFromEnv(undefined, { LANG: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.GB18030' }), 'zh-CN');
  t.equal(localeFromEnv('zh-CN', { LANG: 'C.UTF-8' }), 'zh-CN', 'the flag wins');
  t.equal(localeFromEnv('en', { LANG: 'zh_CN.UTF-8' }), 'en');
  t.throws(() => localeFromEnv('fr', {}), /zh-CN or en/, 'an unknown --lang is an error, not a silent English');
});

t.test('every description a schema gives a value is in each catalogue (a problem quotes it)', async (t) => {
  const { SCHEMAS } = await import('../tools/build-validators.js');
  const found = new Set<string>();
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o !== null && typeof o === 'object') {
      const d = (o as { description?: unknown }).description;
      if (typeof d === 'string') found.add(d);
      Object.values(o).forEach(walk);
    }
  };
  Object.values(SCHEMAS).forEach(walk);
  t.ok(found.size >= 4, `${found.size} descriptions`);
  for (const d of found) {
    t.equal(messages('en').problems.descriptions[d], d, `en: ${d}`);
    t.match(messages('zh-CN').problems.descriptions[d], /[\u4e00-\u9fff]/, `zh-CN: ${d}`);
  }
});
