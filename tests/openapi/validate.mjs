// validate.mjs SPEC ANSWERS: check real answers against the OpenAPI document.
//
// SPEC is the served openapi.json; ANSWERS a JSON array of
// {method, route, status, body}: route is the path pattern of the route
// that answered ("/api/v1/incidents/{id}"). Each answer must be listed in
// the document (the operation and its status, or "default"), and a JSON
// body must match that response's schema (ajv, OpenAPI 3.0 "nullable").
// Prints one line per answer that fails and exits 1 if any did.
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';

const [specPath, answersPath] = process.argv.slice(2);
if (!specPath || !answersPath) {
	console.error('usage: node validate.mjs SPEC ANSWERS');
	process.exit(2);
}
const spec = JSON.parse(readFileSync(specPath, 'utf8'));
const answers = JSON.parse(readFileSync(answersPath, 'utf8'));
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: 'spec', components: spec.components });

// A response object, with a components/responses reference followed.
function resolve(r) {
	const ref = r && r.$ref;
	if (!ref) return r;
	return spec.components.responses[ref.split('/').pop()];
}

// The schema, with its local references pointed at the document.
function rebase(s) {
	if (Array.isArray(s)) return s.map(rebase);
	if (!s || typeof s !== 'object') return s;
	const o = {};
	for (const [k, v] of Object.entries(s))
		o[k] = k === '$ref' && v.startsWith('#/') ? 'spec' + v : rebase(v);
	return o;
}

let bad = 0;
for (const a of answers) {
	const where = `${a.method} ${a.route} -> ${a.status}`;
	const op = (spec.paths[a.route] || {})[a.method.toLowerCase()];
	if (!op) {
		console.log(`FAIL ${where}: no such operation in the document`);
		bad++;
		continue;
	}
	const res = resolve(op.responses[String(a.status)] || op.responses.default);
	if (!res) {
		console.log(`FAIL ${where}: status not in the document`);
		bad++;
		continue;
	}
	const media = res.content && res.content['application/json'];
	if (res.content && !media && a.body !== null && typeof a.body === 'object') {
		console.log(`FAIL ${where}: JSON where the document has ${Object.keys(res.content)}`);
		bad++;
		continue;
	}
	if (a.status === 204 || !media) {
		if (a.body !== null && a.body !== undefined && a.body !== '' && !res.content) {
			console.log(`FAIL ${where}: a body where the document has none`);
			bad++;
		}
		continue;
	}
	const check = ajv.compile(rebase(media.schema));
	if (!check(a.body)) {
		console.log(`FAIL ${where}: ${ajv.errorsText(check.errors)}`);
		bad++;
	}
}
console.log(`${answers.length - bad} of ${answers.length} answers match the document`);
process.exit(bad ? 1 : 0);
