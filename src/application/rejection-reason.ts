// One human sentence for a rejected file: which rule, where, and how many rows.
import type { RuleCount } from '../domain/events.js';
import type { ValidationVerdict } from '../domain/validation/verdict.js';

export const ruleCounts = (verdict: ValidationVerdict, severity: 'error' | 'warn'): RuleCount[] =>
  verdict.rules
    .filter((r) => r.severity === severity && r.failed > 0)
    .map((r) => ({ rule: r.rule, failed: r.failed }));

export const rejectionReason = (fileKey: string, verdict: ValidationVerdict): string => {
  const broken = verdict.rules.filter((r) => r.severity === 'error' && r.failed > 0);
  if (broken.length === 0) return `${fileKey} could not be landed`;
  const parts = broken.map((r) => {
    const s = r.samples[0];
    const where =
      s === undefined
        ? ''
        : ` (first at line ${s.line}${s.key === null ? '' : `, key ${s.key}`}: ${s.message})`;
    return `${r.rule} failed ${r.failed} time${r.failed === 1 ? '' : 's'}${where}`;
  });
  return `${fileKey} rejected: ${parts.join('; ')}`;
};
