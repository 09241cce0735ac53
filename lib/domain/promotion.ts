import { cloneValue, isConfigObject, setOwn, type ConfigObject } from "./config-value";
import { diffConfigs, type DiffEntry } from "./diff-configs";
import { parsePointer } from "./pointer";

/**
 * What promoting an environment overlay into the next environment proposes: the changes made in
 * the source since it was last promoted (baseline → source head), applied onto the target's own
 * overlay. Values that differ by design (hosts, pool sizes) stay as the target has them unless the
 * source changed them since.
 */
export function proposePromotion(input: { baseline: ConfigObject; source: ConfigObject; target: ConfigObject }): {
  value: ConfigObject;
  carried: DiffEntry[];
} {
  const carried = diffConfigs(input.baseline, input.source);
  return { value: applyChanges(input.target, carried), carried };
}

/** Applies changes leniently: parents are created when missing, removals of absent keys are no-ops. */
export function applyChanges(target: ConfigObject, changes: readonly DiffEntry[]): ConfigObject {
  const root = cloneValue(target);
  for (const c of changes) {
    const segments = parsePointer(c.path);
    if (segments.length === 0) continue;
    let node: ConfigObject = root;
    for (const seg of segments.slice(0, -1)) {
      const next = node[seg];
      if (!isConfigObject(next)) {
        if (c.kind === "removed") break;
        setOwn(node, seg, {});
      }
      node = node[seg] as ConfigObject;
    }
    const key = segments.at(-1)!;
    if (c.kind === "removed") delete node[key];
    else setOwn(node, key, cloneValue(c.after ?? null));
  }
  return root;
}
