// DID-authentication presentation, built and signed as the DCC Learner
// Credential Wallet does for a VC-API exchange (vc.createPresentation with the
// holder's did:key, vc.signPresentation with an Ed25519Signature2020 suite and
// the exchange's challenge and domain; proofPurpose "authentication").
//
//   node present.mjs request.json   (or JSON on stdin)
//
// Input: {"challenge": "...", "domain": "..." (optional),
//         "seed": "<64 hex chars>" (optional, random when absent),
//         "version": 2 (optional: 1 or 2, the VC data model of the presentation;
//                       @digitalcredentials/vc defaults to 2)}
// Output (one JSON line): {"did", "verificationMethod", "presentation"}
import {Ed25519Signature2020} from '@digitalcredentials/ed25519-signature-2020';
import {
  Ed25519VerificationKey2020
} from '@digitalcredentials/ed25519-verification-key-2020';
import * as vc from '@digitalcredentials/vc';
import {buildDocumentLoader, readInput} from './common.mjs';

const documentLoader = buildDocumentLoader();
const request = readInput();
if(typeof request.challenge !== 'string' || !request.challenge) {
  throw new Error('present.mjs: "challenge" (a non-empty string) is required');
}
const seed = request.seed ?
  Uint8Array.from(Buffer.from(request.seed, 'hex')) :
  crypto.getRandomValues(new Uint8Array(32));
// generate twice from the same seed: once to learn the did:key, once with it
// as controller so that the key id is did:key:z6Mk...#z6Mk...
const probe = await Ed25519VerificationKey2020.generate({seed});
const did = `did:key:${probe.fingerprint()}`;
const key = await Ed25519VerificationKey2020.generate({seed, controller: did});
key.id = `${did}#${key.fingerprint()}`;

const suite = new Ed25519Signature2020({key});
const presentation = vc.createPresentation({
  holder: did, version: request.version === 1 ? 1.0 : 2.0
});
const signed = await vc.signPresentation({
  presentation,
  suite,
  challenge: request.challenge,
  domain: request.domain,
  documentLoader
});
process.stdout.write(JSON.stringify({
  did, verificationMethod: key.id, presentation: signed
}) + '\n');
