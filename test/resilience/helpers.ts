/**
 * Small readers of the bot's raw payloads shared by the resilience tests and their worker
 * processes: what a member would submit for a modal, every custom_id in a component tree, and
 * all the text of a message.
 */
type Json = Record<string, any>;

/** Every custom_id in a component tree. */
export function customIds(components: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Json;
      if (typeof n.custom_id === 'string') out.push(n.custom_id);
      for (const v of Object.values(n)) if (v && typeof v === 'object') walk(v);
    }
  };
  walk(components);
  return out;
}

/** The content and every text display of a message body. */
export function textOf(message: { components?: unknown; content?: string } | undefined): string {
  const out: string[] = [message?.content ?? ''];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node && typeof node === 'object') {
      const n = node as Json;
      if (typeof n.content === 'string') out.push(n.content);
      for (const v of Object.values(n)) if (v && typeof v === 'object') walk(v);
    }
  };
  walk(message?.components);
  return out.join('\n');
}

/**
 * What a member submits for a modal: text inputs keep their prefilled value, selects their
 * defaults (or their first option when required); `overrides` by custom_id win.
 */
export function fillModal(modal: Json, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  for (const top of modal.components as Json[]) {
    const input = (top.type === 18 ? top.component : top.type === 1 ? top.components?.[0] : undefined) as Json | undefined;
    if (!input || typeof input.custom_id !== 'string') continue;
    const id = input.custom_id as string;
    if (overrides[id] !== undefined) values[id] = overrides[id]!;
    else if (input.type === 4) values[id] = typeof input.value === 'string' ? input.value : input.required ? 'test' : '';
    else if (input.type === 3) {
      const defaults = (input.options as Json[]).filter((o) => o.default).map((o) => String(o.value));
      const min = typeof input.min_values === 'number' ? input.min_values : 1;
      values[id] = defaults.length > 0 ? defaults : min > 0 || input.required ? [String((input.options as Json[])[0]?.value)] : [];
    }
  }
  return values;
}
