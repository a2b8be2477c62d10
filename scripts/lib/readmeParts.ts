/** The parts of README.md that are generated (scripts/readme.ts writes them; a test checks they are current). */
import { parse as parseYaml } from 'yaml';

interface ActionYml {
  inputs: Record<string, { description?: string; default?: unknown; required?: boolean }>;
  outputs: Record<string, { description?: string }>;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

/** The inputs and outputs tables, from action.yml's text. */
export function actionTables(actionYml: string): string {
  const a = parseYaml(actionYml) as ActionYml;
  const lines = ['| input | default | what |', '| --- | --- | --- |'];
  for (const [name, spec] of Object.entries(a.inputs)) {
    const def = spec.required ? '(required)' : spec.default === undefined || spec.default === '' ? '' : `\`${cell((typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default)))}\``;
    lines.push(`| \`${name}\` | ${def} | ${cell(spec.description ?? '')} |`);
  }
  lines.push('', '| output | what |', '| --- | --- |');
  for (const [name, spec] of Object.entries(a.outputs)) lines.push(`| \`${name}\` | ${cell(spec.description ?? '')} |`);
  return lines.join('\n');
}

export function markers(name: string): { begin: string; end: string } {
  return { begin: `<!-- generated:${name}:begin (npm run readme) -->`, end: `<!-- generated:${name}:end -->` };
}

/** `text` with the part between the markers of `name` replaced by `content`. */
export function replacePart(text: string, name: string, content: string): string {
  const { begin, end } = markers(name);
  const a = text.indexOf(begin);
  const b = text.indexOf(end, a);
  if (a < 0 || b < 0) throw new Error(`README.md has no ${begin} … ${end}`);
  return text.slice(0, a + begin.length) + '\n' + content + '\n' + text.slice(b);
}

/** The part between the markers of `name`, or null. */
export function readPart(text: string, name: string): string | null {
  const { begin, end } = markers(name);
  const a = text.indexOf(begin);
  const b = text.indexOf(end, a);
  return a < 0 || b < 0 ? null : text.slice(a + begin.length + 1, b - 1);
}
