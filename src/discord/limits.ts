/**
 * Discord's documented limits that saltbot's messages must respect (developer documentation:
 * message resource, components reference, interactions). Encoded here, checked by `fit*` helpers
 * and by tests of every payload the bot sends.
 */
export const DISCORD_LIMITS = {
  content: 2000,
  customId: 100,
  modalTitle: 45,
  modalComponents: 5,
  labelLabel: 45,
  labelDescription: 100,
  textInputValue: 4000,
  textInputPlaceholder: 100,
  selectOptions: 25,
  selectOptionLabel: 100,
  selectOptionValue: 100,
  selectOptionDescription: 100,
  selectPlaceholder: 150,
  buttonLabel: 80,
  buttonsPerRow: 5,
  actionRowsPerMessage: 5,
  textDisplay: 4000,
  v2Components: 40,
  v2TextTotal: 4000,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  attachmentBytes: 10 * 1024 * 1024,
  commandName: 32,
  commandDescription: 100,
} as const;

/** Discord's regex for command and option names (CHAT_INPUT). */
export const COMMAND_NAME_REGEX = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Shortens text to at most `max` characters, on a word boundary when one is near, with an ellipsis. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return text.slice(0, Math.max(0, max));
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${space > max * 0.6 ? cut.slice(0, space) : cut}…`;
}

/**
 * Fits text blocks into a Components V2 message: each within one TextDisplay, all together within
 * `budget` characters, shortening the longest block first (on word boundaries, with an ellipsis).
 */
export function fitTexts(texts: readonly string[], budget: number = DISCORD_LIMITS.v2TextTotal - 50): string[] {
  const out = texts.map((s) => clip(s, DISCORD_LIMITS.textDisplay));
  let total = out.reduce((n, s) => n + s.length, 0);
  while (total > budget) {
    const longest = out.reduce((best, s, i) => (s.length > out[best]!.length ? i : best), 0);
    out[longest] = clip(out[longest]!, Math.max(1, Math.floor(out[longest]!.length * 0.85)));
    total = out.reduce((n, s) => n + s.length, 0);
  }
  return out;
}
