/**
 * /salt patch [synth] and the card's Patch button: the draft's patch sheets (Serum, Sylenth1 or
 * both) as a private Components V2 message in the member's locale, each sheet also attached as a
 * `.txt`. The sheet itself stays in the synths' English terms.
 */
import { ApplicationCommandOptionType, ComponentType, type APIApplicationCommandSubcommandOption, type APIMessageTopLevelComponent } from 'discord-api-types/v10';
import { SYNTHS, patchSheet, renderPatchSheet, type SynthName } from '../../src/domain/patch.js';
import type { CommandModule, Invocation } from '../../src/discord/command.js';
import { trackLine } from '../../src/discord/card.js';
import { named } from '../../src/discord/definition.js';
import { UserError } from '../../src/discord/errors.js';
import { scopeOf } from '../../src/discord/interaction.js';
import { DISCORD_LIMITS } from '../../src/discord/limits.js';
import { ephemeralV2, textDisplay, type OutgoingFile, type Reply } from '../../src/discord/reply.js';
import { commandLocalizations, commandText, type Translator } from '../../src/i18n/index.js';
import type { DraftRecord } from '../../src/store/types.js';

export function patchFile(synth: SynthName): string {
  return `salt-patch-${synth}.txt`;
}

/** Whole lines of `text` that fit `max` characters (a line is never cut). */
function wholeLines(text: string, max: number): { shown: string; complete: boolean } {
  if (text.length <= max) return { shown: text, complete: true };
  const lines = text.split('\n');
  const out: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > max) break;
    out.push(line);
    used += line.length + 1;
  }
  return { shown: out.join('\n'), complete: false };
}

/** The private message: heading, per synth a code block (whole lines within the V2 text budget) and its file. */
export function patchMessage(record: DraftRecord, synths: readonly SynthName[], tr: Translator): { components: APIMessageTopLevelComponent[]; files: OutgoingFile[] } {
  const sheets = synths.map((s) => ({ synth: s, text: renderPatchSheet(patchSheet(record.spec, s)) }));
  const heading = [tr('publish.patchHeading', { version: record.version }), trackLine(record.spec, tr), tr('publish.patchLegend')].join('\n');
  const notes = sheets.map((s) => tr('publish.patchAttached', { file: patchFile(s.synth) }));
  let room = DISCORD_LIMITS.v2TextTotal - heading.length - notes.reduce((n, x) => n + x.length, 0) - 20;
  const inner: Record<string, unknown>[] = [textDisplay(heading), { type: ComponentType.Separator }];
  const files: OutgoingFile[] = [];
  sheets.forEach((sheet, i) => {
    const share = Math.floor(room / (sheets.length - i)) - 8;
    const { shown, complete } = wholeLines(sheet.text.replace(/```/g, "'''"), share);
    const block = '```\n' + shown + '\n```';
    inner.push(textDisplay(block));
    room -= block.length;
    if (!complete) inner.push(textDisplay(notes[i]!));
    inner.push({ type: ComponentType.File, file: { url: `attachment://${patchFile(sheet.synth)}` } });
    files.push({ name: patchFile(sheet.synth), data: Buffer.from(`${sheet.text}\n`, 'utf8'), contentType: 'text/plain; charset=utf-8' });
  });
  return {
    components: [{ type: ComponentType.Container, accent_color: 0xeb459e, components: inner }] as unknown as APIMessageTopLevelComponent[],
    files,
  };
}

async function patch(inv: Invocation, synths: readonly SynthName[]): Promise<Reply> {
  const record = await inv.deps.store.drafts.get(scopeOf(inv.interaction));
  if (!record) throw new UserError('errors.noDraft');
  const { components, files } = patchMessage(record, synths, inv.locales.t);
  const reply = ephemeralV2(components, files);
  const data = (reply.response as { data: object }).data;
  return { ...reply, response: { ...reply.response, data: { ...data, attachments: files.map((f, i) => ({ id: String(i), filename: f.name })) } } as Reply['response'] };
}

const patchOption: APIApplicationCommandSubcommandOption = {
  type: ApplicationCommandOptionType.Subcommand,
  ...named('salt.patch'),
  options: [
    {
      type: ApplicationCommandOptionType.String,
      ...named('salt.patch.synth'),
      required: false,
      choices: SYNTHS.map((value) => ({
        name: commandText(`salt.patch.synth.${value}`),
        name_localizations: commandLocalizations(`salt.patch.synth.${value}`),
        value,
      })),
    },
  ],
};

export const patchModule: CommandModule = {
  options: [patchOption],
  run: {
    async patch(inv, options) {
      const synth = options.get('synth')?.value;
      return patch(inv, (SYNTHS as readonly unknown[]).includes(synth) ? [synth as SynthName] : SYNTHS);
    },
  },
  cardSteps: {
    patch: (inv) => patch(inv, SYNTHS),
  },
};
