// The local stand-in for Amazon SES v2 that `make dev` and the `wrangler dev`
// tests run: npm `aws-ses-v2-local` (its web page at http://127.0.0.1:8005
// lists the mail sent; GET /store is the same as JSON), plus one thing it
// lacks: each raw message is also written whole, headers and all, as a
// `.eml` file in SES_LOCAL_DIR (default .wrangler/ses), so that what the
// Worker sent can be read exactly as SES was given it.
//
//   node dev/ses-local.cjs [--port 8005] [--host 127.0.0.1]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const mailparser = require('mailparser');

const dir = process.env.SES_LOCAL_DIR || path.join('.wrangler', 'ses');
fs.mkdirSync(dir, { recursive: true });
let n = 0;
// aws-ses-v2-local parses each raw message with mailparser's simpleParser
// before it keeps it: the buffer it parses is the message as sent.
const parse = mailparser.simpleParser;
mailparser.simpleParser = async (input, ...rest) => {
  const parsed = await parse(input, ...rest);
  if (Buffer.isBuffer(input)) {
    n += 1;
    const file = path.join(dir, `${Date.now()}-${String(n).padStart(6, "0")}.eml`);
    fs.writeFileSync(file, input);
    console.log(`aws-ses-v2-local: raw message written to ${path.resolve(file)}`);
  }
  return parsed;
};
require('aws-ses-v2-local/dist/cli.js');
