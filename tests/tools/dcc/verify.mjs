// Independent verifier: checks credentials the way the DCC verifier
// (verifier-core) does, with the DCC JavaScript libraries.
//
//   node verify.mjs credential.json        (or JSON on stdin)
//
// Input: one credential object, or an array of them. Output: one JSON line,
//   {"verified": bool, "signature": bool, "errors": [...], "status": {...}}
// "verified" is the overall result (signature, dates, status); "signature"
// is the proof alone; "status" is {checked, verified, results: [{..., set}]}.
// or, for an array input, one JSON line holding an array of such objects.
import {DataIntegrityProof} from '@digitalcredentials/data-integrity';
import {cryptosuite as eddsaRdfc2022} from '@digitalcredentials/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalcredentials/vc';
import {checkStatus} from '@digitalcredentials/vc-bitstring-status-list';
import {buildDocumentLoader, readInput} from './common.mjs';

const documentLoader = buildDocumentLoader();
const suite = new DataIntegrityProof({cryptosuite: eddsaRdfc2022});

function messages(error, out = []) {
  if(!error) {
    return out;
  }
  if(Array.isArray(error)) {
    error.forEach(e => messages(e, out));
    return out;
  }
  if(error.message) {
    out.push(`${error.name || 'Error'}: ${error.message}`);
  } else {
    out.push(String(error));
  }
  if(error.errors) {
    messages(error.errors, out);
  }
  if(error.cause && error.cause !== error) {
    messages(error.cause, out);
  }
  return out;
}

function statusEntries(credential) {
  const cs = credential.credentialStatus;
  if(!cs) {
    return [];
  }
  return (Array.isArray(cs) ? cs : [cs]).filter(
    s => s && s.type === 'BitstringStatusListEntry');
}

async function verifyOne(credential) {
  const errors = [];
  const status = {checked: false};
  if(!credential || typeof credential !== 'object') {
    return {verified: false, signature: false, errors: ['input is not a JSON object'], status};
  }
  if(!credential.proof) {
    return {verified: false, signature: false, errors: ['credential has no proof'], status};
  }
  const hasStatus = statusEntries(credential).length > 0;
  let result;
  try {
    result = await vc.verifyCredential({
      credential,
      suite,
      documentLoader,
      checkStatus: hasStatus ? checkStatus : undefined
    });
  } catch(e) {
    return {verified: false, signature: false, errors: messages(e), status};
  }
  messages(result.error, errors);
  for(const r of result.results || []) {
    if(!r.verified) {
      messages(r.error, errors);
    }
  }
  if(result.statusResult) {
    status.checked = true;
    status.verified = result.statusResult.verified;
    status.results = (result.statusResult.results || []).map(r => ({
      statusPurpose: r.credentialStatus?.statusPurpose,
      statusListIndex: r.credentialStatus?.statusListIndex,
      statusListCredential: r.credentialStatus?.statusListCredential,
      // the DCC libraries report verified=true when the bit is NOT set
      set: !r.verified
    }));
    if(result.statusResult.error) {
      status.error = messages(result.statusResult.error).join('; ');
      errors.push(`status: ${status.error}`);
    } else if(!result.statusResult.verified) {
      errors.push('status: credential status bit is set (revoked/suspended)');
    }
  }
  const verified = result.verified === true && errors.length === 0;
  // signature: the proof itself verified (independently of the status check)
  const signature = Array.isArray(result.results) && result.results.length > 0 &&
    result.results.every(r => r.verified === true);
  return {verified, signature, errors: [...new Set(errors)], status, log: result.log};
}

const input = readInput();
if(Array.isArray(input)) {
  const out = [];
  for(const credential of input) {
    out.push(await verifyOne(credential));
  }
  process.stdout.write(JSON.stringify(out) + '\n');
} else {
  process.stdout.write(JSON.stringify(await verifyOne(input)) + '\n');
}
