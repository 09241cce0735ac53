/**
 * Line-by-line alignment of two texts for a side-by-side view: equal lines face each other,
 * removed lines sit on the left with a gap on the right, added ones the other way round.
 */
export type DiffRow = { left: { n: number; text: string } | null; right: { n: number; text: string } | null; kind: "same" | "removed" | "added" | "changed" };

/** Past this many lines the LCS table gets too big for the browser; both texts are then shown unaligned. */
const MAX_LINES = 3000;

export function sideBySide(a: string, b: string): DiffRow[] {
  const x = a === "" ? [] : a.replace(/\n$/, "").split("\n");
  const y = b === "" ? [] : b.replace(/\n$/, "").split("\n");
  if (x.length > MAX_LINES || y.length > MAX_LINES) return unaligned(x, y);

  // Longest common subsequence, filled from the end so the walk below goes forward.
  const w = y.length + 1;
  const lcs = new Uint32Array((x.length + 1) * w);
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i * w + j] = x[i] === y[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
    }
  }
  const rows: DiffRow[] = [];
  let i = 0;
  let j = 0;
  let removed: DiffRow[] = [];
  let added: DiffRow[] = [];
  // A run of removals followed by a run of additions reads best as changed lines facing each other.
  const flush = () => {
    const n = Math.max(removed.length, added.length);
    for (let k = 0; k < n; k++) {
      const l = removed[k]?.left ?? null;
      const r = added[k]?.right ?? null;
      rows.push({ left: l, right: r, kind: l && r ? "changed" : l ? "removed" : "added" });
    }
    removed = [];
    added = [];
  };
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      flush();
      rows.push({ left: { n: i + 1, text: x[i]! }, right: { n: j + 1, text: y[j]! }, kind: "same" });
      i++;
      j++;
    } else if (j < y.length && (i >= x.length || lcs[i * w + j + 1]! >= lcs[(i + 1) * w + j]!)) {
      added.push({ left: null, right: { n: j + 1, text: y[j]! }, kind: "added" });
      j++;
    } else {
      removed.push({ left: { n: i + 1, text: x[i]! }, right: null, kind: "removed" });
      i++;
    }
  }
  flush();
  return rows;
}

function unaligned(x: string[], y: string[]): DiffRow[] {
  return Array.from({ length: Math.max(x.length, y.length) }, (_, k) => {
    const l = k < x.length ? { n: k + 1, text: x[k]! } : null;
    const r = k < y.length ? { n: k + 1, text: y[k]! } : null;
    return { left: l, right: r, kind: l?.text === r?.text ? "same" : "changed" };
  });
}
