/**
 * Word wrap for the terminal report: lines break at spaces to fit `width` columns, continuation lines
 * get `indent`. A word longer than the line (a URL, a header value) is cut at the width. Input is plain
 * text (no escape sequences): colour is applied after wrapping.
 */
export function wrap(text: string, width: number | undefined, indent = ''): string[] {
  if (width === undefined || text.length <= width) return [text];
  const max = Math.max(width, indent.length + 20);
  const lead = /^ */.exec(text)![0];
  const lines: string[] = [];
  let line = lead;
  let empty = true;
  for (const word of text.slice(lead.length).split(' ')) {
    if (!empty && line.length + 1 + word.length > max) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += (empty ? '' : ' ') + word;
    empty = false;
    while (line.length > max) {
      lines.push(line.slice(0, max));
      line = indent + line.slice(max);
    }
  }
  if (line.trim() !== '') lines.push(line);
  return lines;
}
