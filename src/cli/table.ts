/** A plain-text table: columns padded to their widest cell, two spaces apart, no trailing spaces. */
export function table(header: readonly string[], rows: readonly (readonly string[])[], options: { alignRight?: readonly number[] } = {}): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => [...(row[column] ?? '')].length)));
  const right = new Set(options.alignRight ?? []);
  const lines = all.map((row) =>
    row
      .map((cell, column) => {
        const pad = ' '.repeat(widths[column]! - [...cell].length);
        if (column === row.length - 1 && !right.has(column)) return cell;
        return right.has(column) ? pad + cell : cell + pad;
      })
      .join('  ')
      .trimEnd(),
  );
  return `${lines.join('\n')}\n`;
}
