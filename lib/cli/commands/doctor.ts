import { parseArgs } from 'node:util';

import { diagnose, type Diagnosis } from '../../usd/doctor';

function report(d: Diagnosis): string {
  const picked = {
    primary: 'yes, as the primary resolver',
    uri: `beside the primary resolver, for asset paths written @${d.uriSchemes[0]}:...@`,
    no: 'no',
  }[d.picked];
  const lines = [
    `usdcat:            ${d.usdcat ?? 'not found'}`,
    `plugin folders:    ${d.pluginFolders.length ? d.pluginFolders.join('\n                   ') : '(none read)'}`,
    `ar-http plugin:    ${d.plugin ?? 'not found in those folders'}`,
    `primary resolver:  ${d.primaryResolver ?? 'unknown'}`,
    `URI schemes:       ${d.uriSchemes.length ? d.uriSchemes.join(', ') : '(none)'}`,
    `ar-http picked:    ${picked}`,
    `transport:         ${
      d.transport === null
        ? '(not checked: no plugin)'
        : `${d.transport.library} ${d.transport.loads ? 'loads' : 'does not load'}` +
          (d.transport.missing.length ? `; ldd: not found ${d.transport.missing.join(', ')}` : '')
    }`,
    `server:            ${d.server === null ? '(none set)' : `${d.server.answer}`}`,
  ];
  if (d.loadLine !== null) lines.push(`at load:           ${d.loadLine}`);
  lines.push(d.healthy ? '\nar-http is picked and answers.' : '\nar-http is not ready.');
  if (d.advice.length) lines.push('', 'What to set:', ...d.advice.map((text) => `  - ${text}`));
  return `${lines.join('\n')}\n`;
}

export async function doctorCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { usdcat: { type: 'string' }, server: { type: 'string' }, json: { type: 'boolean' } },
  });
  const diagnosis = await diagnose({ usdcat: values.usdcat, server: values.server });
  process.stdout.write(values.json ? `${JSON.stringify(diagnosis, null, 2)}\n` : report(diagnosis));
  return diagnosis.healthy ? 0 : 1;
}
