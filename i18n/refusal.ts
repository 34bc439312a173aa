// A refusal in the reader's language. The code, status and every machine member
// stay as they are; title and action come from the catalogue of `locale`, and so
// does the detail when it is only the title repeated. A detail written for this
// request (a limit, a header's name, a policy rule's own reason) stays as written.
import { ERROR_CODES, type ErrorCode, type FerryError } from '../protocol/errors.js';
import { messages } from './catalogue.js';
import type { RefusalText } from './en/errors.js';
import type { Locale } from './locale.js';

export function refusalText(code: ErrorCode, locale: Locale): RefusalText {
  return messages(locale).errors[code];
}

/** RFC 9457 problem details in `locale`, with a `lang` member naming it. */
export function localizedProblem(err: FerryError, locale: Locale, instance?: string): Record<string, unknown> {
  const p = err.toProblem(instance);
  const t = refusalText(err.code, locale);
  const detail = err.message === ERROR_CODES[err.code].title ? t.title : p.detail;
  return { ...p, title: t.title, detail, action: t.action, lang: locale };
}
