import { NAME_RE } from '../../protocol/transfer.js';
import { maskText } from '../log/mask.js';

/**
 * Why `name` is no channel name, or null when it is one. One rule wherever a channel is
 * named: a business system's channel (ingress/channel-handler.ts) and a listed peer's envelope
 * (envelope.ts). A channel name is kept in every record of its messages and handed
 * to the receiver, so besides its form (NAME_RE) it may hold nothing masking would hide
 * (a long number: an id, a phone).
 */
export function channelNameFault(name: string): string | null {
  if (!NAME_RE.test(name)) return 'A channel name is 1 to 63 lower-case letters, digits, - and _, starting with a letter or digit.';
  if (maskText(name) !== name) return 'A channel name may not hold a run of six or more digits.';
  // The digits of one number apart by - or _ (`m138-1234-5678`, seventh red team R22): a mobile or an id number whatever separates them.
  const joined = name.replace(/(?<=\d)[-_]+(?=\d)/g, '');
  if (/(?<!\d)1[3-9]\d{9}(?!\d)/.test(joined) || /\d{15}/.test(joined)) return 'A channel name may not hold a phone or id number, whatever separates its digits.';
  return null;
}
