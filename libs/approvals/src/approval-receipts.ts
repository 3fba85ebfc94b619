import { calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8, type JWK, SignJWT } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Approval } from './approvals.types';

/** The public half of the signing key, as `GET /.well-known/jwks.json` serves it. */
export interface Jwks {
  keys: JWK[];
}

/**
 * Signs approval receipts: a compact JWS (EdDSA over Ed25519, `kid` in the header) of
 * `{ iss, sub: approval_id, tenant, run_id, action_digest, approved_by, iat, exp }`, which an
 * executor verifies offline against the JWKS and then compares with the action it is about to run.
 * Built on `jose`; no hand-made crypto.
 */
export class ApprovalReceipts {
  private constructor(
    private readonly privateKey: CryptoKey | KeyObject,
    private readonly publicJwk: JWK,
    private readonly issuer: string,
  ) {}

  /** From a PKCS#8 PEM Ed25519 private key, or a fresh key when none is given (development only). */
  static async create(issuer: string, privateKeyPem?: string): Promise<ApprovalReceipts> {
    let privateKey: CryptoKey | KeyObject;
    let publicJwk: JWK;
    if (privateKeyPem) {
      privateKey = await importPKCS8(privateKeyPem, 'EdDSA', { extractable: true });
      publicJwk = await exportJWK(createPublicKey(privateKeyPem));
    } else {
      const pair = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
      privateKey = pair.privateKey;
      publicJwk = await exportJWK(pair.publicKey);
    }
    const kid = await calculateJwkThumbprint(publicJwk);
    return new ApprovalReceipts(privateKey, { ...publicJwk, kid, alg: 'EdDSA', use: 'sig' }, issuer);
  }

  get jwks(): Jwks {
    return { keys: [this.publicJwk] };
  }

  sign(approval: Approval): Promise<string> {
    return new SignJWT({
      tenant: approval.tenant,
      run_id: approval.run_id,
      action_digest: approval.action_digest,
      approved_by: approval.decisions.filter((d) => d.decision === 'approve').map((d) => d.by),
    })
      .setProtectedHeader({ alg: 'EdDSA', kid: this.publicJwk.kid, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(approval.approval_id)
      .setIssuedAt(Math.floor(Date.parse(approval.decided_at ?? approval.created_at) / 1000))
      .setExpirationTime(Math.floor(Date.parse(approval.expires_at) / 1000))
      .sign(this.privateKey);
  }
}
