// Shared pieces of the DCC harness: input reading and the document loader.
import {readFileSync} from 'node:fs';
import {securityLoader} from '@digitalcredentials/security-document-loader';

/** Read JSON from the file named by argv[2], or from stdin when absent or "-". */
export function readInput() {
  const arg = process.argv[2];
  const text = (!arg || arg === '-') ?
    readFileSync(0, 'utf8') : readFileSync(arg, 'utf8');
  return JSON.parse(text);
}

function isLocalHttp(url) {
  try {
    const {protocol, hostname} = new URL(url);
    return protocol === 'http:' &&
      (hostname === '127.0.0.1' || hostname === 'localhost' ||
       hostname === '[::1]');
  } catch(e) {
    return false;
  }
}

/**
 * The DCC security document loader (the contexts, did:key and did:web
 * resolution that the DCC verifier and Learner Credential Wallet use), plus
 * plain-http fetching restricted to loopback addresses so that tests can serve
 * a status list credential from a local http.server. Nothing else is fetched.
 */
export function buildDocumentLoader() {
  const loader = securityLoader({fetchRemoteContexts: false});
  loader.setProtocolHandler({
    protocol: 'http',
    handler: {
      async get({url}) {
        if(!isLocalHttp(url)) {
          throw new Error(`refusing to fetch non-loopback URL ${url}`);
        }
        const response = await fetch(url, {headers: {'Cache-Control': 'no-cache'}});
        if(!response.ok) {
          throw new Error(`HTTP ${response.status} fetching ${url}`);
        }
        return JSON.parse(await response.text());
      }
    }
  });
  return loader.build();
}
