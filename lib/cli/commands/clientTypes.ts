import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

import { AsyncClient } from '../../client/AsyncClient';
import { descriptionModule } from '../../client/descriptionModule';
import { ArHttpError, ErrorCodes } from '../../errors';

/** Reads a description from a URL (a service, or its description's `.json`) or a file. */
async function readDescription(source: string, headers: Record<string, string>): Promise<unknown> {
  if (!/^https?:\/\//i.test(source)) {
    let text: string;
    try {
      text = readFileSync(source, 'utf8');
    } catch (cause) {
      throw new ArHttpError(ErrorCodes.USAGE, `client-types: cannot read ${source}: ${(cause as Error).message}`, { cause });
    }
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new ArHttpError(ErrorCodes.CLIENT_BAD_DESCRIPTION, `the OpenAPI description in ${source} is not JSON: ${(cause as Error).message}`, { cause });
    }
  }
  const url = new URL(source);
  // A URL ending in .json is the description itself; any other is the service, serving /openapi.json.
  const isDocument = url.pathname.endsWith('.json');
  const base = isDocument ? url.origin : `${url.origin}${url.pathname}`;
  const client = new AsyncClient(base, { headers, openapi: isDocument ? `${url.pathname}${url.search}` : undefined });
  try {
    return await client.description();
  } finally {
    await client.close();
  }
}

function headersOf(lines: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ArHttpError(ErrorCodes.USAGE, 'client-types: --header takes "Name: value"');
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** `ar-http client-types <url-or-file> [--out FILE] [--import MODULE] [--header "Name: value"]...` */
export async function clientTypesCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      import: { type: 'string', default: 'ar-http' },
      header: { type: 'string', multiple: true, default: [] },
    },
  });
  if (positionals.length !== 1) {
    throw new ArHttpError(ErrorCodes.USAGE, 'client-types needs one URL or file of an OpenAPI 3 description');
  }
  const [source] = positionals;
  const document = await readDescription(source, headersOf(values.header));
  // A query string may hold a key: the module's comment names the URL without it.
  const shown = /^https?:\/\//i.test(source) ? source.replace(/[?#].*$/s, '') : source;
  const module = descriptionModule(document, { source: shown, importFrom: values.import });
  if (values.out === undefined) process.stdout.write(module);
  else writeFileSync(values.out, module);
  return 0;
}
