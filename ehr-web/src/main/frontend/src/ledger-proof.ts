/**
 * Checks an audit inclusion proof in the browser (ADR 0019), as infra/audit/VerifyAuditProof.java does offline:
 * the entry's text hashes to its RFC 6962 leaf, the audit path leads to the batch's root, the signed statement is the
 * tree head's fields, and the Ed25519 signature verifies with the published key. WebCrypto only; no server trust.
 */
export interface TreeHead { batch: number; size: number; root: string; previous: string; sealed: string; key: string }

export interface AuditProof {
  seq: number;
  sealed: boolean;
  entry?: string;
  leafHash?: string;
  leafIndex?: number;
  treeSize?: number;
  path?: string[];
  treeHead?: TreeHead;
  statement?: string;
  signature?: string;
  publicKey?: string;
}

/** verified: every check held; unsealed: not in a signed batch yet; failed: a check failed; unchecked: no Ed25519. */
export type ProofOutcome = 'verified' | 'unsealed' | 'failed' | 'unchecked';

const enc = new TextEncoder();

export function hex(bytes: Uint8Array): string {
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}

export function unhex(s: string): Uint8Array {
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const all = new Uint8Array(new ArrayBuffer(parts.reduce((n, p) => n + p.length, 0)));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest('SHA-256', all));
}

export function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(0), data);
}

function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(Uint8Array.of(1), left, right);
}

/** RFC 9162 section 2.1.3.2: the root an inclusion proof leads to, or null if the path does not fit the tree. */
export async function rootFromPath(leaf: Uint8Array, index: number, size: number, path: string[]):
  Promise<Uint8Array | null> {
  if (index < 0 || index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    const sibling = unhex(p);
    if (fn % 2 === 1 || fn === sn) {
      r = await nodeHash(sibling, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = await nodeHash(r, sibling);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? r : null;
}

export function statementOf(h: TreeHead): string {
  return `meridian-audit-tree-head/1\nbatch ${h.batch}\nsize ${h.size}\nroot ${h.root}\nprevious ${h.previous}\n`
    + `sealed ${h.sealed}\nkey ${h.key}\n`;
}

function base64(s: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(s), c => c.charCodeAt(0));
}

/** Checks one proof; {@code trustedKey} (X.509 base64, from /.well-known/meridian-audit-keys) pins the key. */
export async function checkProof(p: AuditProof, trustedKey?: string): Promise<ProofOutcome> {
  if (!p.sealed) return 'unsealed';
  if (!p.entry || !p.leafHash || p.leafIndex === undefined || p.treeSize === undefined || !p.path || !p.treeHead
    || !p.statement || !p.signature || !(trustedKey ?? p.publicKey)) return 'failed';
  const leaf = await leafHash(enc.encode(p.entry));
  if (hex(leaf) !== p.leafHash) return 'failed';
  const root = await rootFromPath(leaf, p.leafIndex, p.treeSize, p.path);
  if (!root || hex(root) !== p.treeHead.root) return 'failed';
  if (statementOf(p.treeHead) !== p.statement) return 'failed';
  const keyBytes = base64(trustedKey ?? p.publicKey ?? '');
  if (hex(await sha256(keyBytes)).slice(0, 16) !== p.treeHead.key) return 'failed';
  let key: CryptoKey;
  try {
    key = await crypto.subtle.importKey('spki', keyBytes, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    return 'unchecked';
  }
  const ok = await crypto.subtle.verify({ name: 'Ed25519' }, key, base64(p.signature), enc.encode(p.statement));
  return ok ? 'verified' : 'failed';
}
