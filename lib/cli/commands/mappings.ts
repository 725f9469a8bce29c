import { parseArgs } from 'node:util';

import { ArHttpError, ErrorCodes } from '../../errors';
import type { Change } from '../../store/MappingStore';
import { adminClient, explainAdminError } from './adminClient';

const subcommands: Record<string, number> = { list: 0, get: 1, set: 2, delete: 1, history: 1 };

interface Mapping {
  assetPath: string;
  resolvedPath: string;
}

/**
 * `ar-http mappings list|get|set|delete|history`: the resolution server's admin API,
 * driven through the AsyncClient (`client._ar.mappings.get()` and so on).
 * The server is `--server`, else AR_HTTP_SERVER_URL, else
 * http://localhost:8000; AR_HTTP_SERVER_TOKEN goes as a bearer token.
 */
export async function mappingsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { server: { type: 'string' }, json: { type: 'boolean', default: false } },
  });
  const [action, ...operands] = positionals;
  if (action === undefined || subcommands[action] === undefined) {
    throw new ArHttpError(ErrorCodes.USAGE, `mappings needs one of ${Object.keys(subcommands).join(', ')}`);
  }
  if (operands.length !== subcommands[action]) {
    const wanted = { list: '', get: ' <assetPath>', set: ' <assetPath> <resolvedPath>', delete: ' <assetPath>', history: ' <assetPath>' }[action];
    throw new ArHttpError(ErrorCodes.USAGE, `usage: ar-http mappings ${action}${wanted}`);
  }
  const { client, server } = adminClient(values.server);
  const [assetPath, resolvedPath] = operands;
  try {
    switch (action) {
      case 'list': {
        const { mappings } = await client._ar.mappings.get<{ mappings: Record<string, string> }>();
        if (values.json) process.stdout.write(`${JSON.stringify(mappings, null, 2)}\n`);
        else for (const [from, to] of Object.entries(mappings)) process.stdout.write(`${from}\t${to}\n`);
        return 0;
      }
      case 'get': {
        const mapping = await client._ar.mappings.get<Mapping>({ asset_path: assetPath });
        process.stdout.write(values.json ? `${JSON.stringify(mapping)}\n` : `${mapping.resolvedPath}\n`);
        return 0;
      }
      case 'set': {
        const answer = await client._ar.mappings.put<Mapping>({ asset_path: assetPath, resolvedPath }, { full: true });
        process.stdout.write(values.json ? `${JSON.stringify(answer.body)}\n` : `${answer.status === 201 ? 'added' : 'replaced'}: ${assetPath} -> ${answer.body.resolvedPath}\n`);
        return 0;
      }
      case 'history': {
        const { changes } = await client._ar.mappings.history.get<{ changes: Change[] }>({ asset_path: assetPath });
        if (values.json) process.stdout.write(`${JSON.stringify(changes, null, 2)}\n`);
        else for (const change of changes) process.stdout.write(`${change.at}\t${change.oldResolvedPath ?? '(none)'} -> ${change.newResolvedPath ?? '(removed)'}\n`);
        return 0;
      }
      default: {
        await client._ar.mappings.delete({ asset_path: assetPath });
        if (!values.json) process.stdout.write(`removed: ${assetPath}\n`);
        return 0;
      }
    }
  } catch (error) {
    process.stderr.write(
      `${explainAdminError(error, server, {
        notFound: action === 'list' ? undefined : `no mapping for ${JSON.stringify(assetPath)}`,
        missing: 'admin API for mappings (a server started with a resolve function has none)',
      })}\n`,
    );
    return 1;
  } finally {
    await client.close();
  }
}
