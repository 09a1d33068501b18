// Text measured without a browser: the scene is laid out on the server and in the CLI, where no font
// can be asked. Widths are estimated per character from the proportions of DejaVu Sans, the widest of
// the common sans-serif UI fonts (Linux's default; Segoe UI, Helvetica and Ubuntu are narrower), so
// that a line the scene keeps fits in the webview too; the webview still shortens a line that the
// real font draws wider.

/** Font sizes of the scene, px at 100 % zoom: nothing is drawn smaller than SMALL. */
export const FONT = { small: 11, normal: 12, heading: 14 } as const;

const NARROW = new Set([..."iljI.,:;|!'` "]);
const SLIM = new Set([...'ftr()[]{}/\\-"*']);
const WIDE = new Set([...'mwMW@%']);

/** Width of one character in em. */
function charWidth(ch: string): number {
  if (NARROW.has(ch)) return 0.32;
  if (SLIM.has(ch)) return 0.4;
  if (WIDE.has(ch)) return 0.98;
  if (ch >= '0' && ch <= '9') return 0.64;
  if (ch >= 'a' && ch <= 'z') return 0.61;
  if (ch >= 'A' && ch <= 'Z') return 0.73;
  const code = ch.codePointAt(0) ?? 0;
  // CJK, kana, hangul and emoji take a full em; other scripts about a Latin capital.
  return code >= 0x1100 ? 1 : 0.7;
}

export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const ch of text) em += charWidth(ch);
  return em * size * (bold ? 1.19 : 1);
}

/** `text`, or its longest start that fits `width` followed by `…`. */
export function fitText(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  const chars = [...text];
  let used = textWidth('…', size, bold);
  let end = 0;
  while (end < chars.length) {
    const next = used + textWidth(chars[end], size, bold);
    if (next > width) break;
    used = next;
    end++;
  }
  return `${chars.slice(0, end).join('')}…`;
}

/**
 * Breaks `text` into at most `maxLines` lines of `width`, at spaces where it can; a word longer than a
 * line is cut. The last line ends in `…` when text is left over.
 */
export function wrapText(text: string, width: number, size: number, maxLines: number, bold = false): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest && lines.length < maxLines) {
    if (lines.length === maxLines - 1 || textWidth(rest, size, bold) <= width) {
      lines.push(fitText(rest, width, size, bold));
      break;
    }
    const words = rest.split(' ');
    let line = '';
    let taken = 0;
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      if (textWidth(candidate, size, bold) > width) break;
      line = candidate;
      taken++;
    }
    if (taken === 0) {
      // One word wider than the line: cut it where it stops fitting.
      const cut = fitText(words[0], width, size, bold).slice(0, -1) || [...words[0]][0];
      lines.push(cut);
      rest = rest.slice(cut.length).trim();
    } else {
      lines.push(line);
      rest = words.slice(taken).join(' ');
    }
  }
  return lines;
}
