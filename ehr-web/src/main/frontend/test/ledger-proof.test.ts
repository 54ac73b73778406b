import { describe, expect, it } from 'vitest';
import { checkProof, hex, leafHash, rootFromPath, statementOf, unhex, type AuditProof } from '../src/ledger-proof';

// RFC 6962 reference inputs and the published inclusion proofs for a tree of 8 (Certificate Transparency test data).
const DATA = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOT8 = '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328';

describe('audit inclusion proofs (RFC 6962)', () => {
  it('follows the reference audit paths to the reference root', async () => {
    const leaf0 = await leafHash(unhex(DATA[0]));
    const root = await rootFromPath(leaf0, 0, 8, ['96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7',
      '5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e',
      '6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4']);
    expect(root && hex(root)).toBe(ROOT8);
    const leaf5 = await leafHash(unhex(DATA[5]));
    const path5 = ['bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b',
      'ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7'];
    expect(hex((await rootFromPath(leaf5, 5, 8, path5))!)).toBe(ROOT8);
    expect(hex((await rootFromPath(leaf5, 4, 8, path5)) ?? new Uint8Array())).not.toBe(ROOT8);
  });

  it('verifies a signed single-entry batch and refuses a forged entry or signature', async () => {
    const pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify']) as CryptoKeyPair;
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const kid = hex(new Uint8Array(await crypto.subtle.digest('SHA-256', spki))).slice(0, 16);
    const entry = '2:42|16:1765022400000000|-|9:nl-amstel';
    const leaf = hex(await leafHash(new TextEncoder().encode(entry)));
    const treeHead = { batch: 3, size: 1, root: leaf, previous: '0'.repeat(64), sealed: '2026-12-06T12:00:00Z', key: kid };
    const statement = statementOf(treeHead);
    const signature = btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' },
      pair.privateKey, new TextEncoder().encode(statement)))));
    const publicKey = btoa(String.fromCharCode(...spki));
    const proof: AuditProof = { seq: 42, sealed: true, entry, leafHash: leaf, leafIndex: 0, treeSize: 1, path: [],
      treeHead, statement, signature, publicKey };
    expect(await checkProof(proof)).toBe('verified');
    expect(await checkProof({ ...proof, entry: entry + 'x' })).toBe('failed');
    expect(await checkProof({ ...proof, treeHead: { ...treeHead, batch: 4 } })).toBe('failed');
    expect(await checkProof({ ...proof, signature: btoa('x'.repeat(64)) })).toBe('failed');
    expect(await checkProof({ seq: 43, sealed: false })).toBe('unsealed');
  });
});
