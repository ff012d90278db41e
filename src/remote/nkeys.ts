import { createPrivateKey, createPublicKey, generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * NATS user nkeys (Ed25519 keys in NATS' base32 encoding) and the client side of nkey and
 * `.creds` (JWT) authentication, on node:crypto alone. The broker's configuration then holds
 * only public keys (`U...`), never a secret; each process holds its own seed (`SU...`).
 *
 * Encoding (as nats-io/nkeys): base32 (RFC 4648, no padding) of prefix byte(s) + 32 key bytes +
 * CRC-16/XMODEM of those, little-endian. A user's public key has the prefix byte 160 ('U'); a
 * seed has two bytes holding 144 (seed) and 160 (user) ('SU').
 */

const USER = 160;
const SEED = 144;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
// DER wrappers of a raw Ed25519 key (RFC 8410), so node:crypto takes the 32 bytes as they are.
const PKCS8_ED25519 = Buffer.from('302e020100300506032b657004220420', 'hex');

export interface UserNkey {
  /** The public key, `U...`: what the broker's configuration names. */
  publicKey: string;
  /** The secret seed, `SU...`: what the process holds (MODULITH_BROKER_NKEY_SEED). */
  seed: string;
}

/** A new random user nkey. */
export function generateUserNkey(): UserNkey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const raw = privateKey.export({ format: 'der', type: 'pkcs8' }).subarray(-32);
  return userNkeyFromSeedBytes(raw);
}

/** The public key of a user seed; throws a message without the seed when it is not one. */
export function publicKeyOfSeed(seed: string): string {
  return userNkeyFromSeedBytes(decodeUserSeed(seed)).publicKey;
}

/** Is this a well-formed user public key (`U...`, checksum included)? */
export function isUserPublicKey(key: string): boolean {
  try {
    const raw = decode(key);
    return raw.length === 33 && raw[0] === USER;
  } catch {
    return false;
  }
}

/** What a NATS client sends in CONNECT: the public key and the signature of the server's nonce. */
export type NatsAuth = { nkey: string; sig: string; jwt?: string };

/**
 * An `authenticator` for @nats-io/transport-node's connect options that signs the server's nonce
 * with this seed (and sends the JWT of a `.creds` file with it). Throws at once, without echoing
 * the seed, when the seed is malformed.
 */
export function nkeyAuthenticator(seed: string, jwt?: string): (nonce?: string) => NatsAuth {
  const bytes = decodeUserSeed(seed);
  const key = privateKeyOf(bytes);
  const nkey = userNkeyFromSeedBytes(bytes).publicKey;
  return (nonce?: string) => ({
    nkey,
    sig: nonce ? sign(null, Buffer.from(nonce, 'utf8'), key).toString('base64url') : '',
    ...(jwt ? { jwt } : {}),
  });
}

/** A `.creds` file (NATS decentralised auth): its user JWT and seed. */
export function readCredsFile(path: string): { jwt: string; seed: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read the NATS credentials file '${path}': ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const blocks = [...text.matchAll(/-{3,}[^\n]*-{3,}\r?\n([\s\S]+?)\r?\n\s*-{3,}[^\n]*-{3,}/g)].map((m) => m[1].trim());
  if (blocks.length < 2) throw new Error(`'${path}' is not a NATS credentials file (a user JWT block and a user nkey seed block)`);
  return { jwt: blocks[0], seed: blocks[1] };
}

function userNkeyFromSeedBytes(raw: Uint8Array): UserNkey {
  const publicRaw = createPublicKey(privateKeyOf(raw)).export({ format: 'der', type: 'spki' }).subarray(-32);
  return {
    publicKey: encode(Uint8Array.from([USER, ...publicRaw])),
    seed: encode(Uint8Array.from([SEED | (USER >> 5), (USER & 31) << 3, ...raw])),
  };
}

function decodeUserSeed(seed: string): Uint8Array {
  const problem = 'is not a NATS user nkey seed (SU followed by 56 base32 characters; nsc or `modulith broker-config` write them)';
  let raw: Uint8Array;
  try {
    raw = decode(typeof seed === 'string' ? seed.trim() : '');
  } catch {
    throw new Error(`the broker nkey seed ${problem}`);
  }
  const kind = raw[0] & 248;
  const role = ((raw[0] & 7) << 5) | ((raw[1] & 248) >> 3);
  if (raw.length !== 34 || kind !== SEED || role !== USER) throw new Error(`the broker nkey seed ${problem}`);
  return raw.subarray(2);
}

function privateKeyOf(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519, seed]), format: 'der', type: 'pkcs8' });
}

function encode(payload: Uint8Array): string {
  const crc = crc16(payload);
  const raw = Uint8Array.from([...payload, crc & 0xff, crc >> 8]);
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of raw) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** The payload of an encoded key, its checksum verified. */
function decode(text: string): Uint8Array {
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of text) {
    const index = ALPHABET.indexOf(char);
    if (index === -1) throw new Error('not base32');
    value = ((value << 5) | index) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (bytes.length < 4) throw new Error('too short');
  const payload = Uint8Array.from(bytes.slice(0, -2));
  const expected = bytes[bytes.length - 2] | (bytes[bytes.length - 1] << 8);
  if (crc16(payload) !== expected) throw new Error('bad checksum');
  return payload;
}

/** CRC-16/XMODEM (polynomial 0x1021, initial value 0). */
function crc16(data: Uint8Array): number {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}
