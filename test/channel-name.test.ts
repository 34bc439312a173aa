// A channel name goes into every record of its messages and to the receiver: besides its form it may hold no
// number masking would hide (routing/channel-name.ts), whatever separates the number's digits (seventh red team,
// 1 Dec, R22: `m138-1234-5678` was accepted, and with it every message carried a mobile number in clear).
import t from 'tap';
import { channelNameFault } from '../gateway/routing/channel-name.js';

t.test('ordinary names are channel names', async (t) => {
  for (const name of ['alerts', 'notices-2024', 'daily_2024', 'v1-2-3', 'batch-13-7', 'feed-1380', 'room-138']) {
    t.equal(channelNameFault(name), null, name);
  }
});

t.test('names that carry a phone or an id number are not', async (t) => {
  for (const name of ['m138-1234-5678', 'm138_1234_5678', 'tel-138-1234-5678', 'x13812345678', 'p-440305-19900307-4576', 'id4403051990_03074576', 'a1234567']) {
    t.ok(channelNameFault(name), `${name}: ${channelNameFault(name)}`);
  }
  t.equal(channelNameFault('Alerts'), 'A channel name is 1 to 63 lower-case letters, digits, - and _, starting with a letter or digit.', 'and the form is checked first');
});
