/** Wires the action's inputs to a mode. Everything else lives in ops/ and core/. */
import * as core from '@actions/core';
import { directoryArchiveSink, fileWatermarkStore, openDbFile, saveDbFile } from './adapters/files.js';
import { readActionInputs } from './action/inputs.js';
import { renderDigestText } from './core/render.js';
import { runDistill } from './ops/distillRun.js';
import { promoteTiers } from './ops/promoteTiers.js';

export async function run(now: () => number = () => Date.now() * 1000): Promise<void> {
  try {
    const inputs = readActionInputs((name) => core.getInput(name));
    const log = { info: core.info, warning: core.warning };
    const store = await openDbFile(inputs['db-path']);
    try {
      if (inputs.mode === 'distill') {
        const report = await runDistill(
          store,
          {
            now: now(),
            since: inputs.since,
            project: inputs.project || null,
            minCluster: inputs['min-cluster'],
            watermark: fileWatermarkStore(inputs['watermark-path']),
            advance: !inputs['dry-run'],
          },
          log,
        );
        core.setOutput('candidate-count', report.candidate_count);
        core.setOutput('lessons-scanned', report.total_lessons_scanned);
        core.setOutput('report-json', JSON.stringify(report));
        await core.summary
          .addHeading('Mycelium distill')
          .addCodeBlock(renderDigestText(report), 'text')
          .write();
      } else {
        const report = await promoteTiers(store, now(), directoryArchiveSink(inputs['archive-dir']));
        if (!inputs['dry-run']) await saveDbFile(store, inputs['db-path']);
        core.setOutput('promoted', report.promoted);
        core.setOutput('demoted', report.demoted);
        core.setOutput('archived', report.archived);
        await core.summary
          .addHeading('Mycelium promote-tiers')
          .addRaw(`promoted ${report.promoted}, demoted ${report.demoted}, archived ${report.archived}, errors ${report.errors.length}`)
          .write();
        for (const e of report.errors) core.error(e);
        if (report.errors.length) core.setFailed(`${report.errors.length} lessons could not be archived`);
      }
    } finally {
      store.close();
    }
  } catch (err) {
    core.setFailed(err instanceof Error ? err.message : String(err));
  }
}
