// Independent signer (DCC libraries) used for interop tests.
//
//   node sign.mjs request.json   (or JSON on stdin)
//
// Input: {"credentials": [unsigned credential, ...],
//         "seed": "<64 hex chars>" (optional, random when absent),
//         "created": "<XSD dateTime>" (optional, now when absent)}
// Each credential's issuer id is replaced by the signing did:key.
// Output (one JSON line): {"did", "verificationMethod", "publicKeyMultibase",
//                          "credentials": [signed, ...]}
import * as Ed25519Multikey from '@digitalcredentials/ed25519-multikey';
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalcredentials/vc';
import {buildDocumentLoader, readInput} from './common.mjs';

const documentLoader = buildDocumentLoader();
const request = readInput();
const seed = request.seed ?
  Uint8Array.from(Buffer.from(request.seed, 'hex')) :
  crypto.getRandomValues(new Uint8Array(32));
// generate twice from the same seed: once to learn the did:key, once with it
// as controller so that the key id is did:key:z6Mk...#z6Mk...
const {publicKeyMultibase} = await Ed25519Multikey.generate({seed});
const did = `did:key:${publicKeyMultibase}`;
const keyPair = await Ed25519Multikey.generate({seed, controller: did});
const suite = new DataIntegrityProof({
  signer: keyPair.signer(), cryptosuite: eddsaRdfc2022, date: request.created
});
const signed = [];
for(const credential of request.credentials) {
  const copy = structuredClone(credential);
  if(copy.issuer && typeof copy.issuer === 'object') {
    copy.issuer.id = did;
  } else {
    copy.issuer = did;
  }
  signed.push(await vc.issue({credential: copy, suite, documentLoader}));
}
process.stdout.write(JSON.stringify({
  did,
  verificationMethod: keyPair.id,
  publicKeyMultibase: keyPair.publicKeyMultibase,
  credentials: signed
}) + '\n');
