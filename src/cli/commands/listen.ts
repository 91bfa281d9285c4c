/**
 * `saltbot listen <spec.json|-> | --preset NAME --out FILE.wav [--bars N] [--notes "A4 C5 E5 D5"]
 * [--solo LAYER] [--no-kick]`: renders the audio preview to a WAV file.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidNotesError } from '../../audio/notes.js';
import { MAX_BARS, PreviewOptionError, renderPreview, type PreviewOptions } from '../../audio/render.js';
import { DISCORD_FILE_LIMIT_BYTES, encodeWav } from '../../audio/wav.js';
import { integerFlag, parse } from '../args.js';
import { usageError } from '../errors.js';
import { ok, type CliIO, type CommandResult } from '../io.js';
import { loadSpec } from '../source.js';

export async function listenCommand(args: readonly string[], io: CliIO): Promise<CommandResult> {
  const { values, positionals } = parse('listen', args, {
    preset: { type: 'string', short: 'p' },
    out: { type: 'string', short: 'o' },
    bars: { type: 'string', short: 'b' },
    notes: { type: 'string', short: 'n' },
    solo: { type: 'string' },
    'no-kick': { type: 'boolean' },
  });
  if (values.out === undefined || values.out.trim() === '') {
    throw usageError('listen: needs --out FILE.wav (see saltbot listen --help)');
  }
  const bars = values.bars === undefined ? undefined : integerFlag('listen', 'bars', values.bars, 1, MAX_BARS);
  const { spec, label } = await loadSpec('listen', positionals, values.preset, io);

  const options: PreviewOptions = {
    ...(bars === undefined ? {} : { bars }),
    ...(values.notes === undefined ? {} : { notes: values.notes }),
    ...(values.solo === undefined ? {} : { soloLayer: values.solo }),
    ...(values['no-kick'] ? { noKick: true } : {}),
  };
  let audio;
  try {
    audio = renderPreview(spec, options);
  } catch (error) {
    if (error instanceof InvalidNotesError) throw usageError(`listen: --notes: ${error.message}`);
    if (error instanceof PreviewOptionError) throw usageError(`listen: ${error.reason === 'solo-layer' ? '--solo: ' : ''}${error.message}`);
    throw error;
  }
  const wav = encodeWav(audio);
  if (wav.length > DISCORD_FILE_LIMIT_BYTES) throw new Error(`preview is ${wav.length} bytes, over the 10 MiB limit`);
  const path = resolve(io.cwd ?? process.cwd(), values.out);
  try {
    await writeFile(path, wav);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw usageError(`listen: cannot write ${values.out} (${typeof code === 'string' ? code : 'write failed'})`);
  }

  const lines = [
    `${values.out}: ${audio.bars} bars at ${audio.bpm} BPM, ${audio.durationS.toFixed(1)} s, ${(wav.length / 1_000_000).toFixed(1)} MB (${label})`,
    `notes: ${audio.notes.join(' ')}${options.notes === undefined ? ` (default motif in ${spec.track.key})` : ''}`,
    `layers: ${audio.layers.join(', ')}${options.noKick ? '' : ' + kick'}`,
  ];
  if (audio.inferred.length > 0) {
    lines.push('inferred (not in the spec):');
    for (const i of audio.inferred) lines.push(`  ${i.layer} ${i.field} = ${i.value} (from ${i.from})`);
  }
  return ok(`${lines.join('\n')}\n`);
}
