/**
 * Signed interaction requests for the benchmark: Ed25519 over timestamp + body (as Discord signs),
 * built from the stand-in's interaction factories so payloads have Discord's real shape.
 */
import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import * as ix from '../test/standin/interactions.js';

export interface SignedRequest {
  method: 'POST';
  path: '/interactions';
  headers: Record<string, string>;
  body: string;
  /** What it is (for the sanity pass and the report). */
  kind: string;
  /** The draft's channel, for edits (responses tell its new version). */
  channel?: string;
}

export interface Signer {
  publicKeyHex: string;
  /** The private key (PKCS#8 PEM), to sign with the same key in another thread: createSigner(pem). */
  privateKeyPem: string;
  sign(payload: unknown, kind: string, channel?: string): SignedRequest;
}

/** A new Ed25519 key pair, or the one in `privateKeyPem`. */
export function createSigner(privateKeyPem?: string): Signer {
  const pem = privateKeyPem ?? (generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }) as string);
  const key: KeyObject = createPrivateKey(pem);
  const raw = createPublicKey(key).export({ format: 'der', type: 'spki' }).subarray(12);
  return {
    publicKeyHex: Buffer.from(raw).toString('hex'),
    privateKeyPem: pem,
    sign(payload, kind, channel) {
      const body = JSON.stringify(payload);
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = sign(null, Buffer.from(timestamp + body), key).toString('hex');
      return {
        method: 'POST',
        path: '/interactions',
        headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp },
        body,
        kind,
        ...(channel ? { channel } : {}),
      };
    },
  };
}

export const GUILD = '1300000000000000100';
export const channelId = (i: number): string => String(1300000000000100000n + BigInt(i));
export const memberId = (i: number): string => String(1300000000001000000n + BigInt(i));

let tokens = 0;
/** `bench.<channel>.<n>`: the sink reads the channel back from @original requests. */
const token = (channel: string): string => `bench.${channel}.${++tokens}`;

const user = (m: number) => ({ id: memberId(m), username: `member${m}`, global_name: `Member ${m}` });

const sub = (name: string, options: { type: number; name: string; value: unknown }[] = []) => [{ type: 1, name, options }];

export function ping(): unknown {
  return { id: '1', application_id: '1300000000000000001', type: 1, token: 'ping', version: 1 };
}

export function saltNew(channel: string, member: number, preset = 'calling'): unknown {
  return ix.chatInput({
    name: 'salt',
    channelId: channel,
    token: token(channel),
    user: user(member),
    options: sub('new', [{ type: 3, name: 'preset', value: preset }]) as never,
  });
}

export function saltShow(channel: string, member: number): unknown {
  return ix.chatInput({ name: 'salt', channelId: channel, token: token(channel), user: user(member), options: sub('show') as never });
}

export function saltPublish(channel: string, member: number): unknown {
  return ix.chatInput({ name: 'salt', channelId: channel, token: token(channel), user: user(member), options: sub('publish') as never });
}

/** `/salt listen bars:<bars>`: a private defer, then the WAV rendered on the preview worker. */
export function saltListen(channel: string, member: number, bars = 8): unknown {
  return ix.chatInput({ name: 'salt', channelId: channel, token: token(channel), user: user(member), options: sub('listen', [{ type: 4, name: 'bars', value: bars }]) as never });
}

export function saltVote(channel: string, member: number): unknown {
  return ix.chatInput({
    name: 'salt',
    channelId: channel,
    token: token(channel),
    user: user(member),
    options: sub('vote', [
      { type: 3, name: 'presets', value: 'calling, big-room-festival, deep-progressive' },
      { type: 4, name: 'minutes', value: 60 },
    ]) as never,
  });
}

export const VOTE_OPTIONS = ['calling', 'big-room-festival', 'deep-progressive'];

export function votePick(channel: string, member: number, customId: string, option: string): unknown {
  return ix.stringSelect({ customId, values: [option], channelId: channel, token: token(channel), user: user(member) });
}

const KEYS = ['A minor', 'F# minor', 'C major', 'G minor', 'Eb major', 'B minor'];
const STYLES = [
  'Melodic progressive house, cold and euphoric, emotionally driven',
  'Big-room festival progressive with a bright supersaw lead',
  'Deep progressive, rolling bass, restrained melodic pluck',
  'Euphoric sunrise progressive with airy pads and a singable hook',
];

/** The four edit forms the mix varies over, with valid values. */
export const FORMS = ['track', 'sidechain', 'timing1', 'details'] as const;
export type BenchForm = (typeof FORMS)[number];

export function formValues(form: BenchForm, n: number): Record<string, string | string[]> {
  switch (form) {
    case 'track':
      return {
        bpm: String(120 + (n % 10)),
        key: [KEYS[n % KEYS.length]!],
        style: STYLES[n % STYLES.length]!,
        references: 'Sebastian Ingrosso & Alesso - Calling (Lose My Mind)\nAxwell - Sun Is Shining',
        extras: n % 2 ? ['chainOfThought'] : [],
      };
    case 'sidechain':
      return { duck: String(5 + (n % 6)), attack: String(1 + (n % 4)), release: String(300 + (n % 8) * 10), ratio: String(3 + (n % 3)), layers: [] };
    case 'timing1':
      return { build: '1', apex: String(13 + (n % 3)), drop: '17', break: '33', secondDrop: n % 2 ? '49' : '' };
    case 'details':
      return {
        sub: String(180 + (n % 5) * 10),
        lead: '200-16000',
        spectralNotes: `Each layer keeps its own band (take ${n % 100}).`,
        attack: 'Bright defined transient into warm sustained supersaw.',
        arrangement: n % 3 ? 'Two drops; the second one wider.' : '',
      };
  }
}

export function formSubmit(channel: string, member: number, form: BenchForm, base: number, n: number): unknown {
  return ix.modalSubmit({
    customId: `s1:form:${form}:${base}`,
    components: formValues(form, n),
    channelId: channel,
    token: token(channel),
    user: user(member),
  });
}
