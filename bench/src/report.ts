/**
 * Turns a run's results into the targets table, the markdown report and the SVG chart.
 */
export { chart } from './report-chart.ts';
export { markdown } from './report-markdown.ts';
export { ceilingPerCore, ceilingRps, perCore, printTargets, serverCores, targetsOf } from './report-targets.ts';
