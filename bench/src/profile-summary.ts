/**
 * Where the time went in a V8 .cpuprofile: self time by function and by package or file,
 * so a missed target can be explained without opening a profiler UI.
 */

export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  /** Sampled time, idle excluded: the CPU the process used. Shares are of this. */
  readonly totalMs: number;
  readonly byFunction: readonly Share[];
  readonly byPlace: readonly Share[];
}

/** node_modules/<pkg>, the workspace file, or a V8/Node category like "(garbage collector)". */
export function placeOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1] as string;
  if (url.startsWith('node:')) return url;
  const workspace = /\/(apps\/[^?]+|packages\/[^?]+|bench\/[^?]+)/.exec(url);
  return workspace ? (workspace[1] as string) : url.replace(/^file:\/\//, '');
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    if (byNode.get(id)?.callFrame.functionName === '(idle)') return;
    const delta = (profile.timeDeltas[i] ?? 0) / 1000;
    total += delta;
    self.set(id, (self.get(id) ?? 0) + delta);
  });
  const fn = new Map<string, number>();
  const place = new Map<string, number>();
  for (const [id, time] of self) {
    const frame = byNode.get(id)?.callFrame;
    if (frame === undefined) continue;
    const where = placeOf(frame.url, frame.functionName);
    const name = `${frame.functionName || '(anonymous)'} ${where}${frame.url === '' ? '' : `:${frame.lineNumber + 1}`}`;
    fn.set(name, (fn.get(name) ?? 0) + time);
    place.set(where, (place.get(where) ?? 0) + time);
  }
  const shares = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, time]) => ({
        name,
        ms: Math.round(time),
        percent: total > 0 ? Math.round((time / total) * 1000) / 10 : 0,
      }));
  return { totalMs: Math.round(total), byFunction: shares(fn), byPlace: shares(place) };
}

/** Sums several profiles of one role (e.g. both gateway workers) by merging their self times. */
export function mergeSummaries(summaries: readonly ProfileSummary[], top = 15): ProfileSummary {
  const totalMs = summaries.reduce((n, s) => n + s.totalMs, 0);
  const merge = (pick: (s: ProfileSummary) => readonly Share[]) => {
    const map = new Map<string, number>();
    for (const s of summaries) for (const share of pick(s)) map.set(share.name, (map.get(share.name) ?? 0) + share.ms);
    return [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, percent: totalMs > 0 ? Math.round((ms / totalMs) * 1000) / 10 : 0 }));
  };
  return { totalMs, byFunction: merge((s) => s.byFunction), byPlace: merge((s) => s.byPlace) };
}
