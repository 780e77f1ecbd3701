// When is a file "already landed"? Its bytes were accepted once (FileLanded), or rejected by the
// same policy under the same rules. A rejection under one policy or rule set does not stop the
// same bytes from landing under another: that is how a user moves on from a rejected file
// without editing it (`--policy quarantine-rows`, or a rules file that relaxes a rule).
import type { JudgedBy, RecordedEvent } from '../domain/events.js';
import {
  canonicalRules,
  isSeedRules,
  type RuleSet,
} from '../domain/validation/rules-config.codec.js';
import type { Hasher } from '../ports/hasher.port.js';

/** events written before verdicts recorded their judge were judged by the seed's defaults */
const SEED_JUDGE: JudgedBy = { policy: 'reject-file', rules: 'seed' };

/** "seed" for the default rules, otherwise a short hash of the rule set */
export const rulesFingerprint = (rules: RuleSet, hasher: Hasher): string =>
  isSeedRules(rules) ? 'seed' : `rules-${hasher.hash(canonicalRules(rules)).slice(0, 16)}`;

/** the earlier verdict that makes this landing a duplicate, if any */
export const earlierVerdict = (
  stream: readonly RecordedEvent[],
  judge: JudgedBy,
): RecordedEvent | undefined =>
  stream.find((e) => e.type === 'FileLanded') ??
  stream.find((e) => {
    if (e.type !== 'FileRejected') return false;
    const by = e.data.judgedBy ?? SEED_JUDGE;
    return by.policy === judge.policy && by.rules === judge.rules;
  });

/** the verdict `status` shows for a file: landed once means landed; otherwise the latest */
export const currentVerdict = (stream: readonly RecordedEvent[]): RecordedEvent | undefined =>
  stream.find((e) => e.type === 'FileLanded') ??
  stream.filter((e) => e.type === 'FileRejected').at(-1);
